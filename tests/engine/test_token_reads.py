"""Checking an API token is a read: it never waits for SQLite's write lock.

Regression: every API request (GETs included) used to open a write transaction
(``BEGIN IMMEDIATE`` on SQLite) just to look its token up, so under write load
each read queued behind the writers and busy-waited for the lock. Only a token
not used for a minute is written (its last use), in its own short transaction.
"""

from __future__ import annotations

import sqlite3
import threading

from workflow import Actor
from workflow import Engine
from workflow import FixedClock
from workflow import Settings

from ..conftest import HEAD_KEY
from ..conftest import add_users


def test_a_recently_used_token_is_checked_while_a_writer_holds_the_lock(sqlite_url: str,
                                                                       clock: FixedClock) -> None:
    eng = Engine(Settings(database_url=sqlite_url, head_key=HEAD_KEY), clock=clock)
    try:
        _check_while_locked(eng, sqlite_url, clock)
    finally:
        eng.dispose()


def _check_while_locked(eng: Engine, sqlite_url: str, clock: FixedClock) -> None:
    eng.sync_definitions()
    add_users(eng, {"off": ["officer"]})
    token = eng.users.create_token("off")
    assert eng.users.actor_for_token(token) is not None  # first use: recorded
    used = next(t for t in eng.users.tokens("off")).last_used_at
    assert used == clock.now()
    writer = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process is writing
    answers: list[Actor | None] = []
    try:
        clock.advance(seconds=30)
        check = threading.Thread(target=lambda: answers.append(eng.users.actor_for_token(token)))
        check.start()
        check.join(timeout=5)
        assert not check.is_alive(), "the token check waited for the write lock"
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert answers and answers[0] is not None and answers[0].username == "off"
    clock.advance(seconds=61)
    assert eng.users.actor_for_token(token) is not None
    assert next(t for t in eng.users.tokens("off")).last_used_at == clock.now()
