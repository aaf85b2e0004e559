"""撤回 of a step a delegate took for the delegator (委托): the delegator and the delegate alike may take it
back, while nobody else has acted since; the history records who took it back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from workflow import Engine
from workflow.errors import TransitionNotAllowed

from .helpers import day
from .helpers import people
from .helpers import signing

DEFS = Path(__file__).parent.parent / "definitions" / "delegated"  # cosign, its 会签 signature withdrawable


@pytest.fixture
def eng(make_engine: Any) -> Engine:
    e: Engine = make_engine(DEFS)
    return e


def _signed_for_i1(eng: Engine, a: dict[str, Any]) -> Any:
    case = signing(eng, a)
    eng.delegations.create(a["i1"], "io", day(0), day(3), ["cosign"])
    res = eng.fire(case.id, "sign", a["io"], {}, case.version)
    assert eng.history(case.id)[-1].on_behalf_of == "i1"
    return res.case


@pytest.mark.parametrize("who", ["i1", "io"])
def test_the_delegator_or_the_delegate_takes_back_the_delegated_signature(eng: Engine, who: str) -> None:
    a = people(eng)
    case = _signed_for_i1(eng, a)
    assert eng.withdrawable(case.id, a[who]) == "撤回签署“会签”"
    back = eng.withdraw(case.id, a[who], case.version).case
    last = eng.history(case.id)[-1]
    assert last.type == "step_withdrawn" and last.actor == who
    status = eng.approval_status(case.id)[0][2]
    assert status.given == 0 and set(status.awaited) == {"i1", "i2"}
    assert {"i1", "i2", "io"} <= set(back.holders)  # io holds it again, for i1
    assert eng.verify().ok


def test_nobody_else_takes_it_back_and_not_after_the_sign_completed(eng: Engine) -> None:
    a = people(eng)
    case = _signed_for_i1(eng, a)
    with pytest.raises(TransitionNotAllowed):
        eng.withdraw(case.id, a["i2"], case.version)  # not i2's step
    done = eng.fire(case.id, "sign", a["i2"], {}, case.version).case
    assert done.state == "signed"
    with pytest.raises(TransitionNotAllowed):
        eng.withdraw(done.id, a["i1"], done.version)
