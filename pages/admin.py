"""Administration for organisers: the edition and its phase, criteria, user accounts."""

import streamlit as st

from models import Phase, Role
from pages import _dates, _ui
from services.contest import phrases as contest_phrases
from services.contest.editions import (
    create_next_edition,
    delete_criterion,
    list_editions,
    save_criterion,
    update_edition,
)
from services.platform import auth
from services.platform.phrases import ROLE
from services.thai.dates import format_thai_datetime

acc = _ui.require_role(Role.organiser)
st.title(_ui.t("ผู้ดูแลระบบ", "Administration"))

with _ui.db() as session:
    current = _ui.edition_or_stop(session)
    all_editions = {e.id: e for e in list_editions(session=session)}
    accounts = auth.list_accounts(session=session)

if "admin_select_next" in st.session_state:  # a just-created edition opens next
    st.session_state["admin_edition_pick"] = st.session_state.pop("admin_select_next")
if st.session_state.get("admin_edition_pick") not in all_editions:
    st.session_state["admin_edition_pick"] = current.id
edition = all_editions[
    st.selectbox(
        _ui.t("รุ่นการประกวดที่จัดการ", "Edition to manage"),
        list(all_editions),
        key="admin_edition_pick",
        format_func=lambda i: all_editions[i].name + (_ui.t(" (รุ่นปัจจุบัน)", " (current)") if i == current.id else ""),
    )
]

if flash := st.session_state.pop("admin_flash", None):
    st.success(flash)

# Judge assignments, panels and conflicts live on the judging page (pages/judging_admin.py).
tab_ed, tab_crit, tab_users = st.tabs(
    [_ui.t("รุ่นการประกวด", "Edition"), _ui.t("เกณฑ์การพิจารณา", "Criteria"), _ui.t("ผู้ใช้", "Users")]
)

with tab_ed:
    st.header(edition.name)
    st.write(
        _ui.t(
            f"รับสมัคร {format_thai_datetime(edition.intake_opens_at)} – "
            f"{format_thai_datetime(edition.intake_closes_at)}",
            f"Intake {edition.intake_opens_at:%Y-%m-%d} – {edition.intake_closes_at:%Y-%m-%d}",
        )
    )
    with st.form("admin_edition"):
        name = st.text_input(_ui.t("ชื่อ", "Name"), value=edition.name, key=f"admin_ed_name_{edition.id}")
        phase = st.selectbox(
            _ui.t("ขั้นตอน", "Phase"),
            list(Phase),
            index=list(Phase).index(edition.phase),
            format_func=lambda p: _ui.label(contest_phrases.PHASE, p),
            key=f"admin_ed_phase_{edition.id}",
        )
        if st.form_submit_button(_ui.t("บันทึก", "Save")):
            with _ui.guard(), _ui.db() as session:
                update_edition(session=session, edition_id=edition.id, name=name, phase=phase, actor=acc.username)
                st.rerun()

    with (
        st.expander(
            _ui.t(
                "สร้างรุ่นการประกวดปีถัดไป (คัดลอกเกณฑ์และแผนรางวัล)",
                "Start next year's edition (criteria and award plan copied)",
            )
        ),
        st.form("admin_new_edition"),
    ):
        c1, c2 = st.columns([3, 1])
        new_year = c2.number_input(_ui.t("ปี พ.ศ.", "Year (BE)"), 2560, 2700, edition.year_be + 1, key="admin_new_year")
        new_name = c1.text_input(
            _ui.t("ชื่อ", "Name"), value=f"รางวัลท้องถิ่นดิจิทัล ประจำปี {edition.year_be + 1}", key="admin_new_name"
        )
        c1, c2 = st.columns(2)
        opens = _dates.date_field(c1, "เปิดรับสมัคร", "Intake opens", value=None, key="admin_new_opens", in_form=True)
        closes = _dates.date_field(c2, "ปิดรับสมัคร", "Intake closes", value=None, key="admin_new_closes", in_form=True)
        st.caption(
            _ui.t(
                "วันที่ต้องเริ่มใช้งานจริงตั้งเป็น 6 เดือนก่อนวันปิดรับสมัครโดยอัตโนมัติ; รุ่นใหม่เริ่มเป็น 'ร่าง'",
                "The go-live cut-off is six months before intake closes; the new edition starts as a draft.",
            )
        )
        if st.form_submit_button(_ui.t("สร้าง", "Create")):
            if opens is None or closes is None:
                st.error(_ui.t("กรุณาเลือกวันเปิดและปิดรับสมัคร", "Choose the intake dates."))
            else:
                with _ui.guard(), _ui.db() as session:
                    created = create_next_edition(
                        session=session,
                        source_id=edition.id,
                        name=new_name,
                        year_be=int(new_year),
                        intake_opens_on=opens,
                        intake_closes_on=closes,
                        actor=acc.username,
                    )
                    st.session_state["admin_select_next"] = created.id
                    st.session_state["admin_flash"] = _ui.t(
                        f"สร้าง {created.name} แล้ว (ร่าง) — เปลี่ยนขั้นตอนเป็น 'เปิดรับสมัคร' เมื่อพร้อม",
                        f"Created {created.name} as a draft.",
                    )
                    st.rerun()

with tab_crit:
    total = edition.max_total
    (st.success if total == 100 else st.warning)(
        _ui.t(f"คะแนนเต็มรวม {total} คะแนน", f"Scored criteria add up to {total} points")
    )
    st.dataframe(
        [
            {
                "#": c.position,
                _ui.t("รหัส", "Code"): c.code,
                _ui.t("เกณฑ์", "Criterion"): c.title(_ui.lang()),
                _ui.t("คะแนนเต็ม", "Max"): c.max_points,
                _ui.t("คิดคะแนน", "Scored"): "✓" if c.scored else "—",
            }
            for c in edition.criteria
        ],
        hide_index=True,
        width="stretch",
        key="admin_crit_table",
    )
    with st.form("admin_criterion"):
        st.caption(_ui.t("เพิ่มเกณฑ์ใหม่ หรือใส่รหัสเดิมเพื่อแก้ไข", "Add a criterion, or give an existing code to edit it"))
        c1, c2, c3 = st.columns([1, 1, 1])
        code = c1.text_input(_ui.t("รหัส", "Code"), key="admin_crit_code")
        max_points = c2.number_input(_ui.t("คะแนนเต็ม", "Max points"), 0, 100, 10, key="admin_crit_max")
        scored = c3.checkbox(_ui.t("คิดคะแนน", "Scored"), value=True, key="admin_crit_scored")
        title_th = st.text_input(_ui.t("ชื่อเกณฑ์ (ไทย)", "Title (Thai)"), key="admin_crit_th")
        title_en = st.text_input(_ui.t("ชื่อเกณฑ์ (อังกฤษ)", "Title (English)"), key="admin_crit_en")
        guidance = st.text_area(_ui.t("คำแนะนำ", "Guidance"), key="admin_crit_guidance")
        if st.form_submit_button(_ui.t("บันทึกเกณฑ์", "Save criterion")):
            with _ui.guard(), _ui.db() as session:
                save_criterion(
                    session=session,
                    edition_id=edition.id,
                    code=code,
                    title_th=title_th,
                    title_en=title_en,
                    max_points=int(max_points),
                    guidance_th=guidance,
                    scored=scored,
                    actor=acc.username,
                )
                st.rerun()
    victim = st.selectbox(
        _ui.t("ลบเกณฑ์", "Delete a criterion"),
        [None, *edition.criteria],
        key="admin_crit_del",
        format_func=lambda c: "—" if c is None else f"{c.code}: {c.title(_ui.lang())[:60]}",
    )
    if victim is not None and st.button(_ui.t("ลบ", "Delete"), key="admin_crit_del_btn"):
        with _ui.guard(), _ui.db() as session:
            delete_criterion(session=session, criterion_id=victim.id, actor=acc.username)
            st.rerun()

with tab_users:
    st.dataframe(
        [
            {
                _ui.t("ชื่อผู้ใช้", "Username"): a.username,
                _ui.t("ชื่อ", "Name"): a.display_name,
                _ui.t("บทบาท", "Role"): _ui.label(ROLE, a.role),
                _ui.t("หน่วยงาน", "Agency"): a.agency,
                _ui.t("ใช้งาน", "Active"): "✓" if a.active else "—",
            }
            for a in accounts
        ],
        hide_index=True,
        width="stretch",
        key="admin_users_table",
    )
    with st.form("admin_user_add", clear_on_submit=True):
        st.caption(_ui.t("เพิ่มผู้ใช้", "Add a user"))
        c1, c2, c3 = st.columns(3)
        username = c1.text_input(_ui.t("ชื่อผู้ใช้", "Username"), key="admin_user_name")
        display = c2.text_input(_ui.t("ชื่อที่แสดง", "Display name"), key="admin_user_display")
        role = c3.selectbox(
            _ui.t("บทบาท", "Role"), list(Role), key="admin_user_role", format_func=lambda r: _ui.label(ROLE, r)
        )
        c1, c2, c3 = st.columns(3)
        agency = c1.text_input(_ui.t("หน่วยงาน", "Agency"), key="admin_user_agency")
        email = c2.text_input(_ui.t("อีเมล (สำหรับ SSO)", "E-mail (for SSO)"), key="admin_user_email")
        password = c3.text_input(_ui.t("รหัสผ่านเริ่มต้น", "Initial password"), type="password", key="admin_user_password")
        if st.form_submit_button(_ui.t("เพิ่ม", "Add")) and role is not None:
            with _ui.guard(), _ui.db() as session:
                auth.create_user(
                    session=session,
                    username=username,
                    display_name=display,
                    role=role,
                    password=password,
                    agency=agency,
                    email=email,
                    actor=acc.username,
                )
                st.rerun()
    # Options are ids, not Account objects: toggling changes the object, and the selection must stay on it.
    others = {a.id: a for a in accounts if a.id != acc.id}
    target_id = st.selectbox(
        _ui.t("เปิด/ปิดการใช้งานบัญชี", "Enable or disable an account"),
        list(others),
        key="admin_user_target",
        format_func=lambda i: f"{others[i].username} ({'✓' if others[i].active else '—'})",
    )
    if target_id is not None and st.button(_ui.t("สลับสถานะ", "Toggle"), key="admin_user_toggle"):
        with _ui.guard(), _ui.db() as session:
            auth.set_active(session=session, user_id=target_id, active=not others[target_id].active, actor=acc.username)
            st.rerun()
