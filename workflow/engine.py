"""The engine: the one path by which a case changes.

``Engine.fire`` does, in ONE database transaction: load and lock the case,
check the actor, validate the fields, evaluate the guards, move the state with
the definition's ``transitions`` machine, run the event's actions, append the
hash-chained history event and bump the version with ``WHERE version =
:expected``. Nothing else writes ``state``, ``version`` or history rows.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Connection

from . import audit
from .calendar_store import CalendarStore
from .clock import SHANGHAI
from .clock import Clock
from .clock import SystemClock
from .clock import local_today
from .db import make_engine
from .db import writer
from .definition import DefinitionRegistry
from .definition import load_registry
from .definition.schema import ProcessDefinition
from .definition.schema import StateDef
from .definition.schema import TransitionDef
from .effects import CaseEffects
from .errors import CalendarError
from .errors import GuardFailed
from .errors import PermissionDenied
from .errors import StaleVersion
from .errors import TransitionNotAllowed
from .errors import ValidationFailed
from .fields import validate
from .guards import GUARDS
from .guards import rule_value
from .guards import with_defaults
from .guards.context import GuardContext
from .guards.context import LinkedCase
from .machine import MachineCache
from .models import Case
from .models import table
from .people import People
from .permissions import CaseFacts
from .permissions import approvers_so_far
from .permissions import check_actor
from .permissions import required_approvals
from .readers import CaseReader
from .records import CaseRecords
from .settings import Settings
from .store import Store
from .types import ActionView
from .types import Actor
from .types import Approvals
from .types import CaseSnapshot
from .types import FireResult
from .types import VerifyReport
from .users import Users

log = logging.getLogger(__name__)
cases_t = table(Case)


class Engine(CaseReader):
    """Facade over the store; web views and CLI commands call only this."""

    def __init__(self, settings: Settings, *, registry: DefinitionRegistry | None = None,
                 clock: Clock | None = None, documents: list[str] | None = None) -> None:
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.db = make_engine(settings.database_url, settings.sqlite_synchronous)
        self.w = writer(self.db)
        self.registry = registry or load_registry(settings.definitions_dir, documents)
        self.machines = MachineCache()
        self.store = Store(self)
        self.users = Users(self)
        self.people = People(self)
        self.calendar = CalendarStore(self)
        self.records = CaseRecords(self)
        self._synced = False

    # --- set-up -------------------------------------------------------------------------------

    def sync_definitions(self) -> None:
        """Record the loaded definition versions; refuse a changed file under a used version."""
        self.registry = self.store.sync_definitions(self.registry)
        self._synced = True

    def ensure_ready(self) -> None:
        if not self._synced:
            self.sync_definitions()

    def dispose(self) -> None:
        self.db.dispose()

    def now(self) -> datetime:
        return self.clock.now()

    # --- starting a case ------------------------------------------------------------------------

    def start_case(self, definition: str, actor: Actor, *, title: str, subject_id: int | None = None,
                   data: Mapping[str, Any] | None = None, comment: str = "") -> CaseSnapshot:
        """Open a case of the latest version of ``definition`` in its initial state."""
        self.ensure_ready()
        d = self.registry.get(definition)
        business = actor.roles - {"auditor", "admin"}
        if not business:
            raise PermissionDenied("监督检查人员为只读角色，不能发起案件" if "auditor" in actor.roles
                                   else "您没有可发起案件的业务角色")
        role = next((r for r in d.start.roles if r in actor.roles), None)
        if role is None:
            need = "、".join(self.registry.role_label(r) for r in d.start.roles)
            raise PermissionDenied(f"“{d.title}”须由{need}发起")
        errors: dict[str, str] = {}
        title = title.strip() if isinstance(title, str) else ""
        if not title:
            errors["title"] = "标题：此项为必填项"
        elif len(title) > 200:
            errors["title"] = "标题：不得超过200个字"
        with self.w.begin() as conn:
            if d.start.subject == "required" and subject_id is None:
                errors["subject_id"] = "对象：此流程须指定所涉干部"
            elif subject_id is not None and not self.store.person_exists(conn, subject_id):
                errors["subject_id"] = f"对象：人员不存在（编号{subject_id}）"
            lookups = self.store.lookups(conn, None, self.registry)
            try:
                clean = validate(d.start.fields, data or {}, today=local_today(self.clock), lookups=lookups)
            except ValidationFailed as exc:
                errors.update(exc.fields)
                clean = {}
            if errors:
                raise ValidationFailed(errors)
            on_created = self._start_actions(d, actor, role, clean) if d.start.actions else None
            case_id = self.store.create_case(conn, d, actor, role, title, subject_id, clean, comment,
                                             on_created=on_created)
            return self.snapshot(conn, case_id, actor, with_actions=True)

    def _start_actions(self, d: ProcessDefinition, actor: Actor, role: str, clean: dict[str, Any]
                       ) -> Any:
        """The start actions of ``d``, run on the new case row inside the creating transaction."""
        from .actions import ACTIONS

        def run(conn: Connection, row: Any) -> dict[str, Any]:
            facts = self.store.facts(conn, row, frozenset())
            ctx = self.store.guard_context(conn, row, d, actor, clean, facts)
            effects = CaseEffects(self.store, conn, row, d, actor, role, self.clock.now(), self.registry)
            for ref in d.start.actions:
                spec = ACTIONS[ref.name]
                spec.fn(ctx, effects, with_defaults(spec, ref.params))  # type: ignore[arg-type]
            return effects.data

        return run

    # --- the one transition path --------------------------------------------------------------------

    def fire(self, case_id: int, event: str, actor: Actor, data: Mapping[str, Any] | None = None,
             expected_version: int | None = None, comment: str = "") -> FireResult:
        """Fire ``event`` on a case as ``actor``. See the module docstring for the steps.

        Raises:
            CaseNotFound, StaleVersion, TransitionNotAllowed, PermissionDenied,
            ValidationFailed, GuardFailed.
        """
        self.ensure_ready()
        if not isinstance(comment, str):
            raise ValidationFailed({"comment": "意见：应为文本"})
        if len(comment) > 5000:
            raise ValidationFailed({"comment": "意见：不得超过5000个字"})
        with self.w.begin() as conn:
            row = self.store.lock_case(conn, case_id)
            d = self.registry.get(row.definition_key, row.definition_version)
            if expected_version is not None and row.version != expected_version:
                raise StaleVersion(expected_version, row.version)
            t = self._transition(d, row.state, event)
            facts = self.store.facts(conn, row)
            role = check_actor(d, t, actor, facts, self.registry.role_label)
            today = local_today(self.clock)
            lookups = self.store.lookups(conn, row, self.registry, facts.recused)
            clean = validate(t.fields, data or {}, today=today, lookups=lookups, context=row.data)
            ctx = self.store.guard_context(conn, row, d, actor, clean, facts)
            self._check_guards(d, t, ctx, only_static=False)
            now = self.clock.now()
            if t.approvals is not None:
                required, expected = required_approvals(t, facts)
                given = approvers_so_far(t, facts) + [actor.username]
                if len(given) < required:
                    self.store.append_event(conn, row, "approval_recorded", t.trigger, row.state, row.state,
                                            actor, role, now, clean, comment, bump=True)
                    awaited = tuple(m for m in expected if m not in given)
                    snap = self.snapshot(conn, case_id, actor, with_actions=True, recused=facts.recused)
                    return FireResult(snap, Approvals(required, len(given), tuple(given), awaited))
            dest = self.machines.get(d).move(row.state, t.trigger)
            effects = CaseEffects(self.store, conn, row, d, actor, role, now, self.registry)
            for ref in t.actions:
                from .actions import ACTIONS

                ACTIONS[ref.name].fn(ctx, effects, with_defaults(ACTIONS[ref.name], ref.params))  # type: ignore[arg-type]
            event_data = {**clean, **effects.data}
            new_data = dict(row.data)
            if t.append_to:
                entries = list(new_data.get(t.append_to) or [])
                entries.append({**clean, "by": actor.username, "at": audit.iso(now)})
                new_data[t.append_to] = entries
            else:
                new_data.update(clean)
            new_data.update(effects.data)
            moved = dest != row.state
            type_ = "approval_recorded" if t.approvals is not None else "transition_fired"
            head_hash = self.store.append_event(
                conn, row, type_, t.trigger, row.state, dest, actor, role, now, event_data, comment,
                bump=False)
            values: dict[str, Any] = {
                "state": dest, "data": new_data, "version": row.version + 1, "updated_at": now,
                "head_seq": row.head_seq + 1, "head_hash": head_hash,
                "head_mac": audit.head_mac(self.settings.head_key, row.id, row.head_seq + 1, head_hash),
            }
            if moved:
                target = d.state(dest)
                assert target is not None
                values.update(state_entered_at=now, final=target.final,
                              due_at=self.due_at(target, now))
            self.store.update_case(conn, row, values)
            effects.finish()
            log.info("case %s: %s by %s -> %s", case_id, t.trigger, actor.username, dest)
            after = self.store.row_after(row, values)
            after_facts = self.store.facts(conn, after, facts.recused)
            events = [a.event for a in self._actions(conn, after, actor, after_facts)[0]]
            links: list[LinkedCase] | None = None if row.has_links or effects.linked else []
            return FireResult(self.build_snapshot(conn, after, actor, events, links=links, recused=facts.recused))

    def _transition(self, d: ProcessDefinition, state: str, event: str) -> TransitionDef:
        t = d.transition(event, state)
        if t is not None:
            return t
        named = d.transitions_named(event)
        if not named:
            raise TransitionNotAllowed(f"流程“{d.title}”没有“{event}”这一事件", event=event, state=state)
        raise TransitionNotAllowed(
            f"当前状态“{d.state_label(state)}”下不能执行“{named[0].label}”", event=event, state=state)

    def _check_guards(self, d: ProcessDefinition, t: TransitionDef, ctx: GuardContext,
                      only_static: bool) -> list[str]:
        """Evaluate the guards; raise GuardFailed with every failure (or return them if only_static)."""
        failures = []
        own_fields = {f.name for f in t.fields}
        for ref in t.conditions:
            spec = GUARDS[ref.name]
            params = with_defaults(spec, ref.params)
            if only_static and _depends_on(spec, params, own_fields):
                continue
            try:
                detail = spec.fn(ctx, params)
            except CalendarError as exc:
                detail = exc.message
            if detail is not None:
                rule = ref.rule.format(**{k: rule_value(v) for k, v in params.items()})
                failures.append(f"{rule}（{ref.source}）：{detail}")
        if failures and not only_static:
            raise GuardFailed(failures)
        return failures

    def due_at(self, state: StateDef, now: datetime) -> datetime | None:
        """End of the deadline day (Beijing time) for a state's deadline, if it has one."""
        if state.final:
            return None
        today = now.astimezone(SHANGHAI).date()
        if state.deadline_working_days:
            try:
                day = self.store.calendar_now().add_working_days(today, state.deadline_working_days)
            except CalendarError:
                log.warning("no holiday schedule for the deadline of state %s; no due date set", state.name)
                return None
        elif state.deadline_days:
            day = today + timedelta(days=state.deadline_days)
        else:
            return None
        return datetime.combine(day, time(23, 59, 59), tzinfo=SHANGHAI).astimezone(UTC)

    # --- asking what is possible ----------------------------------------------------------------------

    def actions(self, case_id: int, actor: Actor) -> tuple[list[ActionView], list[tuple[str, str]]]:
        """(events the actor may fire now, [(event, why not yet)]). Side-effect free."""
        self.ensure_ready()
        with self.db.connect() as conn:
            row = self.store.load_case(conn, case_id)
            return self._actions(conn, row, actor)

    def available_events(self, case_id: int, actor: Actor) -> list[str]:
        return [a.event for a in self.actions(case_id, actor)[0]]

    def _actions(self, conn: Connection, row: Any, actor: Actor, facts: CaseFacts | None = None
                 ) -> tuple[list[ActionView], list[tuple[str, str]]]:
        d = self.registry.get(row.definition_key, row.definition_version)
        if row.final or not (actor.roles - {"auditor", "admin"}):
            return [], []
        facts = facts or self.store.facts(conn, row)
        allowed: list[ActionView] = []
        blocked: list[tuple[str, str]] = []
        for t in d.transitions_from(row.state):
            if not set(t.roles) & actor.roles:
                continue
            try:
                check_actor(d, t, actor, facts, self.registry.role_label)
            except PermissionDenied as exc:
                if actor.username not in facts.recused:
                    blocked.append((t.trigger, exc.message))
                continue
            ctx = self.store.guard_context(conn, row, d, actor, {}, facts)
            failures = self._check_guards(d, t, ctx, only_static=True)
            if failures:
                blocked.append((t.trigger, "；".join(failures)))
                continue
            approvals = None
            if t.approvals is not None:
                required, expected = required_approvals(t, facts)
                given = approvers_so_far(t, facts)
                approvals = Approvals(required, len(given), tuple(given),
                                      tuple(m for m in expected if m not in given))
            dest = d.state(t.dest)
            allowed.append(ActionView(t.trigger, t.label, t.fields, t.confirm, t.kind, approvals, t.dest,
                                      dest.label if dest else t.dest))
        return allowed, blocked

    def snapshot(self, conn: Connection, case_id: int, viewer: Actor | None,
                 with_actions: bool = True, recused: frozenset[str] | None = None) -> CaseSnapshot:
        row = self.store.load_case(conn, case_id)
        if recused is None:
            recused = self.store.recused(conn, row.id)
        events: tuple[str, ...] = ()
        if viewer is not None and with_actions:
            facts = self.store.facts(conn, row, recused)
            events = tuple(a.event for a in self._actions(conn, row, viewer, facts)[0])
        return self.build_snapshot(conn, row, viewer, events, recused=recused)

    def approval_status(self, case_id: int) -> list[tuple[str, str, Approvals]]:
        """(event, label, progress) of every multi-approval event open in the case's state.

        For display to anyone who reads the case (who signed, who is still awaited).
        """
        self.ensure_ready()
        with self.db.connect() as conn:
            row = self.store.load_case(conn, case_id)
            if row.final:
                return []
            d = self.registry.get(row.definition_key, row.definition_version)
            facts = self.store.facts(conn, row)
            out = []
            for t in d.transitions_from(row.state):
                if t.approvals is None:
                    continue
                required, expected = required_approvals(t, facts)
                given = approvers_so_far(t, facts)
                out.append((t.trigger, t.label, Approvals(required, len(given), tuple(given),
                                                          tuple(m for m in expected if m not in given))))
            return out

    # --- verification ---------------------------------------------------------------------------------

    def verify(self, progress: Any = None) -> VerifyReport:
        from .verify import verify_all

        with self.db.connect() as conn:
            return verify_all(conn, self.settings.head_key, self.registry, progress)

    def verify_case(self, case_id: int) -> VerifyReport:
        """Verify one case's chain, head and ledger entry (the case page's 核验 status)."""
        from .verify import verify_case

        with self.db.connect() as conn:
            return verify_case(conn, self.settings.head_key, self.registry, case_id)


def _depends_on(spec: Any, params: Mapping[str, Any], own_fields: set[str]) -> bool:
    for key, p in spec.params.items():
        if p.kind in ("field", "fields"):
            value = params.get(key)
            values = value if isinstance(value, list) else [value]
            if any(v in own_fields for v in values):
                return True
    return False

