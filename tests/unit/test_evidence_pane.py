"""The evidence tabs as one body each (services/judging/evidence_pane.py): what a judge reads, in both languages,
with the applicant's text escaped — every follower's page hands these strings to the browser as they are."""

from __future__ import annotations

import re
from datetime import date
from html import escape

from services.intake import questionnaire as q
from services.judging.evidence import Evidence, SlideView, TopicView
from services.judging.evidence_pane import pane
from services.platform.safe_text import clean
from tests.helpers.answers import sample_answers
from tests.helpers.hostile import HOSTILE


def url(sha: str, n: int) -> str:
    return f"/slides/{sha}/{n}"


def work(**changes: object) -> Evidence:
    fields: dict[str, object] = {
        "submission_id": 7,
        "deck_name": "deck.pptx",
        "slides": (SlideView(1, "ที่มา", "ปัญหาเดิม"), SlideView(2, "", "ผลลัพธ์")),
        "topics": (TopicView("goal", "วัตถุประสงค์", "Objectives", (1, 2)), TopicView("plan", "แผน", "Plan", ())),
        "deck_problem_th": "",
        "deck_problem_en": "",
        "form_name": "form.pdf",
        "form_pages": 2,
        "form_is_scan": True,
        "declarations": {"final_decision": True},
        "golive_date": date(2021, 3, 1),
        "is_new_initiative": True,
        "earlier_project": "",
        "developed_by": "own",
        "partner": "",
        "answers": q.dump_answers(sample_answers()),
        "deck_sha256": "abc",
    }
    fields.update(changes)
    return Evidence(**fields)  # type: ignore[arg-type]


def test_each_tab_is_one_body_in_the_language_asked() -> None:
    th, en = pane(work(), lang="th", pictures=1, slide_url=url), pane(work(), lang="en", pictures=1, slide_url=url)
    assert th.deck_caption == "deck.pptx · 2 สไลด์" and en.deck_caption == "deck.pptx · 2 slides"
    # One picture drawn (the second slide's is not there yet): its text and title stand in.
    assert th.slides_html.count("<img ") == 1 and 'src="/slides/abc/1"' in th.slides_html
    assert "<strong>2. (ไม่มีชื่อสไลด์)</strong>" in th.slides_html and "<strong>2. (untitled)</strong>" in en.slides_html
    assert th.topics_html == (
        '<p style="margin:.15rem 0"><span aria-hidden="true">✓</span> วัตถุประสงค์ — สไลด์ 1–2</p>'
        '<p style="margin:.15rem 0"><span aria-hidden="true">○</span> แผน — <strong>ไม่พบ</strong></p>'
    )
    assert en.topics_html.endswith("Plan — <strong>not found</strong></p>")
    assert th.answers_html.startswith('<div role="region" aria-label="คำตอบแบบสอบถาม">')
    assert "<p><strong>Digital tools / e-systems in use</strong></p><ul><li>" in en.answers_html
    assert th.answers_html.count("<table") == en.answers_html.count("<table") >= 1
    assert '<th scope="col"' in th.answers_html
    assert th.facts_html.startswith('<p style="margin:.15rem 0"><strong>เริ่มใช้งานจริง:</strong> 1 มีนาคม 2564</p>')
    assert "<strong>Partner:</strong> —</p>" in en.facts_html
    assert th.form_html.startswith(
        '<p style="margin:.15rem 0">form.pdf · 2 หน้า · ฉบับสแกน</p><p style="margin:.15rem 0"><span aria-hidden="true">'
        '☑</span><span class="sr-only">ยืนยันแล้ว: </span> '
    )
    assert th.no_form == ""


def test_a_work_without_answers_form_or_deck_says_so() -> None:
    bare = work(answers={}, form_name="", declarations={}, deck_name="", slides=(), topics=(), deck_problem_th="ไม่มี")
    shown = pane(bare, lang="th", pictures=0, slide_url=url)
    assert shown.answers_html == "" and shown.no_answers == "ผลงานนี้ไม่มีคำตอบแบบสอบถาม"
    assert shown.slides_html == "" and shown.deck_caption == "" and shown.deck_problem == "ไม่มี"
    assert shown.form_html == "" and shown.no_form == "ไม่มีใบส่งโครงการแนบมา"


def test_hostile_applicant_text_is_escaped_in_every_body() -> None:
    answers = q.dump_answers(
        q.Answers(digital_tools_other=list(HOSTILE), participation=HOSTILE[3], feedback=HOSTILE[4])
    )
    hostile = work(
        answers=answers,
        slides=tuple(SlideView(i + 1, h, h) for i, h in enumerate(HOSTILE)),
        partner=HOSTILE[2],
        earlier_project=HOSTILE[0],
        form_name=HOSTILE[1],
        deck_name=HOSTILE[10],
    )
    shown = pane(hostile, lang="th", pictures=0, slide_url=url)
    for body in (shown.slides_html, shown.answers_html, shown.facts_html, shown.form_html):
        # The corpus's tags come out as text: no element of theirs, the attacker's hosts only inside text.
        assert not re.search(r"<(a|img|script)\b", body.replace('<img src="/slides/', "")), body
    for body in (shown.slides_html, shown.answers_html):
        for h in HOSTILE[3:5]:
            assert escape(clean(h)) in body or escape(clean(h)).replace("\n", " ") in body
    assert "&lt;img src=x onerror=alert(1)&gt;รูปเสีย" in shown.answers_html
    assert escape(clean(HOSTILE[2])) in shown.facts_html and escape(clean(HOSTILE[1])) in shown.form_html
    # Plain text, which the work component draws as text (never as Markdown or HTML).
    assert shown.deck_caption.startswith(clean(HOSTILE[10]) + " · ")
