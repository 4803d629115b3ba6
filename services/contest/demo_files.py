"""Illustrative files for the demo's 45 works: a short deck along the guide's topics and a scanned-form stand-in."""

from __future__ import annotations

import io
import random

from pptx import Presentation
from pptx.util import Inches, Pt
from pypdf import PdfWriter

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
