"""A hostile corpus of applicant text: Markdown, HTML, Streamlit directives, autolinks, maths and bidi tricks, each
with a Thai neighbour so escaping is seen to leave Thai intact. Shared by the unit, page and browser tests."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlmodel import Session, select

from models import Organisation, Submission
from services.intake import phrases
from services.intake import questionnaire as q

HOSTILE = (
    "# หัวข้อปลอม",
    "![ภาพ](http://127.0.0.1:9/x.png)",
    "[แบบฟอร์ม](http://evil.example/form)",
    '<a href="http://evil.example">คลิก</a>',
    "<img src=x onerror=alert(1)>รูปเสีย",
    ":red[ด่วนมาก] :material/warning: :smile:",
    "ดูที่ https://look-alike.example/form หรือ www.look-alike.example",
    "ติดต่อ admin@evil.example",
    "$x^2$ และ $$y$$",
    "\u202eevil\u202c เทศบาล",
    "**ตัวหนา** _เอียง_ ~~ขีด~~ `โค้ด`",
    "> อ้างอิง\n- รายการ\n1. ลำดับ\n---",
    "| a | b |\n|---|---|\n| c | d |",
)

# One Thai word from each entry above, that escaping leaves as it is: where one shows, applicant text is shown.
MARKERS = (
    "หัวข้อปลอม",
    "ภาพ",
    "แบบฟอร์ม",
    "คลิก",
    "รูปเสีย",
    "ด่วนมาก",
    "ดูที่",
    "ติดต่อ",
    "และ",
    "เทศบาล",
    "ตัวหนา",
    "อ้างอิง",
    "รายการ",
)

# What must not survive into a Markdown body (after the helper) as live syntax.
_LIVE = (
    re.compile(r"(?<!\\)\]\("),  # link or image target
    re.compile(r"(?<!\\)!(?<!\\)\["),  # image
    re.compile(r"(?m)^\s{0,3}#"),  # heading
    re.compile(r"(?<!\\):(red|blue|green|orange|violet|gray|grey|rainbow|primary)\["),  # colour directive
    re.compile(r"(?<!\\)<[a-zA-Z/]"),  # raw HTML
    re.compile(r"https?://"),  # autolink (a word joiner splits "https:" from "//")
    re.compile(r"(?i)www\."),  # autolink
    re.compile(r"[\w.+-]@[\w-]+\.\w"),  # e-mail autolink
    re.compile(r"(?<!\\)\$"),  # maths
    re.compile(r"(?m)^\s{0,3}(>|\d+[.)]\s|[-+*]\s+รายการ|(-{3,}|\*{3,}|_{3,})\s*$)"),  # quote, list, rule
    re.compile(r"(?m)^\s*\|?\s*:?-{3,}:?\s*\|"),  # table delimiter row
    re.compile("[\u202a-\u202e\u2066-\u2069]"),  # bidi controls
)


def live_markdown(body: str) -> list[str]:
    """The pieces of live Markdown syntax found in body (empty when it is safe)."""
    return [p.pattern for p in _LIVE if p.search(body)]


def as_shown(body: str) -> str:
    """What a person reads from a Markdown body written by safe_text.md: the escapes and word joiners gone."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", body).replace("\u2060", "")


def plant_hostile_text(db: Callable[[], Session]) -> None:
    """Every work's title and organisation names, and each work's free-text answers, from the hostile corpus."""
    answers = q.dump_answers(
        q.Answers(
            digital_tools=["gis"],
            digital_tools_other=list(HOSTILE),
            communication_channels=["facebook"],
            communication_channels_other=list(HOSTILE[:4]),
            datasets=[q.DataSet(name=h, url="https://look-alike.example/form") for h in HOSTILE[:3]],
            roadmap=[
                q.RoadmapPeriod(period=next(iter(phrases.ROADMAP_PERIOD)), plan=h, responsible_unit=h)
                for h in HOSTILE[:2]
            ],
        )
    )
    with db() as session:
        for i, sub in enumerate(session.exec(select(Submission).order_by(Submission.id)).all()):
            sub.title = HOSTILE[i % len(HOSTILE)]
            sub.submitter_name = sub.coordinator_name = HOSTILE[(i + 3) % len(HOSTILE)]
            sub.partner_name = sub.earlier_project_name = HOSTILE[(i + 5) % len(HOSTILE)]
            sub.answers = answers
            session.add(sub)
        for i, org in enumerate(session.exec(select(Organisation).order_by(Organisation.id)).all()):
            org.name = org.full_name = org.short_name = HOSTILE[(i + 1) % len(HOSTILE)]
            session.add(org)
        session.commit()
