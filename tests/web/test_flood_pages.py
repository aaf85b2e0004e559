"""Flood limits on the pages (issue 13, item 8): the upload form answers 429 with the wait."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

from flask import Flask
from werkzeug.test import TestResponse

from tests.pdfs import tiny_pdf
from web import create_app
from web.config import AppConfig
from web.config import FloodLimits
from workflow import Engine

from .helpers import login
from .helpers import post
from .helpers import review_case
from .helpers import text


def test_upload_page_refuses_a_flood_with_the_wait(web_engine: Engine, tmp_path: Path) -> None:
    config = dataclasses.replace(AppConfig(tmp_path, web_engine.settings.database_url, "test-secret-0123456789"),
                                 flood=FloodLimits(uploads_per_case=2))
    app: Flask = create_app({"TESTING": True, "CADREFLOW_CONFIG": config}, engine=web_engine)
    client = app.test_client()
    assert login(client, "officer").status_code == 303
    case_id = review_case(web_engine)
    pdf = tiny_pdf("材料")

    def upload() -> TestResponse:
        return post(client, f"/cases/{case_id}/attachments", {"upload-file": (io.BytesIO(pdf), "材料.pdf")},
                    content_type="multipart/form-data")

    assert [upload().status_code, upload().status_code] == [303, 303]
    refused = upload()
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "600"
    assert "本案件上传附件过于频繁，请10分0秒后再试" in text(refused)
    assert len(web_engine.attachments(case_id)) == 2
