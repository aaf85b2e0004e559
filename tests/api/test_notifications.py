"""GET /notifications and POST /notifications/{id}/read (api.md "Daily work")."""

from __future__ import annotations

from .conftest import ApiClient
from .conftest import error


def test_shape_unread_filter_and_marking_read(api: ApiClient) -> None:
    first = api.new_case("第一件")
    api.new_case("第二件")
    resp = api.get("/notifications", "off2")
    assert resp.status_code == 200
    body = resp.get_json()
    assert set(body) == {"items", "unread"} and body["unread"] == 2
    newest, older = body["items"]
    assert set(newest) == {"id", "at", "kind", "case_id", "text", "read"}
    assert (older["kind"], older["case_id"], older["read"], older["at"]) == (
        "todo", first.id, False, "2026-11-25T10:00:00+08:00")
    assert older["text"] == "《第一件》（测试审查流程）已到“起草”环节，请您办理。"
    assert newest["id"] > older["id"]
    resp = api.post(f"/notifications/{older['id']}/read", "off2")
    assert resp.status_code == 204 and resp.data == b""
    body = api.get("/notifications", "off2").get_json()
    assert body["unread"] == 1 and [n["read"] for n in body["items"]] == [False, True]
    unread = api.get("/notifications?unread=true", "off2").get_json()
    assert [n["id"] for n in unread["items"]] == [newest["id"]] and unread["unread"] == 1


def test_anothers_notification_is_404_and_unchanged(api: ApiClient) -> None:
    api.new_case()
    mine = api.get("/notifications", "off2").get_json()["items"][0]
    resp = api.post(f"/notifications/{mine['id']}/read", "reviewer")
    assert resp.status_code == 404 and error(resp)["code"] == "not_found"
    assert api.post("/notifications/999999/read", "off2").status_code == 404
    assert api.get("/notifications", "off2").get_json()["unread"] == 1
    assert api.get("/notifications", "reviewer").get_json() == {"items": [], "unread": 0}


def test_urge_notifies_the_urged_user(api: ApiClient) -> None:
    case = api.case_in("meeting")
    resp = api.post(f"/cases/{case.id}/urge", "officer", json={"username": "rev", "text": "请尽快审议"})
    assert resp.status_code == 201
    items = api.get("/notifications?unread=true", "reviewer").get_json()["items"]
    assert [(n["kind"], n["case_id"]) for n in items][0] == ("urged", case.id)
    assert items[0]["text"].endswith("：请尽快审议")


def test_bad_query_and_no_token(api: ApiClient) -> None:
    resp = api.get("/notifications?unread=maybe", "off2")
    assert resp.status_code == 400 and "unread" in error(resp)["message"]
    assert api.get("/notifications", None).status_code == 401
    assert api.post("/notifications/1/read", None).status_code == 401
