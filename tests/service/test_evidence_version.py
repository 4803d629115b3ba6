"""The key of the evidence every judge's page shares (evidence.work_version): it moves when what a judge reads of a
work does — an intake step or a screening decision, a replaced file — and not otherwise, and it carries the current
round (the page's notes on earlier rounds key on it). SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from models import Attachment, AttachmentKind, JudgeAssignment, Submission, User
from services.contest import editions
from services.intake import files
from services.intake.records import Upload
from services.judging import evidence, rounds, sheets, worklist
from services.platform.errors import Forbidden, NotFound
from tests.factories_files import contest_deck


def test_the_version_moves_with_an_edit_and_a_new_file_and_names_the_round(demo_session: Session) -> None:
    sub = demo_session.exec(select(Submission).order_by(Submission.id)).first()
    assert sub is not None and sub.id is not None
    deck = demo_session.exec(
        select(Attachment).where(Attachment.submission_id == sub.id, Attachment.kind == AttachmentKind.deck)
    ).one()
    first = evidence.work_version(session=demo_session, submission_id=sub.id)
    assert first.deck_sha256 == deck.sha256 and first.round_no == 1
    assert evidence.work_version(session=demo_session, submission_id=sub.id) == first  # nothing changed: same key

    sub.updated_at = sub.updated_at + timedelta(minutes=1)  # what every intake step and screening decision does
    demo_session.add(sub)
    demo_session.commit()
    edited = evidence.work_version(session=demo_session, submission_id=sub.id)
    assert edited.changed != first.changed and edited.deck_sha256 == first.deck_sha256

    data = contest_deck()
    files.attach_upload(demo_session, sub.id, AttachmentKind.deck, Upload("new.pptx", data), {})
    demo_session.commit()
    replaced = evidence.work_version(session=demo_session, submission_id=sub.id)
    assert replaced.changed != edited.changed and replaced.deck_sha256 == files.store_file(
        session=demo_session, data=data
    )

    edition = editions.current_edition(session=demo_session)
    assert edition is not None
    assert rounds.current_round_no(session=demo_session, edition_id=edition.id) == replaced.round_no == 1
    assert evidence.work_version(session=demo_session, submission_id=10**9) == evidence.WorkVersion("", "")


def test_the_sheet_on_screen_is_get_sheet_and_work_version_in_two_statements(demo_session: Session) -> None:
    """What a judge's page reads on every follow of the live session (evidence.sheet_on_screen): the same sheet and
    version as get_sheet and work_version, in two statements (the work, its sheet and version; the criteria), a third
    only once text is typed; and the same refusals."""
    edition = editions.current_edition(session=demo_session)
    assert edition is not None
    judge = demo_session.exec(select(User).where(User.username == "judge-dga")).one()
    rows = worklist.list_assignments(session=demo_session, judge_id=judge.id, edition_id=edition.id)
    work = next(a.submission.id for a in rows if a.state != "submitted")
    sheets.save_changes(
        session=demo_session,
        judge_id=judge.id,
        submission_id=work,
        points={},
        comments={},
        overall_comment=None,
        actor=judge.username,
    )
    statements: list[str] = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    engine = demo_session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        for typed_text in ("", "พิมพ์ไว้ก่อนให้คะแนน"):
            if typed_text:
                unscored = next(
                    c.criterion_id
                    for c in sheets.get_sheet(session=demo_session, judge_id=judge.id, submission_id=work).criteria
                    if c.points is None
                )
                sheets.save_changes(
                    session=demo_session,
                    judge_id=judge.id,
                    submission_id=work,
                    points={},
                    comments={unscored: typed_text},
                    overall_comment=None,
                    actor=judge.username,
                )
            statements.clear()
            sheet, version = evidence.sheet_on_screen(session=demo_session, judge_id=judge.id, submission_id=work)
            assert len(statements) == (3 if typed_text else 2)
            assert sheet == sheets.get_sheet(session=demo_session, judge_id=judge.id, submission_id=work)
            assert version == evidence.work_version(session=demo_session, submission_id=work)
            assert (typed_text in dict(sheet.typed).values()) == bool(typed_text) and version.deck_sha256
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)

    other = next(a.submission.id for a in rows if a.submission.id != work)
    for assignment in demo_session.exec(
        select(JudgeAssignment).where(JudgeAssignment.judge_id == judge.id, JudgeAssignment.submission_id == other)
    ):
        demo_session.delete(assignment)  # taken off this judge's list
    demo_session.commit()
    for judge_id, work_id, refusal in ((judge.id, 10**9, NotFound), (judge.id, other, Forbidden)):
        for read in (sheets.get_sheet, evidence.sheet_on_screen):
            with pytest.raises(refusal):
                read(session=demo_session, judge_id=judge_id, submission_id=work_id)
