"""The phone page /vote and the ballot panel of the case page (Flask test client)."""

from __future__ import annotations

import re

from ..api.conftest import ApiClient
from ..web.helpers import CSRF
from ..web.helpers import PASSWORD_HASH
from ..web.helpers import login
from .helpers import in_recommendation
from .helpers import investigating
from .helpers import recommendation_ballot


def page_text(resp: object) -> str:
    return resp.get_data(as_text=True)  # type: ignore[attr-defined,no-any-return]


def token(html: str) -> str:
    found = CSRF.search(html)
    assert found
    return found.group(1)


def test_voting_on_the_phone_page(real_api: ApiClient) -> None:
    case_id, subject = in_recommendation(real_api)
    spec = recommendation_ballot(subject, voters=3)
    spec["items"][0]["max_choices"] = 2
    body = real_api.post(f"/cases/{case_id}/ballots", json=spec).get_json()
    client = real_api.app.test_client()
    code = body["codes"][0]
    shown = client.get(f"/vote?code={code.replace('-', '')}")
    html = page_text(shown)
    assert shown.status_code == 200 and "副局长人选会议推荐" in html and "最多选2项" in html
    assert shown.headers["Cache-Control"] == "no-store" and shown.headers["Referrer-Policy"] == "no-referrer"
    assert client.post("/vote", data={"code": code, "step": "cast", "item-post": ["张三"]}).status_code == 400
    form = {"code": code, "step": "cast", "csrf_token": token(html)}
    over = client.post("/vote", data={**form, "item-post": ["张三", "李四", "王五"]})
    assert over.status_code == 422 and "最多选2项，您选了3项" in page_text(over)
    assert real_api.get(f"/ballots/{body['id']}").get_json()["cast"] == 0  # refused before anything was cast
    done = client.post("/vote", data={**form, "item-post": ["张三", "李四"]})
    receipt = re.search(r'id="receipt">([0-9A-Z]+)<', page_text(done))
    assert done.status_code == 201 and receipt and "投票成功" in page_text(done)
    again = client.post("/vote", data={**form, "item-post": ["张三"]})
    assert again.status_code == 403 and "已经使用过" in page_text(again)
    unknown = client.post("/vote", data={"code": "not a code", "csrf_token": token(html)})
    assert unknown.status_code == 403 and "选票码格式不对" in page_text(unknown)
    real_api.post(f"/ballots/{body['id']}/close")
    closed = client.get(f"/vote?code={body['codes'][1]}")
    assert closed.status_code == 409 and "已经结束" in page_text(closed)
    assert real_api.get(f"/ballots/{body['id']}/receipts").get_json() == [receipt.group(1)]


def test_the_case_page_defines_prints_and_closes_a_ballot_and_fills_the_event_form(real_api: ApiClient) -> None:
    case_id, subject = investigating(real_api)
    eng = real_api.engine
    for username in ("off", "i2"):
        eng.users.update(username, password_hash=PASSWORD_HASH)
    client = real_api.app.test_client()
    login(client, "off")
    page = client.get(f"/cases/{case_id}")
    html = page_text(page)
    assert 'id="ballots"' in html and f"张三,{subject}" in html
    resp = client.post(f"/cases/{case_id}/ballots", data={
        "csrf_token": token(html), "kind": "evaluation", "title": "张三同志民主测评", "voters": "4",
        "options": f"张三,{subject}"})
    assert resp.status_code == 303
    html = page_text(client.get(f"/cases/{case_id}"))
    assert "已发起投票“张三同志民主测评”，请打印4张选票码" in html
    ballot = eng.ballots.of_case(case_id, real_api.actor("officer"))[0]
    pdf = client.get(f"/cases/{case_id}/ballots/{ballot.id}/codes.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    _, codes = eng.ballots.slips(ballot.id, real_api.actor("officer"))
    for code, grade in zip(codes, ["优秀", "优秀", "称职"], strict=False):
        eng.ballots.vote(code, {"item1": [grade]})
    closed = client.post(f"/cases/{case_id}/ballots/{ballot.id}/close", data={"csrf_token": token(html)})
    assert closed.status_code == 303
    inspector = real_api.app.test_client()
    login(inspector, "i2")
    form = page_text(inspector.get(f"/cases/{case_id}"))
    assert re.search(r'name="record_evaluation-ballots_issued"[^>]*value="4"', form)
    assert re.search(r'name="record_evaluation-votes_excellent"[^>]*value="2"', form)
