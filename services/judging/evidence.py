"""The evidence beside the sliders: the deck's slides and topics, the questionnaire's suggestions."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from models import (
    Attachment,
    AttachmentKind,
    Criterion,
    Edition,
    StoredFile,
    Submission,
)
from services.contest.edition_config import EditionConfig, load_config
from services.intake import deck_check, deck_topics, questionnaire
from services.judging import rounds, suggestions
from services.judging.sheets import SHEET_COLUMNS, SheetView, sheet_context, sheet_of_row, sheet_statement
from services.platform.errors import DomainError, NotFound

# --- the evidence beside the sliders ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SlideView:
    number: int
    title: str
    text: str


@dataclass(frozen=True)
class TopicView:
    code: str
    title_th: str
    title_en: str
    slides: tuple[int, ...]

    @property
    def covered(self) -> bool:
        return bool(self.slides)


@dataclass(frozen=True)
class Suggestion:
    """Suggested points for a checklist criterion from the questionnaire's ticked options (a hint, not a score)."""

    criterion_id: int
    points: float
    max_points: int
    options: tuple[str, ...]


@dataclass(frozen=True)
class Evidence:
    """What the applicant sent, as a judge may see it (no contact details: PDPA)."""

    submission_id: int
    deck_name: str
    slides: tuple[SlideView, ...]
    topics: tuple[TopicView, ...]
    deck_problem_th: str
    deck_problem_en: str
    form_name: str
    form_pages: int | None
    form_is_scan: bool | None
    declarations: dict[str, bool]
    golive_date: date | None
    is_new_initiative: bool | None
    earlier_project: str
    developed_by: str
    partner: str
    answers: dict[str, Any] = field(default_factory=dict)
    suggestions: dict[int, Suggestion] = field(default_factory=dict)
    deck_sha256: str = ""  # the deck's content hash, which names its rendered slide pictures

    def labelled_answers(self, lang: str = "th") -> tuple[questionnaire.LabelledAnswer, ...]:
        """The questionnaire as a judge reads it: every question, its answer in words, empty ones said so; none
        when the work has no answers at all (a 2564 demo work, a bulk-imported one)."""
        return questionnaire.labelled(questionnaire.load_answers(self.answers), lang) if self.answers else ()


def suggested_points(
    config: EditionConfig, answers: Mapping[str, Any], criteria: Sequence[Criterion]
) -> dict[int, Suggestion]:
    """The edition's suggestion rules (services.judging.suggestions) applied to the questionnaire, by criterion id."""
    by_code = {c.code: c for c in criteria if c.id is not None}
    # No questionnaire answers (e.g. a 2564 demo work) is "no suggestion", not "suggests 0".
    rules = [r for r in config.suggestion_rules if answers.get(r.answer_key) or answers.get(f"{r.answer_key}_other")]
    found = suggestions.suggest(rules, answers, {c.code: c.max_points for c in by_code.values()})
    return {
        by_code[s.criterion_code].id or 0: Suggestion(
            by_code[s.criterion_code].id or 0, s.points, s.max_points, s.counted
        )
        for s in found
    }


def _deck_from_analysis(analysis: Mapping[str, Any]) -> tuple[tuple[SlideView, ...], tuple[TopicView, ...]] | None:
    slides = analysis.get("slides")
    if not isinstance(slides, list):
        return None
    views = tuple(
        SlideView(int(s.get("number", i)), str(s.get("title", "")), str(s.get("text", "")))
        for i, s in enumerate(slides, start=1)
        if isinstance(s, dict)
    )
    topics = tuple(
        TopicView(
            str(t.get("code", "")),
            str(t.get("title_th", "")),
            str(t.get("title_en", "")),
            tuple(int(n) for n in t.get("slides", [])),
        )
        for t in analysis.get("topics", [])
        if isinstance(t, dict)
    )
    if not topics:
        found = deck_topics.topic_coverage([deck_topics.SlideText(s.number, s.title, s.text, "") for s in views])
        topics = tuple(TopicView(t.code, t.title_th, t.title_en, tuple(t.slides)) for t in found)
    return views, topics


def evidence(*, session: Session, judge_id: int, submission_id: int) -> Evidence:
    """The deck's slides and topic checklist, the signed form's facts, the questionnaire and suggested points.

    The deck is read from Attachment.analysis when intake stored it there, else checked again from its bytes."""
    ctx = sheet_context(session, judge_id, submission_id)
    atts = {
        AttachmentKind(a.kind): a
        for a in session.exec(select(Attachment).where(Attachment.submission_id == submission_id))
    }
    slides: tuple[SlideView, ...] = ()
    topics: tuple[TopicView, ...] = ()
    problem_th = problem_en = ""
    deck = atts.get(AttachmentKind.deck)
    if deck is None:
        problem_th, problem_en = "ไม่มีไฟล์นำเสนอแนบมา", "No presentation was attached."
    else:
        stored = _deck_from_analysis(deck.analysis or {})
        if stored is not None:
            slides, topics = stored
        else:
            blob = session.get(StoredFile, deck.sha256)
            try:
                if blob is None:
                    raise NotFound("no_file", "ไม่พบไฟล์นำเสนอในระบบ", "The presentation file is missing.")
                info = deck_check.check_deck(blob.content, deck.original_name)
                slides = tuple(SlideView(s.number, s.title, s.text) for s in info.slides)
                topics = tuple(TopicView(t.code, t.title_th, t.title_en, tuple(t.slides)) for t in info.topics)
            except DomainError as e:
                problem_th, problem_en = e.message_th, e.message_en
    form = atts.get(AttachmentKind.signed_form)
    analysis = form.analysis if form is not None else {}
    pages = analysis.get("page_count")
    scan = analysis.get("is_scan")
    sub = session.get(Submission, submission_id)
    edition = session.get(Edition, ctx.edition_id)
    assert sub is not None and edition is not None  # sheet_context refused otherwise
    earlier = ""
    if sub.is_new_initiative is False and sub.earlier_project_name:
        earlier = sub.earlier_project_name + (
            f" ({sub.earlier_project_year_be})" if sub.earlier_project_year_be else ""
        )
    partner = ", ".join(p for p in (sub.partner_name, sub.partner_province) if p)
    return Evidence(
        submission_id,
        deck.original_name if deck else "",
        slides,
        topics,
        problem_th,
        problem_en,
        form.original_name if form else "",
        int(pages) if isinstance(pages, int) else None,
        bool(scan) if isinstance(scan, bool) else None,
        {k: bool(v) for k, v in sub.declarations.items()},
        sub.golive_date,
        sub.is_new_initiative,
        earlier,
        sub.developed_by,
        partner,
        dict(sub.answers),
        suggested_points(load_config(edition.config), sub.answers, ctx.criteria),
        deck.sha256 if deck else "",
    )


@dataclass(frozen=True)
class WorkVersion:
    """What changes when a work's evidence does, read in one small query: keys the evidence every judge's page
    shares (services.judging.evidence_pane), so no process goes on showing an edited work's old evidence."""

    changed: str  # the work's last change (an applicant's step or answers, a screening decision), its newest upload
    # and its file count, as one key
    deck_sha256: str  # the deck's content hash ("" without a deck), which names its slide pictures
    round_no: int = 1  # the edition's current round (what the page says of earlier rounds changes with it)


def work_version(*, session: Session, submission_id: int) -> WorkVersion:
    row = session.execute(_work_version_statement(), {"work": submission_id}).first()
    if row is None:
        return WorkVersion("", "")
    changed, uploaded, files, deck, round_no = row
    return _version_of(changed, uploaded, files, deck, round_no)


def sheet_on_screen(*, session: Session, judge_id: int, submission_id: int) -> tuple[SheetView, WorkVersion]:
    """get_sheet and work_version of the work in one statement (and the criteria's): what a judge's page reads on
    every follow of the live session, a hundred pages at once, when the database answers slowest."""
    row = session.execute(_on_screen_statement(), {"judge": judge_id, "work": submission_id}).first()
    sheet = sheet_of_row(session, judge_id, row)  # refuses as get_sheet does (row None: no such work)
    assert row is not None
    changed, uploaded, files, deck = row[SHEET_COLUMNS:]
    return sheet, _version_of(changed, uploaded, files, deck, row[6])


def _version_of(changed: Any, uploaded: Any, files: Any, deck: str | None, round_no: int) -> WorkVersion:
    return WorkVersion(f"{changed}|{uploaded}|{files}", deck or "", int(round_no))


def _version_columns(work: Any) -> tuple[Any, ...]:
    """work_version's columns of a statement on Submission (the work's current round aside)."""
    of_work = col(Attachment.submission_id) == work
    return (
        col(Submission.updated_at),
        select(func.max(Attachment.uploaded_at)).where(of_work).scalar_subquery(),
        select(func.count()).select_from(Attachment).where(of_work).scalar_subquery(),
        select(Attachment.sha256).where(of_work, Attachment.kind == AttachmentKind.deck).limit(1).scalar_subquery(),
    )


@functools.cache
def _work_version_statement() -> Any:
    """work_version's statement, built once a process with the work as a parameter (every judge page's run asks)."""
    work = sa.bindparam("work", type_=sa.Integer)
    # SQLAlchemy's select: sqlmodel's types a select of at most four columns
    return sa_select(*_version_columns(work), rounds.current_round_expr(col(Submission.edition_id))).where(
        col(Submission.id) == work
    )


@functools.cache
def _on_screen_statement() -> Any:
    """sheet_on_screen's statement: get_sheet's first, its work's version columns after (parameters judge, work)."""
    return sheet_statement().add_columns(*_version_columns(sa.bindparam("work", type_=sa.Integer)))
