"""The feedback report to each entrant: its points against the field and the winners, its rank band, the
committee's comments (anonymised, as the organisers edited them) and the deck topics it missed; released by the
organisers once the results are announced, and invisible to the applicant until then."""

from __future__ import annotations

import hashlib
import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import fmean

from pptx.enum.text import PP_ALIGN
from sqlmodel import Session, col, select

from models import (
    Attachment,
    AttachmentKind,
    ConflictOfInterest,
    Edition,
    FeedbackCommentEdit,
    FeedbackRelease,
    Organisation,
    Phase,
    Role,
    Score,
    ScoreSheet,
    SheetState,
    Submission,
    User,
)
from models.rounds import FIRST_ROUND
from services.contest import papers
from services.contest.editions import EditionView, get_edition
from services.intake import files, flow
from services.intake.records import Access
from services.judging.guards import JUDGEABLE
from services.mail import notify
from services.platform import audit
from services.platform.errors import Forbidden, NotFound, ValidationFailed
from services.platform.safe_text import clean
from services.results import awards
from services.results import ranking as results
from services.thai.dates import format_thai_date, to_bangkok

# A rephrased comment is one judge's paragraph, not a document.
COMMENT_CHARS = 2000
# The bands a work's rank is given in, by the share of the ranked works at or above it (upper bound, in %).
BANDS: tuple[tuple[int, str, str], ...] = (
    (10, "กลุ่มร้อยละ 10 แรก", "top 10 %"),
    (25, "กลุ่มร้อยละ 11–25", "11–25 %"),
    (50, "กลุ่มร้อยละ 26–50", "26–50 %"),
    (100, "กลุ่มร้อยละ 51–100", "51–100 %"),
)
SCORE, SHEET = "score", "sheet"  # where a comment lives: a criterion's score, or the sheet's overall comment


def rank_band(rank: int, works: int) -> tuple[str, str]:
    """The band of a rank among works ranked works, in Thai and English: rank 1 of 45 is the top 10 %."""
    if works <= 0 or not 1 <= rank <= works:
        raise ValueError(f"rank {rank} of {works}")
    share = math.ceil(100 * rank / works)
    return next((th, en) for upper, th, en in BANDS if share <= upper)


# --- read models ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionLine:
    number: int
    title_th: str
    title_en: str
    max_points: int
    points: float | None  # this work's mean over its counted sheets; None when no sheet scored it
    mean_all: float | None
    mean_winners: float | None


@dataclass(frozen=True)
class ReportComment:
    criterion_th: str  # empty for a sheet's overall comment
    text: str


@dataclass(frozen=True)
class FeedbackReport:
    edition_id: int
    edition_name: str
    year_be: int
    submission_id: int
    receipt_code: str
    title: str
    organisation: str
    province: str
    award_th: str  # the award level won, or empty
    criteria: tuple[CriterionLine, ...]
    score: float | None
    mean_all: float | None
    mean_winners: float | None
    max_total: int
    works: int  # ranked works
    band_th: str
    band_en: str
    rank: int | None  # only when the organiser chose to show it
    comments: tuple[ReportComment, ...]
    coverage: tuple[str, ...]  # the deck's topic checklist, e.g. "Roadmap: สไลด์ 14–15"
    missed_topics: tuple[str, ...]
    released_at: datetime | None


@dataclass(frozen=True)
class ReviewComment:
    """A comment as the organisers review it: no judge named, the original beside what the entrant will read."""

    key: str  # "score:<id>" or "sheet:<id>"
    submission_id: int
    title: str
    criterion_th: str
    original: str
    hidden: bool
    shown: str  # what the report prints (empty when hidden)


@dataclass(frozen=True)
class ReleaseState:
    announced: bool
    works: int
    released: int
    released_ids: frozenset[int]


# --- the edition's figures, computed once for all its reports --------------------------------------------------------


@dataclass(frozen=True)
class _Figures:
    edition: EditionView
    rows: dict[int, results.LeaderboardRow]
    works: int
    means: dict[int, dict[int, float]]  # submission -> criterion id -> mean
    winners: dict[int, str]  # submission -> award level name
    mean_all: dict[int, float]
    mean_winners: dict[int, float]
    total_all: float | None
    total_winners: float | None


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return round(fmean(values), 2) if values else None


def _figures(session: Session, edition_id: int) -> _Figures:
    edition = get_edition(session=session, edition_id=edition_id)
    # The first round's figures: every work was judged there, on the edition's own criteria, so each entrant's
    # report compares like with like (a later round judges a shortlist, on criteria of its own).
    board = results.leaderboard(session=session, edition_id=edition_id, criterion_detail=False, round_no=FIRST_ROUND)
    rows = {r.submission_id: r for r in board.rows}
    means = results.criterion_means(session=session, edition_id=edition_id, round_no=FIRST_ROUND)
    winners = {a.submission_id: a.level_th for a in awards.confirmed_awards(session=session, edition_id=edition_id)}
    mean_all, mean_winners = {}, {}
    for c in edition.scored_criteria:
        mean_all[c.id] = _mean(m[c.id] for m in means.values() if c.id in m)
        mean_winners[c.id] = _mean(means[s][c.id] for s in winners if c.id in means.get(s, {}))
    return _Figures(
        edition,
        rows,
        len(board.rows),
        means,
        winners,
        {k: v for k, v in mean_all.items() if v is not None},
        {k: v for k, v in mean_winners.items() if v is not None},
        _mean(r.score for r in board.rows),
        _mean(rows[s].score for s in winners if s in rows),
    )


def _comment_rows(
    session: Session, edition_id: int, submission_ids: Sequence[int] | None = None
) -> list[tuple[str, int, int, int | None, str]]:
    """(source, row id, submission, criterion id or None, judge's text) of every non-empty comment on a submitted,
    counted sheet: a judge with a conflict on the work is left out, as their points are."""
    declared = (
        select(ConflictOfInterest.judge_id, ConflictOfInterest.submission_id)
        .join(Submission, col(Submission.id) == col(ConflictOfInterest.submission_id))
        .where(Submission.edition_id == edition_id)
    )
    if submission_ids is not None:
        declared = declared.where(col(ConflictOfInterest.submission_id).in_(submission_ids))
    conflicts = set(session.exec(declared).all())
    sheets = (
        select(ScoreSheet)
        .join(Submission, col(Submission.id) == col(ScoreSheet.submission_id))
        .where(Submission.edition_id == edition_id, ScoreSheet.state == SheetState.submitted)
    )
    if submission_ids is not None:
        sheets = sheets.where(col(ScoreSheet.submission_id).in_(submission_ids))
    out: list[tuple[str, int, int, int | None, str]] = []
    counted: set[tuple[int, int]] = set()
    for sheet in session.exec(sheets).all():
        if (sheet.judge_id, sheet.submission_id) in conflicts:
            continue
        counted.add((sheet.judge_id, sheet.submission_id))
        if sheet.overall_comment.strip():
            assert sheet.id is not None
            out.append((SHEET, sheet.id, sheet.submission_id, None, sheet.overall_comment))
    scores = (
        select(Score)
        .join(Submission, col(Submission.id) == col(Score.submission_id))
        .where(Submission.edition_id == edition_id, Score.comment != "")
    )
    if submission_ids is not None:
        scores = scores.where(col(Score.submission_id).in_(submission_ids))
    for score in session.exec(scores).all():
        if (score.judge_id, score.submission_id) in counted and score.comment.strip():
            assert score.id is not None
            out.append((SCORE, score.id, score.submission_id, score.criterion_id, score.comment))
    return out


def _edits(
    session: Session, edition_id: int, submission_id: int | None = None
) -> dict[tuple[str, int], FeedbackCommentEdit]:
    stmt = select(FeedbackCommentEdit).where(FeedbackCommentEdit.edition_id == edition_id)
    if submission_id is not None:
        stmt = stmt.where(FeedbackCommentEdit.submission_id == submission_id)
    return {(e.source, e.source_id): e for e in session.exec(stmt).all()}


def _ordered(
    edition: EditionView, rows: list[tuple[str, int, int, int | None, str]]
) -> list[tuple[str, int, int, int | None, str]]:
    # By criterion, then by text: never by judge or by when it was typed, which would let an entrant line up one
    # judge's comments across criteria.
    position = {c.id: c.position for c in edition.criteria}
    return sorted(rows, key=lambda r: (r[3] is None, position.get(r[3] or 0, 0), clean(r[4]), r[1]))


def review_comments(
    *, session: Session, edition_id: int, submission_id: int | None = None
) -> tuple[ReviewComment, ...]:
    """Every comment of the edition (or of one work) as the organisers review it before release."""
    edition = get_edition(session=session, edition_id=edition_id)
    titles = {c.id: c.title_th for c in edition.criteria}
    rows = _comment_rows(session, edition_id, None if submission_id is None else [submission_id])
    works = (
        dict(
            session.exec(
                select(Submission.id, Submission.title).where(col(Submission.id).in_({r[2] for r in rows}))
            ).all()
        )
        if rows
        else {}
    )
    edits = _edits(session, edition_id, submission_id)
    out = []
    for source, row_id, sid, criterion_id, text in _ordered(edition, rows):
        edit = edits.get((source, row_id))
        original = clean(text).strip()
        shown = "" if edit and edit.hidden else (clean(edit.text).strip() if edit and edit.text else original)
        out.append(
            ReviewComment(
                f"{source}:{row_id}",
                sid,
                clean(works.get(sid, ""), multiline=False),
                titles.get(criterion_id, "") if criterion_id else "",
                original,
                bool(edit and edit.hidden),
                shown,
            )
        )
    out.sort(key=lambda c: c.submission_id)  # stable: each work's comments keep their order
    return tuple(out)


# --- organisers' actions -------------------------------------------------------------------------------------------


def _require_organiser(session: Session, actor: str) -> None:
    user = session.exec(select(User).where(User.username == actor)).first()
    if user is None or not user.active or user.role != Role.organiser:
        raise Forbidden(
            "organisers_only",
            "เฉพาะผู้จัดงานเท่านั้นที่แก้ไขหรือเผยแพร่รายงานผลการพิจารณาได้",
            "Only organisers may edit or release the feedback reports.",
        )


def _announced_edition(session: Session, edition_id: int) -> Edition:
    """Results are decisions: a report carries the ranking and the awards, so it goes out only once the awards are
    frozen and announced, never from a ranking that may still change."""
    edition = session.get(Edition, edition_id)
    if edition is None:
        raise NotFound("no_edition", "ไม่พบรุ่นการประกวดนี้", "No such contest edition.")
    if edition.phase != Phase.announced or edition.awards_frozen_at is None:
        raise ValidationFailed(
            "not_announced",
            "ต้องยืนยันและประกาศผลรางวัลก่อน จึงเผยแพร่รายงานผลการพิจารณาได้",
            "Confirm and announce the awards before releasing the feedback reports.",
        )
    return edition


def _parse_key(key: str) -> tuple[str, int]:
    source, _, raw = key.partition(":")
    if source not in (SCORE, SHEET) or not raw.isdigit():
        raise NotFound("no_comment", "ไม่พบความเห็นนี้", "No such comment.")
    return source, int(raw)


def edit_comment(
    *, session: Session, edition_id: int, key: str, actor: str, hidden: bool = False, text: str = ""
) -> ReviewComment:
    """Hide or rephrase one comment before the entrant reads it. The judge's text is untouched; the audit keeps it
    with the edit's before and after, so what the committee wrote can always be read back."""
    _require_organiser(session, actor)
    source, row_id = _parse_key(key)
    found = [r for r in _comment_rows(session, edition_id) if (r[0], r[1]) == (source, row_id)]
    if not found:
        raise NotFound("no_comment", "ไม่พบความเห็นนี้", "No such comment.")
    _source, _id, submission_id, _criterion, original = found[0]
    text = clean(text).strip()
    if len(text) > COMMENT_CHARS:
        raise ValidationFailed(
            "comment_too_long",
            f"ความเห็นยาวเกิน {COMMENT_CHARS:,} ตัวอักษร",
            f"The comment is longer than {COMMENT_CHARS:,} characters.",
        )
    if text == clean(original).strip():
        text = ""  # the same words as the judge's: not an edit
    edit = session.exec(
        select(FeedbackCommentEdit).where(FeedbackCommentEdit.source == source, FeedbackCommentEdit.source_id == row_id)
    ).first()
    before = {
        "original": clean(original).strip(),
        "hidden": edit.hidden if edit else False,
        "text": edit.text if edit else "",
    }
    if edit is None:
        edit = FeedbackCommentEdit(
            edition_id=edition_id, submission_id=submission_id, source=source, source_id=row_id, edited_by=actor
        )
    edit.hidden, edit.text, edit.edited_by = hidden, text, actor
    session.add(edit)
    audit.record(
        session=session,
        actor=actor,
        action="feedback.comment_edit",
        entity="submission",
        entity_id=submission_id,
        before={"comment": key, **before},
        after={"comment": key, "hidden": hidden, "text": text},
    )
    session.commit()
    return next(
        c for c in review_comments(session=session, edition_id=edition_id, submission_id=submission_id) if c.key == key
    )


def _judgeable_ids(session: Session, edition_id: int) -> list[int]:
    return [
        i
        for i in session.exec(
            select(Submission.id).where(Submission.edition_id == edition_id, col(Submission.status).in_(JUDGEABLE))
        ).all()
        if i is not None
    ]


def release(
    *,
    session: Session,
    edition_id: int,
    actor: str,
    submission_ids: Sequence[int] | None = None,
    show_rank: bool = False,
) -> int:
    """Release the reports of these works (None: every judged work of the edition) to their entrants; returns how
    many were released now. A work released before keeps its release."""
    _require_organiser(session, actor)
    _announced_edition(session, edition_id)
    judgeable = set(_judgeable_ids(session, edition_id))
    wanted = sorted(judgeable) if submission_ids is None else sorted(set(submission_ids))
    if not set(wanted) <= judgeable:
        raise NotFound(
            "no_submission", "ไม่พบผลงานนี้ในผลการพิจารณาของรุ่นนี้", "That work is not among this edition's judged works."
        )
    already = set(
        session.exec(select(FeedbackRelease.submission_id).where(FeedbackRelease.edition_id == edition_id)).all()
    )
    new = [s for s in wanted if s not in already]
    if not new:
        return 0  # nothing changes, nothing to audit
    for sid in new:
        session.add(FeedbackRelease(edition_id=edition_id, submission_id=sid, show_rank=show_rank, released_by=actor))
    audit.record(
        session=session,
        actor=actor,
        action="feedback.release",
        entity="edition",
        entity_id=edition_id,
        after={"works": new, "all": submission_ids is None, "show_rank": show_rank},
    )
    # Queued in this transaction: the release's commit sends the e-mails, a failed release sends none.
    notify.feedback_released(session=session, edition_id=edition_id, submission_ids=new)
    session.commit()
    return len(new)


def release_state(*, session: Session, edition_id: int) -> ReleaseState:
    edition = get_edition(session=session, edition_id=edition_id)
    released = frozenset(
        int(s)
        for s in session.exec(
            select(FeedbackRelease.submission_id).where(FeedbackRelease.edition_id == edition_id)
        ).all()
    )
    return ReleaseState(
        edition.phase == Phase.announced, len(_judgeable_ids(session, edition_id)), len(released), released
    )


# --- the reports ---------------------------------------------------------------------------------------------------


def _deck_coverage(session: Session, submission_id: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    deck = session.exec(
        select(Attachment).where(Attachment.submission_id == submission_id, Attachment.kind == AttachmentKind.deck)
    ).first()
    topics = (deck.analysis or {}).get("topics", []) if deck else []
    return (
        tuple(files.coverage_lines({"topics": topics}, "th")),
        tuple(clean(t["title_th"], multiline=False) for t in topics if not t.get("slides")),
    )


def _report(
    session: Session, figures: _Figures, submission_id: int, release_row: FeedbackRelease | None
) -> FeedbackReport:
    found = session.exec(
        select(Submission, Organisation)
        .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
        .where(Submission.id == submission_id, Submission.edition_id == figures.edition.id)
    ).first()
    if found is None:
        raise NotFound("no_submission", "ไม่พบผลงานนี้", "No such work.")
    sub, org = found
    edition = figures.edition
    mine = figures.means.get(submission_id, {})
    lines = tuple(
        CriterionLine(
            n,
            c.title_th,
            c.title_en,
            c.max_points,
            None if c.id not in mine else round(mine[c.id], 2),
            figures.mean_all.get(c.id),
            figures.mean_winners.get(c.id),
        )
        for n, c in enumerate(edition.scored_criteria, start=1)
    )
    row = figures.rows.get(submission_id)
    band_th, band_en = rank_band(row.rank, figures.works) if row else ("ยังไม่มีคะแนน", "not scored")
    titles = {c.id: c.title_th for c in edition.criteria}
    edits = _edits(session, edition.id, submission_id)
    comments = []
    for source, row_id, _sid, criterion_id, text in _ordered(
        edition, _comment_rows(session, edition.id, [submission_id])
    ):
        edit = edits.get((source, row_id))
        if edit and edit.hidden:
            continue
        shown = clean(edit.text if edit and edit.text else text).strip()
        comments.append(ReportComment(titles.get(criterion_id, "") if criterion_id else "", shown))
    coverage, missed = _deck_coverage(session, submission_id)
    return FeedbackReport(
        edition.id,
        edition.name,
        edition.year_be,
        submission_id,
        sub.receipt_code,
        clean(sub.title, multiline=False),
        clean(org.full_name, multiline=False),
        clean(org.province, multiline=False),
        figures.winners.get(submission_id, ""),
        lines,
        row.score if row else None,
        figures.total_all,
        figures.total_winners,
        edition.max_total,
        figures.works,
        band_th,
        band_en,
        row.rank if row and release_row is not None and release_row.show_rank else None,
        tuple(comments),
        coverage,
        missed,
        release_row.released_at if release_row else None,
    )


def preview(*, session: Session, edition_id: int, submission_id: int) -> FeedbackReport:
    """The report as it stands, released or not: for the organisers' review."""
    row = session.exec(select(FeedbackRelease).where(FeedbackRelease.submission_id == submission_id)).first()
    return _report(session, _figures(session, edition_id), submission_id, row)


def released_report(*, session: Session, access: Access) -> FeedbackReport | None:
    """The applicant's own report, opened with their codes: None until the organisers released it (nothing of it is
    computed before). Wrong codes raise Forbidden, as everywhere the codes are asked."""
    view = flow.load(session=session, access=access)
    row = session.exec(select(FeedbackRelease).where(FeedbackRelease.submission_id == view.id)).first()
    if row is None:
        return None
    return _report(session, _figures(session, view.edition_id), view.id, row)


def reports(*, session: Session, edition_id: int, submission_ids: Sequence[int]) -> list[FeedbackReport]:
    """Many reports with the edition's figures computed once (a national edition renders thousands)."""
    figures = _figures(session, edition_id)
    rows = {
        r.submission_id: r
        for r in session.exec(
            select(FeedbackRelease).where(col(FeedbackRelease.submission_id).in_(submission_ids))
        ).all()
    }
    return [_report(session, figures, sid, rows.get(sid)) for sid in submission_ids]


# --- the paper ------------------------------------------------------------------------------------------------------

TITLE_TH = "รายงานผลการพิจารณาผลงาน"
ANONYMOUS_NOTE = (
    "ความเห็นของคณะกรรมการไม่ระบุชื่อกรรมการ และอาจได้รับการเรียบเรียงโดยผู้จัดงาน คะแนนเป็นค่าเฉลี่ยของกรรมการที่ให้คะแนนผลงาน"
)


def _points(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _heading(r: FeedbackReport) -> list[str]:
    lines = [f"{r.title}", f"{r.organisation} จังหวัด{r.province} · เลขที่ใบรับ {r.receipt_code}"]
    if r.award_th:
        lines.append(f"ผลรางวัล: {r.award_th}")
    position = f"อันดับที่ {r.rank} จาก {r.works} ผลงาน" if r.rank else f"{r.band_th} จาก {r.works} ผลงาน"
    lines.append(f"คะแนนรวม {_points(r.score)} จาก {r.max_total} · {position}")
    lines.append(f"ค่าเฉลี่ยของทุกผลงาน {_points(r.mean_all)} · ค่าเฉลี่ยของผลงานที่ได้รับรางวัล {_points(r.mean_winners)}")
    return lines


def to_html(r: FeedbackReport) -> str:
    """The report as a page to print from the browser; every value escaped (titles and comments are people's)."""
    e = html.escape
    heading = "".join(f"<p>{e(line)}</p>" for line in _heading(r))
    rows = "".join(
        f"<tr><td>{c.number}. {e(c.title_th)}</td><td class='n'>{c.max_points}</td><td class='n'>{_points(c.points)}"
        f"</td><td class='n'>{_points(c.mean_all)}</td><td class='n'>{_points(c.mean_winners)}</td></tr>"
        for c in r.criteria
    )
    comments = (
        "".join(
            f"<li>{'<b>' + e(c.criterion_th) + ':</b> ' if c.criterion_th else ''}{e(c.text)}</li>" for c in r.comments
        )
        or "<li>ไม่มีความเห็นเพิ่มเติม</li>"
    )
    coverage = "".join(f"<li>{e(line)}</li>" for line in r.coverage) or "<li>ไม่มีข้อมูลการวิเคราะห์ไฟล์นำเสนอ</li>"
    missed = f"<p><b>หัวข้อที่ไม่พบในไฟล์นำเสนอ:</b> {e(', '.join(r.missed_topics))}</p>" if r.missed_topics else ""
    return f"""<!DOCTYPE html>
<html lang="th"><head><meta charset="utf-8"><title>{e(TITLE_TH)} {e(r.receipt_code)}</title>
<style>
@page {{ size: A4; margin: 15mm; }}
body {{ font-family: "Sarabun", "TH Sarabun New", "Loma", "Garuda", "Tahoma", sans-serif; font-size: 12pt; }}
h1 {{ font-size: 18pt; margin: 0; }} h2 {{ font-size: 14pt; margin: 14pt 0 4pt; color: #1f4e9c; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #444; padding: 3pt 5pt; text-align: left; vertical-align: top; }}
td.n {{ text-align: right; }}
</style></head><body>
<h1>{e(TITLE_TH)}</h1><p>{e(r.edition_name)}</p>{heading}
<h2>คะแนนรายเกณฑ์</h2>
<table><thead><tr><th>เกณฑ์</th><th>เต็ม</th><th>ผลงานนี้</th><th>เฉลี่ยทุกผลงาน</th><th>เฉลี่ยผลงานที่ได้รับรางวัล</th></tr>
</thead><tbody>{rows}</tbody></table>
<h2>ความเห็นของคณะกรรมการ</h2><ul>{comments}</ul>
<h2>ความครอบคลุมหัวข้อในไฟล์นำเสนอ</h2><ul>{coverage}</ul>{missed}
<p><small>{e(ANONYMOUS_NOTE)}</small></p>
</body></html>"""


def to_pptx(r: FeedbackReport) -> bytes:
    doc = papers.A4(f"{TITLE_TH} · {r.edition_name} · {r.receipt_code}")
    doc.box([TITLE_TH], size=18, bold=True, align=PP_ALIGN.CENTER)
    doc.box([r.edition_name], size=13, align=PP_ALIGN.CENTER)
    doc.gap(0.1)
    doc.box(_heading(r), size=12)
    doc.gap(0.1)
    doc.box(["คะแนนรายเกณฑ์"], size=14, bold=True, color=papers.BLUE)
    widths = (doc.width - 3.3, 0.5, 0.8, 1.0, 1.0)
    header = ("เกณฑ์", "เต็ม", "ผลงานนี้", "เฉลี่ยทุกผลงาน", "เฉลี่ยผู้ได้รางวัล")
    table = [
        header,
        *(
            (
                f"{c.number}. {c.title_th}",
                str(c.max_points),
                _points(c.points),
                _points(c.mean_all),
                _points(c.mean_winners),
            )
            for c in r.criteria
        ),
    ]
    # Wrapped narrower than A4.box assumes (about 11 Thai letters an inch at 10 pt, not 12): a criterion's row must
    # hold its whole title, or it runs into the next row.
    per_line = int(widths[0] * 11)
    for i, cells in enumerate(table):
        lines = 2 if i == 0 else papers.text_lines(cells[0], per_line)
        height = lines * papers.LINE_IN * 10 / 12 + 0.12
        doc.room(height)
        left = 0.0
        for j, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            doc.box(
                [cell],
                size=10,
                bold=i == 0,
                left=left,
                width=width,
                height=height,
                per_line=per_line,
                align=PP_ALIGN.LEFT if j == 0 else PP_ALIGN.RIGHT,
                advance=False,
            )
            left += width
        doc.gap(height)
    doc.gap(0.15)
    doc.box(["ความเห็นของคณะกรรมการ"], size=14, bold=True, color=papers.BLUE)
    for c in r.comments or (ReportComment("", "ไม่มีความเห็นเพิ่มเติม"),):
        doc.box([f"• {c.criterion_th + ': ' if c.criterion_th else ''}{c.text}"], size=11)
    doc.gap(0.15)
    doc.box(["ความครอบคลุมหัวข้อในไฟล์นำเสนอ"], size=14, bold=True, color=papers.BLUE)
    for line in r.coverage or ("ไม่มีข้อมูลการวิเคราะห์ไฟล์นำเสนอ",):
        doc.box([f"• {line}"], size=11)
    if r.missed_topics:
        doc.box([f"หัวข้อที่ไม่พบในไฟล์นำเสนอ: {', '.join(r.missed_topics)}"], size=11, bold=True)
    doc.gap(0.15)
    if r.released_at:
        doc.box([f"เผยแพร่เมื่อ {format_thai_date(to_bangkok(r.released_at).date())}"], size=9, color=papers.GREY)
    doc.box([ANONYMOUS_NOTE], size=9, color=papers.GREY)
    return doc.save()


def to_pdf(r: FeedbackReport) -> bytes:
    return papers.cached(
        ("feedback", str(r.submission_id), signature(r)),
        lambda: papers.pptx_to_pdf(to_pptx(r), f"feedback-{r.submission_id}"),
    )


def signature(r: FeedbackReport) -> str:
    """What the paper is made of: an organiser's edit of a comment makes a new PDF."""
    return hashlib.sha256(repr(r).encode()).hexdigest()[:16]


def printable(r: FeedbackReport) -> papers.Printable:
    return papers.Printable(
        "feedback",
        TITLE_TH,
        "Feedback report",
        f"feedback-{r.receipt_code}",
        signature(r),
        lambda: to_html(r),
        lambda: to_pdf(r),
    )
