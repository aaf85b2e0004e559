"""Reading one case: its snapshot as a viewer may see it, its history, what the viewer may do now.

Every read checks visibility (a case the viewer may not see is CaseNotFound) and
applies the sealing rule (policy.sealing), so the pages, the API and the PDFs
get the same case. The ``*_on`` methods run on the caller's connection (a
command's transaction, or a query that reads several things at once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from typing import Any

from sqlalchemy.engine import Connection

from ..clock import local_today
from ..definition.schema import ProcessDefinition
from ..definition.schema import TransitionDef
from ..errors import CaseNotFound
from ..errors import PermissionDenied
from ..extensions import Registry
from ..persistence import cases as store
from ..persistence import daily
from ..persistence.actors import active_actors
from ..policy import CaseScope
from ..policy import scope_of
from ..policy.acting import CaseFacts
from ..policy.acting import approvers_so_far
from ..policy.acting import holding
from ..policy.acting import holds
from ..policy.acting import required_approvals
from ..policy.acting import signed_here
from ..policy.sealing import SEALED_TEXT
from ..policy.sealing import event_sealed
from ..policy.sealing import hides
from ..policy.sealing import seal_data
from ..policy.withdrawal import withdrawal
from ..service import Service
from ..types import ActionView
from ..types import Actor
from ..types import Approvals
from ..types import CaseSnapshot
from ..types import EventView
from ..types import LinkView
from .delegated import acting_for
from .facts import case_facts
from .facts import evaluate
from .facts import guard_context
from .facts import has_checks
from .facts import linked_case
from .kinship import case_warnings

Blocked = list[tuple[str, str]]


@dataclass(frozen=True)
class CaseReader(Service):
    guards: Registry

    # --- on a connection -----------------------------------------------------------------------------

    def definition(self, row: Any) -> ProcessDefinition:
        return self.registry.get(row.definition_key, row.definition_version)

    def scope(self, conn: Connection, row: Any, recused: frozenset[str]) -> CaseScope:
        """The policy's view of a case row (its organization's path and readers read when not with the row)."""
        path = getattr(row, "org_path", None)
        if path is None:
            path = store.org_paths(conn, [row.org_id]).get(row.org_id, "")
        readers = getattr(row, "reader_names", None)
        if readers is None:
            readers = store.readers(conn, row.id)
        return scope_of(row, self.definition(row), recused, path, readers, daily.copied(conn, row.id))

    def visible(self, conn: Connection, row: Any, viewer: Actor | None, recused: frozenset[str]) -> CaseScope:
        """The case's scope; CaseNotFound unless ``viewer`` may see the case of ``row``."""
        scope = self.scope(conn, row, recused)
        if viewer is not None and not self.policy.may_see(viewer, scope):
            raise CaseNotFound(row.id)
        return scope

    def build_snapshot(self, row: Any, viewer: Actor | None, events: Sequence[str], links: Sequence[Any],
                       recused: frozenset[str], org_path: str = "", readers: frozenset[str] = frozenset(),
                       holders: Sequence[Actor] = ()) -> CaseSnapshot:
        """The snapshot of one case row as ``viewer`` may see it (links, recusals, readers already read)."""
        d = self.definition(row)
        data = seal_data(hides(self.policy, viewer, d, row.state), row.data or {}, viewer)
        views = tuple(LinkView(link.case_id, link.definition, link.relation, link.state, link.state_label)
                      for link in (linked_case(self.registry, r) for r in links))
        overdue = bool(not row.final and row.due_at is not None and row.due_at < self.clock.now())
        return CaseSnapshot(
            id=row.id, definition=row.definition_key, definition_version=row.definition_version,
            definition_title=d.title, title=row.title, state=row.state, state_label=d.state_label(row.state),
            final=row.final, version=row.version, subject_id=row.subject_id, data=data,
            created_by=row.created_by, created_at=row.created_at, updated_at=row.updated_at,
            state_entered_at=row.state_entered_at, due_at=row.due_at, overdue=overdue, links=views,
            available_events=tuple(events), recused=tuple(sorted(recused)), org_id=row.org_id, org_path=org_path,
            readers=tuple(sorted(readers)), holders=tuple(a.username for a in holders),
            holder_names=tuple(a.name or a.username for a in holders),
        )

    def snapshot_on(self, conn: Connection, row: Any, viewer: Actor | None, *, with_actions: bool = True,
                    recused: frozenset[str] | None = None, links: Sequence[Any] | None = None) -> CaseSnapshot:
        if recused is None:
            recused = getattr(row, "recused_names", None)
        if recused is None:
            recused = store.recused(conn, row.id)
        scope = self.visible(conn, row, viewer, recused)
        facts = case_facts(conn, row, recused)
        events: list[str] = []
        if viewer is not None and with_actions:
            events = [a.event for a in self.actions_on(conn, row, viewer, facts)[0]]
        if links is None:
            links = store.links(conn, row.id) if getattr(row, "has_links", True) else []
        return self.build_snapshot(row, viewer, events, links, recused, scope.org_path, scope.readers,
                                   self.holders_on(conn, row, scope, facts))

    def actions_on(self, conn: Connection, row: Any, actor: Actor, facts: CaseFacts | None = None
                   ) -> tuple[list[ActionView], Blocked]:
        """(events ``actor`` may fire now, [(event, why not yet)]). Side-effect free."""
        if row.final or not self.policy.acting_roles(actor):
            return [], []
        d = self.definition(row)
        facts = facts or case_facts(conn, row)
        if actor.username in daily.copied(conn, row.id) and not self.policy.may_work_on(
                actor, self.scope(conn, row, facts.recused)):
            return [], []  # 抄送: read only
        allowed: list[ActionView] = []
        blocked: Blocked = []
        for t in self.registry.machine(d).moves_from(row.state, row.data):
            if not set(t.roles) & actor.roles:
                continue
            why = self._refusal(conn, row, d, t, actor, facts)
            if why is not None:
                if why:
                    blocked.append((t.trigger, why))
                continue
            approvals = _progress(t, facts) if t.approvals is not None else None
            dest = d.state(t.dest)
            allowed.append(ActionView(t.trigger, t.label, t.fields, t.confirm, t.kind, approvals, t.dest,
                                      dest.label if dest else t.dest, self._offers(conn, row, d, t, actor, facts)))
        return allowed, blocked

    def _offers(self, conn: Connection, row: Any, d: ProcessDefinition, t: TransitionDef, actor: Actor,
                facts: CaseFacts) -> dict[str, tuple[Any, ...]]:
        """The values the event's guards can let its fields take (``Spec.offers``), for its form."""
        specs = [(g, self.guards.get(g.name)) for g in t.conditions]
        wanted = [(g, spec) for g, spec in specs if spec is not None and spec.offers is not None]
        if not wanted:
            return {}
        ctx = guard_context(conn, self.registry, self.clock, row, d, actor, {}, facts)
        out: dict[str, tuple[Any, ...]] = {}
        for g, spec in wanted:
            assert spec.offers is not None
            out.update(spec.offers(ctx, spec.with_defaults(g.params)))
        return out

    def _refusal(self, conn: Connection, row: Any, d: ProcessDefinition, t: TransitionDef, actor: Actor,
                 facts: CaseFacts) -> str | None:
        """None when ``actor`` may fire ``t`` now, else why not ("" for a recused actor: nothing to say)."""
        try:
            acting_for(conn, self.policy, d, t, actor, facts, lambda: self.scope(conn, row, facts.recused),
                       local_today(self.clock), copies=False)  # actions_on and holders_on check copies
        except PermissionDenied as exc:
            return "" if actor.username in facts.recused else exc.message
        if not has_checks(t):
            return None
        ctx = guard_context(conn, self.registry, self.clock, row, d, actor, {}, facts)
        failures = evaluate(self.guards, t, ctx, only_static=True)
        return "；".join(failures) if failures else None

    def holds_on(self, conn: Connection, row: Any, actor: Actor, facts: CaseFacts | None = None) -> bool:
        """Whether ``actor`` holds the case now (may move it forward: policy.acting.holds)."""
        if row.final or not self.policy.acting_roles(actor):
            return False
        d = self.definition(row)
        facts = facts or case_facts(conn, row)
        moves = self.registry.machine(d).moves_from(row.state, row.data)
        if actor.username in facts.recused or signed_here(moves, actor, facts):
            return False
        for t in moves:
            if holding(t) and set(t.roles) & actor.roles and self._refusal(conn, row, d, t, actor, facts) is None:
                return holds(moves, {t.trigger}, actor, facts)
        return False

    def holders_on(self, conn: Connection, row: Any, scope: CaseScope, facts: CaseFacts,
                   candidates: Sequence[Actor] | None = None) -> tuple[Actor, ...]:
        """Who holds the case now: the users who may see it and move it forward (``candidates``:
        the active users with the roles of the state's forward events, read when not given)."""
        if row.final:
            return ()
        moves = [t for t in self.registry.machine(self.definition(row)).moves_from(row.state, row.data) if holding(t)]
        roles = {r for t in moves for r in t.roles}
        if candidates is None:
            candidates = active_actors(conn, roles, scope.org_path, scope.org_id, scope.readers)
        return tuple(a for a in candidates if a.roles & roles and self.policy.may_work_on(a, scope)
                     and self.holds_on(conn, row, a, facts))

    def history_on(self, conn: Connection, row: Any, viewer: Actor | None) -> list[EventView]:
        """Every event of the case, sealed entries hidden from ``viewer``."""
        hidden = hides(self.policy, viewer, self.definition(row), row.state)
        out = []
        for r in store.events(conn, row.id):
            sealed = event_sealed(hidden, r.event, r.actor, viewer)
            out.append(EventView(
                seq=r.seq, type=r.type, event=r.event, from_state=r.from_state, to_state=r.to_state,
                actor=r.actor, actor_name=r.actor_name, role=r.role, at=r.at,
                data={} if sealed else dict(r.data or {}), comment=SEALED_TEXT if sealed else r.comment,
                hash=r.hash, prev_hash=r.prev_hash, sealed=sealed, on_behalf_of=r.on_behalf_of,
                on_behalf_of_name=r.on_behalf_of_name or ""))
        return out

    def approvals_on(self, conn: Connection, row: Any) -> list[tuple[str, str, Approvals]]:
        """(event, label, progress) of every multi-approval event open in the case's state."""
        if row.final:
            return []
        facts = case_facts(conn, row)
        return [(t.trigger, t.label, _progress(t, facts))
                for t in self.registry.machine(self.definition(row)).moves_from(row.state, row.data)
                if t.approvals is not None]

    def load_visible(self, conn: Connection, case_id: int, viewer: Actor | None) -> Any:
        row = store.load_case(conn, case_id)
        self.visible(conn, row, viewer, store.recused(conn, case_id))
        return row

    # --- queries of their own -----------------------------------------------------------------------

    def get_case(self, case_id: int, viewer: Actor | None = None) -> CaseSnapshot:
        """The case as ``viewer`` may see it, with the events ``viewer`` may fire now."""
        with self.db.read() as conn:
            row = store.load_case(conn, case_id)
            snap = self.snapshot_on(conn, row, viewer)
            return replace(snap, warnings=case_warnings(conn, self.policy, row, viewer))

    def history(self, case_id: int, viewer: Actor | None = None) -> list[EventView]:
        with self.db.read() as conn:
            return self.history_on(conn, self.load_visible(conn, case_id, viewer), viewer)

    def actions(self, case_id: int, actor: Actor) -> tuple[list[ActionView], Blocked]:
        with self.db.read() as conn:
            return self.actions_on(conn, self.load_visible(conn, case_id, actor), actor)

    def withdrawable(self, case_id: int, actor: Actor) -> str | None:
        """The label of the step ``actor`` may take back now, or None (``policy.withdrawal``)."""
        if not self.policy.acting_roles(actor) or self.policy.read_only(actor):
            return None
        with self.db.read() as conn:
            row = self.load_visible(conn, case_id, actor)
            if actor.username in store.recused(conn, case_id):
                return None
            found = withdrawal(self.definition(row), store.history_items(conn, row.id), row.state, bool(row.final),
                               actor.username)
            return None if isinstance(found, str) else found.label

    def approval_status(self, case_id: int, viewer: Actor | None = None) -> list[tuple[str, str, Approvals]]:
        """Who signed each open multi-approval event and who is still awaited (for anyone who reads the case)."""
        with self.db.read() as conn:
            return self.approvals_on(conn, self.load_visible(conn, case_id, viewer))


def _progress(t: Any, facts: CaseFacts) -> Approvals:
    required, expected = required_approvals(t, facts)
    given = approvers_so_far(t, facts)
    return Approvals(required, len(given), tuple(given), tuple(m for m in expected if m not in given))
