"""监督检查 › 核验出具的 PDF: an uploaded PDF checked as ``cadreflow verify-pdf`` checks it, with the database."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from documents import render_history
from documents.signing import create_self_signed
from documents.verify_pdf import CHECKS
from workflow import Engine
from workflow import Settings

from ..conftest import HEAD_KEY
from .conftest import WEB_DEFINITIONS
from .helpers import actor
from .helpers import add_web_users
from .helpers import csrf_token
from .helpers import login
from .helpers import make_app
from .helpers import review_case
from .helpers import text

URL = "/audit/verify-pdf"
ROW = re.compile(r'<tr data-check="([^"]+)">\s*<th scope="row">[^<]*</th>\s*<td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>')


@pytest.fixture
def signed(db_url: str, clock: Any, tmp_path: Path) -> Iterator[Engine]:
    key = create_self_signed(tmp_path / "signing.p12", "测试市委组织部")
    eng = Engine(Settings(database_url=db_url, head_key=HEAD_KEY, definitions_dir=WEB_DEFINITIONS,
                          signing_pkcs12=key), clock=clock)
    eng.sync_definitions()
    add_web_users(eng)
    yield eng
    eng.dispose()


def client(eng: Engine, tmp_path: Path, username: str) -> FlaskClient:
    c = make_app(eng, tmp_path).test_client()
    assert login(c, username).status_code == 303
    return c


def upload(c: FlaskClient, content: bytes, name: str = "记录.pdf", page: str = URL) -> Any:
    # encoded in memory: the test client would spool a large body to a file it never closes
    boundary, body = encode_multipart({"csrf_token": csrf_token(c, page),
                                       "file": FileStorage(io.BytesIO(content), name)})
    return c.post(URL, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def rows(page: str) -> dict[str, tuple[str, str]]:
    return {name: (status, detail) for name, status, detail in ROW.findall(page)}


def test_an_issued_history_passes_every_check(signed: Engine, tmp_path: Path) -> None:
    case_id = review_case(signed, upto="submitted")
    pdf = render_history(signed, case_id, actor(signed, "auditor"))
    r = upload(client(signed, tmp_path, "auditor"), pdf)
    page = text(r)
    assert r.status_code == 200 and "核验通过" in page
    assert rows(page) == {name: ("通过", "") for name in CHECKS}


def test_a_changed_byte_fails_and_names_the_check(signed: Engine, tmp_path: Path) -> None:
    case_id = review_case(signed, upto="submitted")
    pdf = bytearray(render_history(signed, case_id, actor(signed, "auditor")))
    pdf[pdf.index(b"/Title") + 1] = ord("t")
    page = text(upload(client(signed, tmp_path, "auditor"), bytes(pdf)))
    found = rows(page)
    assert "核验未通过" in page
    assert found["签名"] == ("未通过", "签名与文件内容不符（签名后文件被改动）")
    assert found["文书登记"] == ("未通过", "文书登记中没有该文件（SHA-256 未登记）")
    assert found["内嵌记录链"] == ("通过", "") and found["与当前记录链一致"] == ("通过", "")


def test_a_file_that_is_not_a_pdf_is_refused_by_its_content(signed: Engine, tmp_path: Path) -> None:
    c = client(signed, tmp_path, "auditor")
    r = upload(c, b"\x89PNG\r\n\x1a\n" + b"0" * 64, "伪装.pdf")
    assert r.status_code == 422 and "文件：不是 PDF 文件" in text(r) and "verify-checks" not in text(r)
    assert upload(c, b"", "空.pdf").status_code == 422
    no_token = c.post(URL, data={"file": (io.BytesIO(b"%PDF-1.7"), "a.pdf")}, content_type="multipart/form-data")
    assert no_token.status_code == 400 and "缺少安全令牌" in text(no_token)


def test_only_those_the_policy_lets_verify_see_the_page(signed: Engine, tmp_path: Path) -> None:
    assert signed.policy.has(actor(signed, "auditor"), "verify_chain")
    assert not signed.policy.has(actor(signed, "officer"), "verify_chain")
    assert client(signed, tmp_path, "auditor").get(URL).status_code == 200
    officer = client(signed, tmp_path, "officer")
    assert officer.get(URL).status_code == 403
    assert upload(officer, b"%PDF-1.7", page="/").status_code == 403
    assert "核验出具的 PDF" in text(client(signed, tmp_path, "auditor").get("/audit"))
