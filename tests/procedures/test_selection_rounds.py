"""干部选拔任用 v3: the candidates of a 民主推荐 round, members' 表态 at 讨论决定, 破格 with consent.

Sources: 《党政领导干部选拔任用工作条例》第四章 (民主推荐; a ballot naming more candidates than posts
is void), 第四十七条 (逐一表态, the 主要负责人 last), 第八条 (资格) with the 破格 rules (2014年版第九条).
"""

from __future__ import annotations

from typing import Any

import pytest

from workflow import Engine

from .helpers import Walk
from .helpers import add_users
from .helpers import person
from .test_selection_appointment import CANDIDATES
from .test_selection_appointment import DECIDE
from .test_selection_appointment import RECOMMEND
from .test_selection_appointment import TALKS
from .test_selection_appointment import drive
from .test_selection_appointment import opened
from .test_selection_appointment import recommend

RULE = "推荐人选得票不得多于有效票"
MEETING_ROUND = {k: v for k, v in RECOMMEND.items() if k not in ("subject_votes", "subject_rank")}


def _round(walk: Walk, other: int, own: int, theirs: int, **extra: Any) -> dict[str, Any]:
    subject = walk.case().subject_id
    rows = [{"person_id": subject, "votes": own}, {"person_id": other, "votes": theirs}]
    return {**MEETING_ROUND, "candidates": rows, **extra}


@pytest.mark.parametrize(("votes", "ok"), [(27, True), (28, False)])
def test_no_candidate_has_more_votes_than_valid_ballots(engine: Engine, votes: int, ok: bool) -> None:
    """27 valid ballots: 27 votes for one candidate passes, 28 refused (任用条例第四章; 数据一致性)."""
    walk, a = opened(engine)
    other = person(engine, a["off"], "王五")
    drive(walk, a, "recommendation")
    data = _round(walk, other, votes, 0)
    if ok:
        walk.fire("recommend", a["off"], data)
    else:
        message = walk.refused("recommend", a["off"], data)
        assert RULE in message and "第1行得票28，多于有效票27" in message


@pytest.mark.parametrize(("posts", "theirs", "ok"), [(1, 7, True), (1, 8, False), (2, 8, True)])
def test_votes_in_all_at_most_valid_ballots_times_posts(engine: Engine, posts: int, theirs: int, ok: bool) -> None:
    """A ballot naming more candidates than posts is void, so a valid ballot gives at most ``posts``
    votes: 27 valid for 1 post allows 20 + 7, not 20 + 8; for 2 posts 20 + 8 passes (任用条例第四章)."""
    walk, a = opened(engine)
    other = person(engine, a["off"], "王五")
    drive(walk, a, "recommendation")
    data = _round(walk, other, 20, theirs, posts=posts)
    if ok:
        walk.fire("recommend", a["off"], data)
    else:
        assert "得票合计28，超过有效票27×职位数1" in walk.refused("recommend", a["off"], data)


def test_the_case_person_must_be_among_the_candidates(engine: Engine) -> None:
    walk, a = opened(engine)
    other = person(engine, a["off"], "王五")
    drive(walk, a, "recommendation")
    data = {**MEETING_ROUND, "candidates": [{"person_id": other, "votes": 20}]}
    assert "本案件拟任人选不在推荐人选之列" in walk.refused("recommend", a["off"], data)


def _deliberating(engine: Engine) -> tuple[Walk, dict[str, Any]]:
    walk, a = opened(engine)
    a.update(add_users(engine, {f"m{i}": ["reviewer"] for i in range(1, 6)}))
    drive(walk, a, "deliberation")
    return walk, a


MEETING = {**DECIDE, "members_total": 7, "members_present": 6, "members_recused": 0, "votes_for": 5,
           "votes_against": 1, "votes_postpone": 0}


def _stances(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"username": u, "stance": s} for u, s in pairs]


GOOD = _stances(("m1", "同意"), ("m2", "同意"), ("m3", "不同意"), ("m4", "同意"), ("m5", "同意"), ("rev", "同意"))


def test_each_member_states_a_stance_and_the_chair_last(engine: Engine) -> None:
    """逐一表态，主要负责人最后表态（任用条例第四十七条）: six members present, six stances, the chair
    last, counts equal to the votes: passes."""
    walk, a = _deliberating(engine)
    done = walk.fire("decide", a["rev"], {**MEETING, "chair": "rev", "stances": GOOD})
    assert done.case.state == "decided" and done.case.data["stances"][-1] == {"username": "rev", "stance": "同意"}


@pytest.mark.parametrize(("change", "figure"), [
    ({"chair": "m1"}, "主要负责人m1应最后表态"),
    ({"votes_for": 4, "votes_against": 2}, "同意4票，表态中同意5人"),
    ({"stances": GOOD[:5]}, "表态5人，参加表决6人"),
])
def test_stances_that_disagree_with_the_meeting_are_refused(engine: Engine, change: dict[str, Any],
                                                            figure: str) -> None:
    walk, a = _deliberating(engine)
    message = walk.refused("decide", a["rev"], {**MEETING, "chair": "rev", "stances": GOOD, **change})
    assert figure in message and "第四十七条" in message


def test_exceptional_promotion_waives_the_years_once_the_higher_department_consents(engine: Engine) -> None:
    """破格: 正科 for 2 years (3 needed, 任用条例第八条第三项) is refused at 确定考察对象 until the higher
    department's consent is recorded; then it passes, and 考察 needs that consent (2014年版第三十五条)."""
    short = {"rank_since": "2023-09-01", "post_since": "2023-09-01"}
    walk, a = opened(engine, {"exceptional": "破格", "exceptional_reason": "抗洪抢险中表现特别突出。"}, **short)
    drive(walk, a, "recommendation")
    recommend(walk, a, TALKS)
    recommend(walk, a, RECOMMEND)
    assert "应满3年" in walk.refused("set_candidates", a["rev"], CANDIDATES)
    walk.fire("approve_exceptional", a["off"], {"exceptional_approved_on": "2025-08-28",
                                                 "exceptional_approval_doc": "省委组干函〔2025〕12号"})
    walk.fire("set_candidates", a["rev"], CANDIDATES)
    walk.fire("start_inspection", a["off"])
    assert walk.state() == "inspection"


def test_exceptional_promotion_cannot_start_the_inspection_without_consent(engine: Engine) -> None:
    walk, a = opened(engine, {"exceptional": "越级", "exceptional_reason": "工作特殊需要。",
                              "target_rank": "county_chief"})
    drive(walk, a, "recommendation")
    recommend(walk, a, TALKS)
    recommend(walk, a, RECOMMEND)
    walk.fire("set_candidates", a["rev"], CANDIDATES)
    assert "经批复同意后方可进行" in walk.refused("start_inspection", a["off"])
