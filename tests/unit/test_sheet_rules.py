"""The merge rules of saving a score sheet (services.judging.sheet_rules): pure, so tested without a database."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from services.judging.sheet_rules import OVERALL, ScoreWrite, Stored, merge, missing_on_submit

CRITERIA = (11, 12, 13)


def _merge(
    stored: dict[int, Stored] | None = None,
    points: dict[int, float] | None = None,
    comments: dict[int, str] | None = None,
    *,
    overall_given: bool = False,
    submit: bool = False,
):
    return merge(
        criterion_ids=CRITERIA,
        stored=stored or {},
        points=points or {},
        comments=comments or {},
        overall_given=overall_given,
        submit=submit,
    )


def test_a_moved_slider_writes_a_new_row_with_an_empty_comment() -> None:
    plan = _merge(points={12: 7})
    assert plan.writes == (ScoreWrite(12, 7.0, "", None),)
    assert plan.settled == frozenset()
    assert plan.missing == ()


def test_new_points_keep_the_stored_comment_and_record_what_was_there() -> None:
    plan = _merge(stored={11: Stored(5.0, "ดี")}, points={11: 6})
    assert plan.writes == (ScoreWrite(11, 6.0, "ดี", Stored(5.0, "ดี")),)


def test_a_comment_keeps_the_stored_points_and_is_settled() -> None:
    plan = _merge(stored={11: Stored(5.0, "")}, comments={11: "ครบถ้วน"})
    assert plan.writes == (ScoreWrite(11, 5.0, "ครบถ้วน", Stored(5.0, "")),)
    assert plan.settled == {11}


def test_a_comment_before_any_points_waits_typed_and_is_not_settled() -> None:
    plan = _merge(comments={13: "รอคะแนน"})
    assert plan.writes == ()
    assert plan.settled == frozenset()


def test_the_same_points_and_comment_again_write_nothing_but_settle_the_comment() -> None:
    plan = _merge(stored={11: Stored(5.0, "ดี")}, points={11: 5}, comments={11: "ดี"})
    assert plan.writes == ()
    assert plan.settled == {11}


def test_a_comment_for_a_criterion_not_on_the_sheet_is_ignored() -> None:
    plan = _merge(stored={11: Stored(5.0, "")}, comments={99: "x"})
    assert plan == _merge(stored={11: Stored(5.0, "")})


def test_an_overall_comment_settles_its_typed_copy() -> None:
    assert _merge(overall_given=True).settled == {OVERALL}


def test_writes_come_in_criterion_order() -> None:
    plan = _merge(points={13: 1, 11: 2, 12: 3})
    assert [w.criterion_id for w in plan.writes] == [11, 12, 13]


def test_submit_names_the_criteria_without_points_in_the_sheets_order() -> None:
    plan = _merge(stored={12: Stored(4.0, "")}, points={11: 1}, submit=True)
    assert plan.missing == (13,)


def test_submit_settles_every_typed_comment_of_the_sheet() -> None:
    plan = _merge(stored={c: Stored(1.0, "") for c in CRITERIA}, submit=True)
    assert plan.missing == ()
    assert plan.settled == {*CRITERIA, OVERALL}


def test_missing_on_submit_counts_points_given_with_the_submit() -> None:
    assert missing_on_submit(CRITERIA, {11: Stored(1.0, "")}, {12: 0.0}) == (13,)
    assert missing_on_submit(CRITERIA, {}, {}) == CRITERIA


points_maps = st.dictionaries(st.sampled_from(CRITERIA), st.integers(0, 20).map(float))
stored_maps = st.dictionaries(
    st.sampled_from(CRITERIA), st.builds(Stored, st.integers(0, 20).map(float), st.sampled_from(["", "ก", "b"]))
)


@given(stored=stored_maps, points=points_maps)
def test_saving_what_is_stored_writes_nothing(stored: dict[int, Stored], points: dict[int, float]) -> None:
    plan = _merge(
        stored=stored,
        points={c: s.points for c, s in stored.items()},
        comments={c: s.comment for c, s in stored.items()},
    )
    assert plan.writes == ()
    assert plan.settled == set(stored)


@given(stored=stored_maps, points=points_maps)
def test_after_a_save_every_given_point_is_what_the_sheet_holds(
    stored: dict[int, Stored], points: dict[int, float]
) -> None:
    plan = _merge(stored=stored, points=points)
    after = {c: s.points for c, s in stored.items()} | {w.criterion_id: w.points for w in plan.writes}
    assert all(after[c] == p for c, p in points.items())
    assert all(w.before == stored.get(w.criterion_id) for w in plan.writes)
