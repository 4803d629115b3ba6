"""Test fixtures: a fresh database per test on SQLite and on PostgreSQL, cloned from migrated templates."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from services.contest import demo
from services.platform.db import build_engine, upgrade_schema
from services.platform.settings import get_settings

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def skip_or_fail(reason: str) -> None:
    """Outside CI a missing service skips with the reason printed; in CI it fails, because it must run."""
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    print(f"skipping: {reason}")
    pytest.skip(reason)


def _pg_admin() -> Engine:
    return sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def _pg_available() -> str | None:
    try:
        with _pg_admin().connect() as conn:
            conn.execute(sa.text("select 1"))
        return None
    except Exception as e:  # any failure to connect means "not here"
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {type(e).__name__}"


class Templates:
    """Migrated databases made once per test process, cloned for each test."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tag = uuid.uuid4().hex[:8]
        self.made: dict[tuple[str, bool], str] = {}
        self.pg_reason: str | bool | None = False  # False: not checked yet

    def _fill(self, url: str, with_demo: bool) -> None:
        engine = build_engine(url)
        upgrade_schema(engine)
        if with_demo:
            with Session(engine, expire_on_commit=False) as session:
                demo.load_demo(session=session)
        engine.dispose()

    def sqlite(self, with_demo: bool) -> str:
        key = ("sqlite", with_demo)
        if key not in self.made:
            path = self.root / f"template-{int(with_demo)}.db"
            self._fill(f"sqlite:///{path}", with_demo)
            self.made[key] = str(path)
        return self.made[key]

    def postgres(self, with_demo: bool) -> str:
        if self.pg_reason is False:
            self.pg_reason = _pg_available()
        if self.pg_reason:
            skip_or_fail(str(self.pg_reason))
        key = ("postgresql", with_demo)
        if key not in self.made:
            name = f"ldaward_tpl_{self.tag}_{int(with_demo)}"
            with _pg_admin().connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            self._fill(str(make_url(PG_ADMIN_URL).set(database=name)), with_demo)
            self.made[key] = name
        return self.made[key]

    def drop_all(self) -> None:
        for (kind, _), name in self.made.items():
            if kind == "postgresql":
                with _pg_admin().connect() as conn:
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    t = Templates(tmp_path_factory.mktemp("templates"))
    yield t
    t.drop_all()


def _fresh_url(kind: str, templates: Templates, tmp_path: Path, with_demo: bool) -> Iterator[str]:
    from services.pitching import live_feed

    if kind == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(templates.sqlite(with_demo), path)
        try:
            yield f"sqlite:///{path}"
        finally:
            live_feed.stop_all()  # a feed's thread would go on reading a database that is gone
        return
    template = templates.postgres(with_demo)
    name = f"ldaward_t_{uuid.uuid4().hex[:12]}"
    with _pg_admin().connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield str(make_url(PG_ADMIN_URL).set(database=name))
    finally:
        from services.platform.db import dispose_engines

        live_feed.stop_all()
        dispose_engines()
        with _pg_admin().connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def demo_database(kind: str, templates: Templates, tmp_path: Path) -> Iterator[str]:
    """A fresh copy of the migrated 2564 demo database of `kind` ("sqlite" or "postgresql"), for a test that chooses
    the kind itself (a server started over it, a load run): cloned from the process's template, not loaded again."""
    yield from _fresh_url(kind, templates, tmp_path, with_demo=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, templates: Templates, tmp_path: Path) -> Iterator[str]:
    """An empty, migrated database of each kind."""
    yield from _fresh_url(request.param, templates, tmp_path, with_demo=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_db_url(request: pytest.FixtureRequest, templates: Templates, tmp_path: Path) -> Iterator[str]:
    """A migrated database of each kind holding the 2564 demo edition."""
    yield from _fresh_url(request.param, templates, tmp_path, with_demo=True)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    e = build_engine(db_url)
    yield e
    e.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def demo_engine(demo_db_url: str) -> Iterator[Engine]:
    e = build_engine(demo_db_url)
    yield e
    e.dispose()


@pytest.fixture
def demo_session(demo_engine: Engine) -> Iterator[Session]:
    with Session(demo_engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def app_env(demo_db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """Point the app's settings at a fresh demo database (for AppTest page tests)."""
    monkeypatch.setenv("DATABASE_URL", demo_db_url)
    monkeypatch.setenv("LDAWARD_SLIDES_DIR", str(tmp_path / "slides"))
    monkeypatch.delenv("LDAWARD_CLOCK", raising=False)
    get_settings.cache_clear()
    yield demo_db_url
    get_settings.cache_clear()


# --- LibreOffice conversions, once per content -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def office_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where converted PDFs are kept by the SHA-256 of the .pptx they came from: one folder for the whole run, shared
    by the xdist workers (their base temp folders are siblings)."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = root / "office-cache"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(autouse=True)
def office_once_per_content(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice turns the same .pptx bytes into the same PDF; each conversion costs 2-8 s of CPU. The judge page
    tests draw the same demo deck's slide pictures a dozen times, so a conversion is done once per content and its
    PDF handed back after that, byte for byte. A failed conversion is not kept (it runs again). Tests marked
    `real_office` (the sandbox's own tests: what LibreOffice does while it converts) always run it."""
    if request.node.get_closest_marker("real_office"):
        return
    import hashlib

    from services.platform import office

    cache: Path = request.getfixturevalue("office_cache")
    convert = office.convert_to_pdf

    def once(source: Path, timeout: float) -> Path:
        kept = cache / f"{hashlib.sha256(source.read_bytes()).hexdigest()}.pdf"
        target = source.with_suffix(".pdf")
        if kept.exists():
            shutil.copyfile(kept, target)
            return target
        pdf = convert(source, timeout)
        partial = kept.with_name(f"{kept.name}.{uuid.uuid4().hex}")
        shutil.copyfile(pdf, partial)
        os.replace(partial, kept)  # whole or absent, for a worker that looks at the same moment
        return pdf

    monkeypatch.setattr(office, "convert_to_pdf", once)
