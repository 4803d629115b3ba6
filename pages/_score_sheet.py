"""The judge's score sheet as a Streamlit component (components v2): sliders, comments, running total and save state
live in the browser (score_sheet/sheet.js) and save each change through POST /api/judge/sheet. Not a page."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import streamlit as st

from pages import _ui
from services.judging import evidence, sheets
from web_routes import sheet_json

ASSETS = Path(__file__).with_name("score_sheet")
# Registered once, when the module is first imported; the mount re-registers it on a runtime that lacks it (AppTest).
_component = st.components.v2.component(
    "ldaward_score_sheet",
    js=(ASSETS / "sheet.js").read_text(encoding="utf-8"),
    css=(ASSETS / "sheet.css").read_text(encoding="utf-8"),
)


def key(submission_id: int) -> str:
    return f"judge_sheet_{submission_id}"


def other_tab() -> str:
    return _ui.t(
        "ใบให้คะแนนนี้ถูกแก้ไขจากอีกแท็บหรืออีกเครื่องหนึ่ง หน้านี้แสดงค่าล่าสุดแล้ว "
        "การเปลี่ยนแปลงล่าสุดบนหน้านี้ยังไม่ได้บันทึก กรุณาตรวจสอบแล้วปรับอีกครั้ง",
        "This sheet was changed in another tab or device; the latest values are shown and this page's last "
        "change was not saved. Please check and make it again.",
    )


def labels() -> dict[str, str]:
    t = _ui.t
    return {
        "total": t("คะแนนรวม", "Total"),
        "criterion": t("เกณฑ์ที่", "Criterion"),
        "scored": t("ให้คะแนนแล้ว {k} จาก {n} เกณฑ์", "{k} of {n} criteria scored"),
        "max": t("เต็ม", "max"),
        "not_scored": t("ยังไม่ให้คะแนน — เลื่อนแถบเพื่อให้คะแนน", "Not scored yet — move the slider"),
        "not_scored_short": t("ยังไม่ให้คะแนน", "not scored"),
        "points_of": t("{p} จาก {max} คะแนน", "{p} of {max} points"),
        "give_zero": t("ให้ 0 คะแนน", "Give 0 points"),
        "comment": t("ความเห็น", "Comment"),
        "overall": t("ความเห็นโดยรวม", "Overall comment"),
        "guidance": t("คำแนะนำของเกณฑ์", "Guidance"),
        "saving": t("กำลังบันทึก…", "Saving…"),
        "saved": t("บันทึกแล้ว", "Saved"),
        "offline": t("ออฟไลน์ — จะบันทึกเมื่อเชื่อมต่อได้", "Offline — will save when connected"),
        "error_prefix": t("บันทึกไม่สำเร็จ: ", "Not saved: "),
        "autosave": t(
            "ทุกการเปลี่ยนแปลงบันทึกเป็นร่างทันที · ใช้ปุ่มลูกศรเลื่อนแถบได้",
            "Every change is saved as a draft at once · arrow keys move a slider",
        ),
        "save": t("บันทึกร่าง", "Save draft"),
        "next": t("บันทึกแล้วไปผลงานถัดไป", "Save and go to the next"),
        "submit": t("ส่งคะแนนผลงานนี้", "Submit this sheet"),
        "other_tab": other_tab(),
    }


def hint_text(hint: evidence.Suggestion | None) -> str | None:
    if hint is None:
        return None
    ticked = len(hint.options)
    return _ui.t(
        f"💡 คะแนนที่ระบบแนะนำ {hint.points:g} / {hint.max_points} จากแบบสอบถาม ({ticked} รายการ)",
        f"💡 Suggested {hint.points:g} / {hint.max_points} from the questionnaire ({ticked} ticked)",
    )


def sheet_data(sheet: sheets.SheetView, hints: Mapping[int, evidence.Suggestion], *, has_next: bool) -> dict[str, Any]:
    """What the component draws: the stored sheet (typed text for criteria without points), titles in the current
    language, and a signature that changes when the sheet must be drawn afresh (locked, language, next work)."""
    th = _ui.lang() == "th"
    locked = sheet.state == "submitted"
    return {
        "submission": sheet.submission.id,
        "version": sheet.version,
        "state": sheet.state,
        "locked": locked,
        "has_next": has_next,
        "max_total": sheet.max_total,
        "criteria": [
            {
                "id": c.criterion_id,
                "title": c.title_th if th else c.title_en,
                "max": c.max_points,
                "guidance": c.guidance_th or None,
                "hint": hint_text(hints.get(c.criterion_id)),
            }
            for c in sheet.criteria
        ],
        "sheet": sheet_json(sheet),
        "labels": labels(),
        # Not the state: a draft's first save (none -> draft) must not redraw a box the judge is typing in.
        "signature": f"{sheet.submission.id}:{locked}:{_ui.lang()}:{has_next}:"
        + ",".join(str(c.criterion_id) for c in sheet.criteria),
    }


def score_sheet(
    sheet: sheets.SheetView, hints: Mapping[int, evidence.Suggestion], *, has_next: bool
) -> dict[str, Any] | None:
    """Mount the sheet; the button the judge pressed in this run ({"kind": "save"|"next"|"submit", "version": n}),
    after the component saved everything queued, or None."""
    result = _component(
        key=key(sheet.submission.id),
        data=_ui.component_data(sheet_data(sheet, hints, has_next=has_next)),
        on_action_change=lambda: None,
    )
    action = result.get("action")
    return action if isinstance(action, dict) and action.get("kind") in ("save", "next", "submit") else None
