"""AppTest for issue 16's pages on the 2564 demo (SQLite and PostgreSQL): the public results page (not out before
the announcement, then the awards with the approved text shown as text, the figures and the open data, per year by
its address), the applicant's report on my-submission (absent until released), and the organisers' feedback page
(a comment hidden and the reports released, both audited)."""

from __future__ import annotations

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from models import AuditEvent
from services.platform.safe_text import md
from services.results import announcement, feedback, public_page
from tests.conftest import PAGE_ON_SQLITE
from tests.helpers.feedback_factory import OVERALL, announce, commented_work
from tests.pages.test_pages import DB, edition_id, new_app, ok, page_path, signed_in, values
from tests.pages.test_submit_flow import press

pytestmark = PAGE_ON_SQLITE

NOT_OUT = "ยังไม่ประกาศผลการตัดสิน"
DESCRIPTION = "ระบบ *ตัวหนา* [ลิงก์](http://x) ลดเวลารอคอย"


def public(query: dict[str, str] | None = None) -> AppTest:
    at = ok(new_app().run())
    at.query_params.update(query or {})
    return ok(at.switch_page(page_path("results_public")).run())


def test_before_the_announcement_the_public_page_says_the_results_are_not_out(app_env: str, db: DB) -> None:
    at = public()
    assert values(at.title) == ["ผลการตัดสิน"]
    assert any(NOT_OUT in i.value for i in at.info)
    assert not at.get("download_button") and not at.metric


def test_once_announced_anyone_reads_the_awards_figures_and_open_data(app_env: str, db: DB) -> None:
    eid = edition_id(db)
    with db() as session:
        announce(session, eid)
        listed = announcement.build(session=session, edition_id=eid)
        winner = listed.levels[0].works[0]
        public_page.approve_description(
            session=session, edition_id=eid, submission_id=winner.submission_id, text=DESCRIPTION, actor="organiser"
        )
    at = public({"edition": "2564"})
    assert not any(NOT_OUT in i.value for i in at.info)
    assert [h.value for h in at.header][:2] == [lv.name_th for lv in listed.levels]
    shown = [m.value for m in at.markdown]
    assert any(md(announcement.project_title(winner.title)) in m for m in shown)
    # The approved text, as text: every Markdown sign escaped.
    assert any("\\*ตัวหนา\\*" in m and "\\[ลิงก์\\]" in m for m in shown)
    assert {m.label: m.value for m in at.metric} == {
        "ผลงาน": "45",
        "หน่วยงาน": "44",
        "จังหวัด": str(len({w.province for w in listed.works})),
    }
    keys = {b.proto.id.rsplit("-", 1)[-1] for b in at.get("download_button")}
    assert keys == {"public_csv", "public_json", "public_xlsx"}
    assert not any("คะแนน" in m for m in shown)  # no scores on the public page
    # A year with nothing announced, by its address: not out yet, not an error.
    assert any(NOT_OUT in i.value for i in public({"edition": "2565"}).info)


def test_my_submission_shows_the_report_only_once_released(app_env: str, db: DB) -> None:
    eid = edition_id(db)
    with db() as session:
        work = commented_work(session, eid)
        announce(session, eid)
    mine = ok(new_app().run())
    ok(mine.switch_page(page_path("my_submission")).run())
    mine.text_input(key="mine_code").input(work.access.receipt_code)
    mine.text_input(key="mine_token").input(work.access.edit_token)
    press(mine, "mine_form")

    def offered() -> bool:
        return any(b.proto.id.endswith("-mine_paper_feedback_html") for b in mine.get("download_button"))

    assert not offered() and "รายงานผลการพิจารณา" not in values(mine.header)
    with db() as session:
        feedback.release(session=session, edition_id=eid, actor="organiser", submission_ids=[work.submission_id])
        report = feedback.released_report(session=session, access=work.access)
    assert report is not None
    ok(mine.run())
    assert offered() and "รายงานผลการพิจารณา" in values(mine.header)
    assert any(report.band_th in c.value for c in mine.caption)


def test_organisers_hide_a_comment_and_release_every_report(app_env: str, db: DB) -> None:
    eid = edition_id(db)
    with db() as session:
        work = commented_work(session, eid)
        key = next(
            c.key
            for c in feedback.review_comments(session=session, edition_id=eid, submission_id=work.submission_id)
            if c.original == OVERALL
        )
    at = signed_in(db, "organiser")
    ok(at.switch_page(page_path("feedback")).run())
    at.selectbox(key="fb_work").set_value(work.submission_id)
    ok(at.run())
    assert work.judge_name not in " ".join(m.value for m in at.markdown)
    assert any("รายงานผลการพิจารณาผลงาน" in b.proto.label for b in at.get("download_button"))
    at.checkbox(key=f"fb_hide_{key}").check()
    ok(at.button(key=f"fb_save_{key}").click().run())
    with db() as session:
        shown = feedback.review_comments(session=session, edition_id=eid, submission_id=work.submission_id)
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "feedback.comment_edit")).one()
    assert next(c for c in shown if c.key == key).hidden and event.before["original"] == OVERALL
    # Not announced: nothing to release yet.
    assert not [b for b in at.button if b.key == "fb_release_all"]
    with db() as session:
        announce(session, eid)
    ok(at.run())
    ok(at.button(key="fb_release_all").click().run())
    with db() as session:
        assert feedback.release_state(session=session, edition_id=eid).released == 45
    assert {m.label: m.value for m in at.metric}["เผยแพร่แล้ว"] == "45"
