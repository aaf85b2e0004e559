"""The active users as actors, for the rules that ask who could act on a case (its holders)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..types import Actor
from .tables import orgs_t
from .tables import users_t


def active_actors(conn: Connection, roles: Iterable[str]) -> list[Actor]:
    """Every active user holding one of ``roles``, as an Actor, in username order."""
    wanted = set(roles)
    if not wanted:
        return []
    rows = conn.execute(select(users_t.c.username, users_t.c.name, users_t.c.unit, users_t.c.roles,
                               users_t.c.org_id, orgs_t.c.path)
                        .join(orgs_t, orgs_t.c.id == users_t.c.org_id)
                        .where(users_t.c.active.is_(True)).order_by(users_t.c.username))
    out = []
    for r in rows:
        roles_of = frozenset(r.roles or ())
        if roles_of & wanted:
            out.append(Actor(r.username, r.name, roles_of, r.unit, r.org_id, r.path))
    return out
