"""催办: recorded in the case history, only of a holder, once per holder per day, 404 if unseen."""

from __future__ import annotations

import pytest

from workflow import CaseNotFound
from workflow import Engine
from workflow import FixedClock
from workflow import PermissionDenied
from workflow import TooManyRequests
from workflow import TransitionNotAllowed
from workflow import ValidationFailed

from .helpers import actors
from .helpers import to_state


def urges(engine: Engine, case_id: int) -> list[tuple[str, str, dict[str, object]]]:
    return [(e.actor, e.role, e.data) for e in engine.history(case_id) if e.type == "case_urged"]


def test_an_urge_is_recorded_in_the_history(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = to_state(test_engine, a, "meeting")  # held by rev and both
    test_engine.urge(case.id, "rev", "  请尽快审议  ", a["off"])
    assert urges(test_engine, case.id) == [("off", "officer", {"holder": "rev", "text": "请尽快审议"})]
    after = test_engine.get_case(case.id)
    assert after.version == case.version and after.state == "meeting"  # no state change
    assert test_engine.verify().ok


def test_only_a_holder_is_urged_and_bad_input_changes_nothing(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = to_state(test_engine, a, "meeting")
    with pytest.raises(TransitionNotAllowed, match="不是本案件的当前办理人"):
        test_engine.urge(case.id, "off2", "请办理", a["off"])   # an officer does not hold a meeting
    with pytest.raises(TransitionNotAllowed, match="不能催办自己"):
        test_engine.urge(case.id, "rev", "请办理", a["rev"])
    with pytest.raises(ValidationFailed) as exc:
        test_engine.urge(case.id, "rev", "   ", a["off"])
    assert exc.value.fields == {"text": "催办内容：此项为必填项"}
    with pytest.raises(ValidationFailed) as exc:
        test_engine.urge(case.id, "rev", "催" * 501, a["off"])
    assert "500" in exc.value.fields["text"]
    assert urges(test_engine, case.id) == []


def test_once_per_holder_per_day(test_engine: Engine, clock: FixedClock) -> None:
    a = actors(test_engine)
    case = to_state(test_engine, a, "meeting")
    test_engine.urge(case.id, "rev", "请尽快审议", a["off"])
    with pytest.raises(TooManyRequests, match="今天已催办过 rev"):
        test_engine.urge(case.id, "rev", "再次催办", a["off2"])    # whoever urges
    test_engine.urge(case.id, "both", "请尽快审议", a["off"])      # another holder is not throttled
    clock.advance(hours=24)
    test_engine.urge(case.id, "rev", "再次催办", a["off2"])        # the next day
    assert [d["holder"] for _, _, d in urges(test_engine, case.id)] == ["rev", "both", "rev"]


def test_an_unseen_case_is_not_found(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = to_state(test_engine, a, "scoring")
    with pytest.raises(CaseNotFound):
        test_engine.urge(case.id, "p1", "请评分", a["p3"])       # p3 is not on the panel
    with pytest.raises(CaseNotFound):
        test_engine.urge(case.id, "p1", "请评分", a["adm"])
    with pytest.raises(PermissionDenied, match="只读角色"):
        test_engine.urge(case.id, "p1", "请评分", a["aud"])       # sees it, changes nothing
    test_engine.urge(case.id, "p1", "请评分", a["p2"])            # a panel member sees the case
    assert len(urges(test_engine, case.id)) == 1


def test_the_daily_limit_is_a_setting(test_engine: Engine) -> None:
    from dataclasses import replace

    a = actors(test_engine)
    test_engine.urging = replace(test_engine.urging, per_day=2)
    case = to_state(test_engine, a, "meeting")
    test_engine.urge(case.id, "rev", "请尽快审议", a["off"])
    test_engine.urge(case.id, "rev", "再次催办", a["off2"])
    with pytest.raises(TooManyRequests, match="最多催办2次"):
        test_engine.urge(case.id, "rev", "第三次", a["off"])
