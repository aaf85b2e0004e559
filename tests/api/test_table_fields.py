"""A ``table`` field over the API: GET /definitions/{key} publishes its columns, the OpenAPI document its
row schema, and events take and answer the rows as JSON (tests/definitions/table/tabled.yaml)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from web.api.fieldschema import definition_components
from workflow import Engine

from .conftest import PERSON
from .conftest import ApiClient
from .conftest import error
from .conftest import make_app

DEFS = Path(__file__).resolve().parent.parent / "definitions" / "table"


@pytest.fixture
def api(make_engine: Any, tmp_path: Path) -> Iterator[ApiClient]:
    eng: Engine = make_engine(DEFS)
    yield ApiClient(make_app(eng, tmp_path), eng)


def test_the_published_schema_lists_the_columns(api: ApiClient) -> None:
    body = api.get("/definitions/tabled").get_json()
    recommend = next(t for t in body["events"] if t["name"] == "recommend")
    candidates = recommend["fields"][0]
    assert candidates["type"] == "table" and candidates["required"] is True
    assert (candidates["min_items"], candidates["max_items"]) == (1, 5)
    assert candidates["columns"][:2] == [
        {"name": "person_id", "label": "人选", "type": "person", "required": True},
        {"name": "votes", "label": "得票数", "type": "integer", "required": True, "min": 0, "max": 10000}]
    decide = next(t for t in body["events"] if t["name"] == "decide")
    stances = decide["fields"][0]
    assert stances["max_items"] == 200  # no max_items in the YAML: the default cap
    assert stances["columns"][0]["role"] == "reviewer"
    assert [c["value"] for c in stances["columns"][1]["choices"]] == ["同意", "不同意", "缓议"]


def test_the_openapi_row_schema(api: ApiClient) -> None:
    s = definition_components([api.engine.registry.get("tabled")])["tabled.v1.recommend"]
    candidates = s["properties"]["candidates"]
    assert candidates["type"] == "array" and (candidates["minItems"], candidates["maxItems"]) == (1, 5)
    row = candidates["items"]
    assert row["required"] == ["person_id", "votes"] and row["additionalProperties"] is False
    assert row["properties"]["votes"] == {"type": "integer", "minimum": 0, "maximum": 10000, "title": "得票数"}


def test_events_take_rows_and_answer_them_as_json(api: ApiClient) -> None:
    pid = api.engine.people.create(PERSON, api.actor("officer")).id
    case = api.engine.start_case("tabled", api.actor("officer"), title="推荐", data={"summary": "摘要"})
    bad = api.post(f"/cases/{case.id}/events", json={"event": "recommend", "expected_version": case.version,
                                                     "data": {"candidates": [{"person_id": pid, "votes": -3}]}})
    assert bad.status_code == 422
    fields = error(bad)["fields"]
    assert fields["candidates-0-votes"] == "推荐人选及得票：第1行 得票数：不得小于0"
    assert "第1行 得票数：不得小于0" in fields["candidates"]
    good = api.post(f"/cases/{case.id}/events", json={"event": "recommend", "expected_version": case.version,
                                                      "data": {"candidates": [{"person_id": pid, "votes": 25}]}})
    assert good.status_code == 200, good.get_json()
    rows = api.get(f"/cases/{case.id}").get_json()["data"]["candidates"]
    assert rows == [{"person_id": pid, "votes": 25, "rank": None, "met_on": None, "share": None, "note": None,
                     "confirmed": False}]


def test_the_openapi_document_describes_the_definition_and_the_rows(api: ApiClient) -> None:
    doc = api.get("/openapi.json").get_json()
    components = doc["components"]

    def validator(schema: dict[str, Any]) -> Any:
        return jsonschema_rs.validator_for({**schema, "components": components}, validate_formats=True)

    validator(components["schemas"]["Definition"]).validate(api.get("/definitions/tabled").get_json())
    data = validator(components["schemas"]["tabled.v1.recommend"])
    assert data.is_valid({"candidates": [{"person_id": 3, "votes": 25}]})
    assert not data.is_valid({"candidates": []})
    assert not data.is_valid({"candidates": [{"person_id": 3}]})
    assert not data.is_valid({"candidates": [{"person_id": 3, "votes": 1, "votez": 2}]})
