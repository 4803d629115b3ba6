"""Organisers' judging desk: progress, panels and assignments by hand, conflicts of interest, reopening a sheet."""

import streamlit as st

from models import ConflictReason, Role
from pages import _desk_list, _lists, _ui
from services.judging import assignments, conflicts, printable_sheet, sheets, worklist
from services.judging import phrases as judging_phrases
from services.platform import auth
from services.platform.safe_text import clean, md

acc = _ui.require_role(Role.organiser)
st.title(_ui.t("การพิจารณาของกรรมการ", "Judging"))

with _ui.db() as session:
    edition = _ui.edition_or_stop(session)
    judges = {a.id: a for a in auth.list_accounts(session=session, role=Role.judge)}
# Kept for half a minute (pages/_lists.py) and read afresh after any change made here.
reads = _lists.cached_desk_reads(edition.id)
progress, declared, suggested = reads.progress, reads.declared, reads.suggested
# The tabs that act on one work find it by a search (pages/_lists.py), not from a list of every work.
index = _lists.cached_desk_index(edition.id)

if flash := st.session_state.pop("jadmin_flash", None):
    st.success(flash)
subs = {s.submission_id: s for s in progress.submissions}
reason_name = {r: _ui.label(judging_phrases.CONFLICT_REASON, r) for r in ConflictReason}


tab_progress, tab_panels, tab_conflicts, tab_reopen, tab_print = st.tabs(
    [
        _ui.t("ความคืบหน้า", "Progress"),
        _ui.t("การมอบหมาย", "Assignments"),
        _ui.t("การมีส่วนได้เสีย", "Conflicts of interest"),
        _ui.t("เปิดใบให้คะแนนใหม่", "Reopen a sheet"),
        _ui.t("พิมพ์ใบให้คะแนน", "Print score sheets"),
    ]
)

with tab_progress:
    expected = sum(j.assigned for j in progress.judges)
    done = sum(j.submitted for j in progress.judges)
    st.metric(
        _ui.t("ใบให้คะแนนที่ส่งแล้ว", "Sheets submitted"),
        f"{done} / {expected}",
        f"{round(100 * done / expected, 1) if expected else 0:g}%",
        delta_color="off",
        delta_arrow="off",
    )
    st.caption(
        _ui.t(
            f"ตัวเลขในหน้านี้อ่านใหม่ทุก {_lists.LIST_TTL_S} วินาที และทันทีเมื่อมีการเปลี่ยนแปลงจากหน้านี้",
            f"The figures here are read again every {_lists.LIST_TTL_S} s, and at once after a change made here.",
        )
    )
    st.dataframe(
        [
            {
                _ui.t("กรรมการ", "Judge"): j.username,
                _ui.t("หน่วยงาน", "Agency"): j.agency,
                _ui.t("มอบหมาย", "Assigned"): j.assigned,
                _ui.t("ส่งแล้ว", "Submitted"): j.submitted,
                _ui.t("ร่าง", "Drafts"): j.draft,
                _ui.t("มีส่วนได้เสีย", "Conflicts"): j.conflicts,
            }
            for j in progress.judges
        ],
        hide_index=True,
        width="stretch",
        key="jadmin_judges",
    )
    works = progress.submissions  # by column: a national edition has 10,000 rows, each name translated once
    st.dataframe(
        {
            _ui.t("ผลงาน", "Submission"): [w.short_name for w in works],
            _ui.t("ชื่อผลงาน", "Title"): [w.title for w in works],
            _ui.t("กรรมการ", "Judges"): [len(w.judges) for w in works],
            _ui.t("ส่งแล้ว", "Submitted"): [w.submitted for w in works],
            _ui.t("หน่วยงาน", "Agencies"): [w.agencies for w in works],
            _ui.t("มีส่วนได้เสีย", "Conflicts"): [w.conflicts for w in works],
        },
        hide_index=True,
        width="stretch",
        key="jadmin_subs",
    )

with tab_panels:
    if st.button(
        _ui.t("ให้กรรมการทุกคนพิจารณาทุกผลงาน (แบบปี 2564)", "Every judge scores every submission (as in 2564)"),
        key="jadmin_assign_all",
    ):
        with _ui.guard(), _ui.db() as session:
            added = worklist.assign_all(session=session, edition_id=edition.id, actor=acc.username)
            _lists.changed()
            st.session_state["jadmin_flash"] = _ui.t(f"เพิ่มการมอบหมาย {added} รายการ", f"{added} assignments added")
            st.rerun()
    with st.form("jadmin_panels"):
        st.caption(
            _ui.t(
                "จัดคณะกรรมการ k คนต่อผลงาน กระจายภาระเท่า ๆ กัน อย่างน้อย m หน่วยงานต่อผลงาน ไม่มอบหมายผลงานที่มี"
                "ส่วนได้เสีย และคงผลงานที่กรรมการเริ่มให้คะแนนแล้วไว้",
                "Panels of k judges per submission, balanced load, at least m agencies each, no conflicts; "
                "sheets a judge has started stay with them.",
            )
        )
        c1, c2 = st.columns(2)
        k = c1.number_input(
            _ui.t("กรรมการต่อผลงาน (k)", "Judges per submission (k)"),
            1,
            max(1, len(judges)),
            min(3, max(1, len(judges))),
            key="jadmin_k",
        )
        m = c2.number_input(
            _ui.t("หน่วยงานขั้นต่ำต่อผลงาน (m)", "Minimum agencies (m)"),
            1,
            max(1, len(judges)),
            min(edition.config.min_agencies_per_submission, max(1, len(judges))),
            key="jadmin_m",
        )
        if st.form_submit_button(_ui.t("จัดคณะกรรมการ", "Make panels")):
            with _ui.guard(), _ui.db() as session:
                done_plan = assignments.assign_panels(
                    session=session,
                    edition_id=edition.id,
                    judges_per_submission=int(k),
                    min_agencies=int(m),
                    actor=acc.username,
                )
                _lists.changed()
                short = len(done_plan.short)
                st.session_state["jadmin_flash"] = _ui.t(
                    f"เพิ่ม {done_plan.added} · ถอน {done_plan.removed} · คงไว้ {done_plan.kept}"
                    + (f" · จัดไม่ครบ {short} ผลงาน" if short else ""),
                    f"added {done_plan.added} · removed {done_plan.removed} · kept {done_plan.kept}"
                    + (f" · {short} panels short" if short else ""),
                )
                st.rerun()
    st.header(_ui.t("ปรับด้วยมือ", "Adjust by hand"))
    c1, c2, c3 = st.columns([2, 3, 1])
    jid = c1.selectbox(
        _ui.t("กรรมการ", "Judge"), list(judges), format_func=lambda i: judges[i].username, key="jadmin_hand_judge"
    )
    with c2:
        sid = _lists.work_search("jadmin_hand", index, _ui.t("ผลงาน", "Submission"), key="jadmin_hand_sub")
    if jid is not None and sid is not None:
        on_panel = sid in subs and jid in subs[sid].judges
        if c3.button(_ui.t("ถอนออก", "Remove") if on_panel else _ui.t("มอบหมาย", "Assign"), key="jadmin_hand_go"):
            with _ui.guard(), _ui.db() as session:
                worklist.set_assignment(
                    session=session, judge_id=jid, submission_id=sid, assigned=not on_panel, actor=acc.username
                )
                _lists.changed()
                st.rerun()
    _desk_list.render(acc=acc, edition_id=edition.id, judges=judges)

with tab_conflicts:
    st.dataframe(
        [
            {
                _ui.t("กรรมการ", "Judge"): c.judge_username,
                _ui.t("ผลงาน", "Submission"): c.organisation,
                _ui.t("เหตุ", "Reason"): reason_name[c.reason],
                _ui.t("รายละเอียด", "Details"): c.note,
                _ui.t("แจ้งโดย", "Declared by"): c.declared_by,
            }
            for c in declared
        ],
        hide_index=True,
        width="stretch",
        key="jadmin_conflicts",
    )
    if suggested:
        st.warning(
            _ui.t(
                f"ระบบพบการมีส่วนได้เสียที่อาจเกิดขึ้น {len(suggested)} รายการ ที่ยังไม่ได้บันทึก",
                f"{len(suggested)} likely conflicts are not recorded yet",
            )
        )
        for i, sg in enumerate(suggested[:50]):
            c1, c2 = st.columns([5, 1])
            c1.markdown(
                f"{md(sg.judge_username)} · {md(sg.organisation)} — "
                f"{md(sg.why_th if _ui.lang() == 'th' else sg.why_en)}"
            )
            if c2.button(_ui.t("บันทึก", "Record"), key=f"jadmin_sugg_{i}"):
                with _ui.guard(), _ui.db() as session:
                    conflicts.declare(
                        session=session,
                        judge_id=sg.judge_id,
                        submission_id=sg.submission_id,
                        reason=sg.reason,
                        note=sg.why_th,
                        actor=acc.username,
                    )
                    _lists.changed()
                    st.rerun()
    st.caption(_ui.t("บันทึกการมีส่วนได้เสียแทนกรรมการ", "Record a conflict for a judge"))
    coi_sub = _lists.work_search("jadmin_coi", index, _ui.t("ผลงาน", "Submission"), key="jadmin_coi_sub")
    with st.form("jadmin_coi"):
        coi_judge = st.selectbox(
            _ui.t("กรรมการ", "Judge"), list(judges), format_func=lambda i: judges[i].username, key="jadmin_coi_judge"
        )
        coi_reason = st.selectbox(
            _ui.t("เหตุ", "Reason"), list(ConflictReason), format_func=reason_name.__getitem__, key="jadmin_coi_reason"
        )
        coi_note = st.text_input(_ui.t("รายละเอียด", "Details"), key="jadmin_coi_note")
        if (
            st.form_submit_button(_ui.t("บันทึก", "Record"))
            and coi_judge is not None
            and coi_sub is not None
            and coi_reason is not None
        ):
            with _ui.guard(), _ui.db() as session:
                conflicts.declare(
                    session=session,
                    judge_id=coi_judge,
                    submission_id=coi_sub,
                    reason=coi_reason,
                    note=coi_note,
                    actor=acc.username,
                )
                _lists.changed()
                st.rerun()
    if declared:
        with st.form("jadmin_lift"):
            pairs = {(c.judge_id, c.submission_id): c for c in declared}
            lift = st.selectbox(
                _ui.t("ยกเลิกการมีส่วนได้เสีย", "Lift a conflict"),
                list(pairs),
                key="jadmin_lift_pick",
                format_func=lambda p: clean(f"{pairs[p].judge_username} · {pairs[p].organisation}"),
            )
            why = st.text_input(_ui.t("เหตุผล", "Reason"), key="jadmin_lift_reason")
            if st.form_submit_button(_ui.t("ยกเลิก", "Lift")) and lift is not None:
                with _ui.guard(), _ui.db() as session:
                    conflicts.withdraw(
                        session=session, judge_id=lift[0], submission_id=lift[1], reason=why, actor=acc.username
                    )
                    _lists.changed()
                    st.rerun()

with tab_reopen:
    st.caption(
        _ui.t(
            "ใบให้คะแนนที่ส่งแล้วถูกล็อก ผู้จัดงานเปิดให้แก้ไขได้โดยระบุเหตุผล (บันทึกในประวัติการแก้ไข)",
            "A submitted sheet is locked; an organiser may reopen it with a reason (audited).",
        )
    )
    r_sub = _lists.work_search("jadmin_reopen", index, _ui.t("ผลงาน", "Submission"), key="jadmin_reopen_sub")
with tab_reopen, st.form("jadmin_reopen"):
    r_judge = st.selectbox(
        _ui.t("กรรมการ", "Judge"), list(judges), format_func=lambda i: judges[i].username, key="jadmin_reopen_judge"
    )
    r_reason = st.text_input(_ui.t("เหตุผล", "Reason"), key="jadmin_reopen_reason")
    if st.form_submit_button(_ui.t("เปิดใบให้คะแนนใหม่", "Reopen")) and r_judge is not None and r_sub is not None:
        with _ui.guard(), _ui.db() as session:
            sheets.reopen_sheet(
                session=session, judge_id=r_judge, submission_id=r_sub, reason=r_reason, actor=acc.username
            )
            _lists.changed()
            st.session_state["jadmin_flash"] = _ui.t("เปิดใบให้คะแนนให้แก้ไขได้แล้ว", "The sheet is open again.")
            st.rerun()

with tab_print:
    st.caption(
        _ui.t(
            "ใบให้คะแนนของกรรมการแต่ละท่านต่อผลงาน หรือใบเปล่าต่อผลงานสำหรับกรรมการที่ให้คะแนนบนกระดาษ",
            "A judge's sheet for a work, or a blank one per work for a committee member scoring on paper.",
        )
    )
    p_sub = _lists.work_search("jadmin_print", index, _ui.t("ผลงาน", "Submission"), key="jadmin_print_sub")
    p_judge = st.selectbox(
        _ui.t("กรรมการ", "Judge"),
        [0, *judges],
        key="jadmin_print_judge",
        format_func=lambda i: (
            _ui.t("ใบเปล่า (ไม่ระบุกรรมการ)", "Blank (no judge)")
            if i == 0
            else f"{judges[i].username} · {judges[i].display_name}"
        ),
    )

    def printed(judge_id: int, sub_id: int) -> printable_sheet.PrintableSheet:
        with _ui.db(read_only=True) as session:
            if judge_id == 0:
                return printable_sheet.blank_sheet(session=session, viewer_id=acc.id, submission_id=sub_id)
            return printable_sheet.judge_sheet(
                session=session, viewer_id=acc.id, judge_id=judge_id, submission_id=sub_id
            )

    if p_sub is not None and p_judge is not None:
        print_sub: int = p_sub  # narrowed for the lambda
        stem = f"score-sheet-{print_sub}" + (f"-{judges[p_judge].username}" if p_judge else "-blank")
        _ui.sheet_downloads("jadmin_print", lambda: printed(p_judge, print_sub), (p_judge, print_sub), stem)
