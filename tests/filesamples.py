"""Minimal well-formed upload samples (PDF, JPEG, PNG, DOCX, OFD) and their broken variants."""

from __future__ import annotations

import io
import zipfile

from tests.pdfs import tiny_pdf

PDF = tiny_pdf("sample")  # a PDF is parsed on upload (a damaged one is refused): a real one-page PDF
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def content_types(main: str = MAIN, part: str = "/word/document.xml") -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="{part}" ContentType="{main}"/></Types>')


DOCUMENT = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p/></w:body></w:document>'
OFD_XML = ('<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" '
           'Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo/><ofd:DocRoot>Doc_0/Document.xml'
           '</ofd:DocRoot></ofd:DocBody></ofd:OFD>')


def make_zip(members: dict[str, str | bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def docx(changes: dict[str, str | bytes | None] | None = None) -> bytes:
    """A minimal DOCX; ``changes`` replace (or, with None, remove) members by name."""
    members: dict[str, str | bytes] = {"[Content_Types].xml": content_types(), "word/document.xml": DOCUMENT}
    for name, value in (changes or {}).items():
        if value is None:
            members.pop(name, None)
        else:
            members[name] = value
    return make_zip(members)


def ofd(xml: str = OFD_XML) -> bytes:
    return make_zip({"OFD.xml": xml, "Doc_0/Document.xml": "<ofd:Document xmlns:ofd='http://www.ofdspec.org/2016'/>"})


DOCX = docx()
OFD = ofd()
