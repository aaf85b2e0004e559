"""任职资格 and 破格/越级 guards on a scratch procedure (tests/definitions/qualifications/quals.yaml), whose
conditions are those proposed for selection_appointment v3: each 基本资格 of 任用条例第八条 at its
boundary on both sides, the refusal naming the rule, its source and the figures, the waiver by an
approved 破格, 逐级提拔, and 破格 refused in 试用期 or within 12 months of a promotion."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from workflow import Actor
from workflow import Engine
from workflow import GuardFailed
from workflow import ValidationFailed
from workflow.codes import code_set
from workflow.extensions.guards_qualifications import whole_months
from workflow.extensions.guards_qualifications import years_months

from ..conftest import EngineFactory
from .helpers import Walk
from .helpers import person
from .helpers import staff

QUALS = Path(__file__).resolve().parent.parent / "definitions" / "qualifications"
# 正科 since 2022-03, 工龄 from 2010, 3 years at the grassroots, 大学本科: passes every rule for 副处.
FIT = {"rank_level": "township_chief", "rank_since": "2022-03-01", "post_since": "2022-03-01",
       "work_start_date": "2010-07-01", "grassroots_months": 36, "edu_fulltime_level": "大学本科毕业"}
APPROVAL = {"exceptional_approved_on": "2026-11-20", "exceptional_approval_doc": "江组干函〔2026〕18号"}
ART8 = "《党政领导干部选拔任用工作条例》第八条"


@pytest.fixture
def quals(make_engine: EngineFactory) -> Engine:
    return make_engine(QUALS)


def case(engine: Engine, target: str = "county_deputy", exceptional: str = "none",
         **facts: Any) -> tuple[Walk, dict[str, Actor]]:
    a = staff(engine)
    pid = person(engine, a["off"], **{**FIT, **facts})
    data = {"target_rank": target, "exceptional": exceptional}
    if exceptional != "none":
        data["exceptional_reason"] = "在抗洪抢险中表现突出，作出重大贡献。"
    return Walk(engine, engine.start_case("quals", a["off"], title="拟任人选", subject_id=pid, data=data)), a


def decide(walk: Walk, a: dict[str, Actor], on: str) -> str | None:
    """set_candidates on ``on``: None when it passes, else the refusal."""
    try:
        walk.engine.fire(walk.case_id, "set_candidates", a["rev"], {"candidates_decided_on": on},
                         expected_version=walk.case().version)
    except GuardFailed as exc:
        return "；".join(exc.failures)
    return None


def test_whole_months_count_calendar_months_to_the_day() -> None:
    assert whole_months(date(2023, 3, 1), date(2026, 3, 1)) == 36
    assert whole_months(date(2023, 3, 1), date(2026, 2, 28)) == 35
    assert whole_months(date(2020, 2, 29), date(2023, 2, 28)) == 36  # 29 Feb falls back to the 28th
    assert whole_months(date(2023, 1, 31), date(2023, 2, 28)) == 1
    assert whole_months(date(2023, 5, 2), date(2023, 5, 1)) == 0
    assert [years_months(m) for m in (31, 36, 7, 0)] == ["2年7个月", "3年", "7个月", "不满1个月"]


def test_target_rank_publishes_the_rank_level_code_list(quals: Engine) -> None:
    field = next(f for f in quals.registry.get("quals").start.fields if f.name == "target_rank")
    assert [(c.value, c.label) for c in field.choices] == [(i.code, i.label) for i in code_set("rank_level")]
    a = staff(quals)
    pid = person(quals, a["off"], **FIT)
    with pytest.raises(ValidationFailed) as info:
        quals.start_case("quals", a["off"], title="x", subject_id=pid,
                         data={"target_rank": "副处级", "exceptional": "none"})
    assert set(info.value.fields) == {"target_rank"}


def test_lower_chief_to_upper_deputy_three_years_article_8_item_3(quals: Engine) -> None:
    """任用条例第八条第三项: 下级正职提任上级副职 in the 下级正职 post three years: 2023-03-01 to 2026-03-01
    passes, to 2026-02-28 (one day less) is refused with 2年11个月."""
    walk, a = case(quals, rank_since="2023-03-01", post_since="2023-03-01")
    refusal = decide(walk, a, "2026-02-28")
    assert refusal is not None and f"{ART8}第三项" in refusal
    assert ("由下级正职提任上级副职的，应当在下级正职岗位工作3年以上（《党政领导干部选拔任用工作条例》第八条第三项）："
            "任乡科级正职2年11个月（任现职级时间2023-03-01，计至2026-02-28），应满3年") in refusal
    assert decide(walk, a, "2026-03-01") is None


def test_deputy_to_chief_two_years_article_8_item_3(quals: Engine) -> None:
    """任用条例第八条第三项: 副职提任正职 two years in the 副职 post (2024-11-25 to 2026-11-25 passes)."""
    walk, a = case(quals, "county_chief", rank_level="county_deputy", rank_since="2024-11-26",
                   post_since="2024-11-26")
    refusal = decide(walk, a, "2026-11-25")
    assert refusal is not None and "任县处级副职1年11个月" in refusal and "应满2年" in refusal
    walk, a = case(quals, "county_chief", rank_level="county_deputy", rank_since="2024-11-25")
    assert decide(walk, a, "2026-11-25") is None


def test_years_in_the_lower_post_count_from_the_rank_then_the_post(quals: Engine) -> None:
    """任现职级时间 first (a lateral move keeps the level's years), 任现职务时间 when it is not recorded."""
    walk, a = case(quals, rank_since="2022-01-01", post_since="2025-06-01")
    assert decide(walk, a, "2026-11-25") is None
    walk, a = case(quals, rank_since=None, post_since="2025-06-01")
    assert "任乡科级正职1年5个月（任现职务时间2025-06-01" in (decide(walk, a, "2026-11-25") or "")


def test_the_years_rule_concerns_only_the_step_just_above(quals: Engine) -> None:
    """第八条第三项 names the step: 正科 → 正处 is a 越级 (approved by the higher department), not
    下级正职提任上级副职, so the three years in 正科 are not asked; 正科 → 副处 asks them."""
    walk, a = case(quals, "county_chief", "越级", rank_since="2025-01-01")
    assert decide(walk, a, "2026-11-25") is None
    walk, a = case(quals, "county_deputy", rank_since="2025-01-01")
    assert "任乡科级正职1年10个月" in (decide(walk, a, "2026-11-25") or "")


def test_missing_dates_refuse_the_record_must_be_kept(quals: Engine) -> None:
    walk, a = case(quals, rank_since=None, post_since=None, work_start_date=None)
    refusal = decide(walk, a, "2026-11-25") or ""
    assert "未填写任现职级时间、任现职务时间，无法核对任职年限" in refusal
    assert "未填写参加工作时间，无法核对工龄" in refusal
    walk, a = case(quals, grassroots_months=None, rank_level=None)
    refusal = decide(walk, a, "2026-11-25") or ""
    assert "未填写基层工作经历（月），无法核对基层工作经历" in refusal
    assert "未填写职务层次/职级，无法核对任职年限" in refusal


def test_five_years_of_work_for_county_posts_article_8_item_1(quals: Engine) -> None:
    """任用条例第八条第一项: 提任县处级 five years of 工龄 (from 2021-03-01: 2026-03-01 passes, 02-28 not)."""
    walk, a = case(quals, work_start_date="2021-03-01", rank_since="2021-03-01")
    refusal = decide(walk, a, "2026-02-28") or ""
    assert (f"应当具有5年以上工龄（{ART8}第一项）：工龄4年11个月（参加工作时间2021-03-01，计至2026-02-28），"
            "应满5年") in refusal
    assert decide(walk, a, "2026-03-01") is None


def test_two_years_at_the_grassroots_for_county_posts_article_8_item_1(quals: Engine) -> None:
    """任用条例第八条第一项: two years of 基层工作经历: 24 months pass, 23 and none are refused."""
    walk, a = case(quals, grassroots_months=23)
    refusal = decide(walk, a, "2026-11-25") or ""
    assert f"应当具有2年以上基层工作经历（{ART8}第一项）：基层工作经历1年11个月（基层工作经历（月）：23），应满2年" \
        in refusal
    walk, a = case(quals, grassroots_months=0)
    assert "无基层工作经历（基层工作经历（月）：0），应满2年" in (decide(walk, a, "2026-11-25") or "")
    walk, a = case(quals, grassroots_months=24)
    assert decide(walk, a, "2026-11-25") is None


def test_the_county_rules_do_not_apply_below_the_county_level(quals: Engine) -> None:
    """第八条第一项 names 县处级: 副科 → 正科 needs neither five years of work nor the grassroots."""
    walk, a = case(quals, "township_chief", rank_level="township_deputy", work_start_date="2024-07-01",
                   grassroots_months=0)
    assert decide(walk, a, "2026-11-25") is None


@pytest.mark.parametrize(("target", "fulltime", "inservice", "passes"), [
    ("county_deputy", "大学专科毕业", None, True),       # 大学专科以上 for 县处级
    ("county_deputy", "中等专科毕业", None, False),
    ("county_deputy", "大学专科肄业", None, False),      # 肄业 did not complete the level
    ("county_deputy", "中等专科毕业", "大学专科毕业", True),  # 在职教育 counts
    ("bureau_deputy", "大学专科毕业", None, False),      # 大学本科以上 for 厅局级
    ("bureau_deputy", "大学本科毕业", None, True),
    ("bureau_deputy", "大学专科毕业", "硕士研究生毕业", True),
])
def test_education_article_8_item_4(quals: Engine, target: str, fulltime: str, inservice: str | None,
                                    passes: bool) -> None:
    """任用条例第八条第四项: 大学专科以上, 厅局级以上 大学本科以上 (GB/T 4658 categories)."""
    rank = "county_chief" if target == "bureau_deputy" else "township_chief"
    walk, a = case(quals, target, rank_level=rank, edu_fulltime_level=fulltime, edu_inservice_level=inservice)
    refusal = decide(walk, a, "2026-11-25")
    if passes:
        assert refusal is None
    else:
        need = "大学本科教育" if target == "bureau_deputy" else "大学专科教育"
        assert refusal is not None and f"{ART8}第四项" in refusal
        assert f"全日制教育学历{fulltime}，在职教育学历未填写，应为{need}以上" in refusal


def test_an_approved_exception_waives_the_years_not_the_education(quals: Engine) -> None:
    """破格 approved by the higher department waives 任职年限 (第八条第三项) but not 文化程度 (第四项)."""
    walk, a = case(quals, exceptional="破格", rank_since="2024-04-01", post_since="2024-04-01")
    assert "任乡科级正职2年7个月" in (decide(walk, a, "2026-11-25") or "")
    walk.fire("approve_exceptional", a["off"], APPROVAL)
    assert decide(walk, a, "2026-11-25") is None
    walk, a = case(quals, exceptional="破格", rank_since="2024-04-01", edu_fulltime_level="中等专科毕业")
    walk.fire("approve_exceptional", a["off"], APPROVAL)
    refusal = decide(walk, a, "2026-11-25") or ""
    assert "第四项" in refusal and "第三项" not in refusal


def test_a_declared_but_unapproved_exception_waives_nothing(quals: Engine) -> None:
    walk, a = case(quals, "county_deputy", "越级", rank_level="township_deputy", work_start_date="2023-01-01")
    walk.fire("approve_exceptional", a["off"], APPROVAL)
    assert "工龄3年10个月" in (decide(walk, a, "2026-11-25") or "")  # 越级 waives no 资格
    walk, a = case(quals, exceptional="none", rank_since="2024-04-01")
    assert "2年7个月" in (decide(walk, a, "2026-11-25") or "")


def test_one_level_at_a_time_and_never_two_levels_skipped(quals: Engine) -> None:
    """逐级提拔 (任用条例第二章；2014年版第九条): 副科 → 副处 skips 正科 and must be declared 越级;
    副科 → 正处 skips two levels and never passes; 越级 declared for one step is refused."""
    walk, a = case(quals, rank_level="township_deputy")
    assert "现任乡科级副职，拟任县处级副职，越过乡科级正职，属越级提拔，须在破格或越级中选择“越级”" \
        in (decide(walk, a, "2026-11-25") or "")
    walk, a = case(quals, exceptional="越级", rank_level="township_deputy")
    assert decide(walk, a, "2026-11-25") is None
    walk, a = case(quals, "county_chief", "越级", rank_level="township_deputy")
    assert "现任乡科级副职，拟任县处级正职，越过乡科级正职、县处级副职2级" in (decide(walk, a, "2026-11-25") or "")
    walk, a = case(quals, exceptional="越级")
    assert "未越过任何层级，不属越级提拔" in (decide(walk, a, "2026-11-25") or "")


def test_a_rank_counts_as_its_equivalent_post_and_a_transfer_is_no_promotion(quals: Engine) -> None:
    walk, a = case(quals, rank_level="principal_staff_1", rank_since="2024-04-01")
    assert "任一级主任科员（对应乡科级正职）2年7个月" in (decide(walk, a, "2026-11-25") or "")
    walk, a = case(quals, "county_deputy", rank_level="county_deputy", rank_since="2026-06-01",
                   work_start_date="2024-01-01")
    assert decide(walk, a, "2026-11-25") is None  # 平级交流: no 提拔 rule applies


def test_consent_recorded_before_the_inspection_when_exceptional(quals: Engine) -> None:
    """越级、破格 reported to the higher department and agreed before 考察 (2014年版第三十五条)."""
    walk, a = case(quals, exceptional="越级", rank_level="township_deputy")
    assert decide(walk, a, "2026-11-25") is None
    refusal = walk.refused("start_inspection", a["off"])
    assert "破格或越级为“越级”，缺少2项：上级组织部门同意日期、上级组织部门同意文号" in refusal
    walk.fire("approve_exceptional", a["off"], APPROVAL)
    assert walk.fire("start_inspection", a["off"]).case.state == "inspection"
    walk, a = case(quals)
    assert decide(walk, a, "2026-11-25") is None
    assert walk.fire("start_inspection", a["off"]).case.state == "inspection"
    assert "approve_exceptional" not in walk.case(a["off"]).available_events


@pytest.mark.parametrize(("rank_since", "allowed"), [("2025-11-20", True), ("2025-11-21", False)])
def test_no_exception_within_twelve_months_of_a_promotion(quals: Engine, rank_since: str, allowed: bool) -> None:
    """任职试用期未满或者提拔任职不满一年的，不得破格提拔 (任用条例第二章；2014年版第九条): promoted
    2025-11-20, consent dated 2026-11-20 passes; promoted a day later is refused with 11个月."""
    walk, a = case(quals, exceptional="破格", rank_since=rank_since)
    if allowed:
        walk.fire("approve_exceptional", a["off"], APPROVAL)
    else:
        refusal = walk.refused("approve_exceptional", a["off"], APPROVAL)
        assert ("不得破格提拔（《党政领导干部选拔任用工作条例》第二章" in refusal
                and f"任现职级时间{rank_since}，至2026-11-20提拔任职11个月，不满12个月" in refusal)


def test_no_exception_in_probation(quals: Engine) -> None:
    """A person whose other case is in 试用期 cannot be approved for 破格; after 正式任职 they can."""
    walk, a = case(quals, rank_level="township_deputy", exceptional="越级", rank_since="2020-01-01")
    pid = walk.case().subject_id
    earlier = quals.start_case("quals", a["off"], title="上一次任职", subject_id=pid,
                               data={"target_rank": "township_deputy", "exceptional": "none"})
    prior = Walk(quals, earlier)
    prior.fire("set_candidates", a["rev"], {"candidates_decided_on": "2026-01-05"})
    prior.fire("start_inspection", a["off"])
    prior.fire("begin_probation", a["off"])
    refusal = walk.refused("approve_exceptional", a["off"], APPROVAL)
    assert f"案件#{earlier.id}“上一次任职”处于任职（试用期）" in refusal
    prior.fire("confirm", a["rev"])
    assert walk.fire("approve_exceptional", a["off"], APPROVAL).case.data["exceptional_approval_doc"]
