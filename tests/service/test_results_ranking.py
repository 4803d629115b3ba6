"""The leaderboard's SQL sums agree with the pure scoring module, leave out drafts and conflicted judges, and follow
the edition's configured method and tie-break chain (SQLite and PostgreSQL)."""

import math
import threading
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import QueuePool
from sqlmodel import Session, select

from models import ConflictOfInterest, ConflictReason, Edition, Submission, User
from services.contest import editions
from services.contest.edition_config import EditionConfig, dump_config
from services.judging import completeness, sheets
from services.platform.db import READ_ONLY_OPTION, SharedSnapshot
from services.results import ranking, scoring


@pytest.fixture
def ctx(demo_session):
    edition = editions.current_edition(session=demo_session)
    return demo_session, edition


def judge(session, username):
    return session.exec(select(User).where(User.username == username)).one()


def set_config(session, edition_id, **changes):
    row = session.get(Edition, edition_id)
    row.config = dump_config(EditionConfig(**changes))
    session.add(row)
    session.commit()


def test_sql_sums_equal_the_pure_module_on_every_score(ctx):
    session, edition = ctx
    points = ranking.submitted_points(session=session, edition_id=edition.id)
    means = scoring.criterion_means(points.points)
    goals = next(c.id for c in edition.scored_criteria if c.code == "goals_results")
    chain = [
        scoring.TieBreaker("goals", {s: m[goals] for s, m in means.items()}),
        scoring.TieBreaker(
            "spread", {s: scoring.spread(j.values()).sd for s, j in points.totals().items()}, higher_is_better=False
        ),
    ]
    # Medians of half points tie often: the default chain (goals and results, then spread) must split them alike.
    expected = scoring.rank_submissions(scoring.aggregate(points.totals(), scoring.Method.median), chain)
    board = ranking.leaderboard(session=session, edition_id=edition.id, method=scoring.Method.median)
    assert [(r.submission_id, r.rank) for r in board.rows] == [(e.submission_id, e.rank) for e in expected]
    code_of = {c.id: c.code for c in edition.scored_criteria}
    top = board.rows[0]
    assert top.criterion_means == pytest.approx({code_of[c]: v for c, v in means[top.submission_id].items()})
    table = ranking.sheet_table(session=session, edition_id=edition.id)
    assert table.totals == points.totals()  # half points: float sums are exact


def test_a_draft_and_a_conflicted_judges_sheet_are_left_out(ctx):
    session, edition = ctx
    dga, opm = judge(session, "judge-dga"), judge(session, "judge-opm")
    sub_id = ranking.leaderboard(session=session, edition_id=edition.id).rows[-1].submission_id
    full = {c.id: c.max_points for c in edition.scored_criteria}
    sheets.save_sheet(session=session, judge_id=dga.id, submission_id=sub_id, points=full, actor=dga.username)
    before = {r.submission_id: r for r in ranking.leaderboard(session=session, edition_id=edition.id).rows}
    assert before[sub_id].judge_count == 9  # a draft does not count

    session.add(
        ConflictOfInterest(
            judge_id=opm.id, submission_id=sub_id, reason=ConflictReason.own_province, declared_by="organiser"
        )
    )
    session.commit()
    after = {r.submission_id: r for r in ranking.leaderboard(session=session, edition_id=edition.id).rows}
    assert after[sub_id].judge_count == 8
    others = ranking.submitted_points(session=session, edition_id=edition.id).points[sub_id]
    assert opm.id not in others and dga.id not in others
    assert after[sub_id].score == pytest.approx(
        round(sum(math.fsum(c.values()) for c in others.values()) / len(others), 2)
    )


def test_the_edition_method_is_the_default_and_the_tie_break_chain_is_configurable(ctx):
    session, edition = ctx
    set_config(
        session, edition.id, aggregation_method=scoring.Method.zscore, tie_breakers=["spread", "criterion:objectives"]
    )
    board = ranking.leaderboard(session=session, edition_id=edition.id)
    assert board.method is scoring.Method.zscore
    assert [t.code for t in board.tie_breaks] == ["spread", "criterion:objectives"]
    assert board.tie_breaks[0].higher_is_better is False
    assert board.tie_breaks[1].label_th.startswith("คะแนนเฉลี่ยเกณฑ์ 1.")
    top = board.rows[0]
    assert top.tie_break_values == (
        pytest.approx(top.spread_sd, abs=0.01),
        pytest.approx(top.criterion_means["objectives"], abs=1e-4),
    )


def test_an_unknown_criterion_in_the_chain_is_left_out(ctx):
    session, edition = ctx
    set_config(session, edition.id, tie_breakers=["criterion:no_such", "spread"])
    board = ranking.leaderboard(session=session, edition_id=edition.id)
    assert board.tie_break_names == ("spread",)


def test_exact_ties_after_the_whole_chain_share_the_rank(ctx):
    session, edition = ctx
    dga = judge(session, "judge-dga")
    pair = [r.submission_id for r in ranking.leaderboard(session=session, edition_id=edition.id).rows[-2:]]
    # Every other judge declares a conflict on two works, which then drop out until judge-dga scores them ...
    for other in session.exec(select(User).where(User.username.like("judge-%"), User.username != "judge-dga")):
        for sub_id in pair:
            session.add(
                ConflictOfInterest(
                    judge_id=other.id, submission_id=sub_id, reason=ConflictReason.other, declared_by="organiser"
                )
            )
    session.commit()
    assert ranking.leaderboard(session=session, edition_id=edition.id).unscored == 2
    # ... with the same sheet on both: score, goals-and-results mean and spread are all equal.
    same = {c.id: c.max_points * 0.95 for c in edition.scored_criteria}
    for sub_id in pair:
        sheets.save_sheet(
            session=session, judge_id=dga.id, submission_id=sub_id, points=same, submit=True, actor=dga.username
        )
    board = ranking.leaderboard(session=session, edition_id=edition.id)
    assert [(r.submission_id, r.rank, r.tied, r.score) for r in board.rows[:2]] == [
        (min(pair), 1, True, 95.0),
        (max(pair), 1, True, 95.0),
    ]
    assert board.rows[2].rank == 3 and not board.rows[2].tied


def test_ranking_without_criterion_detail_keeps_the_order(ctx):
    session, edition = ctx
    full = ranking.leaderboard(session=session, edition_id=edition.id)
    lean = ranking.leaderboard(session=session, edition_id=edition.id, criterion_detail=False)
    assert [(r.submission_id, r.rank, r.score) for r in lean.rows] == [
        (r.submission_id, r.rank, r.score) for r in full.rows
    ]
    assert lean.rows[0].criterion_means == {}
    assert lean.rows[0].tie_break_values == full.rows[0].tie_break_values


def test_agreement_over_the_demo_panel(ctx):
    session, edition = ctx
    agreement = ranking.agreement(session=session, edition_id=edition.id)
    assert agreement.judges == 9 and agreement.submissions == 45
    # The synthetic scores share a latent quality per work, so judges agree well but not perfectly.
    assert 0.5 < agreement.kendalls_w < 1
    assert 0.3 < agreement.icc < 1
    assert [code for code, _, _ in agreement.by_criterion] == [c.code for c in edition.scored_criteria]
    assert all(w is not None and 0 <= w <= 1 for _, w, _ in agreement.by_criterion)


@pytest.mark.parametrize("detail", [True, False])
def test_every_method_matches_the_pure_module_on_quarter_points_drafts_and_conflicts(ctx, detail):
    session, edition = ctx
    # The aggregation maths, not the quorum: every work keeps at least 8 counted sheets, so a quorum of 8 leaves
    # the pure module's order as it is (the quorum's own ordering is tested in test_quorum.py).
    editions.update_edition(
        session=session,
        edition_id=edition.id,
        actor="organiser",
        config=edition.config.model_copy(update={"quorum_min_sheets": 8}),
    )
    dga, opm, dla = judge(session, "judge-dga"), judge(session, "judge-opm"), judge(session, "judge-dla")
    works = [r.submission_id for r in ranking.leaderboard(session=session, edition_id=edition.id).rows]
    # Quarter and eighth points (exact in binary, so SQL's sums equal math.fsum), a draft and a conflict.
    for n, sub_id in enumerate(works[:6]):
        odd = {c.id: min(c.max_points, (n + c.position) % 9 + 0.125 * (n % 4)) for c in edition.scored_criteria}
        sheets.save_sheet(
            session=session, judge_id=dga.id, submission_id=sub_id, points=odd, submit=n % 2 == 0, actor=dga.username
        )
    session.add(
        ConflictOfInterest(
            judge_id=opm.id, submission_id=works[1], reason=ConflictReason.other, declared_by="organiser"
        )
    )
    session.add(
        ConflictOfInterest(
            judge_id=dla.id, submission_id=works[4], reason=ConflictReason.other, declared_by="organiser"
        )
    )
    session.commit()
    points = ranking.submitted_points(session=session, edition_id=edition.id)
    totals, means = scoring.sheet_totals(points.points), scoring.criterion_means(points.points)
    goals = next(c.id for c in edition.scored_criteria if c.code == "goals_results")
    chain = [
        scoring.TieBreaker("goals", {s: m[goals] for s, m in means.items()}),
        scoring.TieBreaker(
            "spread", {s: scoring.spread(j.values()).sd for s, j in totals.items()}, higher_is_better=False
        ),
    ]
    code_of = {c.id: c.code for c in edition.scored_criteria}
    for method in scoring.Method:
        expected = scoring.rank_submissions(scoring.aggregate(totals, method), chain)
        board = ranking.leaderboard(session=session, edition_id=edition.id, method=method, criterion_detail=detail)
        assert [(r.submission_id, r.rank, r.tied, r.score) for r in board.rows] == [
            (e.submission_id, e.rank, e.tied, round(e.score, 2)) for e in expected
        ]
        for row in board.rows:
            assert row.judge_count == len(totals[row.submission_id])
            assert row.spread_sd == round(chain[1].values[row.submission_id], 2)
            assert row.tie_break_values[0] == means[row.submission_id][goals]
            assert row.criterion_means == (
                {code_of[c]: v for c, v in means[row.submission_id].items()} if detail else {}
            )
    table = ranking.sheet_table(session=session, edition_id=edition.id, mean_of=list(code_of))
    assert table.totals == totals and table.criterion_means == means


def test_every_method_side_by_side_equals_each_ranked_alone(ctx):
    session, edition = ctx
    set_config(session, edition.id, tie_breakers=["criterion:roadmap", "spread", "criterion:goals_results"])
    together = ranking.leaderboards(session=session, edition_id=edition.id)
    assert list(together) == list(scoring.Method)
    for method, board in together.items():
        alone = ranking.leaderboard(session=session, edition_id=edition.id, method=method)
        assert board == alone
        assert board.method is method and len(board.rows) == 45
        assert board.tie_break_names == ("criterion:roadmap", "spread", "criterion:goals_results")
    # The methods really differ on the demo: not one board computed four times.
    assert len({tuple(r.submission_id for r in b.rows) for b in together.values()}) > 1


def test_a_kept_copy_of_the_works_details_gives_the_same_board(ctx):
    # The dashboard keeps the works' details longer than the ranking: a work the copy lacks is read for the board.
    session, edition = ctx
    fresh = ranking.leaderboard(session=session, edition_id=edition.id)
    works = ranking.work_details(session=session, edition_id=edition.id)
    assert set(works) == {r.submission_id for r in fresh.rows} and all(r.title and r.province for r in fresh.rows)
    lacking = dict(list(works.items())[:-3])
    kept = ranking.leaderboard(session=session, edition_id=edition.id, works=lacking)
    assert kept.rows == fresh.rows and kept.unscored == fresh.unscored
    assert ranking.leaderboard(session=session, edition_id=edition.id, works={}).rows == fresh.rows


def test_a_session_in_a_transaction_ranks_as_one_read_on_its_own_connection_alike(ctx):
    # With no transaction open, PostgreSQL's ranking reads on two connections at once (one_snapshot); a session
    # already in a transaction reads on itself, one query after another: both give the same boards.
    session, edition = ctx
    works = ranking.work_details(session=session, edition_id=edition.id)
    set_config(session, edition.id, tie_breakers=["criterion:roadmap", "spread"])
    dga = judge(session, "judge-dga")
    full = {c.id: c.max_points for c in edition.scored_criteria}
    first = ranking.leaderboard(session=session, edition_id=edition.id).rows[0].submission_id
    sheets.save_sheet(session=session, judge_id=dga.id, submission_id=first, points=full, submit=True, actor="dga")
    assert not session.in_transaction()
    for kept in (None, works):
        apart = ranking.leaderboards(session=session, edition_id=edition.id, works=kept)
        lean = ranking.leaderboard(session=session, edition_id=edition.id, criterion_detail=False, works=kept)
        session.connection()  # a transaction begun: the sequential path
        assert ranking.leaderboards(session=session, edition_id=edition.id, works=kept) == apart
        assert ranking.leaderboard(session=session, edition_id=edition.id, criterion_detail=False, works=kept) == lean
        session.commit()
    row = next(r for r in apart[scoring.Method.mean].rows if r.submission_id == first)
    assert (row.judge_count, row.judges_expected, row.meets_quorum) == (10, 10, True)
    assert apart[scoring.Method.mean].below_quorum == 44


def submit_dga_sheet(engine, edition, dga, work):
    """judge-dga submits on work from a connection of their own, as a judge's page would."""
    with Session(engine, expire_on_commit=False) as other:
        full = {c.id: c.max_points for c in edition.scored_criteria}
        sheets.save_sheet(session=other, judge_id=dga.id, submission_id=work, points=full, submit=True, actor="dga")


def test_the_ranking_reads_one_snapshot_whatever_commits_meanwhile(ctx, monkeypatch):
    # A judge submits while the ranking reads: the sheets and the sheets still owed must both be read before it, or
    # both after, never one of each (a work would show 11 expected judges of its 10, or 9 of 9 and meet its quorum).
    session, edition = ctx
    engine = session.get_bind()
    reader = Session(engine.execution_options(**{READ_ONLY_OPTION: True}))  # a dashboard's: it locks nobody out
    dga = judge(session, "judge-dga")
    work = ranking.leaderboard(session=session, edition_id=edition.id).rows[0].submission_id
    before = ranking.leaderboards(session=session, edition_id=edition.id)
    threads = set()
    side_reading, committed = threading.Event(), threading.Event()
    real_conflicts, real_unsheeted = ranking.conflicted_pairs, completeness.unsheeted_assignments

    def submitted_meanwhile(*args):
        # On this thread, after the ranking's first read and before its sheets, once the other thread reads.
        assert side_reading.wait(10)
        submit_dga_sheet(engine, edition, dga, work)
        committed.set()
        return real_conflicts(*args)

    def unsheeted(**kwargs):
        threads.add(threading.current_thread().name)
        side_reading.set()
        assert committed.wait(10)  # the quorum's read comes after the sheet
        return real_unsheeted(**kwargs)

    monkeypatch.setattr(ranking, "conflicted_pairs", submitted_meanwhile)
    monkeypatch.setattr(completeness, "unsheeted_assignments", unsheeted)
    session.commit()  # no transaction open: the ranking reads on two connections of one view
    during = ranking.leaderboards(session=reader, edition_id=edition.id)
    reader.close()
    monkeypatch.undo()
    after = ranking.leaderboards(session=session, edition_id=edition.id)
    row = {b: next(r for r in board.rows if r.submission_id == work) for b, board in after.items()}
    assert {(r.judge_count, r.judges_expected) for r in row.values()} == {(10, 10)}  # the sheet did come in
    assert during == before  # read as it stood when the ranking began
    assert threads and threading.current_thread().name not in threads  # the quorum's read ran alongside


@pytest.mark.parametrize("first_read_before", [False, True])
def test_a_commit_as_the_ranking_begins_is_seen_by_all_its_reads_or_none(ctx, monkeypatch, first_read_before):
    # PostgreSQL's snapshot is exported before the ranking's first read: a sheet submitted after is left out.
    # SQLite's connections share no snapshot: the other thread finds that a commit came since the ranking's first
    # read may have begun and leaves its reads to the session, which reads all as of its first read.
    session, edition = ctx
    engine = session.get_bind()
    reader = Session(engine.execution_options(**{READ_ONLY_OPTION: True}))
    dga = judge(session, "judge-dga")
    work = ranking.leaderboard(session=session, edition_id=edition.id).rows[0].submission_id
    before = ranking.leaderboards(session=session, edition_id=edition.id)
    threads = set()
    real_rules, real_unsheeted = ranking.round_rules, completeness.unsheeted_assignments

    def submitted_around_the_first_read(*args):
        if not first_read_before:
            submit_dga_sheet(engine, edition, dga, work)
        found = real_rules(*args)  # the ranking's first read
        if first_read_before:
            submit_dga_sheet(engine, edition, dga, work)
        return found

    def unsheeted(**kwargs):
        threads.add(threading.current_thread().name)
        return real_unsheeted(**kwargs)

    monkeypatch.setattr(ranking, "round_rules", submitted_around_the_first_read)
    monkeypatch.setattr(completeness, "unsheeted_assignments", unsheeted)
    session.commit()
    during = ranking.leaderboards(session=reader, edition_id=edition.id)
    reader.close()
    monkeypatch.undo()
    after = ranking.leaderboards(session=session, edition_id=edition.id)
    assert after != before
    here = threading.current_thread().name
    if engine.dialect.name == "postgresql":
        assert during == before
        assert threads and here not in threads
    else:
        assert during == (before if first_read_before else after)
        assert threads == {here}


def test_a_ranking_whose_second_connection_fails_reads_in_turn(ctx, monkeypatch):
    # A pool with no connection to spare (or a second connection that breaks) costs the overlap, not the ranking.
    session, edition = ctx
    expected = ranking.leaderboards(session=session, edition_id=edition.id)
    session.commit()

    @contextmanager
    def broken(self):
        raise OperationalError("SELECT 1", {}, Exception("no connection to spare"))
        yield  # pragma: no cover

    monkeypatch.setattr(SharedSnapshot, "another", broken)
    assert ranking.leaderboards(session=session, edition_id=edition.id) == expected


def test_a_ranking_reads_in_turn_when_the_pool_has_no_connections_to_spare(ctx, monkeypatch):
    # The overlap takes two more of the pool's connections; with all but one checked out it must not wait for them
    # (the pool's 30 s timeout) but read on the session, with the same result.
    session, edition = ctx
    expected = ranking.leaderboards(session=session, edition_id=edition.id)
    session.commit()
    engine = session.get_bind()
    threads: set[str] = set()
    real = ranking._side_reads

    def noted(*args, **kwargs):
        threads.add(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(ranking, "_side_reads", noted)
    assert isinstance(engine.pool, QueuePool), type(engine.pool)  # the app's engines (services.platform.db)
    held = [engine.connect() for _ in range(engine.pool.size() - 1)]
    try:
        assert ranking.leaderboards(session=session, edition_id=edition.id) == expected
        assert threads == {threading.current_thread().name}  # read in turn: no second thread
    finally:
        for conn in held:
            conn.close()
        session.commit()
    threads.clear()
    assert ranking.leaderboards(session=session, edition_id=edition.id) == expected
    assert engine.dialect.name == "sqlite" or threading.current_thread().name not in threads  # overlapped again


def test_an_edition_ranks_only_its_own_works_when_another_editions_sit_inside_its_id_range(ctx):
    # The sheets' read is bounded by the edition's lowest and highest work id (ranking.edition_works). Three works
    # moved to a kept edition (the demo's first, a middle one and its last) leave the demo's range narrower and give
    # the other edition a range that spans the demo's remaining works: each edition still ranks its own, by the
    # same sheets as before.
    session, edition = ctx

    def seen(board):
        return {r.submission_id: (r.score, r.judge_count, r.judges_expected, r.meets_quorum) for r in board.rows}

    before = seen(ranking.leaderboard(session=session, edition_id=edition.id, method=scoring.Method.mean))
    ids = sorted(before)
    moved = [ids[0], ids[len(ids) // 2], ids[-1]]
    other = editions.create_next_edition(
        session=session,
        source_id=edition.id,
        name="kept",
        year_be=2563,
        intake_opens_on=date(2020, 6, 1),
        intake_closes_on=date(2020, 7, 31),
        actor="organiser",
    )
    for sid in moved:
        session.get(Submission, sid).edition_id = other.id
    session.commit()
    assert ranking.edition_works(session, edition.id) == (ids[1], ids[-2])
    assert ranking.edition_works(session, other.id) == (ids[0], ids[-1])

    mine = seen(ranking.leaderboard(session=session, edition_id=edition.id, method=scoring.Method.mean))
    kept = seen(ranking.leaderboards(session=session, edition_id=other.id, methods=[scoring.Method.mean])["mean"])
    assert mine == {sid: v for sid, v in before.items() if sid not in moved}
    assert kept == {sid: before[sid] for sid in moved}
    assert ranking.sheet_table(session=session, edition_id=other.id).totals.keys() == set(moved)
    assert ranking.criterion_means(session=session, edition_id=edition.id).keys() == mine.keys()
    assert ranking.submitted_points(session=session, edition_id=other.id).points.keys() == set(moved)
