"""AppTest for the rounds page on the 2564 demo (SQLite and PostgreSQL): the one round, a second round added, the
shortlist previewed by top N with each work's chance above the cut, frozen only after the confirmation, and shown
as decided afterwards."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from models import AuditEvent, JudgingRound, RoundAdvance
from services.judging import rounds
from tests.conftest import PAGE_ON_SQLITE
from tests.pages.test_pages import DB, edition_id, ok, page_path, signed_in, table_with

pytestmark = PAGE_ON_SQLITE

ROUNDS = ("รอบ", "ชื่อ", "วิธีรวมคะแนน", "สถานะ")
SHORTLIST = ("อันดับ", "ผลงาน", "คะแนน", "โอกาสอยู่เหนือจุดตัด", "ผ่านเข้ารอบ")


def test_an_organiser_adds_a_round_previews_the_shortlist_and_freezes_it(app_env: str, db: DB) -> None:
    eid = edition_id(db)
    at = signed_in(db, "organiser")
    ok(at.switch_page(page_path("rounds")).run())
    assert [t.value for t in at.title] == ["รอบการตัดสิน"]
    listed = table_with(at, *ROUNDS)
    assert list(listed["ชื่อ"]) == ["รอบตัดสิน"] and list(listed["สถานะ"]) == ["รอบปัจจุบัน"]

    at.text_input(key="rounds_name_th").input("รอบนำเสนอ")
    ok(at.date_input(key="rounds_starts").set_value(date(2021, 10, 1)).run())
    # The calendar is Streamlit's, in English and the Common Era: the day is said beneath it in Thai.
    assert "วันที่เลือก: 1 ตุลาคม 2564 (พ.ศ.)" in [c.value for c in at.caption]
    assert "ยังไม่ได้เลือกวันที่" in [c.value for c in at.caption]  # the end, left empty
    ok(at.button(key="rounds_add").click().run())
    listed = table_with(at, *ROUNDS)
    assert list(listed["ชื่อ"]) == ["รอบตัดสิน", "รอบนำเสนอ"]
    assert list(listed["สถานะ"]) == ["รอบปัจจุบัน", "รอรอบก่อนหน้า"]
    with db() as session:
        added = session.exec(select(JudgingRound).where(JudgingRound.position == 2)).one()
        assert (added.starts_on, added.ends_on) == (date(2021, 10, 1), None)

    ok(at.number_input(key="rounds_n").set_value(10).run())
    shortlist = table_with(at, *SHORTLIST)
    assert len(shortlist) == 45 and shortlist["ผ่านเข้ารอบ"].sum() == 10
    assert shortlist["โอกาสอยู่เหนือจุดตัด"].between(0, 100).all()
    assert shortlist["โอกาสอยู่เหนือจุดตัด"].iloc[0] >= shortlist["โอกาสอยู่เหนือจุดตัด"].iloc[-1]
    assert any("ที่จุดตัดอันดับ 10" in m.value for m in [*at.success, *at.warning])
    assert at.button(key="rounds_freeze").disabled  # not before the confirmation is ticked
    ok(at.checkbox(key="rounds_confirm").check().run())
    ok(at.button(key="rounds_freeze").click().run())

    with db() as session:
        assert len(session.exec(select(RoundAdvance)).all()) == 10
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "round.freeze")).one()
        assert event.actor == "organiser"
        assert rounds.current_round_no(session=session, edition_id=eid) == 2
    listed = table_with(at, *ROUNDS)
    assert list(listed["สถานะ"]) == ["ยืนยันรายชื่อผ่านเข้ารอบแล้ว", "รอบปัจจุบัน"]
    ok(at.selectbox(key="rounds_pick").set_value(1).run())
    assert any("ยืนยันรายชื่อแล้ว 10 ผลงาน" in s.value for s in at.success)
    assert table_with(at, *SHORTLIST)["ผ่านเข้ารอบ"].sum() == 10
    assert not [b for b in at.button if b.key == "rounds_freeze"]


def test_a_one_round_edition_offers_no_shortlist_but_says_how_to_add_the_next_round(app_env: str, db: DB) -> None:
    at = signed_in(db, "organiser")
    ok(at.switch_page(page_path("rounds")).run())
    headings = [h.value for h in at.header] + [h.value for h in at.subheader]
    assert "คัดเลือกผลงานเข้ารอบถัดไป" not in headings
    assert not [
        w for w in [*at.radio, *at.checkbox, *at.button] if w.key in ("rounds_rule", "rounds_confirm", "rounds_freeze")
    ]
    said = " ".join(i.value for i in at.info)
    assert "รอบนี้เป็นรอบสุดท้าย" in said and "“เพิ่มรอบการตัดสิน”" in said and "“เพิ่มรอบ”" in said
    assert [e.label for e in at.expander][:2] == ["เพิ่มรอบการตัดสิน", "กติกาและเกณฑ์ของรอบนี้"]  # rules still editable

    at.text_input(key="rounds_name_th").input("รอบนำเสนอ")
    ok(at.button(key="rounds_add").click().run())
    assert [h.value for h in at.subheader] == ["คัดเลือกผลงานเข้ารอบถัดไป"]
    assert at.radio(key="rounds_rule").value == "top_n" and not any("รอบสุดท้าย" in i.value for i in at.info)
    ok(at.selectbox(key="rounds_pick").set_value(2).run())  # the new last round: nothing after it to pick for
    assert "คัดเลือกผลงานเข้ารอบถัดไป" not in [h.value for h in at.subheader]
    assert any("รอบนี้เป็นรอบสุดท้าย" in i.value for i in at.info)

    # Added by mistake: removed again, only once the organiser has said yes.
    assert at.button(key="rounds_remove").disabled
    ok(at.checkbox(key="rounds_remove_confirm").check().run())
    ok(at.button(key="rounds_remove").click().run())
    with db() as session:
        assert [r.position for r in rounds.list_rounds(session=session, edition_id=edition_id(db))] == [1]
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "round.remove")).one().actor == "organiser"
    assert "คัดเลือกผลงานเข้ารอบถัดไป" not in [h.value for h in at.subheader]
    assert any("รอบนี้เป็นรอบสุดท้าย" in i.value for i in at.info)


def test_a_shortlist_by_hand_without_a_reason_is_refused_in_thai(app_env: str, db: DB) -> None:
    with db() as session:
        rounds.add_round(session=session, edition_id=edition_id(db), name_th="รอบนำเสนอ", actor="organiser")
    at = signed_in(db, "organiser")
    ok(at.switch_page(page_path("rounds")).run())
    ok(at.radio(key="rounds_rule").set_value("by_hand").run())
    first = at.multiselect(key="rounds_by_hand").options[0]
    assert first.startswith("1. ")
    ok(at.multiselect(key="rounds_by_hand").select(at.multiselect(key="rounds_by_hand").options[0]).run())
    assert table_with(at, *SHORTLIST)["ผ่านเข้ารอบ"].sum() == 1
    ok(at.checkbox(key="rounds_confirm").check().run())
    ok(at.button(key="rounds_freeze").click().run())
    assert any("การเลือกเองต้องระบุเหตุผล" in e.value for e in at.error)


def test_an_organiser_sets_a_rounds_quorum_and_edits_its_own_criteria(app_env: str, db: DB) -> None:
    eid = edition_id(db)
    with db() as session:
        rounds.add_round(session=session, edition_id=eid, name_th="รอบนำเสนอ", actor="organiser")
    at = signed_in(db, "organiser")
    ok(at.switch_page(page_path("rounds")).run())
    ok(at.selectbox(key="rounds_pick").set_value(2).run())
    ok(at.number_input(key="rounds_quorum_2").set_value(3).run())
    ok(at.button(key="rounds_save_2").click().run())
    code = at.selectbox(key="rounds_crit_pick_2").value
    ok(at.number_input(key=f"rounds_crit_max_2_{code}").set_value(20).run())
    ok(at.button(key="rounds_crit_save_2").click().run())
    with db() as session:
        second = rounds.get_round(session=session, edition_id=eid, round_no=2)
        first = rounds.get_round(session=session, edition_id=eid, round_no=1)
    assert second.quorum_min_sheets == 3 and first.quorum_min_sheets is None
    assert next(c for c in second.criteria if c.code == code).max_points == 20
    assert next(c for c in first.criteria if c.code == code).max_points == 10  # the edition's own stay


def test_the_leaderboard_ranks_the_current_round_and_looks_back_at_the_first(app_env: str, db: DB) -> None:
    from services.results import advance

    eid = edition_id(db)
    at = signed_in(db, "executive")
    assert not [s for s in at.selectbox if s.key == "board_round"]  # one round: nothing to pick
    with db() as session:
        rounds.add_round(session=session, edition_id=eid, name_th="รอบนำเสนอ", actor="organiser")
        advance.freeze(session=session, edition_id=eid, rule="top_n", n=10, actor="organiser", samples=20)
    at = signed_in(db, "executive")
    picker = at.selectbox(key="board_round")
    assert picker.value == 2 and picker.format_func(2) == "รอบที่ 2: รอบนำเสนอ"
    assert any("ยังไม่มีใบให้คะแนนที่ส่งแล้ว" in i.value for i in at.info)  # round 2: nobody has scored yet
    ok(picker.set_value(1).run())
    ranked = [df for df in (d.value for d in at.dataframe) if "อันดับ" in df.columns]
    assert ranked and len(ranked[0]) == 45  # the first round's ranking, every work, still there for organisers
