"""The case list's queries are answered from indexes, never by scanning the cases table.

Timings live in bench/bench_api_list.py; this checks the plans (SQLite's EXPLAIN QUERY
PLAN) of every statement a list request sends, for each filter of GET /cases.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from workflow import CaseQuery
from workflow import Engine
from workflow import FixedClock
from workflow import Settings

from ..conftest import HEAD_KEY
from ..conftest import TEST_DEFINITIONS
from .conftest import ApiClient
from .conftest import make_app


@pytest.mark.parametrize("query", [
    CaseQuery(), CaseQuery(definition="review"), CaseQuery(definition="review", state="draft"),
    CaseQuery(state="draft"), CaseQuery(overdue=True), CaseQuery(overdue=False), CaseQuery(page=3, per_page=2),
])
def test_list_queries_use_indexes(sqlite_url: str, clock: FixedClock, tmp_path: Path, query: CaseQuery) -> None:
    engine = Engine(Settings(database_url=sqlite_url, head_key=HEAD_KEY, definitions_dir=TEST_DEFINITIONS),
                    clock=clock)
    try:
        engine.sync_definitions()
        _check_plans(engine, tmp_path, query)
    finally:
        engine.dispose()


def _check_plans(engine: Engine, tmp_path: Path, query: CaseQuery) -> None:
    api = ApiClient(make_app(engine, tmp_path), engine)
    for _ in range(5):
        api.new_case()
    statements: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM cases" in statement:
            statements.append((statement, parameters))

    event.listen(engine.db.engine, "before_cursor_execute", capture)
    try:
        engine.list_cases(query, api.actor("officer"), with_actions=True)
    finally:
        event.remove(engine.db.engine, "before_cursor_execute", capture)
    assert statements
    with engine.db.engine.connect() as conn:
        for statement, parameters in statements:
            plan = [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
            on_cases = [step for step in plan if " cases " in f" {step} "]
            assert on_cases and all("INDEX" in step or "PRIMARY KEY" in step for step in on_cases), (statement, plan)
