"""AppTest for the dashboard (executive and organiser) and the organisers' awards page, on the 2564 demo (SQLite and
PostgreSQL)."""

from __future__ import annotations

import os

import pytest
from sqlmodel import select

from models import AuditEvent, Edition, Phase
from services.contest import editions
from services.contest.edition_config import EditionConfig, dump_config
from services.judging import sheets
from services.platform import office
from services.platform.safe_text import md
from services.results import awards, scoring
from services.results import ranking as results
from tests.conftest import skip_or_fail
from tests.helpers.judging_factory import submit_missing_sheets
from tests.pages.test_judge import dga_sheet, press, save_as_sheet
from tests.pages.test_pages import DB, edition_id, metrics, ok, page_path, signed_in, table_with

VIEW_CHARTS = {"overview": 4, "area": 5, "scores": 3, "work": 1, "trust": 0, "progress": 1}


def test_every_dashboard_view_renders_its_charts_for_an_executive(app_env: str, db: DB) -> None:
    at = signed_in(db, "executive")
    for view, charts in VIEW_CHARTS.items():
        ok(at.segmented_control(key="board_view").set_value(view).run())
        assert len(at.get("plotly_chart")) == charts, view
        assert len(table_with(at, "อันดับ", "คะแนน")) == 45  # the ranking stays above every view
    with db() as session:
        agreement = results.agreement(session=session, edition_id=edition_id(db))
    ok(at.segmented_control(key="board_view").set_value("trust").run())
    assert metrics(at)["ความสอดคล้องของอันดับ (Kendall's W)"][0] == f"{agreement.kendalls_w:.2f}"
    assert metrics(at)["ความสอดคล้องของคะแนน (ICC 2,1)"][0] == f"{agreement.icc:.2f}"
    assert metrics(at)["ผลงานที่นำมาคำนวณ"][0] == "45"  # one panel: the nine judges who scored, every work
    # The demo's 8th and 9th works sit within the noise: the outstanding cut-off is flagged, the excellent one not.
    # (and, above the ranking, that all 45 demo works wait for judge-dga's sheets: below the quorum)
    assert [w.value.startswith("อยู่ในช่วงความคลาดเคลื่อน") for w in at.warning] == [False, True]
    assert at.warning[0].value.startswith("45 ผลงานยังได้รับคะแนนไม่ครบองค์ประชุม")
    assert len(at.success) == 1


def test_the_ranking_shows_the_tie_break_chain_beside_it(app_env: str, db: DB) -> None:
    at = signed_in(db, "executive")
    ranking = table_with(at, "อันดับ", "คะแนน", "T1", "T2")
    with db() as session:
        board = results.leaderboard(session=session, edition_id=edition_id(db))
    assert list(ranking["T1"]) == [round(r.tie_break_values[0], 2) for r in board.rows]
    assert any("T1 คะแนนเฉลี่ยเกณฑ์ 6." in c.value and "T2 ความต่างของคะแนน" in c.value for c in at.caption)


def test_the_heat_map_names_its_numbered_columns_under_it(app_env: str, db: DB) -> None:
    """Not on hover only: a phone or a keyboard has none."""
    at = signed_in(db, "executive")
    ok(at.segmented_control(key="board_view").set_value("overview").run())
    with db() as session:
        criteria = editions.get_edition(session=session, edition_id=edition_id(db)).scored_criteria
    key = [c.value for c in at.caption if c.value.startswith("เกณฑ์: ")]
    assert key == ["เกณฑ์: " + " · ".join(f"{i}. {md(c.title_th)}" for i, c in enumerate(criteria, start=1))], key


def test_big_screen_mode_shows_the_top_ten_and_no_view_switch(app_env: str, db: DB) -> None:
    at = signed_in(db, "executive")
    ok(at.toggle(key="board_bigscreen").set_value(True).run())
    ranking = table_with(at, "อันดับ", "คะแนน")
    assert len(ranking) == 10
    assert not [s for s in at.get("segmented_control") if s.key == "board_view"]
    assert metrics(at)["ผลงาน"][0] == "45"


def test_the_dashboard_opens_on_the_editions_method(app_env: str, db: DB) -> None:
    with db() as session:
        eid = edition_id(db)
        row = session.get(Edition, eid)
        row.config = dump_config(EditionConfig(aggregation_method=scoring.Method.trimmed_mean))
        session.add(row)
        session.commit()
        expected = results.leaderboard(session=session, edition_id=eid)
    at = signed_in(db, "executive")
    assert at.segmented_control(key="board_method").value == "trimmed_mean"
    assert list(table_with(at, "อันดับ", "คะแนน")["คะแนน"]) == [r.score for r in expected.rows]


def test_an_executive_is_not_offered_the_awards_page(app_env: str, db: DB) -> None:
    at = signed_in(db, "executive")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page_path("awards"))


def test_organiser_confirms_the_awards_then_announces(app_env: str, db: DB) -> None:
    at = signed_in(db, "organiser")
    ok(at.switch_page(page_path("awards")).run())
    assert [t.value for t in at.title] == ["ผลรางวัล"]
    announcement = at.code[0].value
    assert announcement.startswith("[ร่าง") and "รางวัลยอดเยี่ยม ได้แก่" in announcement
    assert any("ข้อมูลสาธิต" in i.value for i in at.info)
    assert any("เส้นตัดรางวัลดีเด่น (อันดับ 8)" in w.value for w in at.warning)

    eid = edition_id(db)
    with db() as session:  # judge-dga's sheets: the default quorum wants every sheet before confirming
        submit_missing_sheets(session, eid)
    ok(at.button(key="awards_confirm").click().run())

    with db() as session:
        confirmed = awards.confirmed_awards(session=session, edition_id=eid)
        assert [a.level_code for a in confirmed] == ["excellent"] + ["outstanding"] * 7
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "awards.confirm")).one().actor == "organiser"
    assert any("ยืนยันผลรางวัลแล้วโดย organiser" in s.value for s in at.success)
    assert not at.code[0].value.startswith("[ร่าง")
    assert len(table_with(at, "รางวัล", "อันดับ", "หน่วยงาน")) == 8

    ok(at.button(key="awards_announce").click().run())
    with db() as session:
        assert editions.get_edition(session=session, edition_id=eid).phase == Phase.announced


def _downloads(at) -> list[str]:
    return [d.proto.label for d in at.get("download_button")]


@pytest.mark.real_office  # the second conversion must fail: a PDF kept from the first would hide it
def test_certificates_pdf_is_made_on_request_and_a_failed_conversion_says_so(
    app_env: str, db: DB, tmp_path, monkeypatch
) -> None:
    if office.libreoffice() is None:
        skip_or_fail("LibreOffice is not installed (apt-get install libreoffice-impress-nogui): no PDF certificates")
    with db() as session:  # judge-dga's sheets: the default quorum wants every sheet before confirming
        submit_missing_sheets(session, edition_id(db))
    at = signed_in(db, "organiser")
    ok(at.switch_page(page_path("awards")).run())
    ok(at.button(key="awards_confirm").click().run())
    assert "เกียรติบัตร (.pdf)" not in _downloads(at)  # nothing converted until asked
    ok(at.button(key="awards_make_pdf").click().run())
    assert "เกียรติบัตร (.pdf)" in _downloads(at)
    assert not at.error

    # LibreOffice that fails (a real program on PATH that exits with an error): a Thai message, no download, and the
    # rest of the page (the .pptx certificates) still there.
    broken = tmp_path / "bin"
    broken.mkdir()
    (broken / "soffice").write_text("#!/bin/sh\necho 'conversion failed' >&2\nexit 1\n")
    (broken / "soffice").chmod(0o755)
    monkeypatch.setenv("PATH", f"{broken}:{os.environ['PATH']}")
    ok(at.button(key="awards_make_pdf").click().run())
    assert [e.value for e in at.error] and "แปลงเกียรติบัตรเป็น PDF ไม่สำเร็จ" in at.error[0].value
    assert "เกียรติบัตร (.pdf)" not in _downloads(at)
    assert "เกียรติบัตร (.pptx)" in _downloads(at)


def test_the_ranking_shows_page_one_of_n_and_paging_and_search_reach_the_last_work(app_env: str, db: DB) -> None:
    with db() as session:
        board = results.leaderboard(session=session, edition_id=edition_id(db))
    at = signed_in(db, "executive")
    assert any(c.value.startswith("หน้า 1 จาก 1 · 45 จาก 45 ผลงาน") for c in at.caption)
    ok(at.selectbox(key="board_page_size").set_value(25).run())
    first = table_with(at, "อันดับ", "คะแนน", "กรรมการ")
    assert list(first["ผลงาน"]) == [r.title for r in board.rows[:25]]
    assert any(c.value.startswith("หน้า 1 จาก 2") for c in at.caption)

    ok(at.number_input(key="board_page").set_value(2).run())
    last = table_with(at, "อันดับ", "คะแนน", "กรรมการ")
    assert list(last["ผลงาน"]) == [r.title for r in board.rows[25:]]
    assert list(last["อันดับ"])[-1] == f"{board.rows[-1].rank}{'=' if board.rows[-1].tied else ''}"
    assert any(c.value.startswith("หน้า 2 จาก 2") for c in at.caption)

    # A search narrows the ranking (in rank order) and a page past its end falls back to its last page.
    province = board.rows[-1].province
    ok(at.text_input(key="board_search").input(province).run())
    found = table_with(at, "อันดับ", "คะแนน", "กรรมการ")
    wanted = [r for r in board.rows if province in f"{r.short_name} {r.province} {r.title}"]
    assert 0 < len(wanted) < 25
    assert list(found["ผลงาน"]) == [r.title for r in wanted]
    assert at.number_input(key="board_page").value == 1
    assert any(c.value.startswith(f"หน้า 1 จาก 1 · {len(wanted)} จาก 45 ผลงาน") for c in at.caption)


def test_a_draft_save_keeps_the_ranking_cached_and_a_submit_clears_it(
    app_env: str, db: DB, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pages import _ui  # the module the page scripts use in this process

    executive = signed_in(db, "executive")
    cached = _ui.cached_leaderboard(edition_id(db), "mean")
    assert _ui.cached_leaderboard(edition_id(db), "mean") is cached  # shared as it is, not copied per read
    clears: list[str] = []
    real_clear = _ui.results_changed
    monkeypatch.setattr(_ui, "results_changed", lambda: (clears.append("ranking"), real_clear())[1])

    judge, sheet = dga_sheet(db)
    sub_id = sheet.submission.id
    at = signed_in(db, "judge-dga")
    for c in sheet.criteria:  # as the score sheet saves each slider
        save_as_sheet(db, judge, sub_id, {c.criterion_id: float(c.max_points)})
    press(at, "save", len(sheet.criteria))
    with db() as session:
        assert sheets.get_sheet(session=session, judge_id=judge.id, submission_id=sub_id).state == "draft"
    assert clears == []  # eleven draft saves and "save draft": the ranking is not rebuilt for any

    press(at, "submit", len(sheet.criteria))
    ok(at.button(key="judge_confirm_yes").click().run())
    with db() as session:
        assert sheets.get_sheet(session=session, judge_id=judge.id, submission_id=sub_id).state == "submitted"
    assert clears == ["ranking"]
    assert _ui.cached_leaderboard(edition_id(db), "mean") is not cached
    ok(executive.run())
    judges = dict(
        zip(
            table_with(executive, "ผลงาน", "กรรมการ")["ผลงาน"],
            table_with(executive, "ผลงาน", "กรรมการ")["กรรมการ"],
            strict=True,
        )
    )
    assert judges[sheet.submission.title] == "10/10"
