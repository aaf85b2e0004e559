"""Who a case names: the users in its user fields that carry a role (the recommender of a
recommendation, the panel of an interview, the team of an inspection). Kept in ``case_readers``
in the same transaction as every change of the case's data, for the participation scope."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Connection

from ..definition.schema import ProcessDefinition
from ..persistence import cases as store
from ..policy.acting import members

_NAMING: dict[tuple[str, int, str], frozenset[str]] = {}


def _naming_fields(d: ProcessDefinition) -> frozenset[str]:
    key = (d.key, d.version, d.content_hash)
    found = _NAMING.get(key)
    if found is None:
        found = _NAMING[key] = frozenset(f.name for f in d.all_fields() if f.type == "user" and f.role)
    return found


def named(d: ProcessDefinition, data: Mapping[str, Any]) -> dict[str, set[str]]:
    """{username: {field, ...}} of the users the case data names in role-carrying user fields."""
    out: dict[str, set[str]] = {}
    for name in _naming_fields(d):
        for username in members(data.get(name)):
            out.setdefault(username, set()).add(name)
    return out


def sync(conn: Connection, d: ProcessDefinition, case_id: int, data: Mapping[str, Any],
         changed: Iterable[str] | None = None) -> frozenset[str] | None:
    """Keep ``case_readers`` equal to what ``data`` names; with ``changed`` only when a naming field changed.

    Returns the readers when they were written, None when nothing named changed.
    """
    if changed is not None and not _naming_fields(d) & set(changed):
        return None
    names = named(d, data)
    store.set_readers(conn, case_id, names)
    return frozenset(names)
