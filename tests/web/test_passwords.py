"""Passwords: at least 10 characters and not a common one (zxcvbn's list); 修改密码 for every signed-in
user ends their other sessions; the administrator's reset ends the user's sessions; the last active
administrator can be neither deactivated nor stripped of the role on the page."""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.security import check_password_hash

from web.passwords import password_problem
from workflow import Engine

from .helpers import PASSWORD
from .helpers import login
from .helpers import post
from .helpers import text

NEW = "Zhang-2026-kaoCha"


@pytest.mark.parametrize(("password", "problem"), [
    ("short-9x", "新密码：至少10位（现为8位）"), ("password123", "新密码：属于常见密码，容易被猜中，请另选一个"),
    ("qwertyuiop", "新密码：属于常见密码"), ("1qaz2wsx3edc", "新密码：属于常见密码"),
    ("PASSWORD123", "新密码：属于常见密码"), ("aaaaaaaaaaaa", "新密码：过于简单"),
    ("officer-2026-x", "新密码：不能包含用户名"), (" " * 12, "新密码：不能全是空格"),
    ("x" * 201, "新密码：不得超过200位"),
])
def test_the_rule_refuses_short_common_and_guessable_passwords(password: str, problem: str) -> None:
    assert password_problem(password, "officer").startswith(problem)


@pytest.mark.parametrize("password", [NEW, PASSWORD, "组织部干部考察2026年第三批", "x7#Lq-2mR!vP9" + "z" * 100])
def test_the_rule_accepts_strong_passwords(password: str) -> None:
    assert password_problem(password, "officer") == ""


def test_every_user_has_a_change_password_page(client_for) -> None:
    for who in ("officer", "auditor", "admin", "p1"):
        page = client_for(who).get("/", follow_redirects=True)
        assert 'href="/password"' in text(page) and "修改密码" in text(page)
        form = client_for(who).get("/password")
        assert form.status_code == 200 and "原密码" in text(form) and "再次输入" in text(form)


@pytest.mark.parametrize(("data", "message"), [
    ({"old": "wrong-password", "password": NEW, "again": NEW}, "原密码不正确"),
    ({"old": PASSWORD, "password": "password123", "again": "password123"}, "属于常见密码"),
    ({"old": PASSWORD, "password": "short", "again": "short"}, "至少10位"),
    ({"old": PASSWORD, "password": NEW, "again": NEW + "x"}, "两次输入的密码不一致"),
    ({"password": NEW, "again": NEW}, "请输入原密码"),
])
def test_change_password_refusals(client_for, web_engine: Engine, data: dict, message: str) -> None:
    client = client_for("officer")
    before = web_engine.users.get("officer").password_hash
    response = post(client, "/password", data, page="/password")
    assert response.status_code == 422 and message in text(response)
    assert web_engine.users.get("officer").password_hash == before


def test_changing_the_password_ends_the_other_sessions(app: Flask, client_for, web_engine: Engine) -> None:
    here, elsewhere = client_for("officer"), client_for("officer")
    response = post(here, "/password", {"old": PASSWORD, "password": NEW, "again": NEW}, page="/password")
    assert response.status_code == 303
    assert "您在其他地方的登录均已失效" in text(here.get("/"))  # this browser carries on, with a new session
    assert elsewhere.get("/").status_code == 302
    assert check_password_hash(web_engine.users.get("officer").password_hash, NEW)
    assert login(app.test_client(), "officer", NEW).status_code == 303
    assert login(app.test_client(), "officer", PASSWORD).status_code == 401


def test_the_administrators_reset_checks_the_rule_and_ends_sessions(client_for, web_engine: Engine) -> None:
    officer = client_for("officer")
    admin = client_for("admin")
    weak = post(admin, "/admin/users/officer/password", {"password": "password123", "again": "password123"},
                page="/admin/users/officer")
    assert "属于常见密码" in text(admin.get(weak.headers["Location"]))
    assert officer.get("/").status_code == 200
    ok = post(admin, "/admin/users/officer/password", {"password": NEW, "again": NEW}, page="/admin/users/officer")
    assert ok.status_code == 303 and officer.get("/").status_code == 302


def test_the_last_administrator_is_kept_on_the_page(client_for, web_engine: Engine) -> None:
    admin = client_for("admin")
    page = "/admin/users/admin"
    off = post(admin, page, {"name": "管理员", "roles": ["admin"], "confirm_deactivate": "y"}, page=page)
    assert off.status_code == 422 and "最后一位能够管理用户和令牌的在用账户，不能停用" in text(off)
    demote = post(admin, page, {"name": "管理员", "roles": ["officer"], "active": "y"}, page=page)
    assert demote.status_code == 422 and "不能取消其相应角色" in text(demote)
    record = web_engine.users.get("admin")
    assert record.active and record.roles == ("admin",)
    assert admin.get("/admin/users").status_code == 200  # nothing changed, so the session lives on
