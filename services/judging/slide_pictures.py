"""Pictures of a deck's slides for the judges, when LibreOffice is installed (optional: without it judges see the
slides' titles and text only).

A deck is rendered once per content hash, in the background (LibreOffice takes seconds), into a cache folder:
.pptx → PDF with headless LibreOffice (its own throw-away profile, so renders can run side by side), then one PNG
per page with poppler's pdftoppm. The folder appears complete or not at all (rendered beside it, then renamed).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
import threading
from enum import StrEnum
from pathlib import Path

from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, col, select

from models import Attachment, AttachmentKind, ConflictOfInterest, JudgeAssignment, Role, StoredFile
from services.platform import office
from services.platform.db import session_scope
from services.platform.settings import PROJECT_ROOT, get_settings

log = logging.getLogger(__name__)

RENDER_TIMEOUT_S = 180
WIDTH_PX = 1280
_running: set[str] = set()
_failed: set[str] = set()
_lock = threading.Lock()


class State(StrEnum):
    ready = "ready"
    rendering = "rendering"
    unavailable = "unavailable"  # LibreOffice or pdftoppm is not installed
    failed = "failed"


def tools() -> tuple[str, str] | None:
    soffice, pdftoppm = office.libreoffice(), shutil.which("pdftoppm")
    return (soffice, pdftoppm) if soffice and pdftoppm else None


def cache_root() -> Path:
    """LDAWARD_SLIDES_DIR; else a slides folder beside the SQLite file; else data/slides."""
    settings = get_settings()
    if settings.slides_dir:
        return Path(settings.slides_dir)
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).resolve().parent / "slides"
    return PROJECT_ROOT / "data" / "slides"


def pictures(sha256: str) -> list[Path] | None:
    """The rendered slides in order, or None when this deck has not been rendered (yet)."""
    folder = cache_root() / sha256
    if not sha256.isalnum() or not folder.is_dir():
        return None
    return sorted(folder.glob("slide-*.png"))


def picture(sha256: str, number: int) -> Path | None:
    """Slide `number` (from 1) of a rendered deck, or None."""
    found = pictures(sha256)
    return found[number - 1] if found and 1 <= number <= len(found) else None


def may_see(*, session: Session, user_id: int, role: Role, sha256: str) -> bool:
    """Organisers see every deck; a judge only the decks of works assigned to them without a declared conflict."""
    if role == Role.organiser:
        return True
    if role != Role.judge:
        return False
    assigned = (
        select(Attachment.id)
        .join(JudgeAssignment, col(JudgeAssignment.submission_id) == col(Attachment.submission_id))
        .where(
            Attachment.sha256 == sha256,
            Attachment.kind == AttachmentKind.deck,
            JudgeAssignment.judge_id == user_id,
            ~select(ConflictOfInterest.id)
            .where(
                ConflictOfInterest.judge_id == user_id,
                col(ConflictOfInterest.submission_id) == col(Attachment.submission_id),
            )
            .exists(),
        )
    )
    return session.exec(assigned.limit(1)).first() is not None


def render(content: bytes, sha256: str) -> list[Path]:
    """Render a deck now (blocking); raises RuntimeError with LibreOffice's complaint when it cannot."""
    found = tools()
    if found is None:
        raise RuntimeError("LibreOffice (soffice) and pdftoppm are needed to render slides")
    _, pdftoppm = found
    dest = cache_root() / sha256
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ldaward-slides-", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        deck = work / "deck.pptx"
        deck.write_bytes(content)
        pdf = office.convert_to_pdf(deck, RENDER_TIMEOUT_S)
        staging = Path(tempfile.mkdtemp(prefix=f".{sha256[:12]}-", dir=dest.parent))
        drawn = subprocess.run(
            [pdftoppm, "-png", "-scale-to-x", str(WIDTH_PX), "-scale-to-y", "-1", str(pdf), str(staging / "slide")],
            capture_output=True,
            text=True,
            timeout=RENDER_TIMEOUT_S,
            check=False,
        )
        if drawn.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            raise RuntimeError(f"pdftoppm could not draw the slides: {drawn.stderr.strip()[:300]}")
        # pdftoppm numbers pages slide-01.png or slide-001.png depending on the count: make them sort as numbers.
        for png in staging.glob("slide-*.png"):
            png.rename(staging / f"slide-{int(png.stem.split('-')[-1]):04d}.png")
        try:
            staging.rename(dest)
        except OSError:  # rendered twice at once: the first folder stays
            shutil.rmtree(staging, ignore_errors=True)
    return pictures(sha256) or []


def ensure(*, engine: Engine, sha256: str) -> State:
    """Ready pictures, or start rendering them in the background (once per deck per process) and say so."""
    if pictures(sha256) is not None:
        return State.ready
    if tools() is None:
        return State.unavailable
    with _lock:
        if sha256 in _failed:
            return State.failed
        if sha256 in _running:
            return State.rendering
        _running.add(sha256)
    threading.Thread(target=_render_stored, args=(engine, sha256), name=f"slides-{sha256[:8]}", daemon=True).start()
    return State.rendering


def _render_stored(engine: Engine, sha256: str) -> None:
    try:
        with session_scope(engine, read_only=True) as session:  # SQLite: reading the deck takes no write lock
            blob = session.get(StoredFile, sha256)
            content = blob.content if blob is not None else None
        if content is None:
            raise RuntimeError("the deck is not in the database")
        render(content, sha256)
    except Exception:
        log.exception("slide pictures for %s failed", sha256[:12])
        with _lock:
            _failed.add(sha256)
    finally:
        with _lock:
            _running.discard(sha256)
