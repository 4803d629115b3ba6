"""The organisers' long lists (screening queue, judging desk): the filter bar, the order, the pager, the choice of
works for a bulk action and its outcome. Each key carries the page's prefix; the services do the work."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import streamlit as st

from pages import _ui
from services.intake import eligibility, phrases, queue
from services.intake.queue import PAGE_SIZES, BulkResult, Filters, ListIndex, Paged, Sort
from services.judging import assignments, conflicts, desk
from services.platform.safe_text import clean

# The light index of a national edition's works takes most of a second to read and is the same for every organiser:
# kept as one shared object (st.cache_resource: never changed once built) for half a minute, so paging, searching
# and sorting answer from memory; cleared at once when this process changes a status or eligibility (changed()),
# and on the organiser's "refresh" (what other processes changed since shows then, or within the half minute).
LIST_TTL_S = 30


@st.cache_resource(ttl=LIST_TTL_S, max_entries=8, show_spinner=False)
def cached_queue_index(edition_id: int, include_drafts: bool) -> ListIndex:
    with _ui.db(read_only=True) as session:
        return queue.list_index(session=session, edition_id=edition_id, include_drafts=include_drafts)


@st.cache_resource(ttl=LIST_TTL_S, max_entries=4, show_spinner=False)
def cached_desk_index(edition_id: int) -> ListIndex:
    with _ui.db(read_only=True) as session:
        return desk.desk_index(session=session, edition_id=edition_id)


@dataclass(frozen=True)
class DeskReads:
    """What the judging desk's tabs read on every run: at 10,000 works the progress alone takes ~1.8 s of CPU and
    the suggested conflicts ~0.6 s, so they are kept like the list's index (same time to live, same clearing)."""

    progress: assignments.Progress
    declared: tuple[conflicts.ConflictView, ...]
    suggested: tuple[conflicts.ConflictSuggestion, ...]


@st.cache_resource(ttl=LIST_TTL_S, max_entries=4, show_spinner=False)
def cached_desk_reads(edition_id: int) -> DeskReads:
    with _ui.db(read_only=True) as session:
        return DeskReads(
            progress=assignments.progress(session=session, edition_id=edition_id),
            declared=tuple(conflicts.list_conflicts(session=session, edition_id=edition_id)),
            suggested=tuple(conflicts.suggest(session=session, edition_id=edition_id)),
        )


def refresh_button(prefix: str, index: ListIndex) -> None:
    """When the list was read, and a button to read it again now."""
    c1, c2 = st.columns([4, 1])
    c1.caption(
        _ui.t(
            f"รายการนี้อ่านจากฐานข้อมูลเมื่อ {index.age_s:.0f} วินาทีที่แล้ว (อ่านใหม่เองทุก {LIST_TTL_S} วินาที)",
            f"This list was read {index.age_s:.0f} s ago (read again every {LIST_TTL_S} s)",
        )
    )
    if c2.button(_ui.t("โหลดรายการใหม่", "Refresh"), key=f"{prefix}_refresh", icon=":material/refresh:"):
        changed()
        st.rerun()


def changed() -> None:
    """After a screening decision or an eligibility confirmation: the lists and the ranking read fresh."""
    _ui.results_changed()
    cached_queue_index.clear()
    cached_desk_index.clear()
    cached_desk_reads.clear()


# Where a bulk action applies: the works ticked, every work on this page, or every work the filters found.
PICKED, THIS_PAGE, ALL_FOUND = "picked", "page", "found"


def filter_bar(prefix: str, index: ListIndex, *, statuses: Sequence[str], query_help: str = "") -> Filters:
    """Search and filters above a list; the options are the list's own (provinces and categories in Thai order)."""
    c1, c2, c3 = st.columns([3, 2, 2])
    query = c1.text_input(
        _ui.t("ค้นหา (เลขที่ใบรับ หน่วยงาน ชื่อโครงการ)", "Search (receipt, organisation, title)"),
        key=f"{prefix}_query",
        max_chars=200,
        help=query_help or None,
    )
    chosen_statuses = c2.multiselect(
        _ui.t("สถานะ", "Status"),
        list(statuses),
        key=f"{prefix}_statuses",
        format_func=lambda s: _ui.label(phrases.SUBMISSION_STATUS_SHORT, s),
        placeholder=_ui.t("ทุกสถานะ", "All"),
        filter_mode=None,
    )
    verdicts = c3.multiselect(
        _ui.t("คุณสมบัติ", "Eligibility"),
        list(eligibility.Verdict),
        key=f"{prefix}_verdicts",
        format_func=lambda v: _ui.label(phrases.VERDICT, v),
        placeholder=_ui.t("ทุกสถานะ", "All"),
        filter_mode=None,
    )  # no English "No results"
    c4, c5, c6 = st.columns([1, 2, 2])
    complete = c4.selectbox(
        _ui.t("ความครบถ้วน", "Completeness"),
        list(phrases.COMPLETENESS),
        key=f"{prefix}_complete",
        format_func=lambda c: _ui.label(phrases.COMPLETENESS, c),
    )
    provinces = c5.multiselect(
        _ui.t("จังหวัด", "Province"),
        index.provinces(),
        key=f"{prefix}_provinces",
        placeholder=_ui.t("ทุกจังหวัด", "All"),
    )
    categories = c6.multiselect(
        _ui.t("ประเภทผลงาน", "Category"),
        index.categories(),
        key=f"{prefix}_categories",
        placeholder=_ui.t("ทุกประเภท", "All"),
    )
    return Filters(
        statuses=tuple(chosen_statuses),
        verdicts=tuple(verdicts),
        complete=None if complete == "any" else complete == "complete",
        provinces=tuple(provinces),
        categories=tuple(categories),
        query=query,
    )


def order_bar(prefix: str) -> tuple[Sort, bool, int]:
    c1, c2, c3 = st.columns([2, 1, 1])
    sort = c1.selectbox(
        _ui.t("เรียงตาม", "Sort by"),
        list(Sort),
        key=f"{prefix}_sort",
        format_func=lambda s: _ui.label(phrases.LIST_SORT, s),
    )
    descending = c2.toggle(_ui.t("มากไปน้อย / ฮ–ก", "Descending"), key=f"{prefix}_desc")
    size = c3.selectbox(_ui.t("แถวต่อหน้า", "Rows per page"), PAGE_SIZES, index=1, key=f"{prefix}_size")
    return Sort(sort or Sort.receipt), descending, int(size or PAGE_SIZES[1])


def page_number(prefix: str, filters: Filters, sort: Sort, descending: bool, size: int) -> int:
    """The page asked for: back to the first when the filters or the order change."""
    key, seen = f"{prefix}_page", f"{prefix}_page_of"
    signature = (filters, sort, descending, size)
    if st.session_state.get(seen) != signature:
        st.session_state[seen] = signature
        st.session_state[key] = 1
    return int(st.session_state.get(key, 1))


def pager(prefix: str, paged: Paged, total: int) -> None:
    """Where the page sits in the list, and the page to go to (the widget after the table, as lists have it)."""
    key = f"{prefix}_page"
    st.session_state[key] = paged.page  # clamped by the service: a shorter list shows its last page
    c1, c2 = st.columns([1, 3])
    c1.number_input(_ui.t("หน้า", "Page"), min_value=1, max_value=paged.pages, step=1, key=key)
    if not paged.found:
        c2.caption(
            _ui.t(
                f"ไม่พบผลงานที่ตรงกับคำค้นหรือตัวกรอง (ทั้งหมด {total:,} ผลงาน)",
                f"No work matches the search or filters ({total:,} in all)",
            )
        )
        return
    last = paged.first + len(paged.lines) - 1
    c2.caption(
        _ui.t(
            f"แสดง {paged.first:,}–{last:,} จาก {paged.found:,} ผลงานที่พบ (ทั้งหมด {total:,}) · หน้า {paged.page:,} จาก"
            f" {paged.pages:,}",
            f"{paged.first:,}–{last:,} of {paged.found:,} found ({total:,} in all) · page {paged.page:,} of "
            f"{paged.pages:,}",
        )
    )


def chosen(prefix: str, page_ids: Sequence[int], found_ids: Sequence[int], label_of: Callable[[int], str]) -> list[int]:
    """The works a bulk action will apply to: ticked ones on this page, the whole page, or all the filters found."""
    scope = st.radio(
        _ui.t("ใช้กับ", "Apply to"),
        [PICKED, THIS_PAGE, ALL_FOUND],
        key=f"{prefix}_scope",
        horizontal=True,
        format_func=lambda s: {
            PICKED: _ui.t("ผลงานที่เลือก", "the works picked"),
            THIS_PAGE: _ui.t(f"ทุกผลงานในหน้านี้ ({len(page_ids):,})", f"every work on this page ({len(page_ids):,})"),
            ALL_FOUND: _ui.t(
                f"ทุกผลงานที่ตรงกับตัวกรอง ({len(found_ids):,})", f"every work the filters found ({len(found_ids):,})"
            ),
        }[s],
    )
    if scope == THIS_PAGE:
        return list(page_ids)
    if scope == ALL_FOUND:
        return list(found_ids)
    key = f"{prefix}_picked"
    st.session_state[key] = [i for i in st.session_state.get(key, []) if i in page_ids]  # a page turn drops the rest
    return list(
        st.multiselect(
            _ui.t("เลือกผลงาน (จากหน้านี้)", "Pick works (on this page)"),
            list(page_ids),
            key=key,
            format_func=label_of,
            placeholder=_ui.t("เลือกผลงาน", "Choose works"),
        )
    )


def work_label(receipt_code: str, short_name: str, title: str) -> str:
    return clean(f"{receipt_code} · {short_name} · {title[:60]}")


# A select box of a national edition's 10,000 works sends every label to the browser on every run: one to pick from
# shows the works a search found, at most this many.
PICK_LIMIT = 50


def work_search(prefix: str, index: ListIndex, label: str, *, key: str) -> int | None:
    """One work, found by receipt code, organisation or title words, then chosen from the first PICK_LIMIT found."""
    query = st.text_input(
        _ui.t("ค้นหาผลงาน (เลขที่ใบรับ หน่วยงาน ชื่อโครงการ)", "Find a work (receipt, organisation, title)"),
        key=f"{prefix}_find",
        max_chars=200,
    )
    found = index.matching(Filters(query=query))
    shown = {line.id: work_label(line.receipt_code, line.short_name, line.title) for line in found[:PICK_LIMIT]}
    if len(found) > PICK_LIMIT:
        st.caption(
            _ui.t(
                f"แสดง {PICK_LIMIT} จาก {len(found):,} ผลงานที่พบ พิมพ์คำค้นเพิ่มเพื่อให้แคบลง",
                f"{PICK_LIMIT} of {len(found):,} works found shown; type more to narrow them",
            )
        )
    elif not found:
        st.caption(_ui.t("ไม่พบผลงานที่ตรงกับคำค้น", "No work matches"))
    return st.selectbox(label, list(shown), format_func=shown.__getitem__, key=key)


def outcome(flash_key: str, result: BulkResult, done_th: str, done_en: str) -> None:
    """Keep a bulk action's outcome for the next run (the page reruns to show the new state)."""
    st.session_state[flash_key] = (result, done_th, done_en)


def show_outcome(flash_key: str) -> None:
    """What the last bulk action did, and which works it refused with the reason, in the user's language."""
    kept = st.session_state.pop(flash_key, None)
    if kept is None:
        return
    result, done_th, done_en = kept
    lang = _ui.lang()
    st.success(_ui.t(done_th, done_en))
    if result.unchanged:
        st.info(
            _ui.t(
                f"{len(result.unchanged):,} ผลงานเป็นเช่นนั้นอยู่แล้ว ไม่มีการเปลี่ยนแปลง",
                f"{len(result.unchanged):,} works were already so; nothing changed.",
            )
        )
    if result.refused:
        st.warning(
            _ui.t(
                f"ดำเนินการไม่ได้ {len(result.refused):,} รายการ ด้วยเหตุผลต่อไปนี้",
                f"{len(result.refused):,} refused, for these reasons",
            )
        )
        st.dataframe(
            [
                {
                    _ui.t("เลขที่ใบรับ", "Receipt"): r.receipt_code or str(r.submission_id),
                    _ui.t("กรรมการ", "Judge"): r.judge,
                    _ui.t("เหตุผล", "Reason"): r.message(lang),
                }
                for r in result.refused
            ],
            hide_index=True,
            width="stretch",
            key=f"{flash_key}_refused",
        )
