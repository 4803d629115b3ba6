"""The Thai caption under a date field (pages/_dates.py): the day with the Buddhist era, a range's two ends, none."""

from __future__ import annotations

from datetime import date

from pages._dates import said_in_thai


def test_a_day_is_said_in_thai_with_the_buddhist_era() -> None:
    assert said_in_thai(date(2020, 6, 1), in_form=False) == "วันที่เลือก: 1 มิถุนายน 2563 (พ.ศ.)"


def test_in_a_form_the_caption_says_it_follows_when_the_button_is_pressed() -> None:
    said = said_in_thai(date(2021, 2, 1), in_form=True)
    assert said.startswith("ตรงกับ 1 กุมภาพันธ์ 2564 (พ.ศ.)") and "กดปุ่ม" in said


def test_a_range_gives_both_ends_and_nothing_chosen_is_said() -> None:
    assert said_in_thai((date(2021, 9, 1), date(2021, 9, 3)), in_form=False) == (
        "วันที่เลือก: 1 กันยายน 2564 ถึง 3 กันยายน 2564 (พ.ศ.)"
    )
    assert said_in_thai(None, in_form=False) == "ยังไม่ได้เลือกวันที่"
    assert said_in_thai((), in_form=False, empty_th="ทุกวัน") == "ทุกวัน"
