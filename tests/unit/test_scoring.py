"""Unit tests for the contest's pure scoring math, by example and by property."""

from __future__ import annotations

import math
import statistics
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.results.scoring import (
    CutoffStability,
    Method,
    RankedEntry,
    Spread,
    TieBreaker,
    aggregate,
    band_probabilities,
    criterion_means,
    cutoff_stability,
    float_pstdev,
    icc,
    kendalls_w,
    leave_one_judge_out,
    means_and_spreads,
    panel_agreement,
    rank_order,
    rank_submissions,
    scores_and_spreads,
    sheet_totals,
    spread,
    spreads,
    unstable_cutoffs,
)

Totals = dict[int, dict[int, float]]

FAST = settings(max_examples=150, deadline=None)
SLOW = settings(max_examples=40, deadline=None)

# Shrout & Fleiss (1979), Table 2: six targets rated by four judges.
SHROUT_FLEISS: Totals = {
    target: {judge: float(value) for judge, value in enumerate(row, start=1)}
    for target, row in enumerate(
        [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]], start=1
    )
}


def panel(rows: dict[int, list[float]]) -> Totals:
    """A complete score table: submission -> its totals from judges 1, 2, 3, ..."""
    return {s: {j: t for j, t in enumerate(values, start=1)} for s, values in rows.items()}


def ranks_of(entries: list[RankedEntry]) -> dict[int, int]:
    return {e.submission_id: e.rank for e in entries}


# --- strategies --------------------------------------------------------------------------------------

# Judges score in steps; a quarter point covers half-point criteria summed and keeps totals exact.
score_steps = st.integers(0, 400).map(lambda q: q / 4)
any_total = st.floats(0, 100, allow_nan=False, allow_infinity=False)


@st.composite
def totals_tables(
    draw: st.DrawFn,
    values: st.SearchStrategy[float] = score_steps,
    complete: bool = False,
    min_judges: int = 1,
) -> Totals:
    judges = list(range(1, draw(st.integers(min_judges, 6)) + 1))
    submissions = draw(st.lists(st.integers(1, 40), min_size=1, max_size=9, unique=True))
    table: Totals = {}
    for s in submissions:
        judged_by = judges if complete else draw(st.lists(st.sampled_from(judges), unique=True))
        table[s] = {j: draw(values) for j in judged_by}
    return table


scores_maps = st.dictionaries(st.integers(1, 60), any_total, max_size=15)


# --- aggregation by example --------------------------------------------------------------------------


def test_mean_is_the_default_and_averages_the_judges_totals() -> None:
    assert aggregate(panel({1: [80, 70, 90], 2: [60, 65]})) == {1: 80.0, 2: 62.5}


def test_median_takes_the_middle_total() -> None:
    assert aggregate(panel({1: [10, 80, 75], 2: [60, 70, 90, 100]}), Method.median) == {1: 75.0, 2: 80.0}


def test_trimmed_mean_drops_highest_and_lowest_with_five_judges() -> None:
    assert aggregate(panel({1: [10, 70, 80, 90, 100]}), Method.trimmed_mean) == {1: 80.0}


def test_trimmed_mean_is_the_plain_mean_below_five_judges() -> None:
    assert aggregate(panel({1: [10, 70, 80, 100]}), Method.trimmed_mean) == {1: 65.0}


def test_trimmed_mean_drops_only_one_of_several_equal_extremes() -> None:
    assert aggregate(panel({1: [50, 50, 70, 90, 90]}), Method.trimmed_mean) == {1: pytest.approx(70.0)}


def test_submissions_without_judges_are_left_out_by_every_method() -> None:
    table: Totals = {1: {1: 80.0, 2: 60.0}, 2: {}}
    for method in Method:
        assert set(aggregate(table, method)) == {1}


def test_method_parses_from_its_stored_string() -> None:
    assert Method("trimmed_mean") is Method.trimmed_mean
    assert [m.value for m in Method] == ["mean", "median", "trimmed_mean", "zscore"]


def test_non_finite_total_is_refused_with_the_judge_and_submission_named() -> None:
    with pytest.raises(ValueError, match=r"judge 2 .* submission 7"):
        aggregate({7: {1: 80.0, 2: math.nan}})


@pytest.mark.parametrize("bad", [{2: math.nan}, {2: math.inf}, {2: -math.inf}, {1: math.inf, 2: -math.inf}])
def test_a_ranking_refuses_a_non_finite_total_naming_its_judge_and_work(bad: dict[int, float]) -> None:
    # The ranking checks the totals as one array (scoring._columns): every kind is still named.
    totals = {5: {1: 70.0, 2: 75.0}, 7: {1: 80.0, 2: 60.0} | bad, 9: {1: 50.0}}
    for method in Method:
        with pytest.raises(ValueError, match=r"judge [12] has a non-finite total .* submission 7"):
            scores_and_spreads(totals, [method])


def test_zscore_maps_a_judges_average_sheet_to_fifty_and_one_sd_to_ten_points() -> None:
    # Judge 1: totals 60, 80 -> mean 70, population sd 10 -> z = -1, +1.
    assert aggregate(panel({1: [60], 2: [80]}), Method.zscore) == {1: 40.0, 2: 60.0}


def test_zscore_lets_a_harsh_judge_count_as_much_as_a_lenient_one() -> None:
    # The lenient judge 1 spreads widely and prefers A; the harsh judge 2 spreads narrowly and prefers B.
    # By raw mean judge 1's wide spread decides; normalised, the two preferences cancel out.
    table = panel({1: [95, 40], 2: [55, 42]})
    assert aggregate(table)[1] > aggregate(table)[2]
    normalised = aggregate(table, Method.zscore)
    assert normalised[1] == pytest.approx(normalised[2]) == pytest.approx(50.0)


def test_zscore_gives_a_judge_with_one_sheet_or_no_spread_a_neutral_zero() -> None:
    table: Totals = {1: {1: 70.0, 2: 90.0, 3: 100.0}, 2: {1: 70.0, 2: 50.0}}
    # judge 1 flat, judge 3 one sheet: only judge 2 (z = +1, -1) moves anything.
    assert aggregate(table, Method.zscore) == {1: pytest.approx(50 + 10 / 3), 2: pytest.approx(45.0)}


def test_zscore_clips_an_extreme_outlier_to_the_scale() -> None:
    # 30 identical sheets and one far above: that one's z is sqrt(30) > 5, so 50 + 10z > 100.
    table: Totals = {s: {1: 10.0} for s in range(1, 31)} | {31: {1: 100.0}}
    assert aggregate(table, Method.zscore)[31] == 100.0


def test_sheet_totals_sum_each_judges_points_over_the_criteria() -> None:
    points = {1: {1: {1: 8.0, 2: 12.5}, 2: {1: 10.0, 2: 5.5}}, 2: {}}
    assert sheet_totals(points) == {1: {1: 20.5, 2: 15.5}, 2: {}}


def test_criterion_means_average_each_criterion_over_the_judges_who_scored_it() -> None:
    points = {
        1: {1: {10: 8.0, 11: 4.0}, 2: {10: 6.0, 11: 5.0}, 3: {10: 7.0}},
        2: {},
    }
    assert criterion_means(points) == {1: {10: 7.0, 11: 4.5}}


def test_spread_reports_population_sd_and_range() -> None:
    assert spread([60.0, 80.0]) == Spread(sd=10.0, range=20.0, n=2)


def test_spread_of_one_or_no_value_is_zero() -> None:
    assert spread([70.0]) == Spread(sd=0.0, range=0.0, n=1)
    assert spread([]) == Spread(sd=0.0, range=0.0, n=0)


# --- ranking by example ------------------------------------------------------------------------------


def test_ranking_uses_standard_competition_ranks() -> None:
    entries = rank_submissions({1: 90.0, 2: 80.0, 3: 80.0, 4: 70.0})
    assert [(e.submission_id, e.rank, e.tied) for e in entries] == [
        (1, 1, False),
        (2, 2, True),
        (3, 2, True),
        (4, 4, False),
    ]


def test_ranking_treats_float_noise_as_a_tie() -> None:
    entries = rank_submissions({1: 0.1 + 0.2, 2: 0.3})
    assert [(e.rank, e.tied) for e in entries] == [(1, True), (1, True)]


def test_ranking_keeps_differences_above_the_rounding_precision() -> None:
    assert ranks_of(rank_submissions({1: 80.00001, 2: 80.0}, ndigits=4)) == {1: 1, 2: 1}
    assert ranks_of(rank_submissions({1: 80.00001, 2: 80.0}, ndigits=6)) == {1: 1, 2: 2}


def test_tie_breaker_separates_equal_scores_and_is_reported() -> None:
    innovation = TieBreaker("innovation", {1: 8.0, 2: 9.5, 3: 7.0})
    entries = rank_submissions({1: 80.0, 2: 80.0, 3: 90.0}, [innovation])
    assert entries == [
        RankedEntry(3, 1, 90.0, False, (7.0,)),
        RankedEntry(2, 2, 80.0, False, (9.5,)),
        RankedEntry(1, 3, 80.0, False, (8.0,)),
    ]


def test_tie_breaker_never_reorders_different_scores() -> None:
    innovation = TieBreaker("innovation", {1: 10.0, 2: 0.0})
    assert ranks_of(rank_submissions({1: 70.0, 2: 71.0}, [innovation])) == {1: 2, 2: 1}


def test_tie_break_chain_moves_to_the_next_link_when_one_is_level() -> None:
    chain = [
        TieBreaker("impact", {1: 9.0, 2: 9.0, 3: 9.0}),
        TieBreaker("spread", {1: 4.0, 2: 2.0, 3: 4.0}, higher_is_better=False),
    ]
    entries = rank_submissions({1: 80.0, 2: 80.0, 3: 80.0}, chain)
    assert [(e.submission_id, e.rank, e.tied) for e in entries] == [(2, 1, False), (1, 2, True), (3, 2, True)]


def test_missing_tie_break_value_ranks_last_whichever_way_the_link_runs() -> None:
    for higher_is_better in (True, False):
        breaker = TieBreaker("impact", {1: 0.0, 3: 100.0}, higher_is_better)
        entries = rank_submissions({1: 50.0, 2: 50.0, 3: 50.0}, [breaker])
        assert entries[-1].submission_id == 2
        assert entries[-1].rank == 3
        assert math.isnan(entries[-1].tie_break_values[0])


def test_ranking_of_nothing_is_empty() -> None:
    assert rank_submissions({}) == []


def test_ranking_refuses_a_nan_score() -> None:
    with pytest.raises(ValueError, match="submission 4"):
        rank_submissions({4: math.nan})


# --- agreement by example ----------------------------------------------------------------------------


def test_kendalls_w_matches_a_hand_computed_example() -> None:
    # Rank sums 4, 5, 10, 11 about 7.5: S = 37; W = 12 * 37 / (3^2 * (4^3 - 4)) = 37/45.
    table = panel({1: [40, 30, 40], 2: [30, 40, 30], 3: [20, 20, 10], 4: [10, 10, 20]})
    assert kendalls_w(table) == pytest.approx(37 / 45)


def test_kendalls_w_is_one_when_judges_order_alike_on_different_scales() -> None:
    assert kendalls_w(panel({1: [90, 60, 100], 2: [80, 55, 70], 3: [70, 50, 40]})) == 1.0


def test_kendalls_w_is_zero_when_two_judges_reverse_each_other() -> None:
    assert kendalls_w(panel({1: [90, 70], 2: [80, 80], 3: [70, 90]})) == 0.0


def test_kendalls_w_corrects_for_tied_totals() -> None:
    # Both judges tie submissions 2 and 3 and agree otherwise: still perfect agreement.
    assert kendalls_w(panel({1: [90, 80], 2: [70, 60], 3: [70, 60], 4: [50, 40]})) == 1.0


def test_kendalls_w_uses_only_submissions_every_judge_scored() -> None:
    table = panel({1: [90, 80], 2: [70, 60], 3: [50, 40]})
    table[4] = {1: 100.0}  # judge 2 never saw it; it would otherwise spoil the perfect agreement
    assert kendalls_w(table) == 1.0


def test_kendalls_w_is_undefined_without_two_judges_and_two_common_submissions() -> None:
    assert kendalls_w(panel({1: [90], 2: [70]})) is None
    assert kendalls_w(panel({1: [90, 80]})) is None
    assert kendalls_w({1: {1: 90.0}, 2: {2: 80.0}}) is None
    assert kendalls_w(panel({1: [70, 70], 2: [70, 70]})) is None


def test_icc_reproduces_shrout_and_fleiss_icc_2_1() -> None:
    assert icc(SHROUT_FLEISS) == pytest.approx(0.29, abs=0.005)
    assert icc(SHROUT_FLEISS) == pytest.approx(184 / 635)


def test_icc_is_one_when_judges_give_identical_totals() -> None:
    assert icc(panel({1: [90, 90, 90], 2: [70, 70, 70], 3: [40, 40, 40]})) == 1.0


def test_icc_penalises_a_uniformly_harsh_judge_because_it_measures_absolute_agreement() -> None:
    agreed = icc(panel({1: [90, 90], 2: [70, 70], 3: [40, 40]}))
    shifted = icc(panel({1: [90, 70], 2: [70, 50], 3: [40, 20]}))
    assert agreed == 1.0
    assert shifted is not None
    assert shifted < 1.0


def test_icc_is_undefined_for_a_single_judge_or_a_table_without_variance() -> None:
    assert icc(panel({1: [90], 2: [70]})) is None
    assert icc(panel({1: [70, 70], 2: [70, 70]})) is None


# --- rank stability by example -----------------------------------------------------------------------


def test_band_probabilities_are_certain_when_every_judge_agrees() -> None:
    table = panel({1: [95, 90, 92], 2: [80, 75, 82], 3: [60, 65, 61], 4: [40, 35, 30]})
    assert band_probabilities(table, [1, 2], samples=50) == {
        1: [1.0, 0.0, 0.0],
        2: [0.0, 1.0, 0.0],
        3: [0.0, 0.0, 1.0],
        4: [0.0, 0.0, 1.0],
    }


def test_band_probabilities_split_when_judges_disagree_on_the_winner() -> None:
    # Judges 1 and 3 prefer submission 1, judges 2 and 4 submission 2: the winner is whoever the
    # replicate draws more of (a level draw ties them at rank 1, counting for both).
    table = panel({1: [90, 70, 90, 70], 2: [70, 90, 70, 90], 3: [10, 10, 10, 10]})
    probabilities = band_probabilities(table, [1], samples=400, seed=7)
    assert probabilities[1][0] == pytest.approx(11 / 16, abs=0.08)
    assert probabilities[2][0] == pytest.approx(11 / 16, abs=0.08)
    assert probabilities[3] == [0.0, 1.0]


def test_band_probabilities_repeat_exactly_for_the_same_seed() -> None:
    first = band_probabilities(SHROUT_FLEISS, [1, 3], Method.median, samples=100, seed=3)
    assert band_probabilities(SHROUT_FLEISS, [1, 3], Method.median, samples=100, seed=3) == first


def test_band_probabilities_put_a_submission_no_drawn_judge_scored_in_the_last_band() -> None:
    # Submission 3 only has judge 2; any replicate without judge 2 leaves it unranked.
    table: Totals = {1: {1: 50.0, 2: 50.0}, 2: {1: 40.0, 2: 40.0}, 3: {2: 100.0}}
    probabilities = band_probabilities(table, [1], samples=400, seed=1)
    # P(judge 2 drawn at least once in two draws) = 3/4.
    assert probabilities[3][0] == pytest.approx(0.75, abs=0.08)


def test_band_probabilities_refuse_bands_that_are_not_increasing_cut_offs() -> None:
    for bands in ([0, 3], [3, 3], [5, 2]):
        with pytest.raises(ValueError, match="bands"):
            band_probabilities(SHROUT_FLEISS, bands)
    with pytest.raises(ValueError, match="samples"):
        band_probabilities(SHROUT_FLEISS, [1], samples=0)


def test_leave_one_judge_out_shows_which_judge_decides_the_order() -> None:
    # Judge 3 alone puts submission 2 ahead; without judge 3 it drops behind.
    table = panel({1: [80, 80, 40], 2: [75, 75, 100], 3: [50, 50, 50]})
    assert leave_one_judge_out(table) == {1: [2, 2, 1], 2: [1, 1, 2], 3: [3, 3, 3]}


def test_leave_one_judge_out_ranks_a_submission_only_that_judge_saw_last() -> None:
    table: Totals = {1: {1: 50.0, 2: 60.0}, 2: {2: 90.0}, 3: {1: 40.0, 2: 40.0}}
    # Without judge 1: 2, 1, 3 by 90 > 60 > 40.  Without judge 2: 1 and 3 ranked, 2 unranked.
    assert leave_one_judge_out(table) == {1: [2, 1], 2: [1, 3], 3: [3, 2]}


def test_cutoff_is_stable_when_the_bootstrap_keeps_both_neighbours_on_their_side() -> None:
    table = panel({1: [95, 90, 92], 2: [80, 75, 82], 3: [60, 65, 61]})
    ranking = rank_submissions(aggregate(table))
    probabilities = band_probabilities(table, [1, 2], samples=50)
    assert cutoff_stability(ranking, probabilities, [1, 2]) == [
        CutoffStability(1, (1,), (2,), 1.0, 0.0, True),
        CutoffStability(2, (2,), (3,), 1.0, 0.0, True),
    ]
    assert unstable_cutoffs(ranking, probabilities, [1, 2]) == []


def test_cutoff_is_unstable_when_the_winner_depends_on_who_judged() -> None:
    table = panel({1: [90, 70, 90, 71], 2: [70, 90, 70, 90], 3: [10, 10, 10, 10]})
    ranking = rank_submissions(aggregate(table))
    probabilities = band_probabilities(table, [1, 2], samples=300)
    flagged = unstable_cutoffs(ranking, probabilities, [1, 2])
    assert [(c.cutoff, c.inside, c.outside) for c in flagged] == [(1, (1,), (2,))]
    assert flagged[0].inside_probability < 0.8


def test_cutoff_beyond_the_field_has_no_outside_neighbours() -> None:
    table = panel({1: [90, 80], 2: [70, 60]})
    ranking = rank_submissions(aggregate(table))
    [check] = cutoff_stability(ranking, band_probabilities(table, [5], samples=20), [5])
    assert (check.inside, check.outside, check.outside_probability, check.stable) == ((2,), (), 0.0, True)


# --- properties --------------------------------------------------------------------------------------


@FAST
@given(scores_maps)
def test_ranking_is_a_permutation_of_the_submissions(scores: dict[int, float]) -> None:
    entries = rank_submissions(scores)
    assert sorted(e.submission_id for e in entries) == sorted(scores)


@FAST
@given(scores_maps)
def test_ranks_are_non_decreasing_and_within_one_to_n(scores: dict[int, float]) -> None:
    ranks = [e.rank for e in rank_submissions(scores)]
    assert ranks == sorted(ranks)
    assert all(1 <= r <= len(scores) for r in ranks)
    if ranks:
        assert ranks[0] == 1


@FAST
@given(scores_maps)
def test_competition_rank_counts_the_entries_strictly_ahead(scores: dict[int, float]) -> None:
    for entry in rank_submissions(scores):
        ahead = sum(round(v, 6) > round(entry.score, 6) for v in scores.values())
        assert entry.rank == ahead + 1


@FAST
@given(scores_maps, st.dictionaries(st.integers(1, 60), score_steps, max_size=15))
def test_entries_tie_only_when_scores_and_tie_breaks_are_equal(
    scores: dict[int, float], innovation: dict[int, float]
) -> None:
    entries = rank_submissions(scores, [TieBreaker("innovation", innovation)])
    for a in entries:
        for b in entries:
            if a.submission_id == b.submission_id:
                continue
            same = round(a.score, 6) == round(b.score, 6) and innovation.get(a.submission_id) == innovation.get(
                b.submission_id
            )
            assert (a.rank == b.rank) == same
        assert a.tied == any(b.rank == a.rank for b in entries if b.submission_id != a.submission_id)


@FAST
@given(scores_maps)
def test_ranking_is_ordered_by_rank_then_submission_id(scores: dict[int, float]) -> None:
    entries = rank_submissions(scores)
    assert [(e.rank, e.submission_id) for e in entries] == sorted((e.rank, e.submission_id) for e in entries)


@FAST
@given(totals_tables(values=any_total), st.sampled_from(list(Method)))
def test_aggregated_scores_stay_within_zero_to_one_hundred(table: Totals, method: Method) -> None:
    scores = aggregate(table, method)
    assert set(scores) == {s for s, sheets in table.items() if sheets}
    assert all(0.0 <= v <= 100.0 for v in scores.values())


@FAST
@given(totals_tables(values=any_total), st.sampled_from([Method.mean, Method.median, Method.trimmed_mean]))
def test_raw_methods_stay_between_the_lowest_and_highest_total(table: Totals, method: Method) -> None:
    for s, score in aggregate(table, method).items():
        # fsum / n may land an ulp outside the range when every total is equal
        assert min(table[s].values()) - 1e-9 <= score <= max(table[s].values()) + 1e-9


@FAST
@given(totals_tables(), st.data(), st.floats(-1000, 1000, allow_nan=False))
def test_zscore_is_invariant_to_a_judge_adding_a_constant(table: Totals, data: st.DataObject, constant: float) -> None:
    judges = sorted({j for sheets in table.values() for j in sheets})
    if not judges:
        return
    judge = data.draw(st.sampled_from(judges))
    shifted = {s: {j: t + constant if j == judge else t for j, t in sheets.items()} for s, sheets in table.items()}
    before, after = aggregate(table, Method.zscore), aggregate(shifted, Method.zscore)
    assert after == pytest.approx(before, abs=1e-6)


@FAST
@given(totals_tables(), st.data(), st.floats(0.01, 100))
def test_zscore_is_invariant_to_a_judge_scaling_their_totals(table: Totals, data: st.DataObject, factor: float) -> None:
    judges = sorted({j for sheets in table.values() for j in sheets})
    if not judges:
        return
    judge = data.draw(st.sampled_from(judges))
    scaled = {s: {j: t * factor if j == judge else t for j, t in sheets.items()} for s, sheets in table.items()}
    assert aggregate(scaled, Method.zscore) == pytest.approx(aggregate(table, Method.zscore), abs=1e-6)


@SLOW
@given(
    totals_tables(),
    st.lists(st.integers(1, 10), min_size=1, max_size=3, unique=True).map(sorted),
    st.sampled_from(list(Method)),
    st.integers(0, 2**32),
)
def test_band_probabilities_sum_to_one_for_every_submission(
    table: Totals, bands: list[int], method: Method, seed: int
) -> None:
    probabilities = band_probabilities(table, bands, method, samples=25, seed=seed)
    assert set(probabilities) == {s for s, sheets in table.items() if sheets}
    for row in probabilities.values():
        assert len(row) == len(bands) + 1
        assert all(0.0 <= p <= 1.0 for p in row)
        assert math.fsum(row) == pytest.approx(1.0)


@SLOW
@given(totals_tables(), st.sampled_from(list(Method)))
def test_leave_one_judge_out_gives_one_rank_per_judge(table: Totals, method: Method) -> None:
    judges = {j for sheets in table.values() for j in sheets}
    result = leave_one_judge_out(table, method)
    assert set(result) == {s for s, sheets in table.items() if sheets}
    assert all(len(ranks) == len(judges) for ranks in result.values())
    assert all(1 <= r <= len(result) for ranks in result.values() for r in ranks)


@st.composite
def agreeing_panels(draw: st.DrawFn) -> Totals:
    """Judges who order the submissions alike, each on their own scale and offset."""
    base = draw(st.lists(st.integers(0, 100), min_size=2, max_size=8, unique=True))
    scales = draw(st.lists(st.tuples(st.floats(0.1, 10), st.floats(-50, 50)), min_size=2, max_size=6))
    return {s: {j: a * b + c for j, (a, c) in enumerate(scales, start=1)} for s, b in enumerate(base, start=1)}


@FAST
@given(agreeing_panels())
def test_kendalls_w_is_one_when_all_judges_agree(table: Totals) -> None:
    assert kendalls_w(table) == 1.0


@FAST
@given(totals_tables(complete=True, min_judges=2))
def test_kendalls_w_stays_within_zero_and_one(table: Totals) -> None:
    w = kendalls_w(table)
    assert w is None or 0.0 <= w <= 1.0


@FAST
@given(totals_tables(complete=True, min_judges=2))
def test_icc_never_exceeds_one(table: Totals) -> None:
    value = icc(table)
    assert value is None or value <= 1.0


@FAST
@given(scores_maps, st.dictionaries(st.integers(1, 60), score_steps, max_size=15), st.booleans())
def test_ranking_orders_by_rounded_score_then_the_chain_then_id(
    scores: dict[int, float], breaks: dict[int, float], higher_is_better: bool
) -> None:
    # The plain definition the faster run-by-run sort must agree with, entry for entry.
    def key(s: int) -> tuple[float, tuple[int, float], int]:
        value = breaks.get(s)
        link = (1, 0.0) if value is None else (0, -round(value, 6) if higher_is_better else round(value, 6))
        return (-round(scores[s], 6), link, s)

    ranked = rank_submissions(scores, [TieBreaker("b", breaks, higher_is_better)])
    assert [e.submission_id for e in ranked] == sorted(scores, key=key)


@FAST
@given(
    st.dictionaries(
        st.integers(1, 30), st.dictionaries(st.integers(1, 9), any_total, min_size=1, max_size=7), max_size=10
    )
)
def test_mean_and_trimmed_mean_are_the_statistics_module_fmean(totals: dict[int, dict[int, float]]) -> None:
    mean, trimmed = aggregate(totals, Method.mean), aggregate(totals, Method.trimmed_mean)
    for s, sheets in totals.items():
        values = sorted(sheets.values())
        assert mean[s] == statistics.fmean(values)
        assert trimmed[s] == statistics.fmean(values[1:-1] if len(values) >= 5 else values)


@given(st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=0, max_size=60))
def test_float_pstdev_agrees_with_the_exact_statistics_pstdev(values: list[float]) -> None:
    expected = statistics.pstdev(values) if len(values) >= 2 else 0.0
    assert float_pstdev(values) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_float_pstdev_on_a_judges_half_point_totals() -> None:
    assert float_pstdev([60.0, 80.0]) == 10.0
    assert float_pstdev([72.5]) == 0.0
    assert float_pstdev([70.0, 70.0, 70.0]) == 0.0


# --- agreement: the exact integer arithmetic against the textbook formulas in fractions ---------------------------


def _icc_reference(table: Totals) -> float | None:
    """ICC(2,1) as Shrout & Fleiss write it, in exact fractions, over a complete table."""
    judges = sorted({j for sheets in table.values() for j in sheets})
    rows = [[Fraction(table[s][j]) for j in judges] for s in sorted(table)]
    n, k = len(rows), len(judges)
    grand = sum(map(sum, rows), Fraction(0)) / (n * k)
    row_means = [sum(r, Fraction(0)) / k for r in rows]
    col_means = [sum((r[c] for r in rows), Fraction(0)) / n for c in range(k)]
    ss_total = sum(((y - grand) ** 2 for r in rows for y in r), Fraction(0))
    ss_rows = k * sum(((m - grand) ** 2 for m in row_means), Fraction(0))
    ss_cols = n * sum(((m - grand) ** 2 for m in col_means), Fraction(0))
    ms_rows, ms_cols = ss_rows / (n - 1), ss_cols / (k - 1)
    ms_error = (ss_total - ss_rows - ss_cols) / ((n - 1) * (k - 1))
    denominator = ms_rows + (k - 1) * ms_error + k * (ms_cols - ms_error) / n
    return None if denominator == 0 else float((ms_rows - ms_error) / denominator)


def _w_reference(table: Totals) -> float | None:
    """Kendall's W, tie-corrected, with average ranks in fractions, over a complete table."""
    judges = sorted({j for sheets in table.values() for j in sheets})
    subs = sorted(table)
    m, n = len(judges), len(subs)
    sums = [Fraction(0)] * n
    correction = 0
    for j in judges:
        values = [table[s][j] for s in subs]
        for i, v in enumerate(values):
            below, equal = sum(x < v for x in values), sum(x == v for x in values)
            sums[i] += below + Fraction(equal + 1, 2)
        correction += sum(t**3 - t for t in (values.count(v) for v in set(values)))
    s = sum(((r - Fraction(m * (n + 1), 2)) ** 2 for r in sums), Fraction(0))
    denominator = m * m * (n**3 - n) - m * correction
    return None if denominator == 0 else float(12 * s / denominator)


exact_floats = st.floats(0, 100, allow_nan=False, allow_infinity=False)  # any float, not only score steps


@FAST
@given(totals_tables(values=exact_floats, complete=True, min_judges=2).filter(lambda t: len(t) >= 2))
def test_icc_in_whole_numbers_equals_the_textbook_formula_in_fractions(table: Totals) -> None:
    assert icc(table) == _icc_reference(table)


@FAST
@given(totals_tables(complete=True, min_judges=2).filter(lambda t: len(t) >= 2))
def test_kendalls_w_in_whole_numbers_equals_the_textbook_formula_in_fractions(table: Totals) -> None:
    assert kendalls_w(table) == _w_reference(table)


# --- agreement within panels --------------------------------------------------------------------------------------


def test_one_panel_of_every_judge_gives_the_complete_tables_figures_exactly() -> None:
    found = panel_agreement(SHROUT_FLEISS)
    assert (found.kendalls_w, found.icc) == (kendalls_w(SHROUT_FLEISS), icc(SHROUT_FLEISS))
    assert (found.panels, found.submissions, found.judges) == (1, 6, 4)


def test_panels_of_different_judges_are_weighted_by_their_works() -> None:
    # Judges 1 and 2 agree on three works; judges 3 and 4 reverse each other on six.
    agreeing = {s: {1: 10.0 * s, 2: 10.0 * s + 5} for s in (1, 2, 3)}
    reversed_ = {s: {3: float(s), 4: float(10 - s)} for s in (11, 12, 13, 14, 15, 16)}
    found = panel_agreement({**agreeing, **reversed_})
    assert found.kendalls_w == pytest.approx((1.0 * 3 + 0.0 * 6) / 9)
    assert found.icc == pytest.approx((icc(agreeing) * 3 + icc(reversed_) * 6) / 9)
    assert (found.panels, found.submissions, found.judges) == (2, 9, 4)
    # The complete-table figures see no work that all four judges scored.
    assert kendalls_w({**agreeing, **reversed_}) is None


def test_panels_too_small_to_order_and_works_with_one_judge_are_left_out() -> None:
    table = {1: {1: 90.0, 2: 80.0}, 2: {1: 70.0, 2: 60.0}, 3: {1: 50.0}, 4: {3: 40.0, 4: 30.0}}
    found = panel_agreement(table)
    assert (found.kendalls_w, found.icc, found.panels, found.submissions, found.judges) == (None, None, 0, 0, 0)
    table[5] = {1: 30.0, 2: 20.0}  # the panel of judges 1 and 2 now has three works
    found = panel_agreement(table)
    assert (found.kendalls_w, found.panels, found.submissions, found.judges) == (1.0, 1, 3, 2)


@FAST
@given(
    st.dictionaries(
        st.integers(1, 30), st.dictionaries(st.integers(1, 9), any_total, min_size=1, max_size=7), max_size=10
    )
)
def test_the_bulk_median_and_spreads_are_the_per_submission_ones(totals: dict[int, dict[int, float]]) -> None:
    median = aggregate(totals, Method.median)
    bulk = spreads(totals)
    for s, sheets in totals.items():
        assert median[s] == statistics.median(sheets.values())
        assert bulk[s] == float_pstdev(list(sheets.values()))


@FAST
@given(
    st.dictionaries(
        st.integers(1, 30),
        # -0.0 beside 0.0: the median of a ranking must pick the one sorted() leaves in the middle.
        st.dictionaries(st.integers(1, 9), any_total | st.sampled_from([0.0, -0.0]), max_size=8),
        max_size=10,
    )
)
def test_a_rankings_median_and_trimmed_mean_are_the_per_submission_ones_bit_for_bit(
    totals: dict[int, dict[int, float]],
) -> None:
    # The ranking takes them as columns (scoring._by_order); aggregate takes each submission in turn.
    found, _ = scores_and_spreads(totals, [Method.median, Method.trimmed_mean])
    for method in (Method.median, Method.trimmed_mean):
        want = aggregate(totals, method)
        assert found[method].keys() == want.keys()
        assert all(repr(found[method][s]) == repr(v) for s, v in want.items())


@FAST
@given(
    st.dictionaries(
        st.integers(1, 30), st.dictionaries(st.integers(1, 9), any_total, min_size=1, max_size=7), max_size=10
    )
)
def test_the_mean_and_spread_in_one_pass_are_the_aggregate_and_float_pstdev_bit_for_bit(
    totals: dict[int, dict[int, float]],
) -> None:
    means, bulk = means_and_spreads(totals)
    assert means == aggregate(totals, Method.mean) and means.keys() == bulk.keys() == totals.keys()
    for s, sheets in totals.items():
        assert repr(bulk[s]) == repr(float_pstdev(list(sheets.values())))


@FAST
@given(
    st.dictionaries(
        st.integers(1, 30),
        # Negative totals too: a flat judge's negative total makes a z of -0.0, which must not change the score.
        st.dictionaries(st.integers(1, 9), st.floats(-100, 100, allow_nan=False), min_size=1, max_size=7),
        max_size=10,
    )
)
def test_zscores_centre_and_scale_each_judge_by_their_float_mean_and_pstdev(
    totals: dict[int, dict[int, float]],
) -> None:
    by_judge: dict[int, list[float]] = {}
    for sheets in totals.values():
        for j, t in sheets.items():
            by_judge.setdefault(j, []).append(t)
    centre, scale = {}, {}
    for j, values in by_judge.items():
        sd = float_pstdev(values)
        flat = len(values) < 2 or sd <= 1e-9 * max(abs(v) for v in values)
        centre[j], scale[j] = (0.0, math.inf) if flat else (math.fsum(values) / len(values), sd)
    found = aggregate(totals, Method.zscore)
    for s, sheets in totals.items():
        z = math.fsum([(t - centre[j]) / scale[j] + 0.0 for j, t in sheets.items()]) / len(sheets)
        assert repr(found[s]) == repr(min(100.0, max(0.0, 50.0 + 10.0 * z)))


@FAST
@given(
    scores_maps,
    st.dictionaries(st.integers(1, 60), score_steps, max_size=15),
    st.booleans(),
    st.sets(st.integers(1, 60), max_size=10),
)
def test_works_behind_rank_after_the_others_as_if_ranked_apart(
    scores: dict[int, float], breaks: dict[int, float], higher_is_better: bool, behind: set[int]
) -> None:
    # Two rankings, the second's ranks going on after the first's last entry: what the quorum asks of works below it.
    chain = [TieBreaker("b", breaks, higher_is_better)]
    ahead = rank_submissions({s: v for s, v in scores.items() if s not in behind}, chain)
    after = rank_submissions({s: v for s, v in scores.items() if s in behind}, chain)
    expected = [(e.submission_id, e.rank, e.tied, e.tie_break_values) for e in ahead]
    expected += [(e.submission_id, e.rank + len(ahead), e.tied, e.tie_break_values) for e in after]
    order = rank_order(scores, chain, behind=behind)
    got = list(zip(order.ids, order.ranks, order.tied, order.tie_break_values, strict=True))
    assert [(s, r, t, tuple(map(repr, v))) for s, r, t, v in got] == [
        (s, r, t, tuple(map(repr, v))) for s, r, t, v in expected
    ]


# Quarter points moved by less, about and more than half a rounding step (1e-6): scores that round alike or not.
near_steps = st.tuples(
    st.integers(0, 40), st.sampled_from([0.0, 1e-7, -1e-7, 4.9e-7, -4.9e-7, 5e-7, -5e-7, 5.1e-7, 1e-6, -1e-6, 2e-6])
).map(lambda p: p[0] / 4 + p[1])


@FAST
@given(
    st.dictionaries(st.integers(1, 60), near_steps, max_size=25),
    st.dictionaries(st.integers(1, 60), near_steps, max_size=25),
    st.booleans(),
)
def test_scores_a_rounding_step_apart_rank_by_their_rounded_values(
    scores: dict[int, float], breaks: dict[int, float], higher_is_better: bool
) -> None:
    # Mostly distinct scores are sorted unrounded, only those with a neighbour close enough to round alike rounded;
    # mostly level ones are all rounded. Either way: the plain definition, ranks and ties included.
    def level(s: int) -> tuple[float, tuple[int, float]]:
        value = breaks.get(s)
        link = (1, 0.0) if value is None else (0, -round(value, 6) if higher_is_better else round(value, 6))
        return (-round(scores[s], 6), link)

    ranked = rank_submissions(scores, [TieBreaker("b", breaks, higher_is_better)])
    assert [e.submission_id for e in ranked] == sorted(scores, key=lambda s: (level(s), s))
    for e in ranked:
        assert e.rank == 1 + sum(level(s) < level(e.submission_id) for s in scores)
        assert e.tied == any(level(s) == level(e.submission_id) for s in scores if s != e.submission_id)
