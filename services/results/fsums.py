"""math.fsum of many groups of floats at once, and round() of many floats: the same floats, bit for bit, at NumPy's
speed.

A national ranking adds up 50,000 sheet totals in 10,000 groups of five several times (each work's mean, spread and
z-score) and in 25 groups of 2,000 (each judge's centre and scale). math.fsum gives each group's exact sum rounded
once (to nearest, ties to even); called 10,000 times from Python, with the Python around it, it cost more than the
rest of the ranking's arithmetic. The ranking's ties (scores rounded to six digits) and the spreads it shows depend
on those exact floats, so a faster sum must give the very same ones.

How, for every group at once (NumPy over a table of one row per group, padded with zeros, which change no sum):
1. each group is added up as a pairwise tree with Knuth's TwoSum, which gives every addition's rounding error exactly,
   as a float: the row's exact sum = s + (the exact sum of those errors);
2. the errors are added up the same way: their exact sum = s2 + (the exact sum of the second-order errors e2);
3. where every e2 is zero (nearly always), the exact sum is s + s2, two floats, and one IEEE addition rounds it
   correctly: r = fl(s + s2) is math.fsum's result;
4. otherwise, with d = s + s2 - r (exact: TwoSum once more) and |sum of e2| <= m = sum of |e2|, the exact sum lies
   within |d| + m of r, and r is still the correctly rounded sum when |d| + m is below half the smaller gap between
   r and its neighbouring floats (tested with margin for the test's own rounding);
5. a group that passes neither (an exact sum within ~1e-30 of a tie, a zero, whose sign math.fsum decides, or
   values near the largest float, where math.fsum may refuse an intermediate overflow) is added up by math.fsum itself.
tests/unit/test_fsums.py holds it to math.fsum on ties, cancellations and values 1e-300 to 1e300 apart.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float64]
Counts = NDArray[np.intp]

# Groups longer than this are summed one by one by math.fsum: its C loop costs ~20 ns a value, which a few long groups
# (a national edition's 25 judges of 2,000 sheets) make cheaper than a wide table; the table pays where groups are
# many and short (its 10,000 works of five).
_WIDEST = 64


def group_fsums(values: Floats, lengths: Counts) -> Floats:
    """math.fsum of each run of values, in order: the first lengths[0] values, then the next lengths[1], and so on
    (lengths sum to len(values); a group may be empty: 0.0). The values must be finite."""
    groups = len(lengths)
    width = int(lengths.max()) if groups else 0
    starts = np.cumsum(lengths) - lengths
    if width > _WIDEST:
        return _one_by_one(values, starts, lengths, np.arange(groups))
    # One row per place in a group and one column per group (column-major: each step below works on whole rows).
    table = np.zeros((width, groups))
    for k in range(width):
        reaching = np.flatnonzero(lengths > k)
        table[k, reaching] = values[starts[reaching] + k]
    r, kept = _checked_sums(table)
    left = np.flatnonzero(~kept)
    if len(left):
        r[left] = _one_by_one(values, starts, lengths, left)
    return r


def _checked_sums(table: Floats) -> tuple[Floats, NDArray[np.bool_]]:
    """Steps 1-4 for each column of table: its sum, and whether that sum is proven to be math.fsum's."""
    with np.errstate(invalid="ignore", over="ignore"):  # an overflow makes NaNs and infinities: left to math.fsum
        s, e = _tree(table)
        s2, e2 = _tree(e)
        r = s + s2
        d = _two_sum_error(s, s2, r)  # r + d == s + s2 exactly
        m = np.abs(e2).sum(axis=0)
        gap = np.minimum(np.nextafter(r, np.inf) - r, r - np.nextafter(r, -np.inf))
        # fl(h - |d|) > 4m implies |d| + m < h (h = gap / 2 is exact; fl(h - |d|) <= (h - |d|)(1 + 2^-53)).
        exact = (m == 0.0) | ((0.5 * gap - np.abs(d)) > 4.0 * m)
        # math.fsum refuses a sum whose running partials overflow, even where the sum itself would not: below 2^1016
        # a value, _WIDEST of them never come near the largest float, so those are left to it to refuse or not.
        return r, exact & (r != 0.0) & (np.abs(table).max(axis=0, initial=0.0) < 2.0**1016)


def _tree(table: Floats) -> tuple[Floats, Floats]:
    """Each column of table added up pairwise (the first half of the rows to the second, again and again): its sums,
    and every rounding error made on the way, one row each; a column's exact sum is its sum plus its errors'."""
    s, errors = table, []
    while len(s) > 1:
        half = len(s) // 2
        a, b = s[:half], s[half : 2 * half]
        t = a + b
        errors.append(_two_sum_error(a, b, t))
        s = np.concatenate([t, s[2 * half :]]) if len(s) % 2 else t
    if len(s) == 0:
        return np.zeros(table.shape[1]), np.zeros((0, table.shape[1]))
    return s[0], (np.concatenate(errors) if errors else np.zeros((0, table.shape[1])))


def _two_sum_error(a: Floats, b: Floats, t: Floats) -> Floats:
    """Knuth's TwoSum: with t = fl(a + b), the float a + b - t, exactly (no overflow). In place where it can be: a
    ranking makes these arrays by the dozen."""
    virtual = t - a
    error = t - virtual
    np.subtract(a, error, out=error)
    np.subtract(b, virtual, out=virtual)
    return np.add(error, virtual, out=error)


def _one_by_one(values: Floats, starts: Counts, lengths: Counts, which: Counts) -> Floats:
    as_list = values.tolist()
    runs = zip(starts[which].tolist(), lengths[which].tolist(), strict=True)
    return np.array([math.fsum(as_list[a : a + n]) for a, n in runs], dtype=np.float64)


def rounded(values: Floats, ndigits: int) -> Floats:
    """round(v, ndigits) of each of values (finite, 0 <= ndigits <= 15), bit for bit, at NumPy's speed: a national
    ranking shows 10,000 distinct z-scores to two decimals.

    Python rounds v's exact value to ndigits decimals (half to even) and returns the float nearest that decimal. With
    p = 10^ndigits, y = fl(v * p) lies within about |y| * 2^-53 of v * p; where y is more than twice that from every
    half-integer, rint(y) is the same integer k as the exact rounding, and k / p (k and p exact, one IEEE division)
    is the float nearest k / 10^ndigits. The few values near a half (and any beyond 2^52 / p) are rounded by round.
    """
    p = 10.0**ndigits
    with np.errstate(over="ignore", invalid="ignore"):  # values beyond 2^52 / p: left to round
        y = values * p
        fraction = y - np.floor(y)  # exact below 2^52
        sure = (np.abs(fraction - 0.5) > np.abs(y) * 2.0**-52) & (np.abs(y) < 2.0**52)
        out = np.rint(y) / p
    for i in np.flatnonzero(~sure).tolist():
        out[i] = round(float(values[i]), ndigits)
    return out
