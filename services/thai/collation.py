"""Thai dictionary sorting (ราชบัณฑิตยสถาน order), for names and lists shown to people."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar, overload

from services.thai.dates import normalize_thai

T = TypeVar("T")


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
