"""The one transition path: ``Firing.fire``.

In ONE write transaction: lock the case; look the move up in the definition's
machine (once); check the actor (policy: role, recusal, named actors,
separation of duties, approvals); store the files that come with the event;
validate the fields; evaluate the guards; run the actions; append the
hash-chained history event; and bump the version with ``WHERE version =
:expected``. A refusal anywhere rolls all of it back. Nothing else writes
``state``, ``version`` or history rows.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection

from .. import audit
from ..clock import local_today
from ..definition.schema import ProcessDefinition
from ..definition.schema import TransitionDef
from ..errors import StaleVersion
from ..errors import ValidationFailed
from ..extensions import Extensions
from ..fields import validate
from ..notifications.write import Notifier
from ..persistence import cases as store
from ..persistence.rows import case_rows
from ..policy.acting import CaseFacts
from ..policy.acting import approvers_so_far
from ..policy.acting import awaited
from ..queries.delegated import acting_for
from ..queries.facts import Lookups
from ..queries.facts import case_facts
from ..queries.facts import enforce
from ..queries.facts import guard_context
from ..types import Actor
from ..types import Approvals
from ..types import FireResult
from ..types import Upload
from . import copies
from . import events
from . import readers
from .base import CaseCommand
from .effects import CaseEffects
from .effects import OpenCase
from .uploads import store_uploads

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Firing(CaseCommand):
    extensions: Extensions
    open_case: OpenCase
    notifier: Notifier | None = None

    def fire(self, case_id: int, event: str, actor: Actor, data: Mapping[str, Any] | None = None,
             expected_version: int | None = None, comment: str = "",
             uploads: Mapping[str, Sequence[Upload]] | None = None, cc: Any = None) -> FireResult:
        """Fire ``event`` on a case as ``actor`` (see the module docstring for the steps).

        ``uploads`` are files for the event's file fields, stored in the same transaction
        (a refused event leaves no attachment behind). ``cc``: usernames to copy the case to
        (抄送, ``commands.copies``), in the same transaction. A delegate fires for the delegator
        (委托, ``queries.delegated``): the event records both.

        Raises:
            CaseNotFound, StaleVersion, TransitionNotAllowed, PermissionDenied,
            ValidationFailed, GuardFailed, TooLarge.
        """
        if not isinstance(comment, str):
            raise ValidationFailed({"comment": "意见：应为文本"})
        if len(comment) > 5000:
            raise ValidationFailed({"comment": "意见：不得超过5000个字"})
        with self.db.write() as conn:
            row = store.lock_case(conn, case_id)
            events.check(row, self.key)
            d = self.reader.definition(row)
            scope = self.reader.visible(conn, row, actor, row.recused_names)
            if expected_version is not None and row.version != expected_version:
                raise StaleVersion(expected_version, row.version)
            t = self.registry.machine(d).move(row.state, event, row.data)
            facts = case_facts(conn, row)
            role, principal = acting_for(conn, self.policy, d, t, actor, facts, lambda: scope, local_today(self.clock))
            copy_to = copies.wanted(cc)
            submitted = dict(data or {})
            if uploads:
                row, ids = store_uploads(conn, self.key, row, t, actor, role, self.clock.now(), uploads)
                submitted.update(ids)
            clean = validate(t.fields, submitted, today=local_today(self.clock), context=row.data,
                             lookups=Lookups(conn, row.id, facts.recused, self.policy, actor))
            ctx = guard_context(conn, self.registry, self.clock, row, d, actor, clean, facts)
            enforce(self.extensions.guards, t, ctx)
            result = None
            if t.approvals is not None:
                result = self._approval(conn, row, t, actor, role, clean, comment, facts, principal)
            if result is None:
                result = self._move(conn, row, d, t, actor, role, clean, comment, facts, ctx, principal)
            if copy_to:
                copies.copy_case(conn, self.key, self.reader, self.policy, self.notifier, case_id, copy_to, actor,
                                 role, t.label)
            return result

    def check(self, case_id: int, event: str, actor: Actor, data: Mapping[str, Any] | None = None,
              sent_files: frozenset[str] = frozenset()) -> None:
        """Run ``fire``'s checks (actor, fields, guards) in a read transaction, writing nothing.

        A page calls it to show every error of a form at once (a form that is not sent yet, its
        confirmation box unticked). ``sent_files``: file fields a file comes with (not checked).
        Raises what ``fire`` raises, StaleVersion excepted.
        """
        with self.db.read() as conn:
            row = store.lock_case(conn, case_id)
            d = self.reader.definition(row)
            self.reader.visible(conn, row, actor, row.recused_names)
            t = self.registry.machine(d).move(row.state, event, row.data)
            facts = case_facts(conn, row)
            scope = self.reader.scope(conn, row, row.recused_names)
            acting_for(conn, self.policy, d, t, actor, facts, lambda: scope, local_today(self.clock))
            fields = [f for f in t.fields if f.name not in sent_files]
            clean = validate(fields, {k: v for k, v in (data or {}).items() if k not in sent_files},
                             today=local_today(self.clock), context=row.data,
                             lookups=Lookups(conn, row.id, facts.recused, self.policy, actor))
            enforce(self.extensions.guards, t, guard_context(conn, self.registry, self.clock, row, d, actor,
                                                             clean, facts))

    def _approval(self, conn: Connection, row: Any, t: TransitionDef, actor: Actor, role: str,
                  clean: dict[str, Any], comment: str, facts: CaseFacts, principal: Actor | None
                  ) -> FireResult | None:
        """Record a signature that does not complete ``t``; None when this one completes it."""
        given = approvers_so_far(t, facts) + [(principal or actor).username]
        required, awaited_ = awaited(t, facts, given)
        if len(given) >= required and not awaited_:
            return None
        now = self.clock.now()
        digest = events.append(conn, row, "approval_recorded", t.trigger, row.state, row.state, actor, role, now,
                               clean, comment, principal)
        after = events.update(conn, self.key, row, {"version": row.version + 1, "updated_at": now,
                                                    **events.head(row.id, row.head_seq + 1, digest)})
        snap = self.reader.snapshot_on(conn, after, actor, recused=facts.recused)
        if self.notifier is not None:
            self.notifier.after_event(conn, after, snap.holders, actor, now)
        return FireResult(snap, Approvals(required, len(given), tuple(given), tuple(awaited_)))

    def _move(self, conn: Connection, row: Any, d: ProcessDefinition, t: TransitionDef, actor: Actor, role: str,
              clean: dict[str, Any], comment: str, facts: CaseFacts, ctx: Any, principal: Actor | None
              ) -> FireResult:
        now = self.clock.now()
        effects = CaseEffects(conn, row, actor, role, now, self.registry, self.open_case, self.key)
        for ref in t.actions:
            spec = self.extensions.actions[ref.name]
            spec.fn(ctx, effects, spec.with_defaults(ref.params))
        new_data = dict(row.data)
        if t.append_to:
            new_data[t.append_to] = [*(new_data.get(t.append_to) or []),
                                     {**clean, "by": actor.username, "at": audit.iso(now)}]
        else:
            new_data.update(clean)
        new_data.update(effects.data)
        type_ = "approval_recorded" if t.approvals is not None else "transition_fired"
        digest = events.append(conn, row, type_, t.trigger, row.state, t.dest, actor, role, now,
                               {**clean, **effects.data}, comment, principal)
        values: dict[str, Any] = {"data": new_data, "version": row.version + 1, "updated_at": now,
                                  **events.head(row.id, row.head_seq + 1, digest)}
        if t.dest != row.state:
            # The state columns are set only when they change: SQLite rewrites an index entry for
            # every column named in SET, and each of them is in two or three list indexes.
            target = d.state(t.dest)
            assert target is not None
            values.update(state=t.dest, state_entered_at=now, final=target.final,
                          due_at=events.due_at(target, now, lambda: store.work_calendar(conn)))
        also = {"link_keys": case_rows(conn).link_keys(conn, row.id)} if effects.linked else None
        after = events.update(conn, self.key, row, values, also)
        synced = readers.sync(conn, d, row.id, new_data, [*clean, *effects.data])
        if synced is not None:
            after.reader_names = synced
        log.info("case %s: %s by %s -> %s", row.id, t.trigger, actor.username, t.dest)
        links = store.links(conn, row.id) if row.has_links or effects.linked else []
        snap = self.reader.snapshot_on(conn, after, actor, recused=facts.recused, links=links)
        if self.notifier is not None:  # in this transaction: 新待办 and 退回
            self.notifier.after_event(conn, after, snap.holders, actor, now, t, clean, comment)
        return FireResult(snap)
