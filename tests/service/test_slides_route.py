"""Slide pictures over HTTP (GET /api/slides/{sha256}/{n}): the stored PNG bytes, kept by the browser for good, only
for an organiser or a judge the deck's work is assigned to without a conflict; one 404 for everything else a viewer
may not have, so decks cannot be probed. Driven as ASGI on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import Session, select

from models import Attachment, AttachmentKind, ConflictReason, User
from services.contest import editions
from services.judging import conflicts, worklist
from services.platform.db import dispose_engines
from services.platform.settings import get_settings
from services.platform.web_sessions import COOKIE_NAME
from tests.helpers.asgi import call, session_cookies
from web_routes import SLIDE_CACHE, slide_url


def cookie_for(session: Session, username: str) -> dict[str, str]:
    return session_cookies(session, session.exec(select(User).where(User.username == username)).one().id)


@pytest.fixture
def decks(demo_db_url: str, demo_session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict]:
    """Two assigned works' decks rendered (three pictures each, as slide_pictures.render leaves them)."""
    monkeypatch.setenv("DATABASE_URL", demo_db_url)
    monkeypatch.setenv("LDAWARD_SLIDES_DIR", str(tmp_path / "slides"))
    get_settings.cache_clear()
    edition = editions.current_edition(session=demo_session)
    judge = demo_session.exec(select(User).where(User.username == "judge-dga")).one()
    works = [
        a.submission.id
        for a in worklist.list_assignments(session=demo_session, judge_id=judge.id, edition_id=edition.id)[:2]
    ]
    shas = [
        demo_session.exec(
            select(Attachment.sha256).where(Attachment.submission_id == w, Attachment.kind == AttachmentKind.deck)
        ).one()
        for w in works
    ]
    pictures: dict[str, list[bytes]] = {}
    for sha in shas:
        folder = tmp_path / "slides" / sha
        folder.mkdir(parents=True, exist_ok=True)
        for n in range(1, 4):
            out = io.BytesIO()
            Image.new("RGB", (64, 36), (40 * n, 90, 160)).save(out, format="PNG")
            (folder / f"slide-{n:04d}.png").write_bytes(out.getvalue())
            pictures.setdefault(sha, []).append(out.getvalue())
    cookies = {name: cookie_for(demo_session, name) for name in ("judge-dga", "organiser", "executive")}
    demo_session.commit()
    yield {"works": works, "shas": shas, "pictures": pictures, "cookies": cookies, "judge": judge.id}
    dispose_engines()
    get_settings.cache_clear()


def get(path: str, cookies: dict[str, str] | None = None):
    return call("GET", path, cookies=cookies)


def test_a_judge_and_an_organiser_get_the_stored_bytes_kept_for_good(decks) -> None:
    sha = decks["shas"][0]
    for who in ("judge-dga", "organiser"):
        for n in (1, 3):
            reply = get(slide_url(sha, n), decks["cookies"][who])
            assert reply.status == 200, (who, reply.body[:200])
            assert reply.body == decks["pictures"][sha][n - 1]
            headers = dict(reply.headers)
            assert headers["content-type"] == "image/png"
            assert headers["cache-control"] == SLIDE_CACHE["Cache-Control"]


def test_no_session_no_assignment_or_a_conflict_gets_nothing(decks, demo_engine) -> None:
    sha, other_sha = decks["shas"]
    assert get(slide_url(sha, 1)).status == 403
    assert get(slide_url(sha, 1), {COOKIE_NAME: "forged.value"}).status == 403
    assert get(slide_url(sha, 1), decks["cookies"]["executive"]).status == 404  # executives see results, not decks
    assert get(slide_url(sha, 4), decks["cookies"]["judge-dga"]).status == 404  # past the last slide
    assert get(slide_url("0" * 64, 1), decks["cookies"]["organiser"]).status == 404  # no such deck
    with Session(demo_engine) as s:
        conflicts.declare(
            session=s,
            judge_id=decks["judge"],
            submission_id=decks["works"][1],
            reason=ConflictReason.other,
            note="ญาติของนายก",
            actor="judge-dga",
        )
    assert get(slide_url(other_sha, 1), decks["cookies"]["judge-dga"]).status == 404
    assert get(slide_url(sha, 1), decks["cookies"]["judge-dga"]).status == 200  # the other work still


@pytest.mark.parametrize(
    "path",
    [
        "/api/slides/ABC/1",
        "/api/slides/" + "g" * 64 + "/1",
        "/api/slides/" + "a" * 64 + "/0",
        "/api/slides/" + "a" * 64 + "/x",
        "/api/slides/" + "a" * 64 + "/99999999999",
    ],
)
def test_malformed_paths_are_400(decks, path) -> None:
    reply = get(path, decks["cookies"]["organiser"])
    assert reply.status == 400 and reply.json()["error"] == "bad_request"
