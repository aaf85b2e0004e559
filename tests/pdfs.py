"""Small, valid PDFs for tests that upload one (uploads are parsed: a damaged PDF is refused)."""

from __future__ import annotations

import io

import pikepdf


def tiny_pdf(tag: str = "") -> bytes:
    """A one-page PDF; different ``tag`` values give different bytes (and SHA-256s)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.docinfo["/Title"] = f"test {tag}"
    out = io.BytesIO()
    pdf.save(out, static_id=True)
    return out.getvalue()


def pdf_text(pdf: bytes) -> str:
    """All text of a PDF with whitespace removed (pypdf; the watermark's footer line is text)."""
    import re

    from pypdf import PdfReader

    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
