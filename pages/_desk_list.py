"""The judging desk's list of works (filters, search, order, pages) and assigning judges to the selected works at
once, or taking them off: called from the judging desk's assignments tab."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from pages import _lists, _ui
from services.judging import desk
from services.judging import phrases as judging_phrases
from services.judging.guards import JUDGEABLE
from services.platform import auth
from services.platform.safe_text import clean

PREFIX = "jlist"
FLASH = "jlist_flash"


def render(*, acc: auth.Account, edition_id: int, judges: Mapping[int, auth.Account]) -> None:
    st.header(_ui.t("มอบหมายหลายผลงานพร้อมกัน", "Assign many works at once"))
    _lists.show_outcome(FLASH)
    index = _lists.cached_desk_index(edition_id)
    _lists.refresh_button(PREFIX, index)
    filters = _lists.filter_bar(PREFIX, index, statuses=JUDGEABLE)
    panel = st.selectbox(
        _ui.t("คณะกรรมการ", "Panel"),
        list(desk.Panel),
        key=f"{PREFIX}_panel",
        format_func=lambda p: _ui.label(judging_phrases.DESK_PANEL, p),
    )
    sort, descending, size = _lists.order_bar(PREFIX)
    page_no = _lists.page_number(PREFIX, filters, sort, descending, size)
    with _ui.db(read_only=True) as session:
        found = desk.desk_page(
            session=session,
            edition_id=edition_id,
            filters=filters,
            panel=desk.Panel(panel or desk.Panel.any),
            sort=sort,
            descending=descending,
            page=page_no,
            size=size,
            index=index,
        )
    if found.without_judges:
        st.caption(
            _ui.t(
                f"ผลงานที่ยังไม่มีกรรมการ {found.without_judges:,} ผลงาน",
                f"{found.without_judges:,} works have no judge yet",
            )
        )
    st.dataframe(
        [
            {
                _ui.t("เลขที่ใบรับ", "Receipt"): r.line.receipt_code,
                _ui.t("หน่วยงาน", "Organisation"): r.line.short_name,
                _ui.t("จังหวัด", "Province"): r.line.province,
                _ui.t("โครงการ", "Project"): r.line.title,
                _ui.t("ประเภท", "Category"): r.line.category,
                _ui.t("กรรมการ", "Judges"): len(r.judges),
                _ui.t("ส่งแล้ว", "Submitted"): r.submitted,
                _ui.t("หน่วยงานกรรมการ", "Agencies"): r.agencies,
                _ui.t("มีส่วนได้เสีย", "Conflicts"): r.conflicts,
                _ui.t("รายชื่อกรรมการ", "Judges' names"): ", ".join(r.judges),
            }
            for r in found.rows
        ],
        hide_index=True,
        width="stretch",
        key=f"{PREFIX}_table",
    )
    _lists.pager(PREFIX, found.paged, len(index))
    if not found.rows:
        return
    lines = {r.line.id: r.line for r in found.rows}
    ids = _lists.chosen(
        f"{PREFIX}_bulk",
        list(lines),
        found.matching_ids,
        lambda i: _lists.work_label(lines[i].receipt_code, lines[i].short_name, lines[i].title),
    )
    active = [j for j, a in judges.items() if a.active]
    picked = st.multiselect(
        _ui.t("กรรมการ", "Judges"),
        active,
        key=f"{PREFIX}_judges",
        format_func=lambda j: clean(f"{judges[j].username} · {judges[j].agency}"),
        placeholder=_ui.t("เลือกกรรมการ", "Choose judges"),
    )
    st.caption(
        _ui.t(
            "คู่ที่กรรมการมีส่วนได้เสียกับผลงาน และผลงานที่ไม่อยู่ในการพิจารณาแล้ว จะไม่ถูกมอบหมาย และแสดงเหตุผลให้ทราบ "
            "ทุกรายการบันทึกในประวัติการเปลี่ยนแปลง",
            "Pairs with a conflict of interest, and works no longer judged, are refused with the reason; each change "
            "is audited.",
        )
    )
    c1, c2 = st.columns(2)
    for column, assigned, label_th, label_en, key in (
        (c1, True, "มอบหมาย", "Assign", f"{PREFIX}_assign"),
        (c2, False, "ถอนออก", "Remove", f"{PREFIX}_remove"),
    ):
        if column.button(
            _ui.t(
                f"{label_th} {len(picked)} กรรมการ × {len(ids):,} ผลงาน",
                f"{label_en} {len(picked)} judges × {len(ids):,} works",
            ),
            key=key,
            disabled=not (ids and picked),
        ):
            with _ui.guard(), _ui.db() as session:
                result = desk.assign_many(
                    session=session,
                    edition_id=edition_id,
                    judge_ids=picked,
                    submission_ids=ids,
                    assigned=assigned,
                    actor=acc.username,
                )
                _lists.changed()
                _lists.outcome(
                    FLASH,
                    result,
                    f"{label_th}แล้ว {result.pairs:,} คู่ ใน {len(result.done):,} ผลงาน",
                    f"{label_en}: {result.pairs:,} pairs in {len(result.done):,} works",
                )
                st.rerun()
