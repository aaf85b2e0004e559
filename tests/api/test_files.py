"""Attachments (type from content, 20 MiB, content-addressed, byte for byte, in history) and PDFs."""

from __future__ import annotations

import hashlib
import io
import zipfile
from urllib.parse import quote

import pikepdf
import pytest
from sqlalchemy import func
from sqlalchemy import select

from tests import filesamples
from workflow.files import MAX_ATTACHMENT
from workflow.persistence.models import Blob

from ..pdfs import tiny_pdf
from .conftest import PDF_BYTES
from .conftest import ApiClient
from .conftest import error
from .conftest import multipart
from .test_cases import pdf_text

JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def _zip(names: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in names.items():
            z.writestr(name, text)
    return buf.getvalue()


DOCX_BYTES = filesamples.DOCX
OFD_BYTES = filesamples.OFD


def test_upload_and_download_byte_for_byte(api: ApiClient) -> None:
    """Stored byte for byte; a PDF is handed out with its reader's watermark over the same pages."""
    case = api.new_case()
    content = tiny_pdf("考察材料")
    resp = api.post(f"/cases/{case.id}/attachments", **multipart("考察材料（一）.pdf", content))
    assert resp.status_code == 201
    body = resp.get_json()
    assert {k: body[k] for k in ("filename", "sha256", "size")} == {
        "filename": "考察材料（一）.pdf", "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
    assert resp.headers["Location"].endswith(f"/cases/{case.id}/attachments/{body['id']}")
    stored = api.engine.attachment(case.id, body["id"], api.actor("officer"))[1]
    assert stored == content
    pdf_id = body["id"]
    got = api.get(f"/cases/{case.id}/attachments/{pdf_id}", "auditor")
    assert got.status_code == 200 and got.data != content
    with pikepdf.open(io.BytesIO(got.data)) as pdf:
        assert len(pdf.pages) == 1 and str(pdf.docinfo["/Title"]) == "test 考察材料"
        assert str(pdf.docinfo["/Keywords"]).startswith("access:")
        assert pdf.open_metadata()["pdf:Keywords"] == str(pdf.docinfo["/Keywords"])
    assert "查阅人：aud中共××市委组织部" in pdf_text(got) and "查阅登记第1号" in pdf_text(got)
    png = PNG_BYTES + bytes(range(256)) * 10
    png_id = api.post(f"/cases/{case.id}/attachments", **multipart("照片.png", png)).get_json()["id"]
    assert api.get(f"/cases/{case.id}/attachments/{png_id}", "auditor").data == png
    assert got.mimetype == "application/pdf"
    assert f"filename*=UTF-8''{quote('考察材料（一）.pdf')}" in got.headers["Content-Disposition"]
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    listed = api.get(f"/cases/{case.id}/attachments").get_json()
    assert [a["id"] for a in listed] == [pdf_id, png_id]
    history = api.get(f"/cases/{case.id}/history").get_json()
    assert history[-2]["type"] == "attachment_added" and history[-2]["event"] is None
    assert history[-2]["data"]["sha256"] == body["sha256"] and history[-2]["actor"] == "off"


@pytest.mark.parametrize(("name", "content", "mimetype"), [
    ("photo.pdf", PNG_BYTES, "image/png"), ("scan.bin", JPEG_BYTES, "image/jpeg"), ("a.pdf", PDF_BYTES,
                                                                                     "application/pdf"),
    ("材料.docx", DOCX_BYTES, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("公文", OFD_BYTES, "application/ofd")])
def test_type_is_detected_from_content(api: ApiClient, name: str, content: bytes, mimetype: str) -> None:
    case = api.new_case()
    body = api.post(f"/cases/{case.id}/attachments", **multipart(name, content)).get_json()
    assert body["content_type"] == mimetype
    assert api.get(f"/cases/{case.id}/attachments/{body['id']}").mimetype == mimetype


@pytest.mark.parametrize("content", [b"MZ\x90\x00 windows", b"just text, named .pdf", b"",
                                     _zip({"readme.txt": "x"})])
def test_other_content_is_refused(api: ApiClient, content: bytes) -> None:
    case = api.new_case()
    resp = api.post(f"/cases/{case.id}/attachments", **multipart("evil.pdf", content))
    assert resp.status_code == 422 and set(error(resp)["fields"]) == {"file"}


def test_malformed_uploads(api: ApiClient) -> None:
    case = api.new_case()
    resp = api.post(f"/cases/{case.id}/attachments", json={"file": "x"})
    assert resp.status_code == 400 and error(resp)["code"] == "bad_request"
    resp = api.post(f"/cases/{case.id}/attachments", **multipart("a.pdf", PDF_BYTES, field="upload"))
    assert resp.status_code == 422 and set(error(resp)["fields"]) == {"file"}
    resp = api.post(f"/cases/{case.id}/attachments", data=b"--x\r\ngarbage", content_type="multipart/form-data")
    assert resp.status_code == 400 or resp.status_code == 422
    assert api.post("/cases/999/attachments", **multipart("a.pdf", PDF_BYTES)).status_code == 404


def test_twenty_mebibytes_is_the_limit(api: ApiClient) -> None:
    case = api.new_case()
    exact = PDF_BYTES + b"\0" * (MAX_ATTACHMENT - len(PDF_BYTES))
    resp = api.post(f"/cases/{case.id}/attachments", **multipart("exact.pdf", exact))
    assert resp.status_code == 201 and resp.get_json()["size"] == MAX_ATTACHMENT
    resp = api.post(f"/cases/{case.id}/attachments", **multipart("over.pdf", exact + b"\0"))
    assert resp.status_code == 413 and error(resp)["code"] == "too_large"


def test_content_is_stored_once_by_its_hash(api: ApiClient) -> None:
    first, second = api.new_case(), api.new_case()
    a = api.post(f"/cases/{first.id}/attachments", **multipart("a.pdf", PDF_BYTES)).get_json()
    b = api.post(f"/cases/{second.id}/attachments", **multipart("b.pdf", PDF_BYTES)).get_json()
    assert a["sha256"] == b["sha256"] and a["id"] != b["id"]
    with api.engine.db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Blob.__table__)).scalar_one() == 1
    assert api.get(f"/cases/{second.id}/attachments/{a['id']}").status_code == 404


def test_no_attachment_on_a_closed_case(api: ApiClient) -> None:
    case = api.new_case()
    api.engine.fire(case.id, "withdraw", api.actor("officer"), {"reason": "撤回"}, case.version)
    resp = api.post(f"/cases/{case.id}/attachments", **multipart("a.pdf", PDF_BYTES))
    assert resp.status_code == 403 and error(resp)["code"] == "forbidden"


# --- PDFs: these need the documents package ------------------------------------------------

def test_history_pdf(api: ApiClient) -> None:
    case = api.case_in("submitted")
    resp = api.get(f"/cases/{case.id}/history.pdf", "auditor")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.data.startswith(b"%PDF") and "filename*=UTF-8''" in resp.headers["Content-Disposition"]
    assert len(api.get(f"/cases/{case.id}/history", "auditor").get_json()) == 2  # reading changed nothing


SIGNED = {
    "recommender_post": "市发展改革委党组书记、主任", "relationship": "上下级", "acquaintance": "很了解",
    "direction": "非定向", "merit_virtue": "政治立场坚定，理想信念坚定，道德品行良好，群众公认。",
    "merit_ability": "统筹协调能力强，善于解决复杂问题。", "merit_diligence": "工作勤勉，敢于担当，主动作为。",
    "merit_performance": "牵头完成多项重点改革任务，成效明显。",
    "typical_examples": "在防汛抢险中连续坚守一线七昼夜，组织转移群众两千余人，无一伤亡。",
    "shortcomings": "有时工作要求急，对年轻干部的指导不够耐心。", "integrity_status": "未发现违反廉洁自律规定的问题。",
    "pledge": True,
}


def test_documents_available_now_and_their_pdfs(real_api: ApiClient) -> None:
    api = real_api
    person = api.post("/people", "recommender",  # the recommender registers whom they recommend
                      json={"name": "李四", "gender": "女", "birth_date": "1980-05-01"}).get_json()
    case = api.post("/cases", "recommender", json={"definition": "signed_recommendation", "title": "署名推荐李四",
                                                   "subject_id": person["id"], "data": {"recommender": "rec"}})
    assert case.status_code == 201, case.get_json()
    case_id = case.get_json()["id"]
    assert api.get(f"/cases/{case_id}/documents").get_json() == []
    assert error(api.get(f"/cases/{case_id}/documents/signed_recommendation_form.pdf"))["code"] == "not_found"
    fired = api.post(f"/cases/{case_id}/events", "recommender",
                     json={"event": "submit", "data": SIGNED, "expected_version": 1})
    assert fired.status_code == 200, fired.get_json()
    assert api.get(f"/cases/{case_id}/documents").get_json() == [
        {"name": "signed_recommendation_form", "title": "领导干部署名推荐表"}]
    resp = api.get(f"/cases/{case_id}/documents/signed_recommendation_form.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf" and resp.data.startswith(b"%PDF")
    for name in ("nothing", "Bad-Name", "registration_receipt"):
        assert error(api.get(f"/cases/{case_id}/documents/{name}.pdf"))["code"] == "not_found"
    history = api.get(f"/cases/{case_id}/history").get_json()
    assert history[-1]["type"] == "document_issued"


def test_a_macro_document_is_refused_and_names_are_given_the_detected_extension(api: ApiClient) -> None:
    case = api.new_case()
    macro = filesamples.docx({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})
    resp = api.post(f"/cases/{case.id}/attachments", **multipart("材料.docx", macro))
    assert resp.status_code == 422 and error(resp)["fields"] == {"file": "附件：含有宏的 Office 文件不予接收"}
    resp = api.post(f"/cases/{case.id}/attachments", **multipart("jpg.html", JPEG_BYTES))
    assert resp.status_code == 201 and resp.get_json()["filename"] == "jpg.jpg"
