"""axe-core (Deque's accessibility engine, from the npm registry) for the browser tests: fetched once with
`npm pack` into tests/browser/.axe/ (git-ignored), checked against the registry's pinned digest, injected into a
page by Playwright. docs/accessibility.md says what is checked."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.conftest import skip_or_fail

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE_VERSION = "4.14.1"
# The registry's dist.integrity of axe-core-4.14.1.tgz (`npm view axe-core@4.14.1 dist.integrity`).
AXE_INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
AXE_DIR = Path(__file__).resolve().parent / ".axe"
AXE_JS = AXE_DIR / f"axe-{AXE_VERSION}.min.js"
# What fails a page: WCAG's A and AA rules and axe's best practices, at these impacts, and these rules at any impact
# (headings in order: a screen reader's list of headings is how a page is skimmed).
FAILING = ("serious", "critical")
FAILING_RULES = ("heading-order",)
RUN_OPTIONS = {"resultTypes": ["violations"]}


def axe_source() -> str:
    """axe.min.js of AXE_VERSION, fetched on first use (several test workers may race: each writes its own temporary
    file and renames it into place)."""
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if npm is None:
            skip_or_fail("npm is not installed (apt-get install npm); the accessibility tests fetch axe-core with it")
        AXE_DIR.mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory(dir=AXE_DIR) as tmp:
            packed = subprocess.run(
                [str(npm), "pack", f"axe-core@{AXE_VERSION}", "--silent"],
                cwd=tmp,
                capture_output=True,
                text=True,
                timeout=180,
            )
            if packed.returncode != 0:
                skip_or_fail(f"npm pack axe-core@{AXE_VERSION} failed: {packed.stderr.strip()[-500:]}")
            tarball = Path(tmp) / f"axe-core-{AXE_VERSION}.tgz"
            digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
            assert digest == AXE_INTEGRITY, f"axe-core {AXE_VERSION} from npm is not the pinned one: {digest}"
            with tarfile.open(tarball) as tar:
                member = tar.extractfile("package/axe.min.js")
                assert member is not None
                staged = Path(tmp) / "axe.min.js"
                staged.write_bytes(member.read())
            os.replace(staged, AXE_JS)
    return AXE_JS.read_text(encoding="utf-8")


def violations(tab: Page, source: str) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now (the component's shadow DOM included), each with up to three of
    its elements."""
    if not tab.evaluate("typeof window.axe !== 'undefined'"):
        tab.add_script_tag(content=source)
    found: list[dict[str, Any]] = tab.evaluate(
        """async (options) => (await axe.run(document, options)).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
            nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 200))}))""",
        RUN_OPTIONS,
    )
    return found


def failing(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in found if v["impact"] in FAILING or v["id"] in FAILING_RULES]
