"""The live pitching session: organisers drive it; judges and organisers see the countdown and the day's agenda."""

import streamlit as st

from models import Role
from pages import _ui
from services.judging import phrases as judging_phrases
from services.pitching import live, schedule
from services.pitching import phrases as pitching_phrases
from services.platform.safe_text import clean, md
from services.thai.dates import format_thai_day, to_bangkok

acc = _ui.require_role(Role.organiser, Role.judge)
organiser = acc.role == Role.organiser
st.title(_ui.t("การนำเสนอสด", "Live pitching"))

with _ui.db(read_only=True) as session:
    edition = _ui.edition_or_stop(session)
    days = schedule.schedule(session=session, edition_id=edition.id)

if not days:
    st.info(_ui.t("ยังไม่มีกำหนดการนำเสนอ", "There is no pitching schedule yet."))
    st.stop()


def _clock(seconds: int) -> str:
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    return f"{sign}{seconds // 60:02d}:{seconds % 60:02d}"


@st.fragment(run_every=1)
def now_presenting() -> None:
    with _ui.guard():
        view = _ui.live_now(edition.id)  # from memory: this runs each second on every open page
        if view is None:
            st.info(_ui.t("ยังไม่มีการนำเสนอสดที่กำลังดำเนินอยู่", "No live session is running."))
            return
        stage = _ui.label(pitching_phrases.LIVE_STAGE, view.stage)
        if view.slot and view.slot.work:
            w = view.slot.work
            st.header(f"{stage}: {md(w.short_name)} จ.{md(w.province)}")
            st.markdown(md(w.title))
        else:
            st.header(stage)
        if view.seconds_left is not None:
            over = view.seconds_left < 0
            st.metric(
                _ui.t("เวลาที่เหลือ", "Time left"),
                _clock(view.seconds_left),
                _ui.t("เกินเวลา", "over time") if over else None,
                delta_color="inverse" if over else "off",
                delta_arrow="off",
            )
        if view.next_slot and view.next_slot.work:
            upcoming = f"{md(view.next_slot.work.short_name)} · {md(view.next_slot.work.title)}"
            st.caption(_ui.t(f"ถัดไป: {upcoming}", f"Next: {upcoming}"))


now_presenting()

running = _ui.live_now(edition.id)

if organiser:
    st.divider()
    if running is None:
        day_id = st.selectbox(
            _ui.t("วันนำเสนอ", "Day"),
            [d.id for d in days],
            key="live_day",
            format_func=lambda i: format_thai_day(next(d.day for d in days if d.id == i)),
        )
        if st.button(_ui.t("เริ่มการนำเสนอสด", "Start the live session"), type="primary", key="live_start"):
            with _ui.guard(), _ui.db() as session:
                live.start(session=session, edition_id=edition.id, day_id=day_id, actor=acc.username)
                st.rerun()
    else:
        day = next(d for d in days if d.id == running.day_id)
        c1, c2, c3, c4 = st.columns(4)
        actions = (
            (c1, _ui.t("ผลงานถัดไป", "Next presentation"), "live_next", live.advance),
            (c2, _ui.t("เริ่มช่วงตอบคำถาม", "Start questions"), "live_qa", live.questions),
            (c4, _ui.t("จบการนำเสนอสด", "End the session"), "live_end", live.end),
        )
        for col, label, key, action in actions:
            if col.button(label, key=key, type="primary" if key == "live_next" else "secondary"):
                with _ui.guard(), _ui.db() as session:
                    action(session=session, live_id=running.id, actor=acc.username)
                    st.rerun()
        chosen = c3.selectbox(
            _ui.t("หรือเลือกผลงาน", "Or choose"),
            [s.id for s in day.pitches],
            key="live_pick",
            label_visibility="collapsed",
            format_func=lambda i: next(
                clean(f"{to_bangkok(s.starts_at):%H:%M} {s.work.short_name}")
                for s in day.pitches
                if s.id == i and s.work
            ),
        )
        if c3.button(_ui.t("นำเสนอผลงานนี้", "Present this"), key="live_present"):
            with _ui.guard(), _ui.db() as session:
                live.present(session=session, live_id=running.id, slot_id=chosen, actor=acc.username)
                st.rerun()
        if running.submission_id:
            with _ui.db() as session:
                judges = live.sheet_status(session=session, submission_id=running.submission_id)
            st.dataframe(
                [
                    {
                        _ui.t("กรรมการ", "Judge"): j.display_name,
                        _ui.t("หน่วยงาน", "Agency"): j.agency,
                        _ui.t("ใบให้คะแนน", "Sheet"): _ui.label(judging_phrases.SHEET_STATE, j.state),
                    }
                    for j in judges
                ],
                hide_index=True,
                width="stretch",
                key="live_judges",
            )
            waiting = [j.judge_id for j in judges if j.state != "submitted"]
            if waiting and st.button(
                _ui.t(f"เตือนกรรมการที่ยังไม่ส่ง ({len(waiting)} คน)", f"Remind the {len(waiting)} who have not submitted"),
                key="live_remind",
            ):
                with _ui.guard(), _ui.db() as session:
                    live.remind(
                        session=session, submission_id=running.submission_id, judge_ids=waiting, actor=acc.username
                    )
                    st.toast(_ui.t("ส่งการเตือนแล้ว", "Reminders sent"))

st.divider()
st.header(_ui.t("กำหนดการ", "Agenda"))
for d in days:
    if not organiser and d.published_at is None:
        continue
    with st.expander(format_thai_day(d.day), expanded=running is not None and running.day_id == d.id):
        for s in d.slots:
            when = f"{to_bangkok(s.starts_at):%H:%M}–{to_bangkok(s.ends_at):%H:%M}"
            if s.work is None:
                st.caption(
                    f"{when} · "
                    + (_ui.t(*pitching_phrases.LUNCH) if s.is_lunch else _ui.label(pitching_phrases.SLOT_KIND, s.kind))
                )
            else:
                marker = "▶ " if running and running.slot and running.slot.id == s.id else ""
                st.markdown(
                    f"{marker}{when} · **{md(s.work.short_name)}** จ.{md(s.work.province)} · {md(s.work.title)}"
                )
