"""The editable, versioned person record: PATCH with expected_version, the history, grades, code sets."""

from __future__ import annotations

import threading
from typing import Any

from .conftest import PERSON
from .conftest import ApiClient
from .conftest import error

FULL = {**PERSON, "ethnicity": "汉族", "political_status": "中共党员", "id_number": "320102197503010011",
        "family": [{"relation": "妻子", "name": "王五", "birth_date": "1976.01", "political_status": "群众",
                    "work": "某中学教师"}],
        "annual_assessments": [{"year": 2024, "grade": "优秀"}, {"year": 2025, "grade": "称职"}]}


def patch(api: ApiClient, pid: int, body: dict[str, Any], who: str = "officer") -> Any:
    return api.client.patch(f"/api/v1/people/{pid}", json=body, headers=api.auth(who))


def created(api: ApiClient, body: dict[str, Any] | None = None) -> dict[str, Any]:
    resp = api.post("/people", json=body or FULL)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()  # type: ignore[no-any-return]


def test_patch_changes_the_record_and_keeps_every_change(api: ApiClient) -> None:
    person = created(api)
    assert person["version"] == 1
    resp = patch(api, person["id"], {"expected_version": 1, "current_post": "局长", "rank_level": "正处级",
                                     "post_since": "2024-06-01", "grassroots_months": 36, "ethnicity": "01"})
    assert resp.status_code == 200, resp.get_json()
    after = resp.get_json()
    assert (after["version"], after["current_post"], after["rank_level"]) == (2, "局长", "county_chief")
    assert after["ethnicity"] == "汉族" and after["grassroots_months"] == 36
    history = api.get(f"/people/{person['id']}/history").get_json()
    assert [h["seq"] for h in history] == [1, 2] and history[1]["prev_hash"] == history[0]["hash"]
    assert set(history[0]) >= {"seq", "at", "actor", "changes", "hash", "prev_hash"}
    assert history[1]["actor"] == "off" and history[1]["at"] == "2026-11-25T10:00:00+08:00"
    assert history[1]["changes"] == {
        "current_post": {"old": "副局长", "new": "局长"}, "rank_level": {"old": None, "new": "county_chief"},
        "post_since": {"old": None, "new": "2024-06-01"}, "grassroots_months": {"old": None, "new": 36}}
    cleared = patch(api, person["id"], {"expected_version": 2, "current_post": "", "family": None}).get_json()
    assert cleared["current_post"] == "" and "family" not in cleared and cleared["version"] == 3
    last = api.get(f"/people/{person['id']}/history").get_json()[-1]["changes"]
    assert last["current_post"] == {"old": "局长", "new": None} and last["family"]["new"] is None
    assert api.engine.verify().ok


def test_a_stale_version_is_409_with_a_clear_message(api: ApiClient) -> None:
    person = created(api)
    assert patch(api, person["id"], {"expected_version": 1, "unit": "某县发展改革局"}).status_code == 200
    resp = patch(api, person["id"], {"expected_version": 1, "unit": "某县财政局"})
    err = error(resp)
    assert resp.status_code == 409 and err["code"] == "stale_version"
    assert "已被他人修改" in err["message"] and "当前版本2" in err["message"]
    assert api.get(f"/people/{person['id']}").get_json()["unit"] == "某县发展改革局"


def test_of_two_concurrent_edits_one_wins_the_other_is_409(api: ApiClient) -> None:
    person = created(api)
    barrier = threading.Barrier(2)
    answers: list[int] = []

    def edit(post: str) -> None:
        client = api.app.test_client()
        barrier.wait()
        resp = client.patch(f"/api/v1/people/{person['id']}", json={"expected_version": 1, "current_post": post},
                            headers=api.auth("officer"))
        answers.append(resp.status_code)

    threads = [threading.Thread(target=edit, args=(post,)) for post in ("局长", "副主任")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [200, 409]
    history = api.get(f"/people/{person['id']}/history").get_json()
    assert len(history) == 2 and api.get(f"/people/{person['id']}").get_json()["version"] == 2


def test_patch_refusals_name_the_field(api: ApiClient) -> None:
    person = created(api)
    pid = person["id"]
    err = error(patch(api, pid, {"current_post": "局长"}))
    assert set(err["fields"]) == {"expected_version"}
    err = error(patch(api, pid, {"expected_version": 1, "ethnicity": "火星族", "education": "x",
                                 "edu_fulltime_level": "大学", "degree": 1}))
    assert set(err["fields"]) == {"ethnicity", "education", "degree"}
    assert "民族" in err["fields"]["ethnicity"] and "火星族" in err["fields"]["ethnicity"]
    err = error(patch(api, pid, {"expected_version": 1, "name": "", "rank_level": "厅级大员"}))
    assert set(err["fields"]) == {"name", "rank_level"}
    err = error(patch(api, pid, {"expected_version": 1, "gender": "女"}))
    assert set(err["fields"]) == {"id_number"} and "性别" in err["fields"]["id_number"]
    err = error(patch(api, pid, {"expected_version": 1, "managing_org": "root"}))
    assert set(err["fields"]) == {"managing_org"}
    assert len(api.get(f"/people/{pid}/history").get_json()) == 1


def test_labels_and_aliases_are_stored_as_the_code_sets_label(api: ApiClient) -> None:
    person = created(api, {**PERSON, "ethnicity": "回", "political_status": "中国共产党党员",
                           "edu_fulltime_level": "大学", "edu_fulltime_degree": "经济学学士"})
    assert (person["ethnicity"], person["political_status"]) == ("回族", "中共党员")
    assert (person["edu_fulltime_level"], person["edu_fulltime_degree"]) == ("大学本科教育", "经济学学士学位")
    codes = api.get("/code-sets/ethnicity").get_json()
    assert {"code": "03", "label": "回族", "aliases": ["回"]} in codes
    assert error(api.get("/code-sets/nope"))["code"] == "not_found"
    schema = api.get("/openapi.json", None).get_json()["components"]["schemas"]["PersonInput"]
    assert "汉族" in schema["properties"]["ethnicity"]["enum"]
    assert "county_chief" in schema["properties"]["rank_level"]["enum"]


def test_annual_grades_by_year_and_corrections_with_a_reason(api: ApiClient) -> None:
    pid = created(api)["id"]
    resp = api.post(f"/people/{pid}/assessments", json={"year": 2023, "grade": "优秀"})
    assert resp.status_code == 201 and resp.get_json()["corrected"] is False
    err = error(api.post(f"/people/{pid}/assessments", json={"year": 2025, "grade": "不称职"}))
    assert set(err["fields"]) == {"year"} and "更正理由" in err["fields"]["year"]
    resp = api.post(f"/people/{pid}/assessments", json={"year": 2025, "grade": "优秀", "reason": "复核后更正"})
    assert resp.status_code == 200 and resp.get_json()["corrected"] is True
    grades = api.get(f"/people/{pid}").get_json()["annual_assessments"]
    assert grades == [{"year": 2023, "grade": "优秀"}, {"year": 2024, "grade": "优秀"}, {"year": 2025, "grade": "优秀"}]
    last = api.get(f"/people/{pid}/history").get_json()[-1]
    assert "复核后更正" in last["note"] and last["kind"] == "assessment"
    assert last["changes"]["annual_assessments"]["old"][-1] == {"year": 2025, "grade": "称职"}
    for bad in ({"year": 2030, "grade": "优秀"}, {"year": 2024, "grade": "良好"}, {"year": "2024", "grade": "优秀"}):
        assert api.post(f"/people/{pid}/assessments", json=bad).status_code in (400, 422)
    assert error(api.post(f"/people/{pid}/assessments", "auditor", json={"year": 2022, "grade": "优秀"}))[
        "code"] == "forbidden"
