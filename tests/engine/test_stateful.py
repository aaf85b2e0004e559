"""Property: random events by random actors never break the machine or the history.

After every step (with a fresh engine reloading everything from the database):
the case is in a state of the definition, reached only along its transitions;
no history event is lost or duplicated; the chain verifies.
"""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine
from hypothesis.stateful import initialize
from hypothesis.stateful import invariant
from hypothesis.stateful import precondition
from hypothesis.stateful import rule

from workflow import Engine
from workflow import FixedClock
from workflow import Settings
from workflow import WorkflowError
from workflow.loading import load

from ..conftest import DEFAULT_NOW
from ..conftest import HEAD_KEY
from ..conftest import TEST_DEFINITIONS
from ..conftest import Databases
from .helpers import USERS
from .helpers import actors

REGISTRY = load(TEST_DEFINITIONS)[0]
DEFINITION = REGISTRY.get("review")
EVENTS = sorted({t.trigger for t in DEFINITION.transitions})
ALLOWED_MOVES = {(s, t.dest, t.trigger) for t in DEFINITION.transitions for s in t.sources}
PAYLOADS: dict[str, list[dict[str, Any]]] = {
    "submit": [{"panel": ["p1", "p2"], "team": ["i1", "i2"], "notice_date": "2026-11-20"},
               {"panel": ["p1"], "team": ["i1"], "notice_date": "2026-11-20"}, {}],
    "withdraw": [{"reason": "不再办理"}, {}],
    "to_meeting": [{}],
    "return": [{"return_reason": "补充材料"}, {"return_reason": ""}],
    "decide": [{"members_total": 9, "members_present": 6, "votes_for": 5},
               {"members_total": 9, "members_present": 5, "votes_for": 5}, {"members_total": "x"}],
    "score": [{"score": 88}, {"score": 101}],
    "close_scoring": [{}],
    "sign": [{}],
}


class CaseMachineTest(RuleBasedStateMachine):
    databases: Databases

    def __init__(self) -> None:
        super().__init__()
        self.clock = FixedClock(DEFAULT_NOW)
        self.url = self.databases.sqlite()
        self.engine = self._engine()
        self.actors = actors(self.engine)
        self.case_ids: list[int] = []
        self.expected_events: dict[int, int] = {}
        self.states: dict[int, str] = {}

    def _engine(self) -> Engine:
        eng = Engine(Settings(database_url=self.url, head_key=HEAD_KEY, definitions_dir=TEST_DEFINITIONS),
                     clock=self.clock)
        eng.sync_definitions()
        return eng

    @initialize()
    def open_case(self) -> None:
        case = self.engine.start_case("review", self.actors["off"], title=f"案件{uuid.uuid4().hex[:4]}",
                                      data={"summary": "s"})
        self.case_ids.append(case.id)
        self.expected_events[case.id] = 1
        self.states[case.id] = case.state

    @precondition(lambda self: len(self.case_ids) < 3)
    @rule()
    def another_case(self) -> None:
        self.open_case()

    @rule(index=st.integers(0, 10), event=st.sampled_from(EVENTS), who=st.sampled_from(sorted(USERS)),
          payload=st.integers(0, 2), stale=st.booleans())
    def fire_anything(self, index: int, event: str, who: str, payload: int, stale: bool) -> None:
        """Any event by anyone: mostly refused, and a refusal must change nothing."""
        self._fire(self.case_ids[index % len(self.case_ids)], event, who, payload, stale)

    @rule(index=st.integers(0, 10), steps=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3),
                                                           st.sampled_from([0, 0, 0, 1, 2])), max_size=10))
    def fire_plausible(self, index: int, steps: list[tuple[int, int, int]]) -> None:
        """A run of events possible from the current state, each by someone holding one of its roles."""
        case_id = self.case_ids[index % len(self.case_ids)]
        backwards = ("withdraw", "return", "cancel", "reject")
        for pick, who, payload in steps:
            options = sorted(DEFINITION.transitions_from(self.states[case_id]), key=lambda t: t.kind in backwards)
            if not options:
                return
            t = options[pick % len(options)]
            people = sorted((u for u, roles in USERS.items() if set(roles) & set(t.roles)),
                            key=lambda u: (len(USERS[u]), u))
            self._fire(case_id, t.trigger, people[who % len(people)], payload, False)

    def _fire(self, case_id: int, event: str, who: str, payload: int, stale: bool) -> None:
        before = self.engine.get_case(case_id)
        options = PAYLOADS[event]
        data = options[payload % len(options)]
        version = before.version - 1 if stale else before.version
        try:
            result = self.engine.fire(case_id, event, self.actors[who], data, version)
        except WorkflowError:
            after = self.engine.get_case(case_id)
            assert (after.state, after.version) == (before.state, before.version)
            return
        assert not stale
        if result.waiting is not None:  # a signature recorded; the move waits for the others
            assert result.case.state == before.state
            assert any((before.state, event) == (src, trig) for src, _, trig in ALLOWED_MOVES)
        else:
            assert (before.state, result.case.state, event) in ALLOWED_MOVES
        assert result.case.version == before.version + 1
        self.expected_events[case_id] += 1
        self.states[case_id] = result.case.state

    @rule(days=st.integers(1, 5))
    def time_passes(self, days: int) -> None:
        self.clock.advance(days=days)

    @invariant()
    def reload_and_check(self) -> None:
        self.engine.dispose()
        self.engine = self._engine()
        for case_id in self.case_ids:
            case = self.engine.get_case(case_id)
            assert DEFINITION.state(case.state) is not None
            assert case.state == self.states[case_id]
            history = self.engine.history(case_id)
            assert [e.seq for e in history] == list(range(1, self.expected_events[case_id] + 1))
        assert self.engine.verify().ok

    def teardown(self) -> None:
        self.engine.dispose()


def test_random_walks_keep_the_machine_and_history_sound(databases: Databases) -> None:
    CaseMachineTest.databases = databases
    run = CaseMachineTest.TestCase
    run.settings = settings(max_examples=25, stateful_step_count=30, deadline=None,
                            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    run().runTest()
