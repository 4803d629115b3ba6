"""AppTest for the pitching pages: the organiser generates and publishes the schedule and drives the live session;
judges see what is being presented and the published agenda."""

from __future__ import annotations

import json
from datetime import date

from test_pages import DB, edition_id, ok, page_path, signed_in, submit_button, table_with

from services.pitching import live, schedule
from services.platform.safe_text import md


def generate_three_days(db: DB):
    at = signed_in(db, "organiser")
    ok(at.switch_page(page_path("schedule")).run())
    at.date_input(key="sched_first").set_value(date(2021, 8, 4))  # a Wednesday: Wed, Thu, Fri
    at.number_input(key="sched_days").set_value(3)
    at.text_input(key="sched_url").input("https://meet.example.go.th/lda-2564")
    ok(submit_button(at, "sched_generate").click().run())
    return at


def test_organiser_generates_a_schedule_for_all_45_works(app_env: str, db: DB) -> None:
    at = generate_three_days(db)
    assert any("จัดกำหนดการแล้ว 45 ผลงาน ใน 3 วัน" in s.value for s in at.success)
    assert [h.value for h in at.header][:3] == [
        "วันพุธที่ 4 สิงหาคม 2564 · ร่าง",
        "วันพฤหัสบดีที่ 5 สิงหาคม 2564 · ร่าง",
        "วันศุกร์ที่ 6 สิงหาคม 2564 · ร่าง",
    ]
    with db() as session:
        days = schedule.schedule(session=session, edition_id=edition_id(db))
    assert sum(len(d.pitches) for d in days) == 45
    first_day = next(df for df in (d.value for d in at.dataframe) if "เวลา" in df.columns)
    assert list(first_day["เวลา"][:2]) == ["09:00–09:25", "09:25–09:50"]
    assert {b.label for b in at.get("download_button")} >= {"ปฏิทิน (.ics)", "กำหนดการสำหรับพิมพ์ (.html)"}


def test_organiser_publishes_a_day_and_swaps_two_works(app_env: str, db: DB) -> None:
    at = generate_three_days(db)
    with db() as session:
        days = schedule.schedule(session=session, edition_id=edition_id(db))
    ok(at.button(key=f"sched_publish_{days[0].id}").click().run())
    a, b = days[0].pitches[0], days[0].pitches[1]
    at.selectbox(key="sched_swap_a").set_value(a.id)
    at.selectbox(key="sched_swap_b").set_value(b.id)
    ok(at.button(key="sched_swap").click().run())
    with db() as session:
        after = schedule.schedule(session=session, edition_id=edition_id(db))
        moved = schedule.slot_for_submission(session=session, submission_id=a.work.submission_id)
    assert after[0].published_at is not None
    assert after[0].pitches[0].work.submission_id == b.work.submission_id
    assert moved.starts_at == b.starts_at and moved.changed_after_publish_at is not None


def test_a_swap_that_would_clash_is_refused_in_thai(app_env: str, db: DB) -> None:
    at = generate_three_days(db)
    with db() as session:
        first = schedule.schedule(session=session, edition_id=edition_id(db))[0].pitches[0]
    at.selectbox(key="sched_move_slot").set_value(first.id)
    ok(at.run())
    from datetime import time

    at.time_input(key=f"sched_move_time_{first.id}").set_value(time(9, 30))
    ok(at.button(key="sched_move").click().run())
    assert any("ย้ายไม่ได้เพราะเวลาจะซ้อนกัน" in e.value for e in at.error)


def test_live_session_shows_the_same_presentation_to_organiser_and_judge(app_env: str, db: DB) -> None:
    generate_three_days(db)
    org = signed_in(db, "organiser")
    ok(org.switch_page(page_path("live")).run())
    assert any("ยังไม่มีการนำเสนอสด" in i.value for i in org.info)
    ok(org.button(key="live_start").click().run())
    ok(org.button(key="live_next").click().run())
    with db() as session:
        running = live.current(session=session, edition_id=edition_id(db))
    work = running.slot.work
    assert org.header[0].value == f"กำลังนำเสนอ: {md(work.short_name)} จ.{md(work.province)}"
    assert org.metric[0].label == "เวลาที่เหลือ"
    judges = table_with(org, "กรรมการ", "ใบให้คะแนน")
    assert len(judges) == 10 and list(judges["ใบให้คะแนน"]).count("ส่งแล้ว") == 9
    ok(org.button(key="live_remind").click().run())
    with db() as session:
        from sqlmodel import select

        from models import User

        dga = session.exec(select(User).where(User.username == "judge-dga")).one()
        reminded = live.reminders_for(session=session, judge_id=dga.id, since=running.stage_started_at)
    assert [r.submission_id for r in reminded] == [work.submission_id]

    judge = signed_in(db, "judge-dga")
    ok(judge.switch_page(page_path("live")).run())
    assert judge.header[0].value == f"กำลังนำเสนอ: {md(work.short_name)} จ.{md(work.province)}"
    assert not [b for b in judge.button if b.key and b.key.startswith("live_")]  # no controls for judges


def test_the_applicant_sees_the_published_slot_and_is_told_when_it_moves(app_env: str, db: DB) -> None:
    from datetime import timedelta

    from streamlit.testing.v1 import AppTest
    from test_pages import ROOT, TIMEOUT

    from models import Submission
    from services.intake import access

    generate_three_days(db)
    with db() as session:
        days = schedule.schedule(session=session, edition_id=edition_id(db))
        slot = days[0].pitches[2]
        sub = session.get(Submission, slot.work.submission_id)
        sub.edit_token_hash = access.hash_token("the-secret-edit-code")  # as if sent through the flow
        session.add(sub)
        session.commit()
        code = sub.receipt_code

    def open_mine() -> AppTest:
        mine = ok(AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run())
        ok(mine.switch_page(page_path("my_submission")).run())
        mine.text_input(key="mine_code").input(code)
        mine.text_input(key="mine_token").input("the-secret-edit-code")
        return ok(submit_button(mine, "mine_form").click().run())

    assert not [i for i in open_mine().info if "กำหนดการนำเสนอออนไลน์" in i.value]  # not published yet
    with db() as session:
        schedule.publish(session=session, day_id=days[0].id, published=True, actor="organiser")
    mine = open_mine()
    shown = next(i.value for i in mine.info if "กำหนดการนำเสนอออนไลน์" in i.value)
    assert "วันพุธที่ 4 สิงหาคม 2564 เวลา 09:50–10:15 น." in shown
    assert [b.url for b in mine.get("link_button")] == ["https://meet.example.go.th/lda-2564"]

    with db() as session:
        last = days[0].slots[-1]
        schedule.move_slot(
            session=session, slot_id=slot.id, starts_at=last.ends_at + timedelta(minutes=5), actor="organiser"
        )
    moved = next(w.value for w in open_mine().warning if "กำหนดการนำเสนอออนไลน์" in w.value)
    assert "มีการเปลี่ยนแปลงเวลาหลังประกาศ" in moved


def live_banner(at) -> dict:
    """The data the judge page hands its live-session banner (pages/live_follow): what the browser follows."""
    banner = next(e for e in at.get("bidi_component") if e.key == "judge_live_follow")
    return json.loads(banner.proto.bytes)


def test_the_judges_page_hands_the_live_banner_what_it_follows(app_env: str, db: DB) -> None:
    """The following itself runs in the browser (a long poll; tests/browser/test_follow_presenter.py): here, what
    the page gives it. A judge's works without conflicts may be followed; reminders name only works still owed."""
    generate_three_days(db)
    ed = edition_id(db)
    with db() as session:
        day = schedule.schedule(session=session, edition_id=ed)[0]
        running = live.start(session=session, edition_id=ed, day_id=day.id, actor="organiser")
        live.present(session=session, live_id=running.id, slot_id=day.pitches[4].id, actor="organiser")
    first = day.pitches[4].work

    judge = signed_in(db, "judge-dga")
    ok(judge.run())
    data = live_banner(judge)
    assert data["edition"] == ed and data["following"] is True and data["followed"] is None
    assert data["works"][str(first.submission_id)] == first.short_name
    assert first.submission_id in data["owed"]
    assert data["labels"]["stages"]["presentation"] == "กำลังนำเสนอ"
    assert not judge.exception
