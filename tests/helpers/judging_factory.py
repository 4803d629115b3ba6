"""Test factory: finish the judging of an edition, so that awards can be confirmed under the default quorum."""

from sqlmodel import Session, col, select

from models import JudgeAssignment, OrgType, Role, ScoreSheet, SheetState, Submission, SubmissionStatus, User
from services.intake import access
from services.judging import completeness, sheets


def submit_missing_sheets(session: Session, edition_id: int) -> int:
    """Every judge who still owes a sheet submits one, giving each criterion the points the work's first counted
    sheet gave it (or 6/10 of the maximum on a work nobody scored yet). On the 2564 demo that is judge-dga, who
    scored nothing on purpose. Returns the number of sheets submitted."""
    state = completeness.edition_completeness(session=session, edition_id=edition_id)
    done = 0
    for work in state.below_quorum:
        first = session.exec(
            select(ScoreSheet)
            .where(ScoreSheet.submission_id == work.submission_id, ScoreSheet.state == SheetState.submitted)
            .order_by(ScoreSheet.judge_id)
        ).first()
        for judge in work.missing:
            sheet = sheets.get_sheet(session=session, judge_id=judge.judge_id, submission_id=work.submission_id)
            if first is not None and first.submitted_points:
                points = {int(c): float(v) for c, v in first.submitted_points.items()}
            else:
                points = {c.criterion_id: c.max_points * 0.6 for c in sheet.criteria}
            user = session.get(User, judge.judge_id)
            assert user is not None
            sheets.save_sheet(
                session=session,
                judge_id=judge.judge_id,
                submission_id=work.submission_id,
                points=points,
                submit=True,
                actor=user.username,
            )
            done += 1
    return done


def new_work_scored_by_one(
    session: Session,
    edition_id: int,
    *,
    judge_username: str = "judge-opm",
    share: float = 0.89,
    title: str = "ระบบใหม่ที่กรรมการให้คะแนนคนเดียว",
) -> int:
    """The issue's case: a new, eligible work assigned to every active judge, of whom one has submitted a sheet
    giving `share` of each criterion's maximum (0.89: 89.00 points on the 2564 criteria)."""
    org = access.find_or_create_organisation(
        session=session, org_type=OrgType.sao, name="ทดสอบองค์ประชุม", province="น่าน"
    )
    sub = Submission(
        edition_id=edition_id,
        organisation_id=org.id,
        title=title,
        category="service",
        status=SubmissionStatus.accepted,
        receipt_code="LDA-QUORUM-0001",
    )
    session.add(sub)
    session.flush()
    judges = session.exec(select(User).where(User.role == Role.judge, col(User.active))).all()
    for j in judges:
        session.add(JudgeAssignment(judge_id=j.id, submission_id=sub.id))
    session.commit()
    scorer = next(j for j in judges if j.username == judge_username)
    criteria = sheets.get_sheet(session=session, judge_id=scorer.id, submission_id=sub.id).criteria
    sheets.save_sheet(
        session=session,
        judge_id=scorer.id,
        submission_id=sub.id,
        points={c.criterion_id: c.max_points * share for c in criteria},
        submit=True,
        actor=scorer.username,
    )
    assert sub.id is not None
    return sub.id
