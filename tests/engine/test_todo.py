"""The inbox (todo) equals checking every case with Engine.actions, in the same order, page by page.

A case is in the inbox of those who hold it: they may fire a forward event (not only 撤回/撤销)
and have not signed the state's 会签.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

from workflow import Actor
from workflow import CaseNotFound
from workflow import Engine
from workflow import FixedClock
from workflow.queries.lists import needs_only_role

from .helpers import actors
from .helpers import new_case
from .helpers import to_state

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def every_case(engine: Engine, actor: Actor, count: int) -> list[int]:
    """The todo computed the slow way: every case, the engine's own checks, the documented order."""
    found = []
    for case_id in range(1, count + 1):
        try:
            case = engine.get_case(case_id, actor)
        except CaseNotFound:  # a case the actor may not see is never in their inbox
            continue
        forward = [x for x in engine.actions(case_id, actor)[0] if x.kind not in ("withdraw", "cancel")]
        signed = any(actor.username in p.approvers for _, _, p in engine.approval_status(case_id, actor))
        if not case.final and forward and not signed:
            found.append(case)
        assert (actor.username in case.holders) == (case in found)
    found.sort(key=lambda c: (c.due_at is None, c.due_at or _EPOCH, -c.updated_at.timestamp(), -c.id))
    return [c.id for c in found]


def test_todo_matches_the_engine_checks_on_every_case(test_engine: Engine, clock: FixedClock) -> None:
    a = actors(test_engine)
    made = []
    for i, state in enumerate(["draft", "submitted", "meeting", "scoring", "signing", "scoring", "draft",
                               "meeting", "submitted", "signing", "draft"]):
        clock.advance(hours=1 + i % 3)
        made.append(to_state(test_engine, a, state))
    both = new_case(test_engine, a)  # "both" (officer + reviewer) submits: separation of duties on decide
    clock.advance(hours=2)
    both = test_engine.fire(both.id, "submit", a["both"], {"panel": ["p1", "p2"], "team": ["i1", "i2"],
                                                          "notice_date": "2026-11-20"}, both.version).case
    test_engine.fire(both.id, "to_meeting", a["off"], {}, both.version)
    test_engine.add_recusal(made[0].id, "off", "与考察对象有亲属关系", a["off2"])
    test_engine.add_recusal(made[1].id, "rev", "与考察对象有亲属关系", a["off"])
    test_engine.fire(made[3].id, "score", a["p1"], {"score": 80}, made[3].version)
    test_engine.fire(made[6].id, "withdraw", a["off"], {"reason": "不再办理"}, made[6].version)  # final
    count = len(made) + 1
    for who in ("off", "off2", "rev", "both", "p1", "p2", "i1", "i2", "aud", "adm"):
        actor = a[who]
        expected = every_case(test_engine, actor, count)
        items, total = test_engine.todo(actor)
        assert ([c.id for c in items], total) == (expected, len(expected)), who
        for case in items:
            assert case.available_events == test_engine.get_case(case.id, actor).available_events
        pages = [c.id for n in range(1, 5) for c in test_engine.todo(actor, n, 3)[0]]
        assert pages == expected, who


def test_needs_only_role_reads_the_rules_that_look_at_the_case(test_engine: Engine) -> None:
    a = actors(test_engine)
    reg, policy = test_engine.registry, test_engine.policy
    d = reg.get("review")

    def only_role(state: str, who: str) -> bool:
        return needs_only_role(reg, d, state, policy.acting_roles(a[who]))

    assert not only_role("draft", "off")      # submit has a guard; withdraw is not moving forward
    assert not only_role("submitted", "off")  # to_meeting has a guard; withdraw is not moving forward
    assert only_role("meeting", "rev")        # return: the role is enough (decide is not)
    assert not only_role("scoring", "p1")     # score: named actors, once per actor
    assert not only_role("signing", "i1")     # sign: approvals by named members
    assert not only_role("draft", "aud")
