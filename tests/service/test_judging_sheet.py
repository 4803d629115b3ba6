"""The scoring page's service side: evidence beside the sliders, suggested points, next unscored, the blind rule,
and judging closing with the results phase."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from models import Attachment, AttachmentKind, Phase, Submission, User
from services.contest import editions
from services.intake import records, screening
from services.judging import blind, evidence, sheets, worklist
from services.platform.errors import Forbidden, ValidationFailed
from tests.factories_files import contest_deck


@pytest.fixture
def dga(demo_session: Session) -> tuple[Session, editions.EditionView, User, int]:
    edition = editions.current_edition(session=demo_session)
    assert edition is not None
    user = demo_session.exec(select(User).where(User.username == "judge-dga")).one()
    sub_id = worklist.list_assignments(session=demo_session, judge_id=user.id, edition_id=edition.id)[0].submission.id
    return demo_session, edition, user, sub_id


def test_evidence_reads_the_stored_deck_and_suggests_checklist_points(dga) -> None:
    session, edition, user, sub_id = dga
    # Replaces the demo's illustrative deck with the 16-slide contest deck.
    screening.attach_file(
        session=session,
        submission_id=sub_id,
        kind=AttachmentKind.deck,
        upload=records.Upload("deck.pptx", contest_deck()),
    )
    sub = session.get(Submission, sub_id)
    sub.answers = {
        "digital_tools": ["e_service", "chatbot", "mobile_app"],
        "communication_channels": ["website", "facebook", "line_oa", "youtube", "tiktok", "sms", "email"],
    }
    sub.coordinator_phone = "0812345678"
    session.add(sub)
    session.commit()
    ev = evidence.evidence(session=session, judge_id=user.id, submission_id=sub_id)
    assert ev.deck_name == "deck.pptx" and len(ev.slides) == 16
    assert ev.slides[13].title == "Roadmap ช่วง 3–6 เดือน"
    roadmap = next(t for t in ev.topics if t.code == "roadmap")
    assert roadmap.slides == (14, 15)
    assert not next(t for t in ev.topics if t.code == "datasets").covered
    by_code = {c.code: c.id for c in edition.scored_criteria}
    assert ev.suggestions[by_code["digital_tools"]].points == 3.0
    assert ev.suggestions[by_code["communication"]].points == 5.0  # seven channels, capped at the criterion's 5
    assert "0812345678" not in repr(ev)  # no contact details reach a judge


def test_evidence_without_files_says_so(dga) -> None:
    session, _, user, sub_id = dga
    for attached in session.exec(select(Attachment).where(Attachment.submission_id == sub_id)).all():
        session.delete(attached)  # the demo gives every work files and answers; this one arrives without
    work = session.get(Submission, sub_id)
    work.answers = {}
    session.add(work)
    session.commit()
    ev = evidence.evidence(session=session, judge_id=user.id, submission_id=sub_id)
    assert ev.slides == () and ev.deck_problem_th == "ไม่มีไฟล์นำเสนอแนบมา"
    assert ev.suggestions == {}


def test_next_unscored_skips_submitted_and_conflicted_and_wraps_round(dga) -> None:
    session, edition, user, _ = dga
    rows = worklist.list_assignments(session=session, judge_id=user.id, edition_id=edition.id)
    ids = [r.submission.id for r in rows]
    assert worklist.next_unscored(rows, ids[0]) == ids[1]
    sheets.save_sheet(
        session=session,
        judge_id=user.id,
        submission_id=ids[1],
        submit=True,
        actor="judge-dga",
        points={c.id: 1.0 for c in edition.scored_criteria},
    )
    rows = worklist.list_assignments(session=session, judge_id=user.id, edition_id=edition.id)
    assert worklist.next_unscored(rows, ids[0]) == ids[2]
    assert worklist.next_unscored(rows, ids[-1]) == ids[0]
    only = [r for r in rows if r.submission.id in (ids[0], ids[1])]
    assert worklist.next_unscored(only, ids[0]) is None


def test_judges_are_blind_until_the_results_phase_and_then_scoring_is_closed(dga) -> None:
    session, edition, user, sub_id = dga
    with pytest.raises(Forbidden) as e:
        blind.panel_scores(session=session, judge_id=user.id, submission_id=sub_id)
    assert e.value.code == "blind"
    editions.update_edition(session=session, edition_id=edition.id, phase=Phase.results, actor="organiser")
    panel = blind.panel_scores(session=session, judge_id=user.id, submission_id=sub_id)
    assert len(panel) == 9 and all(0 < p.total <= 100 for p in panel)
    with pytest.raises(ValidationFailed) as closed:
        sheets.save_sheet(session=session, judge_id=user.id, submission_id=sub_id, points={}, actor="judge-dga")
    assert closed.value.code == "judging_closed"


def test_an_edition_without_blind_judging_shows_the_panel_during_judging(dga) -> None:
    session, edition, user, sub_id = dga
    editions.update_edition(
        session=session,
        edition_id=edition.id,
        actor="organiser",
        config=edition.config.model_copy(update={"blind_until_results": False}),
    )
    assert len(blind.panel_scores(session=session, judge_id=user.id, submission_id=sub_id)) == 9


def test_reopening_bumps_the_version_so_an_open_tab_must_reload(dga) -> None:
    session, edition, user, sub_id = dga
    sheet = sheets.save_sheet(
        session=session,
        judge_id=user.id,
        submission_id=sub_id,
        submit=True,
        actor="judge-dga",
        points={c.id: 2.0 for c in edition.scored_criteria},
    )
    sheets.reopen_sheet(session=session, judge_id=user.id, submission_id=sub_id, reason="แก้ไข", actor="organiser")
    with pytest.raises(sheets.SheetChanged):
        sheets.save_sheet(
            session=session,
            judge_id=user.id,
            submission_id=sub_id,
            points={},
            actor="judge-dga",
            expected_version=sheet.version,
        )


def test_a_sheet_saved_on_the_demo_day_is_stamped_with_the_contest_clock(dga, monkeypatch) -> None:
    from services.contest import demo
    from services.platform.settings import get_settings
    from services.thai.dates import to_bangkok

    session, edition, user, sub_id = dga
    monkeypatch.setenv("LDAWARD_CLOCK", demo.DEMO_DAY.isoformat())
    get_settings.cache_clear()
    try:
        sheet = sheets.save_sheet(
            session=session,
            judge_id=user.id,
            submission_id=sub_id,
            actor="judge-dga",
            points={edition.scored_criteria[0].id: 2.0},
        )
        saved, _ = sheets.save_changes(
            session=session,
            judge_id=user.id,
            submission_id=sub_id,
            points={edition.scored_criteria[1].id: 3.0},
            comments={},
            overall_comment=None,
            actor="judge-dga",
        )
    finally:
        get_settings.cache_clear()
    assert sheet.updated_at is not None and saved.updated_at is not None
    assert to_bangkok(sheet.updated_at).date() == demo.DEMO_DAY
    assert to_bangkok(saved.updated_at).date() == demo.DEMO_DAY
    assert saved.updated_at >= sheet.updated_at
