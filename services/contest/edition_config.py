"""Per-edition rules kept as data in Edition.config: one typed model with the defaults of the 2564 contest."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from services.results.scoring import Method


class SuggestionRule(BaseModel):
    """Suggested points for a checklist criterion: points per ticked option, capped at the criterion's maximum."""

    criterion_code: str
    answer_key: str = Field(description="the questionnaire key holding the ticked options, e.g. 'digital_tools'")
    points_per_option: float = 1.0
    weights: dict[str, float] = Field(default_factory=dict, description="option -> points, overriding the default")


class EditionConfig(BaseModel):
    # Results
    aggregation_method: Method = Method.mean
    tie_breakers: list[str] = Field(
        default_factory=lambda: ["criterion:goals_results", "spread"],
        description="'criterion:<code>' (higher mean wins) or 'spread' (smaller disagreement wins)",
    )
    # Judging
    blind_until_results: bool = Field(
        default=True, description="judges see no other judge's scores nor the leaderboard before the results phase"
    )
    disagreement_threshold: float = Field(
        default=2.5, description="a criterion is flagged when the judges' standard deviation exceeds this many points"
    )
    judges_per_submission: int | None = Field(default=None, description="None: every judge scores every submission")
    min_agencies_per_submission: int = 1
    quorum_min_sheets: int | None = Field(
        default=None,
        ge=1,
        description="None: a work is fully judged when every assigned judge without a conflict has submitted; "
        "k: when at least k sheets are submitted",
    )
    judging_deadline: datetime | None = Field(default=None, description="when judges must have submitted (UTC)")
    mail_reminder_hours: list[int] = Field(
        default_factory=lambda: [72, 24], description="e-mail judges with sheets owed this long before the deadline"
    )
    # Intake
    suggestion_rules: list[SuggestionRule] = Field(
        default_factory=lambda: [
            SuggestionRule(criterion_code="communication", answer_key="communication_channels"),
            SuggestionRule(criterion_code="digital_tools", answer_key="digital_tools"),
        ]
    )


def load_config(raw: dict[str, Any] | None) -> EditionConfig:
    """The edition's rules; keys it does not set take the defaults, unknown keys are ignored."""
    return EditionConfig.model_validate(raw or {})


def dump_config(config: EditionConfig) -> dict[str, Any]:
    return config.model_dump(mode="json")
