"""Linked cases: a case opens another in the same transaction, and a guard waits for it."""

from __future__ import annotations

import pytest

from workflow import CaseQuery
from workflow import Engine
from workflow import GuardFailed
from workflow import StaleVersion
from workflow.commands import events

from .helpers import actors


def test_a_case_opens_a_linked_case_and_waits_for_it(test_engine: Engine) -> None:
    a = actors(test_engine)
    parent = test_engine.start_case("parent", a["off"], title="主流程")
    parent = test_engine.fire(parent.id, "open_child", a["off"], {}, parent.version).case
    [link] = parent.links
    assert (link.definition, link.relation, link.state) == ("review", "child", "draft")
    child = test_engine.get_case(link.case_id)
    assert child.title == "主流程" and [(x.case_id, x.relation) for x in child.links] == [(parent.id, "parent")]
    assert test_engine.history(child.id)[0].data["opened_by_case"] == parent.id
    assert parent.data["child_case_id"] == child.id
    with pytest.raises(GuardFailed) as err:
        test_engine.fire(parent.id, "finish", a["off"], {}, parent.version)
    assert err.value.failures == [f"子流程办结后方可完成（《测试规则》第五条）：关联案件#{child.id}（起草）尚未完成"]
    assert "finish" not in test_engine.available_events(parent.id, a["off"])
    test_engine.fire(child.id, "withdraw", a["off"], {"reason": "不再需要"}, child.version)
    assert "finish" in test_engine.available_events(parent.id, a["off"])
    done = test_engine.fire(parent.id, "finish", a["off"], {}, parent.version).case
    assert done.state == "done" and test_engine.verify().ok


def test_a_failure_after_the_actions_rolls_back_the_child_too(test_engine: Engine,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """One transaction: when the version bump fails after the child was opened, nothing remains."""
    a = actors(test_engine)
    parent = test_engine.start_case("parent", a["off"], title="主流程")

    def boom(*args: object, **kwargs: object) -> None:
        raise StaleVersion(1, 2)

    monkeypatch.setattr(events, "update", boom)
    with pytest.raises(StaleVersion):
        test_engine.fire(parent.id, "open_child", a["off"], {}, parent.version)
    monkeypatch.undo()
    assert test_engine.list_cases(CaseQuery(definition="review"))[1] == 0
    assert [e.event for e in test_engine.history(parent.id)] == ["start"]
    assert test_engine.get_case(parent.id).state == "open"
    assert test_engine.verify().ok
