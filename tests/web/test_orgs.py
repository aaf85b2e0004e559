"""Organizations from the 系统管理 pages, users placed in them, and the 查阅登记 page."""

from __future__ import annotations

from workflow import Engine

from .helpers import post
from .helpers import review_case
from .helpers import text


def test_an_administrator_builds_the_tree_and_places_users(client_for, web_engine: Engine) -> None:
    admin = client_for("admin")
    page = admin.get("/admin/orgs")
    assert page.status_code == 200 and "组织" in text(page)
    r = post(admin, "/admin/orgs", {"code": "donghu", "name": "东湖区委组织部", "parent": "root"})
    assert r.status_code == 303
    r = post(admin, "/admin/orgs", {"code": "dh-x", "name": "东湖区某街道", "parent": "donghu"})
    assert r.status_code == 303
    donghu, street = web_engine.orgs.get("donghu"), web_engine.orgs.get("dh-x")
    assert web_engine.orgs.get("root").contains(street) and donghu.contains(street) and not street.contains(donghu)
    post(admin, "/admin/orgs", {"code": "xishan", "name": "西山县委组织部", "parent": "root"})
    listed = text(admin.get("/admin/orgs")).split('id="orgs"', 1)[1]
    assert listed.index("东湖区委组织部") < listed.index("东湖区某街道") < listed.index("西山县委组织部")
    bad = post(admin, "/admin/orgs", {"code": "donghu", "name": "重复", "parent": "root"})
    assert bad.status_code == 422 and "donghu 已存在" in text(bad)
    bad = post(admin, "/admin/orgs", {"code": "东湖", "name": "x", "parent": "root"})
    assert bad.status_code == 422 and "应为2至32位英文字母" in text(bad)
    r = post(admin, "/admin/orgs/donghu/name", {"name": "东湖区委组织部（新）"})
    assert r.status_code == 303 and web_engine.orgs.get("donghu").name == "东湖区委组织部（新）"
    r = post(admin, "/admin/users/officer", {"name": "王干部", "unit": "", "org": "donghu", "roles": "officer",
                                             "active": "y"})
    assert r.status_code == 303 and web_engine.users.get("officer").org_code == "donghu"
    r = post(admin, "/admin/users/officer", {"name": "王干部", "org": "nowhere", "roles": "officer", "active": "y"})
    assert r.status_code == 422 and "没有编码为“nowhere”的组织" in text(r)
    assert client_for("officer").get("/admin/orgs").status_code == 403
    assert post(client_for("auditor"), "/admin/orgs", {"code": "xs", "name": "x", "parent": "root"}).status_code == 403


def test_moving_a_user_changes_what_they_see(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine)
    web_engine.orgs.add("xishan", "西山县委组织部")
    officer = client_for("officer")
    assert officer.get(f"/cases/{case_id}").status_code == 200
    web_engine.users.update("officer", org="xishan")
    assert officer.get(f"/cases/{case_id}").status_code == 404
    assert f"/cases/{case_id}" not in text(officer.get("/cases"))


def test_the_access_register_page(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine)
    client_for("officer").get(f"/cases/{case_id}")
    client_for("reviewer").get(f"/cases/{case_id}/history.pdf")
    auditor = client_for("auditor")
    page = text(auditor.get(f"/audit/access?case_id={case_id}"))
    rows = page.split('id="access"', 1)[1]
    assert rows.count("<tr>") == 3  # the header, the officer's view, the reviewer's download
    assert "officer" in rows and "reviewer" in rows and "下载" in rows and "全程记录" in rows
    only = text(auditor.get(f"/audit/access?case_id={case_id}&username=reviewer")).split('id="access"', 1)[1]
    assert "reviewer" in only and ">officer<" not in only
    assert auditor.get("/audit/access?case_id=abc").status_code == 400  # not a number: said, not ignored
    assert client_for("officer").get("/audit/access").status_code == 403
