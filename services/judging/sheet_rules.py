"""The merge rules of saving a score sheet, pure: what a save writes, which typed comments it settles, what is missing.

A save carries only what changed on screen (the slider that moved, the comment typed), so the rules decide against
what the sheet already stores: a criterion's new points and comment, whether that is a change at all, and which of
the judge's typed-but-unsaved comments (TypedComment rows, kept so a comment typed before its slider is not lost)
the save has now taken into the sheet. sheets.save_sheet reads the rows, asks these rules, and writes the answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

OVERALL = 0  # the criterion id under which the overall comment's typed copy is kept


@dataclass(frozen=True)
class Stored:
    """What the sheet holds for one criterion."""

    points: float
    comment: str


@dataclass(frozen=True)
class ScoreWrite:
    """One criterion's row to write: its new points and comment, and what it held before (None: a new row)."""

    criterion_id: int
    points: float
    comment: str
    before: Stored | None


@dataclass(frozen=True)
class SheetMerge:
    writes: tuple[ScoreWrite, ...]  # in criterion id order
    settled: frozenset[int]  # typed comments now in the sheet (OVERALL for the overall comment): to delete
    missing: tuple[int, ...]  # on submit, the criteria with no points stored nor given, in the sheet's order


def missing_on_submit(
    criterion_ids: Sequence[int], stored: Mapping[int, Stored], points: Mapping[int, float]
) -> tuple[int, ...]:
    """The criteria a submit would leave without points: none stored and none given with it."""
    return tuple(cid for cid in criterion_ids if cid not in points and cid not in stored)


def merge(
    *,
    criterion_ids: Sequence[int],
    stored: Mapping[int, Stored],
    points: Mapping[int, float],
    comments: Mapping[int, str],
    overall_given: bool,
    submit: bool,
) -> SheetMerge:
    """What saving `points` and `comments` over `stored` does. Points not given keep the stored ones; a comment
    not given keeps the stored one. A comment for a criterion with no points yet is not written (it stays typed
    until the slider moves); a criterion whose points and comment are unchanged is not written either, but a
    comment sent for it is settled all the same. Submitting settles every typed comment of the sheet."""
    known = set(criterion_ids)
    writes: list[ScoreWrite] = []
    settled: set[int] = set()
    for cid in sorted(set(points) | {c for c in comments if c in known}):
        before = stored.get(cid)
        new_points = float(points[cid]) if cid in points else (before.points if before else None)
        new_comment = comments.get(cid, before.comment if before else "")
        if new_points is None:
            continue  # a comment without points waits until the judge moves the slider
        if cid in comments:
            settled.add(cid)
        if before is not None and before.points == new_points and before.comment == new_comment:
            continue
        writes.append(ScoreWrite(cid, new_points, new_comment, before))
    if overall_given:
        settled.add(OVERALL)
    if submit:
        settled |= known | {OVERALL}
    missing = missing_on_submit(criterion_ids, stored, points) if submit else ()
    return SheetMerge(tuple(writes), frozenset(settled), missing)
