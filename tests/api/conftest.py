"""API test fixtures: the Flask app over the `review` test definition, a user and a token per role.

``api`` is an ``ApiClient``: ``api.get(path, role)`` / ``api.post(path, role, json=...)``
send the role's Bearer token (``role=None`` sends none). Every role of api.md has
a user; helpers walk cases to a state through the engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.pdfs import tiny_pdf
from web import create_app
from web.config import AppConfig
from workflow import Actor
from workflow import CaseSnapshot
from workflow import Engine

from ..conftest import add_users

ROLES = ("officer", "reviewer", "auditor", "admin", "recommender", "panelist", "inspector")
USER_OF = {"officer": "off", "reviewer": "rev", "auditor": "aud", "admin": "adm", "recommender": "rec",
           "panelist": "p1", "inspector": "i1"}
USERS = {"off": ["officer"], "off2": ["officer"], "rev": ["reviewer"], "aud": ["auditor"], "adm": ["admin"],
         "rec": ["recommender"], "p1": ["panelist"], "p2": ["panelist"], "p3": ["panelist"],
         "i1": ["inspector"], "i2": ["inspector"]}
SUBMIT = {"panel": ["p1", "p2"], "team": ["i1", "i2"], "notice_date": "2026-11-20"}
DECIDE = {"members_total": 9, "members_present": 6, "votes_for": 5}
PERSON = {"name": "张三", "gender": "男", "birth_date": "1975-03-01", "unit": "某县财政局",
          "current_post": "副局长"}
PDF_BYTES = tiny_pdf()
PNG_BYTES = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                          "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a1f2c0e30000000049454e44ae426082")


def multipart(filename: str, content: bytes, field: str = "file") -> dict[str, Any]:
    """Keyword arguments for a one-file multipart POST, encoded here (werkzeug's test
    encoder leaves a temporary file open for big bodies)."""
    boundary = "cadreflow-test-boundary"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n').encode()
    body = head + content + f"\r\n--{boundary}--\r\n".encode()
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def make_app(engine: Engine, tmp: Path) -> Flask:
    config = AppConfig(tmp, engine.settings.database_url, "test-secret-key")
    return create_app({"TESTING": True, "CADREFLOW_CONFIG": config}, engine=engine)


class ApiClient:
    """The test client with a token per role and shortcuts to put cases in a state."""

    def __init__(self, app: Flask, engine: Engine) -> None:
        self.app = app
        self.engine = engine
        self.client: FlaskClient = app.test_client()
        self.actors: dict[str, Actor] = add_users(engine, USERS)
        self.tokens = {user: engine.users.create_token(user) for user in USERS}

    def auth(self, who: str | None) -> dict[str, str]:
        if who is None:
            return {}
        user = USER_OF.get(who, who)
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    def get(self, path: str, who: str | None = "officer", **kw: Any) -> TestResponse:
        return self.client.get("/api/v1" + path, headers={**self.auth(who), **kw.pop("headers", {})}, **kw)

    def post(self, path: str, who: str | None = "officer", **kw: Any) -> TestResponse:
        return self.client.post("/api/v1" + path, headers={**self.auth(who), **kw.pop("headers", {})}, **kw)

    def actor(self, who: str) -> Actor:
        return self.actors[USER_OF.get(who, who)]

    def new_case(self, title: str = "测试案件") -> CaseSnapshot:
        return self.engine.start_case("review", self.actor("officer"), title=title, data={"summary": "摘要"})

    def case_in(self, state: str) -> CaseSnapshot:
        """A fresh case walked along the main path to ``state``."""
        case = self.new_case()
        steps = [("submit", "off", SUBMIT), ("to_meeting", "off", {}), ("decide", "rev", DECIDE),
                 ("score", "p1", {"score": 90}), ("score", "p2", {"score": 70}), ("close_scoring", "off", {})]
        for event, who, data in steps:
            if case.state == state:
                break
            case = self.engine.fire(case.id, event, self.actors[who], data, case.version).case
        assert case.state == state
        return case

    def person(self) -> int:
        return self.engine.people.create(PERSON, self.actor("officer")).id


@pytest.fixture
def api(test_engine: Engine, tmp_path: Path) -> Iterator[ApiClient]:
    """The API over the small `review` test definition."""
    yield ApiClient(make_app(test_engine, tmp_path), test_engine)


@pytest.fixture
def real_api(engine: Engine, tmp_path: Path) -> Iterator[ApiClient]:
    """The API over the shipped procedures in definitions/."""
    yield ApiClient(make_app(engine, tmp_path), engine)


def error(resp: TestResponse) -> dict[str, Any]:
    """The error object of an error answer, after checking the envelope's shape."""
    body = resp.get_json()
    assert isinstance(body, dict) and set(body) == {"error"}, body
    assert set(body["error"]) <= {"code", "message", "fields"} and body["error"]["message"], body
    return body["error"]  # type: ignore[no-any-return]
