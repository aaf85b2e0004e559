"""Helpers for page tests: an app over a test engine, users of every role, a signed-in client."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash
from werkzeug.test import TestResponse

from web import create_app
from web.config import AppConfig
from workflow import Engine

PASSWORD = "correct-horse-9"
# One cheap hash for every test user (scrypt per user would slow the suite down).
PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
ROLE_USERS = {
    "officer": ["officer"], "reviewer": ["reviewer"], "auditor": ["auditor"], "admin": ["admin"],
    "rec": ["recommender"], "p1": ["panelist"], "p2": ["panelist"], "p3": ["panelist"],
    "i1": ["inspector"], "i2": ["inspector"], "reviewer2": ["reviewer"],
}
NAMES = {"officer": "王干部", "reviewer": "李部长", "auditor": "赵监督", "admin": "管理员", "rec": "陈书记",
         "p1": "面谈一", "p2": "面谈二", "p3": "面谈三", "i1": "考察一", "i2": "考察二",
         "reviewer2": "周部长"}
CSRF = re.compile(r'name="(?:[\w-]+-)?csrf_token"[^>]*?value="([^"]+)"')


def add_web_users(engine: Engine, spec: dict[str, list[str]] | None = None) -> None:
    for username, roles in (spec or ROLE_USERS).items():
        if engine.users.find(username) is None:
            engine.users.add(username, roles, PASSWORD_HASH, name=NAMES.get(username, username),
                             unit="市委组织部")


def make_app(engine: Engine, instance: Path, **config: Any) -> Flask:
    cfg = AppConfig(instance=instance, database_url=engine.settings.database_url,
                    secret_key="test-secret-0123456789")
    return create_app({"TESTING": True, "CADREFLOW_CONFIG": cfg, **config}, engine=engine)


def signed_in_clients(engine: Engine, instance: Path) -> Callable[[str], FlaskClient]:
    """``make(username)``: a test client of one app over ``engine``, signed in as that user."""
    app = make_app(engine, instance)

    def make(username: str) -> FlaskClient:
        client = app.test_client()
        assert login(client, username).status_code == 303
        return client

    return make


def csrf_token(client: FlaskClient, url: str = "/login") -> str:
    page = client.get(url, follow_redirects=True)  # "/" sends who acts on no case to their first page
    match = CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> TestResponse:
    token = csrf_token(client, "/login")
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def post(client: FlaskClient, url: str, data: dict[str, Any] | None = None, *, page: str = "/",
         **kwargs: Any) -> TestResponse:
    """POST a form with a valid CSRF token (taken from ``page``)."""
    token = csrf_token(client, page)
    return client.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)


def text(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def actor(engine: Engine, username: str) -> Any:
    return engine.users.get(username).actor()


def person(engine: Engine, name: str = "张三") -> int:
    p = engine.people.create({"name": name, "gender": "男", "birth_date": "1980-05-01",
                              "unit": "某县人民政府",
                              "current_post": "副县长"}, actor(engine, "officer"))
    return p.id


def submitted_recommendation(engine: Engine) -> int:
    """A 领导干部署名推荐 (shipped definitions) that ``rec`` has signed and submitted: its form is available
    and the officer's next step is 受理登记."""
    from tests.documents.test_issue import SUBMIT

    add_web_users(engine)
    off, rec = actor(engine, "officer"), actor(engine, "rec")
    subject = engine.people.create({"name": "王明", "gender": "男", "birth_date": "1981-04-02"}, off)
    case = engine.start_case("signed_recommendation", off, title="署名推荐王明", subject_id=subject.id,
                             data={"recommender": "rec"})
    return engine.fire(case.id, "submit", rec, SUBMIT, case.version).case.id


def review_case(engine: Engine, title: str = "审查案件", upto: str = "draft") -> int:
    """A review case walked up to ``upto`` (draft, submitted, meeting, scoring, signing)."""
    off, rev = actor(engine, "officer"), actor(engine, "reviewer")
    case = engine.start_case("review", off, title=title, subject_id=person(engine), data={"summary": "摘要"})
    steps = [
        ("submitted", "submit", off,
         {"panel": ["p1", "p2"], "team": ["i1", "i2"], "notice_date": "2026-11-20"}),
        ("meeting", "to_meeting", off, {}),
        ("scoring", "decide", rev, {"members_total": 9, "members_present": 8, "votes_for": 7}),
    ]
    for state, event, who, data in steps:
        if upto == "draft":
            break
        case = engine.fire(case.id, event, who, data, case.version).case
        if state == upto:
            break
    if upto == "signing":
        for p in ("p1", "p2"):
            case = engine.fire(case.id, "score", actor(engine, p), {"score": 80}, case.version).case
        case = engine.fire(case.id, "close_scoring", off, {}, case.version).case
    return case.id
