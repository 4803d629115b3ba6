"""Thai and English labels of the contest's codes: an edition's phases."""

from __future__ import annotations

from services.platform.phrases import Label

PHASE: dict[str, Label] = {
    "draft": ("ร่าง", "draft"),
    "intake": ("เปิดรับสมัคร", "intake"),
    "screening": ("ตรวจคุณสมบัติ", "screening"),
    "judging": ("พิจารณาให้คะแนน", "judging"),
    "results": ("สรุปผล", "results"),
    "announced": ("ประกาศผลแล้ว", "announced"),
}
