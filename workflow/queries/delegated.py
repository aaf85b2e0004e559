"""Who fires an event, on the caller's connection: the actor in their own right, or for a delegator (委托).

``acting_for`` is the one check ``fire``, the dry run, the case page's actions and the holders
(待办) share: the actor's own right first; failing that, each delegation in force today (Beijing)
to the actor that covers the case's procedure, where the delegator sees the case in their own
right and ``policy.delegation.check_delegated`` allows it. A user who reads the case only by a copy
(抄送) acts on it neither way.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from ..definition.schema import ProcessDefinition
from ..definition.schema import TransitionDef
from ..errors import PermissionDenied
from ..persistence import daily
from ..persistence.actors import active_actor
from ..policy import COPY_ONLY
from ..policy import CaseScope
from ..policy import Policy
from ..policy.acting import CaseFacts
from ..policy.acting import check_actor
from ..policy.delegation import check_delegated
from ..types import Actor

# The delegations in force on a day, read once per connection (the holders of every case of a list
# ask for them): a connection is one request's transaction, in which they do not change.
_IN_FORCE: weakref.WeakKeyDictionary[Connection, tuple[date, dict[str, list[Any]]]] = weakref.WeakKeyDictionary()


def _in_force(conn: Connection, today: date) -> dict[str, list[Any]]:
    found = _IN_FORCE.get(conn)
    if found is None or found[0] != today:
        by_delegate: dict[str, list[Any]] = {}
        for r in daily.live(conn, on=today):
            by_delegate.setdefault(r.delegate, []).append(r)
        found = _IN_FORCE[conn] = (today, by_delegate)
    return found[1]


def forget(conn: Connection) -> None:
    """Read the delegations again on ``conn`` (one was just created or revoked on it)."""
    _IN_FORCE.pop(conn, None)


def delegators(conn: Connection, delegate: Actor, definition: str, today: date) -> list[Actor]:
    """The active users who delegated ``definition`` to ``delegate`` for ``today``, oldest delegation first."""
    out: list[Actor] = []
    for r in _in_force(conn, today).get(delegate.username, ()):
        if definition in r.definitions.split(","):
            who = active_actor(conn, r.delegator)
            if who is not None and who not in out:
                out.append(who)
    return out


def acting_for(conn: Connection, policy: Policy, d: ProcessDefinition, t: TransitionDef, actor: Actor,
               facts: CaseFacts, scope: Callable[[], CaseScope], today: date, *, copies: bool = True
               ) -> tuple[str, Actor | None]:
    """(the role, the delegator or None) in which ``actor`` fires ``t`` now, or PermissionDenied.

    ``scope`` is read when needed; ``copies=False`` when the caller already knows the actor sees the
    case in their own right (the 待办 query, whose visibility has no copies)."""
    if copies and actor.username not in facts.recused and not policy.may_work_on(actor, scope()):
        raise PermissionDenied(COPY_ONLY)
    try:
        return check_actor(d, t, actor, facts, policy), None
    except PermissionDenied as own:
        refusal = own
        if not policy.acting_roles(actor):
            raise
        for delegator in delegators(conn, actor, d.key, today):
            if delegator.username not in facts.recused and not policy.may_work_on(delegator, scope()):
                continue  # a recused delegator is refused below, saying so
            try:
                return check_delegated(d, t, actor, delegator, facts, policy), delegator
            except PermissionDenied as exc:
                refusal = exc
        raise refusal from None
