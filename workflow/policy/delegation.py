"""委托: whether a delegate may fire an event for the user who delegated to them.

A delegation lends the delegator's place on a case, never the rules: the event must be one the
delegator could fire now (role, named actors, separation of duties, 会签 not yet signed by them),
and one the delegate could fire if it were theirs (the role, not recused, not barred by separation
of duties, not having signed the same 会签 for themselves or anyone else). Whether both see the
case is the caller's (``Policy.may_work_on``): delegation never widens need-to-know.
"""

from __future__ import annotations

from ..definition.schema import ProcessDefinition
from ..definition.schema import TransitionDef
from ..errors import PermissionDenied
from ..steps import effective
from ..types import Actor
from . import RECUSAL_SOURCE
from . import Policy
from .acting import CaseFacts
from .acting import approvers_so_far
from .acting import check_actor
from .acting import did
from .acting import signed_in_person


def check_delegated(d: ProcessDefinition, t: TransitionDef, delegate: Actor, delegator: Actor, facts: CaseFacts,
                    policy: Policy) -> str:
    """The role ``delegate`` fires ``t`` in for ``delegator``, or PermissionDenied saying why."""
    who = delegator.display
    if delegate.username in facts.recused:
        raise PermissionDenied(f"您已回避本案件，不能代{who}办理（回避制度，{RECUSAL_SOURCE}）")
    if delegator.username in facts.recused:
        raise PermissionDenied(f"委托人{who}已回避本案件，受托人也不能代其办理（回避制度，{RECUSAL_SOURCE}）")
    try:
        role = check_actor(d, t, delegator, facts, policy)
    except PermissionDenied as exc:
        raise PermissionDenied(f"代{who}办理：{exc.message}") from exc
    if role not in policy.acting_roles(delegate):
        raise PermissionDenied(f"代{who}办理：“{t.label}”须由{policy.role_label(role)}办理，您没有该角色")
    if t.distinct_from:
        done = {h.event for h in effective(facts.history) if did(h, delegate.username) and h.event in t.distinct_from
                and h.type in ("transition_fired", "approval_recorded")}
        if done:
            labels = "、".join(sorted(ts[0].label if (ts := d.transitions_named(e)) else e for e in done))
            raise PermissionDenied(f"职责分离：办理过“{labels}”的人员不得再办理“{t.label}”，代{who}办理亦同")
    if t.approvals is not None and (delegate.username in approvers_so_far(t, facts)
                                    or delegate.username in signed_in_person(t, facts)):
        raise PermissionDenied(f"您已签署“{t.label}”，每人只能签署一次，不能再代{who}签署")
    if t.once_per_actor and any(did(h, delegate.username) and h.event == t.trigger for h in facts.since_entering()):
        raise PermissionDenied(f"您已办理过“{t.label}”，每人只能办理一次，不能再代{who}办理")
    return role
