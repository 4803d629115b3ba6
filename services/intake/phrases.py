"""Thai and English labels of intake's codes: statuses, files, declarations, the project's choices, organisation
types, eligibility verdicts, and the questionnaire's questions and options."""

from __future__ import annotations

from services.platform.phrases import Label

# models.SubmissionStatus, as the applicant reads it (their page, the receipt, e-mail).
# The guided submission's steps, by number (the submit page's step bar; my-submission's "edit at step").
SUBMIT_STEP: dict[int, Label] = {
    1: ("หน่วยงาน", "Organisation"),
    2: ("ผู้ส่งและผู้ประสานงาน", "Submitter & coordinator"),
    3: ("โครงการ", "Project"),
    4: ("เอกสาร", "Documents"),
    5: ("ยอมรับเงื่อนไขและส่ง", "Declarations & send"),
    6: ("คำถามขั้นตอนที่ 7 และยืนยัน", "Step-7 questions & confirm"),
    7: ("เสร็จสิ้น", "Done"),
}

SUBMISSION_STATUS: dict[str, Label] = {
    "draft": ("ร่าง (ยังไม่ได้กดส่ง)", "draft (not sent yet)"),
    "submitted": ("ส่งแล้ว รอผู้จัดงานตรวจ", "sent, awaiting screening"),
    "accepted": ("ผ่านการตรวจคุณสมบัติ", "accepted"),
    "rejected": ("ไม่ผ่านการตรวจ", "not accepted"),
    "withdrawn": ("ถอนตัว", "withdrawn"),
}
# The same, short, for the organisers' lists where a column is narrow.
SUBMISSION_STATUS_SHORT: dict[str, Label] = {
    "draft": ("ร่าง", "draft"),
    "submitted": ("รอตรวจ", "awaiting screening"),
    "accepted": ("ผ่านการตรวจ", "accepted"),
    "rejected": ("ไม่ผ่าน", "rejected"),
    "withdrawn": ("ถอนตัว", "withdrawn"),
}

# models.AttachmentKind.
ATTACHMENT_KIND: dict[str, Label] = {
    "deck": ("ไฟล์นำเสนอ (PowerPoint)", "Presentation"),
    "signed_form": ("ใบส่งโครงการที่ลงนามแล้ว", "Signed submission form"),
}

# The four declarations of the submission form (ใบส่งโครงการ), in the form's own words; their order is the form's.
DECLARATION: dict[str, Label] = {
    "truthful": (
        "ข้าพเจ้าขอรับรองว่าข้อมูลที่ปรากฏในเอกสารนำเสนอและการนำเสนอเป็นความจริงทุกประการ "
        "และยินดีให้คณะกรรมการพิจารณาตัดสินขอรายละเอียดเพิ่มเติมที่เกี่ยวข้องกับโครงการ",
        "The information is true, and the committee may ask for more details.",
    ),
    "ownership": (
        "ข้าพเจ้าขอรับรองว่าหน่วยงานต้นสังกัดของข้าพเจ้าเป็นเจ้าของผลงาน รวมถึงส่วนประกอบของผลงานและเนื้อหา "
        "โดยไม่มีการละเมิดลิขสิทธิ์ตามกฎหมาย",
        "Our organisation owns the work and it infringes no copyright.",
    ),
    "final_decision": (
        "ข้าพเจ้ายอมรับว่าคำตัดสินของคณะกรรมการพิจารณาตัดสินรางวัลถือเป็นอันสิ้นสุด และจะไม่ใช้สิทธิ์ใด ๆ ในการโต้แย้ง",
        "The committee's decision is final.",
    ),
    "publicity": (
        "ข้าพเจ้าอนุญาตให้ สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน) ประชาสัมพันธ์และเผยแพร่โครงการนวัตกรรมดิจิทัล"
        "ที่ส่งเข้าประกวดของหน่วยงานต้นสังกัดของข้าพเจ้าได้",
        "DGA may publicise the work.",
    ),
}
# The same declarations in a few words, for the judges' checklist of what the applicant declared.
DECLARATION_SHORT: dict[str, Label] = {
    "truthful": ("ข้อมูลเป็นความจริง", "The information is true"),
    "ownership": ("เป็นเจ้าของผลงาน ไม่ละเมิดลิขสิทธิ์", "Owns the work; no copyright infringed"),
    "final_decision": ("ยอมรับว่าคำตัดสินของคณะกรรมการถือเป็นที่สิ้นสุด", "The committee's decision is final"),
    "publicity": ("ยินยอมให้ สพร. เผยแพร่ผลงาน", "DGA may publicise the work"),
}

# Submission.is_new_initiative, as the form's two boxes.
INITIATIVE: dict[str, Label] = {
    "new": ("ริเริ่มขึ้นใหม่", "New initiative"),
    "extension": ("ต่อยอดจากผลงาน/โครงการเดิม", "Extension of an earlier project"),
}

# Submission.developed_by, in the call's words (the seeds: พัฒนาโดยบุคลากรภายใน อปท. เอง / ร่วมพัฒนากับผู้ประกอบการ).
DEVELOPED_BY: dict[str, Label] = {
    "in_house": ("พัฒนาโดยบุคลากรภายใน อปท. เอง", "Developed in-house"),
    "partner": (
        "ร่วมพัฒนากับผู้ประกอบการ (บริษัท/ห้างหุ้นส่วน/สถาบันการศึกษา)",
        "With a partner (company, partnership or university)",
    ),
}
# The same, short, for chart bars and list badges.
DEVELOPED_BY_SHORT: dict[str, Label] = {
    "in_house": ("พัฒนาเอง", "in-house"),
    "partner": ("ร่วมพัฒนากับผู้ประกอบการ", "with a partner"),
}

# models.OrgType (its values are the announcement's abbreviations) -> the type's full name, from the
# announcement's legend (its อบต. line misspells บริหาร as บริการ). The special type has no Thai prefix: the
# organisation's own name (กรุงเทพมหานคร, เมืองพัทยา) is its full name.
ORG_TYPE: dict[str, Label] = {
    "อบจ.": ("องค์การบริหารส่วนจังหวัด", "Provincial Administrative Organisation"),
    "ทน.": ("เทศบาลนคร", "City Municipality"),
    "ทม.": ("เทศบาลเมือง", "Town Municipality"),
    "ทต.": ("เทศบาลตำบล", "Subdistrict Municipality"),
    "อบต.": ("องค์การบริหารส่วนตำบล", "Subdistrict Administrative Organisation"),
    "พิเศษ": ("", "Special local government (Bangkok, Pattaya)"),
}

# queue.Sort: the organisers' lists' orders.
LIST_SORT: dict[str, Label] = {
    "receipt": ("ลำดับการส่ง (เลขที่ใบรับ)", "order received (receipt)"),
    "organisation": ("ชื่อหน่วยงาน (ก–ฮ)", "organisation"),
    "province": ("จังหวัด (ก–ฮ)", "province"),
    "project": ("ชื่อโครงการ (ก–ฮ)", "project title"),
    "submitted": ("วันที่ส่ง", "date sent"),
    "status": ("สถานะ", "status"),
}
# The lists' completeness filter.
COMPLETENESS: dict[str, Label] = {
    "any": ("ทั้งหมด", "any"),
    "complete": ("ครบถ้วน", "complete"),
    "incomplete": ("ยังไม่ครบ", "incomplete"),
}

# eligibility.Verdict.
VERDICT: dict[str, Label] = {
    "eligible": ("มีคุณสมบัติครบ", "eligible"),
    "pending": ("รอข้อมูลหรือการยืนยัน", "pending"),
    "ineligible": ("ไม่มีคุณสมบัติ", "not eligible"),
}

# --- the questionnaire (step 7) ---------------------------------------------------------------------------------
# The questions, by their key in questionnaire.Answers.
QUESTION: dict[str, Label] = {
    "digital_tools": ("เครื่องมือดิจิทัล/ระบบงานอิเล็กทรอนิกส์ที่มีใช้งาน", "Digital tools / e-systems in use"),
    "communication_channels": ("ช่องทางการสื่อสารและประชาสัมพันธ์ที่ใช้งาน", "Communication channels in use"),
    "datasets": ("ชุดข้อมูลที่เปิดเผย", "Published data sets"),
    "goals": ("เป้าหมายและผลสัมฤทธิ์", "Goals and results"),
    "participation": ("การมีส่วนร่วมของประชาชนหรือหน่วยงานเครือข่าย", "Participation of citizens or network agencies"),
    "feedback": ("ผลตอบรับ / ความพึงพอใจ (พร้อมหลักฐาน)", "Feedback / satisfaction (with evidence)"),
    "roadmap": ("แนวทางการพัฒนาต่อยอด (Roadmap)", "Roadmap"),
    "limitations": ("ข้อจำกัด ปัญหา หรืออุปสรรค (ไม่คิดคะแนน)", "Limitations (not scored)"),
    "team": ("สมาชิกในทีมและบทบาท (ไม่คิดคะแนน)", "Team members and roles (not scored)"),
}
# The columns of the questionnaire's tables.
COLUMN: dict[str, Label] = {
    "measure": ("ตัวชี้วัด", "Measure"),
    "before": ("ก่อนดำเนินโครงการ", "Before"),
    "target": ("เป้าหมาย", "Target"),
    "after": ("หลังดำเนินโครงการ", "After"),
    "change": ("เปลี่ยนแปลง", "Change"),
    "dataset": ("ชุดข้อมูล", "Data set"),
    "url": ("ที่อยู่เว็บ", "URL"),
    "period": ("ช่วงเวลา", "Period"),
    "plan": ("แผนงาน", "Plan"),
    "responsible_unit": ("หน่วยงานที่รับผิดชอบ", "Responsible unit"),
    "name": ("ชื่อ", "Name"),
    "role": ("บทบาท", "Role"),
    "on_data_go_th": ("อยู่บน data.go.th", "On data.go.th"),
    "yes": ("ใช่", "yes"),
    "no": ("ไม่ใช่", "no"),
    "no_answer": ("ไม่ได้ตอบ", "not answered"),
    "other": ("อื่น ๆ", "Other"),
}

# Options: codes are stored; labels may change between editions without touching the answers. Order is the form's.
DIGITAL_TOOL: dict[str, Label] = {
    "e_saraban": ("ระบบสารบรรณอิเล็กทรอนิกส์ (e-Saraban)", "Electronic correspondence (e-Saraban)"),
    "e_service": ("ระบบยื่นคำขอ/บริการออนไลน์ (e-Service)", "Online applications (e-Service)"),
    "e_payment": ("การรับชำระเงินอิเล็กทรอนิกส์ (QR Code / e-Payment)", "Electronic payment (QR / e-Payment)"),
    "e_laas": ("ระบบบัญชีคอมพิวเตอร์ อปท. (e-LAAS)", "LAO accounting system (e-LAAS)"),
    "gis": ("ระบบสารสนเทศภูมิศาสตร์ (GIS) / แผนที่ภาษี", "GIS / tax map"),
    "cloud_office": (
        "ชุดโปรแกรมสำนักงานบนคลาวด์ (เช่น Google Workspace, Microsoft 365)",
        "Cloud office suite (e.g. Google Workspace, Microsoft 365)",
    ),
    "video_conference": ("ระบบประชุมออนไลน์", "Video conferencing"),
    "mobile_app": ("แอปพลิเคชันบนมือถือ", "Mobile application"),
    "chatbot": ("แชตบอต", "Chatbot"),
    "iot_cctv": ("อุปกรณ์ IoT / กล้อง CCTV", "IoT devices / CCTV"),
    "dashboard": ("ระบบรายงานผู้บริหาร (Dashboard)", "Executive dashboard"),
    "open_data": ("ระบบเผยแพร่ข้อมูลเปิด (Open Data)", "Open data publishing"),
}

COMMUNICATION_CHANNEL: dict[str, Label] = {
    "website": ("เว็บไซต์ของหน่วยงาน", "The organisation's website"),
    "facebook": ("Facebook Page", "Facebook Page"),
    "line_oa": ("LINE Official Account", "LINE Official Account"),
    "youtube": ("YouTube", "YouTube"),
    "tiktok": ("TikTok", "TikTok"),
    "twitter": ("Twitter", "Twitter"),
    "sms": ("SMS", "SMS"),
    "email": ("อีเมล", "E-mail"),
    "call_center": ("โทรศัพท์ / Call Center", "Telephone / call centre"),
    "broadcast_tower": ("หอกระจายข่าว / เสียงตามสาย", "Village loudspeakers"),
    "community_radio": ("วิทยุชุมชน", "Community radio"),
    "print": ("ป้ายประชาสัมพันธ์ / เอกสารสิ่งพิมพ์", "Notice boards / print"),
}

# The goals table's fixed rows, as the guide words them (before / target / after).
GOAL_ROW: dict[str, Label] = {
    "people_per_month": ("จำนวนคนใช้บริการ (คน/เดือน)", "People served (per month)"),
    "transactions_per_month": ("จำนวนธุรกรรม (ครั้งหรือรายการ/เดือน)", "Transactions (per month)"),
    "minutes_per_transaction": ("ระยะเวลาให้บริการ (นาที/รายการ)", "Minutes per transaction"),
}

ROADMAP_PERIOD: dict[str, Label] = {
    "3_6_months": ("ช่วง 3–6 เดือน", "3–6 months"),
    "6_12_months": ("ช่วง 6 เดือน – 1 ปี", "6–12 months"),
}
