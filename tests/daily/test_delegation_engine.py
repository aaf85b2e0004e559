"""委托 in the engine: a delegate acts for the delegator inside the window, recorded as both; never past
recusal, separation of duties or need-to-know; revocable; errors name the field and the rule."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import text

from workflow import Engine
from workflow import FixedClock
from workflow.delegations import DelegationNotFound
from workflow.errors import CaseNotFound
from workflow.errors import PermissionDenied
from workflow.errors import ValidationFailed
from workflow.queries.delegated import delegators

from ..engine.test_tamper import drop_triggers
from .helpers import DEFS
from .helpers import TODAY
from .helpers import day
from .helpers import people
from .helpers import signing


@pytest.fixture
def eng(make_engine: Any) -> Engine:
    e: Engine = make_engine(DEFS)
    return e


def test_delegate_signs_for_the_delegator_and_history_records_both(eng: Engine) -> None:
    a = people(eng)
    case = signing(eng, a)
    assert "io" not in eng.get_case(case.id).holders
    with pytest.raises(PermissionDenied, match="会签组"):
        eng.fire(case.id, "sign", a["io"], {}, case.version)
    d = eng.delegations.create(a["i1"], "io", day(0), day(3), ["cosign"])
    assert d.status == "生效中" and d.definitions == ("cosign",)
    snap = eng.get_case(case.id)
    assert "io" in snap.holders
    assert case.id in {c.id for c in eng.todo(a["io"])[0]}
    assert "sign" in eng.available_events(case.id, a["io"])
    res = eng.fire(case.id, "sign", a["io"], {}, snap.version)
    assert res.waiting is not None and res.waiting.approvers == ("i1",) and res.waiting.awaited == ("i2",)
    last = eng.history(case.id)[-1]
    assert (last.actor, last.on_behalf_of, last.on_behalf_of_name) == ("io", "i1", "i1")
    assert last.actor_text == "io（代i1）"
    # i1 has been signed for: neither i1 nor io sign again, and neither holds the case any more.
    with pytest.raises(PermissionDenied, match="每人只能签署一次"):
        eng.fire(case.id, "sign", a["i1"], {}, res.case.version)
    holders = eng.get_case(case.id).holders
    assert "i1" not in holders and "io" not in holders and "i2" in holders
    done = eng.fire(case.id, "sign", a["i2"], {}, res.case.version)
    assert done.case.state == "done"
    assert eng.verify().ok


def test_the_delegators_name_is_covered_by_the_hash_chain(eng: Engine) -> None:
    a = people(eng)
    case = signing(eng, a)
    eng.delegations.create(a["i1"], "io", day(0), day(0), ["cosign"])
    eng.fire(case.id, "sign", a["io"], {}, case.version)
    seq = eng.history(case.id)[-1].seq
    with eng.db.engine.begin() as conn:
        drop_triggers(conn)
        conn.execute(text(f"UPDATE case_events SET on_behalf_of = 'i2' WHERE case_id = {case.id} AND seq = {seq}"))
    report = eng.verify()
    assert {(p.case_id, p.seq) for p in report.problems} == {(case.id, seq)}


def test_window_boundaries_in_beijing_time_on_both_sides(eng: Engine, clock: FixedClock) -> None:
    a = people(eng)
    case = signing(eng, a)
    eng.delegations.create(a["i1"], "io", day(1), day(2), ["cosign"])
    clock.set(datetime(2026, 11, 25, 15, 59, 59, tzinfo=UTC))  # 23:59:59 the day before, in Beijing
    assert "io" not in eng.get_case(case.id).holders
    with pytest.raises(PermissionDenied):
        eng.fire(case.id, "sign", a["io"], {}, case.version)
    clock.set(datetime(2026, 11, 25, 16, 0, tzinfo=UTC))  # 00:00 on the first day
    assert "io" in eng.get_case(case.id).holders
    clock.set(datetime(2026, 11, 27, 15, 59, 59, tzinfo=UTC))  # 23:59:59 on the last day
    assert "sign" in eng.available_events(case.id, a["io"])
    clock.set(datetime(2026, 11, 27, 16, 0, tzinfo=UTC))  # 00:00 the day after
    assert "sign" not in eng.available_events(case.id, a["io"])
    with pytest.raises(PermissionDenied):
        eng.fire(case.id, "sign", a["io"], {}, case.version)


def test_only_the_procedures_delegated(eng: Engine) -> None:
    a = people(eng)
    with pytest.raises(ValidationFailed) as err:
        eng.delegations.create(a["i1"], "io", day(0), day(1), ["nosuch"])
    assert "nosuch" in err.value.fields["definitions"]
    eng.delegations.create(a["i1"], "io", day(0), day(1), ["cosign"])
    with eng.db.read() as conn:
        assert [x.username for x in delegators(conn, a["io"], "cosign", TODAY)] == ["i1"]
        assert delegators(conn, a["io"], "daily_inspection", TODAY) == []  # not delegated
        assert delegators(conn, a["i2"], "cosign", TODAY) == []


def test_revoked_delegation_lends_nothing(eng: Engine) -> None:
    a = people(eng)
    case = signing(eng, a)
    d = eng.delegations.create(a["i1"], "io", day(0), day(5), ["cosign"])
    assert "io" in eng.get_case(case.id).holders
    with pytest.raises(DelegationNotFound):
        eng.delegations.revoke(d.id, a["i2"])  # nobody else's to revoke
    eng.delegations.revoke(d.id, a["i1"])
    assert [x.status for x in eng.delegations.mine(a["io"])] == ["已撤销"]
    assert "io" not in eng.get_case(case.id).holders
    with pytest.raises(PermissionDenied):
        eng.fire(case.id, "sign", a["io"], {}, case.version)


def test_delegation_never_bypasses_recusal_of_either(eng: Engine) -> None:
    a = people(eng)
    case = signing(eng, a)
    eng.delegations.create(a["i1"], "io", day(0), day(5), ["cosign"])
    eng.add_recusal(case.id, "i1", "近亲属关系", a["off"])
    case = eng.get_case(case.id)
    assert "io" not in case.holders
    with pytest.raises(PermissionDenied, match="委托人i1已回避"):
        eng.fire(case.id, "sign", a["io"], {}, case.version)
    other = signing(eng, a)
    eng.add_recusal(other.id, "io", "近亲属关系", a["off"])
    with pytest.raises(CaseNotFound):  # a recused user sees the case no more
        eng.fire(other.id, "sign", a["io"], {}, eng.get_case(other.id).version)


def test_delegation_never_bypasses_separation_of_duties(eng: Engine) -> None:
    a = people(eng)
    # ro submitted the case: 审核同意 is barred to her, in her own right and for r1 alike.
    eng.delegations.create(a["r1"], "ro", day(0), day(5), ["cosign"])
    case = eng.start_case("cosign", a["ro"], title="职责分离", data={"summary": "摘要"})
    case = eng.fire(case.id, "submit", a["ro"], {"team": ["i1"]}, case.version).case
    assert "approve" not in eng.available_events(case.id, a["ro"])
    with pytest.raises(PermissionDenied, match="职责分离.*代r1办理亦同"):
        eng.fire(case.id, "approve", a["ro"], {}, case.version)
    # r2 delegated to r3, who signs himself first: he may not sign the same 会签 again for r2.
    eng.delegations.create(a["r2"], "r3", day(0), day(5), ["cosign"])
    case = eng.fire(case.id, "approve", a["r3"], {}, case.version).case
    with pytest.raises(PermissionDenied, match="每人只能签署一次"):
        eng.fire(case.id, "approve", a["r3"], {}, case.version)
    assert "approve" not in eng.available_events(case.id, a["r3"])
    assert "r3" not in eng.get_case(case.id).holders


def test_a_delegate_signs_one_place_only_in_a_named_countersign(eng: Engine) -> None:
    a = people(eng)
    case = signing(eng, a, team=["i1", "io"])
    eng.delegations.create(a["i1"], "io", day(0), day(5), ["cosign"])
    case = eng.fire(case.id, "sign", a["io"], {}, case.version).case  # her own place
    assert case.state == "signing"
    with pytest.raises(PermissionDenied, match="每人只能签署一次，不能再代i1签署"):
        eng.fire(case.id, "sign", a["io"], {}, case.version)
    assert eng.approval_status(case.id)[0][2].awaited == ("i1",)


def test_delegation_never_bypasses_need_to_know(eng: Engine) -> None:
    a = people(eng)
    case = signing(eng, a)
    # i3 is an inspector not on the team: he does not see the case, delegation or not.
    eng.delegations.create(a["i1"], "i3", day(0), day(5), ["cosign"])
    assert "i3" not in eng.get_case(case.id).holders
    assert case.id not in {c.id for c in eng.todo(a["i3"])[0]}
    with pytest.raises(CaseNotFound):
        eng.fire(case.id, "sign", a["i3"], {}, case.version)


@pytest.mark.parametrize(("to", "start", "end", "field", "text"), [
    ("i1", 0, 1, "to", "不能委托给自己"),
    ("nobody", 0, 1, "to", "用户不存在"),
    ("r1", 0, 1, "to", "相同的角色"),
    ("io", -1, 1, "starts_on", "不得早于今天"),
    ("io", 3, 1, "ends_on", "不得早于开始日期"),
    ("io", 0, 400, "ends_on", "最长"),
    ("io", "x", 1, "starts_on", "应为日期"),
])
def test_invalid_delegations_say_the_field_and_rule_and_change_nothing(
        eng: Engine, to: str, start: Any, end: int, field: str, text: str) -> None:
    a = people(eng)
    with pytest.raises(ValidationFailed) as err:
        eng.delegations.create(a["i1"], to, day(start) if isinstance(start, int) else start, day(end), ["cosign"])
    assert text in err.value.fields[field]
    assert eng.delegations.mine(a["i1"]) == []


def test_overlapping_windows_are_refused(eng: Engine) -> None:
    a = people(eng)
    eng.delegations.create(a["i1"], "io", day(0), day(5), ["cosign"])
    with pytest.raises(ValidationFailed) as err:
        eng.delegations.create(a["i1"], "i2", day(5), day(8), ["cosign"])
    assert "重叠" in err.value.fields["starts_on"]
    eng.delegations.create(a["i1"], "i2", day(6), day(8), ["cosign"])  # the day after is free
    assert len(eng.delegations.mine(a["i1"])) == 2


def test_auditors_see_every_delegation_and_the_trail(eng: Engine) -> None:
    a = people(eng)
    d = eng.delegations.create(a["i1"], "io", day(0), day(5), ["cosign"])
    eng.delegations.revoke(d.id, a["i1"])
    assert [(x.delegator, x.delegate, x.status) for x in eng.delegations.every(a["aud"])] == [("i1", "io", "已撤销")]
    with pytest.raises(PermissionDenied):
        eng.delegations.every(a["i2"])
    entries, _ = eng.access.entries(a["aud"])
    assert [(e.action, e.object) for e in entries] == [("revoke", "delegation"), ("delegate", "delegation")]
    assert eng.verify().ok
