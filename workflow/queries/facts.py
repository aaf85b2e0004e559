"""What rules read about a case, on the caller's connection: facts, the guard context, lookups.

Commands (inside their write transaction) and queries (inside their read
snapshot) build these the same way, so a check evaluated when the engine lists
what a user may do is the check ``fire`` enforces.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Connection

from ..clock import Clock
from ..clock import local_today
from ..definition import DefinitionRegistry
from ..definition.schema import ProcessDefinition
from ..definition.schema import TransitionDef
from ..errors import CalendarError
from ..errors import GuardFailed
from ..extensions import Registry
from ..extensions import rule_value
from ..extensions.context import GuardContext
from ..extensions.context import PersonCase
from ..people.fields import LABELS as PERSON_LABELS
from ..persistence import cases as store
from ..persistence.visibility import people_conditions
from ..policy import RECUSAL_SOURCE
from ..policy import Policy
from ..policy.acting import CaseFacts
from ..steps import SIGNER_ADDED
from ..types import Actor
from ..types import LinkedCase


def case_facts(conn: Connection, row: Any, recused: frozenset[str] | None = None) -> CaseFacts:
    """The facts permission checks read; history is loaded only if a check needs it."""
    if recused is None:
        recused = getattr(row, "recused_names", None)  # read with a locked row
    if recused is None:
        recused = store.recused(conn, row.id)
    return CaseFacts(row.id, row.state, dict(row.data or {}), recused, lambda: store.history_items(conn, row.id))


def linked_case(registry: DefinitionRegistry, r: Any) -> LinkedCase:
    label = r.state
    data = r.data or {}
    labels: dict[str, str] = {}
    if registry.has(r.definition_key, r.definition_version):
        d = registry.get(r.definition_key, r.definition_version)
        label = d.state_label(r.state)
        labels = choice_labels(d, data)
    return LinkedCase(r.target_id, r.definition_key, r.relation, r.state, label, bool(r.final), r.subject_id,
                      data, labels)


def choice_labels(d: ProcessDefinition, data: Mapping[str, Any]) -> dict[str, str]:
    """The label of each single choice value in ``data`` (a refusal names a linked case's conclusion by it)."""
    out: dict[str, str] = {}
    for f in d.all_fields():
        value = data.get(f.name)
        if f.name in out or not f.choices or isinstance(value, (list, dict)) or value is None:
            continue
        if any(c.value == value for c in f.choices):
            out[f.name] = f.choice_label(value)
    return out


def guard_context(conn: Connection, registry: DefinitionRegistry, clock: Clock, row: Any, d: ProcessDefinition,
                  actor: Actor, data: Mapping[str, Any], facts: CaseFacts) -> GuardContext:
    case_data = dict(row.data or {})
    case_data.setdefault("_title", row.title)
    return GuardContext(
        case_id=row.id, definition=d.key, state=row.state, case_data=case_data, data=data, actor=actor,
        now=clock.now(), today=local_today(clock), subject_id=row.subject_id, recused=facts.recused,
        _calendar=lambda: store.work_calendar(conn), _history=lambda: facts.history,
        _links=lambda: [linked_case(registry, r) for r in store.links(conn, row.id)],
        _person=lambda: store.person_facts(conn, row.subject_id),
        _marks=lambda: store.marks(conn, row.subject_id), field_label=d.field_label, choice_label=d.choice_label,
        _person_of=lambda pid: store.person_facts(conn, pid), _marks_of=lambda pid: store.marks(conn, pid),
        _person_cases=lambda: person_cases(conn, registry, row.subject_id, row.id),
        person_label=lambda name: PERSON_LABELS.get(name, name),
    )


CHOSEN = "chosen_id"  # selection_appointment v4: the 表决人选 a 差额 decision chose


def _chosen(row: Any) -> Any:
    value = (row.data or {}).get(CHOSEN)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def person_cases(conn: Connection, registry: DefinitionRegistry, subject_id: int | None,
                 case_id: int | None) -> list[PersonCase]:
    """The person's other cases, oldest first. A 差额 selection belongs to the candidate its decision
    chose (``chosen_id``), reached through the 任前考察 it opened on them, not to its subject when that
    is someone else: its 试用期 is the chosen person's."""
    own = store.subject_cases(conn, subject_id, case_id)
    parents = [link.target_id for found in store.links_many(conn, [r.id for r in own]).values()
               for link in found if link.relation == "parent"]
    rows = store.load_cases(conn, [r.id for r in own] + parents)
    theirs = [r for r in rows.values() if r.id != case_id and (
        _chosen(r) == subject_id if r.subject_id != subject_id else _chosen(r) in (None, subject_id))]
    out = []
    for r in sorted(theirs, key=lambda r: r.id):
        label = r.state
        if registry.has(r.definition_key, r.definition_version):
            label = registry.get(r.definition_key, r.definition_version).state_label(r.state)
        out.append(PersonCase(r.id, r.definition_key, r.state, label, r.title))
    return out


def evaluate(guards: Registry, t: TransitionDef, ctx: GuardContext, *, only_static: bool) -> list[str]:
    """Every failing guard of ``t`` as ``rule（source）：figure``.

    With ``only_static`` the guards that read a field the event itself submits are
    skipped (they can only be judged when the event is fired).
    """
    failures = []
    blocked = recused_signers(t, ctx)
    if blocked:
        failures.append(blocked)
    own_fields = {f.name for f in t.fields}
    for ref in t.conditions:
        spec = guards[ref.name]
        params = spec.with_defaults(ref.params)
        if only_static and _depends_on(spec.params, params, own_fields):
            continue
        try:
            detail = spec.fn(ctx, params)
        except CalendarError as exc:
            detail = exc.message
        if detail is not None:
            rule = ref.rule.format(**{k: rule_value(v) for k, v in params.items()})
            failures.append(f"{rule}（{ref.source}）：{detail}")
    return failures


def has_checks(t: TransitionDef) -> bool:
    """Whether ``evaluate`` has anything to check for ``t`` (else a caller may skip building a context)."""
    return bool(t.conditions) or t.approvals is not None


def recused_signers(t: TransitionDef, ctx: GuardContext) -> str | None:
    """Recusal does not shrink a requirement: an event every member of a field must sign waits
    while any of them is recused, until an event replaces that member (adjusting the team)."""
    if t.approvals is None:
        return None
    added = [str(h.data.get("username")) for h in ctx.events_since_entering()
             if h.type == SIGNER_ADDED and h.data.get("event") == t.trigger]
    late = [n for n in added if n in ctx.recused]
    if late:
        return (f"“{t.label}”的加签人员{'、'.join(late)}已回避本案件，回避不减少应签署人数（回避制度，"
                f"{RECUSAL_SOURCE}），本环节须退回或另行处理")
    field = t.approvals.members_field
    if not field:
        return None
    value = ctx.case_data.get(field)
    names = [str(v) for v in value] if isinstance(value, list) else [str(value)] if value else []
    bad = [n for n in names if n in ctx.recused]
    if not bad:
        return None
    label = ctx.field_label(field)
    return (f"“{t.label}”须由{label}全体签署，回避不减少应签署人数（回避制度，{RECUSAL_SOURCE}）："
            f"{'、'.join(bad)}已回避本案件，须先调整{label}、更换该成员")


def enforce(guards: Registry, t: TransitionDef, ctx: GuardContext) -> None:
    failures = evaluate(guards, t, ctx, only_static=False)
    if failures:
        raise GuardFailed(failures)


def _depends_on(spec_params: Mapping[str, Any], params: Mapping[str, Any], own_fields: set[str]) -> bool:
    for key, p in spec_params.items():
        if p.kind in ("field", "fields"):
            value = params.get(key)
            values = value if isinstance(value, list) else [value]
            if any(v in own_fields for v in values):
                return True
    return False


class Lookups:
    """``fields.Lookups`` over one connection and (optionally) one case, for ``viewer`` (a person they
    may not see is as good as missing)."""

    def __init__(self, conn: Connection, case_id: int | None, recused: frozenset[str], policy: Policy,
                 viewer: Actor | None = None) -> None:
        self.conn = conn
        self.case_id = case_id
        self.recused = recused
        self.policy = policy
        self.viewer = viewer

    def user_roles(self, username: str) -> frozenset[str] | None:
        return store.user_roles(self.conn, username)

    def is_recused(self, username: str) -> bool:
        return username in self.recused

    def person_exists(self, person_id: int) -> bool:
        visible = people_conditions(self.conn, self.policy.people_visibility(self.viewer))
        return store.person_exists(self.conn, person_id, visible)

    def attachment_on_case(self, attachment_id: int) -> bool:
        return self.case_id is not None and store.attachment_on_case(self.conn, self.case_id, attachment_id)

    def role_label(self, role: str) -> str:
        return self.policy.role_label(role)

