"""POST /cases/{id}/urge (催办) and CASE.holders over the API."""

from __future__ import annotations

from .conftest import ApiClient
from .conftest import error


def test_holders_in_the_case_and_the_inbox(api: ApiClient) -> None:
    case = api.case_in("meeting")
    assert api.get(f"/cases/{case.id}", "auditor").get_json()["holders"] == ["rev"]
    items = api.get("/cases", "officer").get_json()["items"]
    assert [c["holders"] for c in items] == [["rev"]]


def test_urge_is_recorded_and_throttled(api: ApiClient) -> None:
    case = api.case_in("meeting")
    resp = api.post(f"/cases/{case.id}/urge", "officer", json={"username": "rev", "text": "请尽快审议"})
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json() == {"case_id": case.id, "username": "rev", "text": "请尽快审议",
                               "at": "2026-11-25T10:00:00+08:00"}
    event = api.get(f"/cases/{case.id}/history").get_json()[-1]
    assert (event["type"], event["actor"], event["data"]) == (
        "case_urged", "off", {"holder": "rev", "text": "请尽快审议"})
    again = api.post(f"/cases/{case.id}/urge", "off2", json={"username": "rev", "text": "再催"})
    assert again.status_code == 429 and error(again)["code"] == "too_many_requests"
    assert "今天已催办过" in error(again)["message"]
    count = len(api.get(f"/cases/{case.id}/history").get_json())
    assert count == event["seq"]  # nothing recorded by the refusal


def test_refusals(api: ApiClient) -> None:
    case = api.case_in("meeting")
    resp = api.post(f"/cases/{case.id}/urge", "officer", json={"username": "off2", "text": "请办理"})
    assert resp.status_code == 409 and "不是本案件的当前办理人" in error(resp)["message"]
    resp = api.post(f"/cases/{case.id}/urge", "officer", json={"username": "rev"})
    assert resp.status_code == 422 and "text" in error(resp)["fields"]
    resp = api.post(f"/cases/{case.id}/urge", "officer", json={"username": "rev", "text": "   "})
    assert resp.status_code == 422 and error(resp)["fields"] == {"text": "催办内容：此项为必填项"}
    resp = api.post(f"/cases/{case.id}/urge", "p3", json={"username": "rev", "text": "请办理"})
    assert resp.status_code == 404  # p3 cannot see the case
    resp = api.post("/cases/99999/urge", "officer", json={"username": "rev", "text": "请办理"})
    assert resp.status_code == 404
