"""Unit tests for Thai dates (Buddhist era, Bangkok time) and Thai dictionary sorting."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.thai.collation import thai_sort_key, thai_sorted
from services.thai.dates import (
    BANGKOK,
    THAI_MONTHS,
    THAI_MONTHS_ABBR,
    ThaiDateError,
    arabic_digits,
    be_year,
    ce_year_from_be,
    format_date,
    format_thai_date,
    format_thai_datetime,
    normalize_thai,
    parse_thai_date,
    thai_digits,
    to_bangkok,
)

FAST = settings(max_examples=200, deadline=None)

# The provinces of the 2564 results announcement, in the announcement's order ("เรียงตามลำดับตัวอักษร
# แรกของชื่อจังหวัด"). Every adjacent pair agrees with Royal Institute dictionary order, so no pair is
# exempted. The pairs that look like quirks are the dictionary's rules at work:
#   ชลบุรี < เชียงราย, ลพบุรี < เลย   a pre-posed vowel is read after its consonant, and a consonant
#                                     (ล, พ) comes before any vowel in the same place;
#   ร้อยเอ็ด < ระยอง                   ร+อ (consonant) before ร+ะ (vowel); the tone mark does not count;
#   ตรัง < ตาก                          ร (consonant) before า (vowel);
#   สุโขทัย < สุราษฎร์ธานี               สุ+ข (โ moved after ข) before สุ+ร.
ANNOUNCEMENT_2564 = [
    "กาฬสินธุ์", "ขอนแก่น", "ฉะเชิงเทรา", "ชลบุรี", "เชียงราย", "เชียงใหม่", "ตรัง", "ตาก", "นครปฐม",
    "นครราชสีมา", "นนทบุรี", "พิษณุโลก", "ภูเก็ต", "แม่ฮ่องสอน", "ยะลา", "ร้อยเอ็ด", "ระยอง", "ลพบุรี",
    "เลย", "ศรีสะเกษ", "สงขลา", "สมุทรสาคร", "สุโขทัย", "สุราษฎร์ธานี", "สุรินทร์", "หนองบัวลำภู", "อุดรธานี",
]  # fmt: skip

thai_text = st.text(alphabet=st.sampled_from("กขคงจชซดตนบปพมยรลวสหอเแโใไะัาำิีึืุู่้๊๋็์ 0123๐๑๒๓abAB-."), max_size=12)


# --- Bangkok time and the Buddhist era --------------------------------------------------------


def test_to_bangkok_keeps_the_instant_and_shows_bangkok_wall_clock() -> None:
    utc = datetime(2021, 7, 31, 16, 59, tzinfo=UTC)
    local = to_bangkok(utc)
    assert local == utc
    assert (local.hour, local.minute, local.utcoffset()) == (23, 59, timedelta(hours=7))
    assert local.tzinfo is BANGKOK


def test_to_bangkok_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive"):
        to_bangkok(datetime(2021, 7, 31, 23, 59))


def test_be_year_adds_543() -> None:
    assert be_year(date(2021, 9, 21)) == 2564
    assert ce_year_from_be(2564) == 2021


def test_be_year_of_a_datetime_is_the_year_in_bangkok() -> None:
    new_year_in_bangkok = datetime(2021, 12, 31, 18, 0, tzinfo=UTC)
    assert be_year(new_year_in_bangkok) == 2565


def test_be_year_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError):
        be_year(datetime(2021, 1, 1))


@given(st.integers(min_value=1, max_value=9999))
def test_ce_and_be_years_round_trip(year: int) -> None:
    assert ce_year_from_be(be_year(date(year, 1, 1))) == year


# --- month names and digits -------------------------------------------------------------------


def test_month_names_cover_the_year_in_order() -> None:
    assert len(THAI_MONTHS) == len(THAI_MONTHS_ABBR) == 12
    assert (THAI_MONTHS[0], THAI_MONTHS[8], THAI_MONTHS[11]) == ("มกราคม", "กันยายน", "ธันวาคม")
    assert (THAI_MONTHS_ABBR[0], THAI_MONTHS_ABBR[8], THAI_MONTHS_ABBR[11]) == ("ม.ค.", "ก.ย.", "ธ.ค.")


def test_thai_digits_and_back() -> None:
    assert thai_digits("21 ก.ย. 2564") == "๒๑ ก.ย. ๒๕๖๔"
    assert arabic_digits("๒๑ ก.ย. ๒๕๖๔") == "21 ก.ย. 2564"


# --- formatting -------------------------------------------------------------------------------


def test_format_thai_date_long_and_short() -> None:
    assert format_thai_date(date(2021, 9, 21)) == "21 กันยายน 2564"
    assert format_thai_date(date(2021, 9, 21), style="short") == "21 ก.ย. 64"


def test_short_style_pads_the_two_digit_year() -> None:
    assert format_thai_date(date(1960, 1, 5), style="short") == "5 ม.ค. 03"


def test_format_thai_date_reads_an_aware_datetime_in_bangkok() -> None:
    assert format_thai_date(datetime(2021, 7, 31, 17, 30, tzinfo=UTC)) == "1 สิงหาคม 2564"


def test_format_thai_datetime_shows_the_intake_deadline_in_bangkok_time() -> None:
    deadline = datetime(2021, 7, 31, 16, 59, tzinfo=UTC)
    assert format_thai_datetime(deadline) == "31 กรกฎาคม 2564 เวลา 23:59 น."
    assert format_thai_datetime(deadline, style="short") == "31 ก.ค. 64 เวลา 23:59 น."


def test_format_thai_datetime_converts_other_zones() -> None:
    paris_summer = timezone(timedelta(hours=2))
    assert format_thai_datetime(datetime(2021, 9, 21, 5, 0, tzinfo=paris_summer)) == ("21 กันยายน 2564 เวลา 10:00 น.")


def test_format_thai_datetime_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError):
        format_thai_datetime(datetime(2021, 7, 31, 23, 59))


@pytest.mark.parametrize(
    ("lang", "style", "expected"),
    [
        ("th", "long", "21 กันยายน 2564"),
        ("th", "short", "21 ก.ย. 64"),
        ("en", "long", "21 September 2021"),
        ("en", "short", "21 Sep 2021"),
        ("en-US", "long", "21 September 2021"),
        ("TH_th", "long", "21 กันยายน 2564"),
    ],
)
def test_format_date_by_language(lang: str, style: str, expected: str) -> None:
    assert format_date(date(2021, 9, 21), lang, style) == expected  # type: ignore[arg-type]


def test_format_date_refuses_an_unknown_language() -> None:
    with pytest.raises(ValueError, match="'fr'"):
        format_date(date(2021, 9, 21), "fr")


def test_an_unknown_style_is_refused() -> None:
    with pytest.raises(ValueError, match="style"):
        format_thai_date(date(2021, 9, 21), style="medium")  # type: ignore[arg-type]


# --- parsing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1/2/2564",
        "01/02/2564",
        " 1 / 2 / 2564 ",
        "1-2-2564",
        "1.2.2564",
        "๑/๒/๒๕๖๔",
        "1/2/64",
        "1 กุมภาพันธ์ 2564",
        "1 กุมภาพันธ์ พ.ศ. 2564",
        "วันที่ 1 กุมภาพันธ์ พ.ศ.2564",
        "1กุมภาพันธ์2564",
        "1 ก.พ. 2564",
        "1 ก.พ. 64",
        "1 กพ 2564",
        "1 กุมภา 64",
        "๑ กุมภาพันธ์ ๒๕๖๔",
    ],
)
def test_parse_thai_date_accepts_the_ways_thais_write_1_february_2564(text: str) -> None:
    assert parse_thai_date(text) == date(2021, 2, 1)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("", "กรุณากรอกวันที่"),
        ("   ", "กรุณากรอกวันที่"),
        ("1/2/2021", "ค.ศ."),  # a CE year typed by habit; the message suggests 2564
        ("1/2/2021", "2564"),
        ("30/2/2564", "ไม่มีวันที่ 30 ในเดือนกุมภาพันธ์ 2564"),
        ("29/2/2564", "28 วัน"),
        ("1/13/2564", "เดือนต้องเป็นเลข 1 ถึง 12"),
        ("1 Feb 2564", "ไม่รู้จักชื่อเดือน"),
        ("1 กุมภ 2564", "กุมภาพันธ์ หรือ ก.พ."),
        ("1/2/564", "อ่านวันที่"),
        ("2021-02-01", "วัน/เดือน/ปี พ.ศ."),
        ("พรุ่งนี้", "เช่น 1/2/2564"),
        ("1/2/3100", "ตรวจสอบปี"),
    ],
)
def test_parse_thai_date_explains_bad_input_in_thai(text: str, hint: str) -> None:
    with pytest.raises(ThaiDateError, match=hint):
        parse_thai_date(text)


def test_parse_errors_are_value_errors() -> None:
    with pytest.raises(ValueError):
        parse_thai_date("31/4/2564")


@pytest.mark.parametrize(
    ("text", "month"), [("1 มกรา 2564", 1), ("1 เมษา 2564", 4), ("1 กรกฎา 2564", 7), ("1 พฤศจิกา 2564", 11)]
)
def test_spoken_month_names_are_understood(text: str, month: int) -> None:
    assert parse_thai_date(text) == date(2021, month, 1)


def test_29_february_in_a_leap_year() -> None:
    assert parse_thai_date("29/2/2563") == date(2020, 2, 29)


@FAST
@given(st.dates(min_value=date(1857, 1, 1), max_value=date(2456, 12, 31)))
def test_long_thai_dates_parse_back(d: date) -> None:
    assert parse_thai_date(format_thai_date(d)) == d
    assert parse_thai_date(thai_digits(f"{d.day}/{d.month}/{be_year(d)}")) == d


@FAST
@given(st.dates(min_value=date(1957, 1, 1), max_value=date(2056, 12, 31)))
def test_short_thai_dates_parse_back_within_the_2500s(d: date) -> None:
    assert parse_thai_date(format_thai_date(d, style="short")) == d


# --- normalisation ----------------------------------------------------------------------------


def test_normalize_thai_repairs_typing_and_extraction_variants() -> None:
    assert normalize_thai("น\u0e4d\u0e49\u0e32") == "น้ำ"  # NIKHAHIT + tone + SARA AA
    assert normalize_thai("ลํา") == "ลำ"
    assert normalize_thai("เเม่") == "แม่"  # two SARA E for SARA AE
    assert normalize_thai(" เชียง\u200bราย  จ.\tเชียงราย ") == "เชียงราย จ. เชียงราย"


# --- Thai dictionary collation ----------------------------------------------------------------


def test_sorting_restores_the_announcement_province_order() -> None:
    shuffled = ANNOUNCEMENT_2564[:]
    random.Random(2564).shuffle(shuffled)
    assert shuffled != ANNOUNCEMENT_2564
    assert thai_sorted(shuffled) == ANNOUNCEMENT_2564


@FAST
@given(st.permutations(ANNOUNCEMENT_2564))
def test_any_order_of_the_announcement_sorts_back(provinces: list[str]) -> None:
    assert thai_sorted(provinces) == ANNOUNCEMENT_2564


def test_a_preposed_vowel_files_under_the_following_consonant() -> None:
    assert thai_sorted(["ขา", "ไก่"]) == ["ไก่", "ขา"]
    assert thai_sorted(["ขอ", "เกาะ", "กา", "ไก่", "กรุง"]) == ["กรุง", "กา", "เกาะ", "ไก่", "ขอ"]


def test_a_consonant_comes_before_a_vowel_in_the_same_place() -> None:
    assert thai_sorted(["ระยอง", "ร้อยเอ็ด"]) == ["ร้อยเอ็ด", "ระยอง"]
    assert thai_sorted(["เชียงราย", "ชลบุรี"]) == ["ชลบุรี", "เชียงราย"]


def test_vowels_follow_dictionary_order() -> None:
    vowels = ["กะ", "กัก", "กา", "กำ", "กิ", "กี", "กึก", "กือ", "กุ", "กู", "เก", "แก", "โก", "ใกล้", "ไก"]
    assert thai_sorted(reversed(vowels)) == vowels


def test_tone_marks_only_break_ties_in_a_fixed_order() -> None:
    words = ["ขาว", "ข่าว", "ข้าว", "ข๊าว", "ข๋าว"]
    for seed in range(5):
        shuffled = words[:]
        random.Random(seed).shuffle(shuffled)
        assert thai_sorted(shuffled) == words


def test_tone_marks_are_ignored_at_the_primary_level() -> None:
    # ข้าวโพด would come before ขาวดำ if tone marks counted, since the tone mark is not a letter.
    assert thai_sorted(["ข้าวโพด", "ขาวดำ"]) == ["ขาวดำ", "ข้าวโพด"]
    assert thai_sort_key("เก็บ")[0] == thai_sort_key("เกบ")[0]
    assert thai_sort_key("จันทร์")[0] == thai_sort_key("จันทร")[0]


def test_thai_digits_weigh_the_same_as_arabic_digits() -> None:
    assert thai_sort_key("หมู่ ๑๒")[:2] == thai_sort_key("หมู่ 12")[:2]
    assert thai_sorted(["หมู่ ๓", "หมู่ 2", "หมู่ ๑"]) == ["หมู่ ๑", "หมู่ 2", "หมู่ ๓"]


def test_digits_come_first_and_latin_after_thai() -> None:
    assert thai_sorted(["Phuket", "ภูเก็ต", "7 Eleven", "อุดรธานี", "amnat"]) == [
        "7 Eleven",
        "ภูเก็ต",
        "อุดรธานี",
        "amnat",
        "Phuket",
    ]


def test_typing_variants_sort_together() -> None:
    assert thai_sort_key("น\u0e4d\u0e49\u0e32")[:2] == thai_sort_key("น้ำ")[:2]
    assert thai_sort_key("เเม่")[:2] == thai_sort_key("แม่")[:2]


def test_thai_sorted_with_a_key_and_reverse() -> None:
    rows = [("ระยอง", 3), ("ขอนแก่น", 1), ("เลย", 2)]
    assert thai_sorted(rows, key=lambda row: row[0]) == [("ขอนแก่น", 1), ("ระยอง", 3), ("เลย", 2)]
    assert thai_sorted(["ก", "ข", "ค"], reverse=True) == ["ค", "ข", "ก"]


def test_thai_sorted_refuses_non_strings_without_a_key() -> None:
    with pytest.raises(TypeError, match="key="):
        thai_sorted([3, 1, 2])  # type: ignore[list-item]


@FAST
@given(st.lists(thai_text, max_size=15), st.randoms(use_true_random=False))
def test_sorting_is_a_permutation_independent_of_input_order(words: list[str], rnd: random.Random) -> None:
    shuffled = words[:]
    rnd.shuffle(shuffled)
    result = thai_sorted(words)
    assert sorted(result) == sorted(words)
    assert thai_sorted(shuffled) == result
    assert thai_sorted(result) == result


@FAST
@given(thai_text, thai_text)
def test_distinct_strings_never_tie(a: str, b: str) -> None:
    assert (thai_sort_key(a) == thai_sort_key(b)) == (a == b)


def test_agenda_day_heading_names_the_thai_weekday():
    from datetime import date

    from services.thai.dates import format_thai_day

    assert format_thai_day(date(2021, 8, 4)) == "วันพุธที่ 4 สิงหาคม 2564"
    assert format_thai_day(date(2021, 8, 8)) == "วันอาทิตย์ที่ 8 สิงหาคม 2564"


def test_clock_time_is_shown_in_bangkok():
    from datetime import UTC, datetime

    from services.thai.dates import format_thai_time

    assert format_thai_time(datetime(2021, 8, 4, 2, 25, tzinfo=UTC)) == "09:25 น."
