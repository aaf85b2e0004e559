"""The rules read the person record: the sanctions register's 影响期 at its boundaries, the appointment
written back by the spine, and a case outcome written into the register (record_sanction)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from workflow import Engine
from workflow import ValidationFailed

from ..conftest import EngineFactory
from .helpers import person
from .helpers import staff
from .test_selection_appointment import CANDIDATES
from .test_selection_appointment import both_rounds
from .test_selection_appointment import drive
from .test_selection_appointment import opened

OUTCOME = Path(__file__).parent / "definitions"
WARNING = {"kind": "党纪警告", "decided_on": "2025-03-10", "decided_by": "市纪委", "reason": "违反工作纪律"}


@pytest.mark.parametrize(("decided_on", "blocked"), [
    ("2026-03-09", True),   # the day before the end
    ("2026-03-10", True),   # effect_until, the last day of the 影响期, still blocks
    ("2026-03-11", False),  # free from the next day
])
def test_a_sanctions_influence_period_blocks_until_its_last_day(engine: Engine, decided_on: str,
                                                               blocked: bool) -> None:
    """党纪警告 decided 2025-03-10: 12 months, effect_until 2026-03-10 (纪律处分条例第十条)."""
    walk, a = opened(engine)
    sanction = engine.people.add_sanction(walk.case().subject_id or 0, WARNING, a["off"])
    assert sanction.effect_until == date(2026, 3, 10)
    both_rounds(walk, a)
    data = {**CANDIDATES, "candidates_decided_on": decided_on}
    if blocked:
        refusal = walk.refused("set_candidates", a["rev"], data)
        assert "影响期未满" in refusal and "“党内警告处分（市纪委决定）”2025-03-10至2026-03-10" in refusal
    else:
        walk.fire("set_candidates", a["rev"], data)


def test_a_kind_without_period_blocks_nothing(engine: Engine) -> None:
    walk, a = opened(engine)
    engine.people.add_sanction(walk.case().subject_id or 0, {**WARNING, "kind": "问责通报"}, a["off"])
    both_rounds(walk, a)
    walk.fire("set_candidates", a["rev"], {**CANDIDATES, "candidates_decided_on": "2025-09-01"})


def test_confirm_writes_the_new_post_into_the_record(engine: Engine) -> None:
    walk, a = opened(engine)
    pid = walk.case().subject_id or 0
    engine.people.update(pid, {"proposed_post": "市发展改革委副主任", "post_since": "2019-12-01",
                               "resume": [{"start": "2019.12", "end": "", "text": "市发展和改革委员会综合规划处处长"}]},
                         a["off"])
    drive(walk, a, "appointed")
    p = engine.people.get(pid)
    # target_post 市发展改革委副主任 does not start with target_unit 市发展和改革委员会: both are kept as given
    assert (p.current_post, p.unit, p.profile["post_since"]) == ("市发展改革委副主任", "市发展和改革委员会",
                                                                  "2025-09-28")
    assert "proposed_post" not in p.profile
    assert p.profile["resume"] == [
        {"start": "2019.12", "end": "2025.09", "text": "市发展和改革委员会综合规划处处长"},
        {"start": "2025.09", "end": "", "text": "市发展和改革委员会市发展改革委副主任"}]
    last = engine.people.history(pid)[-1]
    assert last.kind == "appointment" and last.case_id == walk.case_id and last.actor == "rev"
    assert set(last.changes) == {"current_post", "post_since", "resume", "proposed_post", "rank_level", "rank_since"}
    assert walk.case().data["person_updated"] == ["current_post", "post_since", "proposed_post", "rank_level",
                                                  "rank_since", "resume"]
    assert last.changes["rank_level"] == {"old": "township_chief", "new": "county_deputy"}
    assert last.changes["current_post"] == {"old": "综合规划处处长", "new": "市发展改革委副主任"}
    assert engine.verify().ok


@pytest.fixture
def outcome_engine(make_engine: EngineFactory) -> Engine:
    return make_engine(OUTCOME)


def _determine(engine: Engine, data: dict[str, str]) -> tuple[int, int]:
    a = staff(engine)
    pid = person(engine, a["off"])
    case = engine.start_case("outcome", a["off"], title="认定", subject_id=pid, data={"matter": "产业园审批"})
    engine.fire(case.id, "determine", a["rev"], {"determined_on": "2026-04-01", "body": "县委常委会", **data},
                case.version)
    return pid, case.id


def test_lenient_outcomes_record_the_measure_with_its_period(outcome_engine: Engine) -> None:
    pid, case_id = _determine(outcome_engine, {"outcome": "从轻", "measure": "诫勉"})
    [s] = outcome_engine.people.sanctions(pid)
    assert (s.kind, s.decided_on, s.effect_until, s.case_id) == ("诫勉", date(2026, 4, 1), date(2026, 10, 1), case_id)
    assert "从轻" in s.reason
    assert outcome_engine.get_case(case_id).data["sanctions_added"][0]["effect_until"] == "2026-10-01"
    assert outcome_engine.people.history(pid)[-1].case_id == case_id


def test_no_tolerance_records_the_original_decision_and_exemption_nothing(outcome_engine: Engine) -> None:
    pid, _ = _determine(outcome_engine, {"outcome": "不予容错", "original_kind": "政务记过",
                                         "original_on": "2026-02-01"})
    [s] = outcome_engine.people.sanctions(pid)
    assert (s.kind, s.effect_until) == ("政务记过", date(2027, 2, 1))
    pid, case_id = _determine(outcome_engine, {"outcome": "免责", "measure": "诫勉"})
    assert outcome_engine.people.sanctions(pid) == []
    assert "sanctions_added" not in outcome_engine.get_case(case_id).data


def test_an_unknown_measure_refuses_the_event_naming_the_case_field(outcome_engine: Engine) -> None:
    with pytest.raises(ValidationFailed) as info:
        _determine(outcome_engine, {"outcome": "减轻", "measure": "罚站"})
    assert set(info.value.fields) == {"measure"} and info.value.fields["measure"].startswith("处理措施：")
