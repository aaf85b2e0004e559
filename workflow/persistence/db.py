"""The database of an instance: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL.

``Database`` is the unit of work every command and query receives: ``write()``
is one write transaction (on SQLite it begins with ``BEGIN IMMEDIATE`` behind a
writer lock, so two writers never deadlock on a lock upgrade), ``read()`` one
consistent read (a snapshot on both databases).
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine
from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.engine import make_url

WRITE = "cadreflow_write"


def json_text(value: Any) -> str:
    """JSON columns' text: UTF-8 as is, not ``\\uXXXX`` escapes.

    Chinese text stored escaped takes twice the bytes (6 per character instead of
    3): a case's data grows with its records, and every event rewrites it. A
    string the databases could not encode (a lone surrogate) keeps the escapes.
    """
    text = json.dumps(value, ensure_ascii=False)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(value)
    return text


def make_engine(url: str, synchronous: str = "FULL", **kwargs: Any) -> Engine:
    """Create the SQLAlchemy engine for ``url`` with the production settings."""
    kwargs.setdefault("json_serializer", json_text)
    if url.startswith("sqlite"):
        private_sqlite_file(url)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)
        _configure_sqlite(engine, synchronous)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def private_sqlite_file(url: str) -> None:
    """Create a missing SQLite database file readable by its owner only (0600).

    SQLite gives the WAL, SHM and journal files the permissions of the database file, so
    they are private too. An existing file is left as it is (the server warns at start
    when the instance folder's files are readable by others).
    """
    path = make_url(url).database or ""
    if not path or path == ":memory:" or path.startswith("file:") or os.path.exists(path):
        return
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(folder):
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            pass


def _configure_sqlite(engine: Engine, synchronous: str) -> None:
    if synchronous.upper() not in ("FULL", "NORMAL", "EXTRA", "OFF"):
        raise ValueError(f"bad synchronous setting: {synchronous}")

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA synchronous={synchronous.upper()}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        # Straight to the driver: this runs for every transaction.
        statement = "BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN"
        conn.connection.dbapi_connection.execute(statement)  # type: ignore[union-attr]


class Writer:
    """Write transactions: ``with writer.begin() as conn``.

    On a SQLite file, writers of every process and thread first queue on an exclusive
    ``flock`` of ``<database>-writer.lock``. The kernel hands the lock to the next
    waiter the moment it is released, where SQLite's own busy handler would sleep
    and poll (1, 2, 5, 10 ... ms) for its write lock: under several gunicorn workers
    that sleeping, not the disk, set the pace. The lock dies with its process.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine.execution_options(**{WRITE: True})
        self._path: str | None = None
        database = engine.url.database
        if engine.dialect.name == "sqlite" and database and database != ":memory:":
            self._path = f"{database}-writer.lock"
        self._threads = threading.Lock()
        self._fd: int | None = None
        self._pid = 0

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        if self._path is None:
            with self.engine.begin() as conn:
                yield conn
            return
        with self._threads:
            fd = self._file()
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                with self.engine.begin() as conn:
                    yield conn
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    def _file(self) -> int:
        if self._fd is None or self._pid != os.getpid():  # a forked worker opens its own
            assert self._path is not None
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd


class Database:
    """One instance's database: consistent reads and serialised write transactions."""

    def __init__(self, url: str, synchronous: str = "FULL", **kwargs: Any) -> None:
        self.engine = make_engine(url, synchronous, **kwargs)
        self.writer = Writer(self.engine)
        self.dialect = self.engine.dialect.name
        self._snapshot = self.engine.execution_options(isolation_level="REPEATABLE READ") \
            if self.dialect == "postgresql" else self.engine

    def write(self) -> AbstractContextManager[Connection]:
        """One write transaction: commits on leaving, rolls back on an exception."""
        return self.writer.begin()

    def read(self) -> AbstractContextManager[Connection]:
        """One read transaction: every statement sees the same snapshot.

        SQLite in WAL mode keeps the snapshot of a read transaction's first read;
        PostgreSQL needs REPEATABLE READ for that (READ COMMITTED is per statement).
        """
        return self._snapshot.connect()

    def dispose(self) -> None:
        self.engine.dispose()
