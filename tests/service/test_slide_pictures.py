"""Slide pictures for the judges through headless LibreOffice and pdftoppm (installed by .ci/system-deps; optional
for running the app): one PNG per slide, in order, rendered once per deck in the background, a broken deck reported
as failed without taking anything down."""

from __future__ import annotations

import hashlib
import struct
import time

import pytest
from sqlmodel import Session, select

from models import Attachment, AttachmentKind, StoredFile, User
from services.contest import editions
from services.intake import records, screening
from services.judging import evidence, slide_pictures, worklist
from services.platform.settings import get_settings
from tests.conftest import skip_or_fail
from tests.factories_files import contest_deck


@pytest.fixture(autouse=True)
def slides_dir(tmp_path, monkeypatch):
    if slide_pictures.tools() is None:
        skip_or_fail(
            "LibreOffice (soffice) and pdftoppm are not installed: apt-get install libreoffice-impress-nogui "
            "poppler-utils"
        )
    monkeypatch.setenv("LDAWARD_SLIDES_DIR", str(tmp_path / "slides"))
    get_settings.cache_clear()
    yield tmp_path / "slides"
    get_settings.cache_clear()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_a_deck_renders_to_one_picture_per_slide_in_order(slides_dir) -> None:
    deck = contest_deck()
    sha = hashlib.sha256(deck).hexdigest()
    assert slide_pictures.pictures(sha) is None
    started = time.monotonic()
    pictures = slide_pictures.render(deck, sha)
    print(f"\n16-slide deck rendered in {time.monotonic() - started:.1f} s")
    assert len(pictures) == 16 and [p.name for p in pictures][:2] == ["slide-0001.png", "slide-0002.png"]
    assert pictures[-1].name == "slide-0016.png" and pictures[0].parent == slides_dir / sha
    width, height = png_size(pictures[0].read_bytes())
    assert width == slide_pictures.WIDTH_PX and height == 960  # the factory's 4:3 slides, scaled to 1280 wide
    assert slide_pictures.pictures(sha) == pictures
    assert not [p for p in slides_dir.iterdir() if p.name.startswith(".")]  # no staging folder left behind


def test_judges_evidence_names_the_deck_and_rendering_runs_in_the_background(
    demo_session: Session, demo_engine
) -> None:
    edition = editions.current_edition(session=demo_session)
    judge = demo_session.exec(select(User).where(User.username == "judge-dga")).one()
    sub_id = worklist.list_assignments(session=demo_session, judge_id=judge.id, edition_id=edition.id)[0].submission.id
    deck = contest_deck()
    screening.attach_file(
        session=demo_session, submission_id=sub_id, kind=AttachmentKind.deck, upload=records.Upload("deck.pptx", deck)
    )
    ev = evidence.evidence(session=demo_session, judge_id=judge.id, submission_id=sub_id)
    assert ev.deck_sha256 == hashlib.sha256(deck).hexdigest()
    demo_session.commit()

    assert slide_pictures.ensure(engine=demo_engine, sha256=ev.deck_sha256) == slide_pictures.State.rendering
    assert slide_pictures.ensure(engine=demo_engine, sha256=ev.deck_sha256) == slide_pictures.State.rendering
    deadline = time.monotonic() + 120
    while (state := slide_pictures.ensure(engine=demo_engine, sha256=ev.deck_sha256)) == "rendering":
        assert time.monotonic() < deadline, "rendering never finished"
        time.sleep(0.5)
    assert state == slide_pictures.State.ready and len(slide_pictures.pictures(ev.deck_sha256)) == len(ev.slides)


def test_a_deck_libreoffice_cannot_read_is_reported_not_raised(demo_session: Session, demo_engine) -> None:
    broken = b"PK\x03\x04 not really a presentation" * 10
    sha = hashlib.sha256(broken).hexdigest()
    demo_session.add(StoredFile(sha256=sha, size=len(broken), content=broken))
    demo_session.commit()
    slide_pictures.ensure(engine=demo_engine, sha256=sha)
    deadline = time.monotonic() + 120
    while (state := slide_pictures.ensure(engine=demo_engine, sha256=sha)) == "rendering":
        assert time.monotonic() < deadline
        time.sleep(0.5)
    assert state == slide_pictures.State.failed and slide_pictures.pictures(sha) is None
    assert demo_session.exec(select(Attachment)).first() is not None  # nothing else touched
