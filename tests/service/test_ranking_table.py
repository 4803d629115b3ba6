"""The dashboard's ranking table: columns built once from the leaderboard, searched and cut into pages (SQLite and
PostgreSQL, on the 2564 demo)."""

from __future__ import annotations

from sqlmodel import Session

from services.contest.editions import current_edition
from services.results import ranking, ranking_table


def board_of(session: Session) -> ranking.Leaderboard:
    edition = current_edition(session=session)
    assert edition is not None
    return ranking.leaderboard(session=session, edition_id=edition.id)


def test_the_columns_hold_each_row_of_the_leaderboard_in_rank_order(demo_session: Session) -> None:
    board = board_of(demo_session)
    table = ranking_table.ranking_table(board, lang="en")
    assert len(table) == len(board.rows) == 45
    page = table.page(range(45))
    assert page.score == [r.score for r in board.rows]
    assert page.title == [r.title for r in board.rows]
    assert page.rank[0] == "1"
    assert set(page.judges) == {"⚠ 9/10 judges"}  # every demo work waits for judge-dga's sheet
    assert len(page.tie_breaks) == len(board.tie_breaks) == 2
    assert page.tie_breaks[0][0] == round(board.rows[0].tie_break_values[0], 2)
    assert len(page.criteria) == len(board.criteria)
    first = board.criteria[0].code
    assert page.criteria[0][0] == round(board.rows[0].criterion_means[first], 2)
    last = table.page([44])
    assert last.title == [board.rows[44].title] and last.criteria[0] == [
        round(board.rows[44].criterion_means[first], 2)
    ]


def test_a_search_finds_every_word_in_organisation_province_or_title(demo_session: Session) -> None:
    board = board_of(demo_session)
    table = ranking_table.ranking_table(board)
    province = board.rows[3].province
    assert list(table.matching(province)) == [
        i for i, r in enumerate(board.rows) if province in f"{r.short_name} {r.province} {r.title}"
    ]
    both = f"  {province}   {board.rows[3].short_name} "
    assert 3 in table.matching(both)
    assert list(table.matching("")) == list(range(45))
    assert list(table.matching("ไม่มีผลงานใดชื่อนี้")) == []


def test_pages_cut_the_rows_and_a_page_past_the_end_is_the_last_one() -> None:
    rows = list(range(45))
    assert ranking_table.page_count(45, 25) == 2 and ranking_table.page_count(0, 25) == 1
    assert list(ranking_table.page_rows(rows, page=1, size=25)) == list(range(25))
    assert list(ranking_table.page_rows(rows, page=2, size=25)) == list(range(25, 45))
    assert list(ranking_table.page_rows(rows, page=9, size=25)) == list(range(25, 45))
    assert list(ranking_table.page_rows([], page=1, size=25)) == []
