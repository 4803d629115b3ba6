"""Questionnaire answers that use every kind of question: options, the applicant's own entries,
a goals table with fixed and free rows, empty answers and an empty roadmap period."""

from __future__ import annotations

from services.intake import questionnaire as q


def sample_answers() -> q.Answers:
    return q.Answers(
        digital_tools=["e_saraban", "gis"],
        digital_tools_other=["ระบบคิวออนไลน์"],
        communication_channels=["line_oa"],
        communication_channels_other=[],
        datasets=[q.DataSet(name="ข้อมูลจุดติดตั้ง CCTV", url="https://data.go.th/dataset/cctv", on_data_go_th=True)],
        goals=[
            q.GoalRow(code="people_per_month", label="จำนวนคนใช้บริการ (คน/เดือน)", before=1200, target=2000, after=1500),
            q.GoalRow(code="minutes_per_transaction", before=30, target=10, after=12.5),
            q.GoalRow(label="ลดกระดาษ (แผ่น/เดือน)", before=0, after=80),
        ],
        participation="ประชาคมหมู่บ้าน 12 ครั้ง",
        feedback="",
        roadmap=[
            q.RoadmapPeriod(period="3_6_months", plan="เชื่อมระบบชำระเงิน", responsible_unit="กองคลัง"),
            q.RoadmapPeriod(period="6_12_months"),
        ],
        team=[q.TeamMember(name="นายสมชาย ใจดี", role="")],
    )
