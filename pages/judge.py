"""Judge's page: pick a work, see its evidence beside the score sheet (pages/_score_sheet.py, which saves each change
itself), submit it after a confirmation, declare a conflict."""

from datetime import UTC, datetime, timedelta
from typing import Any

import streamlit as st

from models import ConflictReason, Role
from pages import _live_follow, _score_sheet, _ui, _work_pane
from services.judging import (
    blind,
    conflicts,
    evidence,
    on_screen,
    printable_sheet,
    sheets,
    worklist,
)
from services.judging import phrases as judging_phrases
from services.pitching import live
from services.platform.errors import DomainError
from services.platform.safe_text import clean, md
from services.thai.dates import format_thai_datetime
from web_routes import slide_url

acc = _ui.require_role(Role.judge)
st.title(_ui.t("ให้คะแนนผลงาน", "Score submissions"))

PICK = "judge_pick"  # the submission on screen (the picker widget's own key changes, see choose())
PICK_GEN = "judge_pick_gen"
PICK_LABEL = "judge_pick_label"  # the picker's label for the work on screen, as last drawn
PICKER = "judge_submission"
FLASH = "judge_flash"  # (kind, text) shown once, after a callback or a save
FOLLOW = "judge_follow"  # follow the live pitching session (off: the judge pinned the work on screen)
FOLLOWED = "judge_followed"  # the live presentation last followed, so a judge's own pick is not overridden
CONFIRM = "judge_confirm_submit"  # (submission, sheet version) whose "submit" confirmation is open
DIALOG = "judge_dialog"  # ("print" | "coi", submission) of the other dialog open
STALE = "judge_rows_stale"  # unset or True: the work area reads the assignments itself (a fragment run)


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


def submit(sub_id: int, version: int) -> None:
    """Submit the sheet as stored, if it is still the version the judge's sheet last saved (a stale tab is told)."""
    try:
        with _ui.db() as session:
            sheets.save_sheet(
                session=session,
                judge_id=acc.id,
                submission_id=sub_id,
                points={},
                submit=True,
                actor=acc.username,
                expected_version=version,
            )
    except sheets.SheetChanged:
        flash("warning", _score_sheet.other_tab())
        return
    except DomainError as e:
        flash("error", e.message(_ui.lang()))
        return
    except Exception:  # the database did not answer: the sheet stays a draft, nothing is lost
        _ui.log.exception("submit failed")
        flash(
            "error",
            _ui.t(
                "ส่งคะแนนไม่สำเร็จ ระบบขัดข้องชั่วคราว กรุณาลองอีกครั้ง",
                "Not submitted: the service is briefly unavailable. Please try again.",
            ),
        )
        return
    _ui.results_changed()  # a draft counts nowhere: only a submit clears the ranking's caches
    flash("toast", _ui.t("ส่งคะแนนแล้ว", "Submitted."))


def on_action(action: dict[str, Any], sheet: sheets.SheetView, next_id: int | None) -> None:
    """A button of the sheet, pressed once the component had saved everything queued."""
    version = int(action.get("version") or 0)
    if action["kind"] == "submit":
        st.session_state[CONFIRM] = (sheet.submission.id, version)
    elif sheet.version != version:  # saved elsewhere after the sheet's last save: its values are reloaded
        st.warning(_score_sheet.other_tab())
    elif action["kind"] == "next" and next_id is not None:
        choose(next_id)
        flash("toast", _ui.t("บันทึกแล้ว ไปยังผลงานถัดไปที่ยังไม่ได้ให้คะแนน", "Saved; here is the next one to score."))
        st.rerun()
    else:
        st.toast(_ui.t("บันทึกร่างแล้ว", "Draft saved."), icon=":material/check_circle:")


def pressed_elsewhere(sub_id: object, rows: list[worklist.AssignmentView]) -> None:
    """A button of the sheet pressed on the work the browser drew from the work route (a follow) before this page's
    run caught up with it: the page goes to that work and asks for the button again (what was typed is saved)."""
    if sub_id in {a.submission.id for a in rows if not a.conflicted}:
        choose(int(str(sub_id)))
        flash(
            "warning",
            _ui.t(
                "หน้านี้เพิ่งเปลี่ยนไปยังผลงานที่กำลังนำเสนอ คะแนนและความเห็นบันทึกแล้ว กรุณากดปุ่มอีกครั้ง",
                "The page had just moved to the work being presented; your scores are saved. Please press the "
                "button again.",
            ),
        )
        st.rerun()


def close_confirmation() -> None:
    st.session_state.pop(CONFIRM, None)


@st.dialog(_ui.t("ยืนยันการส่งคะแนน", "Confirm your scores"), on_dismiss=close_confirmation)
def confirm_submit(sheet: sheets.SheetView, version: int) -> None:
    """What submitting does, said before it is done: the sheet locks and only an organiser can reopen it. Shows the
    sheet as stored: the component saved everything before asking."""
    st.text(clean(f"{sheet.submission.short_name} · {sheet.submission.title[:120]}"))
    st.metric(_ui.t("คะแนนรวมที่จะส่ง", "Total to submit"), f"{sheet.total:g} / {sheet.max_total}")
    if missing := sheets.missing_on_screen(sheet, {}):
        st.error(sheets.incomplete_sheet(missing).message(_ui.lang()), icon=":material/warning:")
    st.warning(
        _ui.t(
            "เมื่อส่งแล้ว ใบให้คะแนนนี้จะถูกล็อก คะแนนและความเห็นทุกข้อจะแก้ไขไม่ได้อีก "
            "หากต้องแก้ไขภายหลัง ต้องขอให้ผู้จัดงานเปิดใบให้คะแนนใหม่ (ระบบบันทึกเหตุผลไว้)",
            "Once submitted this sheet locks: its points and comments can no longer change. Only an "
            "organiser can reopen it later (the reason is recorded).",
        ),
        icon=":material/lock:",
    )
    ok, cancel = st.columns(2)
    if ok.button(
        _ui.t("ยืนยันส่งคะแนน", "Submit and lock"),
        icon=":material/task_alt:",
        type="primary",
        key="judge_confirm_yes",
        width="stretch",
        disabled=bool(missing),
    ):
        close_confirmation()
        submit(sheet.submission.id, version)
        st.rerun()
    if cancel.button(_ui.t("กลับไปแก้ไข", "Back to the sheet"), key="judge_confirm_no", width="stretch"):
        close_confirmation()
        st.rerun()


def close_dialog() -> None:
    st.session_state.pop(DIALOG, None)


def dialog_button(kind: str, sub_id: int, label: str, icon: str) -> bool:
    """A button that opens one of the page's dialogs, which stays open across runs for this work until dismissed:
    one element on every run (and every follow) where an expander holding the dialog's widgets drew six."""
    if st.button(label, icon=icon, key=f"judge_{kind}_open"):
        st.session_state[DIALOG] = (kind, sub_id)
    return st.session_state.get(DIALOG) == (kind, sub_id)


@st.dialog(_ui.t("พิมพ์ใบให้คะแนนนี้", "Print this sheet"), on_dismiss=close_dialog)
def print_sheet(sheet: sheets.SheetView) -> None:
    sub_id = sheet.submission.id
    _ui.sheet_downloads(
        "judge_print",
        lambda: own_sheet(sub_id),
        (sub_id, sheet.version, sheet.state),
        f"score-sheet-{sheet.submission.receipt_code}",
    )


@st.dialog(_ui.t("แจ้งการมีส่วนได้เสียกับผลงานนี้", "Declare a conflict of interest"), on_dismiss=close_dialog)
def declare_conflict(sub_id: int) -> None:
    st.caption(
        _ui.t(
            "เมื่อแจ้งแล้ว ท่านจะเปิดหรือให้คะแนนผลงานนี้ไม่ได้ และคะแนนที่เคยให้จะไม่ถูกนับ",
            "Once declared you cannot open or score it, and any score you gave does not count.",
        )
    )
    with st.form("judge_coi"):
        reason = st.selectbox(
            _ui.t("เหตุ", "Reason"),
            list(ConflictReason),
            key="judge_coi_reason",
            format_func=lambda r: _ui.label(judging_phrases.CONFLICT_REASON, r),
        )
        note = st.text_input(_ui.t("รายละเอียด", "Details"), key="judge_coi_note")
        if st.form_submit_button(_ui.t("แจ้งการมีส่วนได้เสีย", "Declare")) and reason is not None:
            with _ui.guard(), _ui.db() as session:
                conflicts.declare(
                    session=session, judge_id=acc.id, submission_id=sub_id, reason=reason, note=note, actor=acc.username
                )
                close_dialog()
                flash("toast", _ui.t("บันทึกการมีส่วนได้เสียแล้ว", "Conflict recorded."))
                st.rerun()


def own_sheet(sub_id: int) -> printable_sheet.PrintableSheet:
    with _ui.db(read_only=True) as session:
        return printable_sheet.judge_sheet(session=session, viewer_id=acc.id, judge_id=acc.id, submission_id=sub_id)


# --- the page ---------------------------------------------------------------------------------------------------

with _ui.db(read_only=True) as session:
    edition = _ui.edition_or_stop(session)
    assignments = worklist.list_assignments(session=session, judge_id=acc.id, edition_id=edition.id)

open_rows = [a for a in assignments if not a.conflicted]
if not open_rows:
    st.info(_ui.t("ยังไม่มีผลงานที่มอบหมายให้ท่าน", "No submissions are assigned to you yet."))
    st.stop()

done = sum(a.state == "submitted" for a in open_rows)
st.progress(
    done / len(open_rows),
    text=_ui.t(f"ส่งคะแนนแล้ว {done} จาก {len(open_rows)} ผลงาน", f"{done} of {len(open_rows)} sheets submitted"),
)

# The judging deadline and the organisers' reminder from the completeness desk (live-session reminders are shown
# beside the live session, below).
if done < len(open_rows):
    deadline = edition.config.judging_deadline
    if deadline is not None:
        st.info(
            _ui.t(
                f"กำหนดส่งคะแนน: {format_thai_datetime(deadline)}", f"Judging deadline: {format_thai_datetime(deadline)}"
            ),
            icon=":material/event:",
        )
    with _ui.guard(), _ui.db(read_only=True) as session:
        asked = live.reminders_for(
            session=session, judge_id=acc.id, since=datetime.now(UTC) - timedelta(days=14), actions=("judging.remind",)
        )
        if asked:
            st.warning(
                _ui.t(
                    f"ผู้จัดงานขอให้ส่งใบให้คะแนนที่ยังค้างอยู่ {len(open_rows) - done} ผลงาน "
                    f"(แจ้งเมื่อ {format_thai_datetime(asked[0].at)})",
                    f"The organisers ask for your {len(open_rows) - done} outstanding sheets "
                    f"(sent {format_thai_datetime(asked[0].at)}).",
                ),
                icon=":material/notifications:",
            )


def labels(rows: list[worklist.AssignmentView]) -> dict[int, str]:
    """The picker's label of each work (its sheet's state, organisation, province, title), made once a run."""
    states = {code: _ui.label(judging_phrases.SHEET_STATE, code) for code in {a.state for a in rows}}
    return {
        a.submission.id: clean(
            f"{states[a.state]} · {a.submission.short_name} จ.{a.submission.province} · {a.submission.title[:70]}"
        )
        for a in rows
    }


@st.fragment
def work_area(first: list[worklist.AssignmentView]) -> None:
    """The live banner, the picker and the work on screen. A fragment: when the organiser presents the next work,
    every following judge's page switches at the same moment, and only this part runs again (a fraction of the
    page's cost, so a committee's burst of switches does not hold up anyone's slider saves). The same goes for
    picking a work. Submitting, declaring a conflict and signing out run the whole page (the progress above).

    All of it in turn: fifty runs starting together each read their works and drew their picker at once, sharing
    the interpreter with the one run drawing in its turn, which then finished late; waiting for a turn costs none."""
    with _ui.in_turn():
        draw_work_area(first)


def draw_work_area(first: list[worklist.AssignmentView]) -> None:
    # One session for the run's reads, in the turn: the works' list when this is a fragment run, then the work on
    # screen in two statements; on PostgreSQL without a transaction around them (snapshot=False), so three round
    # trips in all. Under a burst the database answers each one late (it shares the cores with the pages), and the
    # turn waits through every one.
    rows = first
    opened: tuple[int, sheets.SheetView, evidence.WorkVersion] | None = None
    with _ui.guard(), _ui.db(read_only=True, snapshot=False) as session:  # a sheet that may not be opened: why
        if st.session_state.pop(STALE, True):  # a fragment run: the states (labels, next unscored) as stored now
            rows = worklist.list_assignments(session=session, judge_id=acc.id, edition_id=edition.id)
        sub_id = pick_work(rows)
        opened = (sub_id, *evidence.sheet_on_screen(session=session, judge_id=acc.id, submission_id=sub_id))
    if opened is not None:
        show_work(*opened, rows)


def pick_work(rows: list[worklist.AssignmentView]) -> int:
    """The live banner and the picker: the work to show."""
    by_id = {a.submission.id: a for a in rows if not a.conflicted}
    shown = labels(list(by_id.values()))
    if not by_id:
        st.rerun()  # a conflict declared elsewhere took the last work: the whole page says so
    ids = list(by_id)
    if st.session_state.get(PICK) not in by_id:
        st.session_state[PICK] = next((sid for sid, a in by_id.items() if a.state != "submitted"), ids[0])

    # The live pitching session: a banner that follows the organiser by a long poll (no rerun each second); it
    # asks for a run of this fragment only when the organiser presents a work this judge scores and the judge
    # follows (not pinned). The switch is made here, before the picker exists: choose() gives the picker a new key,
    # so an old pick the browser may still send cannot take the page back.
    following, follow_to = _live_follow.follow(
        edition_id=edition.id,
        following=st.session_state.get(FOLLOW, True),
        followed=st.session_state.get(FOLLOWED),
        works={sid: a.submission.short_name for sid, a in by_id.items()},
        owed=[sid for sid, a in by_id.items() if a.state != "submitted"],
    )
    st.session_state[FOLLOW] = following
    if follow_to is not None and follow_to in by_id:
        st.session_state[FOLLOWED] = follow_to
        choose(follow_to)
    # The browser keeps showing the label the picker had when its value was chosen; when the chosen work's state
    # (not scored / draft / submitted) has changed since, a fresh picker shows the current one. Not when the judge
    # has just picked another work: the sheet saves without reruns, so the labels are often stale by then, and a
    # fresh picker would undo the pick.
    picked = st.session_state.get(picker_key())
    if picked in by_id and picked != st.session_state[PICK]:
        st.session_state[PICK] = picked
    elif st.session_state.get(PICK_LABEL) not in (None, shown[st.session_state[PICK]]):
        choose(st.session_state[PICK])
    sub_id = st.selectbox(
        _ui.t("ผลงาน", "Submission"),
        ids,
        format_func=shown.__getitem__,
        key=picker_key(),
        index=ids.index(st.session_state[PICK]),
    )
    st.session_state[PICK_LABEL] = shown[sub_id]
    st.session_state[PICK] = sub_id
    return sub_id


def show_work(
    sub_id: int, sheet: sheets.SheetView, version: evidence.WorkVersion, rows: list[worklist.AssignmentView]
) -> None:
    """The work on screen, in the two components the work route also feeds (on_screen.drawn): what is this judge's
    (the sheet, read each time) beside what every judge shares (the evidence and the rounds' notes, built once a
    process)."""
    for kind, text in st.session_state.pop(FLASH, []):
        {"toast": lambda m: st.toast(m, icon=":material/check_circle:"), "warning": st.warning, "error": st.error}[
            kind
        ](text)

    locked = sheet.state == "submitted"
    next_id = worklist.next_unscored(rows, sub_id)
    shown: on_screen.Drawn | None = None
    with _ui.guard():
        shown = on_screen.drawn(
            engine=_ui.engine(),
            sheet=sheet,
            version=version,
            edition_id=edition.id,
            phase=str(edition.phase),
            config=lambda: edition.config,
            lang=_ui.lang(),
            has_next=next_id is not None,
            slide_url=slide_url,
        )
    if shown is None:
        return  # the evidence could not be read: the guard said why
    evidence_col, sheet_col = st.columns([5, 6], gap="medium")
    with evidence_col:
        _work_pane.work_pane(shown.work)
    with sheet_col:
        action = _score_sheet.score_sheet(shown.sheet)
        if action is not None and action.get("submission", sub_id) != sub_id:
            pressed_elsewhere(action["submission"], rows)
        elif action is not None and not locked:
            on_action(action, sheet, next_id)
        confirming = st.session_state.get(CONFIRM)
        if locked or not (isinstance(confirming, tuple) and confirming[0] == sub_id):
            close_confirmation()  # a confirmation left open on another work does not come back on its own
            confirming = None
        if st.session_state.get(DIALOG, ("", sub_id))[1] != sub_id:
            close_dialog()  # nor does a dialog
        if sheet.updated_at is not None:
            st.caption(
                _ui.t(
                    f"บันทึกล่าสุด {format_thai_datetime(sheet.updated_at)}",
                    f"Last saved {sheet.updated_at:%Y-%m-%d %H:%M} UTC",
                )
            )
        printing = dialog_button("print", sub_id, _ui.t("พิมพ์ใบให้คะแนนนี้", "Print this sheet"), ":material/print:")
        if locked and next_id is not None:
            st.button(
                _ui.t("ไปผลงานถัดไปที่ยังไม่ได้ให้คะแนน", "Go to the next unscored submission"),
                icon=":material/skip_next:",
                key="judge_goto_next",
                on_click=choose,
                args=(next_id,),
            )

    # The blind rule: other judges' scores only once judging is closed (or the current round is not blind).
    if shown.notes.others_visible:
        with (
            st.expander(_ui.t("คะแนนของกรรมการท่านอื่น", "Other judges' scores")),
            _ui.guard(),
            _ui.db(read_only=True) as session,
        ):
            panel = blind.panel_scores(session=session, judge_id=acc.id, submission_id=sub_id)
            st.dataframe(
                [{_ui.t("กรรมการ", "Judge"): p.judge_name, _ui.t("คะแนนรวม", "Total"): p.total} for p in panel],
                hide_index=True,
                width="stretch",
            )

    declaring = dialog_button(
        "coi",
        sub_id,
        _ui.t("แจ้งการมีส่วนได้เสียกับผลงานนี้", "Declare a conflict of interest with this submission"),
        ":material/front_hand:",
    )
    # One dialog at a time (Streamlit allows no more): the submit confirmation first, as the sheet asked for it.
    if confirming is not None:
        close_dialog()
        confirm_submit(sheet, confirming[1])
    elif printing:
        print_sheet(sheet)
    elif declaring:
        declare_conflict(sub_id)


st.session_state[STALE] = False  # this run has just read the assignments: the fragment's first run uses them
work_area(assignments)

if declared := [a for a in assignments if a.conflicted]:
    st.caption(
        _ui.t("ผลงานที่ท่านมีส่วนได้เสีย (ไม่ต้องให้คะแนน): ", "Submissions you have a conflict with: ")
        + ", ".join(md(a.submission.short_name) for a in declared)
    )
