"""Uploads judged by their bytes: the stored name takes the detected type's extension; macro-enabled
Office files, DOCX and OFD without their structure, zip bombs and encrypted zips are refused, each
with a Chinese message naming the rule (field ``file``).
"""

from __future__ import annotations

import io
import zipfile

import pytest

from tests import filesamples as s
from workflow import Engine
from workflow import ValidationFailed
from workflow.files import DOCX
from workflow.files import OFD
from workflow.files import clean_filename
from workflow.files import inspect

from .helpers import actors
from .helpers import new_case


@pytest.mark.parametrize(("name", "content_type", "stored"), [
    ("jpg.html", "image/jpeg", "jpg.jpg"), ("报告", "application/pdf", "报告.pdf"),
    ("photo.JPEG", "image/jpeg", "photo.JPEG"), ("scan.pdf", "image/png", "scan.png"),
    ("材料.docx", DOCX, "材料.docx"), ("公文", OFD, "公文.ofd"), ("张三.2024年", "application/pdf", "张三.2024年.pdf"),
    ("../../etc/passwd", "application/pdf", "passwd.pdf"), (".pdf", "application/pdf", ".pdf.pdf"),
    ("", "image/png", "附件.png"), ("a" * 300 + ".exe", "application/pdf", "a" * 195 + ".pdf"),
])
def test_the_stored_name_takes_the_detected_extension(name: str, content_type: str, stored: str) -> None:
    assert clean_filename(name, content_type) == stored
    assert len(clean_filename(name, content_type)) <= 200


def test_the_engine_stores_the_name_with_the_detected_extension(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    assert test_engine.add_attachment(case.id, "jpg.html", s.JPEG, a["off"]).filename == "jpg.jpg"
    assert test_engine.add_attachment(case.id, "报告", s.PDF, a["off"]).filename == "报告.pdf"
    history = test_engine.history(case.id, a["off"])
    assert [e.data["filename"] for e in history if e.type == "attachment_added"] == ["jpg.jpg", "报告.pdf"]


@pytest.mark.parametrize(("content", "content_type"), [
    (s.PDF, "application/pdf"), (s.JPEG, "image/jpeg"), (s.PNG, "image/png"), (s.DOCX, DOCX), (s.OFD, OFD),
    (s.ofd(s.OFD_XML.replace("http://www.ofdspec.org/2016", "http://www.ofdspec.org")), OFD),
])
def test_well_formed_files_are_accepted(content: bytes, content_type: str) -> None:
    assert inspect(content).content_type == content_type


def _encrypted_zip() -> bytes:
    raw = bytearray(s.DOCX)
    # set the "encrypted" bit in every local and central directory header (what zip -e writes)
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (i := raw.find(sig, start)) >= 0:
            raw[i + offset] |= 0x1
            start = i + 4
    return bytes(raw)


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", s.content_types())
        z.writestr("word/document.xml", s.DOCUMENT)
        z.writestr("word/media/fill.bin", b"\0" * (120 * 1024 * 1024))
    return buf.getvalue()


CT = "[Content_Types].xml"
MACRO = "附件：含有宏的 Office 文件不予接收"
REFUSED = [
    ("vbaProject", s.docx({"word/vbaProject.bin": b"macro"}), MACRO),
    ("macroEnabled", s.docx({CT: s.content_types(main=s.MACRO_MAIN)}), MACRO),
    ("no main part declared", s.docx({CT: s.content_types(main="application/xml")}), "缺少 Word 正文部件"),
    ("main part elsewhere", s.docx({CT: s.content_types(part="/word/other.xml")}), "缺少 Word 正文部件"),
    ("no document.xml", s.docx({"word/document.xml": None}), "缺少 Word 正文部件"),
    ("document.xml not XML", s.docx({"word/document.xml": "<w:document"}), "XML 无法解析"),
    ("content types not XML", s.docx({CT: "<Types"}), "XML 无法解析"),
    ("entity expansion", s.docx({"word/document.xml": '<!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>'}), "XML 无法解析"),
    ("only Content_Types and word/", s.make_zip({"[Content_Types].xml": "<Types/>", "word/x": "x"}),
     "缺少 Word 正文部件"),
    ("OFD root wrong", s.ofd(s.OFD_XML.replace("ofd:OFD", "ofd:Other")), "ofd:OFD"),
    ("OFD without DocBody", s.ofd(s.OFD_XML.replace("DocBody", "DocInfo2")), "DocBody"),
    ("OFD without namespace", s.ofd("<OFD><DocBody/></OFD>"), "ofd:OFD"),
    ("OFD.xml not XML", s.ofd("<ofd:OFD"), "无法解析"),
    ("encrypted", _encrypted_zip(), "附件：加密的压缩文件不予接收"),
    ("zip bomb", _bomb(), "疑似压缩炸弹"),
    ("many entries", s.make_zip({f"word/{i}.xml": "" for i in range(6000)}, zipfile.ZIP_STORED), "疑似压缩炸弹"),
    ("broken zip", b"PK\x03\x04" + b"\0" * 100, "只接受"),
    ("html named jpg", b"<html><script>alert(1)</script></html>", "只接受"),
]


@pytest.mark.parametrize(("content", "message"), [(c, m) for _, c, m in REFUSED], ids=[n for n, _, _ in REFUSED])
def test_refused_files_say_why_in_chinese(content: bytes, message: str) -> None:
    found = inspect(content)
    assert found.content_type is None
    assert found.problem.startswith("附件：") and message in found.problem


def test_the_engine_refuses_a_macro_document_on_the_field(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    content = s.docx({CT: s.content_types(main=s.MACRO_MAIN)})
    with pytest.raises(ValidationFailed) as info:
        test_engine.add_attachment(case.id, "宏.docm", content, a["off"])
    assert info.value.fields == {"file": MACRO}
    assert test_engine.attachments(case.id, a["off"]) == []
