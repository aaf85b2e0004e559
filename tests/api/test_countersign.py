"""POST /cases/{id}/signers (加签) and POST /cases/{id}/withdraw (撤回上一步) over the API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..conftest import add_users
from .conftest import ApiClient
from .conftest import error
from .conftest import make_app

DEFS = Path(__file__).parent.parent / "definitions" / "countersign"


@pytest.fixture
def capi(make_engine: Any, tmp_path: Path) -> Iterator[ApiClient]:
    eng = make_engine(DEFS)
    client = ApiClient(make_app(eng, tmp_path), eng)
    client.actors.update(add_users(eng, {"r2": ["reviewer"], "r3": ["reviewer"]}))
    client.tokens.update({u: eng.users.create_token(u) for u in ("r2", "r3")})
    yield client


def in_review(api: ApiClient) -> Any:
    eng = api.engine
    case = eng.start_case("cosign", api.actor("officer"), title="会签", data={"summary": "摘要"})
    return eng.fire(case.id, "submit", api.actor("officer"), {"team": ["i1", "i2"]}, case.version).case


def test_add_signer_then_everyone_signs(capi: ApiClient) -> None:
    case = in_review(capi)
    resp = capi.post(f"/cases/{case.id}/signers", "officer", json={"username": "r3", "reason": "请分管领导会签"})
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json() == {"case_id": case.id, "event": "approve", "username": "r3", "approvals": {
        "required": 3, "given": 0, "approvers": [], "awaited": ["r3"]}}
    body = capi.get(f"/cases/{case.id}", "r3").get_json()
    assert "r3" in body["holders"] and "approve" in body["available_events"]
    version = body["version"]
    for who in ("rev", "r2"):
        resp = capi.post(f"/cases/{case.id}/events", who, json={"event": "approve", "expected_version": version})
        assert resp.status_code == 202, resp.get_json()
        assert resp.get_json()["approvals"]["awaited"] == ["r3"]
        version = resp.get_json()["case"]["version"]
    resp = capi.post(f"/cases/{case.id}/events", "r3", json={"event": "approve", "expected_version": version})
    assert resp.status_code == 200 and resp.get_json()["state"] == "signing"
    assert capi.get("/audit/verify", "auditor").get_json()["ok"] is True


def test_refused_additions(capi: ApiClient) -> None:
    case = in_review(capi)
    resp = capi.post(f"/cases/{case.id}/signers", "officer", json={"username": "i1", "reason": "理由"})
    assert resp.status_code == 422 and "没有该角色" in error(resp)["fields"]["username"]
    resp = capi.post(f"/cases/{case.id}/signers", "officer", json={"username": "r3"})
    assert resp.status_code == 422 and "reason" in error(resp)["fields"]
    resp = capi.post(f"/cases/{case.id}/signers", "auditor", json={"username": "r3", "reason": "理由"})
    assert resp.status_code == 403
    resp = capi.post(f"/cases/{case.id}/signers", "p1", json={"username": "r3", "reason": "理由"})
    assert resp.status_code == 404
    assert not [e for e in capi.get(f"/cases/{case.id}/history").get_json() if e["type"] == "signer_added"]


def test_withdraw(capi: ApiClient) -> None:
    case = in_review(capi)
    resp = capi.post(f"/cases/{case.id}/withdraw", "off2", json={"expected_version": case.version})
    assert resp.status_code == 409 and "没有可撤回" in error(resp)["message"]
    resp = capi.post(f"/cases/{case.id}/withdraw", "officer", json={"expected_version": case.version - 1})
    assert resp.status_code == 409 and error(resp)["code"] == "stale_version"
    resp = capi.post(f"/cases/{case.id}/withdraw", "officer", json={})
    assert resp.status_code == 422 and "expected_version" in error(resp)["fields"]
    resp = capi.post(f"/cases/{case.id}/withdraw", "officer",
                     json={"expected_version": case.version, "comment": "提交有误"})
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["state"] == "draft" and "team" not in body["data"]
    last = capi.get(f"/cases/{case.id}/history").get_json()[-1]
    assert (last["type"], last["event"], last["from"], last["to"], last["comment"]) == (
        "step_withdrawn", "submit", "review", "draft", "提交有误")
    resp = capi.post(f"/cases/{case.id}/withdraw", "officer", json={"expected_version": body["version"]})
    assert resp.status_code == 409 and "已经撤回" in error(resp)["message"]
    assert capi.get("/audit/verify", "auditor").get_json()["ok"] is True
