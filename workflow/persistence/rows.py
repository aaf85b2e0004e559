"""The one write path of ``cases`` and ``case_events``, run on the driver cursor.

Nothing else inserts or updates those two tables. The statements and their
value conversions are derived from the models (models.py): every column of the
table, each converted as its SQLAlchemy type stores it (UTC datetimes as naive
``YYYY-MM-DD HH:MM:SS.ffffff`` text on SQLite and aware values on PostgreSQL,
JSON as ``db.json_text``, booleans as 0/1 on SQLite). SQLAlchemy still owns the
connection and the transaction; only these statements skip its compilation and
type processing, which were most of the cost of an event. tests/engine/
test_rows.py checks that rows written here read back identically through
SQLAlchemy, on both databases.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from collections.abc import Mapping
from datetime import UTC
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import Boolean
from sqlalchemy import Table
from sqlalchemy.engine import Connection

from .db import json_text
from .models import Case
from .models import CaseEvent
from .models import UTCDateTime
from .models import table

CASES = table(Case)
EVENTS = table(CaseEvent)
CASE_COLUMNS = tuple(c.name for c in CASES.columns)
EVENT_COLUMNS = tuple(c.name for c in EVENTS.columns if c.name != "id")
OPTIONAL_EVENT = frozenset({"on_behalf_of", "on_behalf_of_name"})  # 委托 only
# Columns an event may change on the case row (everything but identity and creation).
MUTABLE = tuple(c for c in CASE_COLUMNS if c not in ("id", "definition_key", "definition_version",
                                                      "definition_hash", "subject_id", "created_by",
                                                      "created_at"))
LINK_COLUMNS = ("case_id", "target_id", "relation", "definition_key", "definition_version", "state", "final",
                "subject_id", "data")
Convert = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


class _Types:
    """Per-dialect conversions of each column, chosen by the column's type in the model."""

    def __init__(self, pg: bool) -> None:
        self.pg = pg
        if pg:
            from psycopg.types.json import Json

            self._json: Any = Json

    def to_db(self, table_: Table) -> dict[str, Convert]:
        out: dict[str, Convert] = {}
        for column in table_.columns:
            if isinstance(column.type, UTCDateTime):
                out[column.name] = self._dt_in
            elif isinstance(column.type, JSON):
                out[column.name] = self._json_in
            elif isinstance(column.type, Boolean) and not self.pg:
                out[column.name] = _bool_in
            else:
                out[column.name] = _identity
        return out

    def from_db(self, table_: Table) -> dict[str, Convert]:
        out: dict[str, Convert] = {}
        for column in table_.columns:
            if isinstance(column.type, UTCDateTime):
                out[column.name] = _dt_out
            elif isinstance(column.type, JSON):
                out[column.name] = _json_out
            elif isinstance(column.type, Boolean):
                out[column.name] = bool
            else:
                out[column.name] = _identity
        return out

    def _dt_in(self, value: datetime | None) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value if self.pg else value.replace(tzinfo=None).isoformat(" ", "microseconds")

    def _json_in(self, value: Any) -> Any:
        return self._json(value, dumps=json_text) if self.pg else json_text(value)


def _bool_in(value: Any) -> int:
    return 1 if value else 0


def _dt_out(value: Any) -> datetime | None:
    if value is None:
        return None
    moment: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _json_out(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


class CaseRows:
    """The statements of one dialect: lock a case, insert a case or an event, update a case."""

    def __init__(self, dialect: str) -> None:
        self.pg = dialect == "postgresql"
        types = _Types(self.pg)
        self._case_in = types.to_db(CASES)
        self._case_out = types.from_db(CASES)
        self._event_in = types.to_db(EVENTS)
        mark = self._mark = "%s" if self.pg else "?"
        cols = ", ".join(f"c.{c}" for c in CASE_COLUMNS)
        lock = " FOR UPDATE OF c" if self.pg else ""
        agg = "string_agg(r.username, chr(31))" if self.pg else "group_concat(r.username, char(31))"
        # The recusals, the readers, the organization's path and whether any link exists come with
        # the row: four round trips fewer.
        readers = agg.replace("r.username", "d.username")
        link = ("l.target_id::text || ':' || l.relation" if self.pg
                else "CAST(l.target_id AS TEXT) || ':' || l.relation")
        links = agg.replace("r.username", link)
        self.lock_sql = (f"SELECT {cols}, (SELECT {agg} FROM recusals r WHERE r.case_id = c.id), "
                         f"(SELECT {readers} FROM case_readers d WHERE d.case_id = c.id), "
                         f"(SELECT o.path FROM organizations o WHERE o.id = c.org_id), "
                         f"(SELECT {links} FROM case_links l WHERE l.case_id = c.id) "
                         f"FROM cases c WHERE c.id = {mark}{lock}")
        new_case = [c for c in CASE_COLUMNS if c != "id"]
        returning = " RETURNING id" if self.pg else ""
        self.insert_case_sql = (f"INSERT INTO cases ({', '.join(new_case)}) "
                                f"VALUES ({', '.join([mark] * len(new_case))}){returning}")
        self._new_case = tuple(new_case)
        self.insert_event_sql = (f"INSERT INTO case_events ({', '.join(EVENT_COLUMNS)}) "
                                 f"VALUES ({', '.join([mark] * len(EVENT_COLUMNS))})")
        self.recused_sql = f"SELECT username FROM recusals WHERE case_id = {mark}"
        self.link_keys_sql = f"SELECT target_id, relation FROM case_links WHERE case_id = {mark}"
        self.links_sql = (
            "SELECT l.case_id, l.target_id, l.relation, c.definition_key, c.definition_version, c.state, "
            f"c.final, c.subject_id, c.data FROM case_links l JOIN cases c ON c.id = l.target_id "
            f"WHERE l.case_id = {mark} ORDER BY l.id")
        self._update_sql: dict[tuple[str, ...], str] = {}

    # --- statements ---------------------------------------------------------------------------------

    def lock_case(self, conn: Connection, case_id: int) -> SimpleNamespace | None:
        """The case row locked for this transaction, with ``recused_names``, ``reader_names``,
        ``org_path``, ``link_keys`` ("target:relation" of each link) and ``has_links``."""
        found = _fetch(conn, self.lock_sql, (case_id,), one=True)
        if found is None:
            return None
        row = {c: self._case_out[c](v) for c, v in zip(CASE_COLUMNS, found[:-4], strict=True)}
        row["data"] = row["data"] or {}
        recused, readers, path, linked = found[-4:]
        row["recused_names"] = frozenset(recused.split("\x1f")) if recused else frozenset()
        row["reader_names"] = frozenset(readers.split("\x1f")) if readers else frozenset()
        row["org_path"] = path or ""
        row["link_keys"] = frozenset(linked.split("\x1f")) if linked else frozenset()
        row["has_links"] = bool(linked)
        return SimpleNamespace(**row)

    def insert_case(self, conn: Connection, values: Mapping[str, Any]) -> int:
        params = [self._case_in[c](values[c]) for c in self._new_case]
        cur = conn.connection.cursor()
        try:
            cur.execute(self.insert_case_sql, params)
            if not self.pg:
                return int(cur.lastrowid)
            found = cur.fetchone()
            assert found is not None
            return int(found[0])
        finally:
            cur.close()

    def insert_event(self, conn: Connection, values: Mapping[str, Any]) -> None:
        _run(conn, self.insert_event_sql, [self._event_in[c](values.get(c) if c in OPTIONAL_EVENT else values[c])
                                           for c in EVENT_COLUMNS])

    def update_case(self, conn: Connection, case_id: int, version: int, head_seq: int,
                    values: Mapping[str, Any]) -> int:
        """Set ``values`` where the row still has ``version`` and ``head_seq``; the rows changed (0: moved first)."""
        columns = tuple(c for c in MUTABLE if c in values)
        sql = self._update_sql.get(columns)
        if sql is None:
            if not columns or len(columns) != len(values):
                raise ValueError(f"bad case columns: {sorted(values)}")
            sets = ", ".join(f"{c} = {self._mark}" for c in columns)
            sql = self._update_sql[columns] = (f"UPDATE cases SET {sets} WHERE id = {self._mark} "
                                               f"AND version = {self._mark} AND head_seq = {self._mark}")
        params = [self._case_in[c](values[c]) for c in columns]
        return _run(conn, sql, [*params, case_id, version, head_seq])

    def link_keys(self, conn: Connection, case_id: int) -> frozenset[str]:
        """"target:relation" of each link of the case (what its seal covers)."""
        return frozenset(f"{r[0]}:{r[1]}" for r in _fetch(conn, self.link_keys_sql, (case_id,)))

    def recused(self, conn: Connection, case_id: int) -> frozenset[str]:
        return frozenset(r[0] for r in _fetch(conn, self.recused_sql, (case_id,)))

    def links(self, conn: Connection, case_id: int) -> list[SimpleNamespace]:
        out = []
        for found in _fetch(conn, self.links_sql, (case_id,)):
            row = dict(zip(LINK_COLUMNS, found, strict=True))
            row["final"] = bool(row["final"])
            row["data"] = _json_out(row["data"]) or {}
            out.append(SimpleNamespace(**row))
        return out


def _run(conn: Connection, sql: str, params: Any) -> int:
    cur = conn.connection.cursor()
    try:
        cur.execute(sql, params)
        return int(cur.rowcount)
    finally:
        cur.close()


def _fetch(conn: Connection, sql: str, params: Any, one: bool = False) -> Any:
    cur = conn.connection.cursor()
    try:
        cur.execute(sql, params)
        return cur.fetchone() if one else cur.fetchall()
    finally:
        cur.close()


_ROWS: dict[str, CaseRows] = {}


def case_rows(conn: Connection) -> CaseRows:
    """The statements for the connection's dialect (built once per process)."""
    rows = _ROWS.get(conn.dialect.name)
    if rows is None:
        rows = _ROWS[conn.dialect.name] = CaseRows(conn.dialect.name)
    return rows
