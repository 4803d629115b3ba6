"""Step 7's answers: URL checks, data.go.th recognised, free rows parsed, what "confirm" needs."""

import pytest

from services.intake import questionnaire as q
from services.platform.errors import ValidationFailed


@pytest.mark.parametrize(
    ("url", "ok", "gov_open_data"),
    [
        ("https://data.go.th/dataset/streetlights", True, True),
        ("https://catalog.data.go.th/dataset/abc", True, True),
        ("http://www.khonkaen.go.th/opendata.csv", True, False),
        ("https://notdata.go.th.example.com/x", True, False),
        ("data.go.th/dataset/x", False, False),
        ("ftp://data.go.th/x", False, True),
        ("https://exa mple.com", False, False),
        ("https://localhost/x", False, False),
    ],
)
def test_urls_are_checked_by_syntax_and_data_go_th_is_recognised(url, ok, gov_open_data):
    assert q.check_url(url) is ok
    assert q.is_data_go_th(url) is gov_open_data


def test_normalise_marks_data_go_th_trims_and_orders_options():
    answers = q.normalise(
        q.Answers(
            digital_tools=["chatbot", "e_saraban"],
            datasets=[q.DataSet(name="  ร้องเรียน ", url="https://data.go.th/dataset/complaints"), q.DataSet(name="")],
            team=[q.TeamMember(name="นายก", role="หัวหน้า"), q.TeamMember(name=" ")],
        )
    )
    assert answers.digital_tools == ["e_saraban", "chatbot"]
    assert [(d.name, d.on_data_go_th) for d in answers.datasets] == [("ร้องเรียน", True)]
    assert [m.name for m in answers.team] == ["นายก"]


def test_validation_lists_each_problem():
    answers = q.Answers(
        datasets=[q.DataSet(name="ชุดที่ 1", url="www.example.com")],
        goals=[q.GoalRow(code="people_per_month", before=-1)],
        roadmap=[q.RoadmapPeriod(period="6_12_months", plan="เชื่อมต่อจังหวัด")],
    )
    codes = [p.code for p in q.validate(answers, for_confirm=True)]
    assert codes == ["no_tools", "no_channels", "bad_url", "negative_goal", "roadmap_unit"]
    assert [p.code for p in q.validate(answers, for_confirm=False)] == ["bad_url", "negative_goal", "roadmap_unit"]


def test_other_entries_and_free_goal_rows_are_parsed_from_text():
    assert q.split_lines("รถแห่, วิทยุ\n\nป้าย") == ["รถแห่", "วิทยุ", "ป้าย"]
    rows = q.parse_goal_rows("ลดกระดาษ (แผ่น/เดือน) | 1,500 | 100 | 80\nความพึงพอใจ (%) | | 85 |")
    assert [(r.label, r.before, r.target, r.after) for r in rows] == [
        ("ลดกระดาษ (แผ่น/เดือน)", 1500, 100, 80),
        ("ความพึงพอใจ (%)", None, 85, None),
    ]
    with pytest.raises(ValidationFailed) as e:
        q.parse_goal_rows("ok | 1 | 2 | 3\nbad | สิบ")
    assert "บรรทัดที่ 2" in e.value.message_th


def test_stored_answers_that_no_longer_fit_load_as_empty_rather_than_fail():
    assert q.load_answers({"datasets": "not a list"}) == q.Answers()
    assert q.load_answers(q.dump_answers(q.Answers(digital_tools=["gis"]))).digital_tools == ["gis"]
