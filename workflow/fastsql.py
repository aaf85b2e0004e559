"""The fire path's statements, run on the driver cursor of the engine's own connection.

SQLAlchemy still owns the connection and the transaction (BEGIN IMMEDIATE on
SQLite, COMMIT, rollback on error); only these few statements skip its
statement compilation and type processing, which were most of the cost of an
event (bench/engine_bench.py measures the engine against the raw disk limit).
Values are converted exactly as the SQLAlchemy types in models.py store them:
on SQLite naive-UTC ``YYYY-MM-DD HH:MM:SS.ffffff`` text, ``db.json_text`` text and
0/1 booleans; on PostgreSQL aware datetimes and psycopg JSON (``db.json_text`` too). tests/engine/
test_fastsql.py checks that rows written here read back identically through
SQLAlchemy, on both databases.
"""

from __future__ import annotations

import json
from datetime import UTC
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy.engine import Connection

from .db import json_text

CASE_COLUMNS = ("id", "definition_key", "definition_version", "definition_hash", "title", "subject_id", "state",
                "final", "version", "data", "created_by", "created_at", "updated_at", "state_entered_at",
                "due_at", "head_seq", "head_hash", "head_mac")
EVENT_COLUMNS = ("case_id", "seq", "type", "event", "from_state", "to_state", "actor", "actor_name", "role", "at",
                 "data", "comment", "prev_hash", "hash")
UPDATE_COLUMNS = ("state", "final", "data", "version", "updated_at", "state_entered_at", "due_at", "head_seq",
                  "head_hash", "head_mac")
LINK_COLUMNS = ("case_id", "target_id", "relation", "definition_key", "definition_version", "state", "final",
                "subject_id", "data")
_DATETIMES = ("created_at", "updated_at", "state_entered_at", "due_at")


class FastSQL:
    """The statements for one dialect: lock a case, its recusals, append an event, bump the case."""

    def __init__(self, dialect: str) -> None:
        self.pg = dialect == "postgresql"
        mark = "%s" if self.pg else "?"
        cols = ", ".join(f"c.{c}" for c in CASE_COLUMNS)
        lock = " FOR UPDATE OF c" if self.pg else ""
        agg = "string_agg(r.username, chr(31))" if self.pg else "group_concat(r.username, char(31))"
        # The recusals and whether any link exists come with the row: two round trips fewer.
        self.lock_sql = (f"SELECT {cols}, (SELECT {agg} FROM recusals r WHERE r.case_id = c.id), "
                         f"EXISTS (SELECT 1 FROM case_links l WHERE l.case_id = c.id) "
                         f"FROM cases c WHERE c.id = {mark}{lock}")
        self.recused_sql = f"SELECT username FROM recusals WHERE case_id = {mark}"
        self.insert_sql = (f"INSERT INTO case_events ({', '.join(EVENT_COLUMNS)}) "
                           f"VALUES ({', '.join([mark] * len(EVENT_COLUMNS))})")
        self._mark = mark
        self._update_sql: dict[tuple[str, ...], str] = {}
        self.links_sql = (
            "SELECT l.case_id, l.target_id, l.relation, c.definition_key, c.definition_version, c.state, "
            f"c.final, c.subject_id, c.data FROM case_links l JOIN cases c ON c.id = l.target_id "
            f"WHERE l.case_id = {mark} ORDER BY l.id")
        if self.pg:
            from psycopg.types.json import Json

            self._json_type: Any = Json

    # --- conversions (the same as the SQLAlchemy types) -------------------------------------------

    def _dt_in(self, value: datetime | None) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value if self.pg else value.replace(tzinfo=None).isoformat(" ", "microseconds")

    def _dt_out(self, value: Any) -> datetime | None:
        if value is None:
            return None
        moment: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

    def _json_in(self, value: Any) -> Any:
        return self._json_type(value, dumps=json_text) if self.pg else json_text(value)

    def _json_out(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    # --- statements ---------------------------------------------------------------------------------

    @staticmethod
    def _cursor(conn: Connection) -> Any:
        return conn.connection.cursor()

    def lock_case(self, conn: Connection, case_id: int) -> SimpleNamespace | None:
        cur = self._cursor(conn)
        try:
            cur.execute(self.lock_sql, (case_id,))
            found = cur.fetchone()
        finally:
            cur.close()
        if found is None:
            return None
        row = dict(zip(CASE_COLUMNS, found[:-2], strict=True))
        row["recused_names"] = frozenset(found[-2].split("\x1f")) if found[-2] else frozenset()
        row["has_links"] = bool(found[-1])
        for key in _DATETIMES:
            row[key] = self._dt_out(row[key])
        row["final"] = bool(row["final"])
        row["data"] = self._json_out(row["data"]) or {}
        return SimpleNamespace(**row)

    def recused(self, conn: Connection, case_id: int) -> frozenset[str]:
        cur = self._cursor(conn)
        try:
            cur.execute(self.recused_sql, (case_id,))
            return frozenset(r[0] for r in cur.fetchall())
        finally:
            cur.close()

    def insert_event(self, conn: Connection, values: dict[str, Any]) -> None:
        params = [values[c] for c in EVENT_COLUMNS]
        params[EVENT_COLUMNS.index("at")] = self._dt_in(values["at"])
        params[EVENT_COLUMNS.index("data")] = self._json_in(values["data"])
        cur = self._cursor(conn)
        try:
            cur.execute(self.insert_sql, params)
        finally:
            cur.close()

    def update_sql(self, columns: tuple[str, ...]) -> str:
        """``UPDATE cases SET`` the given columns (a subset of UPDATE_COLUMNS, in that order)."""
        sql = self._update_sql.get(columns)
        if sql is None:
            if not columns or not set(columns) <= set(UPDATE_COLUMNS):
                raise ValueError(f"bad case columns: {columns}")
            sets = ", ".join(f"{c} = {self._mark}" for c in columns)
            sql = f"UPDATE cases SET {sets} WHERE id = {self._mark} AND version = {self._mark}"
            self._update_sql[columns] = sql
        return sql

    def update_case(self, conn: Connection, case_id: int, expected: int, values: dict[str, Any]) -> int:
        """The version bump of the columns in ``values``; returns the rows changed (0: moved by somebody first)."""
        columns = tuple(c for c in UPDATE_COLUMNS if c in values)
        params: list[Any] = []
        for c in columns:
            value = values[c]
            if c in _DATETIMES:
                value = self._dt_in(value)
            elif c == "data":
                value = self._json_in(value)
            elif c == "final" and not self.pg:
                value = 1 if value else 0
            params.append(value)
        cur = self._cursor(conn)
        try:
            cur.execute(self.update_sql(columns), [*params, case_id, expected])
            return int(cur.rowcount)
        finally:
            cur.close()

    def links(self, conn: Connection, case_id: int) -> list[SimpleNamespace]:
        cur = self._cursor(conn)
        try:
            cur.execute(self.links_sql, (case_id,))
            rows = cur.fetchall()
        finally:
            cur.close()
        out = []
        for found in rows:
            row = dict(zip(LINK_COLUMNS, found, strict=True))
            row["final"] = bool(row["final"])
            row["data"] = self._json_out(row["data"]) or {}
            out.append(SimpleNamespace(**row))
        return out
