"""The OpenAPI document: every endpoint, built from the schemas the code validates with."""

from __future__ import annotations

import re
from typing import Any

import jsonschema_rs
import pytest

from web.api import schemas
from web.api.fieldschema import schema_name
from web.api.validation import assert_supported

from .conftest import SUBMIT
from .conftest import ApiClient


def _validator(doc: dict[str, Any], schema: dict[str, Any]) -> Any:
    return jsonschema_rs.validator_for({**schema, "components": doc["components"]}, validate_formats=True)


def test_served_without_a_token_as_openapi_3_1(api: ApiClient) -> None:
    resp = api.get("/openapi.json", None)
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    doc = resp.get_json()
    assert doc["openapi"] == "3.1.0" and doc["servers"] == [{"url": "/api/v1"}]
    assert doc["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": "cadreflow tokens create 用户名"}
    assert doc["paths"]["/openapi.json"]["get"]["security"] == []


def test_every_route_is_documented_with_its_answers(api: ApiClient) -> None:
    doc = api.get("/openapi.json").get_json()
    routes = set()
    for rule in api.app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            routes |= {(path, m.lower()) for m in rule.methods or () if m not in ("HEAD", "OPTIONS")}
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    assert documented == routes
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            codes = set(op["responses"])
            assert any(c.startswith("2") for c in codes), (path, method)
            if op.get("security") != []:  # the public ones: this document and POST /vote (the code is the credential)
                assert "401" in codes, (path, method)
            if "requestBody" in op:
                assert {"400", "413"} <= codes, (path, method)
            for code, answer in op["responses"].items():
                if code >= "400":
                    assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_envelopes_are_the_dicts_the_requests_are_validated_with(api: ApiClient) -> None:
    doc = api.get("/openapi.json").get_json()
    components = doc["components"]["schemas"]
    for name, envelope in (("CreateCase", schemas.CREATE_CASE), ("FireEvent", schemas.FIRE_EVENT),
                           ("RecusalInput", schemas.RECUSAL_INPUT)):
        assert components[name] == envelope
        assert_supported(envelope)
    body = doc["paths"]["/cases/{case_id}/events"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    for variant in body["anyOf"]:
        narrowed = {k: v for k, v in variant["properties"].items() if k != "data"}
        assert {k: v for k, v in variant.items() if k not in ("properties", "title")} == {
            k: v for k, v in schemas.FIRE_EVENT.items() if k not in ("properties", "title")}
        assert {k: {x: y for x, y in v.items() if x != "const"} for k, v in narrowed.items()} == {
            k: v for k, v in schemas.FIRE_EVENT["properties"].items() if k != "data"}
    with pytest.raises(ValueError, match="unsupported"):
        assert_supported({"type": "object", "properties": {"x": {"type": "string", "pattern": "^a"}}})


def test_each_event_documents_its_fields(api: ApiClient) -> None:
    doc = api.get("/openapi.json").get_json()
    d = api.engine.registry.get("review")
    components = doc["components"]["schemas"]
    for t in d.transitions:
        schema = components[schema_name(d, t.trigger)]
        assert set(schema["properties"]) == {f.name for f in t.fields}
        assert schema["additionalProperties"] is False
    submit = components["review.v1.submit"]
    assert submit["required"] == ["panel", "team", "notice_date"]
    assert submit["properties"]["panel"]["type"] == "array" and submit["properties"]["notice_date"]["format"] == "date"
    v = _validator(doc, submit)
    assert v.is_valid(SUBMIT)
    assert not v.is_valid({**SUBMIT, "notice_date": "2026-02-30"}) and not v.is_valid({**SUBMIT, "x": 1})
    decide = components["review.v1.decide"]["properties"]["members_total"]
    assert decide == {"type": "integer", "minimum": 1, "maximum": 99, "title": "应到人数"}
    start = components["review.v1.start"]
    assert start["properties"]["summary"] == {"type": "string", "maxLength": 100, "title": "摘要"}


def test_definition_answer_matches_its_schema(api: ApiClient) -> None:
    doc = api.get("/openapi.json").get_json()
    definition = api.get("/definitions/review").get_json()
    _validator(doc, {"$ref": "#/components/schemas/Definition"}).validate(definition)
    sign = next(e for e in definition["events"] if e["name"] == "sign")
    assert (sign["approvals"], sign["approvals_members"]) == (None, "team")
    submit = next(e for e in definition["events"] if e["name"] == "submit")
    assert submit["approvals"] == 1 and submit["fields"][0] == {
        "name": "panel", "label": "评分组", "type": "user", "required": True, "role": "panelist", "multiple": True}


def test_the_shipped_procedures_are_documented(real_api: ApiClient) -> None:
    doc = real_api.get("/openapi.json").get_json()
    components = doc["components"]["schemas"]
    create = doc["paths"]["/cases"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    keys = {v["properties"]["definition"]["const"] for v in create["anyOf"]}
    assert keys == {d.key for d in real_api.engine.registry.latest()}
    for d in real_api.engine.registry.versions():
        for t in d.transitions:
            assert schema_name(d, t.trigger) in components
        definition = real_api.get(f"/definitions/{d.key}?version={d.version}").get_json()
        _validator(doc, {"$ref": "#/components/schemas/Definition"}).validate(definition)
