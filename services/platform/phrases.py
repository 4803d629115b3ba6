"""Thai and English labels of the platform's codes (roles), and the one lookup every phrases module shares."""

from __future__ import annotations

from collections.abc import Mapping

# (Thai, English). Every aggregate's phrases module maps its codes to these pairs; codes are StrEnum values or
# plain strings, and a StrEnum member finds its value's entry (they hash and compare as the string).
Label = tuple[str, str]

ROLE: dict[str, Label] = {
    "organiser": ("ผู้จัดงาน", "organiser"),
    "judge": ("กรรมการ", "judge"),
    "executive": ("ผู้บริหาร", "executive"),
}


def in_lang(lang: str, th: str, en: str) -> str:
    """The Thai or the English of a pair written in place ("th" unless "en")."""
    return en if lang == "en" else th


def label(table: Mapping[str, Label], code: str, lang: str = "th") -> str:
    """The code's label in `lang` ("th" unless "en"); an unknown code shows as itself rather than failing a page
    (stored data may hold a code a later edition dropped)."""
    pair = table.get(code)
    if pair is None:
        return code
    return pair[1] if lang == "en" else pair[0]
