"""Re-forming a team or panel while its "every member" step is open (issue 13, last item).

A recused member blocks 全体签名 and 全体评分后结束 (回避不减少应签署、应参加人数,
《党政领导干部选拔任用工作条例》第五十三条) until 调整考察组 / 调整面谈组 replaces them. The
adjusting event stays in the state: the signatures and scores of the members who stay still
count, those of a member taken off no longer do.
"""

from __future__ import annotations

import pytest

from documents.forms import FORMS
from documents.issue import form_inputs
from workflow import Actor
from workflow import CaseNotFound
from workflow import Engine
from workflow import PermissionDenied
from workflow import ValidationFailed

from ..conftest import add_users
from .helpers import Walk
from .helpers import person
from .helpers import staff
from .test_collective_interview import _open
from .test_collective_interview import plan
from .test_collective_interview import scores
from .test_inspections import REPORT
from .test_inspections import special


def _signing(engine: Engine, team: list[str]) -> tuple[Walk, dict[str, Actor]]:
    a = {**staff(engine), **add_users(engine, {"i4": ["inspector"]})}
    walk = special(engine, a, person(engine, a["off"]))
    walk.fire("form_team", a["off"], {"team": team, "team_leader": team[0], "plan": "专项考察"})
    walk.fire("begin", a["off"], {"began_on": "2026-08-03"})
    walk.fire("record", a["i1"], {"finding_kind": "个别谈话", "finding_date": "2026-08-04",
                                  "finding_content": "同乡镇干部群众谈话12人，普遍反映靠前指挥。"})
    walk.fire("draft_report", a["i1"], REPORT)
    return walk, a


def _adjust(walk: Walk, actor: Actor, team: list[str], reason: str = "成员回避，更换考察组成员") -> str:
    return walk.fire("adjust_team", actor, {"team": team, "team_leader": team[0], "adjust_reason": reason}).case.state


def test_special_recused_signer_is_replaced_and_the_report_goes_on(engine: Engine) -> None:
    """i3 recused blocks 签名 (第五十三条); 调整考察组 in 报告会签 keeps i1's signature, i4 signs, 已报告."""
    walk, a = _signing(engine, ["i1", "i2", "i3"])
    walk.fire("sign_report", a["i1"])
    engine.add_recusal(walk.case_id, "i3", "与考察对象系近姻亲", a["off"])
    assert "i3已回避本案件" in walk.refused("sign_report", a["i2"])
    assert _adjust(walk, a["off"], ["i1", "i2", "i4"]) == "signing"
    progress = engine.approval_status(walk.case_id)[0][2]
    assert (progress.required, progress.approvers, progress.awaited) == (3, ("i1",), ("i2", "i4"))
    walk.fire("sign_report", a["i2"])
    assert walk.fire("sign_report", a["i4"]).case.state == "reported"
    adjusted = [e for e in engine.history(walk.case_id) if e.event == "adjust_team"]
    assert [(e.from_state, e.to_state, e.data["team"], e.data["adjust_reason"]) for e in adjusted] == [
        ("signing", "signing", ["i1", "i2", "i4"], "成员回避，更换考察组成员")]


def test_special_signature_of_a_member_taken_off_the_team_no_longer_counts(engine: Engine) -> None:
    """i3 signed, then left the team: the count is 1 of 2 after i1 signs, and only i2 completes it."""
    walk, a = _signing(engine, ["i1", "i2", "i3"])
    walk.fire("sign_report", a["i3"])
    _adjust(walk, a["off"], ["i1", "i2"], "i3调离，不再参加考察组")
    progress = walk.fire("sign_report", a["i1"]).waiting
    assert progress is not None
    assert (progress.required, progress.given, progress.approvers, progress.awaited) == (2, 1, ("i1",), ("i2",))
    assert walk.state() == "signing"
    with pytest.raises(CaseNotFound):  # off the team: no longer a reader of the case, may not sign
        engine.fire(walk.case_id, "sign_report", a["i3"], {}, walk.case().version)
    assert walk.fire("sign_report", a["i2"]).case.state == "reported"


def test_special_adjust_team_refuses_a_recused_member_too_few_members_and_no_reason(engine: Engine) -> None:
    """考察组不少于2人（参照任用条例第三十三条）: 2 passes, 1 refused; 回避人员 (第五十三条) refused;
    调整理由 required; 组长须为考察组成员."""
    walk, a = _signing(engine, ["i1", "i2", "i3"])
    engine.add_recusal(walk.case_id, "i3", "与考察对象系近姻亲", a["off"])
    version = walk.case().version
    with pytest.raises(PermissionDenied) as recused:
        engine.fire(walk.case_id, "adjust_team", a["off"],
                    {"team": ["i1", "i3"], "team_leader": "i1", "adjust_reason": "调整"}, version)
    assert "i3 已回避本案件" in recused.value.message
    assert "考察组成员不少于2人" in walk.refused("adjust_team", a["off"],
                                          {"team": ["i1"], "team_leader": "i1", "adjust_reason": "i3回避"})
    assert "考察组组长须为考察组成员" in walk.refused(
        "adjust_team", a["off"], {"team": ["i1", "i2"], "team_leader": "i4", "adjust_reason": "i3回避"})
    with pytest.raises(ValidationFailed) as missing:
        engine.fire(walk.case_id, "adjust_team", a["off"], {"team": ["i1", "i2"], "team_leader": "i1"}, version)
    assert "adjust_reason" in missing.value.fields
    with pytest.raises(PermissionDenied):  # officer role only
        engine.fire(walk.case_id, "adjust_team", a["i1"],
                    {"team": ["i1", "i2"], "team_leader": "i1", "adjust_reason": "i3回避"}, version)
    assert walk.case().version == version
    assert _adjust(walk, a["off"], ["i1", "i2"]) == "signing"


def _adjust_panel(walk: Walk, actor: Actor, panel: list[str], reason: str = "面谈组成员回避，更换成员") -> str:
    return walk.fire("adjust_panel", actor, {"panel": panel, "chair": panel[0], "adjust_reason": reason}).case.state


def test_panel_recused_panelist_is_replaced_and_scoring_closes(engine: Engine) -> None:
    """p3 recused blocks 结束评分 (第五十三条); 调整面谈组 keeps p1, p2's scores; p4 scores; 评分汇总."""
    walk, a = _open(engine, ["p1", "p2", "p3"])
    walk.fire("score", a["p1"], scores(80))
    walk.fire("score", a["p2"], scores(82))
    engine.add_recusal(walk.case_id, "p3", "与面谈对象系近亲属", a["off"])
    assert "p3已回避本案件" in walk.refused("close_scoring", a["off"])
    assert _adjust_panel(walk, a["off"], ["p1", "p2", "p4"]) == "scoring"
    assert "尚有1人未完成：p4" in walk.refused("close_scoring", a["off"])
    walk.fire("score", a["p4"], scores(84))
    case = walk.fire("close_scoring", a["off"]).case
    assert case.state == "scored"
    assert (case.data["result_total"], case.data["result_scorers"], case.data["result_method"]) == (
        82.0, 3, "全部评分取算术平均")


def test_panel_score_of_a_member_taken_off_is_not_counted(engine: Engine) -> None:
    """p3 scored 40, then recused and was taken off: the result is p1, p2, p4 (82.0 较好), not 71.5 一般."""
    walk, a = _open(engine, ["p1", "p2", "p3"])
    for name, value in (("p1", 80), ("p2", 82), ("p3", 40)):
        walk.fire("score", a[name], scores(value))
    engine.add_recusal(walk.case_id, "p3", "评分后发现与面谈对象系近亲属", a["off"])
    _adjust_panel(walk, a["off"], ["p1", "p2", "p4"])
    walk.fire("score", a["p4"], scores(84))
    data = walk.fire("close_scoring", a["off"]).case.data
    assert (data["result_total"], data["result_grade"], data["result_scorers"]) == (82.0, "较好", 3)
    assert data["result_method"] == "全部评分取算术平均（p3已调出面谈组，其评分不计入）"
    assert data["result_scores"]["score_political"] == 82.0
    form = FORMS["interview_record"].build(
        form_inputs(engine, engine.case_record(walk.case_id, a["off"]), "interview_record"))
    assert [row["name"] for row in form["rows"]] == ["p1", "p2", "p4"]  # the record table leaves p3 out too
    assert form["method"] == data["result_method"] and form["scorers"] == 3


def test_panel_adjust_refuses_a_recused_member_too_few_members_and_no_reason(engine: Engine) -> None:
    """面谈组不少于3人（地方实施办法通行做法）: 3 passes, 2 refused; 回避人员 (第五十三条) refused;
    调整理由 required; 主持人须为面谈组成员."""
    walk, a = _open(engine, ["p1", "p2", "p3"])
    engine.add_recusal(walk.case_id, "p3", "与面谈对象系近亲属", a["off"])
    version = walk.case().version
    with pytest.raises(PermissionDenied) as recused:
        engine.fire(walk.case_id, "adjust_panel", a["off"],
                    {"panel": ["p1", "p2", "p3"], "chair": "p1", "adjust_reason": "调整"}, version)
    assert "p3 已回避本案件" in recused.value.message
    assert "面谈组成员不少于3人" in walk.refused("adjust_panel", a["off"],
                                          {"panel": ["p1", "p2"], "chair": "p1", "adjust_reason": "p3回避"})
    assert "主持人须为面谈组成员" in walk.refused(
        "adjust_panel", a["off"], {"panel": ["p1", "p2", "p4"], "chair": "p5", "adjust_reason": "p3回避"})
    with pytest.raises(ValidationFailed) as missing:
        engine.fire(walk.case_id, "adjust_panel", a["off"], {"panel": ["p1", "p2", "p4"], "chair": "p1"}, version)
    assert "adjust_reason" in missing.value.fields
    assert walk.case().version == version
    assert _adjust_panel(walk, a["off"], ["p1", "p2", "p4"]) == "scoring"


def test_panel_adjusted_before_the_interview_lets_it_begin(engine: Engine) -> None:
    """调整面谈组 in 已安排: the recused p3 blocks 开始面谈 (第五十三条) until replaced."""
    a = staff(engine)
    walk = Walk(engine, engine.start_case("collective_interview", a["off"], title="面谈",
                                          subject_id=person(engine, a["off"])))
    walk.fire("schedule", a["off"], plan(["p1", "p2", "p3"]))
    engine.add_recusal(walk.case_id, "p3", "与面谈对象系同学且为近亲属", a["off"])
    held = {"held_at": "2026-11-20T09:30:00+08:00"}
    assert "p3已回避本案件" in walk.refused("begin_interview", a["off"], held)
    assert _adjust_panel(walk, a["off"], ["p1", "p2", "p4"]) == "scheduled"
    assert walk.case().data["interview_time"] == "2026-11-20T09:30:00+08:00"
    assert walk.fire("begin_interview", a["off"], held).case.state == "scoring"
