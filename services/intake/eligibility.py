"""Eligibility of a submission under the call's three rules: a pure assessment, and the organiser's confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Session

from models import OrgType, Submission
from services.intake.phrases import VERDICT
from services.platform import audit
from services.platform.clock import contest_now
from services.platform.errors import NotFound
from services.platform.phrases import label as phrase
from services.thai.dates import format_thai_date

# Every type the announcement's legend lists is a local administrative organisation (อปท.).
LAO_TYPES: frozenset[str] = frozenset(t.value for t in OrgType)
# The submit flow's steps that hold the data the rules read: records.STEP_ORGANISATION and STEP_PROJECT, repeated
# because records imports this module (a test holds them equal).
STEP_ORGANISATION, STEP_PROJECT = 1, 3


class Verdict(StrEnum):
    eligible = "eligible"
    pending = "pending"  # nothing wrong found, but something is still to be given or confirmed
    ineligible = "ineligible"


@dataclass(frozen=True)
class Reason:
    code: str
    message_th: str
    message_en: str
    blocking: bool  # True: the rule fails; False: the rule cannot be decided yet
    step: int = 0  # the submit flow's step where the applicant gives the data the rule reads (0: none of theirs)
    fix_th: str = ""  # what the applicant can do about it, said where the data is entered
    fix_en: str = ""

    def message(self, lang: str = "th") -> str:
        return self.message_en if lang == "en" else self.message_th

    def fix(self, lang: str = "th") -> str:
        return self.fix_en if lang == "en" else self.fix_th


@dataclass(frozen=True)
class Eligibility:
    verdict: Verdict
    reasons: tuple[Reason, ...]

    @property
    def eligible(self) -> bool:
        return self.verdict == Verdict.eligible

    def summary(self, lang: str = "th") -> str:
        label = phrase(VERDICT, self.verdict, lang)
        if not self.reasons:
            return label
        return f"{label}: " + "; ".join(r.message(lang) for r in self.reasons)

    def at_step(self, step: int) -> tuple[Reason, ...]:
        """The problems the applicant can fix at this step of the flow, so they are told there, not at the end."""
        return tuple(r for r in self.reasons if r.step == step)


def assess(
    *,
    org_type: str | None,
    golive_date: date | None,
    golive_cutoff: date,
    digital_declared: bool,
    confirmed_by: str = "",
) -> Eligibility:
    """Apply the call's rules: an LAO entrant, in real use on or before the cut-off, digital technology applied
    to a government process (declared by the applicant, confirmed by an organiser)."""
    reasons: list[Reason] = []
    if org_type not in LAO_TYPES:
        reasons.append(
            Reason(
                "not_lao",
                "ผู้ส่งต้องเป็นองค์กรปกครองส่วนท้องถิ่น (อบจ. เทศบาล อบต. หรือ อปท. รูปแบบพิเศษ)",
                "The entrant must be a local administrative organisation.",
                blocking=True,
                step=STEP_ORGANISATION,
                fix_th="เลือกประเภท อปท. ของหน่วยงานให้ถูกต้องในช่อง “ประเภท อปท.” หากหน่วยงานไม่ใช่ อปท. จะส่งผลงานในรุ่นนี้ไม่ได้",
                fix_en="Choose the organisation's type in “Type”; an organisation that is not an LAO cannot enter.",
            )
        )
    cutoff_th = format_thai_date(golive_cutoff)
    if golive_date is None:
        reasons.append(
            Reason(
                "golive_missing",
                f"ยังไม่ได้ระบุวันที่เริ่มใช้งานจริง (ต้องไม่เกิน {cutoff_th})",
                f"The go-live date is not given (it must be on or before {golive_cutoff.isoformat()}).",
                blocking=False,
                step=STEP_PROJECT,
                fix_th="ระบุวันที่เริ่มใช้งานจริงในช่อง “วันที่เริ่มใช้งานจริง”",
                fix_en="Give the date in “In real use since”.",
            )
        )
    elif golive_date > golive_cutoff:
        reasons.append(
            Reason(
                "golive_late",
                f"เริ่มใช้งานจริงเมื่อ {format_thai_date(golive_date)} หลังวันที่กำหนด ({cutoff_th}) "
                "ผลงานต้องใช้งานจริงมาแล้วอย่างน้อย 6 เดือนนับถึงวันปิดรับสมัคร",
                f"In real use since {golive_date.isoformat()}, after the cut-off {golive_cutoff.isoformat()}: the work "
                "must have been in real use for at least six months by the close of intake.",
                blocking=True,
                step=STEP_PROJECT,
                fix_th="ตรวจวันที่ในช่อง “วันที่เริ่มใช้งานจริง” อีกครั้ง (ปฏิทินแสดงปี ค.ศ.): "
                f"หากพิมพ์ผิด แก้ให้ตรงกับวันที่ระบบเปิดให้ประชาชนใช้จริง ซึ่งต้องไม่เกิน {cutoff_th} "
                "หากวันที่ถูกต้องแล้ว ผลงานนี้ยังส่งในรุ่นนี้ไม่ได้ ส่งได้ในรุ่นถัดไป",
                fix_en="Check “In real use since” (the calendar shows the CE year): if it is a typing slip, "
                f"give the day the service opened to the public, on or before {golive_cutoff.isoformat()}; "
                "if it is right, the work can enter a later edition, not this one.",
            )
        )
    if not digital_declared:
        reasons.append(
            Reason(
                "not_declared_digital",
                "ผู้ส่งยังไม่ได้ยืนยันว่าผลงานเป็นการนำเทคโนโลยีดิจิทัลมาประยุกต์ใช้ในกระบวนการทำงานของภาครัฐ",
                "The applicant has not declared that the work applies digital technology to a government process.",
                blocking=True,
                step=STEP_PROJECT,
                fix_th="ถ้าเป็นเช่นนั้น ทำเครื่องหมายในช่อง “ผลงานนี้เป็นนวัตกรรมที่นำเทคโนโลยีดิจิทัลมาประยุกต์ใช้…” ท้ายขั้นตอนนี้",
                fix_en="If it does, tick “This work applies digital technology…” at the end of this step.",
            )
        )
    elif not confirmed_by:
        reasons.append(
            Reason(
                "awaiting_confirmation",
                "รอผู้จัดงานยืนยันว่าเป็นนวัตกรรมดิจิทัลที่ใช้ในกระบวนการทำงานของภาครัฐ",
                "Awaiting the organisers' confirmation that it is digital technology applied to a government process.",
                blocking=False,
            )
        )
    if any(r.blocking for r in reasons):
        verdict = Verdict.ineligible
    elif reasons:
        verdict = Verdict.pending
    else:
        verdict = Verdict.eligible
    return Eligibility(verdict, tuple(reasons))


def confirm(
    *, session: Session, submission_id: int, actor: str, confirmed: bool = True, now: datetime | None = None
) -> None:
    """An organiser confirms (or withdraws the confirmation) that the work is digital technology applied to a
    government process. Audited."""
    sub = session.get(Submission, submission_id)
    if sub is None:
        raise NotFound.submission()
    before = {"confirmed_by": sub.eligibility_confirmed_by}
    sub.eligibility_confirmed_by = actor if confirmed else ""
    sub.eligibility_confirmed_at = (now or contest_now()) if confirmed else None
    session.add(sub)
    audit.record(
        session=session,
        actor=actor,
        action="submission.eligibility_confirm",
        entity="submission",
        entity_id=submission_id,
        before=before,
        after={"confirmed_by": sub.eligibility_confirmed_by},
    )
    session.commit()
