"""The published start fields agree with the server (issue 13): for every shipped definition,
every role that may start it and every start field, leaving the field out is refused as
required exactly when ``GET /definitions/{key}`` says so (``required``, or the starter's role
in ``required_for``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workflow import Engine

from ..conftest import add_users
from .conftest import make_app

USERS = {"off": ["officer"], "rev": ["reviewer"], "rec": ["recommender"], "p1": ["panelist"],
         "i1": ["inspector"]}
BY_ROLE = {roles[0]: user for user, roles in USERS.items()}


def sample(field: dict[str, Any]) -> Any:
    """A valid value for a published FIELD."""
    kind = field["type"]
    if kind == "user":
        user = BY_ROLE.get(field.get("role", "officer"), "off")
        return [user] if field.get("multiple") else user
    if kind == "choice":
        return field["choices"][0]["value"]
    if kind == "multichoice":
        return [field["choices"][0]["value"]]
    if kind in ("integer", "number"):
        return field.get("min", 1)
    if kind == "boolean":
        return True
    if kind == "date":
        return "2026-11-20"
    if kind == "datetime":
        return "2026-11-20T09:30:00+08:00"
    return "测试内容" * max(1, field.get("min_length", 0) // 4 + 1)


def test_published_start_requirements_agree_with_the_server(engine: Engine, tmp_path: Path) -> None:
    add_users(engine, USERS)
    tokens = {u: engine.users.create_token(u) for u in USERS}
    client = make_app(engine, tmp_path).test_client()

    def call(method: str, path: str, who: str, body: dict[str, Any] | None = None) -> Any:
        return client.open("/api/v1" + path, method=method, json=body,
                           headers={"Authorization": f"Bearer {tokens[who]}"})

    checked = []
    for summary in call("GET", "/definitions", "off").get_json():
        definition = call("GET", f"/definitions/{summary['key']}", "off").get_json()
        start = definition["start"]
        for role in start["roles"]:
            who = BY_ROLE[role]
            person = call("POST", "/people", who, {"name": "孙八", "gender": "男", "birth_date": "1983-07-01"})
            assert person.status_code == 201, person.get_json()
            for field in start["fields"]:
                data = {f["name"]: sample(f) for f in start["fields"] if f["name"] != field["name"]}
                answer = call("POST", "/cases", who, {"definition": summary["key"], "title": "核对必填项",
                                                      "subject_id": person.get_json()["id"], "data": data})
                published = field["required"] or role in field.get("required_for", [])
                refused = answer.status_code == 422 and field["name"] in answer.get_json()["error"].get("fields", {})
                assert refused == published, (summary["key"], role, field["name"], answer.get_json())
                if not refused:
                    assert answer.status_code == 201, answer.get_json()
                checked.append((summary["key"], role, field["name"], published))
    assert ("signed_recommendation", "officer", "recommender", True) in checked
    assert ("signed_recommendation", "recommender", "recommender", False) in checked
    assert ("selection_appointment", "officer", "target_post", True) in checked


def test_recommender_is_published_as_required_for_officers(engine: Engine, tmp_path: Path) -> None:
    add_users(engine, USERS)
    client = make_app(engine, tmp_path).test_client()
    token = engine.users.create_token("off")
    definition = client.get("/api/v1/definitions/signed_recommendation",
                            headers={"Authorization": f"Bearer {token}"}).get_json()
    field = next(f for f in definition["start"]["fields"] if f["name"] == "recommender")
    assert field["required"] is False and field["required_for"] == ["officer"]
