"""Alembic is the only schema path: the migrated schema equals the models; history is append-only."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from workflow import Engine
from workflow.persistence.db import make_engine
from workflow.persistence.migrate import current
from workflow.persistence.migrate import upgrade
from workflow.persistence.models import metadata

from ..conftest import add_users


def test_migrated_schema_matches_the_models(db_url: str) -> None:
    eng = make_engine(db_url)
    with eng.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    eng.dispose()
    assert diff == []


def test_upgrade_is_idempotent(db_url: str) -> None:
    upgrade(db_url)
    upgrade(db_url)
    assert current(db_url) is not None


@pytest.mark.parametrize("statement", [
    "UPDATE case_events SET comment = 'changed'",
    "DELETE FROM case_events",
    "UPDATE case_ledger SET definition_key = 'x'",
    "DELETE FROM case_ledger",
])
def test_database_refuses_changes_to_history(test_engine: Engine, statement: str) -> None:
    a = add_users(test_engine, {"off": ["officer"]})
    test_engine.start_case("review", a["off"], title="只增不改", data={"summary": "s"})
    with pytest.raises(DBAPIError, match="append-only"):
        with test_engine.db.engine.begin() as conn:
            conn.execute(text(statement))
    assert test_engine.verify().ok


def test_bulk_removal_of_history_is_refused(test_engine: Engine) -> None:
    """TRUNCATE on PostgreSQL (a statement trigger); SQLite has no TRUNCATE, its bulk DELETE is refused."""
    a = add_users(test_engine, {"off": ["officer"]})
    test_engine.start_case("review", a["off"], title="清空历史", data={"summary": "s"})
    pg = test_engine.db.dialect == "postgresql"
    statement = "TRUNCATE case_events CASCADE" if pg else "DELETE FROM case_events WHERE 1 = 1"
    with pytest.raises(DBAPIError, match="append-only"):
        with test_engine.db.engine.begin() as conn:
            conn.execute(text(statement))
    assert test_engine.verify().events == 1
