"""任前考察: team, 考察预告, 民主测评, 凡提四必, signed material, feedback (procedures.md §5)."""

from __future__ import annotations

from typing import Any

import pytest

from workflow import Actor
from workflow import CaseNotFound
from workflow import Engine
from workflow import ValidationFailed
from workflow.queries.facts import choice_labels

from .helpers import Walk
from .helpers import history
from .helpers import person
from .helpers import staff

TEAM = {"team": ["i1", "i2"], "team_leader": "i1", "plan_text": "对李明同志进行任前考察。",
        "plan_consultation": "已征求市发展改革委党组书记意见，无不同意见。"}
NOTICE = {"notice_date": "2026-11-20", "notice_scope": "市发展改革委机关", "notice_form": "张贴公告",
          "supervision_phone": "0571-12380"}
EVALUATION = {"evaluation_date": "2026-11-24", "talk_count": 35, "ballots_issued": 40, "ballots_returned": 39,
              "ballots_valid": 38, "votes_excellent": 30, "votes_competent": 7, "votes_basic": 1,
              "votes_incompetent": 0, "talk_summary": "普遍认为该同志政治素质好、业务能力强。"}
CHECKS = {"archive_review": "通过", "personal_matters": "一致", "discipline_opinion": "无问题", "petition_check": "无",
          "integrity_conclusion": "该同志廉洁自律，未发现违反中央八项规定精神问题。",
          "integrity_party_secretary": "王建国", "integrity_discipline_secretary": "陈立"}
MATERIAL = {"material_text": "李明同志政治立场坚定，" * 20,
            "material_shortcomings": "基层一线工作经历偏少，统筹推进工作节奏偏快。",
            "appointment_suggestion": "建议任市发展改革委副主任。"}


def opened(engine: Engine) -> tuple[Walk, dict[str, Actor]]:
    a = staff(engine)
    case = engine.start_case("pre_appointment_inspection", a["off"], title="李明同志任前考察",
                             subject_id=person(engine, a["off"]), data={"proposed_post": "市发展改革委副主任"})
    return Walk(engine, case), a


def to_state(engine: Engine, target: str) -> tuple[Walk, dict[str, Actor]]:
    """Walk the main path until ``target`` is reached."""
    walk, a = opened(engine)
    steps: list[tuple[str, str, dict[str, Any]]] = [
        ("form_team", "off", TEAM), ("announce", "off", NOTICE),
        ("begin", "off", {"inspection_start_date": "2026-11-23"}),
        ("record_evaluation", "i2", EVALUATION), ("to_checks", "off", {}), ("record_checks", "off", CHECKS),
        ("material", "i1", MATERIAL), ("sign_material", "i1", {}), ("sign_material", "i2", {}),
        ("feedback", "i2", {"feedback_date": "2026-11-25", "feedback_leader": "市发展改革委党组书记王建国",
                            "feedback_opinion": "同意考察组意见"}),
        ("report", "i1", {"report_date": "2026-11-25"}),
        ("conclude", "rev", {"meeting_date": "2026-11-25", "conclusion": "fit",
                             "meeting_opinion": "部务会研究同意"}),
    ]
    states = {"team_formed": 1, "announced": 2, "investigating": 3, "checks": 5, "material": 7, "feedback": 9,
              "reported": 11, "concluded": 12}
    for event, who, data in steps[:states[target]]:
        walk.fire(event, a[who], data)
    assert walk.state() == target
    return walk, a


def test_main_path_to_concluded_with_exact_history(engine: Engine) -> None:
    walk, _ = to_state(engine, "concluded")
    assert history(engine, walk.case_id) == [
        ("start", None, "plan", "off"),
        ("form_team", "plan", "team_formed", "off"),
        ("announce", "team_formed", "announced", "off"),
        ("begin", "announced", "investigating", "off"),
        ("record_evaluation", "investigating", "investigating", "i2"),
        ("to_checks", "investigating", "checks", "off"),
        ("record_checks", "checks", "checks", "off"),
        ("material", "checks", "material", "i1"),
        ("sign_material", "material", "material", "i1"),
        ("sign_material", "material", "feedback", "i2"),
        ("feedback", "feedback", "feedback", "i2"),
        ("report", "feedback", "reported", "i1"),
        ("conclude", "reported", "concluded", "rev"),
    ]
    assert engine.verify().ok


def test_team_of_two_passes_one_is_refused(engine: Engine) -> None:
    """考察组不少于2人（《党政领导干部选拔任用工作条例》第三十三条）."""
    walk, a = opened(engine)
    message = walk.refused("form_team", a["off"], {**TEAM, "team": ["i1"]})
    assert message.startswith("考察组成员不少于2人（《党政领导干部选拔任用工作条例》第三十三条）：实际1人")
    assert walk.fire("form_team", a["off"], TEAM).case.state == "team_formed"


def test_team_leader_must_be_a_member(engine: Engine) -> None:
    """组长须为考察组成员（第三十三条）."""
    walk, a = opened(engine)
    assert "组长须为考察组成员" in walk.refused("form_team", a["off"], {**TEAM, "team_leader": "i3"})


def test_inspection_begins_one_working_day_after_the_notice(engine: Engine) -> None:
    """考察预告 before 考察（《党政领导干部选拔任用工作条例》第二十八条; 1 working day, 浙江预告制度）.

    Notice on Friday 11-20: Sunday 11-22 is refused, Monday 11-23 passes.
    """
    walk, a = to_state(engine, "announced")
    message = walk.refused("begin", a["off"], {"inspection_start_date": "2026-11-22"})
    assert "2026-11-20后满1个工作日为2026-11-23，实际为2026-11-22" in message
    assert "第二十八条" in message
    assert "2026-11-20" in walk.refused("begin", a["off"], {"inspection_start_date": "2026-11-20"})
    assert walk.fire("begin", a["off"], {"inspection_start_date": "2026-11-23"}).case.state == "investigating"


@pytest.mark.parametrize(("change", "figure"), [
    ({"votes_basic": 2}, "各等次票数合计39张，与有效票38张不符"),
    ({"votes_basic": 0}, "各等次票数合计37张，与有效票38张不符"),
    ({"ballots_returned": 41}, "收回41张，多于发出40张"),
    ({"ballots_valid": 40, "votes_excellent": 32}, "有效40张，多于收回39张"),
])
def test_democratic_evaluation_counts_must_agree(engine: Engine, change: dict[str, int], figure: str) -> None:
    """民主测评: issued ≥ returned ≥ valid, grades sum to valid（第二十八条 民主测评）; one off is refused."""
    walk, a = to_state(engine, "investigating")
    assert figure in walk.refused("record_evaluation", a["i2"], {**EVALUATION, **change})
    walk.fire("record_evaluation", a["i2"], EVALUATION)


def test_evaluation_must_be_recorded_before_the_checks(engine: Engine) -> None:
    walk, a = to_state(engine, "investigating")
    assert "民主测评和个别谈话情况须先录入" in walk.refused("to_checks", a["off"])


@pytest.mark.parametrize("missing", ["archive_review", "personal_matters", "discipline_opinion", "petition_check"])
def test_material_needs_all_four_musts(engine: Engine, missing: str) -> None:
    """凡提四必 all recorded before the material（《党政领导干部选拔任用工作条例》第三十一条）."""
    walk2, a = opened(engine)
    for event, who, data in (("form_team", "off", TEAM), ("announce", "off", NOTICE),
                             ("begin", "off", {"inspection_start_date": "2026-11-23"}),
                             ("record_evaluation", "i1", EVALUATION), ("to_checks", "off", {}),
                             ("record_checks", "off", {k: v for k, v in CHECKS.items() if k != missing})):
        walk2.fire(event, a[who], data)
    assert "material" not in walk2.case(a["i1"]).available_events
    message = walk2.refused("material", a["i1"], MATERIAL)
    label = engine.registry.get("pre_appointment_inspection").field_label(missing)
    assert "凡提四必" in message and "第三十一条" in message and f"缺少1项：{label}" in message
    walk2.fire("record_checks", a["off"], {missing: CHECKS[missing]})
    assert walk2.fire("material", a["i1"], MATERIAL).case.state == "material"


def test_concealment_blocks_the_material_and_leaves_only_termination(engine: Engine) -> None:
    """瞒报 blocks 考察材料, cannot be changed, and termination marks the person（第三十一条；查核结果处理办法）."""
    walk, a = to_state(engine, "investigating")
    walk.fire("record_evaluation", a["i1"], EVALUATION)
    walk.fire("to_checks", a["off"])
    walk.fire("record_checks", a["off"], {**CHECKS, "personal_matters": "瞒报"})
    assert "当前为“瞒报”" in walk.refused("material", a["i1"], MATERIAL)
    assert "不得改为“一致”" in walk.refused("record_checks", a["off"], {"personal_matters": "一致"})
    walk.fire("terminate", a["off"], {"terminate_reason": "个人有关事项报告查核认定为瞒报"})
    marks = engine.people.marks(walk.case().subject_id or 0)
    assert [(m.kind, m.label, m.ends_on) for m in marks] == [("concealment", "个人有关事项报告瞒报", None)]


def test_unresolved_petition_blocks_resolved_passes(engine: Engine) -> None:
    """信访举报 未了结 blocks; 已核查了结 passes（第三十一条 凡提必查）."""
    walk, a = to_state(engine, "checks")
    walk.fire("record_checks", a["off"], {**CHECKS, "petition_check": "未了结"})
    assert "当前为“未了结”" in walk.refused("material", a["i1"], MATERIAL)
    walk.fire("record_checks", a["off"], {"petition_check": "已核查了结", "petition_note": "经核查反映问题不属实"})
    assert walk.fire("material", a["i1"], MATERIAL).case.state == "material"


def test_integrity_conclusion_needs_two_different_signers(engine: Engine) -> None:
    """廉洁自律结论性意见 signed by the 党委书记 AND the 纪委书记（第三十一条）."""
    walk, a = to_state(engine, "checks")
    walk.fire("record_checks", a["off"], {**CHECKS, "integrity_discipline_secretary": "王建国"})
    assert "两人分别签字" in walk.refused("material", a["i1"], MATERIAL)
    walk.fire("record_checks", a["off"], {"integrity_discipline_secretary": "陈立"})
    assert walk.fire("material", a["i1"], MATERIAL).case.state == "material"


def test_material_must_state_shortcomings(engine: Engine) -> None:
    """考察材料须写明主要缺点和不足（a required field with a minimum length）."""
    walk, a = to_state(engine, "checks")
    with pytest.raises(ValidationFailed) as info:
        engine.fire(walk.case_id, "material", a["i1"], {**MATERIAL, "material_shortcomings": ""},
                    walk.case().version)
    assert "material_shortcomings" in info.value.fields


def test_material_is_signed_by_every_member(engine: Engine) -> None:
    """考察组成员对考察材料负责，全体签名（第三十三条 干部考察工作责任制）."""
    walk, a = to_state(engine, "material")
    first = walk.fire("sign_material", a["i2"])
    assert first.waiting is not None and first.waiting.awaited == ("i1",) and first.case.state == "material"
    with pytest.raises(CaseNotFound):  # an inspector off the team does not see the inspection
        engine.fire(walk.case_id, "sign_material", a["i3"], {}, walk.case().version)
    assert walk.fire("sign_material", a["i1"]).case.state == "feedback"


def test_feedback_before_report(engine: Engine) -> None:
    """反馈 to the unit's principal leader before the report（第二十八条）."""
    walk, a = to_state(engine, "feedback")
    assert "须先向呈报单位主要领导反馈" in walk.refused("report", a["i1"], {"report_date": "2026-11-25"})
    walk.fire("feedback", a["i1"], {"feedback_date": "2026-11-24", "feedback_leader": "王建国",
                                    "feedback_opinion": "无不同意见"})
    assert walk.fire("report", a["i1"], {"report_date": "2026-11-25"}).case.state == "reported"


def test_return_material_needs_fresh_signatures(engine: Engine) -> None:
    walk, a = to_state(engine, "reported")
    walk.fire("return_material", a["rev"], {"return_reason": "缺点和不足写得不够具体"})
    assert walk.fire("sign_material", a["i1"]).waiting is not None


@pytest.mark.parametrize(("value", "label"), [("fit", "可以任用"), ("unfit", "不宜任用"), ("postpone", "暂缓任用")])
def test_the_conclusion_is_fit_unfit_or_postpone(engine: Engine, value: str, label: str) -> None:
    """部务会研究 records `conclusion` (procedures.md Extensions §selection_appointment: fit 可以任用 / unfit
    不宜任用 / postpone 暂缓任用), which the spine's 提交讨论决定 reads; its label is what a refusal names."""
    walk, a = to_state(engine, "reported")
    data = {"meeting_date": "2026-11-25", "meeting_opinion": "部务会研究"}
    with pytest.raises(ValidationFailed) as info:
        engine.fire(walk.case_id, "conclude", a["rev"], {**data, "conclusion": "同意考察组任用建议"},
                    walk.case().version)
    assert set(info.value.fields) == {"conclusion"}
    case = walk.fire("conclude", a["rev"], {**data, "conclusion": value}).case
    assert case.state == "concluded" and case.data["conclusion"] == value
    definition = engine.registry.get("pre_appointment_inspection", case.definition_version)
    assert choice_labels(definition, case.data)["conclusion"] == label
