"""Organisers plan the online pitching days: generate a draft, move slots by hand, publish, export."""

from datetime import date, datetime, time, timedelta

import streamlit as st

from models import Role
from pages import _dates, _ui
from services.pitching import phrases as pitching_phrases
from services.pitching import schedule
from services.platform.safe_text import clean
from services.thai.dates import BANGKOK, format_thai_day, to_bangkok

acc = _ui.require_role(Role.organiser)
st.title(_ui.t("กำหนดการนำเสนอผลงาน", "Pitching schedule"))

with _ui.db() as session:
    edition = _ui.edition_or_stop(session)
    days = schedule.schedule(session=session, edition_id=edition.id)
    to_present = schedule.works_to_present(session=session, edition_id=edition.id)

if flash := st.session_state.pop("sched_flash", None):
    st.success(flash)

with (
    st.expander(_ui.t("สร้างกำหนดการฉบับร่างจากผลงานที่ส่งเข้าประกวด", "Generate a draft from the works"), expanded=not days),
    st.form("sched_generate"),
):
    c1, c2, c3 = st.columns(3)
    first_day = _dates.date_field(c1, "วันแรก", "First day", value=date(2021, 8, 4), key="sched_first", in_form=True)
    # The first guess: as many days of the default timetable as the works need (spread evenly over them).
    guess = schedule.days_needed(to_present, schedule.ScheduleParams(days=(date(2021, 8, 4),)))
    n_days = c2.number_input(_ui.t("จำนวนวัน", "Days"), 1, 20, min(guess, 20), key="sched_days")
    weekdays_only = c3.checkbox(_ui.t("เฉพาะวันจันทร์–ศุกร์", "Weekdays only"), value=True, key="sched_weekdays")
    c1, c2, c3, c4 = st.columns(4)
    start = c1.time_input(_ui.t("เริ่ม", "Start"), time(9, 0), key="sched_start", step=300)
    end = c2.time_input(_ui.t("เลิก", "End"), time(17, 0), key="sched_end", step=300)
    pres = c3.number_input(_ui.t("นำเสนอ (นาที)", "Presentation (min)"), 1, 120, 15, key="sched_pres")
    qa = c4.number_input(_ui.t("ตอบคำถาม (นาที)", "Questions (min)"), 0, 120, 10, key="sched_qa")
    c1, c2, c3 = st.columns(3)
    rooms = c1.number_input(_ui.t("จำนวนห้องพร้อมกัน", "Parallel rooms"), 1, 5, 1, key="sched_rooms")
    group_by = c2.selectbox(
        _ui.t("จัดกลุ่มตาม", "Group by"),
        ["province", "category"],
        key="sched_group",
        format_func=lambda g: _ui.t("จังหวัด", "province") if g == "province" else _ui.t("ประเภทผลงาน", "category"),
    )
    url = c3.text_input(_ui.t("ลิงก์ห้องประชุม (ทุกวัน)", "Meeting link (every day)"), key="sched_url")
    if st.form_submit_button(_ui.t("สร้างกำหนดการ", "Generate"), type="primary"):
        chosen: list[date] = []
        day = first_day
        while len(chosen) < n_days:
            if not weekdays_only or day.weekday() < 5:
                chosen.append(day)
            day += timedelta(days=1)
        with _ui.guard(), _ui.db() as session:
            made = schedule.generate(
                session=session,
                edition_id=edition.id,
                actor=acc.username,
                params=schedule.ScheduleParams(
                    days=tuple(chosen),
                    start=start,
                    end=end,
                    presentation_minutes=int(pres),
                    qa_minutes=int(qa),
                    rooms=int(rooms),
                    group_by=group_by,
                    meeting_url=url,
                ),
            )
            st.session_state["sched_flash"] = _ui.t(
                f"จัดกำหนดการแล้ว {sum(len(d.pitches) for d in made)} ผลงาน ใน {len(made)} วัน",
                f"Scheduled {sum(len(d.pitches) for d in made)} works over {len(made)} days",
            )
            st.rerun()

if not days:
    st.info(_ui.t("ยังไม่มีกำหนดการ", "No schedule yet."))
    st.stop()


def _label(s: schedule.SlotView) -> str:
    work = s.work.short_name if s.work else "—"
    return clean(f"{format_thai_day(s.day)} {to_bangkok(s.starts_at):%H:%M} ห้อง {s.room} · {work}")


for d in days:
    status = _ui.t("เผยแพร่แล้ว", "published") if d.published_at else _ui.t("ร่าง", "draft")
    st.header(f"{format_thai_day(d.day)} · {status}")
    st.dataframe(
        [
            {
                _ui.t("เวลา", "Time"): f"{to_bangkok(s.starts_at):%H:%M}–{to_bangkok(s.ends_at):%H:%M}",
                _ui.t("ห้อง", "Room"): s.room,
                _ui.t("หน่วยงาน", "Organisation"): s.work.short_name
                if s.work
                else (_ui.t(*pitching_phrases.LUNCH) if s.is_lunch else _ui.label(pitching_phrases.SLOT_KIND, s.kind)),
                _ui.t("จังหวัด", "Province"): s.work.province if s.work else "",
                _ui.t("ผลงาน", "Project"): s.work.title if s.work else "",
                _ui.t("เปลี่ยนหลังเผยแพร่", "Changed after publishing"): _ui.t("⚠ เปลี่ยน", "⚠ changed")
                if s.changed_after_publish_at
                else "",
            }
            for s in d.slots
        ],
        hide_index=True,
        width="stretch",
        key=f"sched_table_{d.id}",
    )
    c1, c2 = st.columns([1, 3])
    if c1.button(
        _ui.t("ยกเลิกการเผยแพร่", "Unpublish") if d.published_at else _ui.t("เผยแพร่วันนี้", "Publish"),
        key=f"sched_publish_{d.id}",
    ):
        with _ui.guard(), _ui.db() as session:
            schedule.publish(session=session, day_id=d.id, published=d.published_at is None, actor=acc.username)
            st.rerun()
    with c2.form(f"sched_url_{d.id}"):
        new_url = st.text_input(
            _ui.t("ลิงก์ห้องประชุมของวันนี้", "This day's meeting link"), value=d.meeting_url, key=f"sched_url_in_{d.id}"
        )
        if st.form_submit_button(_ui.t("บันทึกลิงก์", "Save link")):
            with _ui.guard(), _ui.db() as session:
                schedule.set_meeting_url(session=session, day_id=d.id, url=new_url, actor=acc.username)
                st.rerun()

st.divider()
st.header(_ui.t("ย้ายช่วงเวลา", "Move slots"))
pitches = {s.id: s for d in days for s in d.pitches}
c1, c2, c3 = st.columns([2, 2, 1])
a = c1.selectbox(_ui.t("ผลงาน", "Work"), list(pitches), format_func=lambda i: _label(pitches[i]), key="sched_swap_a")
b = c2.selectbox(
    _ui.t("สลับกับ", "Swap with"),
    list(pitches),
    format_func=lambda i: _label(pitches[i]),
    key="sched_swap_b",
    index=min(1, len(pitches) - 1),
)
if c3.button(_ui.t("สลับเวลา", "Swap"), key="sched_swap"):
    with _ui.guard(), _ui.db() as session:
        schedule.swap_works(session=session, slot_a=a, slot_b=b, actor=acc.username)
        st.session_state["sched_flash"] = _ui.t("สลับแล้ว", "Swapped")
        st.rerun()
c1, c2, c3 = st.columns([2, 2, 1])
moving = c1.selectbox(
    _ui.t("ช่วงเวลา", "Slot"), list(pitches), format_func=lambda i: _label(pitches[i]), key="sched_move_slot"
)
new_time = c2.time_input(
    _ui.t("เวลาเริ่มใหม่", "New start"),
    to_bangkok(pitches[moving].starts_at).time(),
    key=f"sched_move_time_{moving}",
    step=300,
)
if c3.button(_ui.t("ย้าย", "Move"), key="sched_move"):
    with _ui.guard(), _ui.db() as session:
        schedule.move_slot(
            session=session,
            slot_id=moving,
            actor=acc.username,
            starts_at=datetime.combine(pitches[moving].day, new_time, BANGKOK),
        )
        st.session_state["sched_flash"] = _ui.t("ย้ายแล้ว", "Moved")
        st.rerun()

st.divider()
c1, c2 = st.columns(2)
c1.download_button(
    _ui.t("ปฏิทิน (.ics)", "Calendar (.ics)"),
    schedule.to_ics(days, calendar_name=edition.name),
    file_name=f"pitching-{edition.year_be}.ics",
    mime="text/calendar",
    key="sched_ics",
    on_click="ignore",
)
c2.download_button(
    _ui.t("กำหนดการสำหรับพิมพ์ (.html)", "Printable agenda (.html)"),
    schedule.agenda_html(days, title=f"กำหนดการนำเสนอผลงาน {edition.name}"),
    file_name=f"agenda-{edition.year_be}.html",
    mime="text/html",
    key="sched_agenda",
    on_click="ignore",
)
