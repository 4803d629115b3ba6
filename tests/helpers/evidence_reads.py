"""Test helper: count the judge page's evidence builds (services.judging.evidence.evidence), with the slide pictures
held "unavailable". The pictures drawn are part of a shared build's key: rendered in the background, they may become
ready between two judges' requests on a busy machine and rightly make a second build, which a test counting builds
must not see."""

from __future__ import annotations

from typing import Any

import pytest

from services.judging import evidence, slide_pictures


def count_evidence_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The submission ids whose evidence is read from now on, in order."""
    reads: list[int] = []
    real = evidence.evidence

    def counted(**kwargs: Any) -> evidence.Evidence:
        reads.append(kwargs["submission_id"])
        return real(**kwargs)

    monkeypatch.setattr(evidence, "evidence", counted)
    monkeypatch.setattr(slide_pictures, "ensure", lambda **_: slide_pictures.State.unavailable)
    return reads
