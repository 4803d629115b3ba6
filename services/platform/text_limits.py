"""Length and number limits for applicant text: one table the services enforce (with a Thai message naming the
field, the same on both databases) and the widgets echo as `max_chars`. Below the database columns (title 500, names
200–300), so both databases take any value that passes."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import TypeVar

from services.platform.errors import ValidationFailed
from services.platform.safe_text import clean


@dataclass(frozen=True)
class Limit:
    max_chars: int
    label_th: str
    label_en: str


LIMITS: dict[str, Limit] = {
    "org_name": Limit(150, "ชื่อหน่วยงาน", "organisation name"),
    "district": Limit(100, "อำเภอ", "district"),
    "subdistrict": Limit(100, "ตำบล", "subdistrict"),
    "submitter_name": Limit(150, "ชื่อผู้ส่งโครงการ", "submitter's name"),
    "submitter_position": Limit(150, "ตำแหน่งผู้ส่งโครงการ", "submitter's position"),
    "coordinator_name": Limit(150, "ชื่อผู้ประสานงาน", "coordinator's name"),
    "coordinator_phone": Limit(30, "โทรศัพท์", "phone"),
    "coordinator_email": Limit(150, "อีเมล", "e-mail"),
    "title": Limit(300, "ชื่อโครงการ", "project title"),
    "earlier_project_name": Limit(300, "ชื่อผลงาน/โครงการเดิม", "earlier project"),
    "partner_name": Limit(300, "ชื่อผู้ร่วมพัฒนา", "partner's name"),
    # the questionnaire (stored as JSON: no column limit, so these are the only bound)
    "other_entry": Limit(200, 'รายการ "อื่น ๆ"', '"other" entry'),
    "other_text": Limit(2_000, 'ช่อง "อื่น ๆ"', '"other" box'),
    "dataset_name": Limit(300, "ชื่อชุดข้อมูล", "data set name"),
    "dataset_url": Limit(500, "ที่อยู่เว็บของชุดข้อมูล", "data set URL"),
    "datasets_text": Limit(20_000, "ชุดข้อมูล", "data sets"),
    "goal_label": Limit(200, "ตัวชี้วัดในตารางเป้าหมาย", "goals table indicator"),
    "goals_text": Limit(5_000, "ตัวชี้วัดอื่น ๆ", "other indicators"),
    "participation": Limit(5_000, "การมีส่วนร่วม", "participation"),
    "feedback": Limit(5_000, "ผลตอบรับ", "feedback"),
    "roadmap_plan": Limit(2_000, "แผน Roadmap", "roadmap plan"),
    "responsible_unit": Limit(200, "หน่วยงานที่รับผิดชอบ", "responsible unit"),
    "limitations": Limit(5_000, "ข้อจำกัด ปัญหา หรืออุปสรรค", "limitations"),
    "team_member": Limit(200, "ชื่อหรือบทบาทสมาชิกในทีม", "team member's name or role"),
    "team_text": Limit(10_000, "สมาชิกในทีม", "team members"),
    # a judge's comment on a score sheet (a criterion's or the overall one)
    "judge_comment": Limit(5_000, "ความเห็นของกรรมการ", "judge's comment"),
}
# Rows of the questionnaire's lists.
MAX_ROWS = 50
# Goals-table numbers: people, transactions, minutes; a trillion is far beyond any real figure.
MAX_NUMBER = 1e12


def max_chars(field: str) -> int:
    return LIMITS[field].max_chars


def too_long(field: str, value: str) -> ValidationFailed | None:
    """The Thai/English refusal when value is over its field's limit, else None."""
    limit = LIMITS[field]
    if len(value) <= limit.max_chars:
        return None
    return ValidationFailed(
        f"too_long_{field}",
        f"{limit.label_th}ยาวเกินกำหนด ({len(value):,} ตัวอักษร เกิน {limit.max_chars:,}) กรุณาย่อให้สั้นลงแล้วบันทึกใหม่",
        f"The {limit.label_en} is too long ({len(value):,} characters, over {limit.max_chars:,}). "
        "Shorten it and save again.",
    )


def too_many_rows(label_th: str, label_en: str, count: int) -> ValidationFailed | None:
    if count <= MAX_ROWS:
        return None
    return ValidationFailed(
        "too_many_rows",
        f"{label_th}มี {count:,} รายการ เกินกำหนด {MAX_ROWS} รายการ",
        f"The {label_en} has {count:,} rows, over the limit of {MAX_ROWS}.",
    )


def bad_number(value: float | None) -> bool:
    """nan, ±inf, or beyond ±MAX_NUMBER: refused (PostgreSQL's JSON cannot hold nan/inf; exports would fail)."""
    return value is not None and (not math.isfinite(value) or abs(value) > MAX_NUMBER)


def number_refused() -> ValidationFailed:
    return ValidationFailed(
        "bad_number",
        f"ตัวเลขในตารางเป้าหมายต้องเป็นจำนวนจริงไม่เกิน {MAX_NUMBER:,.0f} (ไม่รับค่า nan หรือ inf)",
        f"Numbers in the goals table must be real numbers no larger than {MAX_NUMBER:,.0f} (not nan or inf).",
    )


T = TypeVar("T")


def cleaned_fields(obj: T, *, multiline: frozenset[str] = frozenset()) -> T:
    """A copy of a dataclass with every str field cleaned (fields in `multiline` keep their line breaks)."""
    assert dataclasses.is_dataclass(obj) and not isinstance(obj, type)
    changes = {
        f.name: clean(v, multiline=f.name in multiline)
        for f in dataclasses.fields(obj)
        if isinstance(v := getattr(obj, f.name), str)
    }
    return dataclasses.replace(obj, **changes)


def length_problems(obj: object, fields: tuple[str, ...]) -> list[ValidationFailed]:
    """The over-long fields of obj among `fields` (attribute names that are LIMITS keys)."""
    found = (too_long(name, str(getattr(obj, name) or "")) for name in fields)
    return [p for p in found if p is not None]
