"""Sessions end on the server: sign-out, a password change, deactivation and a change of roles end
every session of the user; idle time and lifetime expire them; a copied cookie, or the CSRF token of
an ended session, is refused; the API never accepts the session cookie.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from web.config import AppConfig
from web.config import ConfigError
from web.config import load_config
from workflow import Engine
from workflow import FixedClock
from workflow.persistence.tables import sessions_t

from .helpers import csrf_token
from .helpers import login
from .helpers import make_app
from .helpers import post
from .helpers import review_case
from .helpers import text

COOKIE = "cadreflow_session"


def copy_of(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of ``client``'s session cookie."""
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie(COOKIE, cookie.value)
    return thief


def refused(client: FlaskClient, notice: str) -> None:
    response = client.get("/cases")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert notice in text(client.get(response.headers["Location"]))


def test_a_cookie_copied_before_logout_is_refused_after(app: Flask, client_for: Callable[[str], FlaskClient]) -> None:
    client = client_for("officer")
    thief = copy_of(app, client)
    assert thief.get("/").status_code == 200  # the copy works while the session lives
    assert post(client, "/logout").status_code == 303
    refused(thief, "您已退出登录，请重新登录")
    assert client.get("/").status_code == 302


def test_the_session_table_keeps_only_the_tokens_hash(app: Flask, client_for, web_engine: Engine) -> None:
    client = client_for("officer")
    with app.test_request_context():
        cookie = client.get_cookie(COOKIE)
        assert cookie is not None
        data = app.session_interface.get_signing_serializer(app).loads(cookie.value)  # type: ignore[attr-defined]
    token = data["_user_id"]
    with web_engine.db.read() as conn:
        ids = [r.id for r in conn.execute(select(sessions_t.c.id))]
    assert len(ids) == 1 and token not in ids and len(ids[0]) == 64


@pytest.mark.parametrize(("change", "notice"), [
    ({"password_hash": "pbkdf2:sha256:1000$x$y"}, "密码已更改"),
    ({"active": False}, "该账户已停用"),
    ({"roles": ["officer", "reviewer"]}, "您的角色已变更"),
])
def test_password_deactivation_and_roles_end_every_session(client_for, web_engine: Engine, change: dict,
                                                             notice: str) -> None:
    first, second = client_for("officer"), client_for("officer")
    other = client_for("reviewer")
    web_engine.users.update("officer", **change)
    refused(first, notice)
    refused(second, notice)
    assert other.get("/").status_code == 200


def test_saving_a_user_without_changes_ends_nothing(client_for, web_engine: Engine) -> None:
    client = client_for("officer")
    web_engine.users.update("officer", name="王干部", unit="市委组织部", roles=["officer"])
    assert client.get("/").status_code == 200


def test_idle_sessions_expire(client_for, clock: FixedClock) -> None:
    client = client_for("officer")
    for _ in range(4):  # activity keeps it alive: 4 × 20 minutes
        clock.advance(minutes=20)
        assert client.get("/").status_code == 200
    clock.advance(minutes=30)
    refused(client, "长时间未操作，登录已超时")
    clock.advance(minutes=-30)
    assert client.get("/").status_code == 302  # an expired session stays ended


def test_sessions_have_a_lifetime(client_for, clock: FixedClock) -> None:
    client = client_for("officer")
    for _ in range(35):  # 11 h 40 min of steady work
        clock.advance(minutes=20)
        assert client.get("/").status_code == 200
    clock.advance(minutes=20)
    refused(client, "登录时间已达上限")


def test_idle_and_lifetime_are_settings(web_engine: Engine, tmp_path: Path, clock: FixedClock) -> None:
    app = make_app(web_engine, tmp_path)
    config = dataclasses.replace(app.extensions["cadreflow_config"], session_idle_minutes=5, session_max_hours=1)
    app = make_app(web_engine, tmp_path, CADREFLOW_CONFIG=config)
    client = app.test_client()
    assert login(client, "officer").status_code == 303
    clock.advance(minutes=4)
    assert client.get("/").status_code == 200
    clock.advance(minutes=5)
    assert client.get("/").status_code == 302


def test_the_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert (config.session_idle_minutes, config.session_max_hours) == (30, 12)
    monkeypatch.setenv("CADREFLOW_SESSION_IDLE_MINUTES", "45")
    monkeypatch.setenv("CADREFLOW_SESSION_MAX_HOURS", "8")
    changed = load_config(tmp_path)
    assert (changed.session_idle_minutes, changed.session_max_hours) == (45, 8)
    monkeypatch.setenv("CADREFLOW_SESSION_IDLE_MINUTES", "²")
    with pytest.raises(ConfigError, match="CADREFLOW_SESSION_IDLE_MINUTES 应为1至1440的整数"):
        load_config(tmp_path)


def test_a_csrf_token_of_an_ended_session_is_refused(app: Flask, web_engine: Engine) -> None:
    client = app.test_client()
    assert login(client, "officer").status_code == 303
    old = csrf_token(client, "/")
    assert post(client, "/logout").status_code == 303
    assert login(client, "officer").status_code == 303
    response = client.post("/logout", data={"csrf_token": old})
    assert response.status_code == 400 and "安全令牌" in text(response)
    assert client.get("/").status_code == 200  # still signed in: the old token did nothing


def test_an_ended_sessions_cookie_and_token_change_nothing(app: Flask, client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine)
    version = web_engine.get_case(case_id).version
    client = client_for("officer")
    token = csrf_token(client, f"/cases/{case_id}")
    thief = copy_of(app, client)
    post(client, "/logout")
    response = thief.post(f"/cases/{case_id}/events/submit", data={
        "csrf_token": token, "submit-expected_version": str(version), "submit-panel": ["p1", "p2"],
        "submit-team": ["i1", "i2"], "submit-notice_date": "2026-11-20"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert web_engine.get_case(case_id).version == version


def test_the_api_never_accepts_the_session_cookie(client_for, web_engine: Engine) -> None:
    client = client_for("officer")
    for url in ("/api/v1/me", "/api/v1/cases"):
        response = client.get(url)
        assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    token = web_engine.users.create_token("officer")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_config_defaults(tmp_path: Path) -> None:
    config = AppConfig(instance=tmp_path, database_url="sqlite://", secret_key="x")
    assert (config.session_idle_minutes, config.session_max_hours, config.trusted_proxies,
            config.signin_address_limit) == (30, 12, 0, 200)
