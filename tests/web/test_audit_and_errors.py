"""The auditor's view, error pages, and leaving /api/ alone."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import update

from workflow import Engine
from workflow.persistence.models import Case

from .helpers import post
from .helpers import review_case
from .helpers import text


def test_audit_lists_every_case_with_its_chain_status(client_for, web_engine: Engine) -> None:
    good = review_case(web_engine, "完好案件", upto="submitted")
    bad = review_case(web_engine, "被改案件")
    with web_engine.db.engine.begin() as conn:  # someone rewrites a case's head behind the engine's back
        conn.execute(update(Case.__table__).where(Case.__table__.c.id == bad).values(head_mac="0" * 64))
    client = client_for("auditor")
    page = text(client.get("/audit"))
    assert "完好案件" in page and "被改案件" in page
    assert "完好（2个事件）" in page and "案件末端的签名无效" in page
    assert f'/cases/{good}/history.pdf' in page
    report = text(client.get("/audit?verify=1"))
    assert "发现1个问题" in report and "2个案件" in report
    case_page = text(client.get(f"/cases/{bad}"))
    assert "记录链核验：发现问题" in case_page


def test_not_found_and_method_pages_are_chinese(client_for) -> None:
    client = client_for("officer")
    r = client.get("/no/such/page")
    assert r.status_code == 404 and "页面不存在" in text(r)
    r = client.get("/cases/424242")
    assert r.status_code == 404 and "案件不存在：424242" in text(r)
    r = client.delete("/cases")
    assert r.status_code == 405 and "不支持该操作" in text(r)


def test_forbidden_page_is_chinese(client_for) -> None:
    r = client_for("officer").get("/admin/users")
    assert r.status_code == 403 and "无权访问" in text(r)


def test_too_large_upload_is_413(client_for, web_engine: Engine, app: Flask) -> None:
    import io

    app.config["MAX_CONTENT_LENGTH"] = 1024
    case_id = review_case(web_engine)
    client = client_for("officer")
    big = {"upload-file": (io.BytesIO(b"%PDF" + b"0" * 4096), "a.pdf")}
    r = post(client, f"/cases/{case_id}/attachments", big,
             content_type="multipart/form-data")
    assert r.status_code == 413 and "上传内容过大" in text(r)


@pytest.mark.unhandled_error_expected
def test_server_error_page(app: Flask) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("boom")

    r = app.test_client().get("/boom")
    assert r.status_code == 500 and "系统内部错误" in text(r) and "boom" not in text(r)


def test_api_paths_are_left_to_the_api(app: Flask) -> None:
    r = app.test_client().get("/api/v1/no-such-endpoint")
    assert r.status_code in (401, 404)
    assert r.mimetype == "application/json"
    assert "页面不存在" not in text(r)
