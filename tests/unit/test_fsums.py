"""fsums.group_fsums against math.fsum, bit for bit: the ranking's ties and spreads depend on those exact floats."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.results import fsums
from services.results.fsums import group_fsums


def same_as_fsum(groups: list[list[float]]) -> None:
    values = np.array([v for group in groups for v in group], dtype=np.float64)
    lengths = np.array([len(g) for g in groups], dtype=np.intp)
    try:
        expected = [math.fsum(group) for group in groups]
    except OverflowError:  # a sum beyond the largest float: refused the same way
        with pytest.raises(OverflowError):
            group_fsums(values, lengths)
        return
    found = group_fsums(values, lengths).tolist()
    assert [repr(f) for f in found] == [repr(e) for e in expected], [
        (group, f, e) for group, f, e in zip(groups, found, expected, strict=True) if repr(f) != repr(e)
    ][:3]


def table_of(groups: list[list[float]]) -> np.ndarray:
    """The groups as fsums lays them out: one column each."""
    table = np.zeros((max(map(len, groups)), len(groups)))
    for column, group in enumerate(groups):
        table[: len(group), column] = group
    return table


finite = st.floats(allow_nan=False, allow_infinity=False)
# Magnitudes far apart, where the sums' rounding errors carry bits of their own (second-order errors).
wide = st.builds(lambda m, e: m * 2.0**e, st.floats(-2, 2, allow_nan=False), st.integers(-200, 200))
# The contest's own: half points and their z values.
halves = st.integers(0, 200).map(lambda n: n / 2)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.one_of(finite, wide, halves), max_size=9), max_size=30))
def test_each_group_sums_to_math_fsums_float(groups: list[list[float]]) -> None:
    same_as_fsum(groups)


def test_sums_a_rounding_step_from_a_tie_and_exactly_on_one() -> None:
    rng = random.Random(7)
    groups = []
    for _ in range(2000):
        big = rng.uniform(1, 2) * 2.0 ** rng.randint(-30, 30)
        half = math.ulp(big) / 2  # big + half is exactly halfway between two floats
        tiny = rng.choice([0.0, half * 2.0**-60, -half * 2.0**-60, half * 2.0**-1000])
        groups.append(rng.sample([big, half, tiny, -tiny / 3, rng.choice([0.0, -0.0])], k=5))
    same_as_fsum(groups)


def test_cancellations_zeros_and_signs_of_zero() -> None:
    same_as_fsum(
        [[], [0.0], [-0.0], [-0.0, -0.0], [1.0, -1.0], [1e308, -1e308, 5.0], [1e300, 1.0, -1e300], [2.0**-1074] * 3]
    )


def test_an_overflowing_sum_is_refused_as_math_fsum_refuses_it() -> None:
    with pytest.raises(OverflowError):
        math.fsum([1e308, 1e308])
    same_as_fsum([[1.0], [1e308, 1e308]])
    same_as_fsum([[1e308, 1e308, -1e308]])  # math.fsum's partials overflow here too
    same_as_fsum([[1e308, 1e308, -1e308, -1e308, 1.0]])  # ... and here, where a pairwise sum would not
    same_as_fsum([[0.0, 2.9937604643020797e292, 1.7976931348623155e308, -2.215827865120446e276]])


def test_a_national_rankings_sums_need_no_fallback() -> None:
    # The vectorised path must carry the load: the contest's half-point totals and their z values, 10,000 groups of
    # five, each proven equal to math.fsum without calling it.
    rng = np.random.default_rng(3)
    totals = rng.integers(0, 201, size=(5, 10_000)) / 2
    z = (totals - totals.mean()) / totals.std()
    for table in (totals, z, (totals - totals.mean(axis=0)) ** 2):
        _, kept = fsums._checked_sums(table)
        assert kept.all()


def test_second_order_errors_are_bounded_not_given_up() -> None:
    # Rows whose errors' own sums round (step 4): most are still proven, not handed to math.fsum.
    rng = random.Random(11)
    groups = [[rng.uniform(-1, 1) * 2.0 ** rng.randint(-80, 80) for _ in range(7)] for _ in range(500)]
    table = table_of(groups)
    second_order = np.abs(fsums._tree(fsums._tree(table)[1])[1]).sum(axis=0) > 0
    _, kept = fsums._checked_sums(table)
    assert second_order.sum() > 100 and (kept & second_order).sum() > 0.9 * second_order.sum()
    same_as_fsum(groups)


def test_a_few_long_groups_among_many_short_ones_are_summed_without_a_huge_table() -> None:
    groups = [[0.1] * 50_000] + [[0.2, 0.3]] * 5_000
    same_as_fsum(groups)


def same_as_round(values: list[float], ndigits: int) -> None:
    found = fsums.rounded(np.array(values, dtype=np.float64), ndigits).tolist()
    assert [repr(f) for f in found] == [repr(round(v, ndigits)) for v in values]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.floats(-1e6, 1e6), st.floats(allow_nan=False, allow_infinity=False)), max_size=40))
def test_each_value_rounds_to_pythons_round(values: list[float]) -> None:
    for ndigits in (0, 2, 6):
        same_as_round(values, ndigits)


def test_halves_and_values_a_step_from_a_half_round_as_python_does() -> None:
    # 0.125 is a tie in binary (half to even: 0.12); 0.135 is not quite one (its float lies below 0.135); -0.005 keeps
    # its sign of zero.
    halves = [k / 1000 for k in range(-2000, 2000, 5)] + [0.125, 0.375, 2.675, -0.005, -0.0, 0.0]
    near = [np.nextafter(v, v + d) for v in halves for d in (-1.0, 1.0)]
    same_as_round(halves + [float(v) for v in near], 2)
    rng = random.Random(4)
    same_as_round([50 + 10 * rng.gauss(0, 1) for _ in range(20_000)], 2)  # z-scores on the 0..100 scale
