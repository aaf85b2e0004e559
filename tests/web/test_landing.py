"""Item 10 of issue 16: each user starts on the page of their work, and is offered only what they may do.

The landing is decided by the policy (roles.yaml): a user whose roles act on no case starts on 系统管理
when they manage users, else on 监督检查; everyone else on 我的工作台.
"""

from __future__ import annotations

from flask import Flask

from workflow import Engine

from .helpers import PASSWORD
from .helpers import add_web_users
from .helpers import csrf_token
from .helpers import post
from .helpers import review_case
from .helpers import text


def sign_in(app: Flask, username: str, next_url: str = "") -> str:
    """Where the sign-in form sends ``username`` (its Location)."""
    client = app.test_client()
    token = csrf_token(client, "/login")
    url = f"/login?next={next_url}" if next_url else "/login"
    response = client.post(url, data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303
    return str(response.headers["Location"])


def test_sign_in_lands_on_the_page_of_the_work(app: Flask, web_engine: Engine) -> None:
    add_web_users(web_engine, {"both": ["admin", "auditor"], "acting_admin": ["admin", "officer"]})
    assert sign_in(app, "auditor") == "/audit"
    assert sign_in(app, "admin") == "/admin/users"
    assert sign_in(app, "both") == "/admin/users"        # 管理用户 first
    assert sign_in(app, "acting_admin") == "/"           # a business role: the inbox
    for who in ("officer", "reviewer", "p1", "i1", "rec"):
        assert sign_in(app, who) == "/", who
    assert sign_in(app, "auditor", "/cases") == "/cases"  # a page asked for still wins


def test_the_home_page_sends_them_on(client_for) -> None:
    auditor, admin, officer = client_for("auditor"), client_for("admin"), client_for("officer")
    assert auditor.get("/").headers["Location"] == "/audit"
    assert auditor.get("/?tab=done").headers["Location"] == "/audit"
    assert admin.get("/").headers["Location"] == "/admin/users"
    assert officer.get("/").status_code == 200 and "我的工作台" in text(officer.get("/"))
    assert auditor.get("/login").headers["Location"] == "/audit"  # already signed in
    page = text(admin.get("/admin/users"))
    assert 'class="brand" href="/admin/users"' in page and "我的工作台" not in page


def test_no_new_case_for_who_cannot_start_one(client_for) -> None:
    for who in ("reviewer", "auditor", "admin", "p1"):  # in tests/web/definitions only officers start cases
        client = client_for(who)
        assert "发起案件" not in text(client.get("/cases"))
        refused = client.get("/cases/new")
        assert refused.status_code == 403 and "您的角色不能发起任何流程" in text(refused), who
        assert client.get("/cases/new?definition=review").status_code == 403
    officer = client_for("officer")
    assert "发起案件" in text(officer.get("/"))
    assert officer.get("/cases/new").status_code == 200


def test_who_may_only_declare_is_offered_only_their_own_recusal(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine, upto="submitted")  # p1, p2 on the panel; i1, i2 on the team
    p1 = client_for("p1")
    page = text(p1.get(f"/cases/{case_id}"))
    form = page.split('id="recusals"', 1)[1].split("</section>", 1)[0]
    assert '<option value="p1"' in form and '<option value="p2"' not in form and '<option value="officer"' not in form
    assert "申请本人回避" in form
    forged = post(p1, f"/cases/{case_id}/recusals", {"recusal-username": "p2", "recusal-reason": "同学关系"},
                  page=f"/cases/{case_id}")
    assert forged.status_code == 303                      # not a bare 403 page: back to the case, with why
    assert "p2" not in web_engine.get_case(case_id).recused
    back = text(p1.get(f"/cases/{case_id}"))
    assert 'class="flash flash-error"' in back
    own = post(p1, f"/cases/{case_id}/recusals", {"recusal-username": "p1", "recusal-reason": "与考察对象系同学"},
               page=f"/cases/{case_id}")
    assert own.status_code == 303 and "p1" in web_engine.get_case(case_id).recused
    assert "已登记回避：面谈一" in text(p1.get(f"/cases/{case_id}"))  # by name, not user name
    officer = text(client_for("officer").get(f"/cases/{case_id}"))
    form = officer.split('id="recusals"', 1)[1].split("</section>", 1)[0]
    assert '<option value="p2"' in form and "登记回避" in form  # who records others' recusals: anyone
