"""``case_stays``: the trigger's rows are the history's own stays, and the migration's fill of the
history written before it equals what the trigger writes."""

from __future__ import annotations

import importlib.util
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from workflow.clock import SHANGHAI
from workflow.persistence.stay_models import JDN_OF_ORDINAL

from .conftest import StatsData

MIGRATION = Path(__file__).parents[2] / "migrations" / "versions" / "0012_case_stays.py"
COLUMNS = "case_id, seq, org_id, definition_key, opened_at, state, began_on, ended_on"


def _migration() -> Any:
    spec = importlib.util.spec_from_file_location("migration_0012", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _stays(conn: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute(text(f"SELECT {COLUMNS} FROM case_stays ORDER BY case_id, seq"))]


def test_stays_are_the_moves_of_the_history(stats_data: StatsData) -> None:
    with stats_data.engine.db.engine.connect() as conn:
        events = conn.execute(text("SELECT case_id, seq, from_state, to_state, at FROM case_events "
                                   "ORDER BY case_id, seq")).all()
        got = {(r[0], r[1]): (r[5], r[6], r[7]) for r in _stays(conn)}
    want: dict[tuple[int, int], tuple[str, int, int]] = {}
    entered: dict[int, tuple[str, Any]] = {}
    for case_id, seq, source, dest, at in events:
        if dest is None or source == dest:
            continue
        if case_id in entered:
            state, began = entered[case_id]
            want[(case_id, seq)] = (state, _jdn(began), _jdn(at))
        entered[case_id] = (dest, at)
    assert want and got == want


def test_the_migrations_fill_equals_the_triggers_rows(stats_data: StatsData) -> None:
    eng = stats_data.engine.db.engine
    fill = _migration().backfill(eng.dialect.name == "postgresql")
    with eng.connect() as conn:
        written = _stays(conn)
        conn.rollback()
        conn.execute(text("DELETE FROM case_stays"))  # undone below: the data stay as they were
        conn.execute(text(fill))
        filled = _stays(conn)
        conn.rollback()
    assert written and filled == written


def _jdn(at: Any) -> int:
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at
    return at.astimezone(SHANGHAI).date().toordinal() + JDN_OF_ORDINAL
