"""The one write path (workflow/persistence/rows.py) stores exactly what the SQLAlchemy types would."""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy import text

from workflow import Engine
from workflow import FixedClock
from workflow import Settings
from workflow.persistence.db import json_text
from workflow.persistence.models import Case
from workflow.persistence.models import CaseEvent
from workflow.persistence.models import table
from workflow.persistence.rows import case_rows

from ..conftest import HEAD_KEY
from ..conftest import TEST_DEFINITIONS
from .helpers import SUBMIT
from .helpers import actors
from .helpers import new_case

SQLITE_DATETIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$")


def test_every_column_reads_back_the_same_through_sqlalchemy_and_the_driver(test_engine: Engine) -> None:
    """Each column of the models, written by rows, read by SQLAlchemy's types and by rows' own conversions."""
    a = actors(test_engine)
    case = new_case(test_engine, a)
    test_engine.fire(case.id, "submit", a["off"], SUBMIT, case.version, comment="意见")
    with test_engine.db.write() as conn:
        locked = vars(case_rows(conn).lock_case(conn, case.id))
        core = conn.execute(select(table(Case)).where(table(Case).c.id == case.id)).one()._mapping
    assert {c.name for c in table(Case).columns} <= set(locked)
    for column in table(Case).columns:
        assert locked[column.name] == core[column.name], column.name
        assert type(locked[column.name]) is type(core[column.name]), column.name


def test_rows_written_by_the_one_path_read_back_through_sqlalchemy(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    result = test_engine.fire(case.id, "submit", a["off"], SUBMIT, case.version, comment="意见：同意")
    with test_engine.db.engine.connect() as conn:
        row = conn.execute(select(table(Case)).where(table(Case).c.id == case.id)).one()
        event = conn.execute(select(table(CaseEvent)).where(table(CaseEvent).c.case_id == case.id,
                                                             table(CaseEvent).c.seq == 2)).one()
    snap = result.case
    assert (row.state, row.version, row.final, row.data) == (snap.state, snap.version, False, snap.data)
    assert row.updated_at == snap.updated_at and row.updated_at.tzinfo is not None
    assert row.due_at == snap.due_at and row.state_entered_at == snap.state_entered_at
    assert event.data == SUBMIT and event.comment == "意见：同意" and event.at == row.updated_at
    assert test_engine.verify().ok


def test_sqlite_stores_the_same_text_as_sqlalchemy(sqlite_url: str, clock: FixedClock) -> None:
    test_engine = Engine(Settings(database_url=sqlite_url, head_key=HEAD_KEY, definitions_dir=TEST_DEFINITIONS),
                         clock=clock)
    a = actors(test_engine)
    case = new_case(test_engine, a)
    test_engine.fire(case.id, "submit", a["off"], SUBMIT, case.version)
    with test_engine.db.engine.connect() as conn:
        created, updated, data, final = conn.execute(text(
            "SELECT created_at, updated_at, data, final FROM cases WHERE id = :id"), {"id": case.id}).one()
        first_at, second_at = [r[0] for r in conn.execute(text(
            "SELECT at FROM case_events WHERE case_id = :id ORDER BY seq"), {"id": case.id})]
    assert SQLITE_DATETIME.match(created) and SQLITE_DATETIME.match(updated)
    assert SQLITE_DATETIME.match(first_at) and SQLITE_DATETIME.match(second_at)
    assert data.startswith('{"summary": "摘要"')  # db.json_text, as the engine's JSON type writes it
    assert final == 0
    with test_engine.db.engine.connect() as conn:
        texts = [r[0] for r in conn.execute(text("SELECT data FROM case_events WHERE case_id = :id ORDER BY seq"),
                                            {"id": case.id})]
    assert "\\u" not in data and all("\\u" not in t for t in texts), texts
    test_engine.dispose()


def test_json_text_is_utf8_and_escapes_only_what_no_database_could_store() -> None:
    assert json_text({"summary": "摘要", "n": 1}) == '{"summary": "摘要", "n": 1}'
    assert json_text({"bad": "a\ud800b"}) == '{"bad": "a\\ud800b"}'  # a lone surrogate: escaped, not an error
    assert json.loads(json_text({"bad": "a\ud800b"})) == {"bad": "a\ud800b"}


def test_an_event_that_stays_in_its_state_leaves_the_state_columns_and_their_indexes_alone(
        sqlite_url: str, clock: FixedClock) -> None:
    """SQLite rewrites an index entry for every column named in SET: name only what changes."""
    from sqlalchemy import event

    from .helpers import to_state

    test_engine = Engine(Settings(database_url=sqlite_url, head_key=HEAD_KEY, definitions_dir=TEST_DEFINITIONS),
                         clock=clock)
    updates: list[str] = []

    @event.listens_for(test_engine.db.engine, "connect")
    def trace(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.set_trace_callback(lambda sql: updates.append(sql) if sql.startswith("UPDATE cases") else None)

    a = actors(test_engine)
    case = to_state(test_engine, a, "scoring")
    entered = case.state_entered_at
    clock.advance(hours=1)
    updates.clear()
    case = test_engine.fire(case.id, "score", a["p1"], {"score": 90}, case.version).case  # scoring -> scoring
    sets = [u.split(" WHERE ")[0] for u in updates]  # the SET clause (the seal's JSON names columns too)
    assert len(updates) == 1 and " state = " not in sets[0] and "due_at = " not in sets[0], updates
    assert "updated_at = " in sets[0] and "version = " in sets[0]
    assert case.state == "scoring" and case.state_entered_at == entered
    case = test_engine.fire(case.id, "score", a["p2"], {"score": 70}, case.version).case
    updates.clear()
    case = test_engine.fire(case.id, "close_scoring", a["off"], {}, case.version).case  # scoring -> signing
    assert len(updates) == 1 and " state = " in updates[0] and "state_entered_at = " in updates[0], updates
    assert case.state == "signing" and case.state_entered_at == clock.now()
    with test_engine.db.engine.connect() as conn:
        row = conn.execute(select(table(Case)).where(table(Case).c.id == case.id)).one()
    assert (row.state, row.state_entered_at, row.version) == ("signing", clock.now(), case.version)
    assert test_engine.verify().ok
    test_engine.dispose()
