"""The ranking as the dashboard's table shows it: its columns built once per leaderboard and language, then searched
and cut into pages, so the browser gets the rows on screen rather than a national edition's 10,000."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from services.platform.safe_text import clean
from services.results.ranking import Leaderboard

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50


@dataclass(frozen=True)
class RankingPage:
    """The rows of the ranking on screen, as columns of display values (applicant text cleaned)."""

    rank: list[str]  # "3", or "3=" when tied after the whole chain
    judges: list[str]  # "5/5", or "⚠ 1/5 กรรมการ" below quorum
    score: list[float]
    organisation: list[str]
    province: list[str]
    title: list[str]
    category: list[str]
    tie_breaks: list[list[float | None]]  # one column per link of the chain (T1, T2 ...)
    criteria: list[list[float | None]]  # one column per criterion (C1 ... Cn): mean points


@dataclass(frozen=True)
class RankingTable:
    """One leaderboard ready to be searched and shown a page at a time: what every row needs (its rank and judges
    labels, the text a search looks in) is made once; the rest only for the rows on screen. Shared between sessions
    by the page's cache: never changed after it is built."""

    board: Leaderboard
    lang: str
    search_text: tuple[str, ...]  # organisation, province and title, case-folded

    def __len__(self) -> int:
        return len(self.board.rows)

    def matching(self, query: str) -> Sequence[int]:
        """The rows whose organisation, province or title contains every word of query (any case), in rank
        order; every row when query is blank."""
        words = query.casefold().split()
        if not words:
            return range(len(self))
        return [i for i, text in enumerate(self.search_text) if all(w in text for w in words)]

    def page(self, shown: Sequence[int]) -> RankingPage:
        rows = [self.board.rows[i] for i in shown]
        links = len(self.board.tie_breaks) or max((len(r.tie_break_values) for r in rows), default=0)
        return RankingPage(
            rank=[f"{r.rank}{'=' if r.tied else ''}" for r in rows],
            judges=[
                f"{r.judge_count}/{r.judges_expected}" if r.meets_quorum else f"⚠ {r.quorum_label(self.lang)}"
                for r in rows
            ],
            score=[r.score for r in rows],
            organisation=[clean(r.short_name) for r in rows],
            province=[clean(r.province) for r in rows],
            title=[clean(r.title) for r in rows],
            category=[clean(r.category) for r in rows],
            tie_breaks=[
                [
                    None if i >= len(r.tie_break_values) or math.isnan(v := r.tie_break_values[i]) else round(v, 2)
                    for r in rows
                ]
                for i in range(links)
            ],
            criteria=[
                [round(m, 2) if (m := r.criterion_means.get(c.code)) is not None else None for r in rows]
                for c in self.board.criteria
            ],
        )


def ranking_table(board: Leaderboard, *, lang: str = "th") -> RankingTable:
    return RankingTable(board, lang, tuple(f"{r.short_name}\n{r.province}\n{r.title}".casefold() for r in board.rows))


def page_count(found: int, size: int) -> int:
    return max(1, math.ceil(found / size))


def page_rows(found: Sequence[int], *, page: int, size: int) -> Sequence[int]:
    """The rows on page (1-based) of found, pages of size rows; the last page when page is past it."""
    page = min(max(1, page), page_count(len(found), size))
    return found[(page - 1) * size : page * size]
