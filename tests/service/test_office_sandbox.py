"""LibreOffice runs in a sandbox (bubblewrap): a deck whose pictures link to http://… or file:///… makes no request
and shows nothing of the server's disk, even when it reaches the conversion without the deck check (issue 13)."""

from __future__ import annotations

import http.server
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from services.platform import office
from tests.conftest import skip_or_fail
from tests.factories_files import make_linked_picture_deck

# What LibreOffice does while it converts is the point here: never a PDF from the tests' cache (tests/conftest.py).
pytestmark = pytest.mark.real_office

GREEN = (0, 255, 0)


@pytest.fixture(autouse=True)
def _office() -> None:
    if shutil.which("soffice") is None or shutil.which("pdftoppm") is None:
        skip_or_fail(
            "LibreOffice and pdftoppm are not installed: apt-get install libreoffice-impress-nogui poppler-utils"
        )
    if office.sandbox_problem() is not None:
        skip_or_fail(f"the LibreOffice sandbox cannot run: {office.sandbox_problem()} (apt-get install bubblewrap)")


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 that records every request path; yields (base URL, requests)."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_HEAD = do_OPTIONS = do_GET

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def _convert(tmp_path: Path, deck: bytes, *, sandboxed: bool = True) -> Path:
    folder = tmp_path / "convert"
    folder.mkdir()
    source = folder / "deck.pptx"
    source.write_bytes(deck)
    if sandboxed:
        return office.convert_to_pdf(source, timeout=120)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return source.with_suffix(".pdf")


def _green_pixels(pdf: Path) -> int:
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(pdf.parent / "page")], check=True, timeout=60)
    count = 0
    for png in pdf.parent.glob("page*.png"):
        with Image.open(png) as image:
            raw = image.convert("RGB").tobytes()
        count += sum(1 for i in range(0, len(raw), 3) if raw[i + 1] > 200 and raw[i] < 60 and raw[i + 2] < 60)
    return count


def test_a_linked_picture_on_a_local_server_is_never_fetched(tmp_path: Path, listener) -> None:
    base, seen = listener
    pdf = _convert(tmp_path, make_linked_picture_deck(f"{base}/secret.png"))
    assert pdf.exists() and pdf.stat().st_size > 0
    assert seen == []


def test_without_the_sandbox_the_same_deck_does_fetch_so_the_test_can_fail(tmp_path: Path, listener) -> None:
    base, seen = listener
    _convert(tmp_path, make_linked_picture_deck(f"{base}/secret.png"), sandboxed=False)
    assert "/secret.png" in seen


def test_a_file_picture_from_the_servers_disk_is_not_drawn(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    Image.new("RGB", (64, 64), GREEN).save(secret)
    deck = make_linked_picture_deck(secret.as_uri())
    (tmp_path / "sandboxed").mkdir()
    assert _green_pixels(_convert(tmp_path / "sandboxed", deck)) == 0
    # The same deck unsandboxed draws the file: the check above looks at the right pixels.
    (tmp_path / "open").mkdir()
    assert _green_pixels(_convert(tmp_path / "open", deck, sandboxed=False)) > 100


def test_the_sandbox_has_no_network_no_outside_files_and_limits(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("ความลับ")
    (tmp_path / "box").mkdir()
    script = (
        f"cat {outside} 2>/dev/null && echo READ-OUTSIDE; ls /home /root /var 2>/dev/null && echo SEES-DISK; "
        "cat /proc/net/dev; echo cpu=$(ulimit -t) mem=$(ulimit -v); touch /work/ok && echo WROTE; "
        "touch /usr/x 2>/dev/null && echo WROTE-USR; true"
    )
    done = office.run_sandboxed(tmp_path / "box", ["/bin/sh", "-c", script], timeout=30)
    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "READ-OUTSIDE" not in out and "SEES-DISK" not in out and "WROTE-USR" not in out
    interfaces = [line.split(":")[0].strip() for line in out.splitlines() if ":" in line and "|" not in line]
    assert interfaces == ["lo"]
    assert f"cpu={office.CPU_SECONDS}" in out
    assert f"mem={office.ADDRESS_SPACE_BYTES // 1024}" in out
    assert "WROTE" in out and (tmp_path / "box" / "ok").exists()
