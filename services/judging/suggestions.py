"""Suggested points for the checklist criteria (communication channels, digital tools) from the step-7 answers.

Pure: the edition's rules and the answers in, suggestions out. Judges see the suggestion and decide.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from services.contest.edition_config import SuggestionRule


@dataclass(frozen=True)
class Suggestion:
    criterion_code: str
    points: float
    max_points: int
    counted: tuple[str, ...]  # the options that earned points, "other" entries as typed

    def label(self, lang: str = "th") -> str:
        basis = len(self.counted)
        if lang == "en":
            return f"suggested {self.points:g} / {self.max_points} ({basis} options ticked)"
        return f"คะแนนที่ระบบแนะนำ {self.points:g} / {self.max_points} (เลือก {basis} รายการ)"


def suggest(
    rules: Sequence[SuggestionRule], answers: Mapping[str, Any], max_points: Mapping[str, int]
) -> list[Suggestion]:
    """One suggestion per rule whose criterion the edition has: each ticked option earns its weight (or the rule's
    points per option), each "other" entry the points per option; the sum is capped at the criterion's maximum
    and rounded down to half points, the finest step judges score in."""
    out = []
    for rule in rules:
        if rule.criterion_code not in max_points:
            continue
        cap = max_points[rule.criterion_code]
        ticked = [str(o) for o in answers.get(rule.answer_key) or [] if str(o).strip()]
        others = [str(o).strip() for o in answers.get(f"{rule.answer_key}_other") or [] if str(o).strip()]
        seen: set[str] = set()
        raw = 0.0
        counted: list[str] = []
        for option in ticked:
            if option in seen:
                continue
            seen.add(option)
            weight = rule.weights.get(option, rule.points_per_option)
            if weight > 0:
                raw += weight
                counted.append(option)
        for option in others:
            if option.casefold() in seen:
                continue
            seen.add(option.casefold())
            raw += rule.points_per_option
            counted.append(option)
        points = min(float(cap), max(0.0, raw))
        out.append(Suggestion(rule.criterion_code, int(points * 2) / 2, cap, tuple(counted)))
    return out
