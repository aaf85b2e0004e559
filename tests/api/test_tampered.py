"""A case changed outside the engine: the API answers 409 not_allowed (never 500) and changes nothing."""

from __future__ import annotations

from sqlalchemy import text

from tests.engine.test_tamper import drop_triggers
from tests.pdfs import tiny_pdf

from .conftest import ApiClient
from .conftest import error
from .conftest import multipart


def change(api: ApiClient, statement: str, **params: object) -> None:
    with api.engine.db.engine.begin() as conn:
        drop_triggers(conn)
        conn.execute(text(statement), params)


def test_an_event_on_a_changed_case_row_is_409(api: ApiClient) -> None:
    case = api.new_case()
    change(api, "UPDATE cases SET title = '另一个标题' WHERE id = :i", i=case.id)
    resp = api.post(f"/cases/{case.id}/events", json={"event": "submit", "expected_version": case.version,
                                                      "data": {"panel": ["p1", "p2"], "team": ["i1", "i2"],
                                                               "notice_date": "2026-11-20"}})
    assert resp.status_code == 409
    body = error(resp)
    assert body["code"] == "not_allowed" and "案件的标题与签名末端不符" in body["message"]
    assert len(api.engine.history(case.id)) == 1
    report = api.get("/audit/verify", "auditor").get_json()
    assert any(p["case_id"] == case.id and "标题" in p["problem"] for p in report["problems"]), report


def test_a_download_of_replaced_bytes_is_409(api: ApiClient) -> None:
    case = api.new_case()
    resp = api.post(f"/cases/{case.id}/attachments", **multipart("材料.pdf", tiny_pdf("原件")))
    body = resp.get_json()
    change(api, "UPDATE blobs SET content = :c WHERE sha256 = :h", c=tiny_pdf("替换件"), h=body["sha256"])
    got = api.get(f"/cases/{case.id}/attachments/{body['id']}", "auditor")
    assert got.status_code == 409
    assert "文件被替换" in error(got)["message"]
