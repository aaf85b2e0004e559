"""亲属回避 (procedures.md, Extensions: Kinship recusal): the relation table, the automatic recusals on start
and on a family change, the refusal of a relative on a team or panel, the 任职回避 hint and verify.

Sources: 《党政领导干部选拔任用工作条例》(2019) 第五十三条 (工作回避); the kinship categories of
domain-reference §1.9 (夫妻、直系血亲、三代以内旁系血亲、近姻亲, 《公务员回避规定》's enumeration);
《党政领导干部任职回避暂行规定》第三条 (任职回避) for the hint.
"""

from __future__ import annotations

from typing import Any

import pytest

from workflow import Actor
from workflow import Engine
from workflow import PermissionDenied
from workflow import ValidationFailed
from workflow.people import family_warnings
from workflow.people import kinship_category
from workflow.people.kinship import posting_warnings

from .helpers import Walk
from .helpers import person
from .helpers import staff
from .test_collective_interview import plan
from .test_pre_appointment_inspection import TEAM


def wife(username: str = "i2", **extra: str) -> dict[str, str]:
    return {"relation": "妻子", "name": "王芳", "birth_date": "1984.03", "political_status": "中共党员",
            "work": "市财政局预算处科员", "username": username, **extra}


def recusal_events(engine: Engine, case_id: int) -> list[dict[str, Any]]:
    return [dict(e.data) for e in engine.history(case_id) if e.type == "recusal_recorded"]


# --- the relation table -------------------------------------------------------------------------------


@pytest.mark.parametrize(("relation", "category"), [
    ("妻子", "夫妻"), ("丈夫", "夫妻"), ("配偶", "夫妻"), ("爱人", "夫妻"),
    ("父亲", "直系血亲"), ("母亲", "直系血亲"), ("儿子", "直系血亲"), ("长女", "直系血亲"), ("外祖母", "直系血亲"),
    ("孙子", "直系血亲"), ("外孙女", "直系血亲"), ("养父", "直系血亲"),
    ("哥哥", "三代以内旁系血亲"), ("妹妹", "三代以内旁系血亲"), ("伯父", "三代以内旁系血亲"),
    ("姨母", "三代以内旁系血亲"), ("堂兄弟姐妹", "三代以内旁系血亲"), ("表姐", "三代以内旁系血亲"),
    ("侄子", "三代以内旁系血亲"), ("外甥女", "三代以内旁系血亲"),
    ("岳父", "近姻亲"), ("婆婆", "近姻亲"), ("儿媳", "近姻亲"), ("女婿", "近姻亲"), ("嫂子", "近姻亲"),
    ("妹夫", "近姻亲"), ("配偶的兄弟姐妹", "近姻亲"), ("连襟", "近姻亲"), ("舅母", "近姻亲"),
    (" 妻 子 ", "夫妻"),
])
def test_relation_table_maps_each_category(relation: str, category: str) -> None:
    """domain-reference §1.9: 夫妻、直系血亲、三代以内旁系血亲、近姻亲 (spaces in the 称谓 ignored)."""
    assert kinship_category(relation) == category


@pytest.mark.parametrize("relation", ["同学", "朋友", "干爹", "", "妻子的同事", "曾祖父"])
def test_unknown_relation_recuses_nobody_and_is_reported(relation: str) -> None:
    """A 称谓 outside the table (曾祖父 is beyond 三代 on the 直系 side as the table lists it) maps to nothing;
    an item carrying it is reported on the person."""
    assert kinship_category(relation) is None
    warnings = family_warnings([{"relation": relation, "name": "某某", "username": "i2"}])
    assert len(warnings) == 1 and "不据此自动回避" in warnings[0]
    assert family_warnings([{"relation": "妻子", "name": "某某", "username": "i2"}]) == []


# --- automatic recusal on start --------------------------------------------------------------------------


def test_start_recuses_the_related_user_with_a_history_event(engine: Engine) -> None:
    """任用条例第五十三条: the wife (a user) is recused on the case from its start, reason 亲属回避（妻子）."""
    a = staff(engine)
    pid = person(engine, a["off"], family=[wife("i2"), {"relation": "同学", "name": "张三", "username": "i3"}])
    case = engine.start_case("pre_appointment_inspection", a["off"], title="李明同志任前考察", subject_id=pid,
                             data={"proposed_post": "市发展改革委副主任"})
    assert case.recused == ("i2",)
    assert recusal_events(engine, case.id) == [{"username": "i2", "reason": "亲属回避（妻子）"}]
    assert [(r.username, r.reason, r.recorded_by) for r in engine.recusals(case.id)] == [
        ("i2", "亲属回避（妻子）", "off")]
    assert engine.history(case.id)[1].actor == "off"
    assert engine.verify().ok


def test_a_relative_may_not_open_a_case_of_the_person(engine: Engine) -> None:
    a = staff(engine)
    pid = person(engine, a["off"], family=[wife("off2")])
    with pytest.raises(PermissionDenied) as info:
        engine.start_case("pre_appointment_inspection", a["off2"], title="任前考察", subject_id=pid,
                          data={"proposed_post": "副主任"})
    assert "亲属回避" in info.value.message and "妻子" in info.value.message


def test_family_username_must_be_an_existing_user(engine: Engine) -> None:
    a = staff(engine)
    with pytest.raises(ValidationFailed) as info:
        person(engine, a["off"], family=[wife("nobody")])
    assert info.value.fields == {"family": "家庭主要成员及重要社会关系：第1项的系统用户“nobody”不存在或已停用"}
    pid = person(engine, a["off"], family=[wife("i2"), {"relation": "父亲", "name": "李强", "username": ""}])
    family = engine.people.get(pid).profile["family"]
    assert family[0]["username"] == "i2" and "username" not in family[1]


# --- a family change reaches the open cases ------------------------------------------------------------


def test_family_change_recuses_on_open_cases_not_on_closed_ones(engine: Engine) -> None:
    a = staff(engine)
    pid = person(engine, a["off"])
    closed = Walk(engine, engine.start_case("collective_interview", a["off"], title="面谈", subject_id=pid))
    closed.fire("cancel", a["off"], {"cancel_reason": "考察对象因工作调动不再列为考察对象"})
    first = engine.start_case("pre_appointment_inspection", a["off"], title="任前考察", subject_id=pid,
                              data={"proposed_post": "副主任"})
    second = engine.start_case("collective_interview", a["off"], title="面谈", subject_id=pid)
    version = engine.people.get(pid).version
    engine.people.update(pid, {"family": [wife("p4")]}, a["off"], expected_version=version)
    for case_id in (first.id, second.id):
        assert recusal_events(engine, case_id) == [{"username": "p4", "reason": "亲属回避（妻子）"}]
        assert engine.get_case(case_id).recused == ("p4",)
    assert recusal_events(engine, closed.case_id) == []
    # The same relative again (another item changed) records nothing twice; removing them lifts nothing.
    engine.people.update(pid, {"family": [wife("p4"), {"relation": "儿子", "name": "李小明"}]}, a["off"])
    engine.people.update(pid, {"family": []}, a["off"])
    assert len(recusal_events(engine, first.id)) == 1
    assert engine.get_case(first.id).recused == ("p4",)
    assert engine.verify().ok


def test_a_refused_family_change_records_no_recusal(engine: Engine) -> None:
    a = staff(engine)
    pid = person(engine, a["off"])
    case = engine.start_case("collective_interview", a["off"], title="面谈", subject_id=pid)
    with pytest.raises(ValidationFailed):
        engine.people.update(pid, {"family": [wife("p4"), wife("ghost")]}, a["off"])
    assert recusal_events(engine, case.id) == [] and engine.people.get(pid).profile.get("family") is None


# --- a recused relative on a team or panel -----------------------------------------------------------------


def test_related_inspector_cannot_be_put_on_the_team(engine: Engine) -> None:
    """任用条例第五十三条: 考察组成员 with a relative concerned must withdraw (the user field refuses them)."""
    a = staff(engine)
    pid = person(engine, a["off"], family=[wife("i2")])
    walk = Walk(engine, engine.start_case("pre_appointment_inspection", a["off"], title="任前考察",
                                          subject_id=pid, data={"proposed_post": "副主任"}))
    with pytest.raises(PermissionDenied) as info:
        engine.fire(walk.case_id, "form_team", a["off"], TEAM, walk.case().version)
    assert "i2" in info.value.message
    walk.fire("form_team", a["off"], {**TEAM, "team": ["i1", "i3"]})
    assert walk.state() == "team_formed"


def test_related_panelist_cannot_be_put_on_the_panel(engine: Engine) -> None:
    a = staff(engine)
    pid = person(engine, a["off"])
    walk = Walk(engine, engine.start_case("collective_interview", a["off"], title="面谈", subject_id=pid))
    engine.people.update(pid, {"family": [{"relation": "哥哥", "name": "李亮", "username": "p3"}]}, a["off"])
    with pytest.raises(PermissionDenied):
        engine.fire(walk.case_id, "schedule", a["off"], plan(["p1", "p2", "p3"]), walk.case().version)
    walk.fire("schedule", a["off"], plan(["p1", "p2", "p4"]))
    assert walk.state() == "scheduled"


# --- 任职回避提示 ---------------------------------------------------------------------------------------------


BROTHER = {"relation": "哥哥", "name": "李亮", "work": "江州市水利局局长"}


def _selection(engine: Engine, a: dict[str, Actor], unit: str, family: list[dict[str, str]]) -> int:
    pid = person(engine, a["off"], family=family)
    return engine.start_case("selection_appointment", a["off"], title="李明同志拟任", subject_id=pid,
                             data={"target_post": "副局长", "target_unit": unit, "selection_method": "个别提拔",
                                   "selection_reason": "班子副职空缺1名。", "post_kind": "appoint",
                                   "move_kind": "promotion", "exceptional": "none",
                                   "target_rank": "county_deputy"}).id


def test_posting_hint_when_a_relative_leads_the_target_unit(engine: Engine) -> None:
    """《党政领导干部任职回避暂行规定》第三条: a hint on the case (not a refusal) for the officer."""
    a = staff(engine)
    case_id = _selection(engine, a, "江州市水利局", [BROTHER])
    expected = ("任职回避提示：拟任单位江州市水利局有其亲属（哥哥，江州市水利局局长）担任领导职务"
                "（《党政领导干部任职回避暂行规定》第三条（任职回避）；任用条例第九章（交流、回避））")
    assert engine.get_case(case_id, a["off"]).warnings == (expected,)
    assert engine.case_page(case_id, a["off"]).case.warnings == (expected,)
    assert engine.get_case(case_id, a["off"]).available_events  # nothing refused


@pytest.mark.parametrize(("unit", "family"), [
    ("江州市水利局", [{**BROTHER, "work": "江州市水利局办公室科员"}]),  # no leading post
    ("江州市水利局", [{**BROTHER, "work": "江州市交通运输局局长"}]),  # another unit
    ("江州市水利局", [{**BROTHER, "relation": "同学"}]),  # not a relative the table knows
    ("江州市财政局", [BROTHER]),
])
def test_no_posting_hint_otherwise(engine: Engine, unit: str, family: list[dict[str, str]]) -> None:
    a = staff(engine)
    assert engine.get_case(_selection(engine, a, unit, family), a["off"]).warnings == ()


def test_posting_hint_rule_reads_the_post_after_the_unit() -> None:
    assert posting_warnings([{**BROTHER, "work": "局长助理，江州市水利局"}], "江州市水利局") == []
    assert len(posting_warnings([{**BROTHER, "work": "江州市水利局党组副书记"}], "江州市水利局")) == 1
    assert posting_warnings([BROTHER], "") == []
