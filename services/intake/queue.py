"""The organisers' lists at national scale: the edition's works read once as light columns (no questionnaire, no
file analyses), filtered, searched, sorted in Thai dictionary order and cut into pages; the full rows are built for
the page on screen only. And the screening queue's bulk decision, checked and audited work by work as the single
one is."""

from __future__ import annotations

import math
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, exists
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from models import Attachment, AttachmentKind, Organisation, Submission, SubmissionStatus
from services.intake import eligibility
from services.intake.access import edition_of
from services.intake.flow import eligibility_of, missing_of
from services.intake.screening import QueueRow, accept_refused, decide, screening_queue
from services.platform.errors import DomainError
from services.thai.collation import ThaiSortKey, thai_sort_key
from services.thai.dates import normalize_thai

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50


class Sort(StrEnum):
    receipt = "receipt"  # the order works came in (receipt codes are issued in turn)
    organisation = "organisation"
    province = "province"
    project = "project"  # the project title
    submitted = "submitted"
    status = "status"


@dataclass(frozen=True)
class Filters:
    """What the organiser narrowed the list to; an empty tuple means "any"."""

    statuses: tuple[str, ...] = ()
    verdicts: tuple[str, ...] = ()
    complete: bool | None = None
    provinces: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    query: str = ""


@dataclass(frozen=True)
class Line:
    """One work as the list needs it to filter, count and sort: no personal data, no files."""

    id: int
    receipt_code: str
    title: str
    category: str
    status: str
    short_name: str
    organisation: str
    province: str
    submitted_at: datetime | None
    verdict: str
    missing: int


@dataclass(frozen=True)
class _Light:
    """The columns missing_of and the eligibility rules read (flow.Completable)."""

    submitter_name: str
    submitter_position: str
    submitter_has_signing_authority: bool
    coordinator_name: str
    coordinator_phone: str
    coordinator_email: str
    title: str
    category: str
    golive_date: date | None
    is_new_initiative: bool | None
    developed_by: str
    declarations: dict[str, Any]
    confirmed_at: bool | None  # flow.Completable reads it as "confirmed or not"
    digital_declared: bool
    eligibility_confirmed_by: str


# The characters normalize_thai rewrites (zero-width ones, a split SARA AM, a doubled SARA E): text without any is
# left as it is, which spares a national edition's list 10,000 slow translations on every run.
_NORMALISED_AWAY = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u0e4d]|\u0e40\u0e40")


def fold(text: str) -> str:
    """Text as the search compares it: Thai typing variants made canonical (as the sorter does), any case."""
    if _NORMALISED_AWAY.search(text) or not unicodedata.is_normalized("NFC", text):
        text = normalize_thai(text)
    return text.casefold()


@lru_cache(maxsize=100_000)
def _sort_key(text: str) -> ThaiSortKey:
    # A national edition's names are sorted on every page turn: their keys are made once per process.
    return thai_sort_key(text)


@dataclass(frozen=True)
class ListIndex:
    """The works of one scope (an edition's queue, or its judgeable works) ready to be filtered and paged."""

    lines: tuple[Line, ...]
    search_text: tuple[str, ...] = field(repr=False)
    # When it was read (time.monotonic): its age is shown, not a time of day, which the demo's contest clock would
    # contradict.
    read_at: float = field(default_factory=time.monotonic, compare=False)

    @property
    def age_s(self) -> float:
        return time.monotonic() - self.read_at

    # Each Thai-order sort's position of every work, made on first use: the index is shared by the organisers' page
    # runs for a few seconds, and a page turn then sorts by a number rather than 10,000 Thai keys again.
    _ranks: dict[Sort, dict[int, int]] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def complete(self) -> int:
        return sum(not line.missing for line in self.lines)

    def verdicts(self) -> Counter[str]:
        return Counter(line.verdict for line in self.lines)

    def provinces(self) -> list[str]:
        return sorted({line.province for line in self.lines}, key=_sort_key)

    def categories(self) -> list[str]:
        return sorted({line.category for line in self.lines if line.category}, key=_sort_key)

    def sorted(self, lines: Sequence[Line], sort: Sort, *, descending: bool = False) -> list[Line]:
        """lines (some of this index's) in sort_lines' order."""
        if sort not in _BY_NAME:
            return sort_lines(lines, sort, descending=descending)
        rank = self._ranks.get(sort)
        if rank is None:
            rank = {line.id: i for i, line in enumerate(sort_lines(self.lines, sort))}
            self._ranks[sort] = rank
        return sorted(lines, key=lambda line: rank[line.id], reverse=descending)

    def matching(self, filters: Filters) -> list[Line]:
        """The lines that pass every filter and contain every word of the query (receipt code, organisation or
        title), in receipt order."""
        words = fold(filters.query).split()
        statuses, verdicts = set(filters.statuses), set(filters.verdicts)
        provinces, categories = set(filters.provinces), set(filters.categories)
        return [
            line
            for line, text in zip(self.lines, self.search_text, strict=True)
            if (not statuses or line.status in statuses)
            and (not verdicts or line.verdict in verdicts)
            and (filters.complete is None or (not line.missing) == filters.complete)
            and (not provinces or line.province in provinces)
            and (not categories or line.category in categories)
            and all(w in text for w in words)
        ]


_BY_NAME = (Sort.organisation, Sort.province, Sort.project)


def sort_lines(lines: Sequence[Line], sort: Sort, *, descending: bool = False) -> list[Line]:
    """Names in Thai dictionary order (ties by receipt); dates and receipts as such. Works never sent sort last
    by date whichever the direction."""
    if sort == Sort.receipt:
        return sorted(lines, key=lambda line: line.id, reverse=descending)
    if sort == Sort.submitted:
        sent = sorted((x for x in lines if x.submitted_at), key=lambda x: (x.submitted_at, x.id), reverse=descending)
        return sent + [x for x in lines if not x.submitted_at]
    text = {
        Sort.organisation: lambda x: (_sort_key(x.short_name), x.id),
        Sort.province: lambda x: (_sort_key(x.province), _sort_key(x.short_name), x.id),
        Sort.project: lambda x: (_sort_key(x.title), x.id),
        Sort.status: lambda x: (list(SubmissionStatus).index(SubmissionStatus(x.status)), x.id),
    }[sort]
    return sorted(lines, key=text, reverse=descending)


@lru_cache(maxsize=4096)
def _verdict(org_type: str, golive: date | None, cutoff: date, declared: bool, confirmed: bool) -> eligibility.Verdict:
    # The rules read these five values only, and a national edition has a few hundred distinct go-live dates: the
    # verdict is worked out once per combination rather than 10,000 times with its Thai messages.
    return eligibility.assess(
        org_type=org_type,
        golive_date=golive,
        golive_cutoff=cutoff,
        digital_declared=declared,
        confirmed_by="confirmed" if confirmed else "",
    ).verdict


def list_index(
    *, session: Session, edition_id: int, statuses: Iterable[str] | None = None, include_drafts: bool = False
) -> ListIndex:
    """The edition's works in one read of plain columns: every status but drafts (drafts too when asked), or only
    `statuses`. Eligibility and completeness are worked out here by the same rules the full rows use."""
    edition = edition_of(session, edition_id)
    has = {
        kind: exists().where(and_(col(Attachment.submission_id) == col(Submission.id), col(Attachment.kind) == kind))
        for kind in AttachmentKind
    }
    stmt = (
        sa_select(
            col(Submission.id),
            col(Submission.receipt_code),
            col(Submission.status),
            col(Submission.submitted_at),
            col(Organisation.org_type),
            col(Organisation.short_name),
            col(Organisation.full_name),
            col(Organisation.province),
            col(Submission.submitter_name),
            col(Submission.submitter_position),
            col(Submission.submitter_has_signing_authority),
            col(Submission.coordinator_name),
            col(Submission.coordinator_phone),
            col(Submission.coordinator_email),
            col(Submission.title),
            col(Submission.category),
            col(Submission.golive_date),
            col(Submission.is_new_initiative),
            col(Submission.developed_by),
            col(Submission.declarations),
            col(Submission.confirmed_at).is_not(None),  # only whether: no datetime built per work
            col(Submission.digital_declared),
            col(Submission.eligibility_confirmed_by),
            *(has[kind].label(f"has_{kind.value}") for kind in AttachmentKind),
        )
        .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
        .where(col(Submission.edition_id) == edition_id)
        .order_by(col(Submission.id))
    )
    if statuses is not None:
        stmt = stmt.where(col(Submission.status).in_([str(s) for s in statuses]))
    elif not include_drafts:
        stmt = stmt.where(col(Submission.status) != SubmissionStatus.draft)
    lines, search = [], []
    kinds_in_order = tuple(AttachmentKind)
    # Core, not the ORM: plain tuples for 10,000 works, no identity map to fill.
    rows: list[Any] = list(session.connection().execute(stmt).all())  # fetchall: one call, not one per row
    for row in rows:
        sid, receipt, status, submitted_at, org_type, short_name, full_name, province = row[:8]
        light = _Light(*row[8:23])
        kinds = frozenset(kind for kind, present in zip(kinds_in_order, row[23:], strict=True) if present)
        verdict = _verdict(
            str(org_type),
            light.golive_date,
            edition.golive_cutoff,
            light.digital_declared,
            bool(light.eligibility_confirmed_by),
        )
        lines.append(
            Line(
                sid,
                receipt,
                light.title,
                light.category,
                str(status),
                short_name,
                full_name,
                province,
                submitted_at,
                verdict.value,
                len(missing_of(light, kinds)),
            )
        )
        search.append(fold(f"{receipt}\n{short_name}\n{full_name}\n{light.title}"))
    return ListIndex(tuple(lines), tuple(search))


def page_count(found: int, size: int) -> int:
    return max(1, math.ceil(found / size))


@dataclass(frozen=True)
class Paged:
    """A page of lines, with where it sits: the page asked for, or the last one when the list got shorter."""

    lines: tuple[Line, ...]
    found: int
    page: int
    pages: int
    size: int

    @property
    def first(self) -> int:
        """The 1-based position of the page's first line (0 when nothing was found)."""
        return (self.page - 1) * self.size + 1 if self.lines else 0


def page_of(lines: Sequence[Line], *, page: int, size: int) -> Paged:
    size = size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE
    pages = page_count(len(lines), size)
    page = min(max(1, page), pages)
    return Paged(tuple(lines[(page - 1) * size : page * size]), len(lines), page, pages, size)


@dataclass(frozen=True)
class QueuePage:
    """What the screening queue shows: the page's full rows, and the figures of the list it was cut from."""

    rows: tuple[QueueRow, ...]
    paged: Paged
    matching_ids: tuple[int, ...]  # every work the filters found, in the order shown: a bulk decision's "all found"
    index: ListIndex


def queue_page(
    *,
    session: Session,
    edition_id: int,
    filters: Filters,
    include_drafts: bool = False,
    sort: Sort = Sort.receipt,
    descending: bool = False,
    page: int = 1,
    size: int = DEFAULT_PAGE_SIZE,
    index: ListIndex | None = None,
) -> QueuePage:
    """One page of the queue; index: the list_index the page already read (for its filter options), else read."""
    index = index or list_index(session=session, edition_id=edition_id, include_drafts=include_drafts)
    ordered = index.sorted(index.matching(filters), sort, descending=descending)
    paged = page_of(ordered, page=page, size=size)
    ids = [line.id for line in paged.lines]
    full = {r.row.id: r for r in screening_queue(session=session, edition_id=edition_id, submission_ids=ids)}
    return QueuePage(tuple(full[i] for i in ids if i in full), paged, tuple(x.id for x in ordered), index)


# --- bulk decisions ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """One work (and judge, for an assignment) a bulk action left alone, and why, as the single action says it."""

    submission_id: int
    receipt_code: str
    code: str
    message_th: str
    message_en: str
    judge: str = ""

    def message(self, lang: str = "th") -> str:
        return self.message_en if lang == "en" else self.message_th


@dataclass(frozen=True)
class BulkResult:
    done: tuple[int, ...]  # works changed (for assignments: judge-work pairs counted in `pairs`)
    unchanged: tuple[int, ...]  # already so: nothing to do, nothing audited
    refused: tuple[Refusal, ...]
    pairs: int = 0


def refusal(submission_id: int, receipt_code: str, error: DomainError, judge: str = "") -> Refusal:
    return Refusal(submission_id, receipt_code, error.code, error.message_th, error.message_en, judge)


def accept_many(*, session: Session, edition_id: int, submission_ids: Sequence[int], actor: str) -> BulkResult:
    """Accept the selected works for judging: each checked by the single decision's rule (screening.accept_refused),
    each audited and its applicant told as the single decision does; the ones refused are listed with the reason.
    One transaction: the accepted are committed together."""
    edition = edition_of(session, edition_id)
    wanted = list(dict.fromkeys(submission_ids))
    found = {
        s.id: (s, o)
        for s, o in session.exec(
            select(Submission, Organisation)
            .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
            .where(col(Submission.id).in_(wanted), col(Submission.edition_id) == edition_id)
        ).all()
    }
    done, unchanged, refused = [], [], []
    for sid in wanted:
        if sid not in found:
            refused.append(Refusal(sid, "", "no_submission", "ไม่พบผลงานนี้ในรุ่นนี้", "No such work in this edition."))
            continue
        sub, org = found[sid]
        if sub.status == SubmissionStatus.accepted:
            unchanged.append(sid)
            continue
        error = accept_refused(sub, eligibility_of(sub, org, edition))
        if error is not None:
            refused.append(refusal(sid, sub.receipt_code, error))
            continue
        decide(session=session, sub=sub, status=SubmissionStatus.accepted, reason="", actor=actor, bulk=True)
        done.append(sid)
    session.commit()
    return BulkResult(tuple(done), tuple(unchanged), tuple(refused))
