"""Opening a case: the policy, the start fields, the start actions, the case row, its ledger entry,
its ``case_started`` event and the 亲属回避 of the subject's related users, in one write transaction.

``create`` is also how an action opens a linked case (the 任前考察 of a selection)
inside the transaction of the event that opens it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy.engine import Connection

from .. import audit
from ..clock import local_today
from ..definition.schema import ProcessDefinition
from ..errors import ValidationFailed
from ..extensions import Registry
from ..fields import validate
from ..notifications.write import Notifier
from ..persistence import cases as store
from ..persistence.orgs import root_id
from ..persistence.rows import case_rows
from ..persistence.visibility import people_conditions
from ..queries.facts import Lookups
from ..queries.facts import case_facts
from ..queries.facts import guard_context
from ..types import Actor
from ..types import CaseSnapshot
from . import events
from . import readers
from .base import CaseCommand
from .effects import CaseEffects
from .kinship import KinshipRecusals


@dataclass(frozen=True)
class CaseStarter(CaseCommand):
    actions: Registry
    notifier: Notifier | None = None
    kinship: KinshipRecusals | None = None  # 亲属回避 of the subject's related users (commands/kinship.py)

    def start(self, definition: str, actor: Actor, *, title: str, subject_id: int | None = None,
              data: Mapping[str, Any] | None = None, comment: str = "") -> CaseSnapshot:
        """Open a case of the latest version of ``definition`` in its initial state."""
        d = self.registry.get(definition)
        role = self.policy.start_roles(actor, d)
        errors: dict[str, str] = {}
        title = title.strip() if isinstance(title, str) else ""
        if not title:
            errors["title"] = "标题：此项为必填项"
        elif len(title) > 200:
            errors["title"] = "标题：不得超过200个字"
        if not isinstance(comment, str) or len(comment) > 5000:
            errors["comment"] = "说明：应为不超过5000个字的文本"
        with self.db.write() as conn:
            if d.start.subject == "required" and subject_id is None:
                errors["subject_id"] = "对象：此流程须指定所涉干部"
            elif subject_id is not None and not store.person_exists(
                    conn, subject_id, people_conditions(conn, self.policy.people_visibility(actor))):
                errors["subject_id"] = f"对象：人员不存在（编号{subject_id}）"
            try:
                clean = validate(d.start.fields, data or {}, today=local_today(self.clock),
                                 lookups=Lookups(conn, None, frozenset(), self.policy, actor))
            except ValidationFailed as exc:
                errors.update(exc.fields)
                clean = {}
            if errors:
                raise ValidationFailed(errors)
            case_id = self.create(conn, d, actor, role, title, subject_id, clean, comment, with_actions=True)
            return self.reader.snapshot_on(conn, store.load_case(conn, case_id), actor)

    def create(self, conn: Connection, d: ProcessDefinition, actor: Actor, role: str, title: str,
               subject_id: int | None, data: dict[str, Any], comment: str = "",
               parent: tuple[int, str] | None = None, *, with_actions: bool = False) -> int:
        """Insert a case in its initial state with its ledger entry and ``case_started`` event.

        With ``with_actions`` the definition's start actions run on the new row first;
        what they set joins the case data and the event data.
        """
        now = self.clock.now()
        if self.kinship is not None:
            self.kinship.refuse_relative(conn, subject_id, actor)
        initial = d.initial
        org_id = store.managing_org(conn, subject_id) if subject_id is not None else None
        if org_id is None:
            org_id = actor.org_id or root_id(conn)
        values: dict[str, Any] = {
            "definition_key": d.key, "definition_version": d.version, "definition_hash": d.content_hash,
            "title": title, "subject_id": subject_id, "org_id": org_id, "state": initial.name, "final": False,
            "version": 1,
            "data": data, "created_by": actor.username, "created_at": now, "updated_at": now,
            "state_entered_at": now, "due_at": events.due_at(initial, now, lambda: store.work_calendar(conn)),
            "head_seq": 0, "head_hash": audit.GENESIS, "head_mac": "", "full_hash_from": 1, "head_seal": "",
        }
        case_id = case_rows(conn).insert_case(conn, values)
        store.ledger_append(conn, self.key, case_id, d.key, now)
        row = SimpleNamespace(id=case_id, **values)
        if with_actions and d.start.actions:
            data = {**data, **self._start_actions(conn, row, d, actor, role, data)}
        start_data = {"title": title, "subject_id": subject_id, "org_id": org_id, "definition": d.key,
                      "definition_version": d.version, "definition_hash": d.content_hash, **data}
        if parent is not None:
            start_data["opened_by_case"] = parent[0]
        digest = events.append(conn, row, "case_started", "start", None, initial.name, actor, role, now,
                               start_data, comment)
        # Start actions may have linked the new case: its seal covers the links it has now.
        also = {"link_keys": case_rows(conn).link_keys(conn, case_id)} if with_actions and d.start.actions else None
        events.update(conn, self.key, row, {"data": data, **events.head(case_id, 1, digest)}, also)
        readers.sync(conn, d, case_id, data)
        if self.kinship is not None:
            self.kinship.on_start(conn, case_id, subject_id, actor, role, now)
        if self.notifier is not None:  # the new case's holders: 新待办
            after = store.load_case(conn, case_id)
            self.notifier.after_event(conn, after, self.notifier.holders_now(conn, after), actor, now)
        return case_id

    def _start_actions(self, conn: Connection, row: Any, d: ProcessDefinition, actor: Actor, role: str,
                       data: dict[str, Any]) -> dict[str, Any]:
        ctx = guard_context(conn, self.registry, self.clock, row, d, actor, data, case_facts(conn, row, frozenset()))
        effects = CaseEffects(conn, row, actor, role, self.clock.now(), self.registry, self.create, self.key)
        for ref in d.start.actions:
            spec = self.actions[ref.name]
            spec.fn(ctx, effects, spec.with_defaults(ref.params))
        return effects.data
