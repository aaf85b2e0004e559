"""Every page for every role: who gets the page, who gets 403, and that no page fails."""

from __future__ import annotations

import pytest
from flask import Flask

from workflow import Engine

from .helpers import actor
from .helpers import login
from .helpers import review_case
from .helpers import text

ROLES = ("officer", "reviewer", "auditor", "admin", "rec", "p1", "i1")
OK = 200
PAGES: dict[str, dict[str, int]] = {
    # Who acts on no case starts on the page of their work (web.landing): 监督检查, 系统管理.
    "/": {**dict.fromkeys(ROLES, OK), "auditor": 302, "admin": 302},
    "/cases": dict.fromkeys(ROLES, OK),
    "/cases?definition=review&state=draft&overdue=1&person=张&q=审查&sort=due&order=asc&page=1":
        dict.fromkeys(ROLES, OK),
    # Need-to-know: the administrator has no business role; the recommender made no recommendation here.
    "/cases/{case}": {**dict.fromkeys(ROLES, OK), "admin": 404, "rec": 404},
    "/cases/999999": dict.fromkeys(ROLES, 404),
    # Only who may start a procedure (here: review and forms_demo start with officer) is offered the page.
    "/cases/new": {**dict.fromkeys(ROLES, 403), "officer": OK},
    "/cases/new?definition=review": {**dict.fromkeys(ROLES, 403), "officer": OK},
    "/people": {**dict.fromkeys(ROLES, OK), "admin": 403, "rec": 403, "p1": 403, "i1": 403},
    "/people?q=张&page=2": {**dict.fromkeys(ROLES, OK), "admin": 403, "rec": 403, "p1": 403, "i1": 403},
    "/people/{person}": {**dict.fromkeys(ROLES, OK), "admin": 404, "rec": 404},
    # One policy (roles.yaml, write_people) for the page and POST /api/v1/people alike.
    "/people/new": {**dict.fromkeys(ROLES, 403), "officer": OK, "rec": OK},
    "/cases/{case}/attachments/{attachment}": {**dict.fromkeys(ROLES, OK), "admin": 404, "rec": 404},
    "/audit": {**dict.fromkeys(ROLES, 403), "auditor": OK, "admin": OK},
    "/audit?verify=1": {**dict.fromkeys(ROLES, 403), "auditor": OK, "admin": OK},
    "/admin/users": {**dict.fromkeys(ROLES, 403), "admin": OK},
    "/admin/users/officer": {**dict.fromkeys(ROLES, 403), "admin": OK},
    "/admin/tokens": {**dict.fromkeys(ROLES, 403), "admin": OK},
    "/admin/definitions": {**dict.fromkeys(ROLES, 403), "admin": OK, "auditor": OK},
    "/admin/definitions/review": {**dict.fromkeys(ROLES, 403), "admin": OK, "auditor": OK},
    "/admin/definitions/review?version=1": {**dict.fromkeys(ROLES, 403), "admin": OK, "auditor": OK},
    "/admin/definitions/nope": {**dict.fromkeys(ROLES, 403), "admin": 404, "auditor": 404},
}
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def ids(web_engine: Engine) -> dict[str, int]:
    case_id = review_case(web_engine, upto="submitted")
    att = web_engine.add_attachment(case_id, "照片.png", PNG, actor(web_engine, "officer"))
    return {"case": case_id, "person": web_engine.get_case(case_id).subject_id or 0, "attachment": att.id}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_for_every_role(app: Flask, ids: dict[str, int], role: str) -> None:
    client = app.test_client()
    assert login(client, role).status_code == 303
    for template, expected in PAGES.items():
        url = template.format(**ids)
        response = client.get(url)
        assert response.status_code == expected[role], f"{role} {url}: {response.status_code}"
        if response.mimetype == "text/html" and not response.location:  # a redirect's body is werkzeug's
            body = text(response)
            assert '<html lang="zh-CN">' in body, url
            # no inline script or style; scripts are files from /static (CSP 'self'): the counters, the
            # filters, a preview's 打印
            for name in ("forms", "filters", "print"):
                body = body.replace(f'<script src="/static/js/{name}.js" defer></script>', "")
            assert "<script" not in body and "style=" not in body, url


def test_nav_shows_what_the_role_may_open(client_for) -> None:
    officer = text(client_for("officer").get("/"))
    assert "发起案件" in officer and "监督检查" not in officer and "系统管理" not in officer
    assert "我的工作台" in officer
    auditor = text(client_for("auditor").get("/", follow_redirects=True))
    assert "监督检查" in auditor and "发起案件" not in auditor and "系统管理" not in auditor
    admin = text(client_for("admin").get("/", follow_redirects=True))
    assert "系统管理" in admin and "监督检查" in admin
    for page in (auditor, admin):
        assert "我的工作台" not in page  # no inbox offered to who has none
