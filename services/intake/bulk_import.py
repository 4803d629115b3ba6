"""Bulk intake of submissions that organisers re-key (a CSV and a folder of files), with the intake's own checks
and a report per row. Each row is saved or refused on its own; one bad row never stops the others."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session, select

from models import Organisation, OrgType, Submission
from services.intake import flow, phrases, records, validation
from services.platform.errors import DomainError
from services.thai.dates import parse_thai_date

# The CSV's columns; the first row of the file names them (any order; extra columns are ignored).
REQUIRED_COLUMNS = (
    "org_type",
    "org_name",
    "province",
    "title",
    "category",
    "submitter_name",
    "submitter_position",
    "coordinator_name",
    "coordinator_phone",
    "coordinator_email",
    "golive_date",
    "deck",
    "signed_form",
    "declarations_accepted",
)
OPTIONAL_COLUMNS = (
    "district",
    "subdistrict",
    "signing_authority",
    "is_new_initiative",
    "earlier_project_name",
    "earlier_project_year_be",
    "developed_by",
    "partner_name",
    "partner_province",
    "digital_declared",
)
_YES = {"1", "true", "yes", "y", "ใช่", "x", "✓", "/"}


@dataclass(frozen=True)
class RowResult:
    line: int  # the CSV line number, header being line 1
    title: str
    ok: bool
    receipt_code: str = ""
    edit_token: str = ""  # handed to the applicant so they can answer step 7 themselves
    problems_th: tuple[str, ...] = ()
    problems_en: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportReport:
    rows: tuple[RowResult, ...]
    missing_columns: tuple[str, ...] = ()

    @property
    def imported(self) -> int:
        return sum(r.ok for r in self.rows)

    @property
    def failed(self) -> int:
        return sum(not r.ok for r in self.rows) + (1 if self.missing_columns else 0)


def _yes(value: str | None) -> bool:
    return (value or "").strip().casefold() in _YES


def _org_type(value: str) -> str:
    value = value.strip()
    for t in OrgType:
        full = phrases.ORG_TYPE[t][0]
        if value in (t.value, t.value.rstrip("."), full) and value:
            return t.value
    return value


def _date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return parse_thai_date(value)  # e.g. "1 มิ.ย. 2563" or "01/06/2563"; raises ValueError when unreadable


def _file(folder: Path, name: str, what_th: str, what_en: str) -> records.Upload:
    """A file named in the CSV, which must sit inside the folder (no ../ out of it)."""
    root = folder.resolve()
    path = (root / name.strip()).resolve()
    if not name.strip() or not path.is_relative_to(root) or not path.is_file():
        raise DomainError(
            "missing_file",
            f"ไม่พบ{what_th} \u201c{name}\u201d ในโฟลเดอร์ที่ให้มา",
            f"The {what_en} \u201c{name}\u201d is not in the folder given.",
        )
    return records.Upload(path.name, path.read_bytes())


def _form(row: dict[str, str]) -> records.SubmissionForm:
    initiative = (row.get("is_new_initiative") or "").strip()
    year = (row.get("earlier_project_year_be") or "").strip()
    accepted = _yes(row.get("declarations_accepted"))
    return records.SubmissionForm(
        organisation=records.OrganisationStep(
            org_type=_org_type(row["org_type"]),
            org_name=row["org_name"],
            province=row["province"].strip(),
            district=row.get("district") or "",
            subdistrict=row.get("subdistrict") or "",
        ),
        contacts=records.ContactsStep(
            submitter_name=row["submitter_name"],
            submitter_position=row["submitter_position"],
            coordinator_name=row["coordinator_name"],
            coordinator_phone=row["coordinator_phone"],
            coordinator_email=row["coordinator_email"],
            submitter_has_signing_authority=_yes(row.get("signing_authority")),
        ),
        project=records.ProjectStep(
            title=row["title"],
            category=row["category"].strip(),
            golive_date=_date(row["golive_date"]),
            is_new_initiative=None if not initiative else _yes(initiative),
            earlier_project_name=row.get("earlier_project_name") or "",
            earlier_project_year_be=int(year) if year.isdigit() else None,
            developed_by=(row.get("developed_by") or "").strip(),
            partner_name=row.get("partner_name") or "",
            partner_province=(row.get("partner_province") or "").strip(),
            digital_declared=_yes(row.get("digital_declared")),
        ),
        declarations={code: accepted for code in phrases.DECLARATION},
    )


def _already(session: Session, edition_id: int, form: records.SubmissionForm) -> str | None:
    """The receipt of a submission of this edition with the same organisation and title, if any."""
    try:
        org_type = OrgType(form.organisation.org_type)
    except ValueError:
        return None
    _, short = validation.compose_names(org_type, form.organisation.org_name)
    code = session.exec(
        select(Submission.receipt_code)
        .join(Organisation)
        .where(
            Submission.edition_id == edition_id,
            Submission.title == form.project.title.strip(),
            Organisation.short_name == short,
        )
    ).first()
    return code


def import_csv(
    *,
    session: Session,
    edition_id: int,
    csv_text: str,
    folder: Path,
    actor: str,
    ignore_deadline: bool = False,
    now: datetime | None = None,
) -> ImportReport:
    reader = csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")))  # Excel writes a BOM in front of UTF-8
    missing = tuple(c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or []))
    if missing:
        return ImportReport((), missing)
    results = []
    for line, raw in enumerate(reader, start=2):
        row = {k: (v or "") for k, v in raw.items() if k}
        title = row.get("title", "").strip()
        try:
            form = _form(row)
            existing = _already(session, edition_id, form)
            if existing:
                raise DomainError(
                    "duplicate", f"มีผลงานนี้แล้ว (เลขที่ใบรับ {existing})", f"Already imported (receipt {existing})."
                )
            deck = _file(folder, row["deck"], "ไฟล์นำเสนอ", "deck")
            signed = _file(folder, row["signed_form"], "ใบส่งโครงการ", "signed form")
            receipt = flow.submit(
                session=session,
                edition_id=edition_id,
                form=form,
                deck=deck,
                signed_form=signed,
                now=now,
                actor=actor,
                enforce_deadline=not ignore_deadline,
            )
        except ValueError:
            session.rollback()
            results.append(
                RowResult(
                    line,
                    title,
                    False,
                    problems_th=(
                        f"อ่านวันที่เริ่มใช้งานจริง \u201c{row.get('golive_date', '')}\u201d ไม่ได้ "
                        "ใช้รูปแบบ 2020-06-01 หรือ 1 มิ.ย. 2563",
                    ),
                    problems_en=(
                        f"Cannot read the go-live date \u201c{row.get('golive_date', '')}\u201d; "
                        "use 2020-06-01 or 1 มิ.ย. 2563.",
                    ),
                )
            )
            continue
        except DomainError as e:
            session.rollback()
            problems: list[DomainError] = getattr(e, "problems", None) or [e]
            results.append(
                RowResult(
                    line,
                    title,
                    False,
                    problems_th=tuple(p.message_th for p in problems),
                    problems_en=tuple(p.message_en for p in problems),
                )
            )
            continue
        results.append(RowResult(line, title, True, receipt.receipt_code, receipt.edit_token))
    return ImportReport(tuple(results))
