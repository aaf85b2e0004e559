"""The inbox (todo) equals checking every case with Engine.actions, in the same order, page by page.

A case is in the inbox of those who hold it: they may fire a forward event (not only 撤回/撤销)
and have not signed the state's 会签.
"""

from __future__ import annotations

import shutil
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.conftest import TEST_DEFINITIONS
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


def test_todo_reads_every_version_and_the_undated_cases_of_a_deadline_state(
        make_engine: Any, tmp_path: Path, clock: FixedClock) -> None:
    """A state held by role alone, with a deadline in version 2 and none in version 1: the inbox
    lists the dated cases in due order and the undated ones (entered under version 1) after them."""
    old = make_engine(TEST_DEFINITIONS)
    a = actors(old)
    undated = [to_state(old, a, "meeting").id for _ in range(2)]
    text = (TEST_DEFINITIONS / "review.yaml").read_text(encoding="utf-8")
    (tmp_path / "review").mkdir()
    (tmp_path / "review" / "v1.yaml").write_text(text, encoding="utf-8")
    shutil.copy(TEST_DEFINITIONS / "parent.yaml", tmp_path / "parent.yaml")
    (tmp_path / "review.yaml").write_text(text.replace("version: 1", "version: 2", 1).replace(
        "{name: meeting, label: 会议研究}", "{name: meeting, label: 会议研究, deadline: {days: 3}}"), encoding="utf-8")
    new = make_engine(tmp_path, url=old.settings.database_url)
    dated = []
    for _ in range(3):
        clock.advance(days=1)
        dated.append(to_state(new, a, "meeting").id)
    expected = every_case(new, a["rev"], len(undated) + len(dated))
    assert expected == dated + undated[::-1]
    items, total = new.todo(a["rev"])
    assert ([c.id for c in items], total) == (expected, 5)
    assert [c.id for n in (1, 2, 3) for c in new.todo(a["rev"], n, 2)[0]] == expected
