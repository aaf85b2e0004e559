"""Who may fire an event on a case: roles, recusal, named actors, separation of duties.

Deny by default. Every refusal says why in Chinese. These checks need only the
case row, its recusals and (sometimes) its history; ``CaseFacts`` loads them.
Which of the actor's roles may act at all is the policy's (roles.yaml).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from ..definition.schema import ProcessDefinition
from ..definition.schema import TransitionDef
from ..errors import PermissionDenied
from ..steps import SIGNER_ADDED
from ..steps import effective
from ..steps import since_entering
from ..types import Actor
from ..types import HistoryItem
from . import RECUSAL_SOURCE
from . import Policy


@dataclass
class CaseFacts:
    """What permission checks read about one case; history is loaded only if needed."""

    case_id: int
    state: str
    data: dict[str, Any]
    recused: frozenset[str]
    load_history: Callable[[], list[HistoryItem]]
    _history: list[HistoryItem] | None = field(default=None)

    @property
    def history(self) -> list[HistoryItem]:
        if self._history is None:
            self._history = self.load_history()
        return self._history

    def since_entering(self) -> list[HistoryItem]:
        """The events since the case entered its state, withdrawn steps left out (``steps``)."""
        return since_entering(self.history, self.state)


def members(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str) and value:
        return [value]
    return []


def approvers_so_far(t: TransitionDef, facts: CaseFacts) -> list[str]:
    """Who has signed ``t`` since the case entered its state.

    For an event every member of a field signs, only the signatures of users listed now (or
    added, 加签) count: re-forming the team in the same state (调整考察组) keeps the signatures
    of the members who stay and drops those of the members taken off. A signature a delegate
    made (委托) is the delegator's.
    """
    given = [h.principal for h in facts.since_entering() if h.event == t.trigger and h.type == "approval_recorded"]
    if t.approvals is not None and t.approvals.members_field:
        expected = set(required_approvals(t, facts)[1])
        given = [g for g in given if g in expected]
    return given


def signed_in_person(t: TransitionDef, facts: CaseFacts) -> set[str]:
    """Who put their hand to ``t`` since the case entered its state, for themselves or for another (委托)."""
    return {h.actor for h in facts.since_entering() if h.event == t.trigger and h.type == "approval_recorded"}


def did(h: HistoryItem, username: str) -> bool:
    """Whether ``username`` did the step ``h``: fired it, or a delegate fired it for them (委托)."""
    return h.actor == username or h.on_behalf_of == username


def added_signers(t: TransitionDef, facts: CaseFacts) -> list[str]:
    """The signers added (加签) to ``t`` since the case entered its state, in order."""
    return list(dict.fromkeys(str(h.data.get("username")) for h in facts.since_entering()
                              if h.type == SIGNER_ADDED and h.data.get("event") == t.trigger))


def required_approvals(t: TransitionDef, facts: CaseFacts) -> tuple[int, list[str]]:
    """(how many approvals, who is expected) for a multi-approval event.

    Every member listed is expected, recused or not: a recusal does not shrink the requirement
    (the event waits until the members are re-formed; ``queries.facts.recused_signers``). Each
    signer added (加签) is expected too and adds one to the requirement.
    """
    if t.approvals is None:
        return 1, []
    added = added_signers(t, facts)
    if t.approvals.members_field:
        expected = list(dict.fromkeys(members(facts.data.get(t.approvals.members_field)) + added))
        return max(len(expected), 1), expected
    return (t.approvals.count or 1) + len(added), added


def awaited(t: TransitionDef, facts: CaseFacts, given: list[str]) -> tuple[int, list[str]]:
    """(how many approvals, who named is still awaited) once ``given`` have signed.

    The event completes when ``given`` reaches the requirement and nobody named is awaited.
    """
    required, expected = required_approvals(t, facts)
    return required, [m for m in expected if m not in given]


def check_actor(d: ProcessDefinition, t: TransitionDef, actor: Actor, facts: CaseFacts, policy: Policy) -> str:
    """Return the role the actor acts in, or raise PermissionDenied."""
    acting = policy.acting_roles(actor)
    if not acting:
        policy.require(actor, "act")
    role = next((r for r in t.roles if r in acting), None)
    if role is None:
        raise PermissionDenied(f"“{t.label}”须由{policy.roles_text(t.roles)}办理")
    if actor.username in facts.recused:
        raise PermissionDenied(f"您已回避本案件，不能办理（回避制度，{RECUSAL_SOURCE}）")
    if t.actors_field:
        allowed = members(facts.data.get(t.actors_field))
        if actor.username not in allowed:
            raise PermissionDenied(f"只有本案件“{d.field_label(t.actors_field)}”所列人员才能办理“{t.label}”")
    if t.distinct_from:
        done = {h.event for h in effective(facts.history)
                if did(h, actor.username) and h.event in t.distinct_from
                and h.type in ("transition_fired", "approval_recorded")}
        if done:
            labels = "、".join(_event_label(d, e) for e in sorted(done))
            raise PermissionDenied(f"职责分离：办理过“{labels}”的人员不得再办理“{t.label}”")
    if t.approvals is not None:
        _, expected = required_approvals(t, facts)
        if t.approvals.members_field and actor.username not in expected:
            raise PermissionDenied(
                f"只有“{d.field_label(t.approvals.members_field)}”所列人员才能签署“{t.label}”")
        given = approvers_so_far(t, facts)
        if actor.username in given or actor.username in signed_in_person(t, facts):
            raise PermissionDenied(f"您已签署“{t.label}”，每人只能签署一次")
        if not t.approvals.members_field and actor.username not in expected:
            others = [g for g in given if g not in expected]
            if len(others) >= (t.approvals.count or 1):
                raise PermissionDenied(f"“{t.label}”只待加签人员（{'、'.join(expected)}）签署")
    if t.once_per_actor:
        if any(did(h, actor.username) and h.event == t.trigger for h in facts.since_entering()):
            raise PermissionDenied(f"您已办理过“{t.label}”，每人只能办理一次")
    return role


def _event_label(d: ProcessDefinition, trigger: str) -> str:
    ts = d.transitions_named(trigger)
    return ts[0].label if ts else trigger


NOT_HOLDING = frozenset({"cancel", "withdraw"})


def holding(t: TransitionDef) -> bool:
    """Whether firing ``t`` moves a case forward (撤销 and 撤回 only stop or take back a step)."""
    return t.kind not in NOT_HOLDING


def signed_here(moves: list[TransitionDef], actor: Actor, facts: CaseFacts) -> bool:
    """Whether ``actor`` has signed a multi-approval event (会签) open in the case's state."""
    return any(t.approvals is not None and actor.username in approvers_so_far(t, facts) for t in moves)


def holds(moves: list[TransitionDef], allowed: set[str], actor: Actor, facts: CaseFacts) -> bool:
    """Whether ``actor``, who may fire the events ``allowed`` now, holds the case (当前办理人).

    A holder may fire a forward event; a user who has signed the state's 会签 has done their part
    (whatever else they may still fire), and a recused user never holds.
    """
    if actor.username in facts.recused or signed_here(moves, actor, facts):
        return False
    return any(t.trigger in allowed and holding(t) for t in moves)
