"""The route a following judge's page fetches the next work from (GET /api/judge/work): the work and the score sheet
as the page's run would hand them to its two components, the judge's own sheet as stored, refused as the page
refuses (no judge's session, another site, a work not assigned or in conflict) — on SQLite and PostgreSQL, through
ASGI."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select

from models import ConflictReason, Role, User
from services.contest import editions
from services.judging import conflicts, on_screen, worklist
from services.platform import auth
from services.platform.db import dispose_engines
from services.platform.safe_text import clean
from services.platform.settings import get_settings
from tests.helpers.asgi import Reply, call, session_cookies
from tests.helpers.evidence_reads import count_evidence_reads
from web_routes import SHEET_PATH, WORK_PATH


@pytest.fixture
def judge(demo_db_url: str, demo_session: Session, monkeypatch: pytest.MonkeyPatch):
    """The demo's judge-dga signed in (its cookie), its assigned works and the edition."""
    monkeypatch.setenv("DATABASE_URL", demo_db_url)
    get_settings.cache_clear()
    on_screen.forget()
    edition = editions.current_edition(session=demo_session)
    user = demo_session.exec(select(User).where(User.username == "judge-dga")).one()
    works = worklist.list_assignments(session=demo_session, judge_id=user.id, edition_id=edition.id)
    demo_session.commit()
    yield demo_session, edition, user, works, session_cookies(demo_session, user.id)
    on_screen.forget()
    dispose_engines()
    get_settings.cache_clear()


def fetch(cookies: dict[str, str] | None, query: str, **headers: str) -> Reply:
    return call("GET", WORK_PATH, query=query, cookies=cookies, headers=headers)


def asked(edition: Any, sub_id: int, lang: str = "th", more: int = 1) -> str:
    return f"edition={edition.id}&submission={sub_id}&lang={lang}&next={more}"


def test_the_work_and_the_judges_own_sheet_as_the_page_draws_them(judge) -> None:
    _session, edition, _user, works, cookies = judge
    card = works[1].submission
    reply = fetch(cookies, asked(edition, card.id))
    assert reply.status == 200, reply.body
    body = reply.json()
    assert body["submission"] == card.id
    work, sheet = body["work"], body["sheet"]
    assert work["submission"] == sheet["submission"] == card.id
    assert work["title"] == clean(card.title)
    assert work["about"][-1].endswith(f" · {card.receipt_code}") and f"จ.{card.province}" in work["about"][-1]
    assert work["locked_note"] is None
    assert [t["label"] for t in work["tabs"]] == ["สไลด์", "หัวข้อตามคู่มือ", "คำตอบแบบสอบถาม", "ใบส่งโครงการ"]
    assert "เริ่มใช้งานจริง:</strong>" in work["tabs"][2]["html"]  # the work's facts, under its answers
    assert (sheet["version"], sheet["state"], sheet["locked"], sheet["has_next"]) == (0, "none", False, True)
    assert [c["id"] for c in sheet["criteria"]] == [c.id for c in edition.scored_criteria]
    assert sheet["labels"]["total"] == "คะแนนรวม" and sheet["sheet"]["points"] == {}

    # The judge's own sheet as stored now, after a slider move saved through the sheet's route.
    c1 = str(edition.scored_criteria[0].id)
    saved = call("POST", SHEET_PATH, body={"submission": card.id, "version": 0, "points": {c1: 6.5}}, cookies=cookies)
    assert saved.status == 200, saved.body
    again = fetch(cookies, asked(edition, card.id, lang="en", more=0)).json()
    assert (again["sheet"]["version"], again["sheet"]["state"], again["sheet"]["has_next"]) == (1, "draft", False)
    assert again["sheet"]["sheet"]["points"] == {c1: 6.5}
    assert again["sheet"]["labels"]["total"] == "Total" and again["work"]["tabs"][0]["label"] == "Slides"
    assert again["sheet"]["signature"] != sheet["signature"]  # another language: drawn afresh


def test_judges_following_to_one_work_share_one_build_of_its_evidence(judge, monkeypatch) -> None:
    session, edition, _user, works, cookies = judge
    other = session.exec(select(User).where(User.username == "judge-opm")).one()
    reads = count_evidence_reads(monkeypatch)
    sub_id = works[0].submission.id
    theirs = session_cookies(session, other.id)
    session.commit()
    first, second = fetch(cookies, asked(edition, sub_id)), fetch(theirs, asked(edition, sub_id))
    assert first.status == second.status == 200
    assert first.json()["work"]["tabs"] == second.json()["work"]["tabs"]
    assert reads == [sub_id]


def test_refused_without_a_judges_session_from_another_site_or_for_a_work_not_theirs(judge) -> None:
    session, edition, user, works, cookies = judge
    sub_id = works[1].submission.id
    executive = auth.create_user(
        session=session, username="exec-w", display_name="ผู้บริหาร", role=Role.executive, password="a-long-password"
    )
    conflicts.declare(
        session=session,
        judge_id=user.id,
        submission_id=sub_id,
        reason=ConflictReason.other,
        note="ญาติ",
        actor="judge-dga",
    )
    session.commit()
    for reply in (
        fetch(None, asked(edition, sub_id)),
        fetch(session_cookies(session, executive.id), asked(edition, sub_id)),
        fetch(cookies, asked(edition, works[0].submission.id), Origin="https://evil.example"),
        fetch(cookies, asked(edition, works[0].submission.id), **{"Sec-Fetch-Site": "cross-site"}),
    ):
        assert reply.status == 403, reply.body
        assert reply.json()["message_th"] and reply.json()["message_en"]
    conflict = fetch(cookies, asked(edition, sub_id))
    assert (conflict.status, conflict.json()["error"]) == (403, "conflict_of_interest")
    assert fetch(cookies, asked(edition, 2**31 - 1)).status == 404
    for query in (
        f"edition={edition.id}&submission=abc&lang=th&next=1",
        f"submission={sub_id}&lang=th&next=1",
        f"edition={edition.id}&submission={sub_id}&lang=fr&next=1",
        f"edition={edition.id}&submission={sub_id}&lang=th&next=2",
        f"edition={edition.id}&submission=-1&lang=th&next=1",
    ):
        assert fetch(cookies, query).status == 400, query
