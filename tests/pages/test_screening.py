"""AppTest of the organisers' screening queue: completeness, eligibility, files with deck coverage, the step-7
answers with suggested points, confirm / reject with a reason / extend — each saved and audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
from factories_files import contest_deck, make_pdf
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from models import AuditEvent, Submission, SubmissionStatus
from services.contest import editions
from services.intake import flow, phrases, records
from services.intake import questionnaire as q
from services.platform import auth
from tests.conftest import PAGE_ON_SQLITE

pytestmark = PAGE_ON_SQLITE

ROOT = Path(__file__).resolve().parents[2]
DURING = datetime(2021, 7, 20, 3, 0, tzinfo=UTC)
DB = Callable[[], Session]


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


def send_one(db: DB, *, title: str, golive: date) -> int:
    with db() as session:
        edition_id = editions.current_edition(session=session).id
        access = flow.start(
            session=session,
            edition_id=edition_id,
            now=DURING,
            organisation=records.OrganisationStep(org_type="ทต.", org_name="บ้านทดสอบ", province="น่าน"),
        ).access
        flow.save_contacts(
            session=session,
            access=access,
            now=DURING,
            contacts=records.ContactsStep(
                "นายผู้ส่ง ทดสอบ", "นายกเทศมนตรี", "นางผู้ประสาน ทดสอบ", "0812345678", "coord@example.go.th", True
            ),
        )
        flow.save_project(
            session=session,
            access=access,
            now=DURING,
            project=records.ProjectStep(title, "GIS", golive, True, developed_by="in_house", digital_declared=True),
        )
        flow.save_documents(
            session=session,
            access=access,
            now=DURING,
            deck=records.Upload("deck.pptx", contest_deck()),
            signed_form=records.Upload("form.pdf", make_pdf("signed")),
        )
        flow.send(session=session, access=access, now=DURING, declarations={c: True for c in phrases.DECLARATION})
        view = flow.save_answers(
            session=session,
            access=access,
            now=DURING,
            confirm=True,
            answers=q.Answers(
                digital_tools=["e_saraban", "gis", "chatbot"], communication_channels=["facebook", "line_oa"]
            ),
        )
        return view.id


def organiser(db: DB) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    with db() as session:
        at.session_state["account"] = auth.authenticate(
            session=session, username="organiser", password="organiser-2564"
        )
    ok(at.run())
    return ok(at.switch_page("pages/submissions.py").run())


def queue_table(at: AppTest) -> pd.DataFrame:
    (table,) = [d.value for d in at.dataframe if "คุณสมบัติ" in d.value.columns]
    return table


def test_queue_flags_an_ineligible_work_with_its_reason_and_never_drops_it(app_env: str, db: DB) -> None:
    good = send_one(db, title="แผนที่ภาษีออนไลน์", golive=date(2020, 6, 1))
    send_one(db, title="เริ่มใช้หลังกำหนด", golive=date(2021, 5, 1))
    at = organiser(db)
    table = queue_table(at)
    assert len(table) == 47
    rows = table.set_index("โครงการ")
    assert rows.loc["แผนที่ภาษีออนไลน์", "ครบถ้วน"] == "✓ ครบ"
    assert rows.loc["แผนที่ภาษีออนไลน์", "คุณสมบัติ"] == "… รอข้อมูลหรือการยืนยัน"
    assert rows.loc["แผนที่ภาษีออนไลน์", "เหตุผล"].startswith("รอผู้จัดงานยืนยัน")
    assert rows.loc["เริ่มใช้หลังกำหนด", "คุณสมบัติ"] == "✗ ไม่มีคุณสมบัติ"
    assert rows.loc["เริ่มใช้หลังกำหนด", "เหตุผล"].startswith("เริ่มใช้งานจริงเมื่อ 1 พฤษภาคม 2564 หลังวันที่กำหนด")
    assert rows.loc["แผนที่ภาษีออนไลน์", "ไฟล์"] == "16 สไลด์ · หัวข้อ 11/13 · ใบส่ง: มีข้อความ"
    assert rows.loc["แผนที่ภาษีออนไลน์", "โทร"] == "0812345678"  # organisers see contacts

    ok(at.multiselect(key="subs_verdicts").set_value(["ineligible"]).run())
    assert list(queue_table(at)["โครงการ"]) == ["เริ่มใช้หลังกำหนด"]
    assert any("1 พฤษภาคม 2564" in e.value for e in at.error)  # the reason, in Thai, in the detail

    ok(at.multiselect(key="subs_verdicts").set_value([]).run())
    ok(at.selectbox(key="subs_pick").set_value(good).run())
    assert any("Roadmap: สไลด์ 14–15" in m.value for m in at.markdown)
    assert any("ชุดข้อมูล: ไม่พบ" in m.value for m in at.markdown)
    suggested = {m.label: m.value for m in at.metric}
    assert suggested["ความพร้อมของเครื่องมือดิจิทัล/ระบบงานอิเล็กทรอนิกส์ที่มีใช้งาน"] == "3 / 5"

    ok(at.button(key="subs_confirm").click().run())
    with db() as session:
        assert session.get(Submission, good).eligibility_confirmed_by == "organiser"
    assert queue_table(at).set_index("โครงการ").loc["แผนที่ภาษีออนไลน์", "คุณสมบัติ"] == "✓ มีคุณสมบัติครบ"


def test_reject_needs_a_reason_and_an_extension_is_saved_and_audited(app_env: str, db: DB) -> None:
    sub_id = send_one(db, title="ระบบที่จะตรวจ", golive=date(2020, 6, 1))
    at = organiser(db)
    ok(at.selectbox(key="subs_pick").set_value(sub_id).run())

    ok(at.button(key="subs_reject").click().run())
    assert any("กรุณาระบุเหตุผลที่ไม่รับผลงาน" in e.value for e in at.error)
    with db() as session:
        assert session.get(Submission, sub_id).status == SubmissionStatus.submitted

    at.date_input(key="subs_ext_day").set_value(date(2021, 8, 3))
    at.text_input(key="subs_ext_reason").input("ระบบอินเทอร์เน็ตของ อปท. ขัดข้อง")
    ok(at.button(key="subs_extend").click().run())
    with db() as session:
        sub = session.get(Submission, sub_id)
        assert sub.deadline_extended_until == datetime(2021, 8, 3, 16, 59, tzinfo=UTC)  # 23:59 in Bangkok
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "submission.extension")).one()
    assert event.actor == "organiser" and event.after["reason"] == "ระบบอินเทอร์เน็ตของ อปท. ขัดข้อง"

    at.text_input(key="subs_reason").input("ไม่ใช่นวัตกรรมดิจิทัล")
    ok(at.button(key="subs_reject").click().run())
    with db() as session:
        sub = session.get(Submission, sub_id)
        assert (sub.status, sub.screening_note) == (SubmissionStatus.rejected, "ไม่ใช่นวัตกรรมดิจิทัล")

    # The organiser thinks again: back to the applicant as a draft, with what to fix (they are told by e-mail).
    at.text_input(key="subs_reason").input("แนบใบส่งโครงการที่ลงนามแล้ว")
    ok(at.button(key="subs_return").click().run())
    with db() as session:
        sub = session.get(Submission, sub_id)
        assert (sub.status, sub.screening_note) == (SubmissionStatus.draft, "แนบใบส่งโครงการที่ลงนามแล้ว")
