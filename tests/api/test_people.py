"""People: register (engine validation, per-field Chinese messages), read, search."""

from __future__ import annotations

from .conftest import PERSON
from .conftest import ApiClient
from .conftest import error

FULL = {
    **PERSON, "ethnicity": "汉族", "native_place": "江苏南京", "party_join_date": "1998-07-01",
    "id_number": "320102197503010011",
    "resume": [{"start": "1997.07", "end": "2005.03", "text": "某县财政局科员"}],
    "family": [{"relation": "妻子", "name": "王五", "birth_date": "1976.01", "political_status": "群众",
                "work": "某中学教师"}],
    "annual_assessments": [{"year": 2024, "grade": "优秀"}, {"year": 2025, "grade": "称职"}],
}


def test_register_and_read_a_person(api: ApiClient) -> None:
    resp = api.post("/people", json=FULL)
    assert resp.status_code == 201
    person = resp.get_json()
    assert resp.headers["Location"].endswith(f"/api/v1/people/{person['id']}")
    got = api.get(f"/people/{person['id']}", "auditor").get_json()
    assert got == person
    for key, value in FULL.items():
        assert got[key] == value, key
    assert got["created_at"] == "2026-11-25T10:00:00+08:00"


def test_invalid_facts_are_422_per_field(api: ApiClient) -> None:
    resp = api.post("/people", json={"gender": "未知", "birth_date": "1975-02-30", "nickname": "小三",
                                     "annual_assessments": [{"year": "去年", "grade": "优秀"}]})
    err = error(resp)
    assert resp.status_code == 422 and err["code"] == "validation_failed"
    assert set(err["fields"]) == {"name", "gender", "birth_date", "nickname", "annual_assessments"}
    assert err["fields"]["name"].startswith("姓名")
    future = error(api.post("/people", json={**PERSON, "birth_date": "2030-01-01"}))
    assert set(future["fields"]) == {"birth_date"}


def test_wrong_body_types_are_400(api: ApiClient) -> None:
    for body in ([PERSON], "张三", 7):
        resp = api.post("/people", json=body)
        assert resp.status_code == 400 and error(resp)["code"] == "bad_request"


def test_search(api: ApiClient) -> None:
    for name in ("张三", "张三丰", "李四"):
        api.post("/people", json={**PERSON, "name": name})
    found = api.get("/people?q=张三&per_page=1&page=2").get_json()
    assert (found["total"], found["page"], found["per_page"]) == (2, 2, 1)
    assert [p["name"] for p in found["items"]] == ["张三丰"]
    assert api.get("/people").get_json()["total"] == 3
    assert api.get("/people?q=%25").get_json()["total"] == 0
