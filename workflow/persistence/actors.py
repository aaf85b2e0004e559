"""The active users as actors, for the rules that ask who could act on a case (its holders)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import String
from sqlalchemy import bindparam
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..types import Actor
from .tables import orgs_t
from .tables import users_t

# Built once: reading the holders runs with every case read and every event.
_ALL = (select(users_t.c.username, users_t.c.name, users_t.c.unit, users_t.c.roles, users_t.c.org_id, orgs_t.c.path)
        .join(orgs_t, orgs_t.c.id == users_t.c.org_id).where(users_t.c.active.is_(True)))
_NEAR = _ALL.where(or_(users_t.c.org_id == bindparam("org_id"),
                       bindparam("org_path", type_=String).startswith(orgs_t.c.path),
                       users_t.c.username.in_(bindparam("named", expanding=True))))
_ALL = _ALL.order_by(users_t.c.username)
_NEAR = _NEAR.order_by(users_t.c.username)


def active_actors(conn: Connection, roles: Iterable[str], org_path: str | None = None, org_id: int = 0,
                  named: Iterable[str] = ()) -> list[Actor]:
    """Every active user holding one of ``roles``, as an Actor, in username order.

    With ``org_path`` (a case's organization), only the users of that organization or one above it
    and the users ``named`` (the case's readers): nobody else can see the case, so nobody else can
    hold it (the policy still decides for each of these).
    """
    wanted = set(roles)
    if not wanted:
        return []
    if org_path is None:
        rows = conn.execute(_ALL)
    else:
        rows = conn.execute(_NEAR, {"org_id": org_id, "org_path": org_path, "named": sorted(named)})
    out = []
    for r in rows:
        roles_of = frozenset(r.roles or ())
        if roles_of & wanted:
            out.append(Actor(r.username, r.name, roles_of, r.unit, r.org_id, r.path))
    return out


def active_actor(conn: Connection, username: str) -> Actor | None:
    """One active user as an Actor, or None."""
    r = conn.execute(_ALL.where(users_t.c.username == username)).first()
    if r is None:
        return None
    return Actor(r.username, r.name, frozenset(r.roles or ()), r.unit, r.org_id, r.path)
