"""Cases through the API: open, list, read, fire, history; a whole procedure driven by a client."""

from __future__ import annotations

from typing import Any

import jsonschema_rs

from workflow import FixedClock

from .conftest import DECIDE
from .conftest import SUBMIT
from .conftest import ApiClient
from .conftest import error

CASE_KEYS = {"id", "definition", "definition_version", "title", "state", "state_label", "version", "subject_id",
             "data", "created_at", "updated_at", "due_at", "overdue", "links", "available_events"}
HISTORY_KEYS = {"seq", "event", "from", "to", "actor", "role", "at", "data", "comment", "hash", "prev_hash"}


def test_open_a_case(api: ApiClient) -> None:
    person = api.person()
    resp = api.post("/cases", json={"definition": "review", "title": " 关于张三同志的审查 ", "subject_id": person,
                                    "data": {"summary": "摘要"}, "comment": "发起"})
    assert resp.status_code == 201
    case = resp.get_json()
    assert CASE_KEYS <= set(case)
    assert resp.headers["Location"].endswith(f"/api/v1/cases/{case['id']}")
    assert (case["state"], case["state_label"], case["version"]) == ("draft", "起草", 1)
    assert case["title"] == "关于张三同志的审查"
    assert case["subject_id"] == person and case["data"] == {"summary": "摘要"}
    assert sorted(case["available_events"]) == ["submit", "withdraw"]
    assert case["created_at"] == "2026-11-25T10:00:00+08:00" and case["due_at"].endswith("+08:00")
    assert case["links"] == [] and case["overdue"] is False


def test_open_a_case_refusals(api: ApiClient) -> None:
    assert error(api.post("/cases", json={"definition": "nope", "title": "x"}))["code"] == "not_found"
    err = error(api.post("/cases", json={"definition": "review", "title": "x", "subject_id": 999}))
    assert err["code"] == "validation_failed" and set(err["fields"]) == {"subject_id", "summary"}
    err = error(api.post("/cases", json={"definition": "review", "title": "   ", "data": {"summary": "s"}}))
    assert set(err["fields"]) == {"title"}


def test_available_events_are_the_callers(api: ApiClient) -> None:
    case = api.case_in("submitted")
    events = {who: set(api.get(f"/cases/{case.id}", who).get_json()["available_events"])
              for who in ("officer", "reviewer", "auditor", "panelist")}
    assert events == {"officer": {"withdraw", "to_meeting"}, "reviewer": {"return"}, "auditor": set(),
                      "panelist": set()}
    assert api.get(f"/cases/{case.id}", "admin").status_code == 404  # no business role: sees no case
    listed = {who: set(api.get("/cases", who).get_json()["items"][0]["available_events"])
              for who in ("officer", "reviewer", "auditor")}
    assert listed == {"officer": {"withdraw", "to_meeting"}, "reviewer": {"return"}, "auditor": set()}


def test_list_paginates_and_filters(api: ApiClient, clock: FixedClock) -> None:
    ids = [api.new_case(f"案件{i}").id for i in range(7)]
    submitted = api.case_in("submitted")
    body = api.get("/cases").get_json()
    assert (body["total"], body["page"], body["per_page"], len(body["items"])) == (8, 1, 50, 8)
    page = api.get("/cases?per_page=3&page=3").get_json()
    assert (page["total"], page["page"], page["per_page"]) == (8, 3, 3)
    assert len(page["items"]) == 2
    assert api.get("/cases?per_page=200").status_code == 200
    by_state = api.get("/cases?state=submitted&definition=review").get_json()
    assert [c["id"] for c in by_state["items"]] == [submitted.id]
    assert api.get("/cases?definition=other").get_json()["total"] == 0
    assert api.get("/cases?overdue=true").get_json()["total"] == 0
    clock.advance(days=30)
    overdue = api.get("/cases?overdue=true").get_json()
    assert sorted(c["id"] for c in overdue["items"]) == sorted(ids) and all(c["overdue"] for c in overdue["items"])
    assert [c["id"] for c in api.get("/cases?overdue=false").get_json()["items"]] == [submitted.id]


def test_history_lists_every_event_with_its_hash(api: ApiClient) -> None:
    case = api.case_in("meeting")
    history = api.get(f"/cases/{case.id}/history", "auditor").get_json()
    assert [h["event"] for h in history] == ["start", "submit", "to_meeting"]
    assert all(HISTORY_KEYS <= set(h) for h in history)
    assert [(h["from"], h["to"]) for h in history] == [(None, "draft"), ("draft", "submitted"),
                                                        ("submitted", "meeting")]
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(history, history[1:], strict=False))
    assert history[1]["data"]["panel"] == ["p1", "p2"] and history[1]["actor"] == "off"
    assert history[1]["role"] == "officer" and history[1]["at"].endswith("+08:00")
    assert error(api.get("/cases/999/history"))["code"] == "not_found"


def test_sealed_scores_stay_hidden_from_other_panelists(api: ApiClient) -> None:
    case = api.case_in("scoring")
    fired = api.post(f"/cases/{case.id}/events", "panelist", json={
        "event": "score", "data": {"score": 88}, "expected_version": case.version})
    assert fired.status_code == 200
    other = api.client.get(f"/api/v1/cases/{case.id}", headers=api.auth("p2")).get_json()
    assert other["data"]["scores"] == [] and other["data"]["scores_count"] == 1
    history = api.client.get(f"/api/v1/cases/{case.id}/history", headers=api.auth("p2")).get_json()
    assert history[-1]["sealed"] is True and history[-1]["data"] == {}
    assert api.get(f"/cases/{case.id}", "auditor").get_json()["data"]["scores"][0]["score"] == 88
    # The history PDF follows the same sealing rule: the other panelist sees 密封, not the score.
    other_pdf = pdf_text(api.client.get(f"/api/v1/cases/{case.id}/history.pdf", headers=api.auth("p2")))
    assert "评分密封中" in other_pdf and "88" not in other_pdf.split("密封", 1)[-1].split("哈希", 1)[0]
    own_pdf = pdf_text(api.client.get(f"/api/v1/cases/{case.id}/history.pdf", headers=api.auth("panelist")))
    assert "评分密封中" not in own_pdf


def pdf_text(resp: Any) -> str:
    import io
    import re

    from pypdf import PdfReader

    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.data)).pages))


class Client:
    """A client that knows only the API and its OpenAPI document."""

    def __init__(self, api: ApiClient, doc: dict[str, Any]) -> None:
        self.api = api
        self.doc = doc

    def body_validator(self, path: str) -> Any:
        schema = self.doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        return jsonschema_rs.validator_for({**schema, "components": self.doc["components"]},
                                           validate_formats=True)

    def fire(self, case: dict[str, Any], event: str, who: str, data: dict[str, Any], offered: bool = True) -> Any:
        body = {"event": event, "data": data, "expected_version": case["version"]}
        self.body_validator("/cases/{case_id}/events").validate(body)
        assert (event in self.events_for(case, who)) is offered
        return self.api.client.post(f"/api/v1/cases/{case['id']}/events", json=body,
                                    headers=self.api.auth(who))

    def events_for(self, case: dict[str, Any], who: str) -> list[str]:
        resp = self.api.client.get(f"/api/v1/cases/{case['id']}", headers=self.api.auth(who))
        return resp.get_json()["available_events"]  # type: ignore[no-any-return]


def test_a_client_drives_a_procedure_to_its_final_state(api: ApiClient) -> None:
    doc = api.get("/openapi.json").get_json()
    client = Client(api, doc)
    definition = api.get("/definitions/review").get_json()
    assert {e["name"] for e in definition["events"]} >= {"submit", "decide", "score", "sign"}
    create = {"definition": "review", "title": "驱动全流程", "data": {"summary": "只用接口"}}
    client.body_validator("/cases").validate(create)
    case = api.post("/cases", json=create).get_json()
    steps = [("submit", "off", SUBMIT), ("to_meeting", "off", {}), ("decide", "rev", DECIDE),
             ("score", "p1", {"score": 90}), ("score", "p2", {"score": 70}), ("close_scoring", "off", {})]
    for event, who, data in steps:
        resp = client.fire(case, event, who, data)
        assert resp.status_code == 200, resp.get_json()
        case = resp.get_json()
    assert case["state"] == "signing"
    first = client.fire(case, "sign", "i1", {})
    assert first.status_code == 202
    waiting = first.get_json()
    assert waiting["approvals"]["required"] == 2 and waiting["approvals"]["given"] == 1
    assert waiting["approvals"]["awaited"] == ["i2"] and waiting["case"]["state"] == "signing"
    again = client.fire(waiting["case"], "sign", "i1", {}, offered=False)
    assert again.status_code == 403 and error(again)["code"] == "forbidden"
    last = client.fire(waiting["case"], "sign", "i2", {})
    assert last.status_code == 200
    final = last.get_json()
    assert final["state"] == "approved" and final["final"] is True and final["available_events"] == []
    history = api.get(f"/cases/{final['id']}/history").get_json()
    assert [h["event"] for h in history][-2:] == ["sign", "sign"]
    report = api.get("/audit/verify", "auditor").get_json()
    assert report["ok"] is True and report["problems"] == [] and report["events"] == len(history)


def test_case_timestamps_follow_the_clock(api: ApiClient, clock: FixedClock) -> None:
    case = api.new_case()
    clock.advance(hours=2)
    resp = api.post(f"/cases/{case.id}/events", json={"event": "withdraw", "data": {"reason": "撤回"},
                                                      "expected_version": case.version, "comment": "不再需要"})
    body = resp.get_json()
    assert body["updated_at"] == "2026-11-25T12:00:00+08:00" and body["created_at"] == "2026-11-25T10:00:00+08:00"
    assert body["state"] == "withdrawn" and body["version"] == case.version + 1


def test_links_name_the_cases_a_case_opened(api: ApiClient) -> None:
    parent = api.post("/cases", json={"definition": "parent", "title": "主流程"}).get_json()
    fired = api.post(f"/cases/{parent['id']}/events", json={"event": "open_child", "expected_version": 1})
    assert fired.status_code == 200, fired.get_json()
    links = fired.get_json()["links"]
    assert len(links) == 1 and links[0]["definition"] == "review" and links[0]["relation"] == "child"
    child = api.get(f"/cases/{links[0]['case_id']}").get_json()
    assert [(link["case_id"], link["definition"]) for link in child["links"]] == [(parent["id"], "parent")]
    listed = {c["id"]: c["links"] for c in api.get("/cases").get_json()["items"]}
    assert listed[parent["id"]] == links and listed[child["id"]] == child["links"]
    finish = api.post(f"/cases/{parent['id']}/events", json={"event": "finish", "expected_version": 2})
    assert finish.status_code == 422 and error(finish)["code"] == "guard_failed"
    assert "子流程办结后方可完成" in error(finish)["message"]


def test_organizations_the_caller_sees(api: ApiClient) -> None:
    """GET /orgs: administrators see the whole tree, an auditor their own and below, others their own."""
    api.engine.orgs.add("donghu", "东湖区委组织部")
    api.engine.orgs.add("dh-jd", "东湖街道", "donghu")
    api.engine.orgs.add("xishan", "西山县委组织部")
    api.engine.users.update("aud", org="donghu")
    api.engine.users.update("off", org="xishan")
    codes = {who: [o["code"] for o in api.get("/orgs", who).get_json()] for who in ("admin", "auditor", "officer")}
    assert codes == {"admin": ["root", "donghu", "dh-jd", "xishan"], "auditor": ["donghu", "dh-jd"],
                     "officer": ["xishan"]}
    assert api.get("/orgs", "admin").get_json()[2] == {"code": "dh-jd", "name": "东湖街道", "parent": "donghu"}
