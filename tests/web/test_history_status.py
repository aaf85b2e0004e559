"""The case-history PDF (下载全程记录) names the current state once: 「已撤回」, never 「已撤回（已撤回）」."""

from __future__ import annotations

from tests.pdfs import pdf_text
from workflow import Engine

from .helpers import actor
from .helpers import review_case


def history(client_for, case_id: int) -> str:  # type: ignore[no-untyped-def]
    response = client_for("officer").get(f"/cases/{case_id}/history.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return pdf_text(response.data)


def test_a_final_case_prints_its_state_once(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine)
    web_engine.fire(case_id, "withdraw", actor(web_engine, "officer"), {"reason": "人选调整"}, 1)
    assert web_engine.get_case(case_id).final
    body = history(client_for, case_id)
    assert "当前状态已撤回流程" in body  # the table cell holds the label alone (the next row starts 流程)
    assert "已撤回（" not in body


def test_an_open_case_says_it_is_in_progress(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine, upto="submitted")
    body = history(client_for, case_id)
    assert "当前状态已提交（办理中）流程" in body
