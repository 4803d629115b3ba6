"""The one sanitiser (safe_text.clean) and the length table for applicant text (issue 13)."""

from __future__ import annotations

import math
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.intake import questionnaire
from services.platform import safe_text, text_limits
from services.platform.errors import ValidationFailed

HOSTILE = "ระบบ\x00แจ้ง\x01ซ่อม\x0b\x1b[31mไฟฟ้า\x7f\x85\x9b\u202eABC\u202c\u2066x\u2069\ud800"


def test_control_bidi_and_surrogate_characters_are_stripped_from_a_single_line():
    assert safe_text.clean(HOSTILE, multiline=False) == "ระบบแจ้งซ่อม[31mไฟฟ้า ABCx"


def test_multiline_text_keeps_newlines_and_tabs_and_unifies_line_breaks():
    assert safe_text.clean("หนึ่ง\r\nสอง\rสาม\u2028สี่\tห้า\x1b") == "หนึ่ง\nสอง\nสาม\nสี่\tห้า"
    assert safe_text.clean("หนึ่ง\nสอง\tสาม", multiline=False) == "หนึ่ง สอง สาม"


def test_thai_is_nfc_normalised_and_zero_width_joiners_kept():
    decomposed = unicodedata.normalize("NFD", "é") + "\u200d"
    assert safe_text.clean(decomposed) == "é\u200d"
    assert safe_text.clean("กำนัน ตำบล") == "กำนัน ตำบล"


@given(st.text())
def test_cleaned_text_has_no_unsafe_character_and_cleaning_is_idempotent(text):
    once = safe_text.clean(text)
    assert safe_text.clean(once) == once
    assert not any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t" for c in once)
    assert not any("\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069" for c in once)
    once.encode("utf-8")  # no surrogate left: every database and file format can take it


def test_clean_value_cleans_every_string_inside_nested_values():
    assert safe_text.clean_value({"a\x1b": ["x\x00y", ("\u202ez",)], "n": 1.5}) == {"a": ["xy", ("z",)], "n": 1.5}


def test_a_value_over_its_limit_is_refused_naming_the_field_and_the_limit_in_thai():
    assert text_limits.too_long("title", "ก" * 300) is None
    problem = text_limits.too_long("title", "ก" * 301)
    assert isinstance(problem, ValidationFailed) and problem.code == "too_long_title"
    assert problem.message_th.startswith("ชื่อโครงการยาวเกินกำหนด (301 ตัวอักษร เกิน 300)")


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 1e13])
def test_nan_inf_and_huge_numbers_are_bad(value):
    assert text_limits.bad_number(value)
    assert not text_limits.bad_number(1e12) and not text_limits.bad_number(None)


@pytest.mark.parametrize("line", ["ลดกระดาษ | nan | 1 | 2", "ลดกระดาษ | 1 | inf | 2", "ลดกระดาษ | 1 | 2 | 1e400"])
def test_goal_rows_typed_as_nan_or_inf_are_refused_in_thai(line):
    with pytest.raises(ValidationFailed) as caught:
        questionnaire.parse_goal_rows(line)
    assert caught.value.code == "bad_goal_row" and "ใส่เป็นตัวเลข" in caught.value.message_th
