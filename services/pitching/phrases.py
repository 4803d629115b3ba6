"""Thai and English labels of pitching's codes: the live session's stages."""

from __future__ import annotations

from services.platform.phrases import Label

LIVE_STAGE: dict[str, Label] = {
    "idle": ("รอเริ่ม", "waiting"),
    "presentation": ("กำลังนำเสนอ", "presenting"),
    "questions": ("ช่วงตอบคำถาม", "questions"),
    "ended": ("จบแล้ว", "ended"),
}

# models.SlotKind; a lunch break is a break the schedule marks as lunch.
SLOT_KIND: dict[str, Label] = {
    "pitch": ("นำเสนอ", "Pitch"),
    "break": ("พัก", "Break"),
}
LUNCH: Label = ("พักรับประทานอาหารกลางวัน", "Lunch")
