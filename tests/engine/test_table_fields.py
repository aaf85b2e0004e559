"""The ``table`` field type: reading its columns, validating rows, the engine storing them.

The scratch procedure tests/definitions/table/tabled.yaml has selection_appointment's two tables:
``candidates`` (recommend: 人选 person + 得票数 integer 0..10000, 1..5 rows, and one column of every
other scalar type) and ``stances`` (decide: 成员 user with role reviewer + 表态 同意/不同意/缓议).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from workflow import Engine
from workflow.definition.registry import parse_text
from workflow.definition.schema import FieldDef
from workflow.errors import PermissionDenied
from workflow.errors import ValidationFailed
from workflow.fields import validate
from workflow.loading import load
from workflow.table_values import table_column
from workflow.table_values import table_rows

from ..conftest import add_users

DEFS = Path(__file__).parent.parent / "definitions" / "table"
TODAY = date(2026, 11, 25)


class Lookups:
    def __init__(self, people: set[int], users: dict[str, set[str]], recused: set[str] = frozenset()) -> None:
        self.people, self.users, self.recused = people, users, recused

    def user_roles(self, username: str) -> frozenset[str] | None:
        roles = self.users.get(username)
        return frozenset(roles) if roles is not None else None

    def is_recused(self, username: str) -> bool:
        return username in self.recused

    def person_exists(self, person_id: int) -> bool:
        return person_id in self.people

    def attachment_on_case(self, attachment_id: int) -> bool:
        return False

    def role_label(self, role: str) -> str:
        return {"reviewer": "部务会成员"}.get(role, role)


LOOKUPS = Lookups({7, 8}, {"r1": {"reviewer"}, "r2": {"reviewer"}, "off": {"officer"}})


def fields(trigger: str) -> tuple[FieldDef, ...]:
    d = load(DEFS)[0].get("tabled")
    return d.transitions_named(trigger)[0].fields


def check(trigger: str, value: Any, lookups: Lookups = LOOKUPS) -> dict[str, Any]:
    name = fields(trigger)[0].name
    return validate(fields(trigger), {name: value}, today=TODAY, lookups=lookups)


def refused(trigger: str, value: Any) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as err:
        check(trigger, value)
    return err.value.fields


def test_columns_are_read_as_field_definitions() -> None:
    candidates = fields("recommend")[0]
    assert candidates.type == "table" and candidates.required and (candidates.min_items, candidates.max_items) == (1, 5)
    assert [c.name for c in candidates.columns] == ["person_id", "votes", "rank", "met_on", "share", "note",
                                                    "confirmed"]
    votes = candidates.column("votes")
    assert votes is not None and (votes.type, votes.required, votes.min, votes.max) == ("integer", True, 0, 10000)
    member = fields("decide")[0].column("username")
    assert member is not None and (member.type, member.role) == ("user", "reviewer")


def test_a_column_with_an_unknown_key_or_a_table_type_is_refused_with_its_line() -> None:
    text = (DEFS / "tabled.yaml").read_text(encoding="utf-8")
    bad = text.replace("{name: note, label: 备注, type: text, max_length: 20}",
                       "{name: note, label: 备注, type: table, colour: red}")
    vocab = load(DEFS)[0].vocab
    _, problems = parse_text(bad, "tabled.yaml", vocab)
    line = bad.splitlines().index(next(x for x in bad.splitlines() if "colour: red" in x)) + 1
    assert f"tabled.yaml:{line}: 表格字段 'candidates' 的列 'note'的类型 'table' 不能用作表格的列" \
           "（可用：text、integer、number、date、choice、boolean、person、user）" in problems
    assert any(p.startswith(f"tabled.yaml:{line}: ") and "未知的键 'colour'" in p for p in problems)
    _, fine = parse_text(text, "tabled.yaml", vocab)
    assert fine == []


def test_a_good_table_is_stored_normalised() -> None:
    rows = [{"person_id": "7", "votes": "25", "rank": "first", "met_on": " 2026-11-20 ", "share": "0.5",
             "note": "  说明 ", "confirmed": "是"},
            {"person_id": 8, "votes": 0}]
    out = check("recommend", rows)["candidates"]
    assert out == [
        {"person_id": 7, "votes": 25, "rank": "first", "met_on": "2026-11-20", "share": 0.5, "note": "说明",
         "confirmed": True},
        {"person_id": 8, "votes": 0, "rank": None, "met_on": None, "share": None, "note": None, "confirmed": False},
    ]
    assert table_column(out, "votes") == [25, 0] and table_rows(out)[1]["person_id"] == 8
    assert table_rows(None) == [] and table_column("x", "votes") == []
    stances = check("decide", [{"username": "r1", "stance": "同意"}, {"username": "r2", "stance": "缓议"}])
    assert stances["stances"] == [{"username": "r1", "stance": "同意"}, {"username": "r2", "stance": "缓议"}]
    assert check("decide", []) == {}  # stances is optional


def test_votes_boundaries_are_the_columns_min_and_max() -> None:
    assert check("recommend", [{"person_id": 7, "votes": 10000}])["candidates"][0]["votes"] == 10000
    assert refused("recommend", [{"person_id": 7, "votes": 10001}])["candidates-0-votes"] == \
        "推荐人选及得票：第1行 得票数：不得大于10000"
    assert refused("recommend", [{"person_id": 7, "votes": -1}])["candidates-0-votes"] == \
        "推荐人选及得票：第1行 得票数：不得小于0"


@pytest.mark.parametrize(("value", "key", "message"), [
    ("7", "candidates", "推荐人选及得票：应为列表（每行一个对象，列名: 值）"),
    ({"person_id": 7}, "candidates", "推荐人选及得票：应为列表（每行一个对象，列名: 值）"),
    ([], "candidates", "推荐人选及得票：此项为必填项"),
    ([{"person_id": 7, "votes": 1}] * 6, "candidates", "推荐人选及得票：最多5行（现有6行）"),
    (["张三"], "candidates", "推荐人选及得票：第1行应为对象（列名: 值）"),
    ([{"person_id": 7, "votes": 1, "votez": 2}], "candidates",
     "推荐人选及得票：第1行有未知的列 votez（可用：person_id、votes、rank、met_on、share、note、confirmed）"),
    ([{"person_id": 7, "votes": 1}, {}], "candidates", "推荐人选及得票：第2行为空行"),
    ([{"person_id": 7}], "candidates-0-votes", "推荐人选及得票：第1行 得票数：此项为必填项"),
    ([{"person_id": 7, "votes": "二十"}], "candidates-0-votes", "推荐人选及得票：第1行 得票数：应为整数"),
    ([{"person_id": 7, "votes": "²"}], "candidates-0-votes", "推荐人选及得票：第1行 得票数：应为整数"),
    ([{"person_id": 7, "votes": "１２"}], "candidates-0-votes", "推荐人选及得票：第1行 得票数：应为整数"),
    ([{"person_id": 7, "votes": True}], "candidates-0-votes", "推荐人选及得票：第1行 得票数：应为整数"),
    ([{"person_id": 7, "votes": 1}, {"person_id": 9, "votes": 1}], "candidates-1-person_id",
     "推荐人选及得票：第2行 人选：人员不存在（编号9）"),
    ([{"person_id": 7, "votes": 1}, {"person_id": "7", "votes": 2}], "candidates-1-person_id",
     "推荐人选及得票：第2行 人选：与第1行重复"),
    ([{"person_id": 7, "votes": 1, "rank": "third"}], "candidates-0-rank",
     "推荐人选及得票：第1行 名次：不在可选范围内（可选：第一、第二）"),
    ([{"person_id": 7, "votes": 1, "met_on": "2026-02-30"}], "candidates-0-met_on",
     "推荐人选及得票：第1行 谈话日期：日期格式应为 YYYY-MM-DD，且为有效日期"),
    ([{"person_id": 7, "votes": 1, "share": 1.5}], "candidates-0-share", "推荐人选及得票：第1行 得票率：不得大于1"),
    ([{"person_id": 7, "votes": 1, "note": "字" * 21}], "candidates-0-note",
     "推荐人选及得票：第1行 备注：不得超过20个字（现有21个）"),
    ([{"person_id": 7, "votes": 1, "confirmed": "也许"}], "candidates-0-confirmed",
     "推荐人选及得票：第1行 已核实：应为是或否（true/false）"),
])
def test_each_bad_table_names_the_field_the_row_and_the_column(value: Any, key: str, message: str) -> None:
    errors = refused("recommend", value)
    assert errors[key] == message
    assert errors["candidates"].startswith("推荐人选及得票：")
    if key != "candidates":
        assert message.removeprefix("推荐人选及得票：") in errors["candidates"]  # the summary names the cell


def test_fewer_rows_than_min_items_is_refused() -> None:
    rows = fields("recommend")
    two = replace(rows[0], min_items=2, required=False)
    with pytest.raises(ValidationFailed) as err:
        validate((two,), {"candidates": [{"person_id": 7, "votes": 1}]}, today=TODAY, lookups=LOOKUPS)
    assert err.value.fields == {"candidates": "推荐人选及得票：至少需要2行（现有1行）"}


def test_a_user_column_needs_an_active_user_with_its_role_once_and_not_recused() -> None:
    assert refused("decide", [{"username": "nobody", "stance": "同意"}])["stances-0-username"] == \
        "表态情况：第1行 成员：用户不存在或已停用：nobody"
    assert refused("decide", [{"username": "off", "stance": "同意"}])["stances-0-username"] == \
        "表态情况：第1行 成员：off 不具备“部务会成员”角色"
    assert refused("decide", [{"username": "r1", "stance": "同意"}, {"username": "r1", "stance": "缓议"}]
                   )["stances-1-username"] == "表态情况：第2行 成员：与第1行重复"
    errors = refused("decide", [{"username": "r1", "stance": "弃权"}, {"stance": "同意"}])
    assert errors["stances-0-stance"] == "表态情况：第1行 表态：不在可选范围内（可选：同意、不同意、缓议）"
    assert errors["stances-1-username"] == "表态情况：第2行 成员：此项为必填项"
    with pytest.raises(PermissionDenied) as err:
        check("decide", [{"username": "r2", "stance": "同意"}], Lookups(set(), LOOKUPS.users, {"r2"}))
    assert "表态情况：r2 已回避本案件" in err.value.message


# --- through the engine, on both tiers ----------------------------------------------------------------


@pytest.fixture
def eng(make_engine: Any) -> Engine:
    e: Engine = make_engine(DEFS)
    add_users(e, {"off": ["officer"], "r1": ["reviewer"], "r2": ["reviewer"]})
    return e


def person(e: Engine, name: str) -> int:
    off = e.users.get("off").actor()
    return e.people.create({"name": name, "gender": "男", "birth_date": "1980-05-01", "unit": "某县",
                            "current_post": "副县长"}, off).id


def test_fired_through_the_engine_the_rows_are_stored_in_the_case_and_its_history(eng: Engine) -> None:
    off, r1 = eng.users.get("off").actor(), eng.users.get("r1").actor()
    a, b = person(eng, "张三"), person(eng, "李四")
    case = eng.start_case("tabled", off, title="推荐", data={"summary": "摘要"})
    with pytest.raises(ValidationFailed) as err:
        eng.fire(case.id, "recommend", off, {"candidates": [{"person_id": a, "votes": "25"},
                                                            {"person_id": b + 100, "votes": 3}]}, case.version)
    assert err.value.fields["candidates-1-person_id"] == f"推荐人选及得票：第2行 人选：人员不存在（编号{b + 100}）"
    assert eng.get_case(case.id).version == case.version and eng.get_case(case.id).state == "draft"
    snap = eng.fire(case.id, "recommend", off, {"candidates": [{"person_id": str(a), "votes": "25"},
                                                               {"person_id": b, "votes": 3}]}, case.version).case
    assert table_column(snap.data["candidates"], "person_id") == [a, b]
    assert snap.data["candidates"][0]["votes"] == 25 and snap.state == "recommended"
    eng.add_recusal(case.id, "r2", "近亲属", off)
    with pytest.raises(PermissionDenied):
        eng.fire(case.id, "decide", r1, {"stances": [{"username": "r2", "stance": "同意"}]},
                 eng.get_case(case.id).version)
    done = eng.fire(case.id, "decide", r1, {"stances": [{"username": "r1", "stance": "不同意"}]},
                    eng.get_case(case.id).version).case
    assert done.data["stances"] == [{"username": "r1", "stance": "不同意"}] and done.final
    fired = [h for h in eng.history(case.id, r1) if h.event == "recommend"]
    assert fired[0].data["candidates"][1] == {"person_id": b, "votes": 3, "rank": None, "met_on": None,
                                              "share": None, "note": None, "confirmed": False}
    assert eng.verify().ok
