"""The 委托/抄送 contract over the JSON API (api.md "Daily work")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from workflow import Engine

from ..api.conftest import ApiClient
from ..api.conftest import error
from ..api.conftest import make_app
from ..conftest import add_users
from .helpers import DEFS
from .helpers import USERS
from .helpers import day
from .helpers import signing


@pytest.fixture
def api(make_engine: Any, tmp_path: Path) -> ApiClient:
    eng: Engine = make_engine(DEFS)
    client = ApiClient(make_app(eng, tmp_path), eng)
    client.actors.update(add_users(eng, USERS))
    client.tokens.update({u: eng.users.create_token(u) for u in USERS if u not in client.tokens})
    return client


def delete(api: ApiClient, path: str, who: str) -> Any:
    return api.client.delete("/api/v1" + path, headers=api.auth(who))


def test_delegate_acts_and_history_carries_on_behalf_of(api: ApiClient) -> None:
    case = signing(api.engine, api.actors)
    resp = api.post("/delegations", "i1", json={"to": "io", "starts_on": day(0), "ends_on": day(2),
                                                "definitions": ["cosign"]})
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert isinstance(body["id"], int) and (body["from"], body["to"], body["status"]) == ("i1", "io", "生效中")
    assert "io" in api.get(f"/cases/{case.id}", "io").get_json()["holders"]
    fired = api.post(f"/cases/{case.id}/events", "io", json={"event": "sign", "expected_version": case.version})
    assert fired.status_code == 202, fired.get_json()
    event = api.get(f"/cases/{case.id}/history", "aud").get_json()[-1]
    assert (event["actor"], event["on_behalf_of"], event["on_behalf_of_name"]) == ("io", "i1", "i1")
    assert "on_behalf_of" not in api.get(f"/cases/{case.id}/history", "aud").get_json()[0]
    assert [d["id"] for d in api.get("/delegations", "io").get_json()] == [body["id"]]


def test_revoke_with_delete(api: ApiClient) -> None:
    case = signing(api.engine, api.actors)
    made = api.post("/delegations", "i1", json={"to": "io", "starts_on": day(0), "ends_on": day(2),
                                                "definitions": ["cosign"]}).get_json()
    assert delete(api, f"/delegations/{made['id']}", "i2").status_code == 404
    assert delete(api, f"/delegations/{made['id']}", "i1").status_code == 204
    fired = api.post(f"/cases/{case.id}/events", "io", json={"event": "sign", "expected_version": case.version})
    assert fired.status_code == 403
    assert api.get("/delegations", "i1").get_json()[0]["status"] == "已撤销"
    assert delete(api, "/delegations/99999", "i1").status_code == 404


def test_invalid_delegation_is_422_with_the_field_and_nothing_changed(api: ApiClient) -> None:
    resp = api.post("/delegations", "i1", json={"to": "i1", "starts_on": day(0), "ends_on": day(1),
                                                "definitions": ["cosign"]})
    assert resp.status_code == 422 and error(resp)["fields"] == {"to": "受托人：不能委托给自己"}
    resp = api.post("/delegations", "i1", json={"to": "r1", "starts_on": day(2), "ends_on": day(1),
                                                "definitions": ["cosign"]})
    fields = error(resp)["fields"]
    assert "相同的角色" in fields["to"] and "不得早于开始日期" in fields["ends_on"]
    resp = api.post("/delegations", "i1", json={"to": "io", "starts_on": day(0)})
    assert resp.status_code == 422 and {"ends_on", "definitions"} <= set(error(resp)["fields"])
    resp = api.post("/delegations", "aud", json={"to": "io", "starts_on": day(0), "ends_on": day(1),
                                                 "definitions": ["cosign"]})
    assert resp.status_code == 403
    assert api.get("/delegations", "i1").get_json() == []


def test_auditors_list_every_delegation_others_may_not(api: ApiClient) -> None:
    api.post("/delegations", "i1", json={"to": "io", "starts_on": day(0), "ends_on": day(1),
                                         "definitions": ["cosign"]})
    every = api.get("/delegations?all=true", "aud")
    assert every.status_code == 200 and [(d["from"], d["to"]) for d in every.get_json()] == [("i1", "io")]
    assert api.get("/delegations?all=true", "i2").status_code == 403


def test_cc_on_an_event(api: ApiClient) -> None:
    case = api.engine.start_case("cosign", api.actors["off"], title="抄送", data={"summary": "摘要"})
    assert api.get(f"/cases/{case.id}", "i3").status_code == 404
    resp = api.post(f"/cases/{case.id}/events", "off", json={
        "event": "submit", "data": {"team": ["i1"]}, "expected_version": case.version, "cc": ["i3"]})
    assert resp.status_code == 200, resp.get_json()
    assert api.get(f"/cases/{case.id}", "i3").status_code == 200
    assert [c["case"]["id"] for c in api.get("/copies", "i3").get_json()] == [case.id]
    kinds = [n["kind"] for n in api.get("/notifications", "i3").get_json()["items"]]
    assert kinds == ["copied"]
    bad = api.post(f"/cases/{case.id}/events", "off", json={
        "event": "note", "data": {}, "expected_version": resp.get_json()["version"], "cc": ["adm"]})
    assert bad.status_code == 422 and "不能查阅案件" in error(bad)["fields"]["cc"]
