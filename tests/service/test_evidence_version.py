"""The key of the evidence every judge's page shares (evidence.work_version): it moves when what a judge reads of a
work does — an intake step or a screening decision, a replaced file — and not otherwise, and it carries the current
round (the page's notes on earlier rounds key on it). SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from models import Attachment, AttachmentKind, Submission
from services.contest import editions
from services.intake import files
from services.intake.records import Upload
from services.judging import evidence, rounds
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
