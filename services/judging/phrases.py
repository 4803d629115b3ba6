"""Thai and English labels of judging's codes: score-sheet states, conflict reasons, judges' leanings."""

from __future__ import annotations

from services.platform.phrases import Label

# "none" is a view state (no sheet yet), beside the stored models.SheetState values.
SHEET_STATE: dict[str, Label] = {
    "none": ("ยังไม่ให้คะแนน", "not scored"),
    "draft": ("ร่าง (ยังไม่ส่ง)", "draft (not submitted)"),
    "submitted": ("ส่งแล้ว", "submitted"),
}

CONFLICT_REASON: dict[str, Label] = {
    "own_province": ("อยู่ในจังหวัดเดียวกับผู้สมัคร", "own province"),
    "earlier_involvement": ("เคยมีส่วนร่วมกับโครงการนี้มาก่อน", "earlier involvement"),
    "supervising_agency": ("เป็นหน่วยงานกำกับดูแลผู้สมัคร", "the applicant's supervising agency"),
    "other": ("อื่น ๆ", "other"),
}

# consensus.Lean: how a judge's totals sit against the panel's.
LEAN: dict[str, Label] = {
    "harsh": ("ให้คะแนนเข้ม", "harsh"),
    "lenient": ("ให้คะแนนสูง", "lenient"),
    "in_line": ("ใกล้เคียงคณะ", "in line"),
    "too_few": ("ข้อมูลไม่พอ", "too few sheets"),
}

# desk.Panel: the judging desk's panel filter.
DESK_PANEL: dict[str, Label] = {
    "any": ("ทั้งหมด", "any"),
    "none": ("ยังไม่มีกรรมการ", "no judge yet"),
    "started": ("มีกรรมการแล้ว", "has judges"),
    "open": ("ยังให้คะแนนไม่ครบ", "sheets outstanding"),
}
