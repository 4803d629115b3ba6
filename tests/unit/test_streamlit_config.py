"""The project's .streamlit/config.toml as the server reads it: no forced garbage collection after every run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ = "from streamlit import config; print(config.get_option('runner.postScriptGC'))"


def _read(env: dict[str, str]) -> str:
    return subprocess.run(
        [sys.executable, "-c", READ], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()


def test_the_server_does_not_force_a_full_collection_after_each_run() -> None:
    # Issue 18: gc.collect(2) after every run, each 1 s live poll included, was half the server's CPU.
    assert _read({k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}) == "False"


def test_streamlits_own_default_is_on_so_the_file_is_what_turns_it_off(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    out = subprocess.run(
        [sys.executable, "-c", READ],
        cwd=tmp_path,
        env={**env, "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    assert out == "True"
