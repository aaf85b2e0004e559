"""Generated permission tables: every (definition, state, event, role) is allowed or refused.

The expectations below are written by hand from procedures.md, independently of the YAML: adding
a role to an event, an event to a state, or a new event, without updating this table fails.
"""

from __future__ import annotations

from typing import Any

import pytest

from workflow import PermissionDenied
from workflow.definition.schema import ProcessDefinition
from workflow.loading import load
from workflow.policy.acting import CaseFacts
from workflow.policy.acting import check_actor
from workflow.settings import DEFAULT_DEFINITIONS
from workflow.types import Actor

from .helpers import ROLES

OFF, REV, REC, P, INS = "officer", "reviewer", "recommender", "panelist", "inspector"

# definition -> event -> (roles that may fire it, {source states}, named-actor field or None)
EXPECTED: dict[str, dict[str, tuple[set[str], set[str], str | None]]] = {
    "signed_recommendation": {
        "submit": ({REC}, {"draft"}, "recommender"),
        "withdraw": ({REC}, {"draft", "submitted"}, "recommender"),
        "return": ({OFF}, {"submitted"}, None),
        "register": ({OFF}, {"submitted"}, None),
        "start_review": ({OFF}, {"registered"}, None),
        "include": ({REV}, {"qualification_review"}, None),
        "not_include": ({REV}, {"qualification_review"}, None),
        "return_review": ({REV}, {"qualification_review"}, None),
        "cancel": ({OFF}, {"registered", "qualification_review"}, None),
    },
    "collective_interview": {
        "schedule": ({OFF}, {"planning", "scheduled"}, None),
        "adjust_panel": ({OFF}, {"scheduled", "scoring"}, None),
        "begin_interview": ({OFF}, {"scheduled"}, None),
        "score": ({P}, {"scoring"}, "panel"),
        "close_scoring": ({OFF}, {"scoring"}, None),
        "record_minutes": ({OFF}, {"scored"}, None),
        "approve": ({REV}, {"minutes"}, None),
        "return": ({REV}, {"minutes"}, None),
        "cancel": ({OFF}, {"planning", "scheduled", "scoring"}, None),
    },
    "daily_inspection": {
        "record": ({OFF, INS}, {"open"}, None),
        "analyze": ({OFF}, {"open"}, None),
        "file": ({REV}, {"analysis"}, None),
        "return": ({REV}, {"analysis"}, None),
        "cancel": ({OFF}, {"open", "analysis"}, None),
    },
    "special_inspection": {
        "form_team": ({OFF}, {"initiated"}, None),
        "adjust_team": ({OFF}, {"team_formed", "investigating", "signing"}, None),
        "begin": ({OFF}, {"team_formed"}, None),
        "record": ({INS}, {"investigating"}, "team"),
        "draft_report": ({INS}, {"investigating"}, "team_leader"),
        "sign_report": ({INS}, {"signing"}, "team"),
        "approve": ({REV}, {"reported"}, None),
        "return": ({REV}, {"reported"}, None),
        "cancel": ({OFF}, {"initiated", "team_formed", "investigating", "signing"}, None),
    },
    "pre_appointment_inspection": {
        "form_team": ({OFF}, {"plan"}, None),
        "adjust_team": ({OFF}, {"team_formed", "announced", "investigating", "checks", "feedback"}, None),
        "announce": ({OFF}, {"team_formed"}, None),
        "begin": ({OFF}, {"announced"}, None),
        "record_evaluation": ({INS}, {"investigating"}, "team"),
        "to_checks": ({OFF}, {"investigating"}, None),
        "record_checks": ({OFF}, {"checks"}, None),
        "material": ({INS}, {"checks"}, "team"),
        "withdraw_material": ({INS}, {"material"}, "team_leader"),
        "sign_material": ({INS}, {"material"}, "team"),
        "feedback": ({INS}, {"feedback"}, "team"),
        "report": ({INS}, {"feedback"}, "team_leader"),
        "conclude": ({REV}, {"reported"}, None),
        "return_material": ({REV}, {"reported"}, None),
        "terminate": ({OFF, REV}, {"plan", "team_formed", "announced", "investigating", "checks", "material",
                               "feedback", "reported"}, None),
    },
    "comprehensive_evaluation": {
        "link": ({OFF}, {"collecting"}, None),
        "evaluate": ({OFF}, {"collecting"}, None),
        "draft_rating": ({OFF}, {"evaluating"}, None),
        "rate": ({REV}, {"evaluating"}, None),
        "return": ({REV}, {"evaluating"}, None),
        "cancel": ({OFF}, {"collecting", "evaluating"}, None),
    },
    "error_tolerance_review": {
        "apply": ({OFF}, {"draft"}, None),
        "withdraw": ({OFF}, {"draft", "applied"}, None),
        "accept": ({REV}, {"applied"}, None),
        "refuse": ({REV}, {"applied"}, None),
        "investigate": ({OFF}, {"accepted", "investigating"}, None),
        "determine": ({REV}, {"investigating"}, None),
        "notify": ({OFF}, {"determined"}, None),
        "appeal": ({OFF}, {"notified"}, None),
        "review": ({REV}, {"appealed"}, None),
        "correct": ({OFF}, {"notified"}, None),
        "follow_up": ({OFF}, {"correcting"}, None),
        "close": ({OFF}, {"correcting"}, None),
        "cancel": ({OFF, REV}, {"accepted", "investigating"}, None),
    },
    "selection_appointment": {
        "approve_plan": ({REV}, {"motion"}, None),
        "recommend": ({OFF}, {"recommendation"}, None),
        "approve_exceptional": ({OFF}, {"recommendation", "candidates"}, None),
        "set_candidates": ({REV}, {"recommendation"}, None),
        "start_inspection": ({OFF}, {"candidates"}, None),
        "to_deliberation": ({OFF}, {"inspection"}, None),
        "consult": ({OFF}, {"deliberation"}, None),
        "decide": ({REV}, {"deliberation"}, None),
        "decide_failed": ({REV}, {"deliberation"}, None),
        "postpone": ({REV}, {"deliberation"}, None),
        "resume": ({OFF}, {"postponed"}, None),
        "publish_notice": ({OFF}, {"decided"}, None),
        "appoint": ({OFF}, {"public_notice", "decided"}, None),
        "nominate": ({OFF}, {"public_notice", "decided"}, None),
        "elect": ({OFF}, {"nominated"}, None),
        "fail_election": ({OFF}, {"nominated"}, None),
        "npc_appoint": ({OFF}, {"nominated"}, None),
        "npc_not_appoint": ({OFF}, {"nominated"}, None),
        "not_appoint": ({REV}, {"deliberation", "postponed", "decided", "public_notice"}, None),
        "confirm": ({REV}, {"probation"}, None),
        "dismiss_trial": ({REV}, {"probation"}, None),
        "withdraw": ({OFF}, {"motion", "recommendation", "candidates", "inspection"}, None),
    },
}
START_ROLES = {"signed_recommendation": {REC, OFF}}

REGISTRY, POLICY = load(DEFAULT_DEFINITIONS)
DEFINITIONS = {key: REGISTRY.get(key) for key in EXPECTED}


def _cells() -> list[Any]:
    out = []
    for key, d in DEFINITIONS.items():
        events = sorted({t.trigger for t in d.transitions} | set(EXPECTED[key]))
        for state in d.states:
            for event in events:
                for role in ROLES:
                    out.append(pytest.param(key, state.name, event, role, id=f"{key}-{state.name}-{event}-{role}"))
    return out


def _facts(d: ProcessDefinition, state: str, username: str) -> CaseFacts:
    """A case in ``state`` where ``username`` is named in every user field (a panel, a team, ...)."""
    data: dict[str, Any] = {}
    for f in d.all_fields():
        if f.type == "user":
            data[f.name] = [username] if f.multiple else username
    return CaseFacts(1, state, data, frozenset(), lambda: [])


def may_fire(d: ProcessDefinition, state: str, event: str, actor: Actor, named: bool = True) -> bool:
    t = d.transition(event, state)
    if t is None:
        return False
    facts = _facts(d, state, actor.username if named else "somebody_else")
    try:
        check_actor(d, t, actor, facts, POLICY)
    except PermissionDenied:
        return False
    return True


@pytest.mark.parametrize(("key", "state", "event", "role"), _cells())
def test_permission_table(key: str, state: str, event: str, role: str) -> None:
    d = DEFINITIONS[key]
    assert event in EXPECTED[key], f"{key}: event {event} has no expected permissions in this table"
    roles, sources, named = EXPECTED[key][event]
    expected = role in roles and state in sources
    actor = Actor(f"u_{role}", role, frozenset({role}))
    assert may_fire(d, state, event, actor) is expected
    if expected and named:
        assert not may_fire(d, state, event, actor, named=False), f"{event} must be limited to the {named}"


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_every_table_event_exists(key: str) -> None:
    assert set(EXPECTED[key]) == {t.trigger for t in DEFINITIONS[key].transitions}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_who_may_open_a_case(key: str) -> None:
    assert set(DEFINITIONS[key].start.roles) == START_ROLES.get(key, {OFF})


def test_auditor_and_admin_can_do_nothing_even_with_every_role_named() -> None:
    for d in DEFINITIONS.values():
        for t in d.transitions:
            for role in ("auditor", "admin"):
                assert not may_fire(d, t.sources[0], t.trigger, Actor("x", "x", frozenset({role})))
