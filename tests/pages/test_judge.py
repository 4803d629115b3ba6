"""AppTest for the judge flow: autosaved drafts, submit, next unscored, two tabs, conflicts, the blind rule; and the
organisers' judging pages (reopen, conflicts, panels, consensus). On the 2564 demo, SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from sqlmodel import Session, select

from models import AuditEvent, Phase
from services import auth, conflicts, editions, judging, office, results, safe_text
from tests.conftest import skip_or_fail
from tests.helpers.hostile import as_shown
from web_routes import slide_url

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30
DGA = "judge-dga"  # the demo judge with no score sheets yet
PASSWORDS = {"organiser": "organiser-2564", "executive": "executive-2564"}
DB = Callable[[], Session]


def picker_of(at: Any) -> Any:
    """The judge page's submission picker (its widget key gains a suffix each time the page moves by itself)."""
    return next(s for s in at.selectbox if str(s.key).startswith("judge_submission"))


def new_app() -> Any:
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)


def account_for(db: DB, username: str) -> auth.Account:
    with db() as session:
        return auth.authenticate(session=session, username=username,
                                 password=PASSWORDS.get(username, "judge-2564"))


def ok(at: Any) -> Any:
    assert not at.exception, [e.message for e in at.exception]
    return at


def signed_in(db: DB, username: str) -> Any:
    at = new_app()
    at.session_state["account"] = account_for(db, username)
    return ok(at.run())


def offered_pages(at: Any) -> set[str]:
    return {Path(info["script_path"]).stem for info in at._registered_pages.values()}


def values(elements: Iterable[Any]) -> list[str]:
    return [as_shown(str(e.value)) for e in elements]


def metrics(at: Any) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def table_with(at: Any, *columns: str) -> pd.DataFrame:
    found = [df for df in (d.value for d in at.dataframe) if set(columns) <= set(df.columns)]
    assert len(found) == 1, [list(d.value.columns) for d in at.dataframe]
    return found[0]


def edition_of(db: DB) -> editions.EditionView:
    with db() as session:
        edition = editions.current_edition(session=session)
    assert edition is not None
    return edition


def dga_sheet(db: DB, index: int = 0) -> tuple[auth.Account, judging.SheetView]:
    judge = account_for(db, DGA)
    with db() as session:
        rows = judging.list_assignments(session=session, judge_id=judge.id, edition_id=edition_of(db).id)
        return judge, judging.get_sheet(session=session, judge_id=judge.id, submission_id=rows[index].submission.id)


# --- judges ---------------------------------------------------------------------------------------------------------


def test_judge_scores_saves_a_draft_submits_and_the_leaderboard_counts_it(app_env: str, db: DB) -> None:
    judge, sheet = dga_sheet(db)
    sub_id = sheet.submission.id
    # A different value per criterion (steps of 0.5) so that a mix-up between sliders would show.
    wanted = {c.criterion_id: min(float(c.max_points), 1.0 + 0.5 * i) for i, c in enumerate(sheet.criteria)}
    total = sum(wanted.values())

    at = signed_in(db, DGA)
    assert values(at.title) == ["ให้คะแนนผลงาน"]
    picker = picker_of(at)
    assert len(picker.options) == 45 and picker.value == sub_id
    assert metrics(at)["คะแนนรวม"][0] == f"0 / {sheet.max_total}"

    for cid, points in wanted.items():
        at.slider(key=f"judge_pts_{sub_id}_{cid}").set_value(points)
    ok(at.run())
    assert metrics(at)["คะแนนรวม"][0] == f"{total:g} / {sheet.max_total}"
    with db() as session:  # saved as a draft without pressing anything
        autosaved = judging.get_sheet(session=session, judge_id=judge.id, submission_id=sub_id)
    assert autosaved.state == "draft" and {c.criterion_id: c.points for c in autosaved.criteria} == wanted

    ok(at.button(key="judge_save").click().run())
    assert values(at.toast) == ["บันทึกร่างแล้ว"]

    # A new browser session (a refresh) reads the draft back from the database.
    at = signed_in(db, DGA)
    assert picker_of(at).value == sub_id
    assert {cid: at.slider(key=f"judge_pts_{sub_id}_{cid}").value for cid in wanted} == wanted
    assert metrics(at)["คะแนนรวม"][0] == f"{total:g} / {sheet.max_total}"

    # "Submit" only asks: the confirmation says what locks and who can reopen it; nothing is locked yet.
    ok(at.button(key="judge_submit").click().run())
    assert any("ถูกล็อก" in w.value and "ผู้จัดงาน" in w.value for w in at.warning)
    assert metrics(at)["คะแนนรวมที่จะส่ง"][0] == f"{total:g} / {sheet.max_total}"
    with db() as session:
        assert judging.get_sheet(session=session, judge_id=judge.id, submission_id=sub_id).state == "draft"
    ok(at.button(key="judge_confirm_yes").click().run())
    with db() as session:
        submitted = judging.get_sheet(session=session, judge_id=judge.id, submission_id=sub_id)
    assert submitted.state == "submitted"
    assert values(at.toast) == ["ส่งคะแนนแล้ว"]
    assert picker_of(at).value == sub_id
    assert any("ส่งคะแนนผลงานนี้แล้ว" in s.value for s in at.success)
    assert all(at.slider(key=f"judge_pts_{sub_id}_{cid}").disabled for cid in wanted)
    assert not [b for b in at.button if b.key in ("judge_save", "judge_submit", "judge_next")]

    # The executive's leaderboard now counts ten judges of ten for that submission, which meets the quorum and so
    # ranks first, and nine of ten, marked as below quorum, for the others.
    board = signed_in(db, "executive")
    ranking = table_with(board, "ผลงาน", "กรรมการ")
    judges_by_title = dict(zip(ranking["ผลงาน"], ranking["กรรมการ"], strict=True))
    assert judges_by_title.pop(sheet.submission.title) == "10/10"
    assert set(judges_by_title.values()) == {"⚠ 9/10 กรรมการ"}
    assert ranking["ผลงาน"].iloc[0] == sheet.submission.title
    with db() as session:
        expected = results.leaderboard(session=session, edition_id=edition_of(db).id)
    assert list(ranking["ผลงาน"]) == [r.title for r in expected.rows]


def test_one_moved_slider_is_saved_at_once_and_an_incomplete_sheet_is_not_locked(app_env: str, db: DB) -> None:
    judge, sheet = dga_sheet(db)
    sub_id = sheet.submission.id
    first, *rest = sheet.criteria
    at = signed_in(db, DGA)
    at.slider(key=f"judge_pts_{sub_id}_{first.criterion_id}").set_value(7.0)
    ok(at.run())
    assert metrics(at)["คะแนนรวม"][0] == f"7 / {sheet.max_total}"
    ok(at.button(key="judge_submit").click().run())
    # The confirmation names the criteria still without points by number, and will not lock the sheet.
    numbers = ", ".join(str(n) for n in range(2, len(sheet.criteria) + 1))
    assert any(f"เกณฑ์ข้อ {numbers} (" in e.value for e in at.error)
    assert at.button(key="judge_confirm_yes").disabled
    # The running total is shown above the criteria too, not only below the last one.
    assert any(m.value.startswith(f"**คะแนนรวม 7 / {sheet.max_total}**") for m in at.markdown)
    ok(at.button(key="judge_confirm_no").click().run())  # back to the sheet: the confirmation is gone
    assert not [b for b in at.button if b.key == "judge_confirm_yes"]
    assert not any("เกณฑ์ข้อ" in e.value for e in at.error)
    with db() as session:
        after = judging.get_sheet(session=session, judge_id=judge.id, submission_id=sub_id)
    assert after.state == "draft"  # nothing locked; the one slider moved is kept, untouched ones stay unscored
    assert {c.criterion_id: c.points for c in after.criteria} == {first.criterion_id: 7.0} | {
        c.criterion_id: None for c in rest}


def test_zero_points_is_given_with_its_own_button_and_saved(app_env: str, db: DB) -> None:
    judge, sheet = dga_sheet(db)
    sub_id = sheet.submission.id
    first, second, *rest = sheet.criteria
    at = signed_in(db, DGA)
    assert at.button(key=f"judge_zero_{sub_id}_{first.criterion_id}").label == "ให้ 0 คะแนน"
    ok(at.button(key=f"judge_zero_{sub_id}_{first.criterion_id}").click().run())
    assert metrics(at)["คะแนนรวม"] == (f"0 / {sheet.max_total}", f"ให้คะแนนแล้ว 1 จาก {len(sheet.criteria)} เกณฑ์")
    keys = {str(b.key) for b in at.button}
    assert f"judge_zero_{sub_id}_{first.criterion_id}" not in keys  # scored now: no button
    assert f"judge_zero_{sub_id}_{second.criterion_id}" in keys
    with db() as session:
        after = judging.get_sheet(session=session, judge_id=judge.id, submission_id=sub_id)
    assert {c.criterion_id: c.points for c in after.criteria} == {first.criterion_id: 0.0} | {
        c.criterion_id: None for c in (second, *rest)}


def test_save_and_next_opens_the_next_unscored_submission(app_env: str, db: DB) -> None:
    judge, sheet = dga_sheet(db)
    sub_id = sheet.submission.id
    _, second = dga_sheet(db, 1)
    at = signed_in(db, DGA)
    at.text_area(key=f"judge_overall_{sub_id}").input("นำเสนอชัดเจน")
    ok(at.button(key="judge_next").click().run())
    assert picker_of(at).value == second.submission.id
    assert values(at.toast) == ["บันทึกแล้ว ไปยังผลงานถัดไปที่ยังไม่ได้ให้คะแนน"]
    with db() as session:
        assert judging.get_sheet(session=session, judge_id=judge.id,
                                 submission_id=sub_id).overall_comment == "นำเสนอชัดเจน"


def test_a_second_tab_of_the_same_judge_is_warned_and_overwrites_nothing(app_env: str, db: DB) -> None:
    judge, sheet = dga_sheet(db)
    sub_id = sheet.submission.id
    first, second = sheet.criteria[0].criterion_id, sheet.criteria[1].criterion_id

    def saved() -> judging.SheetView:
        with db() as session:
            return judging.get_sheet(session=session, judge_id=judge.id, submission_id=sub_id)

    tab_a, tab_b = signed_in(db, DGA), signed_in(db, DGA)
    tab_a.slider(key=f"judge_pts_{sub_id}_{first}").set_value(8.0)
    ok(tab_a.run())
    tab_b.slider(key=f"judge_pts_{sub_id}_{second}").set_value(3.0)  # tab B still shows the empty sheet
    ok(tab_b.run())
    assert any("อีกแท็บหรืออีกเครื่องหนึ่ง" in w.value for w in tab_b.warning)
    assert tab_b.slider(key=f"judge_pts_{sub_id}_{first}").value == 8.0  # B now shows A's point ...
    assert tab_b.slider(key=f"judge_pts_{sub_id}_{second}").value == 0.0  # ... and its own change was not saved
    now = saved()
    assert (now.criteria[0].points, now.criteria[1].points, now.version) == (8.0, None, 1)

    tab_b.slider(key=f"judge_pts_{sub_id}_{second}").set_value(3.5)  # up to date now: B's change is kept
    ok(tab_b.run())
    assert not tab_b.warning
    now = saved()
    assert (now.criteria[0].points, now.criteria[1].points, now.version) == (8.0, 3.5, 2)

    # Tab A is behind now: its "save draft", which sends the whole sheet, is refused with the same warning.
    ok(tab_a.button(key="judge_save").click().run())
    assert any("อีกแท็บหรืออีกเครื่องหนึ่ง" in w.value for w in tab_a.warning)
    assert tab_a.slider(key=f"judge_pts_{sub_id}_{second}").value == 3.5
    now = saved()
    assert (now.state, now.version) == ("draft", 2)
    with db() as session:
        trail = session.exec(select(AuditEvent).where(AuditEvent.action == "score.save",
                                                      AuditEvent.actor == DGA)).all()
    assert [(e.entity_id.rsplit(":", 1)[1], e.after["points"], e.after["sheet_version"]) for e in trail] == [
        (str(first), 8.0, 1), (str(second), 3.5, 2)]


def test_judge_who_finished_sees_every_sheet_locked(app_env: str, db: DB) -> None:
    at = signed_in(db, "judge-opm")
    picker = picker_of(at)
    assert len(picker.options) == 45
    assert all(label.startswith("ส่งแล้ว") for label in picker.options)
    assert any("ส่งคะแนนผลงานนี้แล้ว" in s.value for s in at.success)
    assert at.slider and all(s.disabled for s in at.slider)


def test_a_declared_conflict_takes_the_submission_off_the_judges_list(app_env: str, db: DB) -> None:
    judge, sheet = dga_sheet(db)
    sub_id = sheet.submission.id
    at = signed_in(db, DGA)
    at.selectbox(key="judge_coi_reason").set_value("earlier_involvement")
    at.text_input(key="judge_coi_note").input("เคยเป็นวิทยากรให้โครงการ")
    ok(next(b for b in at.button if b.form_id == "judge_coi").click().run())
    assert values(at.toast) == ["บันทึกการมีส่วนได้เสียแล้ว"]
    picker = picker_of(at)
    assert sub_id not in picker.options and len(picker.options) == 44
    assert any(safe_text.md(sheet.submission.short_name) in c.value for c in at.caption)  # shown as text
    with db() as session:
        assert conflicts.conflicted_pairs(session, edition_of(db).id) == {(judge.id, sub_id)}


def test_judges_are_blind_until_results_and_then_see_the_panel(app_env: str, db: DB) -> None:
    at = signed_in(db, "judge-opm")
    assert "leaderboard" not in offered_pages(at) and "judge" in offered_pages(at)
    assert not any("คะแนนของกรรมการท่านอื่น" in e.label for e in at.expander)
    from streamlit.testing.v1 import AppTest

    lone = AppTest.from_file(str(ROOT / "pages" / "leaderboard.py"), default_timeout=TIMEOUT)  # URL typed by hand
    lone.session_state["account"] = account_for(db, "judge-opm")
    ok(lone.run())
    assert any("ท่านไม่มีสิทธิ์เข้าหน้านี้" in e.value for e in lone.error)
    assert not lone.metric and not lone.dataframe
    with db() as session:
        editions.update_edition(session=session, edition_id=edition_of(db).id, phase=Phase.results,
                                actor="organiser")
    at = signed_in(db, "judge-opm")
    assert any("คะแนนของกรรมการท่านอื่น" in e.label for e in at.expander)
    panel = table_with(at, "กรรมการ", "คะแนนรวม")
    assert len(panel) == 8  # the eight other judges who submitted


# --- organisers -----------------------------------------------------------------------------------------------------


def organiser_on(db: DB, page: str) -> Any:
    at = signed_in(db, "organiser")
    assert {"judging_admin", "consensus"} <= offered_pages(at)
    return ok(at.switch_page(f"pages/{page}.py").run())


def test_organiser_reopens_a_submitted_sheet_with_a_reason(app_env: str, db: DB) -> None:
    opm = account_for(db, "judge-opm")
    with db() as session:
        sub_id = judging.list_assignments(session=session, judge_id=opm.id, edition_id=edition_of(db).id)[0].submission.id
    at = organiser_on(db, "judging_admin")
    at.selectbox(key="jadmin_reopen_judge").set_value(opm.id)
    at.selectbox(key="jadmin_reopen_sub").set_value(sub_id)
    ok(next(b for b in at.button if b.form_id == "jadmin_reopen").click().run())
    assert any("เหตุผล" in e.value for e in at.error)  # no reason, no reopening
    at.text_input(key="jadmin_reopen_reason").input("กรรมการขอแก้คะแนนเกณฑ์ที่ 3")
    ok(next(b for b in at.button if b.form_id == "jadmin_reopen").click().run())
    assert any("เปิดใบให้คะแนนให้แก้ไขได้แล้ว" in s.value for s in at.success)
    with db() as session:
        assert judging.get_sheet(session=session, judge_id=opm.id, submission_id=sub_id).state == "draft"
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "sheet.reopen")).one()
    assert event.actor == "organiser" and event.after["reason"] == "กรรมการขอแก้คะแนนเกณฑ์ที่ 3"
    judge_view = signed_in(db, "judge-opm")  # the judge finds the sheet open again
    assert picker_of(judge_view).value == sub_id
    assert not judge_view.slider[0].disabled


def test_organiser_records_a_conflict_and_makes_panels_that_respect_it(app_env: str, db: DB) -> None:
    dga = account_for(db, DGA)
    with db() as session:
        sub_id = judging.list_assignments(session=session, judge_id=dga.id, edition_id=edition_of(db).id)[0].submission.id
    at = organiser_on(db, "judging_admin")
    at.selectbox(key="jadmin_coi_judge").set_value(dga.id)
    at.selectbox(key="jadmin_coi_sub").set_value(sub_id)
    at.selectbox(key="jadmin_coi_reason").set_value("supervising_agency")
    ok(next(b for b in at.button if b.form_id == "jadmin_coi").click().run())
    conflicts_table = table_with(at, "กรรมการ", "เหตุ", "แจ้งโดย")
    assert list(conflicts_table["กรรมการ"]) == [DGA] and list(conflicts_table["แจ้งโดย"]) == ["organiser"]
    judges = table_with(at, "กรรมการ", "มอบหมาย", "ส่งแล้ว")
    assert dict(zip(judges["กรรมการ"], judges["มอบหมาย"], strict=True))[DGA] == 44

    at.number_input(key="jadmin_k").set_value(3)
    at.number_input(key="jadmin_m").set_value(3)
    ok(next(b for b in at.button if b.form_id == "jadmin_panels").click().run())
    assert any("ถอน 45" in s.value for s in at.success)  # the free judge's 45 unstarted sheets go; started ones stay
    with db() as session:
        rows = judging.list_assignments(session=session, judge_id=dga.id, edition_id=edition_of(db).id)
    assert rows == []


def test_consensus_page_flags_disagreement_and_names_lenient_judges(app_env: str, db: DB) -> None:
    edition = edition_of(db)
    judge, sheet = dga_sheet(db)
    with db() as session:
        editions.update_edition(session=session, edition_id=edition.id, actor="organiser",
                                config=edition.config.model_copy(update={"disagreement_threshold": 1.5}))
        judging.save_sheet(session=session, judge_id=judge.id, submission_id=sheet.submission.id, submit=True,
                           actor=DGA, points={c.criterion_id: 0.0 for c in sheet.criteria})
    at = organiser_on(db, "consensus")
    assert values(at.title) == ["ความเห็นพ้องของกรรมการ"]
    flagged = table_with(at, "ผลงาน", "SD", "เกณฑ์ที่เห็นต่าง")
    assert list(flagged["ผลงาน"]) == [sheet.submission.short_name]
    assert metrics(at)["ผลงานที่กรรมการเห็นต่างกันมาก"][0] == "1 / 45"
    judges = table_with(at, "กรรมการ", "แนวโน้ม")
    lean = dict(zip(judges["กรรมการ"], judges["แนวโน้ม"], strict=True))
    assert lean["judge-dla"] == "ให้คะแนนสูง" and lean[DGA] == "ข้อมูลไม่พอ"
    criteria = table_with(at, "เกณฑ์", "เห็นต่าง")
    assert len(criteria) == 11 and (criteria["เห็นต่าง"] == "●").sum() >= 9


def test_text_typed_on_a_work_just_left_is_folded_in_when_it_arrives_late(app_env: str, db: DB) -> None:
    """The page has moved to the next work, and only then does the text typed in the last moment on the previous
    one reach the server (its request held up): the page folds it into that sheet on its next run. Typed text for a
    work the page never left stays typed, to be shown when the judge opens it."""
    judge, sheet = dga_sheet(db)
    sub_id, first = sheet.submission.id, sheet.criteria[0].criterion_id
    _, second = dga_sheet(db, 1)
    _, third = dga_sheet(db, 2)
    at = signed_in(db, DGA)
    at.slider(key=f"judge_pts_{sub_id}_{first}").set_value(4.0)
    at.text_input(key=f"judge_cmt_{sub_id}_{first}").input("นำเสนอชัดเจน")
    ok(at.run())
    ok(at.run())  # the picker is redrawn once the work's label says "draft"
    picker_of(at).set_value(second.submission.id)
    ok(at.run())
    assert at.subheader[0].value == safe_text.md(second.submission.title)

    with db() as session:  # what /api/judge/typing stores, arriving after the page moved on
        for sid, cid, text in ((sub_id, first, "นำเสนอชัดเจน และแผนขยายผล"), (sub_id, 0, "ภาพรวมดี"),
                               (third.submission.id, 0, "ยังไม่ได้เปิด")):
            judging.save_typed_comment(session=session, judge_id=judge.id, submission_id=sid, criterion_id=cid,
                                       text=text)
    ok(at.run())
    with db() as session:
        left = judging.get_sheet(session=session, judge_id=judge.id, submission_id=sub_id)
        never_opened = judging.get_sheet(session=session, judge_id=judge.id, submission_id=third.submission.id)
    assert (left.criteria[0].points, left.criteria[0].comment) == (4.0, "นำเสนอชัดเจน และแผนขยายผล")
    assert left.overall_comment == "ภาพรวมดี" and left.typed == ()
    assert at.subheader[0].value == safe_text.md(second.submission.title)  # still on the work it moved to; no warning shown
    assert not at.warning
    assert never_opened.overall_comment == "" and never_opened.typed == ((0, "ยังไม่ได้เปิด"),)


def test_judge_and_organiser_print_score_sheets_as_pdf(app_env: str, db: DB) -> None:
    _, sheet = dga_sheet(db)
    at = signed_in(db, DGA)
    assert at.button(key="judge_print_make").label == "สร้าง PDF"
    if office.libreoffice() is None:  # optional for the app; .ci/system-deps installs it, so CI must run this
        skip_or_fail("LibreOffice is not installed (apt-get install libreoffice-impress-nogui): no PDF sheets")
    ok(at.button(key="judge_print_make").click().run())
    pdf = at.session_state["judge_print"]
    assert pdf[0] == (sheet.submission.id, sheet.version, sheet.state) and pdf[1].startswith(b"%PDF")
    assert not [b for b in at.button if b.key == "judge_print_make"]  # the download is offered instead

    at = organiser_on(db, "judging_admin")
    at.selectbox(key="jadmin_print_judge").set_value(0)  # a blank sheet
    at.selectbox(key="jadmin_print_sub").set_value(sheet.submission.id)
    ok(at.run())
    ok(at.button(key="jadmin_print_make").click().run())
    assert at.session_state["jadmin_print"][0] == (0, sheet.submission.id)
    assert at.session_state["jadmin_print"][1].startswith(b"%PDF")


def slide_images(at: Any) -> list[str]:
    """The addresses of the slide pictures on screen, in order (img tags the page draws with st.html)."""
    return [m for element in at.get("html") for m in re.findall(r'<img src="([^"]+)"', element.proto.body)]


def test_slide_pictures_are_linked_to_the_slides_route_not_sent_with_each_run(app_env: str, db: DB,
                                                                              tmp_path: Path) -> None:
    # Issue 18: handed to st.image, every run of this page read, hashed and sent 13 pictures (a third of the judge
    # page's server time under load). The browser now fetches each once from the slides route and keeps it.
    judge, sheet = dga_sheet(db)
    sub_id = sheet.submission.id
    with db() as session:
        ev = judging.evidence(session=session, judge_id=judge.id, submission_id=sub_id)
    assert ev.deck_sha256 and ev.slides
    folder = tmp_path / "slides" / ev.deck_sha256  # as slide_pictures.render leaves them (LibreOffice not needed)
    folder.mkdir(parents=True)
    for n in range(1, len(ev.slides) + 1):
        (folder / f"slide-{n:04d}.png").write_bytes(b"\x89PNG stand-in")

    at = signed_in(db, DGA)
    assert slide_images(at) == [slide_url(ev.deck_sha256, n) for n in range(1, len(ev.slides) + 1)]
    assert not at.get("image")  # no picture bytes pass through Streamlit
