"""加签 (adding a signer to a waiting 会签) and 撤回上一步 (taking back one's own last step).

On the small `cosign` procedure (tests/definitions/countersign): submit (withdrawable) ->
review, where 审核同意 needs 2 reviewers (withdrawable) -> signing, where the team signs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from workflow import Engine
from workflow.errors import CaseNotFound
from workflow.errors import GuardFailed
from workflow.errors import PermissionDenied
from workflow.errors import StaleVersion
from workflow.errors import TransitionNotAllowed
from workflow.errors import ValidationFailed

from ..conftest import add_users

DEFS = Path(__file__).parent.parent / "definitions" / "countersign"
USERS = {"off": ["officer"], "off2": ["officer"], "r1": ["reviewer"], "r2": ["reviewer"], "r3": ["reviewer"],
         "r4": ["reviewer"], "i1": ["inspector"], "i2": ["inspector"], "i3": ["inspector"], "aud": ["auditor"]}


@pytest.fixture
def eng(make_engine: Any) -> Engine:
    e: Engine = make_engine(DEFS)
    e.orgs.add("xishan", "西山县委组织部", None)
    e.users.add("far", ["reviewer"], "x", name="far", org="xishan")
    return e


def people(e: Engine) -> dict[str, Any]:
    return add_users(e, USERS)


def in_review(e: Engine, a: dict[str, Any]) -> Any:
    case = e.start_case("cosign", a["off"], title="会签测试", data={"summary": "摘要"})
    return e.fire(case.id, "submit", a["off"], {"team": ["i1", "i2"]}, case.version).case


def todo_ids(e: Engine, actor: Any) -> set[int]:
    return {c.id for c in e.todo(actor, 1, 200)[0]}


def test_added_signer_grows_the_requirement_holds_and_signs(eng: Engine) -> None:
    a = people(eng)
    case = in_review(eng, a)
    res = eng.fire(case.id, "approve", a["r1"], {"opinion": "同意"}, case.version)
    assert res.waiting is not None and (res.waiting.required, res.waiting.given) == (2, 1)
    event, got = eng.add_signer(case.id, "r3", "涉及财务，请分管领导会签", a["off"])
    assert event == "approve"
    assert (got.required, got.given, got.awaited) == (3, 1, ("r3",))
    assert eng.approval_status(case.id)[0][2].awaited == ("r3",)
    snap = eng.get_case(case.id)
    assert "r3" in snap.holders and case.id in todo_ids(eng, a["r3"])
    added = [h for h in eng.history(case.id) if h.type == "signer_added"]
    assert added[0].data == {"event": "approve", "username": "r3", "name": "r3", "reason": "涉及财务，请分管领导会签"}
    # Two signatures no longer complete it: r3 is awaited.
    res = eng.fire(case.id, "approve", a["r2"], {}, snap.version)
    assert res.case.state == "review" and res.waiting is not None
    assert (res.waiting.required, res.waiting.given, res.waiting.awaited) == (3, 2, ("r3",))
    assert "r3" in eng.get_case(case.id).holders and "approve" not in eng.available_events(case.id, a["r4"])
    with pytest.raises(PermissionDenied, match="只待加签人员"):
        eng.fire(case.id, "approve", a["r4"], {}, res.case.version)
    done = eng.fire(case.id, "approve", a["r3"], {"opinion": "同意"}, res.case.version)
    assert done.waiting is None and done.case.state == "signing"
    assert eng.verify().ok


def test_others_cannot_sign_in_place_of_the_added_signer(eng: Engine) -> None:
    a = people(eng)
    case = in_review(eng, a)
    eng.add_signer(case.id, "r3", "请会签", a["r1"])
    case = eng.fire(case.id, "approve", a["r1"], {}, case.version).case
    res = eng.fire(case.id, "approve", a["r2"], {}, case.version)
    assert res.case.state == "review" and res.waiting is not None and res.waiting.awaited == ("r3",)
    assert "approve" not in eng.available_events(case.id, a["r4"])
    assert eng.fire(case.id, "approve", a["r3"], {}, res.case.version).case.state == "signing"


def test_added_member_signer_on_a_team_sign_and_gone_when_the_state_is_left(eng: Engine) -> None:
    a = people(eng)
    case = in_review(eng, a)
    case = eng.fire(case.id, "approve", a["r1"], {}, case.version).case
    case = eng.fire(case.id, "approve", a["r2"], {}, case.version).case
    assert case.state == "signing"
    # i3 is not on the team: a participation role sees only the cases naming them.
    with pytest.raises(ValidationFailed) as exc:
        eng.add_signer(case.id, "i3", "补充", a["off"])
    assert "无权查阅" in exc.value.fields["username"]
    case = eng.fire(case.id, "sign", a["i1"], {}, case.version).case
    with pytest.raises(ValidationFailed) as exc:
        eng.add_signer(case.id, "i1", "补充", a["off"])
    assert "已签署" in exc.value.fields["username"]
    with pytest.raises(ValidationFailed) as exc:
        eng.add_signer(case.id, "i2", "补充", a["off"])
    assert "已在" in exc.value.fields["username"]
    # Back to review: the team's round starts again, and an addition there is for that state only.
    back = eng.fire(case.id, "return", a["r1"], {}, case.version).case
    assert back.state == "draft"
    case = eng.fire(back.id, "submit", a["off"], {"team": ["i1", "i2"]}, back.version).case
    eng.add_signer(case.id, "r3", "请会签", a["off"])
    case = eng.fire(case.id, "return", a["r1"], {}, case.version).case
    case = eng.fire(case.id, "submit", a["off"], {"team": ["i1", "i2"]}, case.version).case
    status = eng.approval_status(case.id)[0][2]
    assert (status.required, status.awaited) == (2, ())
    assert eng.verify().ok


def test_refused_additions(eng: Engine) -> None:
    a = people(eng)
    case = in_review(eng, a)
    eng.add_recusal(case.id, "r4", "近亲属", a["off"])
    cases = [
        ("r4", "已回避"),      # recused
        ("i1", "没有该角色"),   # an inspector cannot sign 审核同意
        ("far", "无权查阅"),    # a reviewer of another organization
        ("nobody", "不存在"),
        ("off", "没有该角色"),
    ]
    for username, words in cases:
        with pytest.raises(ValidationFailed) as exc:
            eng.add_signer(case.id, username, "理由", a["off"])
        assert words in exc.value.fields["username"], username
    with pytest.raises(ValidationFailed) as exc:
        eng.add_signer(case.id, "r3", "  ", a["off"])
    assert exc.value.fields == {"reason": "加签理由：此项为必填项"}
    with pytest.raises(PermissionDenied):
        eng.add_signer(case.id, "r3", "理由", a["aud"])       # auditors read only
    with pytest.raises(PermissionDenied):
        eng.add_signer(case.id, "r3", "理由", a["i1"])        # no add_signers capability
    with pytest.raises(CaseNotFound):
        eng.add_signer(case.id, "r3", "理由", a["r4"])        # the adder is recused: sees nothing
    assert not [h for h in eng.history(case.id) if h.type == "signer_added"]
    draft = eng.start_case("cosign", a["off"], title="起草中", data={"summary": "摘要"})
    with pytest.raises(TransitionNotAllowed, match="没有正在进行的会签"):
        eng.add_signer(draft.id, "r3", "理由", a["off"])
    # Separation of duties: whoever submitted may not sign 审核同意.
    add_users(eng, {"both": ["officer", "reviewer"]})
    b = eng.users.get("both").actor()
    other = eng.start_case("cosign", b, title="分离", data={"summary": "摘要"})
    other = eng.fire(other.id, "submit", b, {"team": ["i1"]}, other.version).case
    with pytest.raises(ValidationFailed) as exc:
        eng.add_signer(other.id, "both", "理由", a["off"])
    assert "职责分离" in exc.value.fields["username"]


def test_recused_added_signer_blocks_the_sign(eng: Engine) -> None:
    a = people(eng)
    case = in_review(eng, a)
    eng.add_signer(case.id, "r3", "请会签", a["off"])
    eng.add_recusal(case.id, "r3", "近亲属", a["off"])
    with pytest.raises(GuardFailed, match="回避不减少应签署人数"):
        eng.fire(case.id, "approve", a["r1"], {}, case.version)
    blocked = dict(eng.actions(case.id, a["r1"])[1])
    assert "r3已回避本案件" in blocked["approve"]


def test_withdraw_a_step_returns_state_data_and_deadline(eng: Engine) -> None:
    a = people(eng)
    start = eng.start_case("cosign", a["off"], title="撤回", data={"summary": "摘要"})
    case = eng.fire(start.id, "submit", a["off"], {"team": ["i1", "i2"], "note": "初稿"}, start.version).case
    assert eng.withdrawable(case.id, a["off"]) == "撤回“提交”"
    assert eng.withdrawable(case.id, a["off2"]) is None
    with pytest.raises(StaleVersion):
        eng.withdraw(case.id, a["off"], expected_version=case.version - 1)
    with pytest.raises(TransitionNotAllowed, match="没有可撤回"):
        eng.withdraw(case.id, a["off2"], case.version)
    back = eng.withdraw(case.id, a["off"], case.version, "提交有误").case
    assert back.state == "draft" and back.data == {"summary": "摘要"} and back.version == case.version + 1
    assert back.due_at == start.due_at and back.state_entered_at == start.state_entered_at
    ev = eng.history(case.id)[-1]
    assert (ev.type, ev.event, ev.from_state, ev.to_state, ev.data) == (
        "step_withdrawn", "submit", "review", "draft", {"seq": 2, "event": "submit"})
    # i1 no longer reads the case (the team went with the step); history is kept whole.
    assert [h.type for h in eng.history(case.id)] == ["case_started", "transition_fired", "step_withdrawn"]
    with pytest.raises(TransitionNotAllowed, match="已经撤回"):
        eng.withdraw(case.id, a["off"], back.version)
    assert eng.get_case(case.id).holders == ("off", "off2")
    again = eng.fire(case.id, "submit", a["off"], {"team": ["i2"]}, back.version).case
    assert again.state == "review" and again.data["team"] == ["i2"]
    assert eng.verify().ok


def test_withdraw_refused_once_someone_else_acted(eng: Engine) -> None:
    a = people(eng)
    case = in_review(eng, a)
    eng.urge(case.id, "r1", "请尽快审核", a["off2"])        # urging is not acting
    assert eng.withdrawable(case.id, a["off"]) is not None
    case = eng.fire(case.id, "note", a["off2"], {"note": "补记"}, case.version).case
    with pytest.raises(TransitionNotAllowed, match="其他人员（off2）已在您之后办理"):
        eng.withdraw(case.id, a["off"], case.version)
    assert eng.get_case(case.id).state == "review"
    # 补记 is not withdrawable.
    with pytest.raises(TransitionNotAllowed, match="不能撤回"):
        eng.withdraw(case.id, a["off2"], case.version)
    # A recused user takes nothing back.
    eng.add_recusal(case.id, "off2", "回避", a["off"])
    with pytest.raises(CaseNotFound):
        eng.withdraw(case.id, a["off2"], None)
    assert eng.verify().ok


def test_withdraw_a_signature_while_the_sign_waits(eng: Engine) -> None:
    a = people(eng)
    case = in_review(eng, a)
    eng.add_signer(case.id, "r3", "请会签", a["off"])
    case = eng.fire(case.id, "approve", a["r1"], {"opinion": "甲"}, case.version).case
    case = eng.fire(case.id, "approve", a["r2"], {"opinion": "乙"}, case.version).case
    # r1 signed before r2: a signature may still be taken back while the sign waits.
    assert eng.withdrawable(case.id, a["r1"]) == "撤回签署“审核同意”"
    res = eng.withdraw(case.id, a["r1"], case.version)
    assert res.case.state == "review" and "r1" in res.case.holders
    status = eng.approval_status(case.id)[0][2]
    assert (status.required, status.given, status.approvers, status.awaited) == (3, 1, ("r2",), ("r3",))
    case = eng.fire(case.id, "approve", a["r1"], {"opinion": "甲2"}, res.case.version).case
    done = eng.fire(case.id, "approve", a["r3"], {"opinion": "丙"}, case.version).case
    assert done.state == "signing" and done.data["opinion"] == "丙"
    # The completing signature (r3) moved the case: it comes back while nobody acted after it.
    back = eng.withdraw(done.id, a["r3"], done.version).case
    assert back.state == "review" and "opinion" not in back.data
    status = eng.approval_status(back.id)[0][2]
    assert (status.given, status.awaited) == (2, ("r3",))
    assert "r3" in back.holders and "approve" not in eng.available_events(back.id, a["r1"])
    # r1's signature is no longer their last step on a waiting sign... it is; but r2 may not take back r3's.
    with pytest.raises(TransitionNotAllowed):
        eng.withdraw(back.id, a["r4"], back.version)
    moved = eng.fire(back.id, "approve", a["r3"], {"opinion": "丙2"}, back.version).case
    assert moved.state == "signing"
    eng.fire(moved.id, "sign", a["i1"], {}, moved.version)
    with pytest.raises(TransitionNotAllowed):
        eng.withdraw(moved.id, a["r3"], None)               # i1 acted since
    with pytest.raises(TransitionNotAllowed, match="签署不能撤回"):
        eng.withdraw(moved.id, a["r1"], None)               # that sign is complete
    assert eng.verify().ok


def test_a_withdrawn_signature_tells_who_holds_the_case_again(eng: Engine) -> None:
    from sqlalchemy import select

    from workflow.persistence.tables import notices_t

    def told(case_id: int) -> list[tuple[str, str]]:
        with eng.db.read() as conn:
            return [(r.kind, r.username) for r in conn.execute(
                select(notices_t).where(notices_t.c.case_id == case_id).order_by(notices_t.c.id))]

    a = people(eng)
    case = in_review(eng, a)
    case = eng.fire(case.id, "approve", a["r1"], {}, case.version).case
    signing = eng.fire(case.id, "approve", a["r2"], {}, case.version).case
    assert signing.state == "signing"
    before = len(told(case.id))
    back = eng.withdraw(case.id, a["r2"], signing.version).case
    assert back.state == "review"
    new = sorted(set(back.holders) - set(signing.holders) - {"r2"})
    assert new == ["off", "off2"]  # the officers act in 审核 again (not in 签名)
    assert told(case.id)[before:] == [("todo", "off"), ("todo", "off2")]
