"""撤回上一步: the user takes back their own last step (``policy.withdrawal`` says when).

One write transaction: lock and check the case, decide, append ``step_withdrawn``
(the step's ``seq`` and event; from the current state to the state the case returns
to) and set the case row back: for a lone 会签 signature only the version and head;
for any other step the previous state, its entry time and deadline, and the data the
history gives without the step. The history keeps the step: nothing is deleted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from ..errors import PermissionDenied
from ..errors import StaleVersion
from ..errors import TransitionNotAllowed
from ..errors import ValidationFailed
from ..notifications.write import Notifier
from ..persistence import cases as store
from ..policy.withdrawal import Withdrawal
from ..policy.withdrawal import withdrawal
from ..steps import WITHDRAWN
from ..steps import entered_at
from ..steps import replay_data
from ..types import Actor
from ..types import FireResult
from . import events
from . import readers
from .base import CaseCommand

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Withdrawing(CaseCommand):
    notifier: Notifier | None = None

    def withdraw(self, case_id: int, actor: Actor, expected_version: int | None = None,
                 comment: Any = "") -> FireResult:
        """Take back ``actor``'s last step on the case.

        Raises CaseNotFound, PermissionDenied, StaleVersion, TransitionNotAllowed, ValidationFailed.
        """
        if not isinstance(comment, str) or len(comment) > 2000:
            raise ValidationFailed({"comment": "撤回说明：应为不超过2000个字的文本"})
        if expected_version is not None and (isinstance(expected_version, bool)
                                             or not isinstance(expected_version, int)):
            raise ValidationFailed({"expected_version": "版本号：应为整数"})
        with self.db.write() as conn:
            row = store.lock_case(conn, case_id)
            events.check(row, self.key)
            scope = self.reader.scope(conn, row, row.recused_names)
            role = self.policy.require(actor, "act", scope)
            if self.policy.read_only(actor):
                raise PermissionDenied("只读角色不能撤回")
            if expected_version is not None and row.version != expected_version:
                raise StaleVersion(expected_version, row.version)
            d = self.reader.definition(row)
            items = store.history_items(conn, row.id)
            found = withdrawal(d, items, row.state, bool(row.final), actor.username)
            if isinstance(found, str):
                raise TransitionNotAllowed(found)
            now = self.clock.now()
            step = found.step
            to_state = row.state if found.signature else step.from_state
            digest = events.append(conn, row, WITHDRAWN, step.event, row.state, to_state, actor, role, now,
                                   {"seq": step.seq, "event": step.event}, comment.strip())
            values: dict[str, Any] = {"version": row.version + 1, "updated_at": now,
                                      **events.head(row.id, row.head_seq + 1, digest)}
            if not found.signature:
                values.update(self._restored(conn, d, row, items, found))
            after = events.update(conn, self.key, row, values)
            if not found.signature:
                synced = readers.sync(conn, d, row.id, values["data"], list(step.data or {}))
                if synced is not None:
                    after.reader_names = synced
            log.info("case %s: step %s (%s) withdrawn by %s", row.id, step.seq, step.event, actor.username)
            snap = self.reader.snapshot_on(conn, after, actor, recused=row.recused_names)
            if self.notifier is not None:  # the step's holders have it back: 新待办
                self.notifier.after_event(conn, after, snap.holders, actor, now)
            return FireResult(snap)

    def _restored(self, conn: Any, d: Any, row: Any, items: list[Any], found: Withdrawal) -> dict[str, Any]:
        """The case columns before the step: its state, entry time, deadline and data."""

        def append_to(trigger: str | None) -> str | None:
            ts = d.transitions_named(trigger or "")
            return ts[0].append_to if ts else None

        def moves(item: Any) -> bool:
            return bool(item.from_state != item.to_state)

        if replay_data(items, append_to, moves) != dict(row.data or {}):
            log.error("case %s: its data is not what its history gives; step not withdrawn", row.id)
            raise TransitionNotAllowed("本案件的数据无法按历史还原到上一步，不能撤回，请联系系统管理员")
        rest = [i for i in items if i.seq != found.step.seq]
        state = d.state(found.step.from_state)
        assert state is not None
        entry = entered_at(rest, state.name)
        since = entry.at if entry is not None else row.created_at
        return {"data": replay_data(rest, append_to, moves), "state": state.name, "final": False,
                "state_entered_at": since,
                "due_at": events.due_at(state, since, lambda: store.work_calendar(conn))}
