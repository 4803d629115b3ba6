"""Validation of the submission's steps: names, phones, e-mail, the project, the declarations."""

from __future__ import annotations

import re
from datetime import datetime

from models import (
    OrgType,
)
from services.intake.phrases import DECLARATION, DEVELOPED_BY, ORG_TYPE
from services.intake.records import (
    CATEGORIES,
    ContactsStep,
    OrganisationStep,
    ProjectStep,
    SubmissionForm,
)
from services.platform import text_limits
from services.platform.clock import contest_now
from services.platform.errors import DomainError, ValidationFailed
from services.thai import geo
from services.thai.dates import be_year

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")


# --- names, phones, validation -----------------------------------------------------------------------------------


def compose_names(org_type: OrgType, name: str) -> tuple[str, str]:
    """(full name, short name) the way the announcement writes them, e.g. เทศบาลตำบลท่าคันโท / ทต.ท่าคันโท."""
    name = name.strip()
    full = ORG_TYPE[org_type][0]
    for prefix in (full, org_type.value):
        if prefix and name.startswith(prefix):
            name = name[len(prefix) :].strip()
    if org_type == OrgType.special:
        return name, name
    return full + name, org_type.value + name


def normalise_phone(phone: str) -> str:
    digits = re.sub(r"[\s\-().]", "", phone)
    if digits.startswith("+66"):
        digits = "0" + digits[3:]
    if not re.fullmatch(r"0\d{8,9}", digits):
        raise ValidationFailed(
            "bad_phone",
            "เบอร์โทรศัพท์ไม่ถูกต้อง: ใส่ตัวเลข 9–10 หลักขึ้นต้นด้วย 0 เช่น 02-612-6060 หรือ 081-234-5678",
            "The phone number is not valid: 9–10 digits starting with 0, e.g. 02-612-6060.",
        )
    return digits


def _required(obj: object, fields: dict[str, tuple[str, str]]) -> list[DomainError]:
    return [
        ValidationFailed(f"missing_{attr}", f"กรุณากรอก{th}", f"Please fill in the {en}.")
        for attr, (th, en) in fields.items()
        if not str(getattr(obj, attr) or "").strip()
    ]


def validate_organisation(org: OrganisationStep) -> list[DomainError]:
    problems = _required(org, {"org_name": ("ชื่อหน่วยงาน", "organisation name")})
    problems += text_limits.length_problems(org, ("org_name", "district", "subdistrict"))
    try:
        OrgType(org.org_type)
    except ValueError:
        problems.append(
            ValidationFailed(
                "bad_org_type",
                "กรุณาเลือกประเภทองค์กรปกครองส่วนท้องถิ่น",
                "Choose the type of local administrative organisation.",
            )
        )
    if not geo.is_province(org.province):
        problems.append(
            ValidationFailed(
                "bad_province", "กรุณาเลือกจังหวัดจากรายชื่อ 77 จังหวัด", "Choose the province from the list of 77."
            )
        )
    return problems


def validate_contacts(contacts: ContactsStep, *, require_authority: bool) -> list[DomainError]:
    problems = _required(
        contacts,
        {
            "submitter_name": ("ชื่อผู้ส่งโครงการ", "submitter's name"),
            "submitter_position": ("ตำแหน่งผู้ส่งโครงการ", "submitter's position"),
            "coordinator_name": ("ชื่อผู้ประสานงาน", "coordinator's name"),
        },
    )
    problems += text_limits.length_problems(
        contacts, ("submitter_name", "submitter_position", "coordinator_name", "coordinator_phone", "coordinator_email")
    )
    if require_authority and not contacts.submitter_has_signing_authority:
        problems.append(
            ValidationFailed(
                "no_signing_authority",
                "ผู้ส่งโครงการต้องเป็นผู้มีอำนาจลงนามของหน่วยงาน กรุณายืนยันในช่องที่กำหนด",
                "The submitter must have signing authority for the organisation; please confirm it.",
            )
        )
    try:
        normalise_phone(contacts.coordinator_phone)
    except ValidationFailed as e:
        problems.append(e)
    if not _EMAIL_RE.match(contacts.coordinator_email.strip()):
        problems.append(
            ValidationFailed(
                "bad_email",
                "อีเมลผู้ประสานงานไม่ถูกต้อง เช่น name@example.go.th",
                "The coordinator's e-mail is not valid, e.g. name@example.go.th.",
            )
        )
    return problems


def validate_project(
    project: ProjectStep, *, require_character: bool, now: datetime | None = None
) -> list[DomainError]:
    problems = _required(project, {"title": ("ชื่อโครงการ", "project title")})
    problems += text_limits.length_problems(project, ("title", "earlier_project_name", "partner_name"))
    if project.category not in CATEGORIES:
        problems.append(ValidationFailed("bad_category", "กรุณาเลือกประเภทผลงาน", "Choose the category."))
    if require_character and project.golive_date is None:
        problems.append(
            ValidationFailed("missing_golive", "กรุณาระบุวันที่เริ่มใช้งานจริง", "Give the date the work went live.")
        )
    if require_character and project.is_new_initiative is None:
        problems.append(
            ValidationFailed(
                "missing_initiative",
                "กรุณาเลือกว่าเป็นโครงการริเริ่มใหม่หรือต่อยอดจากโครงการเดิม",
                "Say whether it is a new initiative or an extension of an earlier project.",
            )
        )
    if project.is_new_initiative is False:
        if not project.earlier_project_name.strip():
            problems.append(
                ValidationFailed(
                    "missing_earlier_name", "กรุณาระบุชื่อผลงาน/โครงการเดิมที่ต่อยอด", "Give the name of the earlier project."
                )
            )
        this_year = be_year(now or contest_now())
        year = project.earlier_project_year_be
        if year is None or not 2500 <= year <= this_year:
            problems.append(
                ValidationFailed(
                    "bad_earlier_year",
                    f"กรุณาระบุปี พ.ศ. ที่เริ่มโครงการเดิม (2500–{this_year}) เช่น 2562",
                    f"Give the Buddhist-era year the earlier project started (2500–{this_year}), e.g. 2562.",
                )
            )
    if require_character and project.developed_by not in DEVELOPED_BY:
        problems.append(
            ValidationFailed(
                "missing_developed_by",
                "กรุณาเลือกรูปแบบการพัฒนา (พัฒนาเองหรือร่วมกับผู้ประกอบการ)",
                "Say whether it was developed in-house or with a partner.",
            )
        )
    if project.developed_by == "partner":
        if not project.partner_name.strip():
            problems.append(
                ValidationFailed(
                    "missing_partner",
                    "กรุณาระบุชื่อผู้ร่วมพัฒนา (บริษัท/ห้างหุ้นส่วน/สถาบันการศึกษา)",
                    "Give the partner's name (company, partnership or university).",
                )
            )
        if not geo.is_province(project.partner_province):
            problems.append(
                ValidationFailed("bad_partner_province", "กรุณาเลือกจังหวัดของผู้ร่วมพัฒนา", "Choose the partner's province.")
            )
    return problems


def validate_declarations(declarations: dict[str, bool]) -> list[DomainError]:
    if all(declarations.get(code) for code in DECLARATION):
        return []
    return [
        ValidationFailed(
            "declarations",
            "กรุณาทำเครื่องหมายยอมรับเงื่อนไขทั้ง 4 ข้อของใบส่งโครงการ",
            "Tick all four declarations of the submission form.",
        )
    ]


def validate_form(form: SubmissionForm) -> list[DomainError]:
    """Every problem with the one-shot form, so it can all be fixed at once."""
    return (
        validate_organisation(form.organisation)
        + validate_contacts(form.contacts, require_authority=False)
        + validate_project(form.project, require_character=False)
        + validate_declarations(form.declarations)
    )
