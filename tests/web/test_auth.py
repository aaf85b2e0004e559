"""Sign-in, sign-out, throttling, sessions, secret key and security headers."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from web import create_app
from web.config import AppConfig
from web.config import ConfigError
from workflow import Engine

from .helpers import PASSWORD
from .helpers import csrf_token
from .helpers import login
from .helpers import make_app
from .helpers import post
from .helpers import text


def test_login_page_is_chinese_and_has_csrf(app: Flask) -> None:
    page = app.test_client().get("/login")
    body = text(page)
    assert page.status_code == 200
    assert '<html lang="zh-CN">' in body and "用户名" in body and "密码" in body
    assert 'name="csrf_token"' in body


def test_pages_need_sign_in(app: Flask) -> None:
    client = app.test_client()
    for url in ("/", "/cases", "/cases/1", "/cases/new", "/audit", "/admin/users"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login?next=")


def test_sign_in_and_out(app: Flask) -> None:
    client = app.test_client()
    response = login(client, "officer")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert "王干部" in text(client.get("/"))
    assert client.get("/logout").status_code == 405  # only POST signs out
    out = post(client, "/logout")
    assert out.status_code == 303
    assert client.get("/").status_code == 302


def test_logout_without_csrf_is_refused(client_for) -> None:
    client = client_for("officer")
    response = client.post("/logout")
    assert response.status_code == 400
    assert "安全令牌" in text(response)
    assert client.get("/").status_code == 200  # still signed in


def test_next_only_to_same_site(app: Flask) -> None:
    client = app.test_client()
    token = csrf_token(client)
    ok = client.post("/login?next=/cases",
                     data={"username": "officer", "password": PASSWORD, "csrf_token": token})
    assert ok.headers["Location"] == "/cases"
    client2 = app.test_client()
    token = csrf_token(client2)
    evil = client2.post("/login?next=https://evil.example/x",
                        data={"username": "officer", "password": PASSWORD, "csrf_token": token})
    assert evil.headers["Location"] == "/"


def test_wrong_password_is_refused_in_chinese(app: Flask) -> None:
    response = login(app.test_client(), "officer", "wrong-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in text(response)
    unknown = login(app.test_client(), "nobody", "wrong-password")
    assert unknown.status_code == 401 and "用户名或密码错误" in text(unknown)





def test_inactive_user_cannot_sign_in_and_loses_session(client_for, web_engine: Engine, app: Flask) -> None:
    client = client_for("officer")
    web_engine.users.update("officer", active=False)
    assert client.get("/").status_code == 302
    assert login(app.test_client(), "officer").status_code == 403  # told so after the right password
    assert login(app.test_client(), "officer", "wrong-password").status_code == 401


def test_password_reset_ends_sessions(client_for, web_engine: Engine) -> None:
    client = client_for("officer")
    web_engine.users.update("officer", password_hash="pbkdf2:sha256:1000$x$y")
    assert client.get("/").status_code == 302


def test_session_cookie_flags(app: Flask) -> None:
    client = app.test_client()
    response = login(client, "officer")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_https_flag_makes_cookies_secure(web_engine: Engine, tmp_path: Path) -> None:
    app = make_app(web_engine, tmp_path, HTTPS=True)
    client = app.test_client()
    response = login(client, "officer")
    assert "Secure" in response.headers.get("Set-Cookie", "")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_production_refuses_the_default_secret(web_engine: Engine, tmp_path: Path) -> None:
    config = AppConfig(instance=tmp_path, database_url=web_engine.settings.database_url, secret_key=None)
    with pytest.raises(ConfigError, match="默认密钥"):
        create_app({"CADREFLOW_CONFIG": config}, engine=web_engine)


def test_security_headers_on_every_page(app: Flask, client_for) -> None:
    for response in (app.test_client().get("/login"), client_for("officer").get("/"),
                     app.test_client().get("/no-such-page")):
        h = response.headers
        assert h["Content-Security-Policy"] == (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
        assert h["X-Content-Type-Options"] == "nosniff"
        assert h["Referrer-Policy"] == "same-origin"
