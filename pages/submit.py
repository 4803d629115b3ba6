"""Public submission page: the call's steps one at a time, a draft saved at each, then step 7's questions."""

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import streamlit as st
from sqlmodel import Session

from models import AttachmentKind, OrgType, SubmissionStatus
from pages import _dates, _ui
from services.contest import papers
from services.intake import access as intake_access
from services.intake import files, flow, phrases, records
from services.intake import questionnaire as q
from services.platform import ratelimit, text_limits
from services.platform.errors import DomainError
from services.platform.phrases import Label
from services.platform.safe_text import md
from services.platform.settings import get_settings
from services.thai import geo
from services.thai.collation import thai_sorted
from services.thai.dates import format_thai_date, format_thai_datetime

# The services' length limits, echoed in the widgets (text_limits.LIMITS); the services enforce them either way.
CAP = {field: limit.max_chars for field, limit in text_limits.LIMITS.items()}
MAX_GOAL = text_limits.MAX_NUMBER

ACCESS, STEP, FILLED = "submit_access", "submit_step", "submit_filled"
DONE = 7
PROVINCES = thai_sorted(p.name_th for p in geo.PROVINCES)
ORG_TYPES = list(OrgType)

st.title(_ui.t("ส่งผลงานเข้าประกวด", "Submit a project"))

with _ui.db() as session:
    edition = _ui.edition_or_stop(session)
st.caption(
    f"{edition.name} · "
    + _ui.t(
        f"รับสมัครถึง {format_thai_datetime(edition.intake_closes_at)} · "
        f"ผลงานต้องเริ่มใช้งานจริงภายใน {format_thai_date(edition.golive_cutoff)}",
        f"Intake closes {edition.intake_closes_at:%d %B %Y %H:%M} UTC · in real use by {edition.golive_cutoff}",
    )
)


def goto(step: int) -> None:
    st.session_state[STEP] = step
    st.session_state.pop(FILLED, None)


def run(action: Callable[[Session], Any], next_step: int | Callable[[Any], int], notice: tuple[str, str]) -> None:
    """Call a service; on success move on (to next_step, or the step it gives for the result) and rerun, on a domain
    error show it (the guard) and stay."""
    with _ui.guard(), _ui.db() as session:
        result = action(session)
        if isinstance(result, records.Started):
            st.session_state[ACCESS] = result.access
        goto(next_step if isinstance(next_step, int) else next_step(result))
        st.session_state["submit_notice"] = _ui.t(*notice)
        st.rerun()


def stay_if_ineligible(step: int, next_step: int) -> Callable[[Any], int]:
    """The step to go to after saving `step`: the same one while the saved data breaks a rule of the call there, so
    the applicant reads the problem beside the field that causes it (the draft is saved either way)."""

    def choose(result: Any) -> int:
        saved = result.view if isinstance(result, records.Started) else result
        problems = saved.eligibility.at_step(step) if isinstance(saved, records.DraftView) else ()
        return step if any(r.blocking for r in problems) else next_step

    return choose


def show_step_problems(step: int) -> None:
    """The call's rules this step's saved data breaks, each with what to do, where the data is entered (once the
    step has been saved: an empty step is not yet a problem)."""
    if view is None or view.draft_step < step:
        return
    for reason in view.eligibility.at_step(step):
        box = st.error if reason.blocking else st.info
        box(
            _ui.t("คุณสมบัติตามประกาศ: ", "Eligibility: ")
            + reason.message(_ui.lang())
            + "  \n"
            + _ui.t("สิ่งที่ทำได้: ", "What to do: ")
            + reason.fix(_ui.lang()),
            icon=":material/block:" if reason.blocking else ":material/info:",
        )


def counted(start: Callable[[Session], records.Started]) -> Callable[[Session], records.Started]:
    """A new draft, counted against the per-client limit in the same transaction (a refused or failed start counts
    nothing). The client is as _ui.client_id finds it: its address, or this browser session."""
    client = _ui.client_id("submit_browser_id")

    def action(session: Session) -> records.Started:
        limit = ratelimit.new_draft_limit()
        subject = ratelimit.subject_of(session=session, bucket=limit.bucket, client=client)
        ratelimit.hit(session=session, limit=limit, subject=subject)
        return start(session)

    return action


def fill(step: int, values: dict[str, Any]) -> None:
    """Put the saved values into the step's widgets once per visit, so they show what the draft holds."""
    marker = (access.receipt_code if access else "", step)
    if st.session_state.get(FILLED) != marker:
        st.session_state.update(values)
        st.session_state[FILLED] = marker


access: records.Access | None = st.session_state.get(ACCESS)
view: records.DraftView | None = None
if access is not None:
    try:
        with _ui.db() as session:
            view = flow.load(session=session, access=access)
    except DomainError as e:
        _ui.show_error(e)
        st.session_state.pop(ACCESS, None)
        st.stop()
else:
    try:
        with _ui.db() as session:
            intake_access.ensure_open(session=session, edition_id=edition.id)
    except DomainError as e:
        _ui.show_error(e)
        st.stop()

step = int(st.session_state.get(STEP, 1))
if view is None:
    step = 1
elif not view.editable:
    step = DONE
if notice := st.session_state.pop("submit_notice", None):
    st.toast(notice, icon=":material/check_circle:")


def reachable(n: int) -> bool:
    if view is None:
        return n == 1
    if n == DONE:
        return view.confirmed_at is not None
    if n == 6:
        return view.status != SubmissionStatus.draft
    return n <= view.draft_step + 1


# --- the step bar and the receipt ------------------------------------------------------------------------------------

# Keyed so that the phone layout (_ui.SCREEN_CSS) makes it one row that scrolls sideways.
cols = st.container(key="submit_steps").columns(len(phrases.SUBMIT_STEP))
for n, (th, en) in phrases.SUBMIT_STEP.items():
    label = f"{n}. {_ui.t(th, en)}" if n != DONE else _ui.t(th, en)
    if cols[n - 1].button(
        label,
        key=f"submit_goto_{n}",
        disabled=not reachable(n) or (view is not None and not view.editable),
        type="primary" if n == step else "secondary",
        width="stretch",
    ):
        goto(n)
        st.rerun()

if view is not None:
    link = f"my_submission?code={view.receipt_code}&token={access.edit_token if access else ''}"
    st.info(
        _ui.t(
            f"เลขที่ใบรับ **{view.receipt_code}** · {view.short_name} · {view.project.title}",
            f"Receipt **{view.receipt_code}** · {view.short_name} · {view.project.title}",
        ),
        icon=":material/receipt_long:",
    )
    with st.expander(
        _ui.t("ลิงก์และรหัสสำหรับกลับมาทำต่อหรือแก้ไข (เก็บเป็นความลับ)", "Your private link and code to come back"),
        expanded=view.draft_step <= 1 or step == DONE,
    ):
        st.write(
            _ui.t(
                "บันทึกร่างทุกขั้นตอนแล้ว กลับมาทำต่อหรือแก้ไขได้จนถึง ",
                "Every step is saved as a draft. Come back to continue or edit until ",
            )
            + format_thai_datetime(view.deadline)
        )
        st.markdown(f"[{_ui.t('เปิดลิงก์แก้ไขผลงาน', 'Open the edit link')}](/{link})")
        st.code(link, language=None)
        st.caption(
            _ui.t(
                "หรือกรอกเลขที่ใบรับและรหัสแก้ไขนี้ที่หน้า 'ผลงานของฉัน':",
                "Or enter the receipt code and this edit code on the 'My submission' page:",
            )
        )
        st.code(access.edit_token if access else "", language=None)

st.header(f"{step if step != DONE else ''} {_ui.t(*phrases.SUBMIT_STEP[step])}".strip())


# --- the papers of the call's steps 2-3 -----------------------------------------------------------------------------


def paper_downloads(prefilled: bool) -> None:
    """The form to sign and stamp (pre-filled with the draft at the documents step), the guide and the template,
    made from this edition (the PDFs on request: they take LibreOffice seconds). Folded on the first step, so that
    on a phone the form is what the page opens on; open at the documents step, where the form is signed."""
    folded = st.expander(
        _ui.t(
            "ดาวน์โหลดเอกสาร: คู่มือ ใบส่งโครงการ แม่แบบไฟล์นำเสนอ (ขั้นตอนที่ 2–3 ของประกาศ)",
            "Downloads: the guide, the submission form, the presentation template (steps 2–3 of the call)",
        ),
        expanded=prefilled,
        icon=":material/download:",
    )
    with folded, _ui.guard(), _ui.db(read_only=True) as session:
        printables, template = papers.applicant_papers(
            session=session, edition_id=edition.id, access=access if prefilled else None
        )
        for p in printables:
            _ui.printable_downloads(f"submit_paper_{p.key}", p)
        st.download_button(
            _ui.t("แม่แบบไฟล์นำเสนอ (.pptx)", "Presentation template (.pptx)"),
            template.data,
            file_name=template.file_name,
            mime=template.media_type,
            key="submit_paper_template",
            icon=":material/download:",
            on_click="ignore",
        )


# --- step 1: organisation --------------------------------------------------------------------------------------------


def step_organisation() -> None:
    if view is None:
        paper_downloads(prefilled=False)
    if view is not None:
        o = view.organisation
        fill(
            1,
            {
                "submit_org_type": OrgType(o.org_type),
                "submit_org_name": o.org_name,
                "submit_province": o.province,
                "submit_district": o.district,
                "submit_subdistrict": o.subdistrict,
            },
        )
        show_step_problems(1)
    with st.form("submit_org_form"):
        c1, c2 = st.columns([1, 2])
        org_type = c1.selectbox(
            _ui.t("ประเภท อปท.", "Type"),
            ORG_TYPES,
            key="submit_org_type",
            format_func=lambda o: f"{o.value} {phrases.ORG_TYPE[o][0]}".strip(),
        )
        org_name = c2.text_input(
            _ui.t("ชื่อหน่วยงาน (ไม่ต้องใส่ประเภท เช่น ท่าคันโท)", "Name without the type (e.g. ท่าคันโท)"),
            key="submit_org_name",
            max_chars=CAP["org_name"],
        )
        c3, c4, c5 = st.columns(3)
        province = c3.selectbox(
            _ui.t("จังหวัด", "Province"),
            PROVINCES,
            index=None,
            key="submit_province",
            placeholder=_ui.t("เลือกจังหวัด", "Choose"),
        )
        district = c4.text_input(_ui.t("อำเภอ", "District"), key="submit_district", max_chars=CAP["district"])
        subdistrict = c5.text_input(
            _ui.t("ตำบล", "Subdistrict"), key="submit_subdistrict", max_chars=CAP["subdistrict"]
        )
        saved = st.form_submit_button(_ui.t("บันทึกและไปขั้นถัดไป", "Save and continue"), type="primary")
    if saved:
        org = records.OrganisationStep(org_type.value, org_name, province or "", district, subdistrict)
        if access is None:
            run(
                counted(lambda s: flow.start(session=s, edition_id=edition.id, organisation=org)),
                2,
                ("บันทึกร่างแล้ว และออกเลขที่ใบรับให้แล้ว", "Draft saved; your receipt code is ready"),
            )
        else:
            run(
                lambda s: flow.save_organisation(session=s, access=access, organisation=org),
                stay_if_ineligible(1, 2),
                ("บันทึกแล้ว", "Saved"),
            )


# --- step 2: submitter and coordinator -------------------------------------------------------------------------------


def step_contacts() -> None:
    assert view is not None and access is not None
    c = view.contacts
    fill(
        2,
        {
            "submit_submitter_name": c.submitter_name,
            "submit_submitter_position": c.submitter_position,
            "submit_authority": c.submitter_has_signing_authority,
            "submit_coordinator_name": c.coordinator_name,
            "submit_coordinator_phone": c.coordinator_phone,
            "submit_coordinator_email": c.coordinator_email,
        },
    )
    st.caption(
        _ui.t(
            "ข้อมูลส่วนบุคคลนี้ใช้เพื่อการติดต่อ เปิดให้เฉพาะผู้จัดงาน ไม่แสดงต่อกรรมการหรือสาธารณะ",
            "These personal details are for contact only: organisers see them, judges and the public do not.",
        )
    )
    with st.form("submit_contacts_form"):
        c1, c2 = st.columns(2)
        name = c1.text_input(
            _ui.t("ชื่อ-นามสกุล ผู้ส่งโครงการ (ผู้มีอำนาจลงนาม)", "Submitter (with signing authority)"),
            key="submit_submitter_name",
            max_chars=CAP["submitter_name"],
        )
        position = c2.text_input(
            _ui.t("ตำแหน่ง", "Position"), key="submit_submitter_position", max_chars=CAP["submitter_position"]
        )
        authority = st.checkbox(
            _ui.t(
                "ผู้ส่งโครงการเป็นผู้มีอำนาจลงนามของหน่วยงาน และลงนามพร้อมตราประทับในใบส่งโครงการ",
                "The submitter has signing authority and signs the form with the seal",
            ),
            key="submit_authority",
        )
        c1, c2, c3 = st.columns(3)
        coordinator = c1.text_input(
            _ui.t("ชื่อผู้ประสานงาน", "Coordinator"), key="submit_coordinator_name", max_chars=CAP["coordinator_name"]
        )
        phone = c2.text_input(
            _ui.t("โทรศัพท์", "Phone"), key="submit_coordinator_phone", max_chars=CAP["coordinator_phone"]
        )
        email = c3.text_input(
            _ui.t("อีเมล", "E-mail"), key="submit_coordinator_email", max_chars=CAP["coordinator_email"]
        )
        saved = st.form_submit_button(_ui.t("บันทึกและไปขั้นถัดไป", "Save and continue"), type="primary")
    if saved:
        contacts = records.ContactsStep(name, position, coordinator, phone, email, authority)
        run(lambda s: flow.save_contacts(session=s, access=access, contacts=contacts), 3, ("บันทึกแล้ว", "Saved"))


# --- step 3: project -------------------------------------------------------------------------------------------------


def step_project() -> None:
    assert view is not None and access is not None
    p = view.project
    initiative = None if p.is_new_initiative is None else ("new" if p.is_new_initiative else "extension")
    fill(
        3,
        {
            "submit_title": p.title,
            "submit_category": p.category or records.CATEGORIES[0],
            "submit_golive": p.golive_date,
            "submit_initiative": initiative,
            "submit_earlier_name": p.earlier_project_name,
            "submit_earlier_year": p.earlier_project_year_be,
            "submit_developed_by": p.developed_by or None,
            "submit_partner_name": p.partner_name,
            "submit_partner_province": p.partner_province or None,
            "submit_digital": p.digital_declared,
        },
    )
    show_step_problems(3)
    with st.form("submit_project_form"):
        title = st.text_input(_ui.t("ชื่อโครงการ", "Project title"), key="submit_title", max_chars=CAP["title"])
        c1, c2 = st.columns(2)
        category = c1.selectbox(_ui.t("ประเภทผลงาน", "Category"), records.CATEGORIES, key="submit_category")
        golive = _dates.date_field(
            c2,
            "วันที่เริ่มใช้งานจริง",
            "In real use since",
            min_value=date(2000, 1, 1),
            key="submit_golive",
            in_form=True,
            help_th=f"ต้องไม่เกิน {format_thai_date(edition.golive_cutoff)} · เช่น 1 ก.พ. 2564 คือ 01/02/2021",
            help_en=f"On or before {edition.golive_cutoff:%d/%m/%Y}, as DD/MM/YYYY.",
        )
        kind = st.radio(
            _ui.t("โครงการนี้เป็นโครงการที่", "This project is"),
            list(phrases.INITIATIVE),
            key="submit_initiative",
            format_func=lambda k: _ui.label(phrases.INITIATIVE, k),
            horizontal=True,
        )
        c1, c2 = st.columns([3, 1])
        earlier = c1.text_input(
            _ui.t("ถ้าต่อยอด: ชื่อผลงาน/โครงการเดิม", "If an extension: the earlier project"),
            key="submit_earlier_name",
            max_chars=CAP["earlier_project_name"],
        )
        earlier_year = c2.number_input(
            _ui.t("ริเริ่มเมื่อปี พ.ศ.", "Started (BE year)"),
            min_value=2500,
            max_value=2700,
            step=1,
            key="submit_earlier_year",
        )
        developed = st.radio(
            _ui.t("รูปแบบการพัฒนา", "Developed"),
            list(phrases.DEVELOPED_BY),
            key="submit_developed_by",
            format_func=lambda k: _ui.label(phrases.DEVELOPED_BY, k),
            horizontal=True,
        )
        c1, c2 = st.columns(2)
        partner = c1.text_input(
            _ui.t("ถ้าร่วมพัฒนา: ชื่อผู้ร่วมพัฒนา", "If with a partner: its name"),
            key="submit_partner_name",
            max_chars=CAP["partner_name"],
        )
        partner_province = c2.selectbox(
            _ui.t("จังหวัดของผู้ร่วมพัฒนา", "Partner's province"),
            PROVINCES,
            index=None,
            key="submit_partner_province",
            placeholder=_ui.t("เลือกจังหวัด", "Choose"),
        )
        digital = st.checkbox(
            _ui.t(
                "ผลงานนี้เป็นนวัตกรรมที่นำเทคโนโลยีดิจิทัลมาประยุกต์ใช้ในกระบวนการทำงานของภาครัฐ",
                "This work applies digital technology to a government work process",
            ),
            key="submit_digital",
        )
        saved = st.form_submit_button(_ui.t("บันทึกและไปขั้นถัดไป", "Save and continue"), type="primary")
    if saved:
        project = records.ProjectStep(
            title,
            category,
            golive if isinstance(golive, date) else None,
            None if kind is None else kind == "new",
            earlier,
            int(earlier_year) if earlier_year is not None else None,
            developed or "",
            partner,
            partner_province or "",
            digital,
        )
        run(
            lambda s: flow.save_project(session=s, access=access, project=project),
            stay_if_ineligible(3, 4),
            ("บันทึกแล้ว", "Saved"),
        )


# --- step 4: documents -----------------------------------------------------------------------------------------------


def show_files(v: records.DraftView) -> None:
    for a in v.attachments:
        what = _ui.t("ไฟล์นำเสนอ", "Deck") if a.kind == AttachmentKind.deck else _ui.t("ใบส่งโครงการ", "Signed form")
        st.write(f":material/attach_file: {what}: **{md(a.original_name)}** ({a.size / 1024:,.0f} KB)")
        show_analysis(v, a.kind)


def show_analysis(v: records.DraftView, kind: AttachmentKind) -> None:
    """What the intake found in a stored document: the deck's guide topics, the form's pages."""
    for a in (a for a in v.attachments if a.kind == kind):
        if a.kind == AttachmentKind.deck and a.analysis:
            st.caption(
                _ui.t(
                    f"{a.analysis['slide_count']} สไลด์ · หัวข้อตามคำแนะนำ: ",
                    f"{a.analysis['slide_count']} slides · guide topics: ",
                )
                + " · ".join(files.coverage_lines(a.analysis, _ui.lang()))
            )
        elif a.analysis:
            st.caption(
                _ui.t(f"{a.analysis['page_count']} หน้า · ", f"{a.analysis['page_count']} page(s) · ")
                + (
                    _ui.t("ไฟล์สแกน (ไม่มีข้อความ)", "a scan (no text)")
                    if a.analysis["is_scan"]
                    else _ui.t("มีข้อความ", "has text")
                )
            )


# Streamlit's uploader writes its button ("Upload"), its limit line ("60MB per file • PPTX ...", the server's
# ceiling, not our limits) and its drag message ("Drag and drop a file here", the lone span of the overlay shown
# while a file is dragged over) in English only. Their text is replaced here and the limits are stated in our own
# labels; the uploader's file input, its chips and its drop zone work as before.
UPLOADER_CSS = """<style>
[data-testid="stFileUploaderDropzoneInstructions"] {display: none;}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {display: none;}
[data-testid="stFileUploaderDropzone"] button > div::after {content: "%s"; margin-left: .4rem;}
[data-testid="stFileUploaderDropzone"] > div:not([data-testid]) > span:only-child {font-size: 0; visibility: hidden;}
[data-testid="stFileUploaderDropzone"] > div:not([data-testid]) > span:only-child::after {content: "%s";
  font-size: 1rem; visibility: visible;}
</style>"""


def uploader(kind: AttachmentKind, label: tuple[str, str], limit_mb: int, types: list[str], key: str) -> Any:
    """One document's uploader, labelled with its limit; when the draft already holds that document it says so,
    and the uploader only replaces it (sending again is not needed)."""
    stored = next((a for a in view.attachments if a.kind == kind), None) if view else None
    allowed = ", ".join(f".{t}" for t in types)
    if stored is not None:
        st.success(
            _ui.t(
                f"{label[0]}: เก็บไว้แล้ว **{md(stored.original_name)}** ({stored.size / 1024:,.0f} KB) "
                "ไม่ต้องส่งใหม่ หากต้องการเปลี่ยน เลือกไฟล์ใหม่ด้านล่าง",
                f"{label[1]}: stored **{md(stored.original_name)}** ({stored.size / 1024:,.0f} KB). No need "
                "to send it again; choose a new file below only to replace it.",
            ),
            icon=":material/task:",
        )
    title = (
        _ui.t(f"เปลี่ยน{label[0]} (ไม่บังคับ)", f"Replace the {label[1].lower()} (optional)") if stored else _ui.t(*label)
    )
    return st.file_uploader(
        f"{title} · " + _ui.t(f"{allowed} ไม่เกิน {limit_mb} MB", f"{allowed}, up to {limit_mb} MB"), key=key, type=types
    )


def step_documents() -> None:
    assert view is not None and access is not None
    paper_downloads(prefilled=True)
    st.html(UPLOADER_CSS % (_ui.t("เลือกไฟล์", "Choose a file"), _ui.t("วางไฟล์ที่นี่", "Drop the file here")))
    settings = get_settings()
    with st.form("submit_docs_form"):
        deck = uploader(
            AttachmentKind.deck,
            ("ไฟล์นำเสนอ PowerPoint", "Presentation"),
            settings.max_deck_mb,
            ["pptx", "ppt", "pptm"],
            "submit_deck",
        )
        show_analysis(view, AttachmentKind.deck)
        signed = uploader(
            AttachmentKind.signed_form,
            ("ใบส่งโครงการที่ลงนามและประทับตราแล้ว", "Signed submission form"),
            settings.max_form_mb,
            ["pdf", "jpg", "jpeg", "png"],
            "submit_signed",
        )
        show_analysis(view, AttachmentKind.signed_form)
        both = {a.kind for a in view.attachments} >= set(AttachmentKind)
        saved = st.form_submit_button(
            _ui.t("บันทึกและไปขั้นถัดไป", "Save and continue")
            if both
            else _ui.t("อัปโหลดและไปขั้นถัดไป", "Upload and continue"),
            type="primary",
        )
    if saved:
        uploads = {
            k: records.Upload(f.name, f.getvalue()) if f is not None else None
            for k, f in (("deck", deck), ("signed_form", signed))
        }
        client = _ui.client_id("submit_browser_id")
        run(
            lambda s: flow.save_documents(
                session=s, access=access, deck=uploads["deck"], signed_form=uploads["signed_form"], client=client
            ),
            5,
            ("อัปโหลดแล้ว", "Uploaded"),
        )


# --- step 5: summary, eligibility, declarations, send ----------------------------------------------------------------


def show_eligibility(v: records.DraftView) -> None:
    e = v.eligibility
    text = e.summary(_ui.lang())
    (st.success if e.eligible else st.error if e.verdict == "ineligible" else st.info)(
        _ui.t("คุณสมบัติตามประกาศ: ", "Eligibility: ") + text
    )


def step_send() -> None:
    assert view is not None and access is not None
    p = view.project
    st.write(f"**{p.title}** — {view.full_name} จ.{view.organisation.province}")
    st.write(
        _ui.t(
            f"ผู้ส่งโครงการ: {view.contacts.submitter_name} ({view.contacts.submitter_position}) · "
            f"ผู้ประสานงาน: {view.contacts.coordinator_name}",
            f"Submitter: {view.contacts.submitter_name} ({view.contacts.submitter_position}) · "
            f"coordinator: {view.contacts.coordinator_name}",
        )
    )
    show_files(view)
    show_eligibility(view)
    fill(5, {f"submit_decl_{code}": bool(view.declarations.get(code)) for code in phrases.DECLARATION})
    with st.form("submit_send_form"):
        st.markdown(_ui.t("**ข้าพเจ้ายอมรับดังนี้**", "**I accept the following**"))
        declarations = {
            code: st.checkbox(_ui.label(phrases.DECLARATION, code), key=f"submit_decl_{code}")
            for code in phrases.DECLARATION
        }
        sent = st.form_submit_button(_ui.t("ส่ง", "Send"), type="primary")
    if sent:
        run(
            lambda s: flow.send(session=s, access=access, declarations=declarations),
            6,
            ("ส่งแล้ว ต่อไปกรุณาตอบคำถามและกดยืนยัน", "Sent. Now answer the questions and confirm"),
        )


# --- step 6 (the call's step 7): questionnaire and confirm -----------------------------------------------------------


def _checklist(options: Mapping[str, Label], prefix: str) -> list[str]:
    cols = st.columns(2)
    return [
        code for i, code in enumerate(options) if cols[i % 2].checkbox(_ui.label(options, code), key=f"{prefix}_{code}")
    ]


def _num(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


def step_questions() -> None:
    assert view is not None and access is not None
    a = view.answers
    goals = {g.code: g for g in a.goals if g.code}
    roadmap = {r.period: r for r in a.roadmap}
    values: dict[str, Any] = {f"submit_q_tool_{c}": c in a.digital_tools for c in phrases.DIGITAL_TOOL}
    values |= {f"submit_q_channel_{c}": c in a.communication_channels for c in phrases.COMMUNICATION_CHANNEL}
    values |= {
        "submit_q_tools_other": ", ".join(a.digital_tools_other),
        "submit_q_channels_other": ", ".join(a.communication_channels_other),
        "submit_q_datasets": "\n".join(f"{d.name} | {d.url}" for d in a.datasets),
        "submit_q_goals_other": "\n".join(
            f"{g.label} | {_num(g.before)} | {_num(g.target)} | {_num(g.after)}" for g in a.goals if not g.code
        ),
        "submit_q_participation": a.participation,
        "submit_q_feedback": a.feedback,
        "submit_q_limitations": a.limitations,
        "submit_q_team": "\n".join(f"{m.name} | {m.role}" for m in a.team),
    }
    for code in phrases.GOAL_ROW:
        row = goals.get(code)
        for column in ("before", "target", "after"):
            values[f"submit_q_goal_{code}_{column}"] = getattr(row, column) if row else None
    for code in phrases.ROADMAP_PERIOD:
        period = roadmap.get(code)
        values[f"submit_q_plan_{code}"] = period.plan if period else ""
        values[f"submit_q_unit_{code}"] = period.responsible_unit if period else ""
    fill(6, values)

    with st.form("submit_q_form"):
        st.markdown(f"**{_ui.label(phrases.QUESTION, 'digital_tools')}**")
        tools = _checklist(phrases.DIGITAL_TOOL, "submit_q_tool")
        tools_other = st.text_input(
            _ui.t("อื่น ๆ (คั่นด้วยจุลภาค)", "Other (comma-separated)"),
            key="submit_q_tools_other",
            max_chars=CAP["other_text"],
        )
        st.markdown(f"**{_ui.label(phrases.QUESTION, 'communication_channels')}**")
        channels = _checklist(phrases.COMMUNICATION_CHANNEL, "submit_q_channel")
        channels_other = st.text_input(
            _ui.t("อื่น ๆ (คั่นด้วยจุลภาค)", "Other (comma-separated)"),
            key="submit_q_channels_other",
            max_chars=CAP["other_text"],
        )
        st.markdown(
            _ui.t(
                "**ชุดข้อมูลที่เปิดเผย** (บรรทัดละชุด: ชื่อชุดข้อมูล | URL เช่น บน data.go.th)",
                "**Published data sets** (one per line: name | URL, e.g. on data.go.th)",
            )
        )
        datasets = st.text_area(
            _ui.t("ชุดข้อมูล", "Data sets"),
            key="submit_q_datasets",
            max_chars=CAP["datasets_text"],
            label_visibility="collapsed",
        )
        st.markdown(f"**{_ui.label(phrases.QUESTION, 'goals')}**")
        heads = st.columns([2, 1, 1, 1])
        for col, column in zip(heads, ("measure", "before", "target", "after"), strict=True):
            col.caption(_ui.label(phrases.COLUMN, column))
        goal_rows = []
        for code, (th, _en) in phrases.GOAL_ROW.items():
            cols = st.columns([2, 1, 1, 1])
            cols[0].write(_ui.label(phrases.GOAL_ROW, code))
            cells = [
                cols[i + 1].number_input(
                    f"{code} {column}",
                    min_value=0.0,
                    max_value=MAX_GOAL,
                    step=1.0,
                    key=f"submit_q_goal_{code}_{column}",
                    label_visibility="collapsed",
                )
                for i, column in enumerate(("before", "target", "after"))
            ]
            goal_rows.append(q.GoalRow(code=code, label=th, before=cells[0], target=cells[1], after=cells[2]))
        goals_other = st.text_area(
            _ui.t(
                "ตัวชี้วัดอื่น ๆ (บรรทัดละแถว: ตัวชี้วัด | ก่อน | เป้าหมาย | หลัง)",
                "Other measures (one per line: measure | before | target | after)",
            ),
            key="submit_q_goals_other",
            max_chars=CAP["goals_text"],
        )
        participation = st.text_area(
            _ui.label(phrases.QUESTION, "participation"), key="submit_q_participation", max_chars=CAP["participation"]
        )
        feedback = st.text_area(
            _ui.label(phrases.QUESTION, "feedback"), key="submit_q_feedback", max_chars=CAP["feedback"]
        )
        st.markdown(f"**{_ui.label(phrases.QUESTION, 'roadmap')}**")
        periods = []
        for code in phrases.ROADMAP_PERIOD:
            c1, c2 = st.columns([3, 1])
            plan = c1.text_area(
                _ui.label(phrases.ROADMAP_PERIOD, code),
                key=f"submit_q_plan_{code}",
                max_chars=CAP["roadmap_plan"],
                height=80,
            )
            unit = c2.text_input(
                _ui.label(phrases.COLUMN, "responsible_unit"),
                key=f"submit_q_unit_{code}",
                max_chars=CAP["responsible_unit"],
            )
            periods.append(q.RoadmapPeriod(period=code, plan=plan, responsible_unit=unit))
        limitations = st.text_area(
            _ui.label(phrases.QUESTION, "limitations"), key="submit_q_limitations", max_chars=CAP["limitations"]
        )
        team = st.text_area(
            _ui.t(
                "สมาชิกในทีมและบทบาท (บรรทัดละคน: ชื่อ | บทบาท) (ไม่คิดคะแนน)",
                "Team members and roles (one per line: name | role) (not scored)",
            ),
            key="submit_q_team",
            max_chars=CAP["team_text"],
        )
        c1, c2 = st.columns(2)
        save = c1.form_submit_button(_ui.t("บันทึกไว้ก่อน", "Save for later"))
        confirm = c2.form_submit_button(_ui.t("ยืนยัน", "Confirm"), type="primary")
    if save or confirm:
        try:
            answers = q.Answers(
                digital_tools=tools,
                digital_tools_other=q.split_lines(tools_other),
                communication_channels=channels,
                communication_channels_other=q.split_lines(channels_other),
                datasets=[q.DataSet(name=n, url=u) for n, u in q.parse_pairs(datasets)],
                goals=[*goal_rows, *q.parse_goal_rows(goals_other)],
                participation=participation,
                feedback=feedback,
                roadmap=periods,
                limitations=limitations,
                team=[q.TeamMember(name=n, role=r) for n, r in q.parse_pairs(team)],
            )
        except DomainError as e:
            _ui.show_error(e)
            return
        run(
            lambda s: flow.save_answers(session=s, access=access, answers=answers, confirm=confirm),
            DONE if confirm else 6,
            ("ยืนยันการส่งผลงานเรียบร้อยแล้ว", "Confirmed") if confirm else ("บันทึกคำตอบแล้ว", "Answers saved"),
        )


# --- done -----------------------------------------------------------------------------------------------------------


def step_done() -> None:
    assert view is not None and access is not None
    if view.confirmed_at is not None:
        st.success(_ui.t("ส่งผลงานเรียบร้อยแล้ว", "Your project has been sent."))
    if not view.editable:
        status = _ui.label(phrases.SUBMISSION_STATUS, view.status)
        st.warning(
            _ui.t(
                f"แก้ไขผลงานนี้ไม่ได้แล้ว (สถานะ: {status}; แก้ไขได้ถึง "
                f"{format_thai_datetime(view.deadline)}) หากต้องการแก้ไขกรุณาติดต่อผู้จัดงาน โทร 02-612-6060",
                f"This submission can no longer be edited (status: {status}; editable until "
                f"{view.deadline:%Y-%m-%d %H:%M} UTC). Contact the organisers to change it.",
            )
        )
    st.header(_ui.t(f"เลขที่ใบรับ: {view.receipt_code}", f"Receipt: {view.receipt_code}"))
    st.write(f"**{view.project.title}** — {view.full_name}")
    if view.submitted_at:
        st.caption(
            _ui.t(f"ส่งเมื่อ {format_thai_datetime(view.submitted_at)}", f"Sent at {view.submitted_at:%Y-%m-%d %H:%M} UTC")
        )
    show_eligibility(view)
    for m in view.missing:
        st.warning(m.message(_ui.lang()))
    if view.editable and st.button(
        _ui.t("ส่งผลงานอื่นอีก", "Submit another project"), key="submit_another", icon=":material/add:"
    ):
        run(
            counted(lambda s: flow.start_another(session=s, access=access)),
            3,
            ("เริ่มผลงานใหม่ ใช้ข้อมูลหน่วยงานและผู้ติดต่อเดิมแล้ว", "New project started with your organisation and contacts"),
        )
    if st.button(_ui.t("เริ่มใหม่สำหรับหน่วยงานอื่น", "Start afresh for another organisation"), key="submit_new"):
        st.session_state.pop(ACCESS, None)
        goto(1)
        st.rerun()


{
    1: step_organisation,
    2: step_contacts,
    3: step_project,
    4: step_documents,
    5: step_send,
    6: step_questions,
    DONE: step_done,
}[step]()
