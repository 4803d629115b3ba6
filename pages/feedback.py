"""Feedback to entrants, for organisers: review the committee's comments (hide or rephrase, audited), preview a
work's report, release the reports once the results are announced, and approve the winners' public descriptions."""

import streamlit as st

from models import Role
from pages import _ui
from services.platform.safe_text import clean, md
from services.results import announcement, awards, feedback, public_page

acc = _ui.require_role(Role.organiser)

with _ui.db(read_only=True) as session:
    edition = _ui.edition_or_stop(session)
    works = announcement.build(session=session, edition_id=edition.id).works
    state = feedback.release_state(session=session, edition_id=edition.id)
st.title(_ui.t("รายงานผลการพิจารณาถึงผู้ส่งผลงาน", "Feedback to entrants"))
st.caption(edition.name)
label = {w.submission_id: f"{w.short_name} · {w.title}" for w in works}
review_tab, release_tab, description_tab = st.tabs(
    [
        _ui.t("ความเห็นของกรรมการ", "Committee comments"),
        _ui.t("เผยแพร่รายงาน", "Release"),
        _ui.t("คำอธิบายผู้ได้รับรางวัล", "Winners' descriptions"),
    ]
)

with review_tab, _ui.guard():
    sid = st.selectbox(_ui.t("ผลงาน", "Work"), list(label), format_func=lambda s: clean(label[s]), key="fb_work")
    if sid is not None:
        with _ui.db(read_only=True) as session:
            comments = feedback.review_comments(session=session, edition_id=edition.id, submission_id=sid)
            report = feedback.preview(session=session, edition_id=edition.id, submission_id=sid)
        st.caption(
            _ui.t(
                "ผู้ส่งผลงานเห็นความเห็นโดยไม่ระบุชื่อกรรมการ ซ่อนหรือเรียบเรียงใหม่ได้ ข้อความเดิมเก็บไว้ในบันทึกการเปลี่ยนแปลง",
                "Entrants read the comments without the judges' names. Hide or rephrase them; the "
                "original stays in the audit trail.",
            )
        )
        if not comments:
            st.info(_ui.t("ผลงานนี้ไม่มีความเห็นจากกรรมการ", "No comments on this work."))
        for c in comments:
            with st.container(border=True):
                st.markdown(f"**{md(c.criterion_th) or _ui.t('ความเห็นโดยรวม', 'Overall comment')}**")
                st.markdown(md(c.original, multiline=True))
                hidden = st.checkbox(
                    _ui.t("ซ่อนจากรายงาน", "Hide from the report"), value=c.hidden, key=f"fb_hide_{c.key}"
                )
                text = st.text_area(
                    _ui.t("ข้อความที่ผู้ส่งผลงานจะเห็น", "What the entrant reads"),
                    value=c.shown or c.original,
                    key=f"fb_text_{c.key}",
                    max_chars=feedback.COMMENT_CHARS,
                    disabled=hidden,
                )
                if st.button(_ui.t("บันทึก", "Save"), key=f"fb_save_{c.key}"):
                    with _ui.db() as session:
                        feedback.edit_comment(
                            session=session,
                            edition_id=edition.id,
                            key=c.key,
                            actor=acc.username,
                            hidden=hidden,
                            text=text,
                        )
                    st.rerun()
        _ui.printable_downloads(f"fb_preview_{sid}", feedback.printable(report))

with release_tab, _ui.guard():
    c1, c2 = st.columns(2)
    c1.metric(_ui.t("ผลงาน", "Works"), state.works)
    c2.metric(_ui.t("เผยแพร่แล้ว", "Released"), state.released)
    if not state.announced:
        st.info(
            _ui.t(
                "เผยแพร่รายงานได้หลังยืนยันและประกาศผลรางวัลแล้ว (หน้า 'ผลรางวัล')",
                "Reports can be released once the awards are confirmed and announced (Awards page).",
            ),
            icon=":material/lock:",
        )
    else:
        show_rank = st.checkbox(
            _ui.t("แสดงอันดับที่แท้จริง (ค่าเริ่มต้น: แสดงเป็นช่วงร้อยละ)", "Show the exact rank (default: the rank band)"),
            key="fb_show_rank",
        )
        waiting = [s for s in label if s not in state.released_ids]
        chosen = st.multiselect(
            _ui.t("เผยแพร่เฉพาะผลงาน", "Release these works only"),
            waiting,
            format_func=lambda s: clean(label[s]),
            key="fb_release_works",
        )
        b1, b2 = st.columns(2)
        if b1.button(_ui.t("เผยแพร่ผลงานที่เลือก", "Release the chosen works"), key="fb_release_some", disabled=not chosen):
            with _ui.db() as session:
                feedback.release(
                    session=session,
                    edition_id=edition.id,
                    actor=acc.username,
                    submission_ids=chosen,
                    show_rank=show_rank,
                )
            st.rerun()
        if b2.button(
            _ui.t("เผยแพร่ทุกผลงาน", "Release every work"), key="fb_release_all", type="primary", disabled=not waiting
        ):
            with _ui.db() as session:
                feedback.release(session=session, edition_id=edition.id, actor=acc.username, show_rank=show_rank)
            st.rerun()

with description_tab, _ui.guard():
    with _ui.db(read_only=True) as session:
        winners = awards.confirmed_awards(session=session, edition_id=edition.id)
        approved = public_page.descriptions(session=session, edition_id=edition.id)
    if not winners:
        st.info(_ui.t("ยังไม่มีผลรางวัลที่ยืนยันแล้ว", "No confirmed awards yet."))
    for w in winners:
        with st.container(border=True):
            st.markdown(f"**{md(w.level_th)}** · {md(w.short_name)} · {md(w.title)}")
            text = st.text_area(
                _ui.t("คำอธิบายสั้นสำหรับหน้าผลการตัดสินสาธารณะ", "Short description for the public page"),
                value=approved.get(w.submission_id, ""),
                key=f"fb_desc_{w.submission_id}",
                max_chars=public_page.DESCRIPTION_CHARS,
            )
            if st.button(_ui.t("อนุมัติคำอธิบาย", "Approve the description"), key=f"fb_desc_save_{w.submission_id}"):
                with _ui.db() as session:
                    public_page.approve_description(
                        session=session,
                        edition_id=edition.id,
                        submission_id=w.submission_id,
                        text=text,
                        actor=acc.username,
                    )
                st.cache_data.clear()  # the public page keeps its results a minute: show the new text now
                st.rerun()
