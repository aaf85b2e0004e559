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
