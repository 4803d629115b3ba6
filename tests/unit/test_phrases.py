"""One vocabulary (issue 14): every code of every aggregate has its Thai and English label in its phrases module,
and the questionnaire reads back to staff in words (issue 17), never as its stored keys and option codes."""

from __future__ import annotations

from enum import StrEnum

import pytest

from models import (
    AttachmentKind,
    ConflictReason,
    LiveStage,
    OrgType,
    Phase,
    Role,
    SheetState,
    SlotKind,
    SubmissionStatus,
)
from services.contest import phrases as contest
from services.contest import reference_2564
from services.intake import phrases as intake
from services.intake import questionnaire as q
from services.intake.eligibility import Verdict
from services.intake.queue import Sort
from services.judging import phrases as judging
from services.judging.consensus import Lean
from services.judging.desk import Panel
from services.pitching import phrases as pitching
from services.platform import phrases as platform
from services.results import phrases as results
from services.results.awards import parse_plan
from services.results.scoring import Method
from tests.helpers.answers import sample_answers

CODES: list[tuple[type[StrEnum], dict[str, platform.Label]]] = [
    (Phase, contest.PHASE),
    (Role, platform.ROLE),
    (SubmissionStatus, intake.SUBMISSION_STATUS),
    (SubmissionStatus, intake.SUBMISSION_STATUS_SHORT),
    (AttachmentKind, intake.ATTACHMENT_KIND),
    (OrgType, intake.ORG_TYPE),
    (Verdict, intake.VERDICT),
    (SheetState, judging.SHEET_STATE),
    (ConflictReason, judging.CONFLICT_REASON),
    (Lean, judging.LEAN),
    (Method, results.METHOD),
    (LiveStage, pitching.LIVE_STAGE),
    (SlotKind, pitching.SLOT_KIND),
    (Sort, intake.LIST_SORT),
    (Panel, judging.DESK_PANEL),
]


@pytest.mark.parametrize(("enum", "table"), CODES, ids=lambda v: getattr(v, "__name__", ""))
def test_every_enum_member_has_a_thai_and_an_english_label(
    enum: type[StrEnum], table: dict[str, platform.Label]
) -> None:
    for member in enum:
        assert member in table, f"{enum.__name__}.{member.name} has no label"
        th, en = table[member]
        assert en.strip(), f"{enum.__name__}.{member.name} has no English label"
        # The special organisation type alone has no Thai prefix: its own name is its full name.
        assert th.strip() or member is OrgType.special, f"{enum.__name__}.{member.name} has no Thai label"
        assert any("\u0e00" <= ch <= "\u0e7f" for ch in th) or member is OrgType.special


def test_the_tables_hold_no_code_an_enum_does_not_know() -> None:
    for enum, table in CODES:
        extra = set(table) - {m.value for m in enum} - {"none"}  # "none": the view state of a sheet not begun
        assert not extra, (enum.__name__, extra)


@pytest.mark.parametrize(
    "table",
    [
        intake.DECLARATION,
        intake.DECLARATION_SHORT,
        intake.DEVELOPED_BY,
        intake.DEVELOPED_BY_SHORT,
        intake.INITIATIVE,
        intake.QUESTION,
        intake.COLUMN,
        intake.DIGITAL_TOOL,
        intake.COMMUNICATION_CHANNEL,
        intake.GOAL_ROW,
        intake.ROADMAP_PERIOD,
        results.AWARD_LEVEL,
    ],
)
def test_every_label_table_is_complete_in_both_languages(table: dict[str, platform.Label]) -> None:
    assert table
    assert all(th.strip() and en.strip() for th, en in table.values())


def test_paired_tables_name_the_same_codes() -> None:
    assert intake.DECLARATION.keys() == intake.DECLARATION_SHORT.keys()
    assert intake.DEVELOPED_BY.keys() == intake.DEVELOPED_BY_SHORT.keys()
    # Every key of the questionnaire's answers is a question (the *_other lists join their question's list).
    assert set(q.Answers.model_fields) - {"digital_tools_other", "communication_channels_other"} == set(intake.QUESTION)


def test_label_picks_the_language_and_shows_an_unknown_code_as_itself() -> None:
    assert platform.label(contest.PHASE, Phase.judging) == "พิจารณาให้คะแนน"
    assert platform.label(contest.PHASE, Phase.judging, "en") == "judging"
    assert platform.label(contest.PHASE, "retired_phase", "en") == "retired_phase"


def test_the_reference_award_plan_and_a_plan_without_names_use_the_award_level_labels() -> None:
    plan = parse_plan(reference_2564.AWARD_PLAN)
    assert [(lv.name_th, lv.name_en) for lv in plan.levels] == [
        ("รางวัลยอดเยี่ยม", "Excellent"),
        ("รางวัลดีเด่น", "Outstanding"),
    ]
    bare = parse_plan({"levels": [{"code": "excellent", "count": 1}, {"code": "special_mention", "count": 2}]})
    assert [lv.name("th") for lv in bare.levels] == ["รางวัลยอดเยี่ยม", "special_mention"]


# --- the questionnaire as staff read it -------------------------------------------------------------------------

ANSWERS = sample_answers()


def by_key(lang: str = "th") -> dict[str, q.LabelledAnswer]:
    return {a.key: a for a in q.labelled(ANSWERS, lang)}


def test_every_question_is_listed_in_the_forms_order_with_its_thai_title() -> None:
    answers = q.labelled(ANSWERS)
    assert [a.key for a in answers] == list(intake.QUESTION)
    assert answers[0].question == "เครื่องมือดิจิทัล/ระบบงานอิเล็กทรอนิกส์ที่มีใช้งาน"


def test_options_read_as_their_labels_then_the_applicants_own_entries() -> None:
    tools = by_key()["digital_tools"]
    assert tools.items == ("ระบบสารบรรณอิเล็กทรอนิกส์ (e-Saraban)", "ระบบสารสนเทศภูมิศาสตร์ (GIS) / แผนที่ภาษี", "ระบบคิวออนไลน์")
    assert by_key("en")["communication_channels"].items == ("LINE Official Account",)


def test_the_goals_table_has_before_target_after_and_the_change_with_numbers_formatted() -> None:
    goals = by_key()["goals"].table
    assert goals is not None
    assert goals.columns == ("ตัวชี้วัด", "ก่อนดำเนินโครงการ", "เป้าหมาย", "หลังดำเนินโครงการ", "เปลี่ยนแปลง")
    assert goals.numeric == (False, True, True, True, True)
    assert goals.rows == (
        ("จำนวนคนใช้บริการ (คน/เดือน)", "1,200", "2,000", "1,500", "+300 (+25%)"),
        ("ระยะเวลาให้บริการ (นาที/รายการ)", "30", "10", "12.50", "-17.50 (-58%)"),
        ("ลดกระดาษ (แผ่น/เดือน)", "0", "—", "80", "+80"),
    )
    assert by_key("en")["goals"].table.columns[-1] == "Change"  # type: ignore[union-attr]


def test_empty_answers_are_said_as_such_and_empty_roadmap_periods_left_out() -> None:
    answers = by_key()
    assert not answers["feedback"].answered and not answers["limitations"].answered
    assert answers["participation"].text == "ประชาคมหมู่บ้าน 12 ครั้ง"
    roadmap = answers["roadmap"].table
    assert roadmap is not None and roadmap.rows == (("ช่วง 3–6 เดือน", "เชื่อมระบบชำระเงิน", "กองคลัง"),)
    assert answers["team"].table.rows == (("นายสมชาย ใจดี", "—"),)  # type: ignore[union-attr]
    assert answers["datasets"].table.rows == (  # type: ignore[union-attr]
        ("ข้อมูลจุดติดตั้ง CCTV", "https://data.go.th/dataset/cctv", "ใช่"),
    )
    assert not any(a.answered for a in q.labelled(q.Answers()))
