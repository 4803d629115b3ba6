"""The quorum rule and the order a refusal names works in: pure, no database."""

from services.judging.completeness import JudgeRef, WorkCompleteness, below_quorum_order, meets_quorum, refusal_text


def work(sid, submitted, expected, name="อบต.ก", title="ระบบ"):
    missing = tuple(JudgeRef(100 + i, f"j{i}", f"กรรมการ {i}") for i in range(expected - submitted))
    return WorkCompleteness(
        sid, title, name, "ตาก", expected, submitted, 0, missing, meets_quorum(expected, submitted, None)
    )


def test_by_default_every_expected_judge_must_submit():
    assert meets_quorum(10, 10, None)
    assert not meets_quorum(10, 9, None)


def test_k_of_n_asks_only_k_sheets():
    assert meets_quorum(10, 3, 3)
    assert not meets_quorum(10, 2, 3)


def test_a_work_nobody_judges_is_never_fully_judged():
    assert not meets_quorum(0, 0, None)
    assert not meets_quorum(0, 0, 1)


def test_the_work_with_most_missing_sheets_is_named_first():
    one_of_ten, nine_of_ten = work(1, 1, 10, "อบต.ข"), work(2, 9, 10, "อบต.ก")
    assert [w.submission_id for w in below_quorum_order([nine_of_ten, one_of_ten, work(3, 10, 10)])] == [1, 2]


def test_a_long_refusal_names_the_first_few_and_counts_the_rest():
    works = [work(1, 1, 10, "อบต.ใหม่")] + [work(i, 9, 10, f"อบต.{i}") for i in range(2, 46)]
    th, en = refusal_text(works, named=3)
    assert th.startswith("ยังมี 45 ผลงาน") and "“อบต.ใหม่ · ระบบ” (1/10 กรรมการ" in th
    assert th.index("อบต.ใหม่") < th.index("(9/10 กรรมการ") and th.count("(9/10 กรรมการ") == 2
    assert all(f"กรรมการ {i}" in th for i in range(9))
    assert "และอีก 42 ผลงาน" in th and "and 42 more" in en
