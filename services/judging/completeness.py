"""Judging completeness: per work the sheets expected, submitted, in draft and missing, and whether the work meets
the edition's quorum; per judge what they still owe. One read model for the ranking, the awards and the desk."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from models import JudgeAssignment, Organisation, Role, ScoreSheet, SheetState, Submission, User
from models.rounds import FIRST_ROUND
from services.contest.editions import get_edition, update_edition
from services.judging import rounds
from services.judging.conflicts import conflicted_pairs
from services.judging.guards import JUDGEABLE
from services.platform.db import plain_rows
from services.platform.errors import ValidationFailed
from services.thai.collation import thai_sort_key

# How many works a refusal names before "and N more": the awards page shows the full list.
NAMED_IN_MESSAGE = 3


# --- the pure rule ------------------------------------------------------------------------------------------------


def meets_quorum(expected: int, submitted: int, min_sheets: int | None) -> bool:
    """The edition's quorum: min_sheets None asks every expected judge's sheet, k asks at least k sheets. A work
    nobody is expected to judge is not judged."""
    if expected == 0 and submitted == 0:
        return False
    if min_sheets is None:
        return submitted >= expected
    return submitted >= min_sheets


def below_quorum(counted: Mapping[int, Collection[int]], owed: Mapping[int, int], min_sheets: int | None) -> set[int]:
    """The works of counted (work -> the judges whose submitted sheet counts) that do not meet the quorum, owed
    giving the sheets still owed on each (owed_sheets): meets_quorum for each work, in bulk for a ranking's 10,000."""
    if min_sheets is None:
        return {s for s, judges in counted.items() if not judges or owed.get(s, 0) > 0}
    return {s for s, judges in counted.items() if len(judges) < min_sheets}


def quorum_label(submitted: int, expected: int) -> tuple[str, str]:
    """The marker shown beside a work's score, e.g. '2/10 กรรมการ'."""
    return f"{submitted}/{expected} กรรมการ", f"{submitted}/{expected} judges"


@dataclass(frozen=True)
class JudgeRef:
    judge_id: int
    username: str
    display_name: str


@dataclass(frozen=True)
class WorkCompleteness:
    submission_id: int
    title: str
    short_name: str
    province: str
    expected: int  # assigned judges, less those with a conflict (plus any other judge whose sheet counts)
    submitted: int
    draft: int
    missing: tuple[JudgeRef, ...]  # expected judges with no submitted sheet (a draft is still missing)
    meets_quorum: bool

    def label(self, lang: str = "th") -> str:
        th, en = quorum_label(self.submitted, self.expected)
        return en if lang == "en" else th


def below_quorum_order(works: Iterable[WorkCompleteness]) -> list[WorkCompleteness]:
    """Below-quorum works as a refusal names them: the most missing sheets first, then by Thai name."""
    return sorted(
        (w for w in works if not w.meets_quorum),
        key=lambda w: (-len(w.missing), w.submitted, thai_sort_key(w.short_name), w.submission_id),
    )


def refusal_text(works: Sequence[WorkCompleteness], named: int = NAMED_IN_MESSAGE) -> tuple[str, str]:
    """A readable refusal (Thai, English) naming the first works with the judges who still owe a sheet."""
    ordered = below_quorum_order(works)
    th_parts, en_parts = [], []
    for w in ordered[:named]:
        judges = ", ".join(j.display_name for j in w.missing) or "—"
        th_parts.append(f"“{w.short_name} · {w.title}” ({w.submitted}/{w.expected} กรรมการ · ยังไม่ส่ง: {judges})")
        en_parts.append(f"“{w.short_name} · {w.title}” ({w.submitted}/{w.expected} judges · missing: {judges})")
    more = len(ordered) - named
    th = (
        f"ยังมี {len(ordered)} ผลงานที่ได้รับคะแนนไม่ครบองค์ประชุม จึงยืนยันผลรางวัลไม่ได้: "
        + "; ".join(th_parts)
        + (f" และอีก {more} ผลงาน" if more > 0 else "")
        + " — ให้กรรมการส่งใบให้คะแนนให้ครบ หรือระบุเหตุผลเพื่อยืนยันทั้งที่ไม่ครบ"
    )
    en = (
        f"{len(ordered)} works are below the judging quorum, so the awards cannot be confirmed: "
        + "; ".join(en_parts)
        + (f" and {more} more" if more > 0 else "")
        + " — have the judges submit their sheets, or give a reason to confirm anyway."
    )
    return th, en


def set_judging_deadline(*, session: Session, edition_id: int, deadline: datetime | None, actor: str) -> None:
    """The date and time by which judges must have submitted (None clears it); audited with the edition."""
    if deadline is not None and deadline.tzinfo is None:
        raise ValidationFailed("naive_deadline", "กำหนดส่งคะแนนต้องระบุเขตเวลา", "The judging deadline needs a time zone.")
    config = get_edition(session=session, edition_id=edition_id).config
    stored = deadline.astimezone(UTC) if deadline else None
    update_edition(
        session=session,
        edition_id=edition_id,
        actor=actor,
        config=config.model_copy(update={"judging_deadline": stored}),
    )


def set_quorum_rule(*, session: Session, edition_id: int, min_sheets: int | None, actor: str) -> None:
    """The edition's quorum: None asks every assigned judge without a conflict, k at least k submitted sheets;
    audited with the edition."""
    if min_sheets is not None and min_sheets < 1:
        raise ValidationFailed(
            "bad_quorum", "องค์ประชุมต้องมีใบให้คะแนนอย่างน้อย 1 ใบ", "A quorum needs at least one submitted sheet."
        )
    config = get_edition(session=session, edition_id=edition_id).config
    update_edition(
        session=session,
        edition_id=edition_id,
        actor=actor,
        config=config.model_copy(update={"quorum_min_sheets": min_sheets}),
    )


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs several times more; a ranking makes 10,000
class WorkQuorum:
    """Where a ranked work stands against the quorum: the ranking's share of WorkCompleteness."""

    expected: int
    submitted: int
    meets_quorum: bool


def quorum_of_counted(
    *, session: Session, edition_id: int, counted: Mapping[int, Collection[int]], round_no: int | None = None
) -> dict[int, WorkQuorum]:
    """The quorum of the works in counted (work -> the judges whose submitted sheet counts, as the ranking read
    them), the same figures as edition_completeness gives those works.

    A counted sheet's judge is always expected, so a work's expected sheets are its counted ones plus the sheets
    still owed on it (owed_sheets).
    """
    chosen = rounds.get_round(session=session, edition_id=edition_id, round_no=round_no)
    rule = chosen.quorum_min_sheets
    owed = owed_sheets(session=session, edition_id=edition_id, counted=counted, round_no=chosen.position)
    out = {}
    for sid, judges in counted.items():
        done = len(judges)
        expected = done + owed.get(sid, 0)
        out[sid] = WorkQuorum(expected, done, meets_quorum(expected, done, rule))
    return out


def owed_sheets(
    *,
    session: Session,
    edition_id: int,
    counted: Mapping[int, Collection[int]],
    conflicts: Collection[tuple[int, int]] | None = None,
    round_no: int = FIRST_ROUND,
) -> dict[int, int]:
    """Per work of counted (work -> the judges whose submitted sheet counts), the sheets still owed on it: its
    active assigned judges in round_no with no conflict on it and no counted sheet; works owing none are left out.

    The database gives the round's assignments that have no submitted sheet (_unsheeted_assignments), and only
    those few pairs are checked here against the active judges and the edition's conflicts (conflicts passes in the
    (judge, work) pairs conflicted_pairs gave). A conflicted sheet never counts and neither does its assignment, so
    the result is that of matching the counted sheets themselves, which in Python cost a fifth of a national
    ranking (its 50,000 assignments read and matched).
    """
    if not counted:
        return {}
    unsheeted = unsheeted_assignments(session=session, round_no=round_no, works=(min(counted), max(counted)))
    if conflicts is None:
        conflicts = conflicted_pairs(session, edition_id) if unsheeted.pairs else ()
    return unsheeted.owed(counted, conflicts)


WorkRange = tuple[int, int]  # the lowest and highest id of the works a read is about (an edition's)


@dataclass(frozen=True)
class Unsheeted:
    """A round's assignments with no submitted sheet, and the active judges: what owed_sheets reads, apart from the
    counted sheets it matches them with (a ranking reads both at once, on two connections)."""

    pairs: Sequence[tuple[int, int]]  # (judge, work)
    active: frozenset[int]  # the active judges' ids; empty when pairs is

    def owed(self, counted: Mapping[int, Collection[int]], conflicts: Collection[tuple[int, int]]) -> dict[int, int]:
        """owed_sheets of counted, given the edition's conflicted (judge, work) pairs."""
        owed: dict[int, int] = {}
        active = self.active
        for judge_id, sid in self.pairs:
            if sid in counted and judge_id in active and (judge_id, sid) not in conflicts:
                owed[sid] = owed.get(sid, 0) + 1
        return owed


def unsheeted_assignments(*, session: Session, round_no: int, works: WorkRange | None) -> Unsheeted:
    """Unsheeted of round_no. works: the lowest and highest id of the works that matter, which trims the read to the
    edition; None reads every work's."""
    low, high = works if works is not None else (-(2**62), 2**62)
    pairs = plain_rows(session, _unsheeted_assignments(session, round_no, low, high))
    if not pairs:
        return Unsheeted((), frozenset())
    active = plain_rows(session, sa.select(col(User.id)).where(col(User.role) == Role.judge, col(User.active)))
    return Unsheeted(pairs, frozenset(j for (j,) in active))


def _unsheeted_assignments(session: Session, round_no: int, low: int, high: int) -> Any:
    """(judge, work) of round_no's assignments with no submitted sheet, among the works low..high (the caller's
    edition's ids, which the caller still filters by), in each database's fast form of this anti-join. Both walk the
    work-led indexes of the assignments and the score sheets side by side (migration 0011), where the range is one
    stretch of each: they read only the edition's entries, however many other editions the database keeps. SQLite
    merges an EXCEPT ordered as those indexes are (it runs NOT EXISTS as a probe per assignment); PostgreSQL merges a
    NOT EXISTS (it hashes both sides of an EXCEPT)."""
    a, sh = JudgeAssignment, ScoreSheet
    submitted = (col(sh.round_no) == round_no, col(sh.state) == SheetState.submitted)
    if session.connection().dialect.name == "postgresql":
        has_sheet = (
            sa.select(sa.literal(1))
            .where(
                col(sh.submission_id) == col(a.submission_id),
                col(sh.judge_id) == col(a.judge_id),
                col(sh.submission_id).between(low, high),
                *submitted,
            )
            .exists()
        )
        return sa.select(col(a.judge_id), col(a.submission_id)).where(
            col(a.submission_id).between(low, high), col(a.round_no) == round_no, ~has_sheet
        )
    return sa.except_(
        sa.select(col(a.judge_id), col(a.submission_id)).where(
            col(a.round_no) == round_no, col(a.submission_id).between(low, high)
        ),
        sa.select(col(sh.judge_id), col(sh.submission_id)).where(*submitted, col(sh.submission_id).between(low, high)),
    ).order_by(sa.literal_column("2"), sa.literal_column("1"))  # work, then judge: the indexes' order


# --- the read model -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JudgeOwed:
    judge_id: int
    username: str
    display_name: str
    agency: str
    expected: int
    submitted: int
    draft: int
    owed: tuple[int, ...]  # submission ids still without this judge's submitted sheet
    last_activity: datetime | None  # the judge's latest sheet save or sign-in


@dataclass(frozen=True)
class Completeness:
    edition_id: int
    min_sheets: int | None
    deadline: datetime | None
    works: tuple[WorkCompleteness, ...]  # most missing sheets first
    judges: tuple[JudgeOwed, ...]  # most owed first

    @property
    def below_quorum(self) -> tuple[WorkCompleteness, ...]:
        return tuple(w for w in self.works if not w.meets_quorum)

    @property
    def complete(self) -> bool:
        return not self.below_quorum

    def by_work(self) -> dict[int, WorkCompleteness]:
        return {w.submission_id: w for w in self.works}


@dataclass
class _Tally:
    judges: dict[Any, Any]  # judge id -> (id, username, display name, agency, active, last sign-in)
    expected: dict[int, set[int]]
    submitted: dict[int, set[int]]
    drafts: dict[int, set[int]]
    last_sheet: dict[int, datetime]


def _tally(session: Session, edition_id: int, in_edition: Any, round_no: int = FIRST_ROUND) -> _Tally:
    """Per work the judges expected, submitted and in draft, and each judge's latest sheet save (four queries:
    judges, assignments, sheets, conflicts)."""
    conn = session.connection()
    judges = {
        r[0]: r
        for r in conn.execute(
            sa.select(
                col(User.id),
                col(User.username),
                col(User.display_name),
                col(User.agency),
                col(User.active),
                col(User.last_login_at),
            ).where(col(User.role) == Role.judge)
        ).all()
    }
    assigned = _plain_rows(
        conn,
        sa.select(col(JudgeAssignment.submission_id), col(JudgeAssignment.judge_id)).where(
            col(JudgeAssignment.submission_id).in_(in_edition), col(JudgeAssignment.round_no) == round_no
        ),
    )
    sheets = conn.execute(
        sa.select(
            col(ScoreSheet.submission_id), col(ScoreSheet.judge_id), col(ScoreSheet.state), col(ScoreSheet.updated_at)
        ).where(col(ScoreSheet.submission_id).in_(in_edition), col(ScoreSheet.round_no) == round_no)
    ).all()
    conflicts = conflicted_pairs(session, edition_id)

    expected: dict[int, set[int]] = {}
    for sid, jid in assigned:
        j = judges.get(jid)
        if j is not None and j[4] and (jid, sid) not in conflicts:
            expected.setdefault(sid, set()).add(jid)
    submitted: dict[int, set[int]] = {}
    drafts: dict[int, set[int]] = {}
    last_sheet: dict[int, datetime] = {}
    for sid, jid, state, updated in sheets:
        if updated is not None and (jid not in last_sheet or updated > last_sheet[jid]):
            last_sheet[jid] = updated
        if (jid, sid) in conflicts:
            continue
        if state == SheetState.submitted:
            submitted.setdefault(sid, set()).add(jid)
            expected.setdefault(sid, set()).add(jid)  # a counted sheet is always expected
        elif sid in expected and jid in expected[sid]:
            drafts.setdefault(sid, set()).add(jid)
    return _Tally(judges, expected, submitted, drafts, last_sheet)


def _plain_rows(conn: sa.Connection, stmt: Any) -> Sequence[Any]:
    """The driver's own tuples, for columns needing no conversion (ids, the sheet state's text): a national
    edition's 100,000 assignments and sheets cost a SQLAlchemy Row each otherwise."""
    result = conn.execute(stmt)
    try:
        rows: Sequence[Any] = result.cursor.fetchall()
    finally:
        result.close()
    return rows


def _judgeable(edition_id: int) -> Any:
    return sa.select(col(Submission.id)).where(
        col(Submission.edition_id) == edition_id, col(Submission.status).in_(JUDGEABLE)
    )


def edition_completeness(*, session: Session, edition_id: int, round_no: int | None = None) -> Completeness:
    """Five queries whatever the edition's size: works, assignments, sheets, conflicts, judges. round_no: the round
    (the current one when None); a later round's works are those the round before advanced."""
    edition = get_edition(session=session, edition_id=edition_id)
    chosen = rounds.get_round(session=session, edition_id=edition_id, round_no=round_no)
    rule = chosen.quorum_min_sheets
    in_edition = _judgeable(edition_id)
    admitted = rounds.works_in_round(session=session, edition_id=edition_id, round_no=chosen.position)
    if admitted is not None:
        in_edition = in_edition.where(col(Submission.id).in_(sorted(admitted)))
    works = (
        session.connection()
        .execute(
            sa.select(
                col(Submission.id), col(Submission.title), col(Organisation.short_name), col(Organisation.province)
            )
            .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
            .where(col(Submission.id).in_(in_edition))
        )
        .all()
    )
    tally = _tally(session, edition_id, in_edition, chosen.position)
    judges, expected, submitted, drafts, last_sheet = (
        tally.judges,
        tally.expected,
        tally.submitted,
        tally.drafts,
        tally.last_sheet,
    )

    def ref(jid: int) -> JudgeRef:
        j = judges.get(jid)
        return JudgeRef(jid, j[1], j[2] or j[1]) if j else JudgeRef(jid, str(jid), str(jid))

    out = []
    for row in works:
        work_id = row[0]
        assert work_id is not None
        title, short_name, province = row[1], row[2], row[3]
        exp, done = expected.get(work_id, set()), submitted.get(work_id, set())
        missing = tuple(sorted((ref(j) for j in exp - done), key=lambda r: (thai_sort_key(r.display_name), r.judge_id)))
        out.append(
            WorkCompleteness(
                work_id,
                title,
                short_name,
                province,
                len(exp),
                len(done),
                len(drafts.get(work_id, set())),
                missing,
                meets_quorum(len(exp), len(done), rule),
            )
        )
    out.sort(key=lambda w: (w.meets_quorum, -len(w.missing), w.submitted, thai_sort_key(w.short_name), w.submission_id))

    owed_by: dict[int, list[int]] = {}
    counts: dict[int, list[int]] = {}  # judge -> [expected, submitted, draft]
    for w in out:
        for jid in expected.get(w.submission_id, set()):
            c = counts.setdefault(jid, [0, 0, 0])
            c[0] += 1
            if jid in submitted.get(w.submission_id, set()):
                c[1] += 1
            else:
                owed_by.setdefault(jid, []).append(w.submission_id)
                if jid in drafts.get(w.submission_id, set()):
                    c[2] += 1
    owed = []
    for jid, (n_exp, n_sub, n_draft) in counts.items():
        j = judges.get(jid)
        login = j[5] if j else None
        seen = [t for t in (last_sheet.get(jid), login) if t is not None]
        owed.append(
            JudgeOwed(
                jid,
                j[1] if j else str(jid),
                (j[2] or j[1]) if j else str(jid),
                j[3] if j else "",
                n_exp,
                n_sub,
                n_draft,
                tuple(owed_by.get(jid, ())),
                max(seen) if seen else None,
            )
        )
    owed.sort(key=lambda o: (-len(o.owed), thai_sort_key(o.display_name), o.judge_id))
    return Completeness(edition_id, rule, edition.config.judging_deadline, tuple(out), tuple(owed))
