"""The pitching planner: every work once, no clashes in a room, one organisation never in two rooms at once."""

from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import SlotKind
from services.pitching.schedule import (
    ScheduleParams,
    WorkRef,
    day_timetable,
    days_needed,
    order_works,
    overlap_problems,
    plan,
)
from services.platform.errors import ValidationFailed

DAY1, DAY2, DAY3 = date(2021, 8, 4), date(2021, 8, 5), date(2021, 8, 6)


def works(n, orgs=None, provinces=("เชียงราย", "กาฬสินธุ์", "ภูเก็ต")):
    return [
        WorkRef(i, (orgs or {}).get(i, i), provinces[i % len(provinces)], "E-Service", f"อปท.{i}")
        for i in range(1, n + 1)
    ]


def test_a_default_day_runs_from_nine_with_breaks_and_lunch():
    rows = day_timetable(DAY1, ScheduleParams(days=(DAY1,)))
    times = [(r.kind.value, f"{r.starts_at:%H:%M}") for r in rows]
    assert times[:6] == [
        ("pitch", "09:00"),
        ("pitch", "09:25"),
        ("pitch", "09:50"),
        ("pitch", "10:15"),
        ("break", "10:40"),
        ("pitch", "10:50"),
    ]
    assert ("break", "12:00") in times  # lunch
    lunch = next(r for r in rows if f"{r.starts_at:%H:%M}" == "12:00")
    assert lunch.presentation_minutes == 60
    assert all(r.ends_at.time() <= time(17, 0) for r in rows)
    assert rows[-1].kind == SlotKind.pitch
    assert sum(r.kind == SlotKind.pitch for r in rows) == 15


def test_presentations_never_cross_lunch():
    rows = day_timetable(DAY1, ScheduleParams(days=(DAY1,), presentation_minutes=20, qa_minutes=15, break_after=0))
    for r in rows:
        if r.kind == SlotKind.pitch:
            assert r.ends_at.time() <= time(12, 0) or r.starts_at.time() >= time(13, 0)


def test_the_45_works_of_2564_fit_in_three_days_with_the_default_lengths():
    slots = plan(works(45), ScheduleParams(days=(DAY1, DAY2, DAY3)))
    pitches = [s for s in slots if s.kind == SlotKind.pitch]
    assert sorted(s.submission_id for s in pitches) == list(range(1, 46))
    assert {s.presentation_minutes + s.qa_minutes for s in pitches} == {25}
    assert overlap_problems(slots, {i: i for i in range(1, 46)}) == []


def test_the_works_are_spread_evenly_so_no_day_holds_one_lonely_slot():
    four = (DAY1, DAY2, DAY3, date(2021, 8, 9))
    slots = plan(works(46), ScheduleParams(days=four))
    per_day = [sum(s.kind == SlotKind.pitch and s.day == d for s in slots) for d in four]
    assert per_day == [12, 12, 11, 11]
    assert all(
        max(s.starts_at for s in slots if s.day == d)
        == max(s.starts_at for s in slots if s.day == d and s.kind == SlotKind.pitch)
        for d in four
    )  # no break last
    assert days_needed(45, ScheduleParams(days=(DAY1,))) == 3 and days_needed(46, ScheduleParams(days=(DAY1,))) == 4
    assert days_needed(46, ScheduleParams(days=(DAY1,), rooms=2)) == 2


def test_too_few_days_is_refused_with_how_many_fit():
    with pytest.raises(ValidationFailed) as e:
        plan(works(45), ScheduleParams(days=(DAY1,)))
    assert e.value.code == "schedule_too_small"
    assert "จัดได้ 15 จาก 45 ผลงาน" in e.value.message_th


def test_grouping_by_province_follows_thai_order():
    ordered = order_works(works(6), "province")
    assert [w.province for w in ordered] == ["กาฬสินธุ์"] * 2 + ["เชียงราย"] * 2 + ["ภูเก็ต"] * 2


def test_two_rooms_never_hold_one_organisation_at_once():
    # Phuket City sent two works in 2564: with two rooms they must not be presented at the same time.
    same_org = {1: 100, 2: 100, 3: 100}
    slots = plan(works(6, orgs=same_org), ScheduleParams(days=(DAY1,), rooms=2))
    starts = {s.submission_id: s.starts_at for s in slots if s.kind == SlotKind.pitch}
    assert len({starts[1], starts[2], starts[3]}) == 3
    assert overlap_problems(slots, {i: same_org.get(i, i) for i in range(1, 7)}) == []


def test_the_checker_reports_a_clash_in_a_room():
    slots = plan(works(2), ScheduleParams(days=(DAY1,)))
    moved = [
        slots[0],
        slots[1].__class__(**{**slots[1].__dict__, "starts_at": slots[0].starts_at + timedelta(minutes=5)}),
    ]
    assert overlap_problems(moved, {1: 1, 2: 2})


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 40),
    rooms=st.integers(1, 3),
    presentation=st.integers(5, 30),
    qa=st.integers(0, 20),
    org_of=st.lists(st.integers(1, 6), min_size=40, max_size=40),
    group_by=st.sampled_from(["province", "category"]),
)
def test_any_plan_places_each_work_once_without_clashes(n, rooms, presentation, qa, org_of, group_by):
    refs = [
        WorkRef(i, org_of[i - 1], ["ก", "ข", "ค"][i % 3], ["E-Service", "GIS"][i % 2], f"o{org_of[i - 1]}")
        for i in range(1, n + 1)
    ]
    params = ScheduleParams(
        days=(DAY1, DAY2, DAY3, date(2021, 8, 9)),
        presentation_minutes=presentation,
        qa_minutes=qa,
        rooms=rooms,
        group_by=group_by,
    )
    try:
        slots = plan(refs, params)
    except ValidationFailed as e:
        assert e.code == "schedule_too_small"
        return
    pitches = [s for s in slots if s.kind == SlotKind.pitch]
    assert sorted(s.submission_id for s in pitches) == list(range(1, n + 1))
    assert all(s.presentation_minutes == presentation and s.qa_minutes == qa for s in pitches)
    assert all(1 <= s.room <= rooms for s in slots)
    assert overlap_problems(slots, {r.submission_id: r.organisation_id for r in refs}) == []
    assert all(time(9, 0) <= s.starts_at.time() and s.ends_at.time() <= time(17, 0) for s in slots)
