"""Flood limits (issue 13, item 8): uploads and events per user and per case, 429 with the wait."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from flask import Flask

from web import create_app
from web.config import AppConfig
from web.config import FloodLimits
from workflow import Engine
from workflow.clock import FixedClock

from .conftest import PDF_BYTES
from .conftest import SUBMIT
from .conftest import ApiClient
from .conftest import error
from .conftest import multipart


def limited_app(engine: Engine, tmp: Path, limits: FloodLimits) -> Flask:
    config = dataclasses.replace(AppConfig(tmp, engine.settings.database_url, "test-secret-key"), flood=limits)
    return create_app({"TESTING": True, "CADREFLOW_CONFIG": config}, engine=engine)


def test_a_flooded_case_answers_429_while_other_cases_and_users_go_on(
        test_engine: Engine, tmp_path: Path, clock: FixedClock) -> None:
    api = ApiClient(limited_app(test_engine, tmp_path, FloodLimits(window_minutes=10, uploads_per_user=8,
                                                                   uploads_per_case=5)), test_engine)
    flooded, other = api.new_case("甲"), api.new_case("乙")

    def upload(case_id: int, who: str = "officer") -> int:
        return api.post(f"/cases/{case_id}/attachments", who, **multipart("材料.pdf", PDF_BYTES)).status_code

    assert [upload(flooded.id) for _ in range(5)] == [201] * 5
    refused = api.post(f"/cases/{flooded.id}/attachments", **multipart("材料.pdf", PDF_BYTES))
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "600"
    body = error(refused)
    assert body["code"] == "too_many_requests" and "本案件上传附件过于频繁，请10分0秒后再试" in body["message"]
    assert len(test_engine.attachments(flooded.id, api.actor("officer"))) == 5  # the refused one stored nothing
    assert upload(flooded.id, "off2") == 429  # the case's limit holds for everybody
    assert upload(flooded.id, "recommender") == 404  # ... and is not told to whoever may not see the case
    assert [upload(other.id) for _ in range(3)] == [201] * 3  # another case: the user's own limit (8) is left
    assert upload(other.id) == 429  # now the user's limit
    assert "您上传附件过于频繁" in error(api.post(f"/cases/{other.id}/attachments",
                                          **multipart("材料.pdf", PDF_BYTES)))["message"]
    assert upload(other.id, "off2") == 201  # another user on another case is unaffected
    clock.advance(minutes=4)
    assert api.post(f"/cases/{flooded.id}/attachments", **multipart("a.pdf", PDF_BYTES)).headers["Retry-After"] == "360"
    clock.advance(minutes=6, seconds=1)
    assert upload(flooded.id) == 201  # the window has passed


def test_events_are_limited_per_case_and_per_user(test_engine: Engine, tmp_path: Path) -> None:
    api = ApiClient(limited_app(test_engine, tmp_path, FloodLimits(events_per_user=3, events_per_case=2)),
                    test_engine)
    a, b = api.new_case("甲"), api.new_case("乙")

    def fire(case_id: int, event: str, who: str, data: dict[str, object] | None = None) -> int:
        version = test_engine.get_case(case_id).version
        return api.post(f"/cases/{case_id}/events", who, json={"event": event, "data": data or {},
                                                              "expected_version": version}).status_code

    assert fire(a.id, "submit", "officer", SUBMIT) == 200
    assert fire(a.id, "to_meeting", "officer") == 200
    assert fire(a.id, "decide", "reviewer", {"members_total": 9, "members_present": 6, "votes_for": 5}) == 429
    assert test_engine.get_case(a.id).state == "meeting"  # nothing changed
    assert fire(b.id, "submit", "officer", SUBMIT) == 200
    resp = api.post(f"/cases/{b.id}/events", json={"event": "to_meeting", "data": {},
                                                   "expected_version": test_engine.get_case(b.id).version})
    assert resp.status_code == 429 and "您办理事项过于频繁" in error(resp)["message"]
    assert int(resp.headers["Retry-After"]) > 0
