"""Organisers' screening queue: the submissions filtered, searched, sorted and a page at a time, with completeness,
eligibility and files; contacts (organisers only); accept the selected at once; confirm eligibility, accept or reject
with a reason, extend one submission's deadline — all audited."""

from datetime import datetime, time, timedelta

import streamlit as st

from models import AttachmentKind, Role, SubmissionStatus
from pages import _dates, _lists, _ui
from services.intake import eligibility, files, phrases, queue, screening
from services.intake import questionnaire as q
from services.judging import suggestions
from services.platform.safe_text import clean, md
from services.thai.dates import BANGKOK, format_thai_date, format_thai_datetime

acc = _ui.require_role(Role.organiser)
st.title(_ui.t("ผลงานที่ส่งเข้าประกวด", "Submissions"))

VERDICT_ICON = {
    eligibility.Verdict.eligible: "✓",
    eligibility.Verdict.pending: "…",
    eligibility.Verdict.ineligible: "✗",
}
LANG = _ui.lang()

drafts = st.toggle(_ui.t("รวมร่างที่ยังไม่ได้ส่ง", "Include drafts not sent"), key="subs_drafts")
with _ui.db() as session:
    edition = _ui.edition_or_stop(session)
index = _lists.cached_queue_index(edition.id, drafts)
_lists.refresh_button("subs", index)

statuses = [s for s in SubmissionStatus if drafts or s != SubmissionStatus.draft]
filters = _lists.filter_bar("subs", index, statuses=statuses)
sort, descending, size = _lists.order_bar("subs")
page_no = _lists.page_number("subs", filters, sort, descending, size)
with _ui.db() as session:
    found = queue.queue_page(
        session=session,
        edition_id=edition.id,
        filters=filters,
        sort=sort,
        descending=descending,
        page=page_no,
        size=size,
        index=index,
    )
shown = list(found.rows)

st.caption(
    _ui.t(
        "ข้อมูลส่วนบุคคลในหน้านี้เปิดให้เฉพาะผู้จัดงาน (พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล)",
        "Personal data on this page is for organisers only (PDPA).",
    )
)
m = st.columns(5)
m[0].metric(_ui.t("ผลงาน", "Submissions"), f"{len(index):,}")
m[1].metric(_ui.t("ครบถ้วน", "Complete"), f"{index.complete:,}")
counts = index.verdicts()
for col, verdict in zip(m[2:], eligibility.Verdict, strict=True):
    col.metric(_ui.label(phrases.VERDICT, verdict), f"{counts[verdict]:,}")


def files_summary(r: screening.QueueRow) -> str:
    deck, form = r.attachment(AttachmentKind.deck), r.attachment(AttachmentKind.signed_form)
    parts = []
    if deck and deck.analysis:
        topics = deck.analysis.get("topics", [])
        covered = sum(bool(t["slides"]) for t in topics)
        parts.append(
            _ui.t(
                f"{deck.analysis['slide_count']} สไลด์ · หัวข้อ {covered}/{len(topics)}",
                f"{deck.analysis['slide_count']} slides · topics {covered}/{len(topics)}",
            )
        )
    if form and form.analysis:
        parts.append(
            _ui.t(
                "ใบส่ง: สแกน" if form.analysis["is_scan"] else "ใบส่ง: มีข้อความ",
                "form: scan" if form.analysis["is_scan"] else "form: text",
            )
        )
    return " · ".join(parts) or _ui.t("ไม่มีไฟล์", "no files")


st.dataframe(
    [
        {
            _ui.t("เลขที่ใบรับ", "Receipt"): r.row.receipt_code,
            _ui.t("หน่วยงาน", "Organisation"): r.row.short_name,
            _ui.t("จังหวัด", "Province"): r.row.province,
            _ui.t("โครงการ", "Project"): r.row.title,
            _ui.t("ประเภท", "Category"): r.row.category,
            _ui.t("สถานะ", "Status"): _ui.label(phrases.SUBMISSION_STATUS_SHORT, r.row.status),
            _ui.t("ครบถ้วน", "Complete"): _ui.t("✓ ครบ", "✓ complete")
            if r.complete
            else _ui.t(f"ขาด {len(r.missing)}", f"{len(r.missing)} missing"),
            _ui.t("คุณสมบัติ", "Eligibility"): f"{VERDICT_ICON[r.eligibility.verdict]} "
            + _ui.label(phrases.VERDICT, r.eligibility.verdict),
            _ui.t("เหตุผล", "Reason"): "; ".join(x.message(LANG) for x in r.eligibility.reasons),
            _ui.t("ไฟล์", "Files"): files_summary(r),
            _ui.t("เริ่มใช้งาน", "Live since"): format_thai_date(r.row.golive_date) if r.row.golive_date else "",
            _ui.t("ผู้ประสานงาน", "Coordinator"): r.row.coordinator_name,
            _ui.t("โทร", "Phone"): r.row.coordinator_phone,
            _ui.t("อีเมล", "E-mail"): r.row.coordinator_email,
        }
        for r in shown
    ],
    hide_index=True,
    width="stretch",
    key="subs_table",
)
_lists.pager("subs", found.paged, len(index))
_lists.show_outcome("subs_bulk_flash")
if not shown:
    st.stop()

with st.container(border=True):
    st.markdown(_ui.t("**รับเข้าการพิจารณาหลายผลงานพร้อมกัน**", "**Accept several works at once**"))
    bulk_ids = _lists.chosen(
        "subs_bulk",
        [r.row.id for r in shown],
        found.matching_ids,
        lambda i: next(
            _lists.work_label(r.row.receipt_code, r.row.short_name, r.row.title) for r in shown if r.row.id == i
        ),
    )
    st.caption(
        _ui.t(
            "ผลงานที่ยังไม่ได้ส่ง ถอนตัว หรือไม่มีคุณสมบัติตามประกาศ จะไม่ถูกรับ และแสดงเหตุผลให้ทราบ "
            "ผู้ส่งผลงานแต่ละรายได้รับแจ้ง และทุกรายการบันทึกในประวัติการเปลี่ยนแปลง",
            "Works not sent, withdrawn or failing a rule of the call are refused, with the reason; each entrant "
            "is told and each decision is audited.",
        )
    )
    if st.button(
        _ui.t(f"รับเข้าการพิจารณา {len(bulk_ids):,} ผลงาน", f"Accept {len(bulk_ids):,} works"),
        key="subs_bulk_accept",
        disabled=not bulk_ids,
    ):
        with _ui.guard(), _ui.db() as session:
            result = queue.accept_many(
                session=session, edition_id=edition.id, submission_ids=bulk_ids, actor=acc.username
            )
            _lists.changed()
            n = len(result.done)
            _lists.outcome("subs_bulk_flash", result, f"รับเข้าการพิจารณาแล้ว {n:,} ผลงาน", f"{n:,} works accepted")
            st.rerun()

pick = st.selectbox(
    _ui.t("เปิดผลงาน", "Open a submission"),
    [r.row.id for r in shown],
    key="subs_pick",
    format_func=lambda i: next(
        clean(f"{r.row.receipt_code} · {r.row.short_name} · {r.row.title[:60]}") for r in shown if r.row.id == i
    ),
)
r = next(x for x in shown if x.row.id == pick)
row = r.row
st.header(md(row.title) or _ui.t("(ยังไม่มีชื่อโครงการ)", "(no title yet)"))
st.markdown(f"{md(row.organisation)} จ.{md(row.province)} · {_ui.label(phrases.SUBMISSION_STATUS_SHORT, row.status)}")
st.markdown(
    _ui.t(
        f"ผู้ส่ง: {md(row.submitter_name)} ({md(row.submitter_position)}) · ผู้ประสานงาน: "
        f"{md(row.coordinator_name)} โทร {md(row.coordinator_phone)} อีเมล {md(row.coordinator_email)}",
        f"Submitter: {md(row.submitter_name)} ({md(row.submitter_position)}) · coordinator: "
        f"{md(row.coordinator_name)} tel. {md(row.coordinator_phone)} e-mail {md(row.coordinator_email)}",
    )
)
p = r.project
character = []
if p.is_new_initiative is not None:
    character.append(
        _ui.t("ริเริ่มใหม่", "new initiative")
        if p.is_new_initiative
        else _ui.t(
            f"ต่อยอดจาก {md(p.earlier_project_name)} (พ.ศ. {md(p.earlier_project_year_be)})",
            f"extends {md(p.earlier_project_name)} ({md(p.earlier_project_year_be)})",
        )
    )
if p.developed_by:
    character.append(
        _ui.label(phrases.DEVELOPED_BY_SHORT, "in_house")
        if p.developed_by == "in_house"
        else _ui.t(
            f"ร่วมพัฒนากับ {md(p.partner_name)} จ.{md(p.partner_province)}",
            f"with {md(p.partner_name)}, {md(p.partner_province)}",
        )
    )
if character:
    st.caption(" · ".join(character))
if row.submitted_at:
    st.caption(
        _ui.t(
            f"ส่งเมื่อ {format_thai_datetime(row.submitted_at)} · แก้ไขได้ถึง {format_thai_datetime(r.deadline)}",
            f"Sent {row.submitted_at:%Y-%m-%d} · editable until {r.deadline:%Y-%m-%d %H:%M} UTC",
        )
    )

tab_check, tab_files, tab_answers, tab_decide = st.tabs(
    [
        _ui.t("ความครบถ้วนและคุณสมบัติ", "Completeness & eligibility"),
        _ui.t("ไฟล์", "Files"),
        _ui.t("คำตอบขั้นตอนที่ 7", "Step-7 answers"),
        _ui.t("ผลการตรวจและขยายเวลา", "Decision & extension"),
    ]
)

with tab_check:
    if r.complete:
        st.success(_ui.t("ครบถ้วนตามที่ประกาศกำหนด", "Complete"))
    for gap in r.missing:
        st.warning(gap.message(LANG))
    e = r.eligibility
    (st.success if e.eligible else st.error if e.verdict == eligibility.Verdict.ineligible else st.info)(
        e.summary(LANG)
    )
    if r.eligibility_confirmed_by:
        st.caption(_ui.t(f"ยืนยันโดย {r.eligibility_confirmed_by}", f"Confirmed by {r.eligibility_confirmed_by}"))
        label, confirmed = _ui.t("ยกเลิกการยืนยัน", "Withdraw confirmation"), False
    else:
        label, confirmed = (
            _ui.t(
                "ยืนยันว่าเป็นเทคโนโลยีดิจิทัลที่ใช้ในกระบวนการทำงานของภาครัฐ",
                "Confirm: digital technology applied to a government process",
            ),
            True,
        )
    if st.button(label, key="subs_confirm"):
        with _ui.guard(), _ui.db() as session:
            eligibility.confirm(session=session, submission_id=row.id, actor=acc.username, confirmed=confirmed)
            _lists.changed()
            st.rerun()

with tab_files:
    if not row.attachments:
        st.info(_ui.t("ยังไม่มีไฟล์แนบ", "No files yet"))
    for a in row.attachments:
        with _ui.db() as session:
            data = files.file_content(session=session, sha256=a.sha256)
        st.download_button(
            f"{md(a.original_name)} ({a.size / 1024:,.0f} KB)",
            data=data,
            file_name=a.original_name,
            mime=a.media_type,
            key=f"subs_dl_{a.id}",
            icon=":material/download:",
            on_click="ignore",
        )
        if a.kind == AttachmentKind.deck and a.analysis:
            st.caption(_ui.t(f"{a.analysis['slide_count']} สไลด์", f"{a.analysis['slide_count']} slides"))
            st.markdown("\n".join(f"- {line}" for line in files.coverage_lines(a.analysis, LANG)))
            with st.expander(_ui.t("ชื่อสไลด์", "Slide titles")):
                st.markdown("  \n".join(f"{s['number']}\\. {md(s['title'])}" for s in a.analysis["slides"]))
        elif a.analysis:
            st.caption(
                _ui.t(f"{a.analysis['page_count']} หน้า · ", f"{a.analysis['page_count']} page(s) · ")
                + (
                    _ui.t("ไฟล์สแกน ไม่มีข้อความ", "a scan, no text")
                    if a.analysis["is_scan"]
                    else md(a.analysis["text"][:300])
                )
            )

with tab_answers:
    answers = q.load_answers(r.answers)
    if r.confirmed_at is None:
        st.info(_ui.t("ผู้ส่งยังไม่ได้กดยืนยันคำตอบขั้นตอนที่ 7", "The applicant has not confirmed step 7 yet"))
    maxima = {c.code: c.max_points for c in edition.criteria}
    for s in suggestions.suggest(edition.config.suggestion_rules, r.answers, maxima):
        title = next((c.title(LANG) for c in edition.criteria if c.code == s.criterion_code), s.criterion_code)
        st.metric(
            title,
            f"{s.points:g} / {s.max_points}",
            help=_ui.t("คะแนนที่ระบบแนะนำ กรรมการเป็นผู้ตัดสิน", "A suggestion; the judges decide"),
        )
    st.write(
        _ui.t("**เครื่องมือดิจิทัล:** ", "**Digital tools:** ")
        + ", ".join(
            [_ui.label(phrases.DIGITAL_TOOL, c) for c in answers.digital_tools]
            + [md(x) for x in answers.digital_tools_other]
        )
    )
    st.write(
        _ui.t("**ช่องทางการสื่อสาร:** ", "**Communication channels:** ")
        + ", ".join(
            [_ui.label(phrases.COMMUNICATION_CHANNEL, c) for c in answers.communication_channels]
            + [md(x) for x in answers.communication_channels_other]
        )
    )
    for d in answers.datasets:
        st.markdown(f"- {md(d.name)} {md(d.url)}" + (" (data.go.th)" if d.on_data_go_th else ""))
    if answers.goals:
        st.dataframe(
            [
                {
                    _ui.t("ตัวชี้วัด", "Measure"): g.label,
                    _ui.t("ก่อน", "Before"): g.before,
                    _ui.t("เป้าหมาย", "Target"): g.target,
                    _ui.t("หลัง", "After"): g.after,
                }
                for g in answers.goals
            ],
            hide_index=True,
            key="subs_goals",
        )
    for period in answers.roadmap:
        if period.plan:
            st.markdown(
                f"**Roadmap {_ui.label(phrases.ROADMAP_PERIOD, period.period)}** — {md(period.plan)} "
                f"({md(period.responsible_unit)})"
            )

with tab_decide:
    if r.screening_note:
        st.caption(_ui.t(f"บันทึกการตรวจ: {md(r.screening_note)}", f"Screening note: {md(r.screening_note)}"))
    reason = st.text_input(
        _ui.t(
            "เหตุผล (จำเป็นเมื่อไม่รับหรือส่งกลับให้แก้ไข: ผู้ส่งผลงานได้รับข้อความนี้)",
            "Reason (needed to reject or return; the applicant is told)",
        ),
        key="subs_reason",
    )
    c1, c2, c3 = st.columns(3)
    decisions = (
        (c1, SubmissionStatus.accepted, _ui.t("รับเข้าการพิจารณา", "Accept"), "subs_accept"),
        (c2, SubmissionStatus.rejected, _ui.t("ไม่รับ", "Reject"), "subs_reject"),
        (c3, SubmissionStatus.draft, _ui.t("ส่งกลับให้แก้ไข", "Return for fixes"), "subs_return"),
    )
    for column, status, label, key in decisions:
        if column.button(label, key=key):
            with _ui.guard(), _ui.db() as session:
                screening.set_status(
                    session=session, submission_id=row.id, status=status, reason=reason, actor=acc.username
                )
                _lists.changed()
                st.rerun()
    st.divider()
    st.markdown(_ui.t("**ขยายเวลาส่ง/แก้ไขเฉพาะผลงานนี้**", "**Extend this submission's deadline**"))
    current = r.deadline_extended_until
    st.caption(_ui.t(f"กำหนดปัจจุบัน: {format_thai_datetime(r.deadline)}", f"Now: {r.deadline:%Y-%m-%d %H:%M} UTC"))
    default = (current or edition.intake_closes_at + timedelta(days=3)).astimezone(BANGKOK)
    c1, c2, c3 = st.columns([1, 1, 2])
    day = _dates.date_field(c1, "ถึงวันที่", "Until", value=default.date(), key="subs_ext_day")
    at_time = c2.time_input(_ui.t("เวลา", "Time"), value=time(23, 59), key="subs_ext_time")
    ext_reason = c3.text_input(_ui.t("เหตุผลการขยายเวลา", "Reason"), key="subs_ext_reason")
    if st.button(_ui.t("ขยายเวลา", "Extend"), key="subs_extend"):
        with _ui.guard(), _ui.db() as session:
            screening.grant_extension(
                session=session,
                submission_id=row.id,
                reason=ext_reason,
                actor=acc.username,
                until=datetime.combine(day, at_time, BANGKOK),
            )
            st.rerun()
