"""A case changed outside the engine: the page's event is refused with 409 and a Chinese reason, never 500."""

from __future__ import annotations

from sqlalchemy import text as sql

from tests.engine.test_tamper import drop_triggers
from workflow import Engine

from .helpers import post
from .helpers import review_case
from .helpers import text
from .test_actions import SUBMIT


def test_an_event_on_a_changed_case_is_refused_on_the_page(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine)
    with web_engine.db.engine.begin() as conn:
        drop_triggers(conn)
        conn.execute(sql("UPDATE cases SET data = '{\"summary\": \"改过的摘要\"}' WHERE id = :i"), {"i": case_id})
    client = client_for("officer")
    response = post(client, f"/cases/{case_id}/events/submit", SUBMIT)
    assert response.status_code == 409
    assert "案件的数据与签名末端不符" in text(response)
    assert web_engine.get_case(case_id).state == "draft"
    page = text(client_for("auditor").get(f"/cases/{case_id}"))
    assert "记录链核验：发现问题" in page and "案件的数据与签名末端不符" in page
