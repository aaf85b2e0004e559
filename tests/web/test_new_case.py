"""Opening a case: choose a procedure and a person, or create the person first."""

from __future__ import annotations

from workflow import Engine

from .helpers import person
from .helpers import post
from .helpers import text


def test_choose_then_open(client_for, web_engine: Engine) -> None:
    pid = person(web_engine, "赵六")
    client = client_for("officer")
    choose = text(client.get("/cases/new"))
    assert "测试审查流程" in choose and "表单测试流程" in choose
    page = text(client.get("/cases/new?definition=review&q=赵"))
    assert "赵六" in page and "摘要" in page
    r = post(client, "/cases/new?definition=review", {"title": "赵六审查", "subject_id": str(pid),
                                                      "summary": "事项摘要"})
    assert r.status_code == 303
    case_id = int(r.headers["Location"].rsplit("/", 1)[1])
    case = web_engine.get_case(case_id)
    assert case.title == "赵六审查" and case.subject_id == pid and case.data["summary"] == "事项摘要"


def test_open_with_errors_keeps_the_form(client_for) -> None:
    r = post(client_for("officer"), "/cases/new?definition=review", {"title": "", "summary": "x" * 101})
    body = text(r)
    assert r.status_code == 422 and "此项为必填项" in body and "不得超过100个字" in body


def test_start_field_user_picker(client_for, web_engine: Engine) -> None:
    pid = person(web_engine)
    client = client_for("officer")
    page = text(client.get("/cases/new?definition=forms_demo"))
    assert 'name="owner"' in page and 'value="officer"' in page and 'value="reviewer"' not in page
    r = post(client, "/cases/new?definition=forms_demo",
             {"title": "t", "subject_id": str(pid), "owner": "officer"})
    assert r.status_code == 303


def test_roles_that_cannot_open_see_no_procedures(client_for) -> None:
    assert "您的角色不能发起任何流程" in text(client_for("reviewer").get("/cases/new"))
    assert "您的角色不能发起任何流程" in text(client_for("auditor").get("/cases/new"))


def test_create_person_then_return_to_the_new_case(client_for, web_engine: Engine) -> None:
    client = client_for("officer")
    form = text(client.get("/people/new?next=/cases/new?definition=review"))
    for label in ("出生年月", "简历", "家庭主要成员及重要社会关系", "公民身份号码"):
        assert label in form
    r = post(client, "/people/new?next=/cases/new?definition=review", {
        "name": "孙七", "gender": "女", "birth_date": "1982-03-04", "unit": "市财政局",
        "current_post": "副局长",
        "political_status": "中共党员", "resume-0-start": "2004.07", "resume-0-end": "2010.03",
        "resume-0-text": "市财政局科员", "family-0-relation": "配偶", "family-0-name": "周某",
        "annual_assessments-0-year": "2025", "annual_assessments-0-grade": "优秀"})
    assert r.status_code == 303
    people, _ = web_engine.people.search("孙七")
    [p] = people
    assert r.headers["Location"] == f"/cases/new?definition=review&person={p.id}"
    assert p.profile["resume"][0]["text"] == "市财政局科员"
    assert p.profile["annual_assessments"][0]["year"] == 2025
    page = text(client.get(r.headers["Location"]))
    assert f'<option selected value="{p.id}">' in page or f'value="{p.id}" selected' in page
    shown = text(client.get(f"/people/{p.id}"))
    assert "孙七" in shown and "市财政局科员" in shown and "配偶" in shown


def test_person_errors_are_per_field(client_for) -> None:
    r = post(client_for("officer"), "/people/new", {"name": "", "gender": "男", "birth_date": "2099-01-01"})
    body = text(r)
    assert r.status_code == 422 and "此项为必填项" in body and "不得晚于今天" in body
