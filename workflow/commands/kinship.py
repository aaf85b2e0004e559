"""亲属回避 (procedures.md, Extensions: Kinship recusal): the users related to a case's subject are recused
on it automatically, through the one recusal write (``records.recuse``) with the reason 亲属回避（称谓）.

* ``on_start``: a case opened about a person (by a user or by another case's action) gets, in its
  own transaction, one ``recusal_recorded`` event per related user; a related user may not open it.
* ``family_changed``: a change of the person's family list (``people.chain.Writer`` calls it in the
  transaction of the change) recuses every related user not yet recused on each open case of that
  person, each case its own events. Closed cases are left as they are.

Removing a relative from the list, or their username, lifts nothing: a recusal once recorded stays
(it is in the chain; ``cadreflow verify`` checks every recusal row against its event).
The relation table is ``people/kinship.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..errors import PermissionDenied
from ..notifications.write import Notifier
from ..people.kinship import recusal_reason
from ..people.kinship import related_users
from ..persistence import cases as store
from ..persistence import people as people_rows
from ..persistence.tables import cases_t
from ..types import Actor
from .base import CaseCommand
from .records import recuse

SYSTEM = Actor("system", "系统")  # who records a recusal a change made at the command line (no user) brings
SYSTEM_ROLE = "system"


def subject_relatives(conn: Connection, person_id: int | None) -> dict[str, str]:
    """{username: 称谓} of the users related to person ``person_id`` (none without a subject)."""
    if person_id is None:
        return {}
    row = people_rows.person_row(conn, person_id)
    return related_users((row.profile or {}).get("family")) if row is not None else {}


@dataclass(frozen=True)
class KinshipRecusals(CaseCommand):
    notifier: Notifier | None = None

    def refuse_relative(self, conn: Connection, person_id: int | None, actor: Actor) -> None:
        """PermissionDenied when ``actor`` is a relative of the person a case would be about."""
        relation = subject_relatives(conn, person_id).get(actor.username)
        if relation is not None:
            raise PermissionDenied(f"亲属回避：您是该干部的亲属（{relation}），不能发起其案件"
                                   "（任用条例第五十三条）")

    def on_start(self, conn: Connection, case_id: int, person_id: int | None, actor: Actor, role: str,
                 now: datetime) -> None:
        """Recuse the subject's related users on the case just opened (in its transaction)."""
        users = subject_relatives(conn, person_id)
        if users:
            self._recuse(conn, case_id, users, actor, role, now)

    def family_changed(self, conn: Connection, person_id: int, before: Any, after: Any, actor: Actor | None,
                       now: datetime) -> None:
        """Recuse the users ``after`` relates and ``before`` did not on every open case of the person
        (in the transaction of the change)."""
        known = related_users(before)
        users = {u: r for u, r in related_users(after).items() if u not in known}
        if not users:
            return
        if actor is None:
            who, role = SYSTEM, SYSTEM_ROLE
        else:
            who, role = actor, self.policy.require(actor, "write_people")
        open_cases = conn.execute(select(cases_t.c.id).where(cases_t.c.subject_id == person_id,
                                                             cases_t.c.final.is_(False))
                                  .order_by(cases_t.c.id)).scalars().all()
        for case_id in open_cases:
            self._recuse(conn, int(case_id), users, who, role, now)

    def _recuse(self, conn: Connection, case_id: int, users: Mapping[str, str], actor: Actor, role: str,
                now: datetime) -> None:
        row = store.lock_case(conn, case_id)
        for username, relation in users.items():
            if username not in row.recused_names:
                row = recuse(conn, self.key, row, username, recusal_reason(relation), actor, role, now,
                             self.notifier)
