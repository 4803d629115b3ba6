"""The 2564 reference edition as demo data: criteria, the 45 works, committee accounts and synthetic scores."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, select

from models import (
    AttachmentKind,
    Criterion,
    Edition,
    JudgeAssignment,
    OrgType,
    Phase,
    Role,
    Score,
    ScoreSheet,
    SheetState,
    Submission,
    SubmissionStatus,
    User,
)
from services.contest import demo_files
from services.contest import reference_2564 as ref
from services.contest.edition_config import EditionConfig, dump_config
from services.intake import records, screening
from services.intake.access import find_or_create_organisation
from services.judging import sheets as judging_sheets
from services.platform import audit
from services.platform.auth import hash_password

# For the demo only; README lists them. A real deployment creates its own accounts.
DEMO_PASSWORDS = {Role.organiser: "organiser-2564", Role.executive: "executive-2564", Role.judge: "judge-2564"}
# The DGA judge's sheets are left empty so that a demo user can score and watch the leaderboard move.
UNSCORED_JUDGE = "judge-dga"
# The day the demo stands on, which its edition's phase (judging) agrees with: the intake closed on 31 July, nine
# judges submitted their sheets between 2 and 27 August, the results are announced on 21 September. `make run` sets
# LDAWARD_CLOCK to it (a day: the clock runs on it at the real time of day), so what a visitor scores or confirms is
# stamped on this day too. INTAKE_DAY shows the intake open instead (`make run-intake`).
DEMO_DAY = date(2021, 9, 1)
DEMO_PHASE = Phase.judging
INTAKE_DAY = date(2021, 7, 20)
# The synthetic sheets' times: a day among SHEET_DAYS from SHEETS_FROM, a minute among SHEET_MINUTES in it.
SHEETS_FROM = datetime(2021, 8, 2, tzinfo=UTC)
SHEET_DAYS, SHEET_MINUTES = 25, 600


@dataclass(frozen=True)
class DemoResult:
    edition_id: int
    created: bool
    works: int
    judges: int
    sheets: int


def demo_edition_id(*, session: Session) -> int | None:
    found = session.exec(
        select(Edition.id).where(Edition.year_be == ref.YEAR_BE, Edition.name == ref.EDITION_NAME)
    ).first()
    return found


def load_demo(*, session: Session) -> DemoResult:
    """Load the 2564 edition once; a second call changes nothing."""
    existing = demo_edition_id(session=session)
    if existing is not None:
        return DemoResult(existing, False, len(ref.WORKS), len(ref.COMMITTEE_AGENCIES), 0)
    edition = Edition(
        name=ref.EDITION_NAME,
        year_be=ref.YEAR_BE,
        theme=ref.EDITION_THEME,
        intake_opens_at=ref.INTAKE_OPENS_AT,
        intake_closes_at=ref.INTAKE_CLOSES_AT,
        golive_cutoff=ref.GOLIVE_CUTOFF,
        phase=DEMO_PHASE,
        award_plan=ref.AWARD_PLAN,
        config=dump_config(EditionConfig()),
    )
    session.add(edition)
    session.flush()
    assert edition.id is not None
    criteria = []
    for position, spec in enumerate(ref.CRITERIA, start=1):
        crit = Criterion(
            edition_id=edition.id,
            position=position,
            code=spec.code,
            title_th=spec.title_th,
            title_en=spec.title_en,
            guidance_th=spec.guidance_th,
            max_points=spec.max_points,
            scored=spec.scored,
        )
        session.add(crit)
        criteria.append(crit)
    judges = _demo_accounts(session)
    submissions = _demo_submissions(session, edition.id)
    session.flush()
    _demo_files(session, submissions)
    sheets = _synthetic_scores(session, judges, submissions, [c for c in criteria if c.scored])
    audit.record(
        session=session,
        actor="system",
        action="demo.load",
        entity="edition",
        entity_id=edition.id,
        after={"works": len(submissions), "judges": len(judges), "sheets": sheets},
    )
    session.commit()
    return DemoResult(edition.id, True, len(submissions), len(judges), sheets)


def _demo_accounts(session: Session) -> list[User]:
    hashes = {role: hash_password(pw) for role, pw in DEMO_PASSWORDS.items()}
    for username, name, role, agency in (
        ("organiser", "ทีมผู้จัดงาน DGTi (สาธิต)", Role.organiser, "DGTi สพร."),
        ("executive", "ผู้บริหาร สพร. (สาธิต)", Role.executive, "สพร."),
    ):
        if session.exec(select(User).where(User.username == username)).first() is None:
            session.add(
                User(username=username, display_name=name, role=role, agency=agency, password_hash=hashes[role])
            )
    judges = []
    for code, agency_th, _agency_en in ref.COMMITTEE_AGENCIES:
        username = f"judge-{code}"
        user = session.exec(select(User).where(User.username == username)).first()
        if user is None:
            user = User(
                username=username,
                display_name=f"กรรมการจาก {agency_th} (สาธิต)",
                role=Role.judge,
                agency=agency_th,
                password_hash=hashes[Role.judge],
            )
            session.add(user)
        judges.append(user)
    session.flush()
    return judges


def _demo_submissions(session: Session, edition_id: int) -> list[tuple[Submission, ref.Work]]:
    out = []
    for work in ref.WORKS:
        org = find_or_create_organisation(
            session=session,
            org_type=OrgType(work.org_type),
            name=work.place,
            province=work.province,
            short_name=work.short_name,
            full_name=work.full_name,
        )
        rng = random.Random(f"golive-{work.number}")
        golive = date(2019, 1, 1) + timedelta(days=rng.randrange((date(2021, 1, 31) - date(2019, 1, 1)).days))
        submitted_at = ref.INTAKE_OPENS_AT + timedelta(days=rng.randrange(30), hours=rng.randrange(9, 17))
        assert org.id is not None
        # Illustrative character of each project (not published): about two in three built in-house.
        character = random.Random(f"character-{work.number}")
        in_house = character.random() < 0.65
        sent = submitted_at.astimezone(UTC)
        sub = Submission(
            edition_id=edition_id,
            organisation_id=org.id,
            title=work.title,
            category=work.category,
            status=SubmissionStatus.accepted,
            receipt_code=f"LDA64-DEMO-{work.number:04d}",
            golive_date=golive,
            declarations={"truthful": True, "ownership": True, "final_decision": True, "publicity": True},
            is_demo=True,
            submitted_at=sent,
            created_at=sent,
            updated_at=sent,
            confirmed_at=sent,
            draft_step=6,
            # The published works were screened and found eligible by the organisers.
            digital_declared=True,
            eligibility_confirmed_by="organiser",
            eligibility_confirmed_at=(ref.INTAKE_CLOSES_AT + timedelta(days=1)).astimezone(UTC),
            is_new_initiative=character.random() < 0.7,
            developed_by="in_house" if in_house else "partner",
            partner_name="" if in_house else "ผู้ร่วมพัฒนา (สมมติ)",
            partner_province="" if in_house else work.province,
            answers=demo_files.demo_answers(work.number, work.title),
            **demo_files.demo_contacts(work.number, work.org_type, work.place),  # type: ignore[arg-type]
        )
        session.add(sub)
        out.append((sub, work))
    return out


def _demo_files(session: Session, submissions: list[tuple[Submission, ref.Work]]) -> None:
    """An illustrative deck and scanned form per work, checked and analysed as the intake does, so that judges
    trying the demo see evidence beside the sliders."""
    form = records.Upload("ใบส่งโครงการ-สแกน.pdf", demo_files.demo_signed_form())
    for sub, work in submissions:
        assert sub.id is not None
        deck = records.Upload(
            f"นำเสนอ-{work.number:02d}.pptx", demo_files.demo_deck(work.number, work.title, work.full_name)
        )
        screening.attach_file(session=session, submission_id=sub.id, kind=AttachmentKind.deck, upload=deck)
        screening.attach_file(session=session, submission_id=sub.id, kind=AttachmentKind.signed_form, upload=form)


def _synthetic_scores(
    session: Session, judges: list[User], submissions: list[tuple[Submission, ref.Work]], criteria: list[Criterion]
) -> int:
    """Deterministic, realistic scores: a latent quality per work (the published winners higher), a leniency
    per judge and noise per criterion, in half points. Illustrative only: real scores were not published."""
    sheets = 0
    for judge in judges:
        assert judge.id is not None
        lean = random.Random(f"lean-{judge.username}").uniform(-0.07, 0.07)
        for sub, work in submissions:
            assert sub.id is not None
            session.add(JudgeAssignment(judge_id=judge.id, submission_id=sub.id))
            if judge.username == UNSCORED_JUDGE:
                continue
            quality = random.Random(f"quality-{work.number}").uniform(0.5, 0.74) + (0.16 if work.outstanding else 0)
            rng = random.Random(f"score-{work.number}-{judge.username}")
            at = SHEETS_FROM + timedelta(days=rng.randrange(SHEET_DAYS), minutes=rng.randrange(SHEET_MINUTES))
            given: dict[int, float] = {}
            for crit in criteria:
                assert crit.id is not None
                share = min(1.0, max(0.0, quality + lean + rng.gauss(0, 0.08)))
                given[crit.id] = round(share * crit.max_points * 2) / 2
                session.add(
                    Score(
                        judge_id=judge.id,
                        submission_id=sub.id,
                        criterion_id=crit.id,
                        points=given[crit.id],
                        created_at=at,
                        updated_at=at,
                    )
                )
            frozen, total = judging_sheets.frozen_copy(given)
            session.add(
                ScoreSheet(
                    judge_id=judge.id,
                    submission_id=sub.id,
                    state=SheetState.submitted,
                    updated_at=at,
                    submitted_at=at,
                    submitted_points=frozen,
                    submitted_total=total,
                )
            )
            sheets += 1
    return sheets
