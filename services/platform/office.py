"""LibreOffice, headless and sandboxed, for the PDF of a .pptx: the certificates and the slide pictures of a deck.

An applicant's deck is hostile: a linked picture makes LibreOffice fetch an `http://…` address from the server, and
a `file:///…` picture draws a file of the server's disk into the slide image a judge sees. So LibreOffice only ever
runs inside bubblewrap (`bwrap`): no network (a new, empty network namespace), no other process, user or host
name; read-only binds of /usr and the few files of /etc it needs (fonts, its own configuration, the linker cache);
one writable folder, the conversion's own throw-away folder; and RLIMIT_CPU / RLIMIT_AS in the child. When bwrap
is missing or cannot make namespaces here, `libreoffice()` says LibreOffice is unavailable and nothing converts:
the app then offers no PDFs and judges see the slides' text (an unsandboxed run is never the fallback).
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

# Generous for a 100-slide deck (a real one takes 2–10 s of CPU); a deck that takes longer is killed.
CPU_SECONDS = 120
# soffice maps ~1 GB of address space just to start; 3 GB leaves room for big pictures and stops a runaway.
ADDRESS_SPACE_BYTES = 3 * 1024**3
# Inside the sandbox the conversion folder is always here.
_INSIDE = "/work"
_READ_ONLY = ("/usr", "/etc/fonts", "/etc/ld.so.cache", "/etc/libreoffice", "/etc/alternatives")


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot run here; LibreOffice is then not run at all."""


def _office_program() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def sandbox_command(folder: Path, argv: list[str]) -> list[str]:
    """argv run inside bubblewrap with `folder` as its only writable place (seen inside as /work)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed: apt-get install bubblewrap")
    command = [
        bwrap,
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--clearenv",
        "--setenv",
        "HOME",
        _INSIDE,
        "--setenv",
        "PATH",
        "/usr/bin:/bin",
        "--setenv",
        "LANG",
        "C.UTF-8",
        "--setenv",
        "SAL_USE_VCLPLUGIN",
        "svp",
    ]
    for path in _READ_ONLY:
        command += ["--ro-bind-try", path, path]
    command += [
        "--symlink",
        "usr/lib",
        "/lib",
        "--symlink",
        "usr/lib64",
        "/lib64",
        "--symlink",
        "usr/bin",
        "/bin",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--tmpfs",
        "/tmp",
        "--bind",
        str(folder.resolve()),
        _INSIDE,
        "--chdir",
        _INSIDE,
        "--",
    ]
    return command + argv


def _limit_child() -> None:  # runs in the child between fork and exec; bwrap and soffice inherit the limits
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_BYTES, ADDRESS_SPACE_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


@lru_cache(maxsize=1)
def sandbox_problem() -> str | None:
    """Why the sandbox cannot run here (None when it can): checked once per process by running `true` in it."""
    try:
        probe = run_sandboxed(Path(tempfile.gettempdir()), ["/usr/bin/true"], timeout=20)
    except (SandboxUnavailable, OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    return None if probe.returncode == 0 else f"bubblewrap cannot run here: {probe.stderr.strip()[:200]}"


def run_sandboxed(folder: Path, argv: list[str], *, timeout: float) -> subprocess.CompletedProcess[str]:
    """argv in the sandbox with the CPU and memory limits, `folder` its only writable place (seen as /work)."""
    return subprocess.run(
        sandbox_command(folder, argv),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        preexec_fn=_limit_child,
    )


def libreoffice() -> str | None:
    """The LibreOffice program, or None when it is not installed or cannot be sandboxed (PDFs are then not offered)."""
    program = _office_program()
    if program is None or sandbox_problem() is not None:
        return None
    return program


def convert_to_pdf(source: Path, timeout: float) -> Path:
    """source.pdf beside source, converted in the sandbox; raises RuntimeError with the complaint when it cannot.

    Each conversion gets its own LibreOffice profile in source's folder: two conversions at once (two organisers,
    or a certificate while a deck renders) would otherwise share ~/.config/libreoffice, and the second exits with an
    error. source's folder must hold nothing but this conversion's files: it is all LibreOffice can see.
    """
    program = _office_program()
    if program is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    problem = sandbox_problem()
    if problem is not None:
        raise SandboxUnavailable(f"LibreOffice is not run outside its sandbox: {problem}")
    inside = f"{_INSIDE}/{source.name}"
    converted = run_sandboxed(
        source.parent,
        [
            program,
            f"-env:UserInstallation=file://{_INSIDE}/office-profile",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            _INSIDE,
            inside,
        ],
        timeout=timeout,
    )
    pdf = source.with_suffix(".pdf")
    if converted.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"LibreOffice could not convert {source.name}: {converted.stderr.strip()[:300]}")
    return pdf
