"""Pure rules: the call's eligibility assessment and the suggested points for the two 5-point criteria."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.contest.edition_config import EditionConfig, SuggestionRule
from services.intake.eligibility import Verdict, assess
from services.judging.suggestions import suggest

CUTOFF = date(2021, 2, 1)  # 1 February 2564


def test_in_use_on_the_cutoff_day_declared_and_confirmed_is_eligible():
    result = assess(
        org_type="ทต.", golive_date=CUTOFF, golive_cutoff=CUTOFF, digital_declared=True, confirmed_by="organiser"
    )
    assert result.verdict == Verdict.eligible and result.reasons == ()


def test_going_live_the_day_after_the_cutoff_is_ineligible_with_the_dates_in_thai():
    result = assess(
        org_type="อบต.",
        golive_date=date(2021, 2, 2),
        golive_cutoff=CUTOFF,
        digital_declared=True,
        confirmed_by="organiser",
    )
    assert result.verdict == Verdict.ineligible
    (reason,) = result.reasons
    assert reason.code == "golive_late"
    assert "2 กุมภาพันธ์ 2564" in reason.message_th and "1 กุมภาพันธ์ 2564" in reason.message_th


def test_awaiting_the_organisers_confirmation_is_pending_not_ineligible():
    result = assess(org_type="ทน.", golive_date=date(2019, 5, 1), golive_cutoff=CUTOFF, digital_declared=True)
    assert result.verdict == Verdict.pending
    assert [r.code for r in result.reasons] == ["awaiting_confirmation"]


def test_a_missing_golive_date_is_pending_and_an_undeclared_work_is_ineligible():
    assert (
        assess(org_type="ทม.", golive_date=None, golive_cutoff=CUTOFF, digital_declared=True, confirmed_by="x").verdict
        == Verdict.pending
    )
    result = assess(org_type="ทม.", golive_date=date(2020, 1, 1), golive_cutoff=CUTOFF, digital_declared=False)
    assert result.verdict == Verdict.ineligible
    assert [r.code for r in result.reasons] == ["not_declared_digital"]


def test_an_entrant_that_is_not_a_local_organisation_is_ineligible():
    result = assess(
        org_type="กระทรวง",
        golive_date=date(2020, 1, 1),
        golive_cutoff=CUTOFF,
        digital_declared=True,
        confirmed_by="organiser",
    )
    assert result.verdict == Verdict.ineligible and result.reasons[0].code == "not_lao"
    assert result.summary("en").startswith("not eligible: The entrant must be a local administrative organisation")


def test_every_reason_is_kept_so_the_flag_says_all_of_them():
    result = assess(org_type=None, golive_date=date(2021, 6, 1), golive_cutoff=CUTOFF, digital_declared=False)
    assert [r.code for r in result.reasons] == ["not_lao", "golive_late", "not_declared_digital"]


# --- suggested points ------------------------------------------------------------------------------------------------

MAXIMA = {"communication": 5, "digital_tools": 5}
DEFAULT_RULES = EditionConfig().suggestion_rules


def by_code(suggestions):
    return {s.criterion_code: s for s in suggestions}


def test_one_point_per_ticked_option_by_default_and_other_entries_count_too():
    answers = {
        "communication_channels": ["website", "facebook"],
        "communication_channels_other": ["รถแห่"],
        "digital_tools": ["e_saraban"],
    }
    result = by_code(suggest(DEFAULT_RULES, answers, MAXIMA))
    assert result["communication"].points == 3
    assert result["communication"].counted == ("website", "facebook", "รถแห่")
    assert result["digital_tools"].points == 1


def test_points_are_capped_at_the_criterions_maximum():
    answers = {"digital_tools": [f"tool{i}" for i in range(9)]}
    assert by_code(suggest(DEFAULT_RULES, answers, MAXIMA))["digital_tools"].points == 5


def test_weights_per_option_override_the_default_and_round_down_to_half_points():
    rule = SuggestionRule(
        criterion_code="digital_tools",
        answer_key="digital_tools",
        points_per_option=0.5,
        weights={"e_service": 1.5, "print": 0},
    )
    answers = {"digital_tools": ["e_service", "gis", "print", "gis"], "digital_tools_other": ["x"]}
    (s,) = suggest([rule], answers, MAXIMA)
    assert s.points == 2.5  # 1.5 + 0.5 (gis once) + 0.5 (other); the zero-weight option earns nothing
    assert "print" not in s.counted


def test_no_answers_suggest_zero_and_a_criterion_the_edition_lacks_is_skipped():
    assert [s.points for s in suggest(DEFAULT_RULES, {}, MAXIMA)] == [0, 0]
    assert [s.criterion_code for s in suggest(DEFAULT_RULES, {}, {"communication": 5})] == ["communication"]


@given(st.lists(st.text(min_size=1, max_size=8)), st.floats(min_value=0, max_value=3, allow_nan=False))
def test_a_suggestion_stays_within_zero_and_the_maximum_in_half_points(options, per_option):
    rule = SuggestionRule(
        criterion_code="communication", answer_key="communication_channels", points_per_option=per_option
    )
    (s,) = suggest([rule], {"communication_channels": options}, MAXIMA)
    assert 0 <= s.points <= 5
    assert (s.points * 2) == int(s.points * 2)


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_label_says_the_points_out_of_the_maximum(lang):
    (s, _) = suggest(DEFAULT_RULES, {"communication_channels": ["website"]}, MAXIMA)
    assert "1 / 5" in s.label(lang)
