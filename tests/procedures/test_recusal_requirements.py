"""Recusal does not shrink a requirement (issue 13, item 2; 《党政领导干部选拔任用工作条例》第五十三条).

A recused member of a team, panel or signer list blocks every "all members" event until an
event re-forms the list without them (recorded in the history).
"""

from __future__ import annotations

from workflow import Engine

from .helpers import Walk
from .helpers import inspection_steps
from .helpers import person
from .helpers import staff
from .test_collective_interview import _open
from .test_collective_interview import scores
from .test_inspections import REPORT
from .test_inspections import special


def test_two_recused_of_three_do_not_let_the_third_sign_for_the_team(engine: Engine) -> None:
    a = staff(engine)
    walk = special(engine, a, person(engine, a["off"]))
    walk.fire("form_team", a["off"], {"team": ["i1", "i2", "i3"], "team_leader": "i1", "plan": "专项考察"})
    walk.fire("begin", a["off"], {"began_on": "2026-08-03"})
    walk.fire("record", a["i1"], {"finding_kind": "个别谈话", "finding_date": "2026-08-04",
                                  "finding_content": "同乡镇干部群众谈话12人，普遍反映靠前指挥。"})
    walk.fire("draft_report", a["i1"], REPORT)
    engine.add_recusal(walk.case_id, "i2", "与考察对象系堂兄弟", a["off"])
    engine.add_recusal(walk.case_id, "i3", "与考察对象系姻亲", a["off"])
    version = walk.case().version
    message = walk.refused("sign_report", a["i1"])
    assert "i2、i3已回避本案件" in message and "回避不减少应签署人数" in message and "第五十三条" in message
    blocked = dict(engine.actions(walk.case_id, a["i1"])[1])
    assert "i2、i3已回避本案件" in blocked["sign_report"]
    case = walk.case()
    assert (case.state, case.version) == ("signing", version)  # nothing recorded
    progress = engine.approval_status(walk.case_id)[0][2]
    assert progress.required == 3 and progress.awaited == ("i1", "i2", "i3")


def test_recused_signer_blocks_until_the_team_is_re_formed(engine: Engine) -> None:
    a = staff(engine)
    pid = person(engine, a["off"])
    walk = Walk(engine, engine.start_case("pre_appointment_inspection", a["off"], title="任前考察", subject_id=pid))
    steps = inspection_steps()
    steps[0] = ("form_team", "off", {**steps[0][2], "team": ["i1", "i2", "i3"]})
    upto_material = steps[:7]
    for event, who, data in upto_material:
        walk.fire(event, a[who], data)
    walk.fire("sign_material", a["i1"])
    engine.add_recusal(walk.case_id, "i3", "与考察对象系近姻亲", a["off"])
    assert "i3已回避本案件" in walk.refused("sign_material", a["i2"])
    walk.fire("withdraw_material", a["i1"], {"withdraw_reason": "i3回避，调整考察组"})
    walk.fire("adjust_team", a["off"], {"team": ["i1", "i2"], "team_leader": "i1", "adjust_reason": "i3回避"})
    for event, who, data in upto_material[1:]:
        walk.fire(event, a[who], data)
    walk.fire("sign_material", a["i2"])
    assert walk.fire("sign_material", a["i1"]).case.state == "feedback"


def test_panel_does_not_close_on_two_scores_after_the_third_panelist_recused(engine: Engine) -> None:
    walk, a = _open(engine, ["p1", "p2", "p3"])
    walk.fire("score", a["p1"], scores(80))
    walk.fire("score", a["p2"], scores(82))
    engine.add_recusal(walk.case_id, "p3", "与面谈对象系近亲属", a["off"])
    message = walk.refused("close_scoring", a["off"])
    assert "p3已回避本案件" in message and "回避不减少应参加人数" in message
    assert "面谈组每位成员均须评分后方可结束评分" in message
    assert walk.state() == "scoring"
    assert walk.fire("cancel", a["off"], {"cancel_reason": "面谈组成员回避，重新组织面谈"}).case.state == "cancelled"
