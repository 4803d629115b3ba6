"""The topics a deck should cover, and which slides cover each."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from services.intake.documents import PPTX_MEDIA_TYPE, Lang


@dataclass(frozen=True)
class Topic:
    """A topic the guide asks the presentation to cover, with the words that signal it."""

    code: str
    title_th: str
    title_en: str
    keywords: tuple[str, ...]
    scored: bool = True


@dataclass(frozen=True)
class SlideText:
    number: int
    title: str
    text: str
    notes: str


@dataclass(frozen=True)
class TopicCoverage:
    code: str
    title_th: str
    title_en: str
    slides: list[int]
    # True when some slide's title names the topic; False when it was only seen in body text.
    in_title: bool = False

    @property
    def covered(self) -> bool:
        return bool(self.slides)


@dataclass(frozen=True)
class DeckInfo:
    slide_count: int
    slides: list[SlideText]
    topics: list[TopicCoverage]
    media_type: str = PPTX_MEDIA_TYPE

    @property
    def missing_topics(self) -> list[TopicCoverage]:
        return [t for t in self.topics if not t.slides]


# The guide's eleven scored criteria and its two unscored sections, in the guide's order.
TOPICS: tuple[Topic, ...] = (
    Topic("objectives", "วัตถุประสงค์", "Objectives", ("วัตถุประสงค์", "objective")),
    Topic(
        "policy",
        "นโยบายหรือแผน",
        "Policy or plan",
        ("นโยบาย", "แผนยุทธศาสตร์", "วิสัยทัศน์", "เทศบัญญัติ", "policy", "vision", "strategic plan"),
    ),
    Topic("pain_point", "ปัญหา (Pain point)", "Pain point", ("pain point", "painpoint", "ปัญหา", "problem")),
    Topic(
        "solution",
        "กลไกการทำงาน (Solution)",
        "Solution",
        ("solution", "กลไก", "กระบวนการทำงาน", "แนวทางแก้ไข", "mechanism"),
    ),
    Topic(
        "character",
        "ลักษณะของโครงการ",
        "Project character",
        (
            "ความริเริ่ม",
            "ริเริ่มสร้างสรรค์",
            "ลักษณะของโครงการ",
            "ลักษณะของผลงาน",
            "รูปแบบการพัฒนา",
            "ผู้ร่วมพัฒนา",
            "creativity",
            "development model",
            "co-developer",
        ),
    ),
    Topic(
        "goals_results",
        "เป้าหมายและผลสัมฤทธิ์",
        "Goals and results",
        ("เป้าหมาย", "ผลสัมฤทธิ์", "ผลลัพธ์", "ความสำเร็จ", "goal", "result", "outcome", "achievement", "kpi"),
    ),
    Topic(
        "roadmap",
        "Roadmap",
        "Roadmap",
        ("roadmap", "road map", "แผนพัฒนา", "พัฒนาต่อยอด", "แนวทางในการปรับปรุง", "แผนในอนาคต"),
    ),
    Topic(
        "participation",
        "การมีส่วนร่วมและผลตอบรับ",
        "Participation and feedback",
        ("การมีส่วนร่วม", "มีส่วนร่วม", "ผลตอบรับ", "ความพึงพอใจ", "participation", "feedback", "satisfaction"),
    ),
    Topic(
        "datasets",
        "ชุดข้อมูล",
        "Data sets",
        ("ชุดข้อมูล", "data.go.th", "ข้อมูลเปิด", "open data", "dataset", "data set"),
    ),
    Topic(
        "communication",
        "ช่องทางการสื่อสารและประชาสัมพันธ์",
        "Communication channels",
        ("ช่องทางการสื่อสาร", "การสื่อสาร", "ประชาสัมพันธ์", "communication", "public relations"),
    ),
    Topic(
        "digital_tools",
        "เครื่องมือดิจิทัล",
        "Digital tools",
        ("เครื่องมือดิจิทัล", "ระบบงานอิเล็กทรอนิกส์", "digital tool", "electronic system"),
    ),
    Topic(
        "limitations",
        "ข้อจำกัดและอุปสรรค",
        "Limitations",
        ("ข้อจำกัด", "อุปสรรค", "limitation", "obstacle", "constraint"),
        scored=False,
    ),
    Topic(
        "team",
        "สมาชิกในทีม",
        "Team members",
        ("สมาชิกในทีม", "ทีมงาน", "ทีมพัฒนา", "คณะทำงาน", "team"),
        scored=False,
    ),
)


# --- topics -------------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def _normalise(text: str) -> str:
    # NFKC folds the two spellings of sara am (ำ vs ํา) that Thai fonts and PDF exports mix up;
    # zero-width spaces are Thai line-break hints that would split keywords.
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).casefold()
    return " ".join(text.split())


@lru_cache(maxsize=64)
def _topic_pattern(topic: Topic) -> re.Pattern[str]:
    parts = []
    for keyword in topic.keywords:
        word = re.escape(_normalise(keyword))
        # Latin keywords must start a word ("vision" is not inside "television"); Thai has no spaces.
        parts.append(rf"(?<![a-z0-9]){word}" if keyword[:1].isascii() else word)
    return re.compile("|".join(parts))


def topic_coverage(slides: Sequence[SlideText], topics: Sequence[Topic] = TOPICS) -> list[TopicCoverage]:
    """Say on which slides each topic appears: slides whose title names it, else slides that mention it.

    Speaker notes are left out: judges see the slides, not the notes.
    """
    titles = [(s.number, _normalise(s.title)) for s in slides]
    bodies = [(s.number, _normalise(s.text)) for s in slides]
    result = []
    for topic in topics:
        pattern = _topic_pattern(topic)
        in_titles = [n for n, t in titles if pattern.search(t)]
        found = in_titles or [n for n, t in bodies if pattern.search(t)]
        result.append(TopicCoverage(topic.code, topic.title_th, topic.title_en, found, bool(in_titles)))
    return result


def slide_ranges(numbers: Sequence[int]) -> str:
    """Compress slide numbers into ranges: [3, 5, 6, 7] -> "3, 5–7"."""
    ordered = sorted(set(numbers))
    runs: list[list[int]] = []
    for n in ordered:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def format_coverage(cov: TopicCoverage, lang: Lang = "th") -> str:
    """One checklist line, e.g. "Roadmap: สไลด์ 14–15" or "ชุดข้อมูล: ไม่พบ"."""
    if lang == "th":
        title = cov.title_th
        where = f"สไลด์ {slide_ranges(cov.slides)}" if cov.slides else "ไม่พบ"
    else:
        title = cov.title_en
        word = "slide" if len(set(cov.slides)) == 1 else "slides"
        where = f"{word} {slide_ranges(cov.slides)}" if cov.slides else "not found"
    return f"{title}: {where}"
