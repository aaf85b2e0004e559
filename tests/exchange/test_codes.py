"""The shipped code sets load, resolve codes, labels and aliases, and rank levels know what is just below."""

from __future__ import annotations

import pytest

from workflow.codes import UnknownCode
from workflow.codes import code_set
from workflow.codes import names


def test_every_set_loads_with_its_label_and_source() -> None:
    assert names() == ("ethnicity", "political_status", "education", "degree", "rank_level")
    titles = {name: code_set(name).title for name in names()}
    assert titles == {"ethnicity": "民族", "political_status": "政治面貌", "education": "学历", "degree": "学位",
                      "rank_level": "职务层次/职级"}
    for name in names():
        assert "GB" in code_set(name).source or "规定" in code_set(name).source
    with pytest.raises(KeyError):
        code_set("nationality")


def test_ethnicity_has_the_56_groups_of_gb_3304_plus_two_supplementary_codes() -> None:
    nations = code_set("ethnicity")
    assert nations.codes()[:56] == tuple(f"{i:02d}" for i in range(1, 57))
    assert nations.codes()[56:] == ("97", "98")
    assert [nations.label(c) for c in ("01", "02", "05", "10", "15", "30", "43", "56")] == [
        "汉族", "蒙古族", "维吾尔族", "朝鲜族", "土家族", "土族", "乌孜别克族", "基诺族"]
    assert nations.code_for("汉族") == nations.code_for("汉") == nations.code_for(" 01 ") == "01"
    assert nations.code_for("土") == "30" and nations.code_for("土家") == "15"
    assert nations.code_for("火星族") is None


def test_political_status_codes_accept_short_and_full_names() -> None:
    parties = code_set("political_status")
    assert parties.codes() == tuple(f"{i:02d}" for i in range(1, 14))
    assert parties.label("01") == "中共党员" and parties.label("13") == "群众"
    assert parties.code_for("中国共产党预备党员") == "02"
    assert parties.code_for("民建") == parties.code_for("民建会员") == "06"
    assert parties.code_for("九三学社社员") == "10"


def test_education_and_degree_codes() -> None:
    education = code_set("education")
    assert education.label("21") == "大学本科毕业" and education.label("90") == "其他"
    assert education.code_for("大学") == "20" and education.code_for("研究生") == "10"
    assert education.code_for("硕士研究生毕业") == "14"
    degree = code_set("degree")
    assert [degree.label(c) for c in ("2", "212", "349", "401")] == ["博士", "管理学博士学位", "公共管理硕士专业学位",
                                                                      "哲学学士学位"]
    assert degree.code_for("管理学硕士") == "312" and degree.code_for("工程硕士") == "343"
    assert degree.code_for("工学硕士") == "308"


def test_rank_levels_are_ordered_within_their_group() -> None:
    ranks = code_set("rank_level")
    chain = []
    code: str | None = "ministerial_chief"
    while code:
        chain.append(ranks.label(code))
        below = ranks.below(code)
        code = below.code if below else None
    assert chain == ["省部级正职", "省部级副职", "厅局级正职", "厅局级副职", "县处级正职", "县处级副职", "乡科级正职",
                     "乡科级副职"]
    below = ranks.below("inspector_1")
    assert below is not None and below.label == "二级巡视员"
    assert ranks.below("staff_2") is None
    assert ranks.item("researcher_2").equivalent == "county_chief"
    assert ranks.code_for("四级主任科员") == "principal_staff_4" and ranks.code_for("副处级") == "county_deputy"
    with pytest.raises(UnknownCode):
        ranks.label("county")
