"""干部选拔任用 v3: the path after the decision follows the post kind and the kind of move.

procedures.md "Extensions" → selection_appointment: 公示 for 提拔 (任用条例第四十二条), 试用期 for
提拔 to an appointed post (第四十三条), a 平级交流 straight to appointment, an elected post ends with
提名 and the election, a 人大任命 post with the 人大常委会's appointment; 酝酿 before 讨论决定 and a
valid meeting whose vote fails recorded as 未通过 (第四十七条).
"""

from __future__ import annotations

from typing import Any

import pytest

from workflow import Engine
from workflow import TransitionNotAllowed

from .helpers import conclude_inspection
from .helpers import history
from .test_selection_appointment import CONSULT
from .test_selection_appointment import DECIDE
from .test_selection_appointment import ELECT
from .test_selection_appointment import NOMINATE
from .test_selection_appointment import NPC
from .test_selection_appointment import drive
from .test_selection_appointment import opened

HEAD = [("start", None, "motion", "off"),
        ("approve_plan", "motion", "recommendation", "rev"),
        ("recommend", "recommendation", "recommendation", "off"),
        ("recommend", "recommendation", "recommendation", "off"),
        ("set_candidates", "recommendation", "candidates", "rev"),
        ("start_inspection", "candidates", "inspection", "off"),
        ("to_deliberation", "inspection", "deliberation", "off"),
        ("consult", "deliberation", "deliberation", "off"),
        ("decide", "deliberation", "decided", "rev")]


def _post(engine: Engine, subject_id: int) -> dict[str, Any]:
    view = engine.people.get(subject_id)
    return {**view.profile, "current_post": view.current_post}


def test_transfer_goes_from_the_decision_to_appointment_without_notice_or_probation(engine: Engine) -> None:
    """平级交流: no 任前公示 (第四十二条 applies to 提拔) and no 试用期 (第四十三条); 任职时间 from the decision."""
    walk, a = opened(engine, {"move_kind": "transfer", "target_post": "市商务局副局长", "target_unit": "市商务局"},
                     rank_level="county_deputy", rank_since="2021-03-01")
    drive(walk, a, "decided")
    events = walk.case().available_events
    assert "publish_notice" not in events and "nominate" not in events
    with pytest.raises(TransitionNotAllowed, match="本案件任用类型为“平级交流”，不适用“发布任前公示”"):
        engine.fire(walk.case_id, "publish_notice", a["off"], {})
    drive(walk, a, "appointed")
    assert history(engine, walk.case_id) == [*HEAD, ("appoint", "decided", "appointed", "off")]
    person = _post(engine, walk.case().subject_id or 0)
    assert person["current_post"] == "副局长" and person["post_since"] == DECIDE["meeting_date"]
    assert person["rank_level"] == "county_deputy"
    assert engine.verify().ok


def test_promotion_to_an_elected_post_ends_with_nomination_and_election(engine: Engine) -> None:
    """选举产生的职务: 公示 (提拔), then 提名 and the election; no 试用期; 任职时间 from the election."""
    walk, a = opened(engine, {"post_kind": "elect", "target_post": "区委副书记", "target_unit": "中共东湖区委"})
    drive(walk, a, "public_notice")
    assert "appoint" not in walk.case().available_events
    drive(walk, a, "elected")
    assert history(engine, walk.case_id)[-3:] == [("publish_notice", "decided", "public_notice", "off"),
                                                  ("nominate", "public_notice", "nominated", "off"),
                                                  ("elect", "nominated", "elected", "off")]
    assert _post(engine, walk.case().subject_id or 0)["post_since"] == ELECT["election_date"]


def test_an_elected_post_can_end_not_elected(engine: Engine) -> None:
    walk, a = opened(engine, {"post_kind": "elect", "move_kind": "transfer"})
    drive(walk, a, "nominated")
    assert history(engine, walk.case_id)[-1] == ("nominate", "decided", "nominated", "off")
    walk.fire("fail_election", a["off"], {**ELECT, "election_votes": 12})
    assert walk.state() == "not_elected"
    assert _post(engine, walk.case().subject_id or 0)["post_since"] == "2019-12-01"  # unchanged


def test_npc_post_is_appointed_by_the_standing_committee(engine: Engine) -> None:
    """人大任命: 提请任命 after 公示, the 人大常委会's appointment closes the case (no 试用期)."""
    walk, a = opened(engine, {"post_kind": "npc_appoint", "target_post": "局长", "target_unit": "江州市水利局"})
    drive(walk, a, "appointed")
    assert [h[0] for h in history(engine, walk.case_id)[-3:]] == ["publish_notice", "nominate", "npc_appoint"]
    assert _post(engine, walk.case().subject_id or 0)["post_since"] == NPC["npc_date"]


@pytest.mark.parametrize(("nominated_on", "ok"), [("2025-10-14", True), ("2025-10-13", False)])
def test_nomination_after_the_notice_ends(engine: Engine, nominated_on: str, ok: bool) -> None:
    """公示期满后方可提名（任用条例第四十二条）: the day after notice_end passes, notice_end itself refused."""
    walk, a = opened(engine, {"post_kind": "elect"})
    drive(walk, a, "public_notice")
    data = {**NOMINATE, "nomination_date": nominated_on}
    if ok:
        walk.fire("nominate", a["off"], data)
    else:
        assert "公示期满后方可提名" in walk.refused("nominate", a["off"], data)


def test_decision_waits_for_consultation(engine: Engine) -> None:
    """酝酿 before 讨论决定 (任用条例第六章), and not after the meeting."""
    walk, a = opened(engine)
    drive(walk, a, "inspection")
    conclude_inspection(engine, a, walk.case().data["inspection_case_id"])
    walk.fire("to_deliberation", a["off"])
    assert "讨论决定前须进行酝酿" in walk.refused("decide", a["rev"], DECIDE)
    walk.fire("consult", a["off"], {**CONSULT, "consulted_on": "2025-09-29"})
    assert "酝酿须在讨论决定之前" in walk.refused("decide", a["rev"], DECIDE)
    walk.fire("consult", a["off"], CONSULT)
    walk.fire("decide", a["rev"], DECIDE)
    assert walk.state() == "decided"


@pytest.mark.parametrize(("votes", "failed_ok"), [(4, True), (5, False)])
def test_a_failed_vote_is_recorded_not_refused(engine: Engine, votes: int, failed_ok: bool) -> None:
    """第四十七条: 9 members, 6 present. 4 votes for (not more than half of 9) is recorded by
    decide_failed → 未通过; 5 votes passes the majority, so decide_failed is refused."""
    walk, a = opened(engine)
    drive(walk, a, "deliberation")
    data = {**DECIDE, "members_present": 6, "votes_for": votes, "votes_against": 6 - votes, "votes_postpone": 0}
    if failed_ok:
        assert walk.fire("decide_failed", a["rev"], data).case.state == "not_passed"
    else:
        assert "表决已通过，应按讨论决定通过办理" in walk.refused("decide_failed", a["rev"], data)


def test_a_meeting_without_quorum_is_not_a_failed_vote(engine: Engine) -> None:
    """Below the 2/3 quorum the meeting is not valid (第四十七条): neither decide nor decide_failed."""
    walk, a = opened(engine)
    drive(walk, a, "deliberation")
    data = {**DECIDE, "members_present": 5, "votes_for": 2, "votes_against": 3, "votes_postpone": 0}
    assert "实际到会5人，应到9人，不足三分之二" in walk.refused("decide_failed", a["rev"], data)
