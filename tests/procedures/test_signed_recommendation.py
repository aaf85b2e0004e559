"""领导干部署名举荐: the main path, and the rules of procedures.md §1 at their boundaries."""

from __future__ import annotations

from typing import Any

import pytest

from workflow import CaseNotFound
from workflow import CaseQuery
from workflow import Engine
from workflow import PermissionDenied
from workflow import ValidationFailed

from ..conftest import EngineFactory
from ..conftest import add_users
from .helpers import Walk
from .helpers import history
from .helpers import person
from .helpers import staff

SUBMISSION: dict[str, Any] = {
    "recommender_post": "市发展改革委党组书记、主任",
    "relationship": "上下级",
    "acquaintance": "很了解",
    "direction": "定向",
    "target_post": "市发展改革委副主任",
    "merit_virtue": "政治立场坚定，在重大原则问题上旗帜鲜明，严守政治纪律和政治规矩，群众口碑好。",
    "merit_ability": "熟悉宏观经济和规划工作，统筹协调能力强。",
    "merit_diligence": "长期承担急难险重任务，工作投入，敢于担当。",
    "merit_performance": "牵头编制全市“十五五”规划纲要，获省级表彰。",
    "typical_examples": "2025年牵头完成重大项目谋划储备，新增入库项目128个，总投资超过600亿元。",
    "shortcomings": "基层一线工作经历相对较少，工作节奏快，有时对年轻同志带教不够耐心。",
    "integrity_status": "未发现违反廉洁自律规定的问题。",
    "pledge": True,
}
CHECKS = {"check_basic": "符合", "check_education": "符合", "check_tenure": "符合",
          "check_disqualification": "符合", "review_notes": "经审查，符合提任副处级领导职务的资格条件。"}


def _open(engine: Engine) -> tuple[Walk, dict[str, Any]]:
    a = staff(engine)
    pid = person(engine, a["rec"])  # the recommender registers whom they recommend
    case = engine.start_case("signed_recommendation", a["rec"], title="署名推荐李明同志",
                             subject_id=pid, data={"recommender": "rec"})
    return Walk(engine, case), a


def test_main_path_to_included_with_exact_history(engine: Engine, make_engine: EngineFactory,
                                                  db_url: str) -> None:
    walk, a = _open(engine)
    assert walk.case(a["rec"]).available_events == ("submit", "withdraw")
    walk.fire("submit", a["rec"], SUBMISSION)
    walk.fire("register", a["off"], {"received_on": "2026-11-24"})
    case = walk.case()
    assert case.data["registration_no"] == "署荐20260001"
    walk.fire("start_review", a["off"], CHECKS)
    # a second engine on the same database sees the same case and carries on
    other = make_engine(url=db_url)
    Walk(other, other.get_case(walk.case_id)).fire("include", a["rev"], {"decision_opinion": "同意纳入"})
    final = engine.get_case(walk.case_id)
    assert final.state == "included" and final.final
    assert final.data["recommender"] == "rec"
    assert history(engine, walk.case_id) == [
        ("start", None, "draft", "rec"),
        ("submit", "draft", "submitted", "rec"),
        ("register", "submitted", "registered", "off"),
        ("start_review", "registered", "qualification_review", "off"),
        ("include", "qualification_review", "included", "rev"),
    ]
    assert engine.verify().ok


def test_submit_refused_without_pledge(engine: Engine) -> None:
    """署名推荐须承诺对推荐内容的真实性负责（《党政领导干部选拔任用工作条例》第三章；谁推荐谁负责）."""
    walk, a = _open(engine)
    message = walk.refused("submit", a["rec"], {**SUBMISSION, "pledge": False})
    assert "对推荐内容的真实性负责" in message and "第三章" in message
    assert walk.fire("submit", a["rec"], SUBMISSION).case.state == "submitted"


def test_only_the_named_recommender_submits_or_withdraws(engine: Engine) -> None:
    """谁推荐谁负责: another recommender does not even see it; an officer can neither submit nor withdraw it."""
    walk, a = _open(engine)
    case = walk.case()
    with pytest.raises(CaseNotFound):
        engine.fire(case.id, "submit", a["rec2"], SUBMISSION, case.version)
    with pytest.raises(PermissionDenied):
        engine.fire(case.id, "withdraw", a["off"], {"withdraw_reason": "x"}, case.version)
    walk.fire("submit", a["rec"], SUBMISSION)
    walk.fire("withdraw", a["rec"], {"withdraw_reason": "被推荐人已另有任用"})
    assert walk.state() == "withdrawn"


def test_targeted_recommendation_needs_the_target_post(engine: Engine) -> None:
    walk, a = _open(engine)
    case = walk.case()
    with pytest.raises(ValidationFailed) as info:
        engine.fire(case.id, "submit", a["rec"], {**SUBMISSION, "target_post": ""}, case.version)
    assert "target_post" in info.value.fields
    ok = walk.fire("submit", a["rec"], {**SUBMISSION, "direction": "非定向", "target_post": ""})
    assert ok.case.state == "submitted"


@pytest.mark.parametrize("check", ["check_basic", "check_education", "check_tenure", "check_disqualification"])
def test_include_refused_while_any_check_fails(engine: Engine, check: str) -> None:
    """纳入人选范围须各项资格审查均符合（《党政领导干部选拔任用工作条例》第八条、第五章）."""
    walk, a = _open(engine)
    walk.fire("submit", a["rec"], SUBMISSION)
    walk.fire("register", a["off"], {"received_on": "2026-11-24"})
    walk.fire("start_review", a["off"], {**CHECKS, check: "不符合"})
    assert "include" not in walk.case(a["rev"]).available_events
    message = walk.refused("include", a["rev"])
    assert "当前为“不符合”" in message
    walk.fire("not_include", a["rev"], {"not_include_reason": "不符合任职资格条件"})
    assert walk.state() == "not_included"


def test_reviewer_who_reviewed_cannot_decide(engine: Engine) -> None:
    """Separation of duties: whoever recorded the qualification review does not decide on it."""
    walk, a = _open(engine)
    both = engine.users.add("both", ["officer", "reviewer"], "x", name="both").actor()
    walk.fire("submit", a["rec"], SUBMISSION)
    walk.fire("register", a["off"], {"received_on": "2026-11-24"})
    walk.fire("start_review", both, CHECKS)
    case = walk.case()
    with pytest.raises(PermissionDenied):
        engine.fire(case.id, "include", both, {}, case.version)


def test_registration_numbers_follow_the_year(engine: Engine) -> None:
    walk, a = _open(engine)
    walk.fire("submit", a["rec"], SUBMISSION)
    walk.fire("register", a["off"], {"received_on": "2026-11-24"})
    second = engine.start_case("signed_recommendation", a["off"], title="第二份", subject_id=walk.case().subject_id,
                               data={"recommender": "rec2"})
    w2 = Walk(engine, second)
    w2.fire("submit", a["rec2"], SUBMISSION)
    w2.fire("register", a["off"], {"received_on": "2026-11-25"})
    assert w2.case().data["registration_no"] == "署荐20260002"


def test_return_and_resubmit(engine: Engine) -> None:
    walk, a = _open(engine)
    walk.fire("submit", a["rec"], SUBMISSION)
    walk.fire("return", a["off"], {"return_reason": "典型事例不够具体"})
    walk.fire("submit", a["rec"], SUBMISSION)
    assert [h[0] for h in history(engine, walk.case_id)] == ["start", "submit", "return", "submit"]


def test_a_recommender_opening_their_own_case_becomes_its_recommender(engine: Engine) -> None:
    """谁推荐谁负责: the recommender is fixed at creation, by the start action set_to_actor."""
    a = add_users(engine, {"rec_self": ["recommender"], "off_x": ["officer"]})
    person = engine.people.create({"name": "赵六", "gender": "男", "birth_date": "1982-03-04"}, a["rec_self"])
    own = engine.start_case("signed_recommendation", a["rec_self"], title="自荐测试", subject_id=person.id)
    assert own.data["recommender"] == "rec_self"
    assert engine.history(own.id)[0].data["recommender"] == "rec_self"
    with pytest.raises(ValidationFailed) as err:
        engine.start_case("signed_recommendation", a["off_x"], title="代发起", subject_id=person.id)
    assert err.value.fields == {"recommender": "推荐人：此项为必填项（代为发起时须指定）"}
    assert engine.list_cases(CaseQuery(definition="signed_recommendation"))[1] == 1
