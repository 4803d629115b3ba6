"""Intake: the guided submission (a draft saved at every step), documents, the deadline, and screening."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from sqlmodel import Session, col, select

from models import (
    Attachment,
    AttachmentKind,
    Edition,
    Organisation,
    OrgType,
    StoredFile,
    Submission,
    SubmissionStatus,
)
from services import audit, documents, eligibility, form_check, geo, questionnaire, ratelimit, text_limits
from services.clock import contest_now
from services.errors import DomainError, Forbidden, NotFound, ValidationFailed
from services.mail import notify as mail_notify
from services.settings import get_settings
from services.thai import be_year, format_thai_datetime

CATEGORIES: tuple[str, ...] = ("E-Service", "GIS", "e-Office", "Smart City", "Data Platform", "อื่น ๆ")

ORG_TYPE_FULL: dict[OrgType, str] = {
    OrgType.pao: "องค์การบริหารส่วนจังหวัด",
    OrgType.city: "เทศบาลนคร",
    OrgType.town: "เทศบาลเมือง",
    OrgType.subdistrict_muni: "เทศบาลตำบล",
    OrgType.sao: "องค์การบริหารส่วนตำบล",
    OrgType.special: "",
}

# The four declarations of the submission form (ใบส่งโครงการ), in the form's own words.
DECLARATIONS: tuple[tuple[str, str, str], ...] = (
    ("truthful",
     "ข้าพเจ้าขอรับรองว่าข้อมูลที่ปรากฏในเอกสารนำเสนอและการนำเสนอเป็นความจริงทุกประการ "
     "และยินดีให้คณะกรรมการพิจารณาตัดสินขอรายละเอียดเพิ่มเติมที่เกี่ยวข้องกับโครงการ",
     "The information is true, and the committee may ask for more details."),
    ("ownership",
     "ข้าพเจ้าขอรับรองว่าหน่วยงานต้นสังกัดของข้าพเจ้าเป็นเจ้าของผลงาน รวมถึงส่วนประกอบของผลงานและเนื้อหา "
     "โดยไม่มีการละเมิดลิขสิทธิ์ตามกฎหมาย",
     "Our organisation owns the work and it infringes no copyright."),
    ("final_decision",
     "ข้าพเจ้ายอมรับว่าคำตัดสินของคณะกรรมการพิจารณาตัดสินรางวัลถือเป็นอันสิ้นสุด และจะไม่ใช้สิทธิ์ใด ๆ ในการโต้แย้ง",
     "The committee's decision is final."),
    ("publicity",
     "ข้าพเจ้าอนุญาตให้ สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน) ประชาสัมพันธ์และเผยแพร่โครงการนวัตกรรมดิจิทัล"
     "ที่ส่งเข้าประกวดของหน่วยงานต้นสังกัดของข้าพเจ้าได้",
     "DGA may publicise the work."),
)

# The guided flow's steps; Submission.draft_step holds the last one saved.
STEP_ORGANISATION, STEP_CONTACTS, STEP_PROJECT, STEP_DOCUMENTS, STEP_SEND, STEP_CONFIRM = 1, 2, 3, 4, 5, 6
DEVELOPED_BY = ("in_house", "partner")
# Personal data (PDPA): the audit trail records that these changed, not their values.
PERSONAL_FIELDS = frozenset({"submitter_name", "submitter_position", "coordinator_name", "coordinator_phone",
                             "coordinator_email"})
EDITABLE_STATUSES = (SubmissionStatus.draft, SubmissionStatus.submitted)

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")
_RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread over the phone
_FORM_TEXT_KEPT = 4_000
_SLIDE_TEXT_KEPT = 4_000


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


@dataclass(frozen=True)
class Access:
    """What the applicant holds: the receipt code and the secret edit token (only its hash is stored)."""

    receipt_code: str
    edit_token: str


@dataclass
class OrganisationStep:
    org_type: str
    org_name: str
    province: str
    district: str = ""
    subdistrict: str = ""


@dataclass
class ContactsStep:
    submitter_name: str
    submitter_position: str
    coordinator_name: str
    coordinator_phone: str
    coordinator_email: str
    submitter_has_signing_authority: bool = False


@dataclass
class ProjectStep:
    title: str
    category: str
    golive_date: date | None = None
    is_new_initiative: bool | None = None
    earlier_project_name: str = ""
    earlier_project_year_be: int | None = None
    developed_by: str = ""
    partner_name: str = ""
    partner_province: str = ""
    digital_declared: bool = False


@dataclass
class SubmissionForm:
    """Everything at once: the one-shot intake used by `ldaward import` and by the organisers' re-keying."""

    org_type: str
    org_name: str
    province: str
    title: str
    category: str
    submitter_name: str
    submitter_position: str
    coordinator_name: str
    coordinator_phone: str
    coordinator_email: str
    district: str = ""
    subdistrict: str = ""
    golive_date: date | None = None
    declarations: dict[str, bool] = field(default_factory=dict)
    submitter_has_signing_authority: bool = False
    is_new_initiative: bool | None = None
    earlier_project_name: str = ""
    earlier_project_year_be: int | None = None
    developed_by: str = ""
    partner_name: str = ""
    partner_province: str = ""
    digital_declared: bool = False

    def organisation_step(self) -> OrganisationStep:
        return OrganisationStep(self.org_type, self.org_name, self.province, self.district, self.subdistrict)

    def contacts_step(self) -> ContactsStep:
        return ContactsStep(self.submitter_name, self.submitter_position, self.coordinator_name,
                            self.coordinator_phone, self.coordinator_email, self.submitter_has_signing_authority)

    def project_step(self) -> ProjectStep:
        return ProjectStep(self.title, self.category, self.golive_date, self.is_new_initiative,
                           self.earlier_project_name, self.earlier_project_year_be, self.developed_by,
                           self.partner_name, self.partner_province, self.digital_declared)


@dataclass(frozen=True)
class Receipt:
    submission_id: int
    receipt_code: str
    edit_token: str
    organisation: str
    title: str
    submitted_at: datetime


@dataclass(frozen=True)
class AttachmentView:
    id: int
    kind: AttachmentKind
    original_name: str
    media_type: str
    size: int
    sha256: str
    analysis: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Missing:
    code: str
    message_th: str
    message_en: str

    def message(self, lang: str = "th") -> str:
        return self.message_en if lang == "en" else self.message_th


@dataclass(frozen=True)
class DraftView:
    """A submission as its applicant sees it (their own contacts included)."""

    id: int
    edition_id: int
    receipt_code: str
    status: SubmissionStatus
    draft_step: int
    organisation: OrganisationStep
    full_name: str
    short_name: str
    contacts: ContactsStep
    project: ProjectStep
    declarations: dict[str, bool]
    answers: questionnaire.Answers
    attachments: tuple[AttachmentView, ...]
    submitted_at: datetime | None
    confirmed_at: datetime | None
    deadline: datetime
    editable: bool
    eligibility: eligibility.Eligibility
    missing: tuple[Missing, ...]

    def attachment(self, kind: AttachmentKind) -> AttachmentView | None:
        return next((a for a in self.attachments if a.kind == kind), None)


@dataclass(frozen=True)
class Started:
    access: Access
    view: DraftView


class SubmissionRejected(DomainError):
    """The submission has problems; `problems` lists each one. Nothing was saved."""

    def __init__(self, problems: list[DomainError]) -> None:
        super().__init__(
            "submission_invalid",
            "ยังส่งไม่ได้ กรุณาแก้ไข: " + "; ".join(p.message_th for p in problems),
            "Not sent yet. Please fix: " + "; ".join(p.message_en for p in problems),
        )
        self.problems = problems


# --- names, phones, validation -----------------------------------------------------------------------------------


def compose_names(org_type: OrgType, name: str) -> tuple[str, str]:
    """(full name, short name) the way the announcement writes them, e.g. เทศบาลตำบลท่าคันโท / ทต.ท่าคันโท."""
    name = name.strip()
    for prefix in (ORG_TYPE_FULL[org_type], org_type.value):
        if prefix and name.startswith(prefix):
            name = name[len(prefix):].strip()
    if org_type == OrgType.special:
        return name, name
    return ORG_TYPE_FULL[org_type] + name, org_type.value + name


def normalise_phone(phone: str) -> str:
    digits = re.sub(r"[\s\-().]", "", phone)
    if digits.startswith("+66"):
        digits = "0" + digits[3:]
    if not re.fullmatch(r"0\d{8,9}", digits):
        raise ValidationFailed(
            "bad_phone", "เบอร์โทรศัพท์ไม่ถูกต้อง: ใส่ตัวเลข 9–10 หลักขึ้นต้นด้วย 0 เช่น 02-612-6060 หรือ 081-234-5678",
            "The phone number is not valid: 9–10 digits starting with 0, e.g. 02-612-6060.",
        )
    return digits


def _required(obj: object, fields: dict[str, tuple[str, str]]) -> list[DomainError]:
    return [ValidationFailed(f"missing_{attr}", f"กรุณากรอก{th}", f"Please fill in the {en}.")
            for attr, (th, en) in fields.items() if not str(getattr(obj, attr) or "").strip()]


def validate_organisation(org: OrganisationStep) -> list[DomainError]:
    problems = _required(org, {"org_name": ("ชื่อหน่วยงาน", "organisation name")})
    problems += text_limits.length_problems(org, ("org_name", "district", "subdistrict"))
    try:
        OrgType(org.org_type)
    except ValueError:
        problems.append(ValidationFailed("bad_org_type", "กรุณาเลือกประเภทองค์กรปกครองส่วนท้องถิ่น",
                                         "Choose the type of local administrative organisation."))
    if not geo.is_province(org.province):
        problems.append(ValidationFailed("bad_province", "กรุณาเลือกจังหวัดจากรายชื่อ 77 จังหวัด",
                                         "Choose the province from the list of 77."))
    return problems


def validate_contacts(contacts: ContactsStep, *, require_authority: bool) -> list[DomainError]:
    problems = _required(contacts, {
        "submitter_name": ("ชื่อผู้ส่งโครงการ", "submitter's name"),
        "submitter_position": ("ตำแหน่งผู้ส่งโครงการ", "submitter's position"),
        "coordinator_name": ("ชื่อผู้ประสานงาน", "coordinator's name"),
    })
    problems += text_limits.length_problems(contacts, ("submitter_name", "submitter_position", "coordinator_name",
                                                       "coordinator_phone", "coordinator_email"))
    if require_authority and not contacts.submitter_has_signing_authority:
        problems.append(ValidationFailed(
            "no_signing_authority", "ผู้ส่งโครงการต้องเป็นผู้มีอำนาจลงนามของหน่วยงาน กรุณายืนยันในช่องที่กำหนด",
            "The submitter must have signing authority for the organisation; please confirm it."))
    try:
        normalise_phone(contacts.coordinator_phone)
    except ValidationFailed as e:
        problems.append(e)
    if not _EMAIL_RE.match(contacts.coordinator_email.strip()):
        problems.append(ValidationFailed("bad_email", "อีเมลผู้ประสานงานไม่ถูกต้อง เช่น name@example.go.th",
                                         "The coordinator's e-mail is not valid, e.g. name@example.go.th."))
    return problems


def validate_project(
    project: ProjectStep, *, require_character: bool, now: datetime | None = None
) -> list[DomainError]:
    problems = _required(project, {"title": ("ชื่อโครงการ", "project title")})
    problems += text_limits.length_problems(project, ("title", "earlier_project_name", "partner_name"))
    if project.category not in CATEGORIES:
        problems.append(ValidationFailed("bad_category", "กรุณาเลือกประเภทผลงาน", "Choose the category."))
    if require_character and project.golive_date is None:
        problems.append(ValidationFailed("missing_golive", "กรุณาระบุวันที่เริ่มใช้งานจริง",
                                         "Give the date the work went live."))
    if require_character and project.is_new_initiative is None:
        problems.append(ValidationFailed("missing_initiative", "กรุณาเลือกว่าเป็นโครงการริเริ่มใหม่หรือต่อยอดจากโครงการเดิม",
                                         "Say whether it is a new initiative or an extension of an earlier project."))
    if project.is_new_initiative is False:
        if not project.earlier_project_name.strip():
            problems.append(ValidationFailed("missing_earlier_name", "กรุณาระบุชื่อผลงาน/โครงการเดิมที่ต่อยอด",
                                             "Give the name of the earlier project."))
        this_year = be_year(now or contest_now())
        year = project.earlier_project_year_be
        if year is None or not 2500 <= year <= this_year:
            problems.append(ValidationFailed(
                "bad_earlier_year", f"กรุณาระบุปี พ.ศ. ที่เริ่มโครงการเดิม (2500–{this_year}) เช่น 2562",
                f"Give the Buddhist-era year the earlier project started (2500–{this_year}), e.g. 2562."))
    if require_character and project.developed_by not in DEVELOPED_BY:
        problems.append(ValidationFailed("missing_developed_by", "กรุณาเลือกรูปแบบการพัฒนา (พัฒนาเองหรือร่วมกับผู้ประกอบการ)",
                                         "Say whether it was developed in-house or with a partner."))
    if project.developed_by == "partner":
        if not project.partner_name.strip():
            problems.append(ValidationFailed("missing_partner", "กรุณาระบุชื่อผู้ร่วมพัฒนา (บริษัท/ห้างหุ้นส่วน/สถาบันการศึกษา)",
                                             "Give the partner's name (company, partnership or university)."))
        if not geo.is_province(project.partner_province):
            problems.append(ValidationFailed("bad_partner_province", "กรุณาเลือกจังหวัดของผู้ร่วมพัฒนา",
                                             "Choose the partner's province."))
    return problems


def validate_declarations(declarations: dict[str, bool]) -> list[DomainError]:
    if all(declarations.get(code) for code, _, _ in DECLARATIONS):
        return []
    return [ValidationFailed("declarations", "กรุณาทำเครื่องหมายยอมรับเงื่อนไขทั้ง 4 ข้อของใบส่งโครงการ",
                             "Tick all four declarations of the submission form.")]


def validate_form(form: SubmissionForm) -> list[DomainError]:
    """Every problem with the one-shot form, so it can all be fixed at once."""
    return (validate_organisation(form.organisation_step())
            + validate_contacts(form.contacts_step(), require_authority=False)
            + validate_project(form.project_step(), require_character=False)
            + validate_declarations(form.declarations))


# --- documents -----------------------------------------------------------------------------------------------------

FileKind = Literal["deck", "form"]


def deck_analysis(info: documents.DeckInfo) -> dict[str, Any]:
    return {
        "slide_count": info.slide_count,
        "slides": [{"number": s.number, "title": s.title, "text": s.text[:_SLIDE_TEXT_KEPT],
                    "notes": s.notes[:_SLIDE_TEXT_KEPT]} for s in info.slides],
        "topics": [{"code": t.code, "title_th": t.title_th, "title_en": t.title_en, "slides": t.slides,
                    "in_title": t.in_title} for t in info.topics],
        "missing_topics": [t.code for t in info.missing_topics],
    }


def form_analysis(info: documents.FormInfo) -> dict[str, Any]:
    return {"kind": info.kind, "page_count": info.page_count, "is_scan": info.is_scan,
            "text": info.text[:_FORM_TEXT_KEPT], "width": info.width, "height": info.height}


def coverage_lines(analysis: dict[str, Any], lang: str = "th") -> list[str]:
    """The deck's topic checklist from a stored analysis, e.g. "Roadmap: สไลด์ 14–15", "ชุดข้อมูล: ไม่พบ"."""
    lines = []
    for t in analysis.get("topics", []):
        cov = documents.TopicCoverage(t["code"], t["title_th"], t["title_en"], list(t["slides"]), t["in_title"])
        lines.append(documents.format_coverage(cov, "en" if lang == "en" else "th"))
    return lines


def guess_kind(data: bytes, filename: str) -> FileKind:
    """Deck or signed form, by content first (zip or OLE2 means a PowerPoint attempt), then by name."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or filename.lower().endswith((".pptx", ".ppt", ".pptm")):
        return "deck"
    return "form"


def check_upload(kind: FileKind, upload: Upload) -> dict[str, Any]:
    """The intake's check of one file: its analysis, or a DocumentError saying what to do."""
    settings = get_settings()
    if kind == "deck":
        return deck_analysis(documents.check_deck(upload.data, upload.filename,
                                                  max_bytes=settings.max_deck_mb * 1024 * 1024))
    # In a limited child process: a hostile PDF costs that process its CPU budget, not the app's cores.
    return form_analysis(form_check.check_signed_form_isolated(upload.data, upload.filename,
                                                               max_bytes=settings.max_form_mb * 1024 * 1024))


def file_verdict(upload: Upload, kind: FileKind | None = None) -> dict[str, Any]:
    """What the intake would say about a file, as plain data (for `ldaward check-file`)."""
    kind = kind or guess_kind(upload.data, upload.filename)
    verdict: dict[str, Any] = {"file": upload.filename, "kind": kind, "size": len(upload.data),
                               "sha256": documents.sha256_hex(upload.data)}
    try:
        analysis = check_upload(kind, upload)
    except documents.DocumentError as e:
        return verdict | {"accepted": False, "code": e.code, "message_th": e.message_th, "message_en": e.message_en}
    summary = {k: v for k, v in analysis.items() if k not in ("slides", "text")}
    if kind == "deck":
        summary["coverage_th"] = coverage_lines(analysis, "th")
        summary["coverage_en"] = coverage_lines(analysis, "en")
        summary["slide_titles"] = [s["title"] for s in analysis["slides"]]
    else:
        summary["has_text"] = bool(analysis["text"].strip())
    return verdict | {"accepted": True, "code": "ok", "analysis": summary}


def _prefixed(kind: AttachmentKind, e: documents.DocumentError) -> ValidationFailed:
    if kind == AttachmentKind.deck:
        return ValidationFailed(e.code, f"ไฟล์นำเสนอ (PowerPoint): {e.message_th}",
                                f"Presentation (PowerPoint): {e.message_en}")
    return ValidationFailed(e.code, f"ใบส่งโครงการที่ลงนามแล้ว: {e.message_th}", f"Signed submission form: {e.message_en}")


def _check_files(files: dict[AttachmentKind, Upload]) -> tuple[dict[AttachmentKind, dict[str, Any]], list[DomainError]]:
    analyses: dict[AttachmentKind, dict[str, Any]] = {}
    problems: list[DomainError] = []
    for kind, upload in files.items():
        try:
            analyses[kind] = check_upload("deck" if kind == AttachmentKind.deck else "form", upload)
        except documents.DocumentError as e:
            problems.append(_prefixed(kind, e))
    return analyses, problems


def store_file(*, session: Session, data: bytes) -> str:
    """Store content once by its sha256 and return the digest."""
    digest = documents.sha256_hex(data)
    if session.get(StoredFile, digest) is None:
        session.add(StoredFile(sha256=digest, size=len(data), content=data))
        session.flush()  # no ORM relationship orders this insert before the attachment that points to it
    return digest


def _media_type(kind: AttachmentKind, data: bytes) -> str:
    if kind == AttachmentKind.deck:
        return documents.PPTX_MEDIA_TYPE
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"


def _safe_name(filename: str) -> str:
    """The last path component only, so a stored name can never point elsewhere."""
    name = re.split(r"[\\/]", filename)[-1].strip().lstrip(".") or "file"
    return name[:255]


def _attach(session: Session, submission_id: int, kind: AttachmentKind, upload: Upload,
            analysis: dict[str, Any]) -> None:
    """Store the file and point the submission's attachment of this kind at it (replacing an earlier one)."""
    digest = store_file(session=session, data=upload.data)
    row = session.exec(select(Attachment).where(Attachment.submission_id == submission_id,
                                                Attachment.kind == kind)).first()
    if row is None:
        row = Attachment(submission_id=submission_id, kind=kind, original_name="", media_type="", size=0,
                         sha256=digest)
    row.original_name = _safe_name(upload.filename)
    row.media_type = _media_type(kind, upload.data)
    row.size = len(upload.data)
    row.sha256 = digest
    row.analysis = analysis
    row.uploaded_at = contest_now()
    session.add(row)


def _view_attachment(a: Attachment) -> AttachmentView:
    return AttachmentView(a.id or 0, AttachmentKind(a.kind), a.original_name, a.media_type, a.size, a.sha256,
                          dict(a.analysis or {}))


def attachments(*, session: Session, submission_id: int) -> list[AttachmentView]:
    rows = session.exec(select(Attachment).where(Attachment.submission_id == submission_id)
                        .order_by(col(Attachment.kind))).all()
    return [_view_attachment(a) for a in rows]


def file_content(*, session: Session, sha256: str) -> bytes:
    stored = session.get(StoredFile, sha256)
    if stored is None:
        raise NotFound("no_file", "ไม่พบไฟล์นี้", "No such file.")
    return stored.content


# --- deadline ------------------------------------------------------------------------------------------------------


def intake_open(edition: Edition, now: datetime) -> bool:
    return edition.intake_opens_at <= now <= edition.intake_closes_at


def deadline_of(edition: Edition, sub: Submission | None = None) -> datetime:
    """When intake closes for this submission: the edition's close, or the organisers' later extension."""
    closes = edition.intake_closes_at
    if sub is not None and sub.deadline_extended_until is not None and sub.deadline_extended_until > closes:
        return sub.deadline_extended_until
    return closes


def _check_open(edition: Edition, sub: Submission | None, now: datetime) -> None:
    if now < edition.intake_opens_at:
        raise ValidationFailed(
            "intake_not_open",
            f"{edition.name} ยังไม่เปิดรับสมัคร เปิดรับตั้งแต่ {format_thai_datetime(edition.intake_opens_at)}",
            f"Intake for this edition has not opened yet; it opens {edition.intake_opens_at:%Y-%m-%d %H:%M} UTC.")
    deadline = deadline_of(edition, sub)
    if now > deadline:
        extended = sub is not None and deadline != edition.intake_closes_at
        raise ValidationFailed(
            "intake_closed",
            f"ขณะนี้ไม่อยู่ในช่วงรับสมัคร ({edition.name} รับสมัคร{'และแก้ไขผลงานนี้' if extended else ''}ถึง "
            f"{format_thai_datetime(deadline)}) จึงส่งหรือแก้ไขผลงานไม่ได้ กรุณาติดต่อผู้จัดงาน โทร 02-612-6060",
            f"Intake is closed (it closed {deadline:%Y-%m-%d %H:%M} UTC), so nothing can be sent or changed. "
            "Please contact the organisers, tel. 02-612-6060.",
        )


def ensure_open(*, session: Session, edition_id: int, now: datetime | None = None) -> None:
    """Raise the deadline message when the edition takes no new submissions now."""
    _check_open(_edition(session, edition_id), None, now or contest_now())


# --- receipts and access -------------------------------------------------------------------------------------------


def new_receipt_code(year_be: int) -> str:
    body = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(8))
    return f"LDA{year_be % 100:02d}-{body[:4]}-{body[4:]}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_codes(session: Session, edition: Edition) -> tuple[str, str]:
    code = new_receipt_code(edition.year_be)
    while session.exec(select(Submission.id).where(Submission.receipt_code == code)).first():
        code = new_receipt_code(edition.year_be)
    return code, secrets.token_urlsafe(24)


def _bad_access() -> Forbidden:
    return Forbidden("bad_access", "เลขที่ใบรับหรือรหัสแก้ไขไม่ถูกต้อง กรุณาตรวจสอบลิงก์หรือรหัสที่ได้รับเมื่อบันทึกครั้งแรก",
                     "The receipt code or edit code is wrong. Check the link or codes you were given.")


def _authorised(session: Session, access: Access) -> Submission:
    code = access.receipt_code.strip().upper()
    sub = session.exec(select(Submission).where(Submission.receipt_code == code)).first()
    # Compare digests in constant time; a submission without a token (demo, re-keyed) can never be opened.
    if sub is None or not sub.edit_token_hash or not hmac.compare_digest(
            sub.edit_token_hash, hash_token(access.edit_token.strip())):
        raise _bad_access()
    return sub


def _edition(session: Session, edition_id: int) -> Edition:
    edition = session.get(Edition, edition_id)
    if edition is None:
        raise NotFound("no_edition", "ไม่พบรุ่นการประกวดนี้", "No such contest edition.")
    return edition


def _for_edit(session: Session, access: Access, now: datetime) -> tuple[Submission, Edition]:
    sub = _authorised(session, access)
    edition = _edition(session, sub.edition_id)
    if sub.status not in EDITABLE_STATUSES:
        raise ValidationFailed(
            "already_screened", "ผู้จัดงานตรวจผลงานนี้แล้ว จึงแก้ไขไม่ได้ หากต้องการแก้ไขกรุณาติดต่อผู้จัดงาน โทร 02-612-6060",
            "The organisers have already screened this submission, so it cannot be changed. Please contact them.")
    _check_open(edition, sub, now)
    return sub, edition


# --- organisations -------------------------------------------------------------------------------------------------


def find_or_create_organisation(
    *, session: Session, org_type: OrgType, name: str, province: str, district: str = "", subdistrict: str = "",
    short_name: str | None = None, full_name: str | None = None,
) -> Organisation:
    full, short = compose_names(org_type, name)
    place = short[len(org_type.value):] if org_type != OrgType.special else short
    known = geo.province_by_name(province)
    province = known.name_th if known else province
    org = session.exec(
        select(Organisation).where(
            Organisation.org_type == org_type, Organisation.name == place, Organisation.province == province
        )
    ).first()
    if org is None:
        org = Organisation(
            org_type=org_type, name=place, full_name=full_name or full, short_name=short_name or short,
            province=province, district=district.strip(), subdistrict=subdistrict.strip(),
        )
        session.add(org)
        session.flush()
    elif (district.strip() and not org.district) or (subdistrict.strip() and not org.subdistrict):
        # Fill in what is missing; an applicant never overwrites what another submission already said.
        org.district = org.district or district.strip()
        org.subdistrict = org.subdistrict or subdistrict.strip()
        session.add(org)
    return org


def _organisation_of(session: Session, step: OrganisationStep) -> Organisation:
    return find_or_create_organisation(session=session, org_type=OrgType(step.org_type), name=step.org_name,
                                       province=step.province, district=step.district, subdistrict=step.subdistrict)


# --- the guided flow -----------------------------------------------------------------------------------------------


def _audit_change(session: Session, sub: Submission, action: str, actor: str, changes: dict[str, Any]) -> None:
    """Apply changes to the submission and audit what differed (personal data as 'changed', not its value)."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key, value in changes.items():
        old = getattr(sub, key)
        if old == value:
            continue
        masked = key in PERSONAL_FIELDS
        before[key] = "•••" if masked and old else (old.isoformat() if isinstance(old, date) else old)
        after[key] = "(changed)" if masked else (value.isoformat() if isinstance(value, date) else value)
        setattr(sub, key, value)
    audit.record(session=session, actor=actor, action=action, entity="submission", entity_id=sub.id,
                 before=before or None, after=after or {"saved": True})


def _contact_changes(contacts: ContactsStep) -> dict[str, Any]:
    return {
        "submitter_name": contacts.submitter_name.strip(),
        "submitter_position": contacts.submitter_position.strip(),
        "submitter_has_signing_authority": contacts.submitter_has_signing_authority,
        "coordinator_name": contacts.coordinator_name.strip(),
        "coordinator_phone": normalise_phone(contacts.coordinator_phone),
        "coordinator_email": contacts.coordinator_email.strip().lower(),
    }


def _project_changes(project: ProjectStep) -> dict[str, Any]:
    extension = project.is_new_initiative is False
    partner = project.developed_by == "partner"
    known = geo.province_by_name(project.partner_province) if partner else None
    return {
        "title": project.title.strip(),
        "category": project.category,
        "golive_date": project.golive_date,
        "is_new_initiative": project.is_new_initiative,
        "earlier_project_name": project.earlier_project_name.strip() if extension else "",
        "earlier_project_year_be": project.earlier_project_year_be if extension else None,
        "developed_by": project.developed_by,
        "partner_name": project.partner_name.strip() if partner else "",
        "partner_province": known.name_th if known else "",
        "digital_declared": project.digital_declared,
    }


def _actor(sub: Submission) -> str:
    return f"applicant:{sub.receipt_code}"


def _touch(sub: Submission, step: int, now: datetime) -> None:
    sub.draft_step = max(sub.draft_step, step)
    sub.updated_at = now


def start(*, session: Session, edition_id: int, organisation: OrganisationStep,
          now: datetime | None = None) -> Started:
    """Step 1: save the organisation as a new draft, and hand out its receipt code and secret edit token."""
    edition = _edition(session, edition_id)
    now = now or contest_now()
    _check_open(edition, None, now)
    organisation = text_limits.cleaned_fields(organisation)
    problems = validate_organisation(organisation)
    if problems:
        raise SubmissionRejected(problems)
    org = _organisation_of(session, organisation)
    code, token = _new_codes(session, edition)
    assert org.id is not None
    sub = Submission(edition_id=edition_id, organisation_id=org.id, title="", category="",
                     status=SubmissionStatus.draft, receipt_code=code, edit_token_hash=hash_token(token),
                     draft_step=STEP_ORGANISATION, updated_at=now)
    session.add(sub)
    session.flush()
    audit.record(session=session, actor=_actor(sub), action="submission.draft_start", entity="submission",
                 entity_id=sub.id, after={"organisation": org.short_name})
    session.commit()
    access = Access(code, token)
    return Started(access, load(session=session, access=access, now=now))


def start_another(*, session: Session, access: Access, now: datetime | None = None) -> Started:
    """"Submit another project": a new draft with the organisation and contacts carried over, at the project step."""
    now = now or contest_now()
    source = _authorised(session, access)
    edition = _edition(session, source.edition_id)
    _check_open(edition, None, now)
    code, token = _new_codes(session, edition)
    sub = Submission(
        edition_id=source.edition_id, organisation_id=source.organisation_id, title="", category="",
        status=SubmissionStatus.draft, receipt_code=code, edit_token_hash=hash_token(token),
        submitter_name=source.submitter_name, submitter_position=source.submitter_position,
        submitter_has_signing_authority=source.submitter_has_signing_authority,
        coordinator_name=source.coordinator_name, coordinator_phone=source.coordinator_phone,
        coordinator_email=source.coordinator_email, draft_step=STEP_CONTACTS, updated_at=now,
    )
    session.add(sub)
    session.flush()
    audit.record(session=session, actor=_actor(sub), action="submission.draft_start", entity="submission",
                 entity_id=sub.id, after={"carried_from": source.receipt_code})
    session.commit()
    new_access = Access(code, token)
    return Started(new_access, load(session=session, access=new_access, now=now))


def save_organisation(*, session: Session, access: Access, organisation: OrganisationStep,
                      now: datetime | None = None) -> DraftView:
    now = now or contest_now()
    sub, _ = _for_edit(session, access, now)
    organisation = text_limits.cleaned_fields(organisation)
    problems = validate_organisation(organisation)
    if problems:
        raise SubmissionRejected(problems)
    org = _organisation_of(session, organisation)
    _audit_change(session, sub, "submission.edit_organisation", _actor(sub), {"organisation_id": org.id})
    _touch(sub, STEP_ORGANISATION, now)
    session.add(sub)
    session.commit()
    return load(session=session, access=access, now=now)


def save_contacts(*, session: Session, access: Access, contacts: ContactsStep,
                  now: datetime | None = None) -> DraftView:
    now = now or contest_now()
    sub, _ = _for_edit(session, access, now)
    contacts = text_limits.cleaned_fields(contacts)
    problems = validate_contacts(contacts, require_authority=True)
    if problems:
        raise SubmissionRejected(problems)
    _audit_change(session, sub, "submission.edit_contacts", _actor(sub), _contact_changes(contacts))
    _touch(sub, STEP_CONTACTS, now)
    session.add(sub)
    session.commit()
    return load(session=session, access=access, now=now)


def save_project(*, session: Session, access: Access, project: ProjectStep, now: datetime | None = None) -> DraftView:
    now = now or contest_now()
    sub, _ = _for_edit(session, access, now)
    project = text_limits.cleaned_fields(project)
    problems = validate_project(project, require_character=True, now=now)
    if problems:
        raise SubmissionRejected(problems)
    _audit_change(session, sub, "submission.edit_project", _actor(sub), _project_changes(project))
    _touch(sub, STEP_PROJECT, now)
    session.add(sub)
    session.commit()
    return load(session=session, access=access, now=now)


def save_documents(*, session: Session, access: Access, deck: Upload | None = None,
                   signed_form: Upload | None = None, now: datetime | None = None,
                   client: str | None = None) -> DraftView:
    """Step 4: check and store the deck and/or the signed form (a new file replaces the earlier one).

    With `client` (the page's rate-limit identity), each file counts against the per-client upload limit, committed
    before the check so that refused files count too: checking is what costs."""
    now = now or contest_now()
    sub, _ = _for_edit(session, access, now)
    assert sub.id is not None
    files = {k: u for k, u in ((AttachmentKind.deck, deck), (AttachmentKind.signed_form, signed_form)) if u}
    if client is not None and files:
        limit = ratelimit.upload_limit()
        subject = ratelimit.subject_of(session=session, bucket=limit.bucket, client=client)
        for _ in files:
            ratelimit.hit(session=session, limit=limit, subject=subject)
        session.commit()
    have = {a.kind for a in attachments(session=session, submission_id=sub.id)}
    missing = [k for k in AttachmentKind if k not in have and k not in files]
    if missing:
        raise SubmissionRejected([ValidationFailed(
            "attach_both", "กรุณาแนบทั้งไฟล์นำเสนอและใบส่งโครงการที่ลงนามแล้ว",
            "Attach both the presentation and the signed form.")])
    analyses, problems = _check_files(files)
    if problems:
        raise SubmissionRejected(problems)
    for kind, upload in files.items():
        _attach(session, sub.id, kind, upload, analyses[kind])
    audit.record(session=session, actor=_actor(sub), action="submission.upload", entity="submission",
                 entity_id=sub.id, after={str(k): documents.sha256_hex(u.data) for k, u in files.items()})
    _touch(sub, STEP_DOCUMENTS, now)
    session.add(sub)
    session.commit()
    return load(session=session, access=access, now=now)


def send(*, session: Session, access: Access, declarations: dict[str, bool], now: datetime | None = None) -> DraftView:
    """Step 5 ("send"): the four declarations ticked and everything the form asks present; the draft becomes a
    submission. Sending again after an edit only records the declarations."""
    now = now or contest_now()
    sub, _ = _for_edit(session, access, now)
    assert sub.id is not None
    org = session.get(Organisation, sub.organisation_id)
    kinds = {a.kind for a in attachments(session=session, submission_id=sub.id)}
    gaps = [ValidationFailed(m.code, m.message_th, m.message_en)
            for m in _missing(sub, kinds, include_declarations=False, include_confirm=False)]
    problems: list[DomainError] = [*gaps, *validate_declarations(declarations)]
    if problems:
        raise SubmissionRejected(problems)
    sub.declarations = {code: True for code, _, _ in DECLARATIONS}
    first = sub.status == SubmissionStatus.draft
    if first:
        sub.status = SubmissionStatus.submitted
        sub.submitted_at = now
    audit.record(session=session, actor=_actor(sub), action="submission.submit" if first else "submission.resend",
                 entity="submission", entity_id=sub.id,
                 after={"title": sub.title, "organisation": org.short_name if org else ""})
    if first:  # the receipt, with the edit link: the token is in hand only here
        mail_notify.submission_sent(session=session, submission=sub, token=access.edit_token.strip())
    _touch(sub, STEP_SEND, now)
    session.add(sub)
    session.commit()
    return load(session=session, access=access, now=now)


def save_answers(*, session: Session, access: Access, answers: questionnaire.Answers, confirm: bool = False,
                 now: datetime | None = None) -> DraftView:
    """Step 7's questions: saved as they are; with `confirm`, checked for completeness and the submission is
    confirmed."""
    now = now or contest_now()
    sub, _ = _for_edit(session, access, now)
    if sub.status == SubmissionStatus.draft:
        raise ValidationFailed("send_first", "กรุณากด \"ส่ง\" ก่อน แล้วจึงตอบคำถามและกดยืนยัน",
                               "Press \"Send\" first, then answer the questions and confirm.")
    answers = questionnaire.normalise(answers)
    problems = questionnaire.validate(answers, for_confirm=confirm)
    if problems:
        raise SubmissionRejected(problems)
    sub.answers = questionnaire.dump_answers(answers)
    after: dict[str, Any] = {"digital_tools": answers.digital_tools,
                             "communication_channels": answers.communication_channels}
    if confirm:
        sub.confirmed_at = now
        after["confirmed"] = True
        _touch(sub, STEP_CONFIRM, now)
    else:
        sub.updated_at = now
    audit.record(session=session, actor=_actor(sub), action="submission.confirm" if confirm else "submission.answers",
                 entity="submission", entity_id=sub.id, after=after)
    session.add(sub)
    session.commit()
    return load(session=session, access=access, now=now)


def _missing(sub: Submission, kinds: set[AttachmentKind], *, include_declarations: bool = True,
             include_confirm: bool = True) -> list[Missing]:
    """What the call asks that this submission does not have yet."""
    gaps: list[Missing] = []

    def need(ok: object, code: str, th: str, en: str) -> None:
        if not ok:
            gaps.append(Missing(code, th, en))

    need(sub.submitter_name and sub.submitter_position, "missing_submitter", "ยังไม่มีชื่อและตำแหน่งผู้ส่งโครงการ",
         "The submitter's name and position are missing.")
    need(sub.submitter_has_signing_authority, "no_signing_authority", "ยังไม่ได้ยืนยันว่าผู้ส่งเป็นผู้มีอำนาจลงนาม",
         "The submitter's signing authority is not confirmed.")
    need(sub.coordinator_name and sub.coordinator_phone and sub.coordinator_email, "missing_coordinator",
         "ยังไม่มีข้อมูลผู้ประสานงาน (ชื่อ โทรศัพท์ อีเมล)", "The coordinator's contacts are missing.")
    need(sub.title and sub.category, "missing_project", "ยังไม่มีชื่อโครงการหรือประเภทผลงาน",
         "The project title or category is missing.")
    need(sub.golive_date, "missing_golive", "ยังไม่ได้ระบุวันที่เริ่มใช้งานจริง", "The go-live date is missing.")
    need(sub.is_new_initiative is not None and sub.developed_by, "missing_character",
         "ยังไม่ได้ระบุลักษณะโครงการ (ริเริ่มใหม่/ต่อยอด และรูปแบบการพัฒนา)",
         "The character of the project (new or extension; how it was developed) is missing.")
    need(AttachmentKind.deck in kinds, "missing_deck", "ยังไม่ได้แนบไฟล์นำเสนอ (.pptx)", "The deck (.pptx) is missing.")
    need(AttachmentKind.signed_form in kinds, "missing_signed_form", "ยังไม่ได้แนบใบส่งโครงการที่ลงนามแล้ว",
         "The signed submission form is missing.")
    if include_declarations:
        need(all(sub.declarations.get(c) for c, _, _ in DECLARATIONS), "declarations",
             "ยังไม่ได้ยอมรับเงื่อนไขทั้ง 4 ข้อ", "The four declarations are not all accepted.")
    if include_confirm:
        need(sub.confirmed_at, "not_confirmed", "ยังไม่ได้ตอบคำถามขั้นตอนที่ 7 และกดยืนยัน",
             "The step-7 questions have not been answered and confirmed.")
    return gaps


def _eligibility(sub: Submission, org: Organisation | None, edition: Edition) -> eligibility.Eligibility:
    return eligibility.assess(org_type=str(org.org_type) if org else None, golive_date=sub.golive_date,
                              golive_cutoff=edition.golive_cutoff, digital_declared=sub.digital_declared,
                              confirmed_by=sub.eligibility_confirmed_by)


def load(*, session: Session, access: Access, now: datetime | None = None) -> DraftView:
    """The applicant's own submission, opened with the receipt code and edit token."""
    sub = _authorised(session, access)
    return _draft_view(session, sub, now or contest_now())


def _draft_view(session: Session, sub: Submission, now: datetime) -> DraftView:
    assert sub.id is not None
    edition = _edition(session, sub.edition_id)
    org = session.get(Organisation, sub.organisation_id)
    assert org is not None
    files = tuple(attachments(session=session, submission_id=sub.id))
    deadline = deadline_of(edition, sub)
    return DraftView(
        id=sub.id, edition_id=sub.edition_id, receipt_code=sub.receipt_code, status=SubmissionStatus(sub.status),
        draft_step=sub.draft_step,
        organisation=OrganisationStep(str(org.org_type), org.name, org.province, org.district, org.subdistrict),
        full_name=org.full_name, short_name=org.short_name,
        contacts=ContactsStep(sub.submitter_name, sub.submitter_position, sub.coordinator_name, sub.coordinator_phone,
                              sub.coordinator_email, sub.submitter_has_signing_authority),
        project=ProjectStep(sub.title, sub.category, sub.golive_date, sub.is_new_initiative,
                            sub.earlier_project_name, sub.earlier_project_year_be, sub.developed_by,
                            sub.partner_name, sub.partner_province, sub.digital_declared),
        declarations={k: bool(v) for k, v in sub.declarations.items()},
        answers=questionnaire.load_answers(sub.answers), attachments=files, submitted_at=sub.submitted_at,
        confirmed_at=sub.confirmed_at, deadline=deadline,
        editable=SubmissionStatus(sub.status) in EDITABLE_STATUSES and edition.intake_opens_at <= now <= deadline,
        eligibility=_eligibility(sub, org, edition),
        missing=tuple(_missing(sub, {a.kind for a in files})),
    )


# --- one-shot intake (re-keyed entries, `ldaward import`) -------------------------------------------------------


def submit(
    *, session: Session, edition_id: int, form: SubmissionForm, deck: Upload, signed_form: Upload,
    now: datetime | None = None, actor: str | None = None, enforce_deadline: bool = True,
) -> Receipt:
    """Check everything, then save the submission and its files in one transaction and return the receipt."""
    edition = _edition(session, edition_id)
    now = now or contest_now()
    if enforce_deadline:
        _check_open(edition, None, now)
    form = text_limits.cleaned_fields(form)
    analyses, file_problems = _check_files({AttachmentKind.deck: deck, AttachmentKind.signed_form: signed_form})
    problems = validate_form(form) + file_problems
    if problems:
        raise SubmissionRejected(problems)
    org = _organisation_of(session, form.organisation_step())
    code, token = _new_codes(session, edition)
    assert org.id is not None
    sub = Submission(
        edition_id=edition_id, organisation_id=org.id, status=SubmissionStatus.submitted, receipt_code=code,
        edit_token_hash=hash_token(token), declarations={c: bool(form.declarations.get(c)) for c, _, _ in DECLARATIONS},
        submitted_at=now, draft_step=STEP_SEND,
        **_contact_changes(form.contacts_step()), **_project_changes(form.project_step()),
    )
    session.add(sub)
    session.flush()
    assert sub.id is not None
    for kind, upload in ((AttachmentKind.deck, deck), (AttachmentKind.signed_form, signed_form)):
        _attach(session, sub.id, kind, upload, analyses[kind])
    audit.record(session=session, actor=actor or f"applicant:{code}", action="submission.submit",
                 entity="submission", entity_id=sub.id, after={"title": sub.title, "organisation": org.short_name})
    session.commit()
    return Receipt(sub.id, code, token, org.full_name, sub.title, now)


# --- organisers: list, screening queue, decisions, extensions -----------------------------------------------------


@dataclass(frozen=True)
class SubmissionRow:
    """A submission as organisers see it, personal contacts included (PDPA: organisers only)."""

    id: int
    receipt_code: str
    title: str
    category: str
    status: SubmissionStatus
    organisation: str
    short_name: str
    province: str
    golive_date: date | None
    submitter_name: str
    submitter_position: str
    coordinator_name: str
    coordinator_phone: str
    coordinator_email: str
    submitted_at: datetime | None
    attachments: tuple[AttachmentView, ...]


def list_for_organisers(*, session: Session, edition_id: int) -> list[SubmissionRow]:
    return [q.row for q in screening_queue(session=session, edition_id=edition_id, include_drafts=True)]


@dataclass(frozen=True)
class QueueRow:
    """One line of the organisers' screening queue."""

    row: SubmissionRow
    eligibility: eligibility.Eligibility
    missing: tuple[Missing, ...]
    deadline: datetime
    deadline_extended_until: datetime | None
    confirmed_at: datetime | None
    eligibility_confirmed_by: str
    screening_note: str
    answers: dict[str, Any]
    project: ProjectStep

    @property
    def complete(self) -> bool:
        return not self.missing

    def attachment(self, kind: AttachmentKind) -> AttachmentView | None:
        return next((a for a in self.row.attachments if a.kind == kind), None)


def screening_queue(*, session: Session, edition_id: int, include_drafts: bool = False) -> list[QueueRow]:
    edition = _edition(session, edition_id)
    stmt = (select(Submission, Organisation).join(Organisation).where(Submission.edition_id == edition_id)
            .order_by(col(Submission.id)))
    if not include_drafts:
        stmt = stmt.where(Submission.status != SubmissionStatus.draft)
    rows = session.exec(stmt).all()
    files: dict[int, list[AttachmentView]] = {}
    for a in session.exec(select(Attachment).join(Submission).where(Submission.edition_id == edition_id)
                          .order_by(col(Attachment.kind))):
        files.setdefault(a.submission_id, []).append(_view_attachment(a))
    out = []
    for s, o in rows:
        mine = tuple(files.get(s.id or 0, []))
        row = SubmissionRow(
            s.id or 0, s.receipt_code, s.title, s.category, SubmissionStatus(s.status), o.full_name, o.short_name,
            o.province, s.golive_date, s.submitter_name, s.submitter_position, s.coordinator_name,
            s.coordinator_phone, s.coordinator_email, s.submitted_at, mine,
        )
        out.append(QueueRow(
            row, _eligibility(s, o, edition), tuple(_missing(s, {a.kind for a in mine})), deadline_of(edition, s),
            s.deadline_extended_until, s.confirmed_at, s.eligibility_confirmed_by, s.screening_note,
            dict(s.answers or {}),
            ProjectStep(s.title, s.category, s.golive_date, s.is_new_initiative, s.earlier_project_name,
                        s.earlier_project_year_be, s.developed_by, s.partner_name, s.partner_province,
                        s.digital_declared),
        ))
    return out


def set_status(*, session: Session, submission_id: int, status: SubmissionStatus, reason: str, actor: str) -> None:
    """Screening decision: accept or reject (with a reason), audited."""
    sub = session.get(Submission, submission_id)
    if sub is None:
        raise NotFound("no_submission", "ไม่พบผลงานนี้", "No such submission.")
    if status == SubmissionStatus.rejected and not reason.strip():
        raise ValidationFailed("reason_required", "กรุณาระบุเหตุผลที่ไม่รับผลงาน", "Give the reason for rejecting.")
    before = {"status": str(sub.status)}
    sub.status = status
    if reason.strip():
        sub.screening_note = reason.strip()
    sub.updated_at = contest_now()
    session.add(sub)
    audit.record(session=session, actor=actor, action="submission.status", entity="submission",
                 entity_id=submission_id, before=before, after={"status": status.value, "reason": reason.strip()})
    mail_notify.status_changed(session=session, submission=sub, reason=reason.strip(), previous=before["status"])
    session.commit()


def grant_extension(*, session: Session, submission_id: int, until: datetime | None, reason: str,
                    actor: str) -> None:
    """An organiser lets one submission be sent or edited until `until` (None withdraws the extension). Audited."""
    sub = session.get(Submission, submission_id)
    if sub is None:
        raise NotFound("no_submission", "ไม่พบผลงานนี้", "No such submission.")
    edition = _edition(session, sub.edition_id)
    if not reason.strip():
        raise ValidationFailed("reason_required", "กรุณาระบุเหตุผลของการขยายเวลา", "Give the reason for the extension.")
    if until is not None and until <= edition.intake_closes_at:
        raise ValidationFailed(
            "extension_too_early", f"วันที่ขยายเวลาต้องอยู่หลังวันปิดรับสมัคร ({format_thai_datetime(edition.intake_closes_at)})",
            "The extension must end after intake closes.")
    before = {"deadline_extended_until": sub.deadline_extended_until}
    sub.deadline_extended_until = until
    session.add(sub)
    audit.record(session=session, actor=actor, action="submission.extension", entity="submission",
                 entity_id=submission_id, before=before,
                 after={"deadline_extended_until": until, "reason": reason.strip()})
    mail_notify.extension_granted(session=session, submission=sub)
    session.commit()


def attach_file(*, session: Session, submission_id: int, kind: AttachmentKind, upload: Upload) -> None:
    """Check one file as the intake does and attach it to the submission (replacing an earlier one of its kind).
    For loaders and re-keying; the applicant's own flow checks and attaches through its steps."""
    analyses, problems = _check_files({kind: upload})
    if problems:
        raise problems[0]
    _attach(session, submission_id, kind, upload, analyses[kind])
