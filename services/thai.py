"""Thai dates (Buddhist era, Thai month names, Asia/Bangkok time) and Thai dictionary sorting."""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Literal, TypeVar, overload
from zoneinfo import ZoneInfo

__all__ = [
    "BANGKOK",
    "BE_OFFSET",
    "ENGLISH_MONTHS",
    "ENGLISH_MONTHS_ABBR",
    "THAI_MONTHS",
    "THAI_MONTHS_ABBR",
    "DateStyle",
    "ThaiDateError",
    "ThaiSortKey",
    "arabic_digits",
    "be_year",
    "ce_year_from_be",
    "format_date",
    "format_thai_date",
    "format_thai_datetime",
    "normalize_thai",
    "parse_thai_date",
    "thai_digits",
    "thai_sort_key",
    "thai_sorted",
    "to_bangkok",
]

T = TypeVar("T")

BANGKOK = ZoneInfo("Asia/Bangkok")
BE_OFFSET = 543

THAI_MONTHS: tuple[str, ...] = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
THAI_MONTHS_ABBR: tuple[str, ...] = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
# Spelled out here rather than taken from strftime, whose month names follow the process locale.
ENGLISH_MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
ENGLISH_MONTHS_ABBR: tuple[str, ...] = tuple(name[:3] for name in ENGLISH_MONTHS)

DateStyle = Literal["long", "short"]


class ThaiDateError(ValueError):
    """A date a person typed could not be read; the message (Thai) says what to type instead."""


# --- Bangkok time and the Buddhist era --------------------------------------------------------


def to_bangkok(dt: datetime) -> datetime:
    """The same instant on Bangkok's wall clock; a naive datetime is refused because its zone is a guess."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"naive datetime {dt.isoformat()} has no time zone; attach one before converting")
    return dt.astimezone(BANGKOK)


def _calendar_date(d: date | datetime) -> date:
    # A datetime names an instant, and its calendar day depends on the zone: users read Bangkok's.
    if isinstance(d, datetime):
        return to_bangkok(d).date()
    return d


def be_year(d: date | datetime) -> int:
    """The Buddhist-era year of a date, or of an aware datetime's Bangkok date."""
    return _calendar_date(d).year + BE_OFFSET


def ce_year_from_be(y: int) -> int:
    """The common-era year of a Buddhist-era year (2564 -> 2021)."""
    return y - BE_OFFSET


# --- digits -----------------------------------------------------------------------------------

_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI_DIGITS = str.maketrans("0123456789", _THAI_DIGITS)
_TO_ARABIC_DIGITS = str.maketrans(_THAI_DIGITS, "0123456789")


def thai_digits(s: str) -> str:
    """Arabic digits 0-9 written as Thai digits ๐-๙; everything else unchanged."""
    return s.translate(_TO_THAI_DIGITS)


def arabic_digits(s: str) -> str:
    """Thai digits ๐-๙ written as Arabic digits 0-9; everything else unchanged."""
    return s.translate(_TO_ARABIC_DIGITS)


# --- formatting -------------------------------------------------------------------------------


def _check_style(style: str) -> None:
    # The Literal only binds typed callers; pages pass strings from widgets and config.
    if style not in ("long", "short"):
        raise ValueError(f"date style must be 'long' or 'short', not {style!r}")


def format_thai_date(d: date | datetime, style: DateStyle = "long") -> str:
    """'21 กันยายน 2564' (long) or '21 ก.ย. 64' (short); an aware datetime is read in Bangkok time."""
    _check_style(style)
    day = _calendar_date(d)
    year = day.year + BE_OFFSET
    if style == "short":
        return f"{day.day} {THAI_MONTHS_ABBR[day.month - 1]} {year % 100:02d}"
    return f"{day.day} {THAI_MONTHS[day.month - 1]} {year}"


def format_thai_datetime(dt: datetime, style: DateStyle = "long") -> str:
    """'31 กรกฎาคม 2564 เวลา 23:59 น.' on Bangkok's clock; naive datetimes raise ValueError."""
    local = to_bangkok(dt)
    return f"{format_thai_date(local.date(), style)} เวลา {local:%H:%M} น."


THAI_WEEKDAYS: tuple[str, ...] = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")


def format_thai_day(d: date) -> str:
    """A day heading as Thai agendas write it: "วันพุธที่ 4 สิงหาคม 2564"."""
    return f"วัน{THAI_WEEKDAYS[d.weekday()]}ที่ {format_thai_date(d)}"


def format_thai_time(dt: datetime) -> str:
    """Clock time in Asia/Bangkok, e.g. "09:25 น."."""
    return f"{to_bangkok(dt):%H:%M} น."


def format_date(d: date | datetime, lang: str, style: DateStyle = "long") -> str:
    """A date for a UI language: 'th' gives the Thai BE form, 'en' gives '21 September 2021' (CE)."""
    _check_style(style)
    # Accept full tags such as "th-TH" so callers can pass a browser or settings locale unchanged.
    primary = lang.strip().lower().replace("_", "-").split("-")[0]
    if primary == "th":
        return format_thai_date(d, style)
    if primary == "en":
        day = _calendar_date(d)
        months = ENGLISH_MONTHS_ABBR if style == "short" else ENGLISH_MONTHS
        return f"{day.day} {months[day.month - 1]} {day.year}"
    raise ValueError(f"no date format for language {lang!r}; use 'th' or 'en'")


# --- normalisation ----------------------------------------------------------------------------

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SARA_AM_SPLIT = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")
_WHITESPACE = re.compile(r"\s+")


def normalize_thai(text: str) -> str:
    """Thai text as the sorter and lookups expect it: typing and PDF-extraction variants made canonical.

    Removes zero-width characters (Thai has no spaces between words, so editors insert them),
    writes SARA AM typed as NIKHAHIT + SARA AA (also around a tone mark, as in "นํ้า") as one ำ,
    writes two SARA E typed for SARA AE as แ, and collapses runs of whitespace to one space.
    """
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)
    text = _SARA_AM_SPLIT.sub("\\1\u0e33", text)
    text = text.replace("\u0e40\u0e40", "\u0e41")
    return _WHITESPACE.sub(" ", text).strip()


# --- parsing ----------------------------------------------------------------------------------

_EXAMPLE = "เช่น 1/2/2564 หรือ 1 กุมภาพันธ์ 2564"
_NUMERIC_DATE = re.compile(r"(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{2}|\d{4})")
_WORDED_DATE = re.compile(r"(\d{1,2})\s*(\D+?)\s*(\d{2}|\d{4})")
_BE_MARK = re.compile(r"พ\.\s*ศ\.\s*")
_DAY_WORD = re.compile(r"^วันที่\s*")
_MONTH_BY_NAME: dict[str, int] = {
    **{name: number for number, name in enumerate(THAI_MONTHS, start=1)},
    **{abbr.replace(".", ""): number for number, abbr in enumerate(THAI_MONTHS_ABBR, start=1)},
    # Spoken short forms people also type: กุมภา, เมษา, กันยา ...
    **{re.sub("(คม|ยน|พันธ์)$", "", name): number for number, name in enumerate(THAI_MONTHS, start=1)},
}
# Earliest Buddhist-era year accepted (1857 CE): anything earlier is almost surely a CE year typed by habit.
_MIN_BE_YEAR = 2400
_MAX_BE_YEAR = 2999


def _year_from_text(text: str) -> int:
    year = int(text)
    # A two-digit year is the short Thai form ("21 ก.ย. 64"), always of the 2500s.
    if len(text) == 2:
        return 2500 + year
    if year < _MIN_BE_YEAR:
        if year >= 1800:
            raise ThaiDateError(f"ปี {year} ดูเหมือนเป็นปี ค.ศ. กรุณากรอกปี พ.ศ. (ค.ศ. + 543) เช่น {year + BE_OFFSET}")
        raise ThaiDateError(f"ปี {year} ไม่ถูกต้อง กรุณากรอกปี พ.ศ. 4 หลัก {_EXAMPLE}")
    if year > _MAX_BE_YEAR:
        raise ThaiDateError(f"ปี พ.ศ. {year} ไกลเกินไป กรุณาตรวจสอบปีอีกครั้ง {_EXAMPLE}")
    return year


def _build_date(day: int, month: int, be: int) -> date:
    if not 1 <= month <= 12:
        raise ThaiDateError(f"เดือนต้องเป็นเลข 1 ถึง 12 แต่กรอกไว้ {month} (รูปแบบคือ วัน/เดือน/ปี พ.ศ.)")
    ce = ce_year_from_be(be)
    days_in_month = calendar.monthrange(ce, month)[1]
    if not 1 <= day <= days_in_month:
        raise ThaiDateError(f"ไม่มีวันที่ {day} ในเดือน{THAI_MONTHS[month - 1]} {be} (เดือนนี้มี {days_in_month} วัน)")
    return date(ce, month, day)


def parse_thai_date(text: str) -> date:
    """Read a date typed the Thai way: day/month/BE year ("1/2/2564") or "1 กุมภาพันธ์ 2564".

    Also accepted: Thai digits, abbreviated or spoken month names ("1 ก.พ. 2564", "1 กุมภา 2564"),
    a two-digit year of the 2500s ("1 ก.พ. 64", as format_thai_date's short style writes it),
    "พ.ศ." before the year, "วันที่" before the day, and "-" or "." instead of "/". Bad input raises ThaiDateError,
    a ValueError whose Thai message says what to fix.
    """
    cleaned = normalize_thai(arabic_digits(text))
    cleaned = _BE_MARK.sub(" ", _DAY_WORD.sub("", cleaned)).strip()
    if not cleaned:
        raise ThaiDateError(f"กรุณากรอกวันที่ {_EXAMPLE}")

    numeric = _NUMERIC_DATE.fullmatch(cleaned)
    if numeric:
        day, _, month, year = numeric.groups()
        return _build_date(int(day), int(month), _year_from_text(year))

    worded = _WORDED_DATE.fullmatch(cleaned)
    if worded:
        day, month_name, year = worded.groups()
        month = _MONTH_BY_NAME.get(month_name.replace(".", "").replace(" ", ""))
        if month is None:
            raise ThaiDateError(f"ไม่รู้จักชื่อเดือน “{month_name}” กรุณาใช้ชื่อเดือนภาษาไทย เช่น กุมภาพันธ์ หรือ ก.พ.")
        return _build_date(int(day), month, _year_from_text(year))

    raise ThaiDateError(f"อ่านวันที่ “{text.strip()}” ไม่ได้ กรุณากรอกเป็น วัน/เดือน/ปี พ.ศ. {_EXAMPLE}")


# --- Thai dictionary collation ----------------------------------------------------------------
#
# Order of the Royal Institute dictionary (พจนานุกรมฉบับราชบัณฑิตยสถาน):
#   1. A pre-posed vowel (เ แ โ ใ ไ) is written before its consonant but read after it, so it is
#      compared as if it followed that consonant: "เชียงราย" files under ช, "ไก่" under ก.
#   2. Primary level, letter by letter: consonants ก..ฮ (with ฤ after ร and ฦ after ล), then ฯ,
#      then vowels ะ ั า ำ ิ ี ึ ื ุ ู เ แ โ ใ ไ ๅ ๆ. A consonant thus comes before any vowel in the
#      same place, so "ชลบุรี" < "เชียงราย" and "ร้อยเอ็ด" < "ระยอง". Unicode's code points for
#      these letters are already in dictionary order, which the weights below rely on.
#   3. Tone marks ่ ้ ๊ ๋, ็ (mai taikhu), ์ (thanthakhat) and the rare ํ ๎ ฺ are ignored at the
#      primary level; they break ties only: fewer marks first, then ็ < ่ < ้ < ๊ < ๋ < ์ at the
#      first letter that differs ("ขาว" < "ข่าว" < "ข้าว").
#   4. Thai digits equal Arabic digits; the original text breaks any remaining tie, so the order
#      is total and does not depend on input order.
# Across scripts: spaces and punctuation first (word-by-word order), then digits, then Thai, then
# Latin and other scripts (case-insensitive, accents as ties). Thai comes before Latin because
# Thai government lists put Thai names first.

_PREPOSED_VOWELS = frozenset("เแโใไ")
_THAI_LETTERS = frozenset(
    [chr(c) for c in range(0x0E01, 0x0E2F + 1)]  # consonants and ฯ
    + [chr(c) for c in range(0x0E30, 0x0E39 + 1)]  # ะ..ู
    + [chr(c) for c in range(0x0E40, 0x0E46 + 1)]  # เ..ไ, ๅ, ๆ
)
_THAI_CONSONANTS = frozenset(chr(c) for c in range(0x0E01, 0x0E2E + 1))
_THAI_MARK_ORDER = "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e\u0e3a"  # ็ ่ ้ ๊ ๋ ์ ํ ๎ ฺ
_THAI_MARK_WEIGHT = {mark: weight for weight, mark in enumerate(_THAI_MARK_ORDER, start=1)}
# Primary weight bands, so every digit sorts before every Thai letter, and so on.
_BAND = 0x110000
_PUNCT_BAND, _DIGIT_BAND, _THAI_BAND, _OTHER_BAND = 0, _BAND, 2 * _BAND, 3 * _BAND
# Non-Thai combining marks (accents) weigh after every Thai mark in a tie.
_FOREIGN_MARK_OFFSET = len(_THAI_MARK_ORDER) + 1

ThaiSortKey = tuple[tuple[int, ...], tuple[tuple[int, ...], ...], str]


def _mark_weight(ch: str) -> int | None:
    # Unicode gives ุ and ู a combining class, but the dictionary orders them as vowels, not marks.
    if ch in _THAI_LETTERS:
        return None
    if ch in _THAI_MARK_WEIGHT:
        return _THAI_MARK_WEIGHT[ch]
    if unicodedata.combining(ch):
        return _FOREIGN_MARK_OFFSET + ord(ch)
    return None


def _primary_weights(ch: str) -> list[int]:
    if ch in _THAI_LETTERS:
        return [_THAI_BAND + ord(ch)]
    if ch.isdecimal():
        return [_DIGIT_BAND + unicodedata.decimal(ch)]
    if ch.isalpha():
        # casefold can expand ("ß" -> "ss"); each resulting letter is compared on its own.
        return [_OTHER_BAND + ord(c) for c in ch.casefold()]
    return [_PUNCT_BAND + ord(ch)]


def thai_sort_key(s: str) -> ThaiSortKey:
    """A sort key giving Thai dictionary (Royal Institute) order; see the notes above for the rules."""
    # Split into (base character, its marks) units; non-Thai text is decomposed so accents become marks.
    units: list[tuple[str, list[int]]] = []
    for ch in unicodedata.normalize("NFD", normalize_thai(s)):
        weight = _mark_weight(ch)
        if weight is None:
            units.append((ch, []))
        elif units:
            units[-1][1].append(weight)
        else:
            units.append(("", [weight]))

    # Move each pre-posed vowel after the consonant it is read with.
    i = 0
    while i < len(units) - 1:
        if units[i][0] in _PREPOSED_VOWELS and units[i + 1][0] in _THAI_CONSONANTS:
            units[i], units[i + 1] = units[i + 1], units[i]
            i += 2
        else:
            i += 1

    primary: list[int] = []
    secondary: list[tuple[int, ...]] = []
    for base, marks in units:
        if base:
            primary.extend(_primary_weights(base))
        secondary.append(tuple(sorted(marks)))
    return tuple(primary), tuple(secondary), s


def _as_text(item: object) -> str:
    # No silent str(): sorting numbers or rows by their repr would look right and be wrong.
    if not isinstance(item, str):
        raise TypeError(f"thai_sorted needs strings or a key= returning one, got {type(item).__name__}")
    return item


@overload
def thai_sorted(items: Iterable[str], key: None = None, *, reverse: bool = False) -> list[str]: ...
@overload
def thai_sorted(items: Iterable[T], key: Callable[[T], str], *, reverse: bool = False) -> list[T]: ...
def thai_sorted(items: Iterable[T], key: Callable[[T], str] | None = None, *, reverse: bool = False) -> list[T]:
    """Items in Thai dictionary order of their text (the items themselves, or key(item))."""
    text_of: Callable[[T], str] = _as_text if key is None else key
    return sorted(items, key=lambda item: thai_sort_key(text_of(item)), reverse=reverse)
