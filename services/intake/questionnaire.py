"""The on-screen questions of step 7 (after "send"): their options, the answers' shape, and their checks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, ValidationError

from services.intake import phrases
from services.platform import text_limits
from services.platform.errors import DomainError, ValidationFailed
from services.platform.phrases import Label, label
from services.platform.safe_text import clean

_HOST_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", re.IGNORECASE)


class DataSet(BaseModel):
    name: str
    url: str = ""
    on_data_go_th: bool = False


class GoalRow(BaseModel):
    code: str = ""  # one of phrases.GOAL_ROW, or "" for a free row
    label: str = ""
    before: float | None = None
    target: float | None = None
    after: float | None = None


class RoadmapPeriod(BaseModel):
    period: str
    plan: str = ""
    responsible_unit: str = ""


class TeamMember(BaseModel):
    name: str
    role: str = ""


class Answers(BaseModel):
    digital_tools: list[str] = Field(default_factory=list)
    digital_tools_other: list[str] = Field(default_factory=list)
    communication_channels: list[str] = Field(default_factory=list)
    communication_channels_other: list[str] = Field(default_factory=list)
    datasets: list[DataSet] = Field(default_factory=list)
    goals: list[GoalRow] = Field(default_factory=list)
    participation: str = ""
    feedback: str = ""
    roadmap: list[RoadmapPeriod] = Field(default_factory=list)
    limitations: str = ""
    team: list[TeamMember] = Field(default_factory=list)


def load_answers(raw: dict[str, Any] | None) -> Answers:
    """Stored answers, tolerant of older shapes: anything unreadable is dropped rather than failing a page."""
    try:
        return Answers.model_validate(raw or {})
    except ValidationError:
        return Answers()


def dump_answers(answers: Answers) -> dict[str, Any]:
    return answers.model_dump(mode="json")


def is_data_go_th(url: str) -> bool:
    host = (urlsplit(url.strip()).hostname or "").lower()
    return host == "data.go.th" or host.endswith(".data.go.th")


def check_url(url: str) -> bool:
    """http(s) with a plausible host name: syntax only, nothing is fetched."""
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(_HOST_RE.match(parts.hostname or "")) and " " not in url.strip()


def split_lines(text: str) -> list[str]:
    """Free "other" entries: one per line or comma-separated."""
    return [p.strip() for p in re.split(r"[\n,]", text) if p.strip()]


def parse_pairs(text: str) -> list[tuple[str, str]]:
    """Lines of "left | right" (the right part optional)."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        left, _, right = line.partition("|")
        out.append((left.strip(), right.strip()))
    return out


def _number(raw: str) -> float | None:
    raw = raw.strip().replace(",", "")
    if not raw:
        return None
    value = float(raw)
    if text_limits.bad_number(value):  # "nan", "inf", "1e400" parse as floats
        raise ValueError(raw)
    return value


def parse_goal_rows(text: str) -> list[GoalRow]:
    """Free rows of the goals table: "label | before | target | after"; raises ValidationFailed on bad numbers."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label, *cells = (c.strip() for c in line.split("|"))
        cells = [*cells, "", "", ""][:3]
        try:
            before, target, after = (_number(c) for c in cells)
        except ValueError:
            raise ValidationFailed(
                "bad_goal_row",
                f"ตารางเป้าหมาย แถวอื่น ๆ บรรทัดที่ {number}: ใส่เป็นตัวเลขไม่เกิน {text_limits.MAX_NUMBER:,.0f} "
                "เช่น 'ลดกระดาษ (แผ่น/เดือน) | 500 | 100 | 80'",
                f"Goals table, other rows, line {number}: use numbers up to {text_limits.MAX_NUMBER:,.0f}, "
                "e.g. 'Paper (sheets/month) | 500 | 100 | 80'.",
            ) from None
        rows.append(GoalRow(label=label, before=before, target=target, after=after))
    return rows


def validate(answers: Answers, *, for_confirm: bool) -> list[DomainError]:
    """Every problem with the answers; `for_confirm` adds what "confirm" needs (both checklists answered)."""
    problems: list[DomainError] = []
    if (
        set(answers.digital_tools) - phrases.DIGITAL_TOOL.keys()
        or set(answers.communication_channels) - phrases.COMMUNICATION_CHANNEL.keys()
    ):
        problems.append(
            ValidationFailed(
                "unknown_option", "มีตัวเลือกที่ระบบไม่รู้จัก กรุณาเลือกใหม่", "An option is not known; please choose again."
            )
        )
    if for_confirm and not (answers.digital_tools or answers.digital_tools_other):
        problems.append(
            ValidationFailed(
                "no_tools",
                "กรุณาเลือกเครื่องมือดิจิทัล/ระบบงานอิเล็กทรอนิกส์ที่ใช้งานอย่างน้อย 1 รายการ",
                "Choose at least one digital tool or e-system in use.",
            )
        )
    if for_confirm and not (answers.communication_channels or answers.communication_channels_other):
        problems.append(
            ValidationFailed(
                "no_channels",
                "กรุณาเลือกช่องทางการสื่อสารและประชาสัมพันธ์อย่างน้อย 1 รายการ",
                "Choose at least one communication channel.",
            )
        )
    for ds in answers.datasets:
        if not ds.name.strip():
            problems.append(ValidationFailed("dataset_name", "ชุดข้อมูลทุกรายการต้องมีชื่อ", "Every data set needs a name."))
        if ds.url and not check_url(ds.url):
            problems.append(
                ValidationFailed(
                    "bad_url",
                    f"ที่อยู่เว็บของชุดข้อมูล \u201c{ds.name}\u201d ไม่ถูกต้อง ต้องขึ้นต้นด้วย https:// เช่น https://data.go.th/dataset/...",
                    f"The URL of data set \u201c{ds.name}\u201d is not valid: it must start with https://, "
                    "e.g. https://data.go.th/dataset/...",
                )
            )
    problems += _size_problems(answers)
    for row in answers.goals:
        if any(text_limits.bad_number(v) for v in (row.before, row.target, row.after)):
            problems.append(text_limits.number_refused())
            break
    for row in answers.goals:
        if any(v is not None and v < 0 for v in (row.before, row.target, row.after)):
            problems.append(
                ValidationFailed(
                    "negative_goal", "ตัวเลขในตารางเป้าหมายต้องไม่ติดลบ", "Numbers in the goals table cannot be negative."
                )
            )
            break
    for period in answers.roadmap:
        if period.plan.strip() and not period.responsible_unit.strip():
            label = phrases.ROADMAP_PERIOD.get(period.period, (period.period, ""))[0]
            problems.append(
                ValidationFailed(
                    "roadmap_unit",
                    f"Roadmap {label}: กรุณาระบุหน่วยงานที่รับผิดชอบ",
                    f"Roadmap {period.period}: name the responsible unit.",
                )
            )
    return problems


def _size_problems(answers: Answers) -> list[DomainError]:
    """Every text within its limit (text_limits.LIMITS) and every list within MAX_ROWS."""
    checks: list[tuple[str, str]] = [
        ("participation", answers.participation),
        ("feedback", answers.feedback),
        ("limitations", answers.limitations),
    ]
    checks += [("other_entry", s) for s in (*answers.digital_tools_other, *answers.communication_channels_other)]
    checks += [item for d in answers.datasets for item in (("dataset_name", d.name), ("dataset_url", d.url))]
    checks += [("goal_label", g.label) for g in answers.goals]
    checks += [
        item for r in answers.roadmap for item in (("roadmap_plan", r.plan), ("responsible_unit", r.responsible_unit))
    ]
    checks += [item for m in answers.team for item in (("team_member", m.name), ("team_member", m.role))]
    problems: list[DomainError] = []
    seen: set[str] = set()
    for field, value in checks:
        problem = text_limits.too_long(field, value)
        if problem is not None and problem.code not in seen:  # one message per field, not one per row
            seen.add(problem.code)
            problems.append(problem)
    lists = (
        ("ชุดข้อมูล", "data sets", answers.datasets),
        ("ตารางเป้าหมาย", "goals table", answers.goals),
        ("สมาชิกในทีม", "team", answers.team),
        ("Roadmap", "roadmap", answers.roadmap),
        ("เครื่องมือดิจิทัลอื่น ๆ", "other tools", answers.digital_tools_other),
        ("ช่องทางการสื่อสารอื่น ๆ", "other channels", answers.communication_channels_other),
    )
    problems += [p for th, en, rows in lists if (p := text_limits.too_many_rows(th, en, len(rows))) is not None]
    return problems


def normalise(answers: Answers) -> Answers:
    """Cleaned (safe_text.clean) and trimmed text, data.go.th links marked, empty rows dropped, options in their
    listed order."""

    def line(text: str) -> str:
        return clean(text, multiline=False).strip()

    def block(text: str) -> str:
        return clean(text).strip()

    return Answers(
        digital_tools=[c for c in phrases.DIGITAL_TOOL if c in answers.digital_tools],
        digital_tools_other=[line(s) for s in answers.digital_tools_other if line(s)],
        communication_channels=[c for c in phrases.COMMUNICATION_CHANNEL if c in answers.communication_channels],
        communication_channels_other=[line(s) for s in answers.communication_channels_other if line(s)],
        datasets=[
            DataSet(name=line(d.name), url=line(d.url), on_data_go_th=is_data_go_th(line(d.url)))
            for d in answers.datasets
            if line(d.name) or line(d.url)
        ],
        goals=[
            GoalRow(code=line(g.code), label=line(g.label), before=g.before, target=g.target, after=g.after)
            for g in answers.goals
            if g.code or line(g.label) or any(v is not None for v in (g.before, g.target, g.after))
        ],
        participation=block(answers.participation),
        feedback=block(answers.feedback),
        roadmap=[
            RoadmapPeriod(period=line(p.period), plan=block(p.plan), responsible_unit=line(p.responsible_unit))
            for p in answers.roadmap
        ],
        limitations=block(answers.limitations),
        team=[TeamMember(name=line(m.name), role=line(m.role)) for m in answers.team if line(m.name)],
    )


# --- the answers as staff read them ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerTable:
    """A table answer with its headers and cells as text (numbers formatted), ready to draw."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]  # per column: numbers, drawn right-aligned so their digits line up


@dataclass(frozen=True)
class LabelledAnswer:
    """One question with its answer in words: option codes replaced by their labels, never a stored key.

    `items`, `text` and table cells other than our labels are the applicant's text: show them escaped."""

    key: str
    question: str
    items: tuple[str, ...] = ()
    text: str = ""
    table: AnswerTable | None = None

    @property
    def answered(self) -> bool:
        return bool(self.items or self.text or self.table)


def format_number(value: float | None, *, signed: bool = False) -> str:
    """Thousands separated, whole numbers without decimals, others to two; "—" for a blank cell."""
    if value is None:
        return "—"
    text = f"{value:+,.0f}" if signed else f"{value:,.0f}"
    if value != round(value):
        text = f"{value:+,.2f}" if signed else f"{value:,.2f}"
    return text


def _change(row: GoalRow) -> str:
    """After minus before, with the share of before when there is one (a drop in minutes is progress too)."""
    if row.before is None or row.after is None:
        return "—"
    delta = row.after - row.before
    if row.before == 0 or delta == 0:
        return format_number(delta, signed=delta != 0)
    return f"{format_number(delta, signed=True)} ({delta / row.before:+.0%})"


def labelled(answers: Answers, lang: str = "th") -> tuple[LabelledAnswer, ...]:
    """Every question of the questionnaire, in the form's order, with its answer in `lang` ("th" or "en")."""

    def word(table: dict[str, Label], code: str) -> str:
        return label(table, code, lang)

    def question(key: str, **answer: Any) -> LabelledAnswer:
        return LabelledAnswer(key, word(phrases.QUESTION, key), **answer)

    def table(
        columns: tuple[str, ...], rows: Sequence[tuple[str, ...]], numeric: tuple[bool, ...]
    ) -> AnswerTable | None:
        return AnswerTable(tuple(word(phrases.COLUMN, c) for c in columns), tuple(rows), numeric) if rows else None

    yes_no = {True: word(phrases.COLUMN, "yes"), False: word(phrases.COLUMN, "no")}
    goals = [
        (
            word(phrases.GOAL_ROW, g.code) if g.code else g.label,
            format_number(g.before),
            format_number(g.target),
            format_number(g.after),
            _change(g),
        )
        for g in answers.goals
    ]
    return (
        question(
            "digital_tools",
            items=(*(word(phrases.DIGITAL_TOOL, c) for c in answers.digital_tools), *answers.digital_tools_other),
        ),
        question(
            "communication_channels",
            items=(
                *(word(phrases.COMMUNICATION_CHANNEL, c) for c in answers.communication_channels),
                *answers.communication_channels_other,
            ),
        ),
        question(
            "datasets",
            table=table(
                ("dataset", "url", "on_data_go_th"),
                [(d.name, d.url or "—", yes_no[d.on_data_go_th]) for d in answers.datasets],
                (False, False, False),
            ),
        ),
        question(
            "goals",
            table=table(("measure", "before", "target", "after", "change"), goals, (False, True, True, True, True)),
        ),
        question("participation", text=answers.participation),
        question("feedback", text=answers.feedback),
        question(
            "roadmap",
            table=table(
                ("period", "plan", "responsible_unit"),
                [
                    (word(phrases.ROADMAP_PERIOD, p.period), p.plan or "—", p.responsible_unit or "—")
                    for p in answers.roadmap
                    if p.plan or p.responsible_unit
                ],
                (False, False, False),
            ),
        ),
        question("limitations", text=answers.limitations),
        question(
            "team", table=table(("name", "role"), [(m.name, m.role or "—") for m in answers.team], (False, False))
        ),
    )
