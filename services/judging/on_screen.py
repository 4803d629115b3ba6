"""The work on a judge's screen as the page's two components draw it (the work: its header and evidence; the score
sheet), built alike by the page's run and by the route a following page fetches the next work from
(web_routes.WORK_PATH): when the live session moves on, the browser draws the next work from one small request and
the page catches up later, so no judge waits for a page run."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

from models import Edition
from services.contest.edition_config import load_config
from services.judging import blind, evidence, evidence_pane, sheets, slide_pictures
from services.platform.db import session_scope
from services.platform.errors import NotFound
from services.platform.phrases import in_lang
from services.platform.safe_text import clean

T = TypeVar("T")


class Memo(Generic[T]):
    """A process's shared copies, each kept for ttl seconds, the least recently used dropped beyond size. Every
    judge's page and the work route read the same copy of a work's evidence (nothing in it is the judge's). When
    fifty pages ask for a work not kept yet, the first builds it and the others wait for that copy: fifty builds at
    once would hold up every judge's slider saves."""

    def __init__(self, ttl: float, size: int) -> None:
        self.ttl, self.size = ttl, size
        self._kept: OrderedDict[Hashable, tuple[float, T]] = OrderedDict()
        self._lock = threading.Lock()
        self._gates: dict[Hashable, threading.Lock] = {}  # per key being built: who builds it

    def _fresh(self, key: Hashable) -> tuple[bool, T | None]:
        with self._lock:
            kept = self._kept.get(key)
            if kept is None or time.monotonic() - kept[0] >= self.ttl:
                return False, None
            self._kept.move_to_end(key)
            return True, kept[1]

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        found, value = self._fresh(key)
        if found:
            return value  # type: ignore[return-value]
        with self._lock:
            gate = self._gates.setdefault(key, threading.Lock())
        with gate:
            found, value = self._fresh(key)  # built by the page that held the gate
            if not found:
                value = build()
                with self._lock:
                    self._kept[key] = (time.monotonic(), value)
                    self._kept.move_to_end(key)
                    while len(self._kept) > self.size:
                        self._kept.popitem(last=False)
        with self._lock:
            if self._gates.get(key) is gate and not gate.locked():
                del self._gates[key]
        return value  # type: ignore[return-value]

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


_panes: Memo[evidence_pane.EvidencePane] = Memo(ttl=300, size=512)
_notes: Memo[blind.RoundNotes] = Memo(ttl=30, size=512)
_editions: Memo[tuple[str, Any]] = Memo(ttl=5, size=16)  # an edition's phase and settings, for the work route


def forget() -> None:
    """Drop every shared copy (tests that change a work's data under the same version)."""
    _panes.clear()
    _notes.clear()
    _editions.clear()


def slide_state(engine: Engine, sha256: str) -> tuple[slide_pictures.State, int]:
    """The deck's slide pictures: ready (and how many), or being rendered (started now if need be), or not at all."""
    if not sha256:
        return slide_pictures.State.unavailable, 0
    state = slide_pictures.ensure(engine=engine, sha256=sha256)
    return state, len(slide_pictures.pictures(sha256) or ()) if state == slide_pictures.State.ready else 0


def pane(
    *,
    engine: Engine,
    judge_id: int,
    submission_id: int,
    lang: str,
    version: evidence.WorkVersion,
    pictures: int,
    slide_url: Callable[[str, int], str],
) -> evidence_pane.EvidencePane:
    """A work's evidence tabs, built once per work, language, data version and slide pictures drawn, and shared by
    every judge's page and route call: when the live session moves on, fifty pages a process ask for the same work
    at once. The judge checked is the first to ask (callers open only works the judge's own sheet read allowed)."""

    def build() -> evidence_pane.EvidencePane:
        with session_scope(engine, read_only=True) as session:
            ev = evidence.evidence(session=session, judge_id=judge_id, submission_id=submission_id)
        return evidence_pane.pane(ev, lang=lang, pictures=pictures, slide_url=slide_url)

    return _panes.get((submission_id, lang, version.changed, pictures), build)


def round_notes(
    *, engine: Engine, edition_id: int, phase: str, config: Callable[[], Any], round_no: int, submission_id: int
) -> blind.RoundNotes:
    """The current round's blind rule and the earlier rounds' results on a work: the same for every judge, and new
    with each round (config: the edition's settings, read only when the notes are built)."""

    def build() -> blind.RoundNotes:
        with session_scope(engine, read_only=True) as session:
            return blind.round_notes(
                session=session,
                edition_id=edition_id,
                edition_config=config(),
                phase=phase,
                submission_id=submission_id,
            )

    return _notes.get((edition_id, phase, round_no, submission_id), build)


# --- the score sheet ----------------------------------------------------------------------------------------------


def other_tab(lang: str) -> str:
    return in_lang(
        lang,
        "ใบให้คะแนนนี้ถูกแก้ไขจากอีกแท็บหรืออีกเครื่องหนึ่ง หน้านี้แสดงค่าล่าสุดแล้ว "
        "การเปลี่ยนแปลงล่าสุดบนหน้านี้ยังไม่ได้บันทึก กรุณาตรวจสอบแล้วปรับอีกครั้ง",
        "This sheet was changed in another tab or device; the latest values are shown and this page's last "
        "change was not saved. Please check and make it again.",
    )


def sheet_labels(lang: str) -> dict[str, str]:
    def t(th: str, en: str) -> str:
        return in_lang(lang, th, en)

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
        "other_tab": other_tab(lang),
    }


def hint_text(hint: evidence.Suggestion | None, lang: str) -> str | None:
    if hint is None:
        return None
    ticked = len(hint.options)
    return in_lang(
        lang,
        f"💡 คะแนนที่ระบบแนะนำ {hint.points:g} / {hint.max_points} จากแบบสอบถาม ({ticked} รายการ)",
        f"💡 Suggested {hint.points:g} / {hint.max_points} from the questionnaire ({ticked} ticked)",
    )


def sheet_json(sheet: sheets.SheetView) -> dict[str, object]:
    """The stored sheet as the component shows it: a criterion without points shows the text typed for it."""
    typed = dict(sheet.typed)
    return {
        "points": {str(c.criterion_id): c.points for c in sheet.criteria if c.points is not None},
        "comments": {
            str(c.criterion_id): c.comment if c.points is not None else typed.get(c.criterion_id, "")
            for c in sheet.criteria
        },
        "overall": sheet.overall_comment,
    }


def sheet_data(
    sheet: sheets.SheetView, hints: Mapping[int, evidence.Suggestion], *, has_next: bool, lang: str
) -> dict[str, Any]:
    """What the sheet component draws: the stored sheet (typed text for criteria without points), titles in the
    language asked, and a signature that changes when the sheet must be drawn afresh (work, locked, language, next
    work)."""
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
                "title": c.title_en if lang == "en" else c.title_th,
                "max": c.max_points,
                "guidance": c.guidance_th or None,
                "hint": hint_text(hints.get(c.criterion_id), lang),
            }
            for c in sheet.criteria
        ],
        "sheet": sheet_json(sheet),
        "labels": sheet_labels(lang),
        # Not the state: a draft's first save (none -> draft) must not redraw a box the judge is typing in.
        "signature": f"{sheet.submission.id}:{locked}:{lang}:{has_next}:"
        + ",".join(str(c.criterion_id) for c in sheet.criteria),
    }


# --- the work: header and evidence ----------------------------------------------------------------------------------


def tab_labels(lang: str) -> list[str]:
    return [
        in_lang(lang, "สไลด์", "Slides"),
        in_lang(lang, "หัวข้อตามคู่มือ", "Topic checklist"),
        in_lang(lang, "คำตอบแบบสอบถาม", "Questionnaire"),
        in_lang(lang, "ใบส่งโครงการ", "Submission form"),
    ]


def _notes_line(done: blind.EarlierRound, lang: str) -> str:
    """How the work fared in an earlier round that shows it."""
    said = [
        in_lang(lang, f"อันดับ {done.rank}", f"rank {done.rank}")
        if done.rank is not None
        else in_lang(lang, "เลือกเข้ารอบ", "chosen")
    ]
    if done.score is not None:
        out_of = f" / {done.max_total}" if done.max_total else ""
        said.append(f"{done.score:.2f}{out_of} {in_lang(lang, 'คะแนน', 'points')}")
    return f"{clean(done.name(lang))}: {' · '.join(said)}"


def _slides_notes(pane: evidence_pane.EvidencePane, state: slide_pictures.State, lang: str) -> list[str]:
    notes = [pane.deck_caption] if pane.deck_caption else []
    if pane.slides_html and state == slide_pictures.State.rendering:
        notes.append(
            in_lang(
                lang,
                "กำลังสร้างภาพสไลด์ ระหว่างนี้แสดงข้อความในสไลด์ ภาพจะปรากฏเมื่อเปิดผลงานนี้อีกครั้ง",
                "Rendering slide pictures; meanwhile the slides' text is shown. They appear when you open this work "
                "again.",
            )
        )
    elif pane.slides_html and state == slide_pictures.State.failed:
        notes.append(
            in_lang(
                lang,
                "สร้างภาพสไลด์ของไฟล์นี้ไม่ได้ แสดงเฉพาะข้อความในสไลด์",
                "The slides of this file could not be drawn; their text is shown.",
            )
        )
    return notes


def work_data(
    sheet: sheets.SheetView,
    pane: evidence_pane.EvidencePane,
    notes: blind.RoundNotes,
    state: slide_pictures.State,
    *,
    lang: str,
    pictures: int,
    changed: str,
) -> dict[str, Any]:
    """What the work component draws: the title, the lines about the work (earlier rounds, organisation, province,
    category, receipt), whether the sheet is submitted, and the four evidence tabs (HTML bodies, applicant text
    escaped; every other string is drawn as text)."""
    card = sheet.submission
    locked = sheet.state == "submitted"
    tabs = tab_labels(lang)
    return {
        "submission": card.id,
        "title": clean(card.title),
        "about": [
            *(_notes_line(done, lang) for done in notes.earlier),
            clean(f"{card.organisation} · จ.{card.province} · {card.category} · {card.receipt_code}"),
        ],
        "locked_note": in_lang(
            lang,
            "ส่งคะแนนผลงานนี้แล้ว หากต้องการแก้ไขกรุณาติดต่อผู้จัดงาน",
            "This sheet is submitted; ask an organiser to reopen it if you need to change it.",
        )
        if locked
        else None,
        "tabs": [
            {
                "label": tabs[0],
                "notes": ([pane.deck_problem] if pane.deck_problem else []) + _slides_notes(pane, state, lang),
                "html": pane.slides_html,
            },
            {"label": tabs[1], "notes": [], "html": pane.topics_html},
            {
                "label": tabs[2],
                "notes": [] if pane.answers_html else [pane.no_answers],
                "html": pane.answers_html + pane.facts_html,
            },
            {"label": tabs[3], "notes": [pane.no_form] if pane.no_form else [], "html": pane.form_html},
        ],
        "region": in_lang(lang, "หลักฐานของผลงาน", "The work's evidence"),
        # Drawn afresh only when one of these changes: a rerun that brings the same work keeps the tab chosen.
        "signature": f"{card.id}:{lang}:{changed}:{pictures}:{state}:{locked}:{len(notes.earlier)}",
    }


@dataclass(frozen=True)
class Drawn:
    """A work on a judge's screen: the work component's data, the sheet component's, and the rounds' notes (whose
    blind rule decides whether the page shows the other judges' scores)."""

    work: dict[str, Any]
    sheet: dict[str, Any]
    notes: blind.RoundNotes


def drawn(
    *,
    engine: Engine,
    sheet: sheets.SheetView,
    version: evidence.WorkVersion,
    edition_id: int,
    phase: str,
    config: Callable[[], Any],
    lang: str,
    has_next: bool,
    slide_url: Callable[[str, int], str],
) -> Drawn:
    """What the page's run and the work route hand the two components for the judge's sheet just read (the
    evidence and the notes from the process's shared copies)."""
    submission_id = sheet.submission.id
    state, pictures = slide_state(engine, version.deck_sha256)
    shown = pane(
        engine=engine,
        judge_id=sheet.judge_id,
        submission_id=submission_id,
        lang=lang,
        version=version,
        pictures=pictures,
        slide_url=slide_url,
    )
    notes = round_notes(
        engine=engine,
        edition_id=edition_id,
        phase=phase,
        config=config,
        round_no=version.round_no,
        submission_id=submission_id,
    )
    return Drawn(
        work_data(sheet, shown, notes, state, lang=lang, pictures=pictures, changed=version.changed),
        sheet_data(sheet, shown.suggestions, has_next=has_next, lang=lang),
        notes,
    )


def screen(
    *,
    session: Session,
    engine: Engine,
    judge_id: int,
    edition_id: int,
    submission_id: int,
    lang: str,
    has_next: bool,
    slide_url: Callable[[str, int], str],
) -> dict[str, Any]:
    """The work and the sheet of submission_id for judge_id, as the page's run would hand them to its components:
    what the work route answers a following page. Refuses as the sheet's read does (not assigned, a conflict)."""
    sheet, version = evidence.sheet_on_screen(session=session, judge_id=judge_id, submission_id=submission_id)

    def edition() -> tuple[str, Any]:
        row = session.get(Edition, edition_id)
        if row is None:
            raise NotFound.edition()
        return str(row.phase), load_config(row.config)

    phase, config = _editions.get(edition_id, edition)
    shown = drawn(
        engine=engine,
        sheet=sheet,
        version=version,
        edition_id=edition_id,
        phase=phase,
        config=lambda: config,
        lang=lang,
        has_next=has_next,
        slide_url=slide_url,
    )
    return {"submission": submission_id, "work": shown.work, "sheet": shown.sheet}
