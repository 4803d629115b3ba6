"""The live pitching session on a judge's page (a components-v2 banner): it follows the organiser through one long
poll per tab (web_routes.LIVE_PATH) instead of a Streamlit rerun each second, and asks the page to switch work only
when the organiser presents the next one. Not a page."""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

from pages import _ui
from services.platform.phrases import in_lang
from services.platform.safe_text import clean

ASSETS = Path(__file__).with_name("live_follow")
_banner = st.components.v2.component(
    "ldaward_live_follow",
    js=(ASSETS / "follow.js").read_text(encoding="utf-8"),
    css=(ASSETS / "follow.css").read_text(encoding="utf-8"),
)


@functools.cache
def labels(lang: str) -> dict[str, object]:
    """The banner's words in one language, made once a process (every follow hands them over again)."""

    def t(th: str, en: str) -> str:
        return in_lang(lang, th, en)

    return {
        "region": t("การนำเสนอสด", "Live session"),
        "stages": {
            "presentation": t("กำลังนำเสนอ", "Presenting"),
            "questions": t("ช่วงตอบคำถาม", "Questions"),
            "idle": t("รอผลงานถัดไป", "Waiting for the next work"),
        },
        "left": t("เหลือ", "left"),
        "over": t(" (เกินเวลา)", " (over time)"),
        "follow": t("ติดตามการนำเสนอสด (ปิดเพื่อปักหมุดผลงานที่เลือก)", "Follow the live session (off: pin)"),
        "remind": t("ผู้จัดงานขอให้ส่งคะแนน:", "The organisers ask for your sheet:"),
        "offline": t("ขาดการเชื่อมต่อกับการนำเสนอสด กำลังเชื่อมต่อใหม่…", "Lost the live session; reconnecting…"),
    }


def follow(
    *, edition_id: int, following: bool, followed: int | None, works: dict[int, str], owed: list[int]
) -> tuple[bool, int | None]:
    """Mount the banner. Returns (following, the work to move to now or None): following is the judge's switch;
    the work is the one the organiser presents, once, when the judge follows and scores it (works: the judge's
    works, without conflicts, and their short names; owed: those not submitted, which reminders may name)."""
    result = _banner(
        key="judge_live_follow",
        default={"following": following},
        data=_ui.component_data(
            {
                "edition": edition_id,
                "following": following,
                "followed": followed,
                "works": {str(k): clean(v) for k, v in works.items()},
                "owed": owed,
                "lang": _ui.lang(),
                "labels": labels(_ui.lang()),
            }
        ),
        on_following_change=lambda: None,
        on_follow_change=lambda: None,
        height="content",
    )
    target = result.get("follow") if hasattr(result, "get") else getattr(result, "follow", None)
    now_following = result.get("following", following) if hasattr(result, "get") else following
    return bool(now_following), (int(target) if isinstance(target, int) else None)
