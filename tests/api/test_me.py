"""GET /api/v1/me: who the token stands for (username, name, sorted roles); 401 without one."""

from __future__ import annotations

from typing import Any

import jsonschema_rs

from .conftest import ApiClient
from .conftest import error


def test_me_names_the_caller_with_sorted_roles(api: ApiClient) -> None:
    api.engine.users.add("multi", ["reviewer", "officer"], "x", name="多角色")
    token = api.engine.users.create_token("multi")
    resp = api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200
    assert resp.get_json() == {"username": "multi", "name": "多角色", "roles": ["officer", "reviewer"]}
    assert api.get("/me", "auditor").get_json()["roles"] == ["auditor"]


def test_me_needs_a_token(api: ApiClient) -> None:
    resp = api.get("/me", None)
    assert resp.status_code == 401 and error(resp)["code"] == "unauthorized"
    assert api.post("/me", "officer", json={}).status_code == 405


def test_me_is_documented_and_answers_its_schema(api: ApiClient) -> None:
    doc: dict[str, Any] = api.get("/openapi.json").get_json()
    op = doc["paths"]["/me"]["get"]
    assert op["operationId"] == "getMe" and set(op["responses"]) == {"200", "401"}
    schema = {"$ref": "#/components/schemas/Me", "components": doc["components"]}
    jsonschema_rs.validator_for(schema).validate(api.get("/me", "officer").get_json())
