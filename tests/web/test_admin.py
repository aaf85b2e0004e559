"""Admin pages: users and roles, tokens (shown once), definitions read-only with diagrams."""

from __future__ import annotations

from flask import Flask
from werkzeug.security import check_password_hash

from workflow import Engine

from .helpers import login
from .helpers import post
from .helpers import text


def test_create_user_with_roles(client_for, web_engine: Engine, app: Flask) -> None:
    client = client_for("admin")
    r = post(client, "/admin/users", {"username": "newbie", "name": "新同志", "unit": "干部一科",
                                      "roles": ["officer", "inspector"], "password": "long-enough-1"})
    assert r.status_code == 303
    user = web_engine.users.get("newbie")
    assert user.roles == ("officer", "inspector") and user.name == "新同志"
    assert check_password_hash(user.password_hash, "long-enough-1")
    assert login(app.test_client(), "newbie", "long-enough-1").status_code == 303


def test_create_user_errors_are_chinese(client_for) -> None:
    client = client_for("admin")
    r = post(client, "/admin/users",
             {"username": "officer", "roles": ["officer"], "password": "long-enough-1"})
    assert r.status_code == 422 and "已存在" in text(r)
    r = post(client, "/admin/users", {"username": "x y", "roles": [], "password": "short"})
    assert r.status_code == 422 and "至少10位（现为5位）" in text(r)
    r = post(client, "/admin/users", {"username": "newbie", "roles": ["officer"], "password": "password123"})
    assert r.status_code == 422 and "属于常见密码" in text(r)
    r = post(client, "/admin/users", {"username": "newbie", "roles": ["officer"], "password": "newbie-2026"})
    assert r.status_code == 422 and "不能包含用户名" in text(r)


def test_edit_roles_and_deactivate(client_for, web_engine: Engine) -> None:
    client = client_for("admin")
    data = {"name": "陈书记", "unit": "县委", "roles": ["recommender", "reviewer"]}
    r = post(client, "/admin/users/rec", data, page="/admin/users/rec")
    assert r.status_code == 422 and "停用用户须勾选" in text(r)  # deactivating asks for confirmation
    assert web_engine.users.get("rec").active and web_engine.users.get("rec").roles == ("recommender",)
    r = post(client, "/admin/users/rec", data | {"confirm_deactivate": "y"}, page="/admin/users/rec")
    assert r.status_code == 303
    user = web_engine.users.get("rec")
    assert user.roles == ("recommender", "reviewer") and user.active is False  # box left unticked


def test_reset_password(client_for, web_engine: Engine, app: Flask) -> None:
    client = client_for("admin")
    mismatch = post(client, "/admin/users/officer/password", {"password": "new-secret-1", "again": "other"})
    assert "两次输入的密码不一致" in text(client.get(mismatch.headers["Location"]))
    ok = post(client, "/admin/users/officer/password", {"password": "new-secret-1", "again": "new-secret-1"})
    assert ok.status_code == 303
    assert login(app.test_client(), "officer", "new-secret-1").status_code == 303


def test_token_is_shown_once_and_can_be_revoked(client_for, web_engine: Engine) -> None:
    client = client_for("admin")
    r = post(client, "/admin/tokens", {"username": "officer", "note": "对接系统"})
    body = text(r)
    assert r.status_code == 201 and r.headers["Cache-Control"] == "no-store"
    token = body.split('<code id="new-token">')[1].split("</code>")[0]
    assert web_engine.users.actor_for_token(token).username == "officer"
    listing = text(client.get("/admin/tokens"))
    assert token not in listing and "对接系统" in listing
    [record] = web_engine.users.tokens("officer")
    unconfirmed = post(client, f"/admin/tokens/{record.id}/revoke")
    assert unconfirmed.status_code == 303 and "须勾选“确认吊销”" in text(client.get("/admin/tokens"))
    assert web_engine.users.actor_for_token(token).username == "officer"  # not revoked without confirmation
    assert post(client, f"/admin/tokens/{record.id}/revoke", {"confirm": "y"}).status_code == 303
    assert web_engine.users.actor_for_token(token) is None


def test_definitions_are_read_only_with_diagram_and_versions(client_for) -> None:
    client = client_for("admin")
    listing = text(client.get("/admin/definitions"))
    assert "测试审查流程" in listing and "第1版" in listing
    page = text(client.get("/admin/definitions/review"))
    assert 'class="state-diagram"' in page and "起草" in page and "会签" in page
    assert "评分组不少于2人" in page  # rules with their parameters filled in
    assert "<form" not in page.split("</header>", 1)[1]


def test_edit_email_address(client_for, web_engine: Engine) -> None:
    client = client_for("admin")
    data = {"name": "陈新", "unit": "县委", "roles": ["recommender"], "active": "y"}
    r = post(client, "/admin/users/rec", data | {"email": "not-an-address"}, page="/admin/users/rec")
    assert r.status_code == 422 and "格式不正确，应如 name@example.org" in text(r)
    assert web_engine.users.get("rec").email == "" and web_engine.users.get("rec").name != "陈新"
    r = post(client, "/admin/users/rec", data | {"email": "chen@example.org"}, page="/admin/users/rec")
    assert r.status_code == 303 and web_engine.users.get("rec").email == "chen@example.org"
    assert 'value="chen@example.org"' in client.get("/admin/users/rec").get_data(as_text=True)
