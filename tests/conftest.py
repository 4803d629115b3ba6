"""Test fixtures: a fresh database per test on SQLite and on PostgreSQL, cloned from migrated templates."""

from __future__ import annotations

import fcntl
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from services.contest import demo
from services.platform.db import build_engine, upgrade_schema
from services.platform.settings import get_settings
from tests.helpers import write_lock_guard

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


# One name for this run's templates, shared by the xdist workers (set by the controller before it starts them).
RUN_TAG_ENV = "LDAWARD_TEST_RUN"


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the controller, or a run without xdist
        os.environ[RUN_TAG_ENV] = uuid.uuid4().hex[:8]


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The controller drops the run's PostgreSQL templates once every worker is done with them."""
    if hasattr(session.config, "workerinput") or RUN_TAG_ENV not in os.environ or _pg_available():
        return
    prefix = f"ldaward_tpl_{os.environ[RUN_TAG_ENV]}_"
    with _pg_admin().connect() as conn:
        names = conn.execute(sa.text("SELECT datname FROM pg_database WHERE starts_with(datname, :p)"), {"p": prefix})
        for (name,) in names.all():
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def run_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder for the whole run, shared by the xdist workers (their base temp folders are siblings)."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name
    folder.mkdir(exist_ok=True)
    return folder


@contextmanager
def _only_one(lock: Path) -> Iterator[None]:
    """Across the xdist workers: one at a time in here (the others wait), so a template is made once per run."""
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def made_once(path: Path, make: Callable[[Path], None]) -> Path:
    """path, made as make(partial) by the first worker that needs it in this run; the others wait for it."""
    if not path.exists():
        with _only_one(path.with_name(f"{path.name}.lock")):
            if not path.exists():
                partial = path.with_name(f"{path.name}.{uuid.uuid4().hex}")
                make(partial)
                os.replace(partial, path)  # whole or absent
    return path


class Templates:
    """Migrated databases made once per run (the first worker to need one makes it, the others wait for it and use
    it), cloned for each test. Loading the demo costs 6-12 s; made once per worker, it cost CI a minute of CPU."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tag = os.environ.get(RUN_TAG_ENV) or uuid.uuid4().hex[:8]
        self.pg_reason: str | bool | None = False  # False: not checked yet

    def _fill(self, url: str, with_demo: bool) -> None:
        engine = build_engine(url)
        upgrade_schema(engine)
        if with_demo:
            with Session(engine, expire_on_commit=False) as session:
                demo.load_demo(session=session)
        engine.dispose()

    def sqlite(self, with_demo: bool) -> str:
        made = made_once(self.root / f"template-{int(with_demo)}.db", lambda p: self._fill(f"sqlite:///{p}", with_demo))
        return str(made)

    def postgres(self, with_demo: bool) -> str:
        if self.pg_reason is False:
            self.pg_reason = _pg_available()
        if self.pg_reason:
            skip_or_fail(str(self.pg_reason))
        name = f"ldaward_tpl_{self.tag}_{int(with_demo)}"
        with _only_one(self.root / "postgresql.lock"), _pg_admin().connect() as conn:
            exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if not exists:
                partial = f"ldaward_tpl_{self.tag}_partial"
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{partial}" WITH (FORCE)'))
                conn.execute(sa.text(f'CREATE DATABASE "{partial}"'))
                self._fill(str(make_url(PG_ADMIN_URL).set(database=partial)), with_demo)
                conn.execute(sa.text(f'ALTER DATABASE "{partial}" RENAME TO "{name}"'))  # whole or absent
        return name


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    return Templates(run_folder(tmp_path_factory, "templates"))


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


# A page test (AppTest) whose page reaches no code that differs by database runs on SQLite only: the service tests
# run every query on both databases, and the page's PostgreSQL run was the same Python over the same services (~40 s
# of CI's 15 minutes). The page tests of the score sheet, the live session, the ranking and its caches, the
# completeness query and the awards' quorum run on both.
PAGE_ON_SQLITE = pytest.mark.parametrize("demo_db_url", ["sqlite"], indirect=True)


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


# --- AppTest: the installed packages scanned once per process -----------------------------------------------------


_SCANNED: list[tuple[Any, ...]] = []  # the one scan of this process


write_lock_guard.install()


@pytest.fixture(autouse=True)
def no_second_connection_under_the_write_lock() -> Iterator[None]:
    """Fails a test whose code, in a transaction that may write (on SQLite: holding the write lock), asked a pool for
    another connection (see tests/helpers/write_lock_guard.py)."""
    write_lock_guard.take_broken()
    yield
    broken = write_lock_guard.take_broken()
    assert not broken, "a connection checked out inside a writing transaction:\n" + broken[0]


@pytest.fixture(autouse=True)
def components_scanned_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every AppTest scans the metadata of every installed package for Streamlit components (a server does it once,
    at its start): 0.3-0.6 s per test, 39 % of the page tests' CPU. The packages do not change during a run, so the
    scan is done once per process and its result handed to each AppTest, which registers it as before."""
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests

    def once(*args: Any, **kwargs: Any) -> list[Any]:
        if not _SCANNED:
            _SCANNED.append(tuple(scan(*args, **kwargs)))
        return list(_SCANNED[0])

    monkeypatch.setattr(manifest_scanner, "scan_component_manifests", once)


# --- LibreOffice conversions, once per content -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def office_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where converted PDFs are kept by the SHA-256 of the .pptx they came from, for the whole run."""
    return run_folder(tmp_path_factory, "office-cache")


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
