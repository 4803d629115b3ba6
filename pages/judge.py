"""Judge's page: the evidence beside one slider per criterion; every change is saved as a draft at once."""

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import streamlit as st

from models import ConflictReason, Role
from pages import _live_follow, _ui
from services import conflicts, judging, live, printable_sheet, slide_pictures
from services.documents import slide_ranges
from services.errors import DomainError
from services.safe_text import clean, md
from services.thai import format_date, format_thai_datetime
from web_routes import slide_url

acc = _ui.require_role(Role.judge)
st.title(_ui.t("ให้คะแนนผลงาน", "Score submissions"))

PICK = "judge_pick"  # the submission on screen (the picker widget's own key changes, see choose())
PICK_GEN = "judge_pick_gen"
PICK_LABEL = "judge_pick_label"  # the picker's label for the work on screen, as last drawn
PICKER = "judge_submission"
VERSIONS = "judge_versions"  # submission -> the sheet version the widgets show
TOUCHED = "judge_touched"  # submission -> criteria whose slider moved (a slider at 0 may mean "not scored yet")
FLASH = "judge_flash"  # (kind, text) shown once, after a callback or a save
LOCK = "judge_lock"  # one browser session's saves take turns
LAST = "judge_last_submission"  # the one shown on the previous run, so its last change is saved on switching
FOLLOW = "judge_follow"  # follow the live pitching session (off: the judge pinned the work on screen)
FOLLOWED = "judge_followed"  # the live presentation last followed, so a judge's own pick is not overridden
LEFT = "judge_left"  # works this page moved away from -> until when text typed there may still arrive (monotonic)
LATE_TYPING_S = 30.0
CONFIRM = "judge_confirm_submit"  # the submission whose "submit" confirmation is open (kept across reruns)
STATE_LABEL = {"none": ("ยังไม่ให้คะแนน", "not scored"), "draft": ("ร่าง", "draft"),
               "submitted": ("ส่งแล้ว", "submitted")}


def pts_key(sub_id: int, cid: int) -> str:
    return _ui.widget_key("judge_pts", sub_id, cid)


def cmt_key(sub_id: int, cid: int) -> str:
    return _ui.widget_key("judge_cmt", sub_id, cid)


def overall_key(sub_id: int) -> str:
    return _ui.widget_key("judge_overall", sub_id)


def choose(sub_id: int) -> None:
    """Put sub_id on screen from code (following the presenter, "next unscored"). The picker gets a new widget key,
    so a stale value the browser sends for the old picker (e.g. with a comment committed at the same moment) cannot
    take the page back to the previous work."""
    st.session_state[PICK] = sub_id
    st.session_state[PICK_GEN] = st.session_state.get(PICK_GEN, 0) + 1


def picker_key() -> str:
    gen = st.session_state.get(PICK_GEN, 0)
    return f"{PICKER}_{gen}" if gen else PICKER


def flash(kind: str, text: str) -> None:
    st.session_state.setdefault(FLASH, []).append((kind, text))


def load_widgets(sheet: judging.SheetView) -> None:
    """Put the saved sheet into the widgets (first visit, or after another tab saved it)."""
    sid = sheet.submission.id
    # The sliders now show the database: a move it never got (made while it was down) is not a move to 0.
    st.session_state.setdefault(TOUCHED, {}).pop(sid, None)
    typed = dict(sheet.typed)  # text typed here earlier that the box never committed: the page saves it below
    for c in sheet.criteria:
        st.session_state[pts_key(sid, c.criterion_id)] = float(c.points) if c.points is not None else 0.0
        st.session_state[cmt_key(sid, c.criterion_id)] = typed.get(c.criterion_id, c.comment)
    st.session_state[overall_key(sid)] = typed.get(0, sheet.overall_comment)
    st.session_state.setdefault(VERSIONS, {})[sid] = sheet.version


def save(sub_id: int, *, points: dict[int, float], comments: dict[int, str] | None = None,
         overall: str | None = None, submit: bool = False, check: bool = False) -> judging.SheetView | None:
    """Save, then notice another tab's writes. A slider or comment saves only itself (last write wins per criterion,
    both in the audit trail); buttons send the whole sheet and `check` it against the version on screen, so a stale
    tab is told instead of overwriting. Either way, when another tab wrote in between, this one reloads and says so."""
    with session_lock():
        return _save(sub_id, points, comments, overall, submit, check)


def session_lock() -> threading.Lock:
    """One browser session's saves and reads of its sheet version take turns: the runtime may run a new event's
    callback while the previous one is still saving, and the version bookkeeping below must see them in order."""
    lock: threading.Lock = st.session_state.setdefault(LOCK, threading.Lock())
    return lock


def _save(sub_id: int, points: dict[int, float], comments: dict[int, str] | None, overall: str | None,
          submit: bool, check: bool) -> judging.SheetView | None:
    versions: dict[int, int] = st.session_state.setdefault(VERSIONS, {})
    known = versions.get(sub_id)
    try:
        with _ui.db() as session:
            saved = judging.save_sheet(session=session, judge_id=acc.id, submission_id=sub_id, points=points,
                                       comments=comments, overall_comment=overall, submit=submit,
                                       actor=acc.username, expected_version=known if check else None)
    except judging.SheetChanged as e:
        with _ui.db(read_only=True) as session:
            load_widgets(judging.get_sheet(session=session, judge_id=acc.id, submission_id=sub_id))
        flash("warning", e.message(_ui.lang()))
        return None
    except DomainError as e:
        flash("error", e.message(_ui.lang()))
        return None
    except Exception:  # the database did not answer: the widgets keep the values, the next change retries
        _ui.log.exception("score save failed")
        flash("error", _ui.t("บันทึกไม่สำเร็จ ค่าที่ท่านเลือกยังอยู่บนหน้าจอ กรุณาลองกด 'บันทึกร่าง' อีกครั้ง",
                             "Not saved. Your values are still on screen; press 'Save draft' again."))
        return None
    if known is not None and saved.version != known + 1:
        load_widgets(saved)
        flash("warning", other_tab())
    versions[sub_id] = saved.version
    if submit:  # a draft counts nowhere: the ranking's caches stay
        _ui.results_changed()
    return saved


def other_tab() -> str:
    return _ui.t("ใบให้คะแนนนี้ถูกแก้ไขจากอีกแท็บหรืออีกเครื่องหนึ่ง หน้านี้แสดงค่าล่าสุดแล้ว "
                 "การเปลี่ยนแปลงล่าสุดบนหน้านี้ยังไม่ได้บันทึก กรุณาตรวจสอบแล้วปรับอีกครั้ง",
                 "This sheet was changed in another tab or device; the latest values are shown and this page's last "
                 "change was not saved. Please check and make it again.")


def on_points(sub_id: int, cid: int) -> None:
    st.session_state.setdefault(TOUCHED, {}).setdefault(sub_id, set()).add(cid)


def unsaved(sheet: judging.SheetView) -> tuple[dict[int, float], dict[int, str], str | None]:
    """What the widgets show that the database does not have yet: moved sliders, edited comments."""
    sid = sheet.submission.id
    touched = st.session_state.get(TOUCHED, {}).get(sid, set())
    points: dict[int, float] = {}
    comments: dict[int, str] = {}
    for c in sheet.criteria:
        value = float(st.session_state.get(pts_key(sid, c.criterion_id), c.points or 0.0))
        if (c.points is None and (value != 0.0 or c.criterion_id in touched)) or (
                c.points is not None and value != c.points):
            points[c.criterion_id] = value
        comment = str(st.session_state.get(cmt_key(sid, c.criterion_id), c.comment))
        if comment != c.comment and (c.points is not None or c.criterion_id in points):
            comments[c.criterion_id] = comment  # stored with its criterion's points; before those it waits on screen
    overall = str(st.session_state.get(overall_key(sid), sheet.overall_comment))
    return points, comments, (overall if overall != sheet.overall_comment else None)


def all_values(sub_id: int, sheet: judging.SheetView) -> tuple[dict[int, float], dict[int, str]]:
    touched = st.session_state.get(TOUCHED, {}).get(sub_id, set())
    points = {c.criterion_id: float(st.session_state[pts_key(sub_id, c.criterion_id)]) for c in sheet.criteria
              if c.points is not None or c.criterion_id in touched}
    comments = {c.criterion_id: str(st.session_state[cmt_key(sub_id, c.criterion_id)]) for c in sheet.criteria}
    return points, comments


def on_button(sub_id: int, sheet: judging.SheetView, action: str, next_id: int | None) -> None:
    points, comments = all_values(sub_id, sheet)
    saved = save(sub_id, points=points, comments=comments, overall=str(st.session_state[overall_key(sub_id)]),
                 submit=action == "submit", check=True)
    if saved is None:
        return
    if action == "submit":
        flash("toast", _ui.t("ส่งคะแนนแล้ว", "Submitted."))
    elif action == "next" and next_id is not None:
        choose(next_id)
        flash("toast", _ui.t("บันทึกแล้ว ไปยังผลงานถัดไปที่ยังไม่ได้ให้คะแนน", "Saved; here is the next one to score."))
    else:
        flash("toast", _ui.t("บันทึกร่างแล้ว", "Draft saved."))


def ask_to_submit(sub_id: int) -> None:
    st.session_state[CONFIRM] = sub_id


def close_confirmation() -> None:
    st.session_state.pop(CONFIRM, None)


@st.dialog(_ui.t("ยืนยันการส่งคะแนน", "Confirm your scores"), on_dismiss=close_confirmation)
def confirm_submit(sub_id: int, sheet: judging.SheetView, next_id: int | None) -> None:
    """What submitting does, said before it is done: the sheet locks and only an organiser can reopen it."""
    points, _ = all_values(sub_id, sheet)
    st.text(clean(f"{sheet.submission.short_name} · {sheet.submission.title[:120]}"))
    st.metric(_ui.t("คะแนนรวมที่จะส่ง", "Total to submit"), f"{sum(points.values()):g} / {sheet.max_total}")
    if missing := judging.missing_on_screen(sheet, points):
        st.error(judging.incomplete_sheet(missing).message(_ui.lang()), icon=":material/warning:")
    st.warning(_ui.t("เมื่อส่งแล้ว ใบให้คะแนนนี้จะถูกล็อก คะแนนและความเห็นทุกข้อจะแก้ไขไม่ได้อีก "
               "หากต้องแก้ไขภายหลัง ต้องขอให้ผู้จัดงานเปิดใบให้คะแนนใหม่ (ระบบบันทึกเหตุผลไว้)",
               "Once submitted this sheet locks: its points and comments can no longer change. Only an "
               "organiser can reopen it later (the reason is recorded)."), icon=":material/lock:")
    ok, cancel = st.columns(2)
    if ok.button(_ui.t("ยืนยันส่งคะแนน", "Submit and lock"), icon=":material/task_alt:", type="primary",
                 key="judge_confirm_yes", width="stretch", disabled=bool(missing)):
        close_confirmation()
        on_button(sub_id, sheet, "submit", next_id)
        st.rerun()
    if cancel.button(_ui.t("กลับไปแก้ไข", "Back to the sheet"), key="judge_confirm_no", width="stretch"):
        close_confirmation()
        st.rerun()


def own_sheet(sub_id: int) -> printable_sheet.PrintableSheet:
    with _ui.db(read_only=True) as session:
        return printable_sheet.judge_sheet(session=session, viewer_id=acc.id, judge_id=acc.id, submission_id=sub_id)


@st.cache_data(ttl=600, show_spinner=False)
def cached_evidence(judge_id: int, sub_id: int) -> judging.Evidence:
    with _ui.db(read_only=True) as session:
        return judging.evidence(session=session, judge_id=judge_id, submission_id=sub_id)


def show_slide_state(sha256: str) -> list[Path] | None:
    """The slide pictures when rendered; else start rendering them and say what judges see meanwhile."""
    state = slide_pictures.ensure(engine=_ui.engine(), sha256=sha256)
    if state == slide_pictures.State.rendering:
        st.caption(_ui.t(":material/hourglass_top: กำลังสร้างภาพสไลด์ ระหว่างนี้แสดงข้อความในสไลด์ "
                         "ภาพจะปรากฏเมื่อเปิดผลงานนี้อีกครั้ง",
                         ":material/hourglass_top: Rendering slide pictures; meanwhile the slides' text is shown. "
                         "They appear when you open this work again."))
    elif state == slide_pictures.State.failed:
        st.caption(_ui.t("สร้างภาพสไลด์ของไฟล์นี้ไม่ได้ แสดงเฉพาะข้อความในสไลด์",
                         "The slides of this file could not be drawn; their text is shown."))
    return slide_pictures.pictures(sha256) if state == slide_pictures.State.ready else None


def show_evidence(ev: judging.Evidence) -> None:
    slides_tab, topics_tab, answers_tab, form_tab = st.tabs([
        _ui.t("สไลด์", "Slides"), _ui.t("หัวข้อตามคู่มือ", "Topic checklist"),
        _ui.t("คำตอบแบบสอบถาม", "Questionnaire"), _ui.t("ใบส่งโครงการ", "Submission form")])
    with slides_tab:
        if ev.deck_problem_th:
            st.info(ev.deck_problem_th if _ui.lang() == "th" else ev.deck_problem_en)
        st.caption(f"{md(ev.deck_name)} · {len(ev.slides)} {_ui.t('สไลด์', 'slides')}" if ev.deck_name else "")
        pictures = show_slide_state(ev.deck_sha256) if ev.slides else None
        with st.container(height=520):
            for s in ev.slides:
                st.markdown(f"**{s.number}\\. {md(s.title) or _ui.t('(ไม่มีชื่อสไลด์)', '(untitled)')}**")
                if pictures and s.number <= len(pictures):
                    # Fetched by the browser from the slides route and kept there: a rerun sends no picture again.
                    st.html(f'<img src="{slide_url(ev.deck_sha256, s.number)}" loading="lazy" '
                            f'alt="{_ui.t("สไลด์", "Slide")} {s.number}" style="width:100%;height:auto">')
                if s.text:
                    st.text(clean(s.text[:1500]))
    with topics_tab:
        for tp in ev.topics:
            title = tp.title_th if _ui.lang() == "th" else tp.title_en
            if tp.covered:
                st.markdown(f":material/check_circle: {title} — {_ui.t('สไลด์', 'slides')} {slide_ranges(tp.slides)}")
            else:
                st.markdown(f":material/radio_button_unchecked: {title} — :orange[{_ui.t('ไม่พบ', 'not found')}]")
    with answers_tab:
        if not ev.answers:
            st.caption(_ui.t("ผลงานนี้ไม่มีคำตอบแบบสอบถาม", "No questionnaire answers for this submission."))
        for key, value in ev.answers.items():
            show_answer(key, value)
        facts = [(_ui.t("เริ่มใช้งานจริง", "In real use since"),
                  format_date(ev.golive_date, _ui.lang()) if ev.golive_date else "—"),
                 (_ui.t("ต่อยอดจากโครงการเดิม", "Extends an earlier project"), ev.earlier_project or "—"),
                 (_ui.t("ผู้พัฒนา", "Developed by"), {"in_house": _ui.t("บุคลากรของ อปท. เอง", "in-house"),
                                                     "partner": _ui.t("ร่วมกับภาคี", "with a partner")}.get(
                     ev.developed_by, "—")),
                 (_ui.t("ผู้ร่วมพัฒนา", "Partner"), ev.partner or "—")]
        st.table({_ui.t("หัวข้อ", "Item"): [f[0] for f in facts],
                  _ui.t("ข้อมูล", "Value"): [md(f[1]) for f in facts]})  # st.table renders Markdown in cells
    with form_tab:
        if not ev.form_name:
            st.caption(_ui.t("ไม่มีใบส่งโครงการแนบมา", "No signed form attached."))
        else:
            st.markdown(f":material/description: {md(ev.form_name)}"
                     + (f" · {ev.form_pages} {_ui.t('หน้า', 'pages')}" if ev.form_pages else "")
                     + (_ui.t(" · ฉบับสแกน", " · scanned") if ev.form_is_scan else ""))
        for code, accepted in ev.declarations.items():
            icon = ":material/check_box:" if accepted else ":material/check_box_outline_blank:"
            st.write(f"{icon} {DECLARATION_NAMES.get(code, (code, code))[0 if _ui.lang() == 'th' else 1]}")


DECLARATION_NAMES = {
    "truthful": ("ข้อมูลเป็นความจริง", "The information is true"),
    "ownership": ("เป็นเจ้าของผลงาน ไม่ละเมิดลิขสิทธิ์", "Owns the work; no copyright infringed"),
    "final_decision": ("ยอมรับว่าคำตัดสินของคณะกรรมการถือเป็นที่สิ้นสุด", "The committee's decision is final"),
    "publicity": ("ยินยอมให้ สพร. เผยแพร่ผลงาน", "DGA may publicise the work"),
}


def show_answer(key: str, value: Any) -> None:
    st.markdown(f"**{md(key)}**")
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        st.dataframe([{clean(k): clean(v) if isinstance(v, str) else v for k, v in row.items()} for row in value],
                     hide_index=True, width="stretch")
    elif isinstance(value, list):
        st.markdown(", ".join(md(v) for v in value) or "—")
    else:
        st.markdown(md(value, multiline=True) or "—")


# Sends each comment box's text to the app's HTTP route as the judge types (debounced), because a text box commits
# its value to the app only on Enter or leaving the box: when the page follows the live presenter first, the text
# is already on the server and the switch folds it into the sheet. Registered once per browser tab.
# One request per box at a time, the next sent when the last is answered: the server then stores a box's texts in
# the order they were typed. (Sent side by side, a slow request could land after a newer one and bring back the
# older text, which the switch would then fold in over the newer comment — seen under load in CI.) Leaving a box
# sends its text at once rather than after the pause.
TYPING_SCRIPT = """<script>
(() => {
  if (window.__ldawardTyping) return;
  window.__ldawardTyping = true;
  const boxes = new Map();  // "submission:criterion" -> {item: text not sent yet, timer, busy: a request on its way}
  const post = (item) => fetch('/api/judge/typing', {method: 'POST', credentials: 'same-origin', keepalive: true,
    headers: {'Content-Type': 'application/json'}, body: JSON.stringify(item)});
  const pump = (box) => {
    clearTimeout(box.timer);
    if (box.busy || !box.item) return;
    const item = box.item;
    box.item = null;
    box.busy = true;
    post(item).catch(() => {}).finally(() => { box.busy = false; pump(box); });
  };
  const itemOf = (target) => {
    const el = target && target.closest && target.closest('[class*="st-key-judge_cmt_"],'
      + '[class*="st-key-judge_overall_"]');
    if (!el) return null;
    const cls = [...el.classList].find((c) => c.startsWith('st-key-judge_'));
    let m = /^st-key-judge_cmt_(\\d+)_(\\d+)$/.exec(cls || '');
    return m ? {submission: +m[1], criterion: +m[2], text: target.value}
      : ((m = /^st-key-judge_overall_(\\d+)$/.exec(cls || '')) ? {submission: +m[1], criterion: 0,
         text: target.value} : null);
  };
  const boxOf = (item) => {
    const key = item.submission + ':' + item.criterion;
    if (!boxes.has(key)) boxes.set(key, {item: null, timer: null, busy: false});
    return boxes.get(key);
  };
  document.addEventListener('input', (ev) => {
    const item = itemOf(ev.target);
    if (!item) return;
    const box = boxOf(item);
    box.item = item;
    clearTimeout(box.timer);
    box.timer = setTimeout(() => pump(box), 200);
  }, true);
  document.addEventListener('focusout', (ev) => {
    const item = itemOf(ev.target);
    if (item) pump(boxOf(item));
  }, true);
  // The tab is going away: no waiting for answers (keepalive lets these finish after the page is gone).
  const flush = () => {
    for (const box of boxes.values()) {
      clearTimeout(box.timer);
      if (box.item) { post(box.item).catch(() => {}); box.item = null; }
    }
  };
  window.addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => { if (document.hidden) flush(); });
})();
</script>"""

# Sticky on the wrapper Streamlit puts round a keyed container (the container alone is as tall as its wrapper).
RUNNING_TOTAL_CSS = """<style>
[data-testid="stLayoutWrapper"]:has(> .st-key-judge_running_total) {position: sticky; top: 3.75rem; z-index: 5;}
.st-key-judge_running_total {padding: 0.25rem 0.5rem; background: var(--st-background-color, #fff);
  border-bottom: 1px solid rgba(49, 51, 63, 0.2);}
</style>"""

# --- the page ---------------------------------------------------------------------------------------------------

with _ui.db(read_only=True) as session:
    edition = _ui.edition_or_stop(session)
    assignments = judging.list_assignments(session=session, judge_id=acc.id, edition_id=edition.id)


open_rows = [a for a in assignments if not a.conflicted]
if not open_rows:
    st.info(_ui.t("ยังไม่มีผลงานที่มอบหมายให้ท่าน", "No submissions are assigned to you yet."))
    st.stop()

done = sum(a.state == "submitted" for a in open_rows)
st.progress(done / len(open_rows), text=_ui.t(f"ส่งคะแนนแล้ว {done} จาก {len(open_rows)} ผลงาน",
                                               f"{done} of {len(open_rows)} sheets submitted"))
by_id = {a.submission.id: a for a in open_rows}

# The judging deadline and the organisers' reminder from the completeness desk (live-session reminders are shown
# beside the live session, below).
if done < len(open_rows):
    deadline = edition.config.judging_deadline
    if deadline is not None:
        st.info(_ui.t(f"กำหนดส่งคะแนน: {format_thai_datetime(deadline)}",
                      f"Judging deadline: {format_thai_datetime(deadline)}"), icon=":material/event:")
    with _ui.guard(), _ui.db(read_only=True) as session:
        asked = live.reminders_for(session=session, judge_id=acc.id, since=datetime.now(UTC) - timedelta(days=14),
                                   actions=("judging.remind",))
        if asked:
            st.warning(_ui.t(f"ผู้จัดงานขอให้ส่งใบให้คะแนนที่ยังค้างอยู่ {len(open_rows) - done} ผลงาน "
                             f"(แจ้งเมื่อ {format_thai_datetime(asked[0].at)})",
                             f"The organisers ask for your {len(open_rows) - done} outstanding sheets "
                             f"(sent {format_thai_datetime(asked[0].at)})."), icon=":material/notifications:")


def label(sub_id: int) -> str:
    a = by_id[sub_id]
    state = STATE_LABEL[a.state][0 if _ui.lang() == "th" else 1]
    return clean(f"{state} · {a.submission.short_name} จ.{a.submission.province} · {a.submission.title[:70]}")


ids = list(by_id)
if st.session_state.get(PICK) not in by_id:
    st.session_state[PICK] = next((a.submission.id for a in open_rows if a.state != "submitted"), ids[0])


def fold_typed(sid: int, *, from_screen: bool) -> None:
    """Save into the sheet what the judge typed for it (TYPING_SCRIPT sends it keystroke by keystroke, but a box
    commits only on leaving it) and, from_screen, what its widgets still show: for the work the page is moving away
    from. Only when no other tab saved the sheet since this one last did (its widgets would be stale)."""
    with _ui.guard():
        with _ui.db(read_only=True) as session:  # closed before saving: a second session would wait on this one
            before = judging.get_sheet(session=session, judge_id=acc.id, submission_id=sid)
        if before.state == "submitted" or st.session_state.get(VERSIONS, {}).get(sid) != before.version:
            return
        p_points, p_comments, p_overall = judging.with_typed(
            before, *(unsaved(before) if from_screen else ({}, {}, None)))
        if p_points or p_comments or p_overall is not None:
            save(sid, points=p_points, comments=p_comments, overall=p_overall)


st.html(TYPING_SCRIPT, unsafe_allow_javascript=True)
# The live pitching session: a banner that follows the organiser by a long poll (no rerun each second); it asks
# for this run only when the organiser presents a work this judge scores and the judge follows (not pinned). The
# switch is made here, before the picker exists: choose() gives the picker a new key, so an old pick the browser
# may still send cannot take the page back.
following, follow_to = _live_follow.follow(
    edition_id=edition.id, following=st.session_state.get(FOLLOW, True), followed=st.session_state.get(FOLLOWED),
    works={sid: a.submission.short_name for sid, a in by_id.items()},
    owed=[sid for sid, a in by_id.items() if a.state != "submitted"])
st.session_state[FOLLOW] = following
if follow_to is not None and follow_to in by_id:
    st.session_state[FOLLOWED] = follow_to
    choose(follow_to)
# The browser keeps showing the label the picker had when its value was chosen; when the chosen work's state (not
# scored / draft / submitted) has changed since, a fresh picker shows the current one.
if st.session_state.get(PICK_LABEL) not in (None, label(st.session_state[PICK])):
    choose(st.session_state[PICK])
sub_id = st.selectbox(_ui.t("ผลงาน", "Submission"), ids, format_func=label, key=picker_key(),
                      index=ids.index(st.session_state[PICK]))
st.session_state[PICK_LABEL] = label(sub_id)
st.session_state[PICK] = sub_id

previous = st.session_state.get(LAST)
if previous in by_id and previous != sub_id and any(
        k.startswith(f"judge_pts_{previous}_") for k in st.session_state):
    fold_typed(previous, from_screen=True)
    st.session_state.setdefault(LEFT, {})[previous] = time.monotonic() + LATE_TYPING_S
# Only now: a run stopped before this point (a newer event arrived) leaves the switch to be saved by the next run.
st.session_state[LAST] = sub_id

sheet: judging.SheetView | None = None
foreign = False
with session_lock(), _ui.guard(), _ui.db(read_only=True) as session:
    sheet = judging.get_sheet(session=session, judge_id=acc.id, submission_id=sub_id)
    known = st.session_state.setdefault(VERSIONS, {}).get(sub_id)
    foreign = known is not None and sheet.version > known  # saved elsewhere since this tab last saved or loaded it
    # A work that was not on screen in the last run starts from the database (and what was typed for it): state
    # its boxes may have kept from an earlier visit is stale, and would otherwise be saved over newer values.
    if foreign or known is None or previous != sub_id or \
            pts_key(sub_id, sheet.criteria[0].criterion_id) not in st.session_state:
        load_widgets(sheet)
if sheet is None:
    st.stop()
if foreign:
    st.warning(other_tab())
elif sheet.state != "submitted":
    # Every run saves what the screen shows and the database lacks. Saving here rather than in widget callbacks
    # means a change is never lost when a newer event interrupts the callback of an older one.
    changed_points, changed_comments, changed_overall = unsaved(sheet)
    if changed_points or changed_comments or changed_overall is not None:
        sheet = save(sub_id, points=changed_points, comments=changed_comments, overall=changed_overall) or sheet
for kind, text in st.session_state.pop(FLASH, []):
    {"toast": lambda m: st.toast(m, icon=":material/check_circle:"), "warning": st.warning,
     "error": st.error}[kind](text)

card = sheet.submission
st.subheader(md(card.title))
st.caption(f"{md(card.organisation)} · จ.{md(card.province)} · {md(card.category)} · {md(card.receipt_code)}")
locked = sheet.state == "submitted"
if locked:
    st.success(_ui.t("ส่งคะแนนผลงานนี้แล้ว หากต้องการแก้ไขกรุณาติดต่อผู้จัดงาน",
                     "This sheet is submitted; ask an organiser to reopen it if you need to change it."))

evidence_col, sheet_col = st.columns([5, 6], gap="medium")
ev: judging.Evidence | None = None
with evidence_col, _ui.guard():
    ev = cached_evidence(acc.id, sub_id)
    show_evidence(ev)
hints = ev.suggestions if ev is not None else {}

touched: set[int] = st.session_state.setdefault(TOUCHED, {}).setdefault(sub_id, set())
with sheet_col:
    # The running total sits above the criteria and stays in view while the judge scrolls through them.
    running_total = st.container(key="judge_running_total")
    st.html(RUNNING_TOTAL_CSS)
    if st.session_state.get(CONFIRM) != sub_id or locked:
        close_confirmation()  # a confirmation left open on another work does not come back on its own
    if not locked:
        st.caption(_ui.t(":material/cloud_done: ทุกการเปลี่ยนแปลงบันทึกเป็นร่างทันที ใช้ปุ่มลูกศรบนแป้นพิมพ์เลื่อนแถบได้",
                         ":material/cloud_done: Every change is saved as a draft at once; arrow keys move a slider."))
    points: dict[int, float] = {}
    for i, c in enumerate(sheet.criteria, start=1):
        with st.container(border=True):
            value = st.slider(
                f"{i}. {c.title_th if _ui.lang() == 'th' else c.title_en} ({_ui.t('เต็ม', 'max')} {c.max_points})",
                min_value=0.0, max_value=float(c.max_points), step=0.5, key=pts_key(sub_id, c.criterion_id),
                disabled=locked, on_change=on_points, args=(sub_id, c.criterion_id),
            )
            if c.points is not None or c.criterion_id in touched:
                points[c.criterion_id] = value
            elif not locked:
                # A slider that starts at 0 cannot be "moved" to 0: zero points is a button of its own.
                note, zero = st.columns([3, 1], vertical_alignment="center")
                note.caption(_ui.t("ยังไม่ให้คะแนน — เลื่อนแถบเพื่อให้คะแนน", "Not scored yet — move the slider"))
                zero.button(_ui.t("ให้ 0 คะแนน", "Give 0 points"), key=f"judge_zero_{sub_id}_{c.criterion_id}",
                            type="tertiary", on_click=on_points, args=(sub_id, c.criterion_id))
            if (hint := hints.get(c.criterion_id)) is not None:
                st.caption(_ui.t(f":material/lightbulb: คะแนนที่ระบบแนะนำ {hint.points:g} / {hint.max_points} "
                                 f"จากแบบสอบถาม ({len(hint.options)} รายการ)",
                                 f":material/lightbulb: Suggested {hint.points:g} / {hint.max_points} from the "
                                 f"questionnaire ({len(hint.options)} ticked)"))
            if c.guidance_th:
                with st.expander(_ui.t("คำแนะนำของเกณฑ์", "Guidance")):
                    st.caption(c.guidance_th)
            st.text_input(_ui.t("ความเห็น", "Comment"), key=cmt_key(sub_id, c.criterion_id), disabled=locked)
    st.text_area(_ui.t("ความเห็นโดยรวม", "Overall comment"), key=overall_key(sub_id), disabled=locked)
    total = sum(points.values())
    scored_label = _ui.t(f"ให้คะแนนแล้ว {len(points)} จาก {len(sheet.criteria)} เกณฑ์",
                         f"{len(points)} of {len(sheet.criteria)} criteria scored")
    running_total.markdown(f"**{_ui.t('คะแนนรวม', 'Total')} {total:g} / {sheet.max_total}** · {scored_label}")
    st.metric(_ui.t("คะแนนรวม", "Total"), f"{total:g} / {sheet.max_total}", scored_label,
              delta_color="off", delta_arrow="off")
    if sheet.updated_at is not None:
        st.caption(_ui.t(f"บันทึกล่าสุด {format_thai_datetime(sheet.updated_at)}",
                         f"Last saved {sheet.updated_at:%Y-%m-%d %H:%M} UTC"))
    with st.expander(_ui.t("พิมพ์ใบให้คะแนนนี้", "Print this sheet"), icon=":material/print:"):
        _ui.sheet_downloads("judge_print", lambda: own_sheet(sub_id), (sub_id, sheet.version, sheet.state),
                            f"score-sheet-{card.receipt_code}")
    next_id = judging.next_unscored(assignments, sub_id)
    if not locked:
        c1, c2 = st.columns(2)
        c1.button(_ui.t("บันทึกร่าง", "Save draft"), icon=":material/save:", key="judge_save", width="stretch",
                  on_click=on_button, args=(sub_id, sheet, "save", None))
        c2.button(_ui.t("บันทึกแล้วไปผลงานถัดไป", "Save and go to the next"), icon=":material/skip_next:",
                  key="judge_next", width="stretch", disabled=next_id is None,
                  on_click=on_button, args=(sub_id, sheet, "next", next_id))
        # A row of its own, so its label is never cut off; the confirmation it opens says what locks.
        st.button(_ui.t("ส่งคะแนนผลงานนี้", "Submit this sheet"), icon=":material/task_alt:", type="primary",
                  key="judge_submit", width="stretch", on_click=ask_to_submit, args=(sub_id,))
        if st.session_state.get(CONFIRM) == sub_id:
            confirm_submit(sub_id, sheet, None)
    elif next_id is not None:
        st.button(_ui.t("ไปผลงานถัดไปที่ยังไม่ได้ให้คะแนน", "Go to the next unscored submission"),
                  icon=":material/skip_next:", key="judge_goto_next",
                  on_click=choose, args=(next_id,))

# The blind rule: other judges' scores only once judging is closed (or the edition turned blind judging off).
if judging.others_visible(edition.config, edition.phase):
    with st.expander(_ui.t("คะแนนของกรรมการท่านอื่น", "Other judges' scores")), _ui.guard(), \
            _ui.db(read_only=True) as session:
        panel = judging.panel_scores(session=session, judge_id=acc.id, submission_id=sub_id)
        st.dataframe([{_ui.t("กรรมการ", "Judge"): p.judge_name, _ui.t("คะแนนรวม", "Total"): p.total} for p in panel],
                     hide_index=True, width="stretch")

with st.expander(_ui.t("แจ้งการมีส่วนได้เสียกับผลงานนี้", "Declare a conflict of interest with this submission"),
                 icon=":material/front_hand:"), st.form("judge_coi"):
    st.caption(_ui.t("เมื่อแจ้งแล้ว ท่านจะเปิดหรือให้คะแนนผลงานนี้ไม่ได้ และคะแนนที่เคยให้จะไม่ถูกนับ",
                     "Once declared you cannot open or score it, and any score you gave does not count."))
    reason = st.selectbox(_ui.t("เหตุ", "Reason"), list(ConflictReason), key="judge_coi_reason",
                          format_func=lambda r: conflicts.REASON_NAMES[r][0 if _ui.lang() == "th" else 1])
    note = st.text_input(_ui.t("รายละเอียด", "Details"), key="judge_coi_note")
    if st.form_submit_button(_ui.t("แจ้งการมีส่วนได้เสีย", "Declare")):
        with _ui.guard(), _ui.db() as session:
            conflicts.declare(session=session, judge_id=acc.id, submission_id=sub_id, reason=reason, note=note,
                              actor=acc.username)
            flash("toast", _ui.t("บันทึกการมีส่วนได้เสียแล้ว", "Conflict recorded."))
            st.rerun()

if declared := [a for a in assignments if a.conflicted]:
    st.caption(_ui.t("ผลงานที่ท่านมีส่วนได้เสีย (ไม่ต้องให้คะแนน): ", "Submissions you have a conflict with: ")
               + ", ".join(md(a.submission.short_name) for a in declared))
