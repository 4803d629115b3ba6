"""The Thai and English labels of the mail codes (message states, kinds, recipient roles): the one place pages and
exports read them from."""

from __future__ import annotations

from models import MailState

STATES: dict[str, tuple[str, str]] = {
    MailState.queued: ("รอส่ง", "queued"),
    MailState.sending: ("กำลังส่ง", "sending"),
    MailState.sent: ("ส่งแล้ว", "sent"),
    MailState.failed: ("ส่งไม่สำเร็จ", "failed"),
}
KINDS: dict[str, tuple[str, str]] = {
    "receipt": ("ใบรับผลงาน", "receipt"),
    "edit_link": ("ลิงก์แก้ไขผลงาน (ขอใหม่)", "edit link (asked again)"),
    "accepted": ("ผ่านการตรวจคุณสมบัติ", "accepted"),
    "ineligible": ("ไม่ผ่านการตรวจคุณสมบัติ", "ineligible"),
    "returned": ("ขอให้แก้ไข", "returned for fixes"),
    "extension": ("ขยายเวลา", "extension granted"),
    "results": ("ประกาศผล", "results announced"),
    "feedback": ("รายงานผลการพิจารณา", "feedback report released"),
    "not_advanced": ("ไม่ผ่านเข้ารอบต่อไป", "not advanced to the next round"),
    "pitching_slot": ("กำหนดเวลานำเสนอ", "pitching slot"),
    "pitching_moved": ("เปลี่ยนเวลานำเสนอ", "pitching slot moved"),
    "broadcast": ("ประกาศจากผู้จัดงาน", "organisers' broadcast"),
    "judge_deadline": ("เตือนก่อนกำหนดส่งคะแนน", "reminder before the deadline"),
    "judge_assigned": ("มอบหมายผลงานให้กรรมการ", "works assigned"),
    "judge_reminder": ("เตือนกรรมการ", "reminder to a judge"),
}
ROLES: dict[str, tuple[str, str]] = {
    "coordinator": ("ผู้ประสานงาน", "coordinator"),
    "judge": ("กรรมการ", "judge"),
    "organiser": ("ผู้จัดงาน", "organiser"),
}

AUDIENCES: dict[str, tuple[str, str]] = {
    "coordinators_sent": ("ผู้ประสานงานของผลงานที่ส่งแล้วทุกผลงาน", "coordinators of every sent work"),
    "coordinators_accepted": ("ผู้ประสานงานของผลงานที่ผ่านการตรวจคุณสมบัติ", "coordinators of accepted works"),
    "judges_owing": ("กรรมการที่ยังส่งใบให้คะแนนไม่ครบ", "judges with sheets owed"),
    "judges_all": ("กรรมการทุกคน", "every judge"),
}


def label(table: dict[str, tuple[str, str]], code: str, lang: str = "th") -> str:
    th, en = table.get(code, (code, code))
    return en if lang == "en" else th
