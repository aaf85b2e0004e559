"""Shared fixtures: a migrated database per test on every tier, engines, actors.

Tiers: SQLite always; PostgreSQL when CADREFLOW_TEST_POSTGRES_URL is set
(`.ci/run` sets it). Under CI the PostgreSQL tier is mandatory: a missing URL
or an unreachable server fails the run, it never skips silently.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy import text
from sqlalchemy.engine import make_url

from workflow import Actor
from workflow import Engine
from workflow import FixedClock
from workflow import Settings
from workflow.persistence.migrate import upgrade
from workflow.settings import DEFAULT_DEFINITIONS

ROOT = Path(__file__).resolve().parent.parent
TEST_DEFINITIONS = ROOT / "tests" / "definitions" / "valid"
ARTIFACTS = ROOT / "tests" / "artifacts"
HEAD_KEY = b"test-head-key-0123456789abcdef!!"
# 2026-11-25 10:00 in Beijing: a Wednesday.
DEFAULT_NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
PG_ENV = "CADREFLOW_TEST_POSTGRES_URL"
pytest_plugins = ["pytester"]


def pg_base_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if url:
        return url
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI run without {PG_ENV}: the PostgreSQL tier is mandatory in CI")
    return None


def tiers() -> list[str]:
    return ["sqlite", "postgresql"] if pg_base_url() else ["sqlite"]


def _memory_folder(fallback: Path) -> Path:
    """A folder in RAM (/dev/shm) where the machine has one, else ``fallback``: a commit's fsync
    costs nothing there. That commits survive crashes is what tests/faults prove, on disk."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return Path(tempfile.mkdtemp(prefix="cadreflow-tests-", dir=shm))
    return fallback


class Databases:
    """Creates a migrated template per tier once; hands out a clean copy per test.

    The SQLite copies live in RAM and are removed after their test; the PostgreSQL database commits
    without waiting for the disk (``synchronous_commit = off``), likewise.
    """

    def __init__(self, tmp: Path) -> None:
        self.tmp = _memory_folder(tmp)
        self._sqlite_template: Path | None = None
        self._pg_url: str | None = None

    def sqlite(self) -> str:
        if self._sqlite_template is None:
            self._sqlite_template = self.tmp / "template.db"
            upgrade(f"sqlite:///{self._sqlite_template}")
        target = self.tmp / f"db-{uuid.uuid4().hex[:12]}.db"
        shutil.copy(self._sqlite_template, target)
        return f"sqlite:///{target}"

    def release(self, url: str) -> None:
        """Remove a SQLite copy (and its WAL files) once its test is over."""
        if url.startswith("sqlite:///"):
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)

    def postgresql(self) -> str:
        base = pg_base_url()
        assert base is not None
        if self._pg_url is None:
            name = f"cadreflow_test_{os.getpid()}"
            admin = create_engine(base, isolation_level="AUTOCOMMIT")
            try:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
                    conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
            except Exception as exc:  # a tier that cannot run must fail loudly
                raise RuntimeError(f"PostgreSQL tier unavailable at {base}: {exc}") from exc
            finally:
                admin.dispose()
            self._pg_url = make_url(base).set(database=name).render_as_string(hide_password=False)
            upgrade(self._pg_url)
        self.reset_pg(self._pg_url)
        return self._pg_url

    @staticmethod
    def reset_pg(url: str) -> None:
        eng = create_engine(url)
        with eng.begin() as conn:
            conn.execute(text("SET session_replication_role = replica"))
            names = [r[0] for r in conn.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"))]
            if names:
                conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE"))
        eng.dispose()

    def drop(self) -> None:
        if self.tmp.is_relative_to("/dev/shm"):
            shutil.rmtree(self.tmp, ignore_errors=True)
        if self._pg_url is None:
            return
        base = pg_base_url()
        assert base is not None
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(self._pg_url).database}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    dbs = Databases(tmp_path_factory.mktemp("databases"))
    yield dbs
    dbs.drop()


@pytest.fixture(params=tiers())
def db_url(request: pytest.FixtureRequest, databases: Databases) -> Iterator[str]:
    """A freshly migrated, empty database on each tier (the tier is the test id)."""
    url = databases.sqlite() if request.param == "sqlite" else databases.postgresql()
    yield url
    databases.release(url)


@pytest.fixture
def sqlite_url(databases: Databases) -> Iterator[str]:
    url = databases.sqlite()
    yield url
    databases.release(url)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(DEFAULT_NOW)


EngineFactory = Callable[..., Engine]


@pytest.fixture
def make_engine(db_url: str, clock: FixedClock) -> Iterator[EngineFactory]:
    made: list[Engine] = []

    def factory(definitions_dir: Path = DEFAULT_DEFINITIONS, url: str | None = None,
                signing_pkcs12: Path | None = None, **kwargs: Any) -> Engine:
        eng = Engine(Settings(database_url=url or db_url, head_key=HEAD_KEY, definitions_dir=definitions_dir,
                              signing_pkcs12=signing_pkcs12), clock=clock, **kwargs)
        eng.sync_definitions()
        made.append(eng)
        return eng

    yield factory
    for eng in made:
        eng.dispose()


@pytest.fixture(scope="session")
def signing_key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A self-signed PKCS#12 key for the PDFs' PAdES signature (one per test session)."""
    from documents.signing import create_self_signed
    return create_self_signed(tmp_path_factory.mktemp("signing") / "signing.p12", "测试市委组织部")


@pytest.fixture
def engine(make_engine: EngineFactory) -> Engine:
    """An engine over the shipped definitions/ on a fresh database."""
    return make_engine()


@pytest.fixture
def test_engine(make_engine: EngineFactory) -> Engine:
    """An engine over the small test definitions in tests/definitions/valid."""
    return make_engine(TEST_DEFINITIONS)


def add_users(engine: Engine, spec: dict[str, list[str]]) -> dict[str, Actor]:
    """Create users (password hash is a placeholder) and return their actors."""
    out = {}
    for username, roles in spec.items():
        if engine.users.find(username) is None:
            engine.users.add(username, roles, "x", name=username)
        out[username] = engine.users.get(username).actor()
    return out


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# --- no unhandled exception goes unnoticed -------------------------------------------------------------

UNHANDLED_LOGGERS = ("web.errors", "web.api.errors")
UNHANDLED_MESSAGES = ("unhandled error", "internal error", "unmapped engine error")


class _Unhandled(logging.Handler):
    """Collects the "unhandled error" records that web/errors.py (and the API's) log for a 500."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).startswith(UNHANDLED_MESSAGES):
            self.records.append(record)


@pytest.fixture(autouse=True)
def fail_on_unhandled_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail any test during which a page or the API logged an unhandled exception (a 500).

    A test that provokes a 500 on purpose says so with ``@pytest.mark.unhandled_error_expected``.
    """
    handler = _Unhandled()
    loggers = [logging.getLogger(name) for name in UNHANDLED_LOGGERS]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    if handler.records and request.node.get_closest_marker("unhandled_error_expected") is None:
        first = handler.records[0]
        pytest.fail(f"{len(handler.records)} unhandled error(s) logged: {first.getMessage()}"
                    + (f" ({first.exc_info[1]!r})" if first.exc_info else ""), pytrace=False)
