"""The 2564 (2021) edition as published: the call's criteria and the announcement's 45 works."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from services.intake.phrases import ORG_TYPE
from services.results.phrases import AWARD_LEVEL

_BKK = ZoneInfo("Asia/Bangkok")

EDITION_NAME = "รางวัลท้องถิ่นดิจิทัล ประจำปี 2564"
EDITION_THEME = "ท้องถิ่นดิจิทัล เปลี่ยนแนวคิด พลิกรูปแบบการทำงาน"
YEAR_BE = 2564
# The call for entries gives the close (31 July 2564); the activity window opened 1 July 2564.
INTAKE_OPENS_AT = datetime(2021, 7, 1, 0, 0, tzinfo=_BKK)
INTAKE_CLOSES_AT = datetime(2021, 7, 31, 23, 59, 59, tzinfo=_BKK)
GOLIVE_CUTOFF = date(2021, 2, 1)
ANNOUNCED_ON = date(2021, 9, 21)

AWARD_PLAN = {
    "levels": [
        {
            "code": "excellent",
            "th": AWARD_LEVEL["excellent"][0],
            "en": AWARD_LEVEL["excellent"][1],
            "count": 1,
            "note_th": "ได้รับรางวัลรัฐบาลดิจิทัล (DG Award) หมวดท้องถิ่นดิจิทัล",
        },
        {"code": "outstanding", "th": AWARD_LEVEL["outstanding"][0], "en": AWARD_LEVEL["outstanding"][1], "count": 7},
    ]
}


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    title_th: str
    title_en: str
    max_points: int
    guidance_th: str
    scored: bool = True


CRITERIA: tuple[CriterionSpec, ...] = (
    CriterionSpec(
        "objectives",
        "วัตถุประสงค์ของโครงการนวัตกรรมดิจิทัลที่ส่งเข้าประกวด มีความชัดเจน เป็นรูปธรรม",
        "Objectives are clear and concrete",
        10,
        "ระบุวัตถุประสงค์ของผลงานที่ส่งเข้าประกวด เช่น เพิ่มขีดความสามารถในการแข่งขันของท้องถิ่น "
        "ลดความเหลื่อมล้ำ สร้างความโปร่งใสตรวจสอบได้ สร้างการมีส่วนร่วมของประชาชน ลดเวลาการทำงาน เป็นต้น",
    ),
    CriterionSpec(
        "policy",
        "นโยบายหรือแผน ตลอดจนวิสัยทัศน์ของผู้บริหาร เกี่ยวกับการนำเทคโนโลยีดิจิทัลมาประยุกต์ใช้ในการทำงาน "
        "หรือให้บริการประชาชน แสดงให้เห็นถึงความสอดคล้องกับความต้องการในพื้นที่อย่างแท้จริง",
        "Policy, plan and executives' vision matching real local needs",
        10,
        "ระบุนโยบายหรือแผนเกี่ยวกับ การนำเทคโนโลยีดิจิทัลมาประยุกต์ใช้ในการทำงานหรือให้บริการประชาชน "
        "ที่มีการระบุไว้ในแผนยุทธศาสตร์ประจำปี หรือเทศบัญญัติ หรือเอกสารอื่น ๆ ที่เกี่ยวข้อง พร้อมทั้งแสดงหลักฐานประกอบ",
    ),
    CriterionSpec(
        "pain_point",
        "ปัญหา (Pain point) และกระบวนการที่ทำให้ทราบถึงปัญหา จนเป็นที่มาของการพัฒนาโครงการนวัตกรรมดิจิทัล"
        "ที่ส่งเข้าประกวดสอดคล้องกับความต้องการทางเศรษฐกิจและสังคมในพื้นที่อย่างไร",
        "Pain point and how it was found, matching local economic and social needs",
        10,
        "อธิบาย ปัญหา สาเหตุของปัญหา ตลอดจนที่มาของการพัฒนาผลงานที่ส่งเข้าประกวด ซึ่งสอดคล้องกับความต้องการ"
        "ทางเศรษฐกิจและสังคมของพื้นที่ อาทิ ปัญหาภายใน เช่น การแก้ไขปัญหาความผิดพลาดจากกระบวนการ ลดความซ้ำซ้อน "
        "หรือ ลดระยะเวลาดำเนินการ ปัญหาภายนอก เช่น แก้ไขปัญหาความต้องการของประชาชน อำนวยความสะดวกแก่ประชาชน",
    ),
    CriterionSpec(
        "solution",
        "กลไกการทำงานของโครงการนวัตกรรมดิจิทัลที่ส่งเข้าประกวด (Solution) มีความเหมาะสมอย่างไร",
        "Solution: how appropriate the working mechanism is",
        10,
        "ชี้ให้เห็นถึงความเหมาะสมของแนวทางหรือกลไกการทำงานต่อการแก้ปัญหา อาทิ งบประมาณในการพัฒนา "
        "การอำนวยความสะดวกเจ้าหน้าที่หรือประชาชนที่รับบริการ การใช้ประโยชน์จากสิ่งที่มีอยู่ เช่น บุคลากร ความรู้ "
        "อุปกรณ์ พันธมิตร การเชื่อมโยงระบบกับหน่วยงานอื่น เทคโนโลยีที่ใช้ เช่น Mobile Application, Chatbot, "
        "Software as a Service",
    ),
    CriterionSpec(
        "character",
        "ลักษณะของโครงการนวัตกรรมดิจิทัลที่ส่งเข้าประกวด: ความริเริ่มสร้างสรรค์ของโครงการ รูปแบบการพัฒนาโครงการ และผู้ร่วมพัฒนา",
        "Character: creativity, development model and co-developers",
        10,
        "ระบุว่าเป็นโครงการที่ริเริ่มขึ้นใหม่ (พร้อมวันที่เริ่มใช้งานจริง) หรือต่อยอดจากผลงานเดิม "
        "และรูปแบบการพัฒนา: พัฒนาโดยบุคลากรภายใน อปท. เอง หรือร่วมพัฒนากับผู้ประกอบการ/สถาบันการศึกษา",
    ),
    CriterionSpec(
        "goals_results",
        "เป้าหมายและผลสัมฤทธิ์ของโครงการนวัตกรรมดิจิทัลที่ส่งเข้าประกวด ความสำเร็จของโครงการ",
        "Goals and achievements; success of the project",
        10,
        "ระบุเป้าหมายและผลลัพธ์: ก่อนดำเนินโครงการ เป้าหมายที่ตั้งไว้ และผลลัพธ์หลังดำเนินโครงการ "
        "(จำนวนคนใช้บริการต่อเดือน จำนวนธุรกรรมต่อเดือน ระยะเวลาที่ใช้ต่อ 1 รายการ และอื่น ๆ)",
    ),
    CriterionSpec(
        "roadmap",
        "แนวทางในการปรับปรุงหรือพัฒนาต่อยอดในอนาคต (Roadmap) มีความยั่งยืน ชัดเจน และเป็นไปได้",
        "Roadmap: sustainable, clear and feasible",
        10,
        "อธิบายแนวทางพัฒนาต่อยอดโดยแบ่งเป็น 2 ช่วง: 3–6 เดือน และ 6 เดือนถึง 1 ปี "
        "มีหน่วยงานรับผิดชอบที่ชัดเจน มีการพัฒนาคุณสมบัติใหม่ ๆ ที่เป็นนวัตกรรมและมีประโยชน์",
    ),
    CriterionSpec(
        "participation",
        "มีการทำงานหรือเผยแพร่ผลงานของโครงการนวัตกรรมดิจิทัลที่ส่งเข้าประกวดร่วมกับกลุ่มประชาชนและเครือข่ายอย่างเหมาะสมเพียงใด",
        "Work and dissemination with citizens and networks",
        10,
        "ชี้แจงพร้อมหลักฐาน: รูปแบบหรือกระบวนการการมีส่วนร่วมของประชาชนหรือหน่วยงานเครือข่าย "
        "และผลตอบรับหรือความพึงพอใจจากผู้ใช้งาน เช่น ผลสำรวจความพึงพอใจ ความคิดเห็นจากผู้ใช้งาน",
    ),
    CriterionSpec(
        "datasets",
        "โครงการนวัตกรรมดิจิทัลที่ส่งเข้าประกวดมีการจัดเก็บและเผยแพร่ชุดข้อมูล อย่างเหมาะสมเพียงใด",
        "Collection and publication of data sets",
        10,
        "ระบุรายชื่อชุดข้อมูลที่เปิดเผยบน data.go.th ในระดับ 3 ดาวขึ้นไป หรือบนเว็บไซต์ของหน่วยงานที่น่าเชื่อถือ "
        "พร้อม URL (3 ดาว: ใช้ได้โดยไม่ต้องขออนุญาต มีโครงสร้างที่เครื่องอ่านได้ ในรูปแบบมาตรฐานเปิด เช่น CSV, JSON, XML, ODS)",
    ),
    CriterionSpec(
        "communication",
        "ช่องทางการสื่อสารและประชาสัมพันธ์ที่ใช้งานอยู่ในปัจจุบันมีความทันสมัยและเหมาะสมเพียงใด",
        "Modern, appropriate communication and PR channels",
        5,
        "เลือกรูปแบบการสื่อสารและประชาสัมพันธ์ที่ใช้งานจากตัวเลือกบนเว็บไซต์ (หลังกดปุ่มส่งใบสมัคร)",
    ),
    CriterionSpec(
        "digital_tools",
        "ความพร้อมของเครื่องมือดิจิทัล/ระบบงานอิเล็กทรอนิกส์ที่มีใช้งาน",
        "Readiness of digital tools and e-systems in use",
        5,
        "เลือกเครื่องมือดิจิทัล/ระบบงานอิเล็กทรอนิกส์ที่ใช้งานจากตัวเลือกบนเว็บไซต์ (หลังกดปุ่มส่งใบสมัคร)",
    ),
    CriterionSpec(
        "limitations",
        "ข้อจำกัด ปัญหา หรืออุปสรรค ที่พบระหว่างดำเนินโครงการ (ไม่คิดคะแนน)",
        "Limitations and problems met (not scored)",
        0,
        "ระบุข้อจำกัด ปัญหา หรืออุปสรรค ที่พบระหว่างดำเนินโครงการ",
        scored=False,
    ),
    CriterionSpec(
        "team",
        "สมาชิกในทีมพัฒนาผลงาน และบทบาทหน้าที่ (ไม่คิดคะแนน)",
        "Team members and their roles (not scored)",
        0,
        "ระบุสมาชิกและหน้าที่ของทีมที่อยู่ในทีมงานในการพัฒนาผลงาน",
        scored=False,
    ),
)

# The committee's member agencies, as the announcement names them.
COMMITTEE_AGENCIES: tuple[tuple[str, str, str], ...] = (
    ("opm", "สำนักนายกรัฐมนตรี", "Office of the Prime Minister"),
    ("opdc", "สำนักงานคณะกรรมการพัฒนาระบบราชการ (กพร.)", "OPDC"),
    ("dla", "กรมส่งเสริมการปกครองส่วนท้องถิ่น (สถ.)", "Department of Local Administration"),
    ("cdd", "กรมการพัฒนาชุมชน (พช.)", "Community Development Department"),
    ("depa", "สำนักงานส่งเสริมเศรษฐกิจดิจิทัล (DEPA)", "Digital Economy Promotion Agency"),
    ("nia", "สำนักงานนวัตกรรมแห่งชาติ (NIA)", "National Innovation Agency"),
    ("tdri", "สถาบันวิจัยเพื่อการพัฒนาประเทศไทย (TDRI)", "Thailand Development Research Institute"),
    ("atsi", "สมาคมอุตสาหกรรมซอฟต์แวร์ไทย (ATSI)", "Thai Software Industry Association"),
    ("ttsa", "สมาคมการค้าเพื่อส่งเสริมผู้ประกอบการเทคโนโลยีรายใหม่ (TTSA)", "Thai Tech Startup Association"),
    ("dga", "สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน) (สพร.)", "Digital Government Development Agency"),
)

# The names the announcement writes differently from "type + place" (ทน.นครภูเก็ต is เทศบาลนครภูเก็ต).
FULL_NAME_OVERRIDES: dict[str, str] = {"ทน.นครภูเก็ต": "เทศบาลนครภูเก็ต"}


@dataclass(frozen=True)
class Work:
    number: int
    short_name: str
    province: str
    category: str
    title: str
    outstanding: bool

    @property
    def org_type(self) -> str:
        return self.short_name.split(".", 1)[0] + "."

    @property
    def place(self) -> str:
        return self.short_name.split(".", 1)[1]

    @property
    def full_name(self) -> str:
        return FULL_NAME_OVERRIDES.get(self.short_name, ORG_TYPE[self.org_type][0] + self.place)


# Announcement order (Thai order of province names). Categories were not published: they are
# illustrative labels chosen from the titles so that E-Service has the 25 the announcement states.
_WORKS_TABLE = """\
ทต.ท่าคันโท|กาฬสินธุ์|E-Service|โครงการนวัตกรรมพิกัดชีวิตพิกัดฉุกเฉิน Application EMS สำหรับดูแลผู้สูงอายุที่มีภาวะพึ่งพิง
ทน.ขอนแก่น|ขอนแก่น|E-Service|โครงการให้บริการประชาชนสู่ความพึงพอใจอันสูงสุดด้วยเทคโนโลยีดิจิทัล
ทม.เมืองพล|ขอนแก่น|e-Office|โครงการสร้างเครือข่ายการมีส่วนร่วมสำหรับผู้เข้าร่วมประชุม (Join) ในการจัดประชุมอิเล็กทรอนิกส์ (e – Meeting) ของเทศบาลเมืองเมืองพล
อบต.เสม็ดใต้|ฉะเชิงเทรา|E-Service|โครงการ One Stop Service ประชาชน
ทม.แสนสุข|ชลบุรี|E-Service|โครงการจัดบริการสุขภาพผู้สูงอายุด้วย Smart Technology
ทน.เชียงราย|เชียงราย|GIS|โครงการเพิ่มประสิทธิภาพการบริการข้อมูลแผนที่ภาษีและทะเบียนทรัพย์สิน
อบจ.เชียงราย|เชียงราย|Smart City|โครงการบริหารจัดการขยะของเสียอันตรายชุมชนในพื้นที่จังหวัดเชียงรายด้วยระบบ D-ToC
ทต.บ้านเหล่า|เชียงราย|E-Service|โครงการจัดทำโปรแกรมบริหารจัดการตาม พ.ร.บ.อำนวยความสะดวก ในการพิจาณาอนุญาตของทางราชการ พ.ศ. 2558
อบต.สันสลี|เชียงราย|GIS|โครงการแผนที่ภาษีและทะเบียนทรัพย์สิน
อบต.ป่าหุ่ง|เชียงราย|e-Office|โครงการการใช้งานสารบรรณอิเล็กทรอนิกส์ (e-office) ขององค์การบริหารส่วนตำบลป่าหุ่ง
อบต.รอบเวียง|เชียงราย|E-Service|โครงการดิจิทัลให้บริการประชาชน
ทน.เชียงใหม่|เชียงใหม่|Smart City|โครงการ Emergency call Station : Smart City Safety Zone
ทต.ยางเนิ้ง|เชียงใหม่|e-Office|โครงการพัฒนาระบบสารบรรณอิเล็กทรอนิกส์ เทศบาลตำบลยางเนิ้ง
ทต.สันผักหวาน|เชียงใหม่|E-Service|โครงการระบบน้องพอใจ เทศบาลตำบลสันผักหวาน
อบต.ควนปริง|ตรัง|Smart City|โครงการติดตั้งระบบเสียงไร้สาย
อบต.ยกกระบัตร|ตาก|E-Service|โครงการระบบ E-Service(แบบคำร้องแจ้งการขอรับบริการทางออนไลน์)
ทต.โพรงมะเดื่อ|นครปฐม|E-Service|โครงการโพรงมะเดื่อออนไลน์ ห่างไกลโควิด-19
ทน.นครราชสีมา|นครราชสีมา|E-Service|โครงการระบบสารสนเทศเพื่อการบริการประชาชนผ่านโทรศัพท์มือถือ
ทน.ปากเกร็ด|นนทบุรี|Smart City|โครงการระบบศูนย์ข้อมูลกลางความปลอดภัยเทศบาลนครปากเกร็ด
ทน.นนทบุรี|นนทบุรี|E-Service|โครงการระบบการบริการออนไลน์
ทม.บางแม่นาง|นนทบุรี|E-Service|โครงการระบบบริการประชาชนอัจฉริยะ
อบต.บ้านน้อยซุ้มขี้เหล็ก|พิษณุโลก|E-Service|โครงการ Smart Bannoi
ทม.ป่าตอง|ภูเก็ต|Data Platform|โครงการ Patong City Data Platform
ทน.นครภูเก็ต|ภูเก็ต|Data Platform|โครงการระบบข้อมูลการเลือกตั้งท้องถิ่น เทศบาลนครภูเก็ต (Local Elections Data System)
ทน.นครภูเก็ต|ภูเก็ต|GIS|โครงการระบบสารสนเทศภูมิศาสตร์ท้องถิ่น เทศบาลนครภูเก็ต
อบต.ปางหมู|แม่ฮ่องสอน|E-Service|โครงการ Pangmu E-Smart Service
ทน.ยะลา|ยะลา|Smart City|โครงการระบบเทคโนโลยีเพื่อการบริหารและติดตามควบคุมเฝ้าระวังโรคโควิด 19
ทต.ลำใหม่|ยะลา|E-Service|โครงการ line Official Account เทศบาลตำบลลำใหม่
ทม.ร้อยเอ็ด|ร้อยเอ็ด|Smart City|โครงการ Smart City 101
ทต.ทับมา|ระยอง|Data Platform|โครงการอนุรักษ์พันธุกรรมพืชอันเนื่องมาจากพระราชดำริ สมเด็จพระเทพรัตนราชสุดาฯ สยามบรมราชกุมารี (อพ.สธ.)
ทต.เขาพระยาเดินธง|ลพบุรี|e-Office|โครงการอีสารบรรณอีเล็กทรอนิกส์
ทม.เลย|เลย|GIS|โครงการพัฒนาการจัดทำระบบสารสนเทศทางภูมิศาสตร์ (GIS) ฐานข้อมูลชุมชน เพื่อการพัฒนาชุมชนและสังคมสงเคราะห์
อบต.โคกขมิ้น|เลย|E-Service|โครงการพัฒนาเว็บไซต์องค์การบริหารส่วนตำบลโคกขมิ้น
อบต.กฤษณา|ศรีสะเกษ|GIS|โครงการ LTAX 3000 & LTAX GIS
อบจ.สงขลา|สงขลา|E-Service|โครงการนวัตกรรมศูนย์สร้างสุขชุมชน (Community Happiness Center)
ทน.หาดใหญ่|สงขลา|E-Service|โครงการระบบรับเรื่องร้องทุกข์(Call Center)ของเทศบาลนครหาดใหญ่
ทต.ปริก|สงขลา|E-Service|โครงการต้นปริกแอปพลิเคชัน
ทม.คอหงส์|สงขลา|E-Service|โครงการระบบแจ้งเรื่องร้องเรียน/ร้องทุกข์ ผ่านโทรศัพท์มือถือ
ทต.บางปลา|สมุทรสาคร|E-Service|โครงการระบบสารสนเทศเพื่อการให้บริการประชาชน Bang-pla Smart Public Service
อบต.ป่าแฝก|สุโขทัย|E-Service|โครงการศูนย์บริการร่วมองค์การบริหารส่วนตำบลป่าแฝก (One Stop Service Center)
ทน.เกาะสมุย|สุราษฎร์ธานี|GIS|โครงการระบบสารสนเทศภูมิศาสตร์ (GIS) โรงพยาบาลหนึ่งหมื่นเตียง
ทต.วัดประดู่|สุราษฎร์ธานี|GIS|โครงการ EASY MAP แผนที่อย่างง่าย
อบต.บ้านไทร|สุรินทร์|E-Service|โครงการรับเรื่องราวร้องทุกข์ให้การช่วยเหลือประชาชนตามอำนาจหน้าที่ผ่านแอพพลิเคชันเพื่อลดขั้นตอน
ทต.หัวนา|หนองบัวลำภู|E-Service|โครงการ One Stop Service เทศบาลตำบลหัวนา
ทน.อุดรธานี|อุดรธานี|E-Service|โครงการพัฒนาระบบ Mobile Application สำหรับบริหารจัดการการจัดหาประโยชน์ในทรัพย์สินของเทศบาล"""

# The seven outstanding-award works the announcement lists (the excellent award line is blank there).
OUTSTANDING_NUMBERS = frozenset({1, 2, 22, 23, 39, 41, 45})

WORKS: tuple[Work, ...] = tuple(
    Work(n, short, province, category, title, n in OUTSTANDING_NUMBERS)
    for n, (short, province, category, title) in enumerate(
        (line.split("|", 3) for line in _WORKS_TABLE.splitlines()), start=1
    )
)

HEADLINE = {
    "works": 45,
    "organisations": 44,
    "top_category": ("E-Service", 25),
    "top_province": ("เชียงราย", 6),
    "multi_work_organisation": ("เทศบาลนครภูเก็ต", 2),
}
