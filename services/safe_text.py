"""Applicant text made safe to show to staff: as Markdown that renders literally, as HTML for plotly, as plain runs
for PPTX and PDF. Pure standard library; every page, chart and document builder goes through here."""

from __future__ import annotations

import html as _html
import re
import unicodedata

# Characters that reorder or hide text (bidi embeddings, overrides, isolates and marks; zero-width joiners and the
# BOM): a title "\u202eevil" would otherwise show reversed, or a look-alike name hide its difference.
_INVISIBLE = dict.fromkeys(map(ord, "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                                    "\u2060\u2066\u2067\u2068\u2069\ufeff"))
# Every ASCII punctuation character: CommonMark lets each be backslash-escaped, and one of them starts each piece
# of syntax Streamlit's Markdown knows (links, images, headings, lists, tables, emphasis, :colour[...] directives,
# $LaTeX$, raw HTML).
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Text that Streamlit turns into something else after the escapes are read: GFM autolinks (https://..., www....,
# a@b.c) and :shortcodes: (emoji, :material/icons:). A word joiner after the colon / at sign and after "www"
# breaks them without a visible change.
_WORD_JOINER = "\u2060"
_WWW = re.compile(r"(?i)(www)(?=\\\.)")


def clean(text: object) -> str:
    """The text without bidi controls, zero-width characters or other control characters (newlines and tabs kept).
    Thai, including its combining vowels and tone marks, is untouched."""
    s = "" if text is None else str(text)
    s = s.translate(_INVISIBLE).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in s if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))


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
