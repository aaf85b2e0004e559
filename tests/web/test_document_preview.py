"""A form previewed in the page (issue 16, item 12): the browser's PDF viewer in a frame, 打印, 下载, and
出具 for who may issue; the preview is a registered read, never a history event; invisible is 404."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import text as sql

from documents import available_documents
from workflow import Engine

from .helpers import signed_in_clients
from .helpers import submitted_recommendation


def _submitted(engine: Engine) -> tuple[int, str]:
    case_id = submitted_recommendation(engine)
    (name, _title), *_ = available_documents(engine, case_id, engine.users.get("officer").actor())
    return case_id, name


def _reads(engine: Engine, case_id: int) -> int:
    with engine.db.engine.connect() as conn:
        return int(conn.execute(sql(f"SELECT count(*) FROM access_log WHERE case_id = {case_id}")).scalar_one())


def test_preview_prints_in_the_page_and_is_a_read_not_an_issue(make_engine: Any, tmp_path: Path) -> None:
    engine: Engine = make_engine()
    case_id, name = _submitted(engine)
    clients = signed_in_clients(engine, tmp_path)
    officer = clients("officer")
    page = officer.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f'href="/cases/{case_id}/documents/{name}"' in page and "预览、打印" in page
    preview = officer.get(f"/cases/{case_id}/documents/{name}")
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "<script>" not in body
    src = re.search(r'<iframe id="document-frame"[^>]*src="([^"]+)"', body)
    assert src is not None and "inline=1" in src.group(1)
    assert 'id="print-document"' in body and "js/print.js" in body and "出具（记入办理记录）" in body
    events, reads = len(engine.history(case_id)), _reads(engine, case_id)
    pdf = officer.get(src.group(1).replace("&amp;", "&"))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"].startswith("inline;")
    assert "frame-ancestors 'self'" in pdf.headers["Content-Security-Policy"]
    assert pdf.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert len(engine.history(case_id)) == events and _reads(engine, case_id) == reads + 1
    download = officer.get(f"/cases/{case_id}/documents/{name}.pdf")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Frame-Options"] == "DENY"  # only the preview's copy may be framed


def test_the_auditor_previews_without_issuing_and_strangers_get_404(make_engine: Any, tmp_path: Path) -> None:
    engine: Engine = make_engine()
    case_id, name = _submitted(engine)
    clients = signed_in_clients(engine, tmp_path)
    body = clients("auditor").get(f"/cases/{case_id}/documents/{name}").get_data(as_text=True)
    assert 'id="document-frame"' in body and "出具（记入办理记录）" not in body
    assert clients("officer").get(f"/cases/{case_id}/documents/nosuch").status_code == 404
    assert clients("p1").get(f"/cases/{case_id}/documents/{name}").status_code == 404  # a panelist not named


def test_the_case_page_links_each_issued_copy(make_engine: Any, tmp_path: Path) -> None:
    engine: Engine = make_engine()
    case_id, name = _submitted(engine)
    officer = signed_in_clients(engine, tmp_path)("officer")
    page = officer.get(f"/cases/{case_id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    issued = officer.post(f"/cases/{case_id}/documents/{name}.pdf", data={"csrf_token": token.group(1)})
    assert issued.status_code == 200 and issued.data.startswith(b"%PDF")
    page = officer.get(f"/cases/{case_id}").get_data(as_text=True)
    link = re.search(rf'href="(/cases/{case_id}/issued/\d+\.pdf)"', page)
    assert link is not None and "已出具" in page
    copy = officer.get(link.group(1))
    assert copy.status_code == 200 and copy.data == issued.data
    assert officer.get(f"/cases/{case_id}/issued/1.pdf").status_code == 404  # event 1 issued nothing
