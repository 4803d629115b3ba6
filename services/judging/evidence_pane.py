"""The evidence beside the sliders as a judge's page draws it: each tab's body as one HTML string (applicant text
escaped), built once per work, language and data version and shared by every judge who opens it.

When the live session moves on, every following judge's page draws the same work at the same moment; what is the
same for all of them is made here once, and the page's component (pages/work_pane) or the route a following page
fetches the work from (web_routes.WORK_PATH) only hands the strings on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from services.intake import phrases as intake_phrases
from services.intake import questionnaire
from services.intake.deck_topics import slide_ranges
from services.judging.evidence import Evidence, Suggestion
from services.platform.phrases import in_lang, label
from services.platform.safe_text import clean
from services.thai.dates import format_date


@dataclass(frozen=True)
class EvidencePane:
    """The four tabs' bodies for one language. Empty strings are drawn as nothing."""

    deck_problem: str  # why there are no slides (no deck, a deck that cannot be read), as text
    deck_caption: str  # text: the deck's file name and slide count
    slides_html: str  # HTML: every slide's title, picture and text in one scrolling region
    topics_html: str  # HTML: the handbook's topics, covered on which slides or not found
    answers_html: str  # HTML: every questionnaire answer in words ("" when the work has no answers)
    no_answers: str  # text shown instead when it has none
    facts_html: str  # HTML: go-live date, earlier project, developer, partner
    form_html: str  # HTML: the signed form's facts and the declarations
    no_form: str  # text shown when no signed form is attached
    suggestions: dict[int, Suggestion] = field(default_factory=dict)


def slides_html(ev: Evidence, pictures: int, lang: str, slide_url: Callable[[str, int], str]) -> str:
    """Every slide (its title, picture and text) as one element, in a box that scrolls. The pictures come from the
    slides route and stay in the browser's cache; the text is the applicant's, escaped."""
    if not ev.slides:
        return ""
    untitled = in_lang(lang, "(ไม่มีชื่อสไลด์)", "(untitled)")
    slide = in_lang(lang, "สไลด์", "Slide")
    parts = []
    for s in ev.slides:
        parts.append(f"<p><strong>{s.number}. {escape(clean(s.title)) or untitled}</strong></p>")
        if s.number <= pictures:
            parts.append(
                f'<img src="{slide_url(ev.deck_sha256, s.number)}" loading="lazy" '
                f'alt="{slide} {s.number}" style="width:100%;height:auto">'
            )
        if s.text:
            parts.append(f'<p style="white-space:pre-wrap">{escape(clean(s.text[:1500]))}</p>')
    return (
        f'<div role="region" tabindex="0" aria-label="{in_lang(lang, "สไลด์", "Slides")}" '
        f'style="max-height:520px;overflow-y:auto;padding:0 .5rem">{"".join(parts)}</div>'
    )


def table_html(table: questionnaire.AnswerTable) -> str:
    """A small table that fits the evidence column: Thai text wraps, numbers stay right-aligned in even figures
    (st.dataframe kept its columns wide and pushed the goals' numbers off-screen). Cells escaped."""
    cell = "padding:.25rem .5rem;border-bottom:1px solid rgba(128,128,128,.3);vertical-align:top"
    align = [
        "text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap" if n else "text-align:left"
        for n in table.numeric
    ]
    head = "".join(
        f'<th scope="col" style="{cell};{a}">{escape(clean(c))}</th>' for c, a in zip(table.columns, align, strict=True)
    )
    rows = "".join(
        "<tr>"
        + "".join(f'<td style="{cell};{a}">{escape(clean(v))}</td>' for v, a in zip(row, align, strict=True))
        + "</tr>"
        for row in table.rows
    )
    return (
        f'<table style="border-collapse:collapse;width:100%;font-size:.9rem">'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def answer_html(answer: questionnaire.LabelledAnswer, lang: str) -> str:
    """One question and its answer in words; "not answered" said, not left blank."""
    question = f"<p><strong>{escape(clean(answer.question))}</strong></p>"
    if answer.table is not None:
        said = table_html(answer.table)
    elif not answer.answered:
        said = f"<p><em>{escape(label(intake_phrases.COLUMN, 'no_answer', lang))}</em></p>"
    elif answer.items:
        said = "<ul>" + "".join(f"<li>{escape(clean(item))}</li>" for item in answer.items) + "</ul>"
    else:
        said = f'<p style="white-space:pre-wrap">{escape(clean(answer.text))}</p>'
    return question + said


def answers_html(ev: Evidence, lang: str) -> str:
    """The questionnaire as one element: each question in bold, its answer as a paragraph, a list or a table with
    column headers (one HTML body instead of one to three elements per question)."""
    answers = ev.labelled_answers(lang)
    if not answers:
        return ""
    region = in_lang(lang, "คำตอบแบบสอบถาม", "Questionnaire answers")
    return f'<div role="region" aria-label="{region}">{"".join(answer_html(a, lang) for a in answers)}</div>'


def _lines(lines: list[str]) -> str:
    return "".join(f'<p style="margin:.15rem 0">{line}</p>' for line in lines)


def topics_html(ev: Evidence, lang: str) -> str:
    """One line per topic of the handbook: ✓ on which slides, or ○ not found (in words, not only by the sign)."""
    lines = []
    for tp in ev.topics:
        title = escape(clean(tp.title_en if lang == "en" else tp.title_th))
        if tp.covered:
            where = f"{in_lang(lang, 'สไลด์', 'slides')} {slide_ranges(tp.slides)}"
            lines.append(f'<span aria-hidden="true">✓</span> {title} — {where}')
        else:
            lines.append(
                f'<span aria-hidden="true">○</span> {title} — <strong>{in_lang(lang, "ไม่พบ", "not found")}</strong>'
            )
    return _lines(lines)


def facts_html(ev: Evidence, lang: str) -> str:
    facts = [
        (
            in_lang(lang, "เริ่มใช้งานจริง", "In real use since"),
            format_date(ev.golive_date, lang) if ev.golive_date else "—",
        ),
        (in_lang(lang, "ต่อยอดจากโครงการเดิม", "Extends an earlier project"), ev.earlier_project or "—"),
        (
            in_lang(lang, "ผู้พัฒนา", "Developed by"),
            label(intake_phrases.DEVELOPED_BY_SHORT, ev.developed_by, lang) if ev.developed_by else "—",
        ),
        (in_lang(lang, "ผู้ร่วมพัฒนา", "Partner"), ev.partner or "—"),
    ]
    return _lines([f"<strong>{name}:</strong> {escape(clean(value))}" for name, value in facts])


def form_html(ev: Evidence, lang: str) -> str:
    """The signed form's name, pages and whether it is a scan; each declaration ticked or not (said in words to a
    screen reader, which skips the box drawn)."""
    lines = []
    if ev.form_name:
        lines.append(
            f"{escape(clean(ev.form_name))}"
            + (f" · {ev.form_pages} {in_lang(lang, 'หน้า', 'pages')}" if ev.form_pages else "")
            + (in_lang(lang, " · ฉบับสแกน", " · scanned") if ev.form_is_scan else "")
        )
    ticked, unticked = in_lang(lang, "ยืนยันแล้ว", "confirmed"), in_lang(lang, "ไม่ได้ยืนยัน", "not confirmed")
    lines += [
        f'<span aria-hidden="true">{"☑" if accepted else "☐"}</span>'
        f'<span class="sr-only">{ticked if accepted else unticked}: </span> '
        f"{escape(label(intake_phrases.DECLARATION_SHORT, code, lang))}"
        for code, accepted in ev.declarations.items()
    ]
    return _lines(lines)


def pane(ev: Evidence, *, lang: str, pictures: int, slide_url: Callable[[str, int], str]) -> EvidencePane:
    """Every tab's body for `lang`, with the first `pictures` slides drawn as pictures (0 while they are rendered,
    or where LibreOffice is not installed)."""
    return EvidencePane(
        deck_problem=ev.deck_problem_en if lang == "en" else ev.deck_problem_th,
        deck_caption=f"{clean(ev.deck_name)} · {len(ev.slides)} {in_lang(lang, 'สไลด์', 'slides')}"
        if ev.deck_name
        else "",
        slides_html=slides_html(ev, pictures, lang, slide_url),
        topics_html=topics_html(ev, lang),
        answers_html=answers_html(ev, lang),
        no_answers=in_lang(lang, "ผลงานนี้ไม่มีคำตอบแบบสอบถาม", "No questionnaire answers for this submission."),
        facts_html=facts_html(ev, lang),
        form_html=form_html(ev, lang),
        no_form="" if ev.form_name else in_lang(lang, "ไม่มีใบส่งโครงการแนบมา", "No signed form attached."),
        suggestions=ev.suggestions,
    )
