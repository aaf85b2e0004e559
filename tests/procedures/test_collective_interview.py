"""集体面谈: panel, sealed scores, trimmed mean and grade thresholds (procedures.md §2)."""

from __future__ import annotations

from typing import Any

import pytest

from workflow import Actor
from workflow import Engine
from workflow import PermissionDenied
from workflow import ValidationFailed
from workflow.extensions.actions_procedures import dimension_mean
from workflow.extensions.actions_procedures import grade_for

from .helpers import Walk
from .helpers import history
from .helpers import person
from .helpers import staff

DIMS = ("score_political", "score_capability", "score_commitment", "score_conduct", "score_integrity")


def plan(panel: list[str]) -> dict[str, Any]:
    return {"panel": panel, "chair": panel[0], "recorder": "off", "interview_time": "2026-11-20T09:30:00+08:00",
            "place": "市委组织部第二会议室", "duration_minutes": 60,
            "outline": "1. 谈谈对拟任岗位的认识。2. 主要缺点和不足。"}


def scores(value: int | list[int]) -> dict[str, Any]:
    values = value if isinstance(value, list) else [value] * len(DIMS)
    return {**dict(zip(DIMS, values, strict=True)), "score_comment": "回答问题思路清晰，有具体事例。"}


def _open(engine: Engine, panel: list[str]) -> tuple[Walk, dict[str, Actor]]:
    a = staff(engine)
    pid = person(engine, a["off"])
    case = engine.start_case("collective_interview", a["off"], title="李明同志集体面谈", subject_id=pid,
                             data={"purpose": "市发展改革委副主任人选任前考察"})
    walk = Walk(engine, case)
    walk.fire("schedule", a["off"], plan(panel))
    walk.fire("begin_interview", a["off"], {"held_at": "2026-11-20T09:30:00+08:00"})
    return walk, a


def test_main_path_to_approved_with_exact_history(engine: Engine) -> None:
    walk, a = _open(engine, ["p1", "p2", "p3"])
    for name, value in (("p1", 92), ("p2", 88), ("p3", 90)):
        walk.fire("score", a[name], scores(value))
    walk.fire("close_scoring", a["off"])
    walk.fire("record_minutes", a["off"], {"minutes_text": "面谈于2026年11月20日上午在市委组织部举行，" * 3,
                                          "conclusion": "面谈结论为好。", "problems": "基层经历偏少。"})
    walk.fire("return", a["rev"], {"return_reason": "纪要未写明各成员主要意见"})
    walk.fire("record_minutes", a["off"], {"minutes_text": "面谈组成员逐一发表意见，" * 5,
                                          "conclusion": "面谈结论为好。"})
    walk.fire("approve", a["rev"], {"approve_opinion": "同意"})
    case = walk.case()
    assert case.state == "approved"
    assert case.data["result_total"] == 90.0 and case.data["result_grade"] == "好"
    assert history(engine, walk.case_id) == [
        ("start", None, "planning", "off"),
        ("schedule", "planning", "scheduled", "off"),
        ("begin_interview", "scheduled", "scoring", "off"),
        ("score", "scoring", "scoring", "p1"),
        ("score", "scoring", "scoring", "p2"),
        ("score", "scoring", "scoring", "p3"),
        ("close_scoring", "scoring", "scored", "off"),
        ("record_minutes", "scored", "minutes", "off"),
        ("return", "minutes", "scored", "rev"),
        ("record_minutes", "scored", "minutes", "off"),
        ("approve", "minutes", "approved", "rev"),
    ]


def test_panel_of_three_passes_two_is_refused(engine: Engine) -> None:
    """面谈组不少于3人（地方实施办法通行做法；《党政领导干部选拔任用工作条例》第二十八条 面谈）."""
    a = staff(engine)
    case = engine.start_case("collective_interview", a["off"], title="面谈", subject_id=person(engine, a["off"]))
    walk = Walk(engine, case)
    assert "实际2人" in walk.refused("schedule", a["off"], plan(["p1", "p2"]))
    assert walk.fire("schedule", a["off"], plan(["p1", "p2", "p3"])).case.state == "scheduled"


def test_chair_must_be_on_the_panel(engine: Engine) -> None:
    a = staff(engine)
    case = engine.start_case("collective_interview", a["off"], title="面谈", subject_id=person(engine, a["off"]))
    message = Walk(engine, case).refused("schedule", a["off"], {**plan(["p1", "p2", "p3"]), "chair": "p4"})
    assert "主持人须为面谈组成员" in message


def test_recused_panelist_can_neither_be_put_on_the_panel_nor_let_it_start(engine: Engine) -> None:
    """回避（《党政领导干部选拔任用工作条例》第五十三条）: recused before or after scheduling."""
    a = staff(engine)
    case = engine.start_case("collective_interview", a["off"], title="面谈", subject_id=person(engine, a["off"]))
    walk = Walk(engine, case)
    engine.add_recusal(case.id, "p4", "系面谈对象的配偶之兄", a["off"])
    with pytest.raises(PermissionDenied):
        engine.fire(case.id, "schedule", a["off"], plan(["p1", "p2", "p4"]), walk.case().version)
    walk.fire("schedule", a["off"], plan(["p1", "p2", "p3"]))
    engine.add_recusal(case.id, "p3", "与面谈对象系同学且为近亲属", a["off"])
    message = walk.refused("begin_interview", a["off"], {"held_at": "2026-11-20T09:30:00+08:00"})
    assert "p3已回避本案件" in message and "第五十三条" in message


def test_close_scoring_refused_until_every_panelist_scored(engine: Engine) -> None:
    """Every panel member must score before scoring closes (2 of 3 refused, 3 of 3 passes)."""
    walk, a = _open(engine, ["p1", "p2", "p3"])
    walk.fire("score", a["p1"], scores(80))
    walk.fire("score", a["p2"], scores(80))
    assert "尚有1人未完成：p3" in walk.refused("close_scoring", a["off"])
    walk.fire("score", a["p3"], scores(80))
    assert walk.fire("close_scoring", a["off"]).case.state == "scored"


def test_scores_are_sealed_until_scoring_closes(engine: Engine) -> None:
    walk, a = _open(engine, ["p1", "p2", "p3"])
    walk.fire("score", a["p1"], scores(81))
    walk.fire("score", a["p2"], scores(79))
    seen_by_p2 = walk.case(a["p2"]).data
    assert [e["score_political"] for e in seen_by_p2["scores"]] == [79] and seen_by_p2["scores_count"] == 2
    p1_events = [e for e in engine.history(walk.case_id, a["p2"]) if e.event == "score" and e.actor == "p1"]
    assert p1_events[0].sealed and p1_events[0].data == {}
    with pytest.raises(PermissionDenied):
        engine.fire(walk.case_id, "score", a["p1"], scores(90), walk.case().version)
    walk.fire("score", a["p3"], scores(80))
    walk.fire("close_scoring", a["off"])
    assert len(walk.case(a["p2"]).data["scores"]) == 3


def test_four_scorers_plain_mean_five_scorers_trimmed(engine: Engine) -> None:
    """去掉一个最高分和一个最低分 from 5 scorers on (param trim_from: 5); 4 scorers: plain mean."""
    walk, a = _open(engine, ["p1", "p2", "p3", "p4"])
    for name, value in zip(["p1", "p2", "p3", "p4"], [100, 80, 80, 60], strict=True):
        walk.fire("score", a[name], scores(value))
    walk.fire("close_scoring", a["off"])
    four = walk.case().data
    assert four["result_total"] == 80.0 and four["result_method"] == "全部评分取算术平均"

    walk5, a = _open(engine, ["p1", "p2", "p3", "p4", "p5"])
    for name, value in zip(["p1", "p2", "p3", "p4", "p5"], [100, 85, 85, 85, 20], strict=True):
        walk5.fire("score", a[name], scores(value))
    walk5.fire("close_scoring", a["off"])
    five = walk5.case().data
    assert five["result_scores"]["score_political"] == 85.0
    assert five["result_method"] == "去掉一个最高分和一个最低分后取平均"
    assert five["result_grade"] == "较好"


def test_grade_threshold_boundary(engine: Engine) -> None:
    """Overall 90.00 is 好; 89.80 is 较好 (thresholds 好 90 / 较好 80 / 一般 60 are YAML params)."""
    walk, a = _open(engine, ["p1", "p2", "p3"])
    for name in ("p1", "p2", "p3"):
        walk.fire("score", a[name], scores([90, 90, 90, 90, 90]))
    walk.fire("close_scoring", a["off"])
    assert walk.case().data["result_grade"] == "好"
    walk2, a = _open(engine, ["p1", "p2", "p3"])
    for name in ("p1", "p2", "p3"):
        walk2.fire("score", a[name], scores([90, 90, 90, 90, 89]))
    walk2.fire("close_scoring", a["off"])
    data = walk2.case().data
    assert data["result_total"] == 89.8 and data["result_grade"] == "较好"


@pytest.mark.parametrize(("values", "trim_from", "expected"), [
    ([70, 80, 90, 100], 5, (85.0, False)),
    ([60, 70, 80, 90, 100], 5, (80.0, True)),
    ([60, 70, 80, 90, 100], 6, (80.0, False)),
    ([], 5, (0.0, False)),
])
def test_dimension_mean(values: list[int], trim_from: int, expected: tuple[float, bool]) -> None:
    assert dimension_mean([float(v) for v in values], trim_from) == expected


@pytest.mark.parametrize(("total", "grade"), [(90, "好"), (89.99, "较好"), (80, "较好"), (79.99, "一般"),
                                              (60, "一般"), (59.99, "差")])
def test_grade_for(total: float, grade: str) -> None:
    assert grade_for(total, {"好": 90, "较好": 80, "一般": 60}, "差") == grade


def test_cancel_needs_a_reason(engine: Engine) -> None:
    walk, a = _open(engine, ["p1", "p2", "p3"])
    with pytest.raises(ValidationFailed) as info:
        engine.fire(walk.case_id, "cancel", a["off"], {}, walk.case().version)
    assert info.value.fields == {"cancel_reason": "取消理由：此项为必填项"}
    walk.fire("cancel", a["off"], {"cancel_reason": "考察对象因工作调动不再列为考察对象"})
    assert walk.state() == "cancelled"
