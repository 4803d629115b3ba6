"""Illustrative material for the demo's 45 works: a short deck along the guide's topics, a scanned-form stand-in,
and the contacts and step-7 answers an applicant would give, all fictional and marked as such."""

from __future__ import annotations

import io
import random

from pptx import Presentation
from pptx.util import Inches, Pt
from pypdf import PdfWriter

from services.intake import phrases
from services.intake import questionnaire as q

NOTE = "ข้อมูลสาธิต: เนื้อหานี้เป็นตัวอย่างที่ระบบสร้างขึ้น ไม่ใช่เอกสารจริงของหน่วยงาน"
TOPIC_SLIDES: tuple[tuple[str, str], ...] = (
    ("วัตถุประสงค์ของโครงการ", "ลดเวลาการให้บริการ เพิ่มความโปร่งใส และสร้างการมีส่วนร่วมของประชาชน"),
    ("นโยบายและวิสัยทัศน์ของผู้บริหาร", "อยู่ในแผนยุทธศาสตร์ประจำปีและแผนพัฒนาท้องถิ่น"),
    ("ปัญหา (Pain point)", "ประชาชนต้องเดินทางมาติดต่อที่สำนักงานหลายครั้ง เอกสารซ้ำซ้อน"),
    ("กลไกการทำงาน (Solution)", "ระบบออนไลน์เชื่อมกับงานของสำนักงาน ใช้บุคลากรและอุปกรณ์ที่มีอยู่"),
    ("ความริเริ่มสร้างสรรค์และรูปแบบการพัฒนา", "รูปแบบการพัฒนาและผู้ร่วมพัฒนา"),
    ("เป้าหมายและผลสัมฤทธิ์", "ก่อนดำเนินโครงการ เป้าหมาย และผลลัพธ์หลังดำเนินโครงการ"),
    ("Roadmap แผนพัฒนาต่อยอด", "ช่วง 3–6 เดือน และช่วง 6 เดือนถึง 1 ปี พร้อมหน่วยงานรับผิดชอบ"),
    ("การมีส่วนร่วมและผลตอบรับจากประชาชน", "ผลสำรวจความพึงพอใจของผู้ใช้บริการ"),
    ("ชุดข้อมูลที่เปิดเผย", "ชุดข้อมูลบน data.go.th ในรูปแบบ CSV"),
    ("ช่องทางการสื่อสารและประชาสัมพันธ์", "LINE Official Account, Facebook, เว็บไซต์ของหน่วยงาน"),
    ("เครื่องมือดิจิทัลที่ใช้งาน", "ระบบสารบรรณอิเล็กทรอนิกส์ ระบบรับเรื่องร้องเรียนออนไลน์"),
    ("ข้อจำกัดและอุปสรรค", "งบประมาณและบุคลากรด้านเทคโนโลยีมีจำกัด"),
    ("สมาชิกในทีมพัฒนา", "หัวหน้าโครงการ นักวิชาการคอมพิวเตอร์ และเจ้าหน้าที่ผู้ใช้งาน"),
)
GOALS_TABLE = (
    ("ตัวชี้วัด", "ก่อนดำเนินโครงการ", "เป้าหมาย", "หลังดำเนินโครงการ"),
    ("จำนวนคนใช้บริการ (คน/เดือน)", "120", "300", "340"),
    ("จำนวนธุรกรรม (รายการ/เดือน)", "150", "400", "420"),
    ("ระยะเวลาต่อรายการ (นาที)", "45", "15", "12"),
)


def demo_deck(number: int, title: str, organisation: str) -> bytes:
    """A deck of 9-14 slides; each work leaves out a different few topics, so the checklists differ."""
    rng = random.Random(f"deck-{number}")
    topics = [t for t in TOPIC_SLIDES if rng.random() > 0.15]
    prs = Presentation()
    cover = prs.slides.add_slide(prs.slide_layouts[0])
    cover.shapes.title.text = title
    cover.placeholders[1].text = f"{organisation}\nรางวัลท้องถิ่นดิจิทัล ประจำปี 2564\n{NOTE}"
    for heading, body in topics:
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = heading
        slide.placeholders[1].text = f"{body}\n{NOTE}"
        if heading.startswith("เป้าหมาย"):
            table = slide.shapes.add_table(len(GOALS_TABLE), 4, Inches(0.5), Inches(4.2), Inches(9), Inches(1.6))
            for r, row in enumerate(GOALS_TABLE):
                for c, text in enumerate(row):
                    cell = table.table.cell(r, c)
                    cell.text = text
                    cell.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def demo_signed_form() -> bytes:
    """A one-page PDF without text, as a scanned, signed form arrives."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- contacts and answers -------------------------------------------------------------------------------------------

FICTIONAL = "(สมมติ)"
FIRST_NAMES = ("สมชาย", "สมหญิง", "วิไลวรรณ", "ประเสริฐ", "กนกพร", "ธนากร", "อรุณี", "สุรชัย", "พิมพ์ชนก", "วีระพงษ์")
LAST_NAMES = ("ใจดี", "รักถิ่น", "มั่นคง", "ศรีสุข", "บุญมา", "แก้วประเสริฐ", "ทองดี", "สายใจ", "พัฒนกุล", "วงศ์ไทย")
HEADS = {
    "อบจ.": "นายกองค์การบริหารส่วนจังหวัด",
    "ทน.": "นายกเทศมนตรีนคร",
    "ทม.": "นายกเทศมนตรีเมือง",
    "ทต.": "นายกเทศมนตรีตำบล",
    "อบต.": "นายกองค์การบริหารส่วนตำบล",
}


def demo_person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {FICTIONAL}"


def demo_contacts(number: int, org_type: str, place: str) -> dict[str, object]:
    """The submitter (the organisation's head) and a coordinator: fictional names, a phone number of the 02-000
    block and an address at .invalid, which no mail server will ever accept (the outbox shows what would go out)."""
    rng = random.Random(f"contacts-{number}")
    return {
        "submitter_name": demo_person(rng),
        "submitter_position": f"{HEADS.get(org_type, 'ผู้บริหาร')}{place}",
        "submitter_has_signing_authority": True,
        "coordinator_name": demo_person(rng),
        "coordinator_phone": f"02-000-{number:04d}",
        "coordinator_email": f"coordinator-{number:02d}@demo.invalid",
    }


def demo_answers(number: int, title: str) -> dict[str, object]:
    """Step-7 answers of the shape the questionnaire stores, varied per work (what judges read beside the sheet and
    what the checklist criteria's suggestions are computed from)."""
    rng = random.Random(f"answers-{number}")
    tools = sorted(rng.sample(list(phrases.DIGITAL_TOOL), rng.randint(2, 6)))
    channels = sorted(rng.sample(list(phrases.COMMUNICATION_CHANNEL), rng.randint(2, 6)))
    people = rng.randrange(80, 400, 10)
    minutes = rng.randrange(20, 90, 5)

    def goal(code: str, before: float, target: float, after: float) -> q.GoalRow:
        return q.GoalRow(code=code, label=phrases.GOAL_ROW[code][0], before=before, target=target, after=after)

    goals = [
        goal("people_per_month", people, people * 2, round(people * rng.uniform(1.6, 2.6))),
        goal("transactions_per_month", people * 2, people * 4, round(people * rng.uniform(3.2, 5.0))),
        goal("minutes_per_transaction", minutes, max(5, minutes // 3), max(5, round(minutes / rng.uniform(2.2, 4.0)))),
    ]
    answers = q.Answers(
        digital_tools=tools,
        communication_channels=channels,
        datasets=[
            q.DataSet(
                name=f"สถิติการใช้บริการ{title[:40]} {FICTIONAL}",
                on_data_go_th=True,
                url=f"https://data.go.th/dataset/demo-ldaward-2564-{number:02d}",
            )
        ],
        goals=goals,
        participation="ประชาชนร่วมออกแบบขั้นตอนผ่านเวทีประชาคมหมู่บ้านและแบบสอบถามออนไลน์ " + FICTIONAL,
        feedback=f"ผลสำรวจความพึงพอใจของผู้ใช้บริการ {rng.randint(82, 96)}% พึงพอใจมากถึงมากที่สุด " + FICTIONAL,
        roadmap=[
            q.RoadmapPeriod(period="3_6_months", plan="ขยายบริการให้ครบทุกหมู่บ้าน", responsible_unit="สำนักปลัด"),
            q.RoadmapPeriod(
                period="6_12_months",
                plan="เชื่อมข้อมูลกับหน่วยงานภาครัฐอื่นและเปิดเผยข้อมูลเพิ่ม",
                responsible_unit="กองยุทธศาสตร์และงบประมาณ",
            ),
        ],
        limitations="งบประมาณและบุคลากรด้านเทคโนโลยีมีจำกัด ประชาชนสูงวัยบางส่วนยังไม่คุ้นเคยกับบริการออนไลน์",
        team=[
            q.TeamMember(name=demo_person(rng), role="หัวหน้าโครงการ"),
            q.TeamMember(name=demo_person(rng), role="นักวิชาการคอมพิวเตอร์"),
            q.TeamMember(name=demo_person(rng), role="เจ้าหน้าที่ผู้ใช้งาน"),
        ],
    )
    return q.dump_answers(answers)
