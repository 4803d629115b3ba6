"""Applicant text made safe: one sanitiser for storing and exporting it, and the forms that show it to staff (Markdown
that renders literally, HTML for plotly, plain runs for PPTX and PDF). Pure standard library."""

from __future__ import annotations

import html as _html
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

# C0 controls but tab and newline, DEL, C1 controls; bidi marks, embeddings, overrides and isolates (U+061C, U+200E,
# U+200F, U+202A–U+202E, U+2066–U+2069); zero-width space, word joiner and BOM, which hide a look-alike's difference;
# surrogates, which cannot be encoded (PostgreSQL refuses them); U+FFFE/U+FFFF, not characters. Zero-width (non-)
# joiners stay: they are part of emoji and of some scripts' spelling. A title "\u202eevil" would otherwise show
# reversed, a \x1b write escape sequences to an operator's terminal, a \x0b sink the XLSX export.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069"
    "\ufeff\ud800-\udfff\ufffe\uffff]"
)
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85]")
_SINGLE_LINE_SPACE = re.compile("[\t\n]+")
# Every ASCII punctuation character: CommonMark lets each be backslash-escaped, and one of them starts each piece
# of syntax Streamlit's Markdown knows (links, images, headings, lists, tables, emphasis, :colour[...] directives,
# $LaTeX$, raw HTML).
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Text that Streamlit turns into something else after the escapes are read: GFM autolinks (https://..., www....,
# a@b.c) and :shortcodes: (emoji, :material/icons:). A word joiner after the colon / at sign and after "www"
# breaks them without a visible change.
_WORD_JOINER = "\u2060"
_WWW = re.compile(r"(?i)(www)(?=\\\.)")


def clean(text: object, *, multiline: bool = True) -> str:
    """The one sanitiser: NFC text without control, bidi or invisible characters, surrogates or non-characters;
    line breaks become \\n, kept when multiline, else (with tabs) a space. Thai, with its combining vowels and tone
    marks, is untouched. Applied at intake, on every export, and before showing applicant text to staff."""
    s = _LINE_BREAKS.sub("\n", "" if text is None else str(text))
    s = _UNSAFE.sub("", s)
    if not multiline:
        s = _SINGLE_LINE_SPACE.sub(" ", s)
    return unicodedata.normalize("NFC", s)


def clean_value(value: Any) -> Any:
    """clean applied to every string inside a value (dicts, lists, tuples), for exports; other values unchanged."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, Mapping):
        return {clean_value(k): clean_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(clean_value(v) for v in value)
    return value


def for_terminal(text: str) -> str:
    """A line for an operator's terminal: no control characters at all (tabs and newlines included)."""
    return clean(text, multiline=False)


def md(text: object, *, multiline: bool = False) -> str:
    """Applicant text as Markdown that Streamlit shows literally: no links, images, headings, emphasis, colours,
    icons, emoji, maths or HTML. One line by default (newlines become spaces); multiline=True keeps each newline as
    a line break."""
    s = _PUNCTUATION.sub(r"\\\1", clean(text))
    s = s.replace(":", ":" + _WORD_JOINER).replace("@", "@" + _WORD_JOINER)
    s = _WWW.sub(r"\1" + _WORD_JOINER, s)
    lines = [" ".join(line.split()) for line in s.split("\n")]
    if not multiline:
        return " ".join(line for line in lines if line)
    return "  \n".join(lines)


def html(text: object) -> str:
    """Applicant text for plotly labels, hover text and titles (plotly reads a subset of HTML: <a href>, <b>, <br>):
    every tag and entity comes out literally, on one line."""
    return _html.escape(" ".join(clean(text).split()), quote=True)


def plain(text: object) -> str:
    """Applicant text for PPTX runs and PDF: no control, bidi or zero-width characters (python-pptx refuses XML-
    invalid characters; bidi controls would reorder a title on a certificate). Newlines kept."""
    return clean(text)
