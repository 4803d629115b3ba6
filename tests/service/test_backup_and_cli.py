"""Backup and restore keep the results equal, across databases; the ldaward CLI prints the headline figures."""

import json
import shutil

import pytest
from sqlmodel import Session, func, select

from models import Score, StoredFile
from services.contest import editions
from services.intake import documents, files
from services.platform.backup import backup, restore
from services.platform.db import build_engine, upgrade_schema
from services.platform.errors import ValidationFailed
from services.results import ranking as results
from tests.helpers import cli as ldaward


def ranking(engine):
    with Session(engine) as s:
        edition = editions.current_edition(session=s)
        return [(r.submission_id, r.rank, r.score) for r in results.leaderboard(session=s, edition_id=edition.id).rows]


def test_restore_brings_back_equal_results_on_a_fresh_sqlite(demo_engine, tmp_path):
    with Session(demo_engine) as s:
        files.store_file(session=s, data=b"%PDF-1.4 a stored file")
        s.commit()
    snapshot = backup(engine=demo_engine, path=tmp_path / "b.zip")
    assert snapshot.tables["score"] == 405 * 11
    target = build_engine(f"sqlite:///{tmp_path / 'restored.db'}")
    upgrade_schema(target)
    restore(engine=target, path=snapshot.path, accept_unsigned=True)  # a new server: it has not the key that signed
    assert ranking(target) == ranking(demo_engine)
    with Session(demo_engine) as s:
        stored_before = s.exec(select(func.count()).select_from(StoredFile)).one()
    with Session(target) as s:
        assert (
            s.exec(select(func.count()).select_from(StoredFile)).one() == stored_before == 47
        )  # 45 decks, one shared form, this file
        digest = documents.sha256_hex(b"%PDF-1.4 a stored file")
        assert s.get(StoredFile, digest).content == b"%PDF-1.4 a stored file"
    target.dispose()


def test_a_restored_database_keeps_working(demo_engine, tmp_path):
    """After a restore new rows get fresh ids (PostgreSQL sequences continue past the restored ones)."""
    snapshot = backup(engine=demo_engine, path=tmp_path / "b.zip")
    restore(engine=demo_engine, path=snapshot.path, force=True, safety_path=tmp_path / "safety.zip")
    with Session(demo_engine) as s:
        before = s.exec(select(func.max(Score.id))).one()
        from models import User
        from services.judging import sheets, worklist

        judge = s.exec(select(User).where(User.username == "judge-dga")).one()
        edition = editions.current_edition(session=s)
        sub = worklist.list_assignments(session=s, judge_id=judge.id, edition_id=edition.id)[0].submission.id
        sheets.save_sheet(
            session=s,
            judge_id=judge.id,
            submission_id=sub,
            points={edition.scored_criteria[0].id: 5},
            actor="judge-dga",
        )
        assert s.exec(select(func.max(Score.id))).one() > before


def test_a_damaged_backup_is_refused_with_a_message(demo_engine, tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ValidationFailed) as e:
        restore(engine=demo_engine, path=bad, force=True, safety_path=tmp_path / "safety.zip")
    assert e.value.code == "bad_backup"
    assert len(ranking(demo_engine)) == 45  # nothing was touched


def test_ldaward_stats_json_prints_the_announcements_figures(demo_db_url):
    out = ldaward.in_process(demo_db_url, "stats", "--json")
    assert out.returncode == 0, out.stderr
    figures = json.loads(out.stdout)
    assert figures["works"] == 45
    assert figures["organisations"] == 44
    assert figures["top_category"] == {"label": "E-Service", "count": 25}
    assert figures["top_province"]["province"] == "เชียงราย"
    assert figures["top_province"]["organisations"] == 6
    assert figures["multi_work_organisations"] == [{"label": "เทศบาลนครภูเก็ต", "count": 2}]


def test_ldaward_results_json_ranks_45_works(demo_db_url):
    out = ldaward.in_process(demo_db_url, "results", "--json", "--method", "median")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["method"] == "median"
    assert len(data["rows"]) == 45
    assert data["rows"][0]["rank"] == 1


def test_ldaward_init_demo_user_add_on_an_empty_database(tmp_path):
    """`ldaward init` as the real command (the entry point; the browser tests' demo database is made by the real
    `ldaward demo`), the rest through its main() in this process: a Python start each would prove nothing more."""
    url = f"sqlite:///{tmp_path / 'new.db'}"
    assert ldaward.run(url, "init").returncode == 0
    assert "loaded the 2564 edition" in ldaward.in_process(url, "demo").stdout
    assert "already loaded" in ldaward.in_process(url, "demo").stdout
    added = ldaward.in_process(url, "user", "add", "new-judge", "--role", "judge", "--password", "long-password")
    assert added.returncode == 0 and "created judge new-judge" in added.stdout
    dup = ldaward.in_process(url, "user", "add", "new-judge", "--role", "judge", "--password", "long-password")
    assert dup.returncode == 1 and "มีผู้ใช้ชื่อ new-judge อยู่แล้ว" in dup.stderr
    assert "Traceback" not in dup.stderr


def test_ldaward_backup_then_restore_round_trip(templates, tmp_path):
    key = {"LDAWARD_SECRET_KEY": "shared-by-both-servers"}
    # The demo as `ldaward demo` leaves it (that command is tested above): a copy of the migrated demo template.
    shutil.copy(templates.sqlite(with_demo=True), tmp_path / "a.db")
    url = f"sqlite:///{tmp_path / 'a.db'}"
    snap = tmp_path / "snap.zip"
    assert ldaward.run(url, "backup", str(snap), **key).returncode == 0
    other = f"sqlite:///{tmp_path / 'b.db'}"
    restored = ldaward.in_process(other, "restore", str(snap), **key)
    assert restored.returncode == 0, restored.stderr
    assert json.loads(ldaward.in_process(other, "results", "--json").stdout) == json.loads(
        ldaward.in_process(url, "results", "--json").stdout
    )
