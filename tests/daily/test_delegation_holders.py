"""The stored holders (待办 notices, reminders) follow a delegation: when it is created in force, when it
begins later (the reminders run), when it is revoked and when it ends."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

import pytest

from workflow import Engine
from workflow import FixedClock
from workflow.notifications.write import stored_holders

from .helpers import DEFS
from .helpers import day
from .helpers import people
from .helpers import signing


@pytest.fixture
def eng(make_engine: Any) -> Engine:
    e: Engine = make_engine(DEFS)
    return e


def _stored(eng: Engine, case_id: int) -> set[str]:
    with eng.db.read() as conn:
        return stored_holders(conn, case_id)


def _todo_notices(eng: Engine, username: str, case_id: int) -> int:
    items, _unread = eng.notifications.list(username)
    return sum(1 for n in items if n.case_id == case_id and n.kind == "todo")


def test_a_delegation_in_force_adds_the_delegate_to_the_stored_holders_and_tells_them(eng: Engine) -> None:
    a = people(eng)
    case = signing(eng, a)
    other = signing(eng, a, team=["i2", "i3"])  # i1 holds nothing here: untouched
    before, before_other = _stored(eng, case.id), _stored(eng, other.id)
    told, told_other = _todo_notices(eng, "io", case.id), _todo_notices(eng, "io", other.id)
    assert {"i1", "i2"} <= before and "io" not in before
    d = eng.delegations.create(a["i1"], "io", day(0), day(3), ["cosign"])
    assert _stored(eng, case.id) == before | {"io"} == set(eng.get_case(case.id).holders)
    assert _stored(eng, other.id) == before_other
    assert _todo_notices(eng, "io", case.id) == told + 1 and _todo_notices(eng, "io", other.id) == told_other
    eng.run_reminders()  # the reminders run adds no second notice
    assert _todo_notices(eng, "io", case.id) == told + 1
    eng.delegations.revoke(d.id, a["i1"])
    assert _stored(eng, case.id) == before == set(eng.get_case(case.id).holders)


def test_a_later_delegation_reaches_the_stored_holders_on_its_first_day_and_leaves_after_its_last(
        eng: Engine, clock: FixedClock) -> None:
    a = people(eng)
    case = signing(eng, a)
    before, told = _stored(eng, case.id), _todo_notices(eng, "io", case.id)
    eng.delegations.create(a["i1"], "io", day(1), day(2), ["cosign"])
    assert _stored(eng, case.id) == before  # not yet in force
    clock.set(datetime(2026, 11, 25, 16, 0, tzinfo=UTC))  # 00:00 on its first day, Beijing
    eng.run_reminders()
    assert _stored(eng, case.id) == before | {"io"}
    assert _todo_notices(eng, "io", case.id) == told + 1
    clock.set(datetime(2026, 11, 27, 16, 0, tzinfo=UTC))  # the day after its last
    eng.run_reminders()
    assert _stored(eng, case.id) == before


def test_a_delegation_from_someone_who_holds_nothing_changes_no_stored_holders(eng: Engine) -> None:
    a = people(eng)
    case = signing(eng, a)
    before, told = _stored(eng, case.id), _todo_notices(eng, "io", case.id)
    eng.delegations.create(a["i3"], "io", day(0), day(3), ["cosign"])  # i3 is not on the team
    assert _stored(eng, case.id) == before
    assert _todo_notices(eng, "io", case.id) == told
