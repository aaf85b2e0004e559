"""A client drives a shipped procedure (领导干部署名举荐) from creation to its final state
through the JSON API alone, learning its events and fields from the API itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workflow import Engine

from ..conftest import add_users
from .conftest import make_app

SUBMIT = {
    "recommender_post": "市财政局党组书记、局长", "relationship": "上下级", "acquaintance": "很了解",
    "direction": "非定向", "merit_virtue": "政治立场坚定，对党忠诚，坚决贯彻落实上级决策部署，品行端正。",
    "merit_ability": "业务精通，统筹能力强。",
    "merit_diligence": "工作勤勉，担当作为。", "merit_performance": "牵头完成预算绩效改革。",
    "typical_examples": "2025年牵头推进零基预算改革，压减一般性支出8%。",
    "shortcomings": "基层工作经历偏少，统筹全局的经验还需积累。",
    "integrity_status": "未发现问题。", "pledge": True,
}
REVIEW = {"check_basic": "符合", "check_education": "符合", "check_tenure": "符合",
          "check_disqualification": "符合", "review_notes": "经审查，符合提任资格条件。"}


def test_signed_recommendation_end_to_end_through_the_api(engine: Engine, tmp_path: Path) -> None:
    add_users(engine, {"off": ["officer"], "rev": ["reviewer"], "rec": ["recommender"], "aud": ["auditor"]})
    tokens = {u: engine.users.create_token(u) for u in ("off", "rev", "rec", "aud")}
    client = make_app(engine, tmp_path).test_client()

    def call(method: str, path: str, who: str, body: dict[str, Any] | None = None) -> Any:
        response = client.open("/api/v1" + path, method=method, json=body,
                               headers={"Authorization": f"Bearer {tokens[who]}"})
        assert response.status_code < 300, response.get_json()
        return response.get_json()

    spec = call("GET", "/openapi.json", "off")
    assert "/cases/{case_id}/events" in spec["paths"]
    definition = call("GET", "/definitions/signed_recommendation", "off")
    events = {e["name"]: e for e in definition["events"]}
    assert {"submit", "register", "start_review", "include"} <= set(events)
    required = {f["name"] for f in events["submit"]["fields"] if f["required"]}
    assert required <= set(SUBMIT)

    person = call("POST", "/people", "rec", {"name": "孙八", "gender": "男", "birth_date": "1983-07-01"})
    case = call("POST", "/cases", "rec", {"definition": "signed_recommendation", "title": "署名推荐孙八同志",
                                          "subject_id": person["id"]})
    assert case["state"] == "draft" and case["data"]["recommender"] == "rec"
    steps = [("rec", "submit", SUBMIT), ("off", "register", {"received_on": "2026-11-24"}),
             ("off", "start_review", REVIEW), ("rev", "include", {"decision_opinion": "同意纳入"})]
    for who, event, data in steps:
        assert event in case["available_events"] or call("GET", f"/cases/{case['id']}", who)["available_events"]
        case = call("POST", f"/cases/{case['id']}/events", who,
                    {"event": event, "data": data, "expected_version": case["version"], "comment": ""})
    assert case["state"] == "included" and case["available_events"] == []
    assert case["data"]["registration_no"].startswith("署荐2026")
    history = call("GET", f"/cases/{case['id']}/history", "aud")
    assert [h["event"] for h in history] == ["start", "submit", "register", "start_review", "include"]
    assert call("GET", "/audit/verify", "aud")["ok"] is True
