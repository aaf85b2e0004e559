"""干部选拔任用 v4: 差额考察 — several 考察对象, one 任前考察 each, the decision chooses among them.

procedures.md "Extensions" → selection_appointment: 确定考察对象 lists the 考察对象 (任用条例第五章:
考察对象一般应当多于拟任职务人数; the ratio 1:2 is local practice), each from the 民主推荐 and each
checked by the rules for 考察对象; 启动任前考察 opens one linked 任前考察 per person; the 讨论决定
records the 表决人选, who must have been inspected and concluded 可以任用; the appointment writes the
chosen person's record, and the forms print them.
"""

from __future__ import annotations

from typing import Any

import pytest

from documents.issue import form_inputs
from workflow import Actor
from workflow import Engine

from .helpers import Walk
from .helpers import inspection_steps
from .helpers import person
from .test_selection_appointment import CANDIDATES
from .test_selection_appointment import CONSULT
from .test_selection_appointment import DECIDE
from .test_selection_appointment import QUALIFIED
from .test_selection_appointment import RECOMMEND
from .test_selection_appointment import TALKS
from .test_selection_appointment import drive
from .test_selection_appointment import opened

MULTI = {**CANDIDATES, "candidate_mode": "差额考察"}


def rounds_with(walk: Walk, a: dict[str, Actor], others: list[int]) -> None:
    """Both 民主推荐 rounds, the case's person first (15 votes), then ``others`` (10, 9, ...)."""
    drive(walk, a, "recommendation")
    people = [walk.case().subject_id, *others]
    for data in (TALKS, RECOMMEND):
        rows = [{"person_id": pid, "votes": 15 - 5 * (i > 0) - (i > 1) * (i - 1)} for i, pid in enumerate(people)]
        walk.fire("recommend", a["off"], {**{k: v for k, v in data.items() if not k.startswith("subject_")},
                                          "candidates": rows})


def listed(*people: int | None) -> dict[str, Any]:
    return {**MULTI, "inspection_candidates": [{"person_id": pid} for pid in people]}


def conclude(engine: Engine, a: dict[str, Actor], case_id: int, conclusion: str = "fit") -> None:
    walk = Walk(engine, engine.get_case(case_id))
    for event, who, data in inspection_steps():
        walk.fire(event, a[who], {**data, "conclusion": conclusion} if event == "conclude" else data)


@pytest.fixture
def two(engine: Engine) -> tuple[Walk, dict[str, Actor], int]:
    """A selection of 李明 with 王强 recommended beside him, at 民主推荐 with both rounds recorded."""
    walk, a = opened(engine)
    other = person(engine, a["off"], "王强", **QUALIFIED)
    rounds_with(walk, a, [other])
    return walk, a, other


def inspected(walk: Walk, a: dict[str, Actor], other: int, conclusions: tuple[str, str] = ("fit", "fit")) -> list[int]:
    """差额 with 李明 and 王强, both inspected and concluded as ``conclusions``; the 任前考察 case ids."""
    walk.fire("set_candidates", a["rev"], listed(walk.case().subject_id, other))
    walk.fire("start_inspection", a["off"])
    ids = walk.case().data["inspection_case_ids"]
    for case_id, conclusion in zip(ids, conclusions, strict=True):
        conclude(walk.engine, a, case_id, conclusion)
    return list(ids)


def test_a_multi_candidate_list_has_twice_the_posts_and_the_proposed_person(
        two: tuple[Walk, dict[str, Actor], int]) -> None:
    """差额考察: 考察对象 ≥ 2 × 职位数 (1 post), the 拟任人选 among them; 等额考察 lists nobody else."""
    walk, a, other = two
    subject = walk.case().subject_id
    assert "考察对象1人，职位1个，应不少于2人" in walk.refused("set_candidates", a["rev"], listed(subject))
    assert "拟任人选李明未列入考察对象" in walk.refused("set_candidates", a["rev"], listed(other))
    alone = {**listed(subject, other), "candidate_mode": "等额考察"}
    assert "等额考察只考察拟任人选李明一人，王强不应列入" in walk.refused("set_candidates", a["rev"], alone)
    walk.fire("set_candidates", a["rev"], listed(subject, other))
    assert walk.state() == "candidates"


def test_every_candidate_comes_from_the_recommendation(two: tuple[Walk, dict[str, Actor], int]) -> None:
    walk, a, other = two
    third = person(walk.engine, a["off"], "张华", **QUALIFIED)
    refusal = walk.refused("set_candidates", a["rev"], listed(walk.case().subject_id, other, third))
    assert "张华不在民主推荐人选之列" in refusal and "王强" not in refusal.split("不在民主推荐人选之列")[0]


def test_every_candidate_is_checked_by_the_qualification_rules(engine: Engine) -> None:
    """任用条例第八条第三项 for each 考察对象, the refusal named by person: 王强 正科 since 2024-03 (< 3 years)."""
    walk, a = opened(engine)
    junior = person(engine, a["off"], "王强", **{**QUALIFIED, "rank_since": "2024-03-01", "post_since": "2024-03-01"})
    rounds_with(walk, a, [junior])
    refusal = walk.refused("set_candidates", a["rev"], listed(walk.case().subject_id, junior))
    assert "王强：任乡科级正职" in refusal and "应满3年" in refusal and "李明：" not in refusal


def test_each_candidate_gets_a_pre_appointment_inspection_of_their_own(two: tuple[Walk, dict[str, Actor], int]) -> None:
    walk, a, other = two
    walk.fire("set_candidates", a["rev"], listed(walk.case().subject_id, other))
    walk.fire("start_inspection", a["off"])
    data = walk.case().data
    ids = data["inspection_case_ids"]
    assert len(ids) == 2 and data["inspection_case_id"] == ids[0]
    cases = [walk.engine.get_case(i) for i in ids]
    assert [c.subject_id for c in cases] == [walk.case().subject_id, other]
    assert [c.definition for c in cases] == ["pre_appointment_inspection"] * 2
    assert cases[1].title.endswith("（王强）")
    assert [c.data["parent_case_id"] for c in cases] == [walk.case_id] * 2


@pytest.mark.parametrize(("conclusions", "ok"), [(("fit", "unfit"), True), (("unfit", "fit"), True),
                                                 (("unfit", "postpone"), False)])
def test_deliberation_needs_one_candidate_concluded_fit(two: tuple[Walk, dict[str, Actor], int],
                                                        conclusions: tuple[str, str], ok: bool) -> None:
    walk, a, other = two
    inspected(walk, a, other, conclusions)
    if ok:
        walk.fire("to_deliberation", a["off"])
        assert walk.state() == "deliberation"
    else:
        refusal = walk.refused("to_deliberation", a["off"])
        assert "李明，案件#" in refusal and "“不宜任用”" in refusal and "王强，案件#" in refusal
        assert "“暂缓任用”" in refusal


def test_deliberation_waits_for_every_candidates_inspection(two: tuple[Walk, dict[str, Actor], int]) -> None:
    walk, a, other = two
    walk.fire("set_candidates", a["rev"], listed(walk.case().subject_id, other))
    walk.fire("start_inspection", a["off"])
    first, second = walk.case().data["inspection_case_ids"]
    conclude(walk.engine, a, first)
    assert f"关联案件#{second}" in walk.refused("to_deliberation", a["off"])
    reason = {"terminate_reason": "本人因病申请退出考察，经研究同意终止考察。"}
    Walk(walk.engine, walk.engine.get_case(second)).fire("terminate", a["off"], reason)
    walk.fire("to_deliberation", a["off"])  # an inspection ended early counts as ended; one is fit
    assert walk.state() == "deliberation"


def test_the_decision_chooses_an_inspected_candidate_concluded_fit(two: tuple[Walk, dict[str, Actor], int]) -> None:
    walk, a, other = two
    inspected(walk, a, other, ("unfit", "fit"))
    walk.fire("to_deliberation", a["off"])
    walk.fire("consult", a["off"], CONSULT)
    decide = next(x for x in walk.engine.actions(walk.case().id, a["rev"])[0] if x.event == "decide")
    assert decide.offers == {"chosen_id": tuple(sorted((walk.case().subject_id, other)))}  # the form offers these
    assert "缺少1项：表决人选" in walk.refused("decide", a["rev"], DECIDE)
    unfit = {**DECIDE, "chosen_id": walk.case().subject_id}
    assert "李明的任前考察结论为“不宜任用”" in walk.refused("decide", a["rev"], unfit)
    third = person(walk.engine, a["off"], "张华", **QUALIFIED)
    assert "张华未经任前考察" in walk.refused("decide", a["rev"], {**DECIDE, "chosen_id": third})
    walk.fire("decide", a["rev"], {**DECIDE, "chosen_id": other})
    assert walk.state() == "decided"


def test_the_appointment_writes_the_chosen_persons_record_and_the_forms_print_them(
        two: tuple[Walk, dict[str, Actor], int]) -> None:
    walk, a, other = two
    inspected(walk, a, other, ("fit", "fit"))
    walk.fire("to_deliberation", a["off"])
    walk.fire("consult", a["off"], CONSULT)
    walk.fire("decide", a["rev"], {**DECIDE, "chosen_id": other})
    drive(walk, a, "appointed")  # 任前公示, 任职 in 试用期, 正式任职 writes the record
    engine = walk.engine
    chosen, proposed = engine.people.get(other), engine.people.get(walk.case().subject_id or 0)
    assert chosen.current_post == "市发展改革委副主任" and chosen.profile["post_since"] == DECIDE["meeting_date"]
    assert chosen.profile["rank_level"] == "county_deputy"
    assert proposed.current_post == "综合规划处处长"  # the other candidate's record is untouched
    record = engine.case_record(walk.case_id, a["off"])
    inputs = form_inputs(engine, record, "appointment_approval_form", a["off"])
    assert inputs.subject is not None and inputs.subject.name == "王强"


def test_equal_candidate_selection_is_unchanged(engine: Engine) -> None:
    """等额考察 (no list): one 任前考察 on the case's person, no 表决人选 needed, as in version 3."""
    walk, a = opened(engine)
    drive(walk, a, "inspection")
    data = walk.case().data
    assert "inspection_case_ids" not in data and walk.engine.get_case(data["inspection_case_id"]).subject_id == \
        walk.case().subject_id
    drive(walk, a, "decided")
    assert walk.case().definition_version == 4
