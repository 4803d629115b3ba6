"""Intake: an organisation's staff send a project with its deck and signed form, and get a receipt."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

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
from services import audit, documents, geo
from services.clock import contest_now
from services.errors import DomainError, NotFound, ValidationFailed
from services.settings import get_settings

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

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")
_RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread over the phone


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


@dataclass
class SubmissionForm:
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


@dataclass(frozen=True)
class Receipt:
    submission_id: int
    receipt_code: str
    edit_token: str
    organisation: str
    title: str
    submitted_at: datetime


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


def validate_form(form: SubmissionForm) -> list[DomainError]:
    """Every problem with the form, so the applicant can fix them all at once."""
    problems: list[DomainError] = []
    required = {
        "org_name": ("ชื่อหน่วยงาน", "organisation name"),
        "title": ("ชื่อโครงการ", "project title"),
        "submitter_name": ("ชื่อผู้ส่งโครงการ", "submitter's name"),
        "submitter_position": ("ตำแหน่งผู้ส่งโครงการ", "submitter's position"),
        "coordinator_name": ("ชื่อผู้ประสานงาน", "coordinator's name"),
    }
    for attr, (th, en) in required.items():
        if not str(getattr(form, attr)).strip():
            problems.append(ValidationFailed(f"missing_{attr}", f"กรุณากรอก{th}", f"Please fill in the {en}."))
    try:
        OrgType(form.org_type)
    except ValueError:
        problems.append(ValidationFailed("bad_org_type", "กรุณาเลือกประเภทองค์กรปกครองส่วนท้องถิ่น",
                                         "Choose the type of local administrative organisation."))
    if not geo.is_province(form.province):
        problems.append(ValidationFailed("bad_province", "กรุณาเลือกจังหวัดจากรายชื่อ 77 จังหวัด",
                                         "Choose the province from the list of 77."))
    if form.category not in CATEGORIES:
        problems.append(ValidationFailed("bad_category", "กรุณาเลือกประเภทผลงาน", "Choose the category."))
    try:
        normalise_phone(form.coordinator_phone)
    except ValidationFailed as e:
        problems.append(e)
    if not _EMAIL_RE.match(form.coordinator_email.strip()):
        problems.append(ValidationFailed("bad_email", "อีเมลผู้ประสานงานไม่ถูกต้อง เช่น name@example.go.th",
                                         "The coordinator's e-mail is not valid, e.g. name@example.go.th."))
    missing = [code for code, _, _ in DECLARATIONS if not form.declarations.get(code)]
    if missing:
        problems.append(ValidationFailed(
            "declarations", "กรุณาทำเครื่องหมายยอมรับเงื่อนไขทั้ง 4 ข้อของใบส่งโครงการ",
            "Tick all four declarations of the submission form."))
    return problems


def _check_documents(deck: Upload, signed_form: Upload) -> list[DomainError]:
    settings = get_settings()
    problems: list[DomainError] = []
    try:
        documents.check_deck(deck.data, deck.filename, max_bytes=settings.max_deck_mb * 1024 * 1024)
    except documents.DocumentError as e:
        problems.append(ValidationFailed(e.code, f"ไฟล์นำเสนอ (PowerPoint): {e.message_th}",
                                         f"Presentation (PowerPoint): {e.message_en}"))
    try:
        documents.check_signed_form(signed_form.data, signed_form.filename,
                                    max_bytes=settings.max_form_mb * 1024 * 1024)
    except documents.DocumentError as e:
        problems.append(ValidationFailed(e.code, f"ใบส่งโครงการที่ลงนามแล้ว: {e.message_th}",
                                         f"Signed submission form: {e.message_en}"))
    return problems


class SubmissionRejected(DomainError):
    """The submission has problems; `problems` lists each one. Nothing was saved."""

    def __init__(self, problems: list[DomainError]) -> None:
        super().__init__(
            "submission_invalid",
            "ยังส่งไม่ได้ กรุณาแก้ไข: " + "; ".join(p.message_th for p in problems),
            "Not sent yet. Please fix: " + "; ".join(p.message_en for p in problems),
        )
        self.problems = problems


def intake_open(edition: Edition, now: datetime) -> bool:
    return edition.intake_opens_at <= now <= edition.intake_closes_at


def store_file(*, session: Session, data: bytes) -> str:
    """Store content once by its sha256 and return the digest."""
    digest = documents.sha256_hex(data)
    if session.get(StoredFile, digest) is None:
        session.add(StoredFile(sha256=digest, size=len(data), content=data))
        session.flush()  # no ORM relationship orders this insert before the attachment that points to it
    return digest


def _media_type(kind: AttachmentKind, data: bytes) -> str:
    if kind == AttachmentKind.deck:
        return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"


def new_receipt_code(year_be: int) -> str:
    body = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(8))
    return f"LDA{year_be % 100:02d}-{body[:4]}-{body[4:]}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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
    return org


def submit(
    *, session: Session, edition_id: int, form: SubmissionForm, deck: Upload, signed_form: Upload,
    now: datetime | None = None,
) -> Receipt:
    """Check everything, then save the submission and its files in one transaction and return the receipt."""
    edition = session.get(Edition, edition_id)
    if edition is None:
        raise NotFound("no_edition", "ไม่พบรุ่นการประกวดนี้", "No such contest edition.")
    now = now or contest_now()
    if not intake_open(edition, now):
        from services.thai import format_thai_datetime

        raise ValidationFailed(
            "intake_closed",
            f"ขณะนี้ไม่อยู่ในช่วงรับสมัคร ({edition.name} รับสมัครถึง "
            f"{format_thai_datetime(edition.intake_closes_at)}) กรุณาติดต่อผู้จัดงาน โทร 02-612-6060",
            "Intake is not open for this edition. Please contact the organisers.",
        )
    problems = validate_form(form) + _check_documents(deck, signed_form)
    if problems:
        raise SubmissionRejected(problems)
    org_type = OrgType(form.org_type)
    org = find_or_create_organisation(
        session=session, org_type=org_type, name=form.org_name, province=form.province,
        district=form.district, subdistrict=form.subdistrict,
    )
    token = secrets.token_urlsafe(24)
    code = new_receipt_code(edition.year_be)
    while session.exec(select(Submission.id).where(Submission.receipt_code == code)).first():
        code = new_receipt_code(edition.year_be)
    assert org.id is not None
    sub = Submission(
        edition_id=edition_id, organisation_id=org.id, title=form.title.strip(), category=form.category,
        status=SubmissionStatus.submitted, receipt_code=code, edit_token_hash=hash_token(token),
        golive_date=form.golive_date, submitter_name=form.submitter_name.strip(),
        submitter_position=form.submitter_position.strip(), coordinator_name=form.coordinator_name.strip(),
        coordinator_phone=normalise_phone(form.coordinator_phone),
        coordinator_email=form.coordinator_email.strip().lower(),
        declarations={code_: bool(form.declarations.get(code_)) for code_, _, _ in DECLARATIONS},
        submitted_at=now,
    )
    session.add(sub)
    session.flush()
    assert sub.id is not None
    for kind, upload in ((AttachmentKind.deck, deck), (AttachmentKind.signed_form, signed_form)):
        digest = store_file(session=session, data=upload.data)
        session.add(Attachment(
            submission_id=sub.id, kind=kind, original_name=_safe_name(upload.filename),
            media_type=_media_type(kind, upload.data), size=len(upload.data), sha256=digest,
        ))
    audit.record(session=session, actor=f"applicant:{code}", action="submission.submit", entity="submission",
                 entity_id=sub.id, after={"title": sub.title, "organisation": org.short_name})
    session.commit()
    return Receipt(sub.id, code, token, org.full_name, sub.title, now)


def _safe_name(filename: str) -> str:
    """The last path component only, so a stored name can never point elsewhere."""
    name = re.split(r"[\\/]", filename)[-1].strip().lstrip(".") or "file"
    return name[:255]


@dataclass(frozen=True)
class AttachmentView:
    id: int
    kind: AttachmentKind
    original_name: str
    media_type: str
    size: int
    sha256: str


def attachments(*, session: Session, submission_id: int) -> list[AttachmentView]:
    rows = session.exec(select(Attachment).where(Attachment.submission_id == submission_id)
                        .order_by(col(Attachment.kind))).all()
    return [AttachmentView(a.id or 0, AttachmentKind(a.kind), a.original_name, a.media_type, a.size, a.sha256)
            for a in rows]


def file_content(*, session: Session, sha256: str) -> bytes:
    stored = session.get(StoredFile, sha256)
    if stored is None:
        raise NotFound("no_file", "ไม่พบไฟล์นี้", "No such file.")
    return stored.content


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
    rows = session.exec(
        select(Submission, Organisation).join(Organisation).where(Submission.edition_id == edition_id)
        .order_by(col(Submission.id))
    ).all()
    files: dict[int, list[AttachmentView]] = {}
    for a in session.exec(select(Attachment).join(Submission).where(Submission.edition_id == edition_id)):
        files.setdefault(a.submission_id, []).append(
            AttachmentView(a.id or 0, AttachmentKind(a.kind), a.original_name, a.media_type, a.size, a.sha256))
    return [
        SubmissionRow(
            s.id or 0, s.receipt_code, s.title, s.category, SubmissionStatus(s.status), o.full_name, o.short_name,
            o.province, s.golive_date, s.submitter_name, s.submitter_position, s.coordinator_name,
            s.coordinator_phone, s.coordinator_email, s.submitted_at, tuple(files.get(s.id or 0, [])),
        )
        for s, o in rows
    ]


def set_status(*, session: Session, submission_id: int, status: SubmissionStatus, reason: str, actor: str) -> None:
    """Screening decision: accept or reject (with a reason), audited."""
    sub = session.get(Submission, submission_id)
    if sub is None:
        raise NotFound("no_submission", "ไม่พบผลงานนี้", "No such submission.")
    if status == SubmissionStatus.rejected and not reason.strip():
        raise ValidationFailed("reason_required", "กรุณาระบุเหตุผลที่ไม่รับผลงาน", "Give the reason for rejecting.")
    before = {"status": str(sub.status)}
    sub.status = status
    sub.updated_at = contest_now()
    session.add(sub)
    audit.record(session=session, actor=actor, action="submission.status", entity="submission",
                 entity_id=submission_id, before=before, after={"status": status.value, "reason": reason.strip()})
    session.commit()
