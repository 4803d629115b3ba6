"""The applicant's receipt to print or attach to an e-mail: code, organisation, project, when it was received, each
file with its sha256, and the eligibility as the system computes it.

(Meant as services/intake/receipt.py; kept at a flat path while services/intake/ is still a module, which a
services/intake/ folder beside it could not be imported from.)
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from datetime import datetime

from pptx.enum.text import PP_ALIGN
from sqlmodel import Session

from services.contest.editions import get_edition
from services.contest.papers import A4, GREY, Printable, cached, pptx_to_pdf
from services.intake import flow, phrases, records
from services.platform.clock import contest_now
from services.platform.safe_text import plain
from services.thai.dates import format_thai_datetime


@dataclass(frozen=True)
class ReceiptFile:
    kind_th: str
    kind_en: str
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class ReceiptView:
    """What the receipt shows. No edit code and no personal contacts: it is printed and sent by e-mail."""

    receipt_code: str
    edition_name: str
    organisation: str
    province: str
    title: str
    category: str
    status_th: str
    status_en: str
    submitted_at: datetime | None
    confirmed_at: datetime | None
    files: tuple[ReceiptFile, ...]
    eligibility_th: str
    eligibility_en: str
    issued_at: datetime

    @property
    def file_stem(self) -> str:
        return f"receipt-{self.receipt_code}"


def receipt(*, session: Session, access: records.Access, now: datetime | None = None) -> ReceiptView:
    """The receipt of the applicant's own submission, opened with their codes (intake.load checks them)."""
    view = flow.load(session=session, access=access, now=now)
    edition = get_edition(session=session, edition_id=view.edition_id)
    status = phrases.SUBMISSION_STATUS.get(view.status, (str(view.status), str(view.status)))
    files = tuple(
        ReceiptFile(
            *phrases.ATTACHMENT_KIND.get(a.kind, (str(a.kind), str(a.kind))), plain(a.original_name), a.size, a.sha256
        )
        for a in view.attachments
    )
    return ReceiptView(
        view.receipt_code,
        edition.name,
        plain(view.full_name),
        plain(view.organisation.province),
        plain(view.project.title),
        plain(view.project.category),
        status[0],
        status[1],
        view.submitted_at,
        view.confirmed_at,
        files,
        view.eligibility.summary("th"),
        view.eligibility.summary("en"),
        now or contest_now(),
    )


def _when(moment: datetime | None, missing: str) -> str:
    return format_thai_datetime(moment) if moment is not None else missing


def rows(r: ReceiptView) -> list[tuple[str, str]]:
    """The receipt's lines, Thai labels first (English beside them), in the order printed."""
    return [
        ("เลขที่ใบรับ (Receipt code)", r.receipt_code),
        ("การประกวด (Contest)", r.edition_name),
        ("หน่วยงาน (Organisation)", f"{r.organisation} จ.{r.province}" if r.province else r.organisation),
        ("ชื่อโครงการ (Project)", r.title or "(ยังไม่ได้ตั้งชื่อโครงการ)"),
        ("ประเภทผลงาน (Category)", r.category),
        ("สถานะ (Status)", f"{r.status_th} ({r.status_en})"),
        ("รับผลงานเมื่อ (Received)", _when(r.submitted_at, "ยังไม่ได้กดส่ง (not sent yet)")),
        ("ยืนยันการส่งเมื่อ (Confirmed)", _when(r.confirmed_at, "ยังไม่ได้ยืนยัน (not confirmed yet)")),
        ("คุณสมบัติตามประกาศ (Eligibility)", f"{r.eligibility_th} ({r.eligibility_en})"),
    ]


TITLE = "ใบรับผลงานเข้าประกวด"
NOTE = (
    "ค่า SHA-256 ใช้ยืนยันว่าไฟล์ที่ผู้จัดงานได้รับตรงกับไฟล์ที่ท่านส่ง (ไฟล์เดียวกันให้ค่าเดียวกันเสมอ) "
    "คุณสมบัติข้างต้นเป็นผลการตรวจของระบบ ณ เวลาที่ออกใบรับ ผู้จัดงานเป็นผู้ยืนยันขั้นสุดท้าย"
)


def to_html(r: ReceiptView) -> str:
    """A page to print from the browser (or an e-mail body); every value escaped (titles and names are applicant
    text)."""
    e = html.escape
    head = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows(r))
    files = (
        "".join(
            f"<tr><td>{e(f.kind_th)}</td><td>{e(f.name)}<br><small>{f.size:,} ไบต์</small></td>"
            f"<td class='h'>{e(f.sha256)}</td></tr>"
            for f in r.files
        )
        or "<tr><td colspan='3'>ยังไม่ได้แนบไฟล์ (no files yet)</td></tr>"
    )
    return f"""<!DOCTYPE html>
<html lang="th"><head><meta charset="utf-8"><title>{e(r.file_stem)}</title>
<style>
@page {{ size: A4; margin: 15mm; }}
body {{ font-family: "Sarabun", "TH Sarabun New", "Loma", "Garuda", "Tahoma", sans-serif; font-size: 12pt; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 10pt; }}
th, td {{ border: 1px solid #444; padding: 4pt 6pt; vertical-align: top; text-align: left; }}
th {{ width: 32%; background: #eef3fb; }} td.h {{ font-family: monospace; font-size: 9pt; word-break: break-all; }}
</style></head><body>
<h1>{e(TITLE)}</h1>
<table>{head}</table>
<h2>ไฟล์ที่แนบ (Files)</h2>
<table><thead><tr><th>ประเภท</th><th>ชื่อไฟล์</th><th>SHA-256</th></tr></thead><tbody>{files}</tbody></table>
<p><small>{e(NOTE)}</small></p>
<p><small>ออกใบรับเมื่อ {e(format_thai_datetime(r.issued_at))}</small></p>
</body></html>"""


def to_pptx(r: ReceiptView) -> bytes:
    doc = A4(f"{r.edition_name} · {r.receipt_code}")
    doc.box([TITLE], size=18, bold=True, align=PP_ALIGN.CENTER)
    doc.box([r.edition_name], size=13, align=PP_ALIGN.CENTER)
    doc.gap(0.15)
    for label, value in rows(r):
        doc.box([label], size=11, bold=True, width=2.4, advance=False)
        doc.box([value], size=12, left=2.5)
        doc.gap(0.06)
    doc.gap(0.1)
    doc.rule()
    doc.box(["ไฟล์ที่แนบ (Files)"], size=13, bold=True)
    if not r.files:
        doc.box(["ยังไม่ได้แนบไฟล์ (no files yet)"], size=12)
    for f in r.files:
        doc.box([f"{f.kind_th}: {f.name} ({f.size:,} ไบต์)"], size=12)
        doc.box([f"SHA-256 {f.sha256}"], size=9, color=GREY, left=0.25)
        doc.gap(0.06)
    doc.gap(0.15)
    doc.box([NOTE], size=10, color=GREY)
    doc.box([f"ออกใบรับเมื่อ {format_thai_datetime(r.issued_at)}"], size=10, color=GREY)
    return doc.save()


def to_pdf(r: ReceiptView) -> bytes:
    """The receipt as PDF, kept while nothing on it changes (the issue time is left out of the key on purpose: a
    receipt asked for again a minute later is the same receipt)."""
    key = ("receipt", r.receipt_code, repr(rows(r)), repr(r.files))
    return cached(key, lambda: pptx_to_pdf(to_pptx(r), r.file_stem))


def printable(r: ReceiptView) -> Printable:
    return Printable(
        "receipt",
        "ใบรับผลงาน",
        "Receipt",
        r.file_stem,
        hashlib.sha256(repr((rows(r), r.files)).encode()).hexdigest()[:16],
        lambda: to_html(r),
        lambda: to_pdf(r),
    )
