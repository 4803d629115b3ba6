"""Test factory: a demo work with the committee's comments and the applicant's codes, and the 2564 demo taken
through confirmation and announcement, for the feedback report and the public results page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from models import Submission, User
from services.intake import access
from services.intake.records import Access
from services.judging import sheets
from services.results import awards, ranking
from tests.helpers.judging_factory import submit_missing_sheets

TOKEN = "feedback-test-token-2564"
# A judge's words naming themselves and their agency: the report must not carry the sheet's author.
OVERALL = "ควรเพิ่มตัวชี้วัดความพึงพอใจของประชาชน <b>ตัวหนา</b>"
ON_FIRST = "วัตถุประสงค์ชัดเจน"
COORDINATOR_EMAIL = "coordinator@example.go.th"


@dataclass(frozen=True)
class Commented:
    submission_id: int
    access: Access
    judge_name: str
    judge_agency: str


def commented_work(session: Session, edition_id: int, *, place: int = 0) -> Commented:
    """The work ranked `place` (0: first) gets judge-dga's sheet with a comment on its first criterion and an
    overall one, an edit code its applicant can open it with, and a coordinator's address."""
    sid = ranking.leaderboard(session=session, edition_id=edition_id).rows[place].submission_id
    judge = session.exec(select(User).where(User.username == "judge-dga")).one()
    sheet = sheets.get_sheet(session=session, judge_id=judge.id, submission_id=sid)
    first = sheet.criteria[0].criterion_id
    sheets.save_sheet(
        session=session,
        judge_id=judge.id,
        submission_id=sid,
        points={c.criterion_id: c.max_points * 0.8 for c in sheet.criteria},
        comments={first: ON_FIRST},
        overall_comment=OVERALL,
        submit=True,
        actor=judge.username,
    )
    sub = session.get(Submission, sid)
    assert sub is not None
    sub.edit_token_hash = access.hash_token(TOKEN)
    sub.coordinator_email = COORDINATOR_EMAIL  # the demo's works have none: nobody to mail
    session.add(sub)
    session.commit()
    return Commented(sid, Access(sub.receipt_code, TOKEN), judge.display_name, judge.agency)


def announce(session: Session, edition_id: int) -> None:
    """Every owed sheet submitted, the proposal confirmed, the results announced."""
    submit_missing_sheets(session, edition_id)
    awards.confirm_awards(session=session, edition_id=edition_id, actor="organiser")
    awards.announce(session=session, edition_id=edition_id, actor="organiser")
