"""Write requirements.lock (runtime) and requirements-dev.lock (tests and checks) from the installed virtual env.

The runtime set is derived, not listed by hand: every distribution reachable from pyproject's [project]
dependencies and its optional extras other than `dev` (so `sso` is pinned too), following each installed package's
own Requires-Dist with its markers and extras. Everything else the env holds (pytest, Playwright, mypy, pip-audit,
ruff and what they pull in) goes to requirements-dev.lock. Run by `make lock` with the venv's python, after
`make install-dev` and a deliberate upgrade.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
DEV_EXTRAS = {"dev"}


def _runtime_closure(project: dict[str, Any]) -> set[str]:
    roots = [Requirement(r) for r in project["dependencies"]]
    for extra, reqs in project.get("optional-dependencies", {}).items():
        if extra not in DEV_EXTRAS:
            roots += [Requirement(r) for r in reqs]
    seen: set[tuple[str, frozenset[str]]] = set()
    names: set[str] = set()
    todo = [(r, {""}) for r in roots]
    while todo:
        req, parent_extras = todo.pop()
        if req.marker is not None and not any(req.marker.evaluate({"extra": e}) for e in parent_extras):
            continue
        name = canonicalize_name(req.name)
        key = (name, frozenset(req.extras))
        if key in seen:
            continue
        seen.add(key)
        names.add(name)
        try:
            requires = metadata.distribution(req.name).requires or []
        except metadata.PackageNotFoundError:
            sys.exit(f"lock: {req.name} is required but not installed; run `make install-dev` first")
        todo += [(Requirement(r), {"", *req.extras}) for r in requires]
    return names


def main() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = _runtime_closure(project)
    frozen = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--exclude-editable"], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    # pip and uv install the rest (the Makefile pins uv): neither is a dependency of the app or its tests.
    pins = [line for line in frozen if "==" in line and not line.startswith(("pip==", "uv=="))]
    run = [p for p in pins if canonicalize_name(p.split("==")[0]) in runtime]
    dev = [p for p in pins if canonicalize_name(p.split("==")[0]) not in runtime]
    (ROOT / "requirements.lock").write_text("\n".join(run) + "\n", encoding="utf-8")
    (ROOT / "requirements-dev.lock").write_text("\n".join(dev) + "\n", encoding="utf-8")
    print(f"lock: {len(run)} runtime pins in requirements.lock, {len(dev)} in requirements-dev.lock")


if __name__ == "__main__":
    main()
