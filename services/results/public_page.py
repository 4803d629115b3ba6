"""The public results page's data: once an edition is announced, its awards as the announcement lists them with
the descriptions the organisers approved, its statistics and its open-data files; no scores, no personal data."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

from openpyxl import Workbook
from sqlmodel import Session, col, select

from models import AwardResult, Edition, Phase, Role, User, WinnerDescription
from services.contest.editions import get_edition
from services.platform import audit
from services.platform.errors import Forbidden, NotFound, ValidationFailed
from services.platform.safe_text import clean
from services.results import announcement, exports, stats

# A few sentences under a winner's name, not an essay: the page must stay readable on a phone.
DESCRIPTION_CHARS = 600
NOT_ANNOUNCED_TH = "ยังไม่ประกาศผลการตัดสินของรุ่นนี้"
NOT_ANNOUNCED_EN = "The results of this edition are not announced yet."


@dataclass(frozen=True)
class PublicWinner:
    submission_id: int
    title: str
    organisation: str
    province: str
    description: str


@dataclass(frozen=True)
class PublicLevel:
    code: str
    name_th: str
    note_th: str
    winners: tuple[PublicWinner, ...]


@dataclass(frozen=True)
class PublicResults:
    edition_id: int
    year_be: int
    edition_name: str
    theme: str
    levels: tuple[PublicLevel, ...]
    works: int
    organisations: int
    provinces: int
    by_category: tuple[stats.Count, ...]
    by_province: tuple[stats.ProvinceCount, ...]
    demo_note_th: str


@dataclass(frozen=True)
class OpenData:
    csv: bytes
    json: bytes
    xlsx: bytes


def announced_years(*, session: Session) -> list[int]:
    """The Buddhist-era years with announced results, newest first: the editions the page can show."""
    years = session.exec(
        select(Edition.year_be)
        .where(Edition.phase == Phase.announced, col(Edition.awards_frozen_at).is_not(None))
        .order_by(col(Edition.year_be).desc())
    ).all()
    return list(dict.fromkeys(int(y) for y in years))


def _not_announced() -> Forbidden:
    return Forbidden("not_announced", NOT_ANNOUNCED_TH, NOT_ANNOUNCED_EN)


def edition_for_year(*, session: Session, year_be: int | None) -> int:
    """The announced edition of that year (None: the newest announced); not_announced when there is none yet, so a
    shared address for next year's results says they are not out rather than that it is wrong."""
    stmt = select(Edition).where(Edition.phase == Phase.announced, col(Edition.awards_frozen_at).is_not(None))
    if year_be is not None:
        stmt = stmt.where(Edition.year_be == year_be)
    edition = session.exec(stmt.order_by(col(Edition.year_be).desc(), col(Edition.id).desc())).first()
    if edition is None or edition.id is None:
        raise _not_announced()
    return edition.id


def descriptions(*, session: Session, edition_id: int) -> dict[int, str]:
    return {
        d.submission_id: d.text
        for d in session.exec(select(WinnerDescription).where(WinnerDescription.edition_id == edition_id)).all()
    }


def public_results(*, session: Session, edition_id: int) -> PublicResults:
    edition = get_edition(session=session, edition_id=edition_id)
    if edition.phase != Phase.announced:
        raise _not_announced()
    a = announcement.build(session=session, edition_id=edition_id)
    if not a.confirmed:
        raise _not_announced()
    approved = descriptions(session=session, edition_id=edition_id)
    levels = tuple(
        PublicLevel(
            lv.code,
            lv.name_th,
            lv.note_th,
            tuple(
                PublicWinner(
                    w.submission_id,
                    clean(announcement.project_title(w.title), multiline=False),
                    clean(w.organisation, multiline=False),
                    clean(w.province, multiline=False),
                    clean(approved.get(w.submission_id, "")),
                )
                for w in lv.works
            ),
        )
        for lv in a.levels
    )
    figures = stats.headline_stats(session=session, edition_id=edition_id)
    return PublicResults(
        edition_id,
        edition.year_be,
        edition.name,
        edition.theme,
        levels,
        figures.works,
        figures.organisations,
        figures.provinces,
        figures.by_category,
        figures.by_province,
        announcement.DEMO_NOTE_TH if a.demo else "",
    )


def approve_description(*, session: Session, edition_id: int, submission_id: int, text: str, actor: str) -> str:
    """The short description of an awarded work, as an organiser approved it for the public page (audited with
    the text it replaced). Empty text withdraws it. Returns the stored text."""
    user = session.exec(select(User).where(User.username == actor)).first()
    if user is None or not user.active or user.role != Role.organiser:
        raise Forbidden(
            "organisers_only", "เฉพาะผู้จัดงานเท่านั้นที่อนุมัติคำอธิบายผลงานได้", "Only organisers may approve the descriptions."
        )
    awarded = session.exec(
        select(AwardResult).where(AwardResult.edition_id == edition_id, AwardResult.submission_id == submission_id)
    ).first()
    if awarded is None:
        raise NotFound(
            "not_awarded", "ผลงานนี้ไม่อยู่ในรายชื่อผู้ได้รับรางวัลที่ยืนยันแล้ว", "That work is not among the confirmed award winners."
        )
    text = clean(text).strip()
    if len(text) > DESCRIPTION_CHARS:
        raise ValidationFailed(
            "description_too_long",
            f"คำอธิบายยาวเกิน {DESCRIPTION_CHARS} ตัวอักษร",
            f"The description is longer than {DESCRIPTION_CHARS} characters.",
        )
    row = session.exec(select(WinnerDescription).where(WinnerDescription.submission_id == submission_id)).first()
    before = {"text": row.text if row else ""}
    if not text:
        if row is not None:
            session.delete(row)
    else:
        row = row or WinnerDescription(edition_id=edition_id, submission_id=submission_id, text=text, approved_by=actor)
        row.text, row.approved_by = text, actor
        session.add(row)
    audit.record(
        session=session,
        actor=actor,
        action="results.description",
        entity="submission",
        entity_id=submission_id,
        before=before,
        after={"text": text},
    )
    session.commit()
    return text


# --- open data -------------------------------------------------------------------------------------------------------

OPEN_COLUMNS = ("award", "organisation", "short_name", "org_type", "province", "title")


def open_data(*, session: Session, edition_id: int) -> OpenData:
    """The announced works in three open formats (CSV, JSON, XLSX): the public results' own body, so the files
    carry exactly what the page and the JSON route publish: no scores, no judges, no contacts, no receipt codes."""
    body = exports.public_results(session=session, edition_id=edition_id)  # refuses before the announcement
    a = announcement.build(session=session, edition_id=edition_id)
    award_of = {w.submission_id: lv.name_th for lv in a.levels for w in lv.works}
    rows = [
        {
            "award": award_of.get(w.submission_id, ""),
            "organisation": w.organisation,
            "short_name": w.short_name,
            "org_type": w.org_type,
            "province": w.province,
            "title": w.title,
        }
        for w in a.works
    ]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "works"
    sheet.append(list(OPEN_COLUMNS))
    for row in rows:
        sheet.append([clean(row[k]) for k in OPEN_COLUMNS])
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # a title starting with "=" stays a text, exactly as given, never a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return OpenData(
        exports.to_csv(rows, OPEN_COLUMNS), json.dumps(body, ensure_ascii=False, indent=1).encode(), buffer.getvalue()
    )
