"""Recusals: recorded with reason and recorder; the recused user loses every action and all reading at once."""

from __future__ import annotations

from .conftest import SUBMIT
from .conftest import ApiClient
from .conftest import error


def _recuse(api: ApiClient, case_id: int, username: str, who: str = "officer", reason: str = "近亲属关系") -> dict:
    resp = api.post(f"/cases/{case_id}/recusals", who, json={"username": username, "reason": reason})
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()  # type: ignore[no-any-return]


def test_recorded_with_reason_and_recorder(api: ApiClient) -> None:
    case = api.new_case()
    body = _recuse(api, case.id, "p3", who="reviewer", reason="与被审查人系夫妻关系")
    assert body == {"username": "p3", "reason": "与被审查人系夫妻关系", "recorded_by": "rev",
                    "created_at": "2026-11-25T10:00:00+08:00"}
    assert api.get(f"/cases/{case.id}/recusals", "auditor").get_json() == [body]
    assert api.get(f"/cases/{case.id}", "auditor").get_json()["recused"] == ["p3"]
    event = api.get(f"/cases/{case.id}/history").get_json()[-1]
    assert (event["type"], event["actor"], event["data"]) == (
        "recusal_recorded", "rev", {"username": "p3", "reason": "与被审查人系夫妻关系"})


def test_the_recused_user_loses_every_action_at_once(api: ApiClient) -> None:
    case = api.case_in("submitted")
    assert set(api.get(f"/cases/{case.id}", "officer").get_json()["available_events"]) == {"withdraw", "to_meeting"}
    _recuse(api, case.id, "off", who="reviewer")
    assert api.get(f"/cases/{case.id}", "officer").status_code == 404
    assert api.get(f"/cases/{case.id}/history", "officer").status_code == 404
    assert api.get("/cases", "officer").get_json()["items"] == []
    version = api.get(f"/cases/{case.id}", "reviewer").get_json()["version"]
    resp = api.post(f"/cases/{case.id}/events", json={"event": "to_meeting", "expected_version": version})
    assert resp.status_code == 404
    resp = api.post(f"/cases/{case.id}/recusals", json={"username": "rev", "reason": "报复"})
    assert resp.status_code == 404
    assert api.get(f"/cases/{case.id}", "reviewer").get_json()["version"] == version


def test_a_recused_panelist_can_no_longer_score(api: ApiClient) -> None:
    case = api.case_in("scoring")
    assert api.get(f"/cases/{case.id}", "panelist").get_json()["available_events"] == ["score"]
    _recuse(api, case.id, "p1")
    assert api.get(f"/cases/{case.id}", "panelist").status_code == 404
    version = api.get(f"/cases/{case.id}").get_json()["version"]
    resp = api.post(f"/cases/{case.id}/events", "panelist",
                    json={"event": "score", "data": {"score": 60}, "expected_version": version})
    assert resp.status_code == 404 and error(resp)["code"] == "not_found"
    assert api.get(f"/cases/{case.id}").get_json()["version"] == version


def test_a_recused_user_cannot_be_put_on_the_panel_or_team(api: ApiClient) -> None:
    case = api.new_case()
    _recuse(api, case.id, "p2")
    _recuse(api, case.id, "i2")
    version = api.get(f"/cases/{case.id}").get_json()["version"]
    for data in (SUBMIT, {**SUBMIT, "panel": ["p1", "p3"]}):
        resp = api.post(f"/cases/{case.id}/events", json={"event": "submit", "data": data,
                                                          "expected_version": version})
        assert resp.status_code == 403 and "回避" in error(resp)["message"]
    ok = api.post(f"/cases/{case.id}/events", json={
        "event": "submit", "data": {**SUBMIT, "panel": ["p1", "p3"], "team": ["i1"]}, "expected_version": version})
    assert ok.status_code == 200


def test_self_declaration_and_refusals(api: ApiClient) -> None:
    case = api.case_in("submitted")  # p1 sits on the panel, so the case is theirs to decline
    assert _recuse(api, case.id, "p1", who="panelist", reason="本人申请回避")["recorded_by"] == "p1"
    for body, field in (({"username": "ghost", "reason": "x"}, "username"),
                        ({"username": "p2", "reason": ""}, "reason"), ({"username": "p1", "reason": "again"},
                                                                       "username"),
                        ({"username": "p2"}, "reason")):
        err = error(api.post(f"/cases/{case.id}/recusals", json=body))
        assert err["code"] == "validation_failed" and field in err["fields"], body
    refused = api.post(f"/cases/{case.id}/recusals", "inspector", json={"username": "p2", "reason": "x"})
    assert refused.status_code == 403  # on the team: sees the case, but records no one else's recusal
    assert api.post(f"/cases/{case.id}/recusals", "recommender", json={"username": "p2", "reason": "x"}
                    ).status_code == 404
    assert api.post("/cases/999/recusals", json={"username": "p2", "reason": "x"}).status_code == 404
