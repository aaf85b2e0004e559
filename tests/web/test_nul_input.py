"""A NUL character anywhere in a request is refused with 400, on every tier, never a 500.

Regression (found by tests/faults/test_bad_input.py on PostgreSQL): the JSON API
refused NUL (validation.py), but form fields, query strings and path segments of
the pages went on to the database, and PostgreSQL cannot hold NUL in text: a
sign-in with a NUL in the user name, a recusal form, an event's comment or a list
search answered 500. One hook now refuses them before any view runs.
"""

from __future__ import annotations

from flask import Flask

from workflow import Engine

from .helpers import csrf_token
from .helpers import post
from .helpers import review_case


def test_sign_in_with_nul_is_400(app: Flask) -> None:
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"username": "off\x00icer", "password": "x\x00", "csrf_token": token})
    assert response.status_code == 400
    assert "请求有误" in response.get_data(as_text=True)


def test_page_forms_queries_and_paths_with_nul_are_400(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine)
    version = web_engine.get_case(case_id).version
    client = client_for("officer")
    assert client.get("/cases?q=%00").status_code == 400
    assert client.get("/cases?definition=review&state=%00").status_code == 400
    page = f"/cases/{case_id}"
    answers = [
        post(client, f"/cases/{case_id}/recusals", {"recusal-username": "\x00", "recusal-reason": "x"}, page=page),
        post(client, f"/cases/{case_id}/events/submit", {"submit-expected_version": str(version),
                                                          "submit-event_comment": "意见\x00"}, page=page),
        post(client, "/people/new", {"name": "张\x00三"}, page="/people/new"),
    ]
    assert [a.status_code for a in answers] == [400, 400, 400]
    assert web_engine.get_case(case_id).version == version
    admin = client_for("admin")
    assert admin.get("/admin/users/a%00b").status_code == 400


def test_the_api_answers_nul_in_its_own_envelope(client_for, web_engine: Engine) -> None:
    token = web_engine.users.create_token("officer")
    client = client_for("officer")
    response = client.get("/api/v1/cases?definition=%00", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_request"
