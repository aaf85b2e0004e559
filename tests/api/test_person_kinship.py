"""亲属回避 through the API: the family list's `username` column, the recusal it brings on a new case,
the 任职回避提示 in the case JSON (procedures.md, Extensions: Kinship recusal; 任用条例第五十三条)."""

from __future__ import annotations

from typing import Any

from .conftest import PERSON
from .conftest import ApiClient
from .conftest import error

WIFE = {"relation": "妻子", "name": "王五", "birth_date": "1976.01", "political_status": "群众",
        "work": "某中学教师", "username": "i2"}
BROTHER = {"relation": "哥哥", "name": "张大", "work": "江州市水利局局长"}


def _person(api: ApiClient, family: list[dict[str, Any]]) -> dict[str, Any]:
    resp = api.post("/people", json={**PERSON, "family": family})
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()  # type: ignore[no-any-return]


def test_family_username_is_stored_shown_and_checked(real_api: ApiClient) -> None:
    person = _person(real_api, [WIFE, {"relation": "干爹", "name": "赵六"}])
    assert person["family"][0]["username"] == "i2" and "username" not in person["family"][1]
    assert person["kinship_warnings"] == [
        "家庭主要成员及重要社会关系：第2项称谓“干爹”不在亲属关系表中，也不据此作任职回避提示"]
    bad = error(real_api.post("/people", json={**PERSON, "family": [{**WIFE, "username": "nobody"}]}))
    assert bad["code"] == "validation_failed"
    assert bad["fields"] == {"family": "家庭主要成员及重要社会关系：第1项的系统用户“nobody”不存在或已停用"}


def test_a_new_case_of_the_person_recuses_the_related_user(real_api: ApiClient) -> None:
    person = _person(real_api, [WIFE])
    resp = real_api.post("/cases", json={"definition": "pre_appointment_inspection", "title": "任前考察",
                                         "subject_id": person["id"], "data": {"proposed_post": "副局长"}})
    assert resp.status_code == 201, resp.get_json()
    case = resp.get_json()
    assert case["recused"] == ["i2"]
    events = real_api.get(f"/cases/{case['id']}/history").get_json()
    assert [e["data"] for e in events if e["type"] == "recusal_recorded"] == [
        {"username": "i2", "reason": "亲属回避（妻子）"}]


def test_case_json_carries_the_posting_hint(real_api: ApiClient) -> None:
    person = _person(real_api, [BROTHER])
    data = {"target_post": "副局长", "target_unit": "江州市水利局", "selection_method": "个别提拔",
            "selection_reason": "班子副职空缺1名。", "post_kind": "appoint", "move_kind": "promotion",
            "exceptional": "none", "target_rank": "county_deputy"}
    created = real_api.post("/cases", json={"definition": "selection_appointment", "title": "拟任",
                                            "subject_id": person["id"], "data": data}).get_json()
    got = real_api.get(f"/cases/{created['id']}").get_json()
    assert len(got["warnings"]) == 1 and got["warnings"][0].startswith(
        "任职回避提示：拟任单位江州市水利局有其亲属（哥哥，江州市水利局局长）担任领导职务")
    other = real_api.post("/cases", json={"definition": "selection_appointment", "title": "拟任",
                                          "subject_id": person["id"],
                                          "data": {**data, "target_unit": "江州市财政局"}}).get_json()
    assert real_api.get(f"/cases/{other['id']}").get_json()["warnings"] == []
