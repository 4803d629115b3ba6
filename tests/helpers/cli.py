"""`ldaward` in a test: as a real command (a Python start and the app's imports, 1.5-4 s of CPU each on this machine),
or through `cli.main()` in the test's own process, with the same arguments, environment and captured output.

A test file runs the real command where the entry point itself is what it proves (the first call of a story), and
`in_process` for the calls after it: what they check (exit code, stdout, stderr, the database) is the same."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(url: str, extra: dict[str, str]) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": url, **extra}
    env.pop("LDAWARD_CLOCK", None)  # the command runs on real time, as an organiser's would
    return env


def run(url: str, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    """`python cli.py ARGS` with DATABASE_URL=url (and extra_env), as an organiser runs it."""
    return subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), *args],
        capture_output=True,
        text=True,
        env=_env(url, extra_env),
        cwd=ROOT,
        timeout=120,
    )


@contextlib.contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    from services.platform.db import dispose_engines
    from services.platform.settings import get_settings

    saved = dict(os.environ)
    for name in set(saved) - set(env):
        del os.environ[name]
    os.environ.update(env)
    get_settings.cache_clear()
    try:
        yield
    finally:
        dispose_engines()  # the command's engine is on this database; the next test has its own
        for name in set(os.environ) - set(saved):
            del os.environ[name]
        os.environ.update(saved)
        get_settings.cache_clear()


def in_process(url: str, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    """What `run` returns, from `cli.main(args)` in this process: stdout and stderr as text (bytes written to
    stdout.buffer, as the exports do, decoded as UTF-8), the exit code also for argparse's own exits."""
    import cli

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    with _environment(_env(url, extra_env)), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(args))
        except SystemExit as e:  # argparse: --help, a wrong argument
            code = e.code if isinstance(e.code, int) else 2
    texts = []
    for stream in (out, err):
        stream.flush()
        texts.append(stream.buffer.getvalue().decode("utf-8"))  # type: ignore[attr-defined]
    return subprocess.CompletedProcess(["ldaward", *args], code, texts[0], texts[1])
