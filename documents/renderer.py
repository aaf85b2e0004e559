"""HTML -> PDF with WeasyPrint: offline, with explicit metadata, and memory kept flat.

The first render checks that HarfBuzz subsetting is available: without
``libharfbuzz-subset0`` WeasyPrint is about 40 times slower with CJK fonts and
only says so in a debug log, so we refuse to run instead.
"""

from __future__ import annotations

import gc
import warnings
from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime
from typing import Any

from .archival import VARIANT
from .archival import add_archive_xmp
from .environment import DOCUMENTS_DIR
from .environment import render_html

AUTHOR = "组织部"
GENERATOR = "cadreflow"


class RendererUnavailable(RuntimeError):
    """The machine lacks something the renderer needs (a library, the CJK fonts)."""


@dataclass(frozen=True)
class PdfMeta:
    """What goes into the PDF's document information dictionary."""

    title: str
    created: datetime
    subject: str = ""
    keywords: tuple[str, ...] = ()
    archive: Any = None  # documents.archival.Archive: the XMP's case, form, template version, issuer
    attachments: tuple[tuple[str, bytes, str], ...] = ()  # (file name, content, description), /Data


_checked = False
_font_config: Any = None


def check_harfbuzz() -> None:
    """Fail loudly when HarfBuzz subsetting (libharfbuzz-subset0) is missing."""
    global _checked
    if _checked:
        return
    try:
        from weasyprint.text.ffi import harfbuzz_subset
    except (ImportError, OSError) as exc:  # pragma: no cover - depends on the machine
        raise RendererUnavailable(f"无法载入 WeasyPrint：{exc}") from exc
    if not harfbuzz_subset:  # pragma: no cover - depends on the machine
        raise RendererUnavailable(
            "缺少 libharfbuzz-subset0：没有它 WeasyPrint 渲染中文字体要慢约40倍。请运行 make install "
            "（或 apt-get install libharfbuzz-subset0）"
        )
    _checked = True


def _fonts() -> Any:
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def html_to_pdf(html: str, meta: PdfMeta, variant: str | None = VARIANT) -> bytes:
    """Render HTML text (templates' relative URLs resolve under documents/templates/) to PDF bytes:
    PDF/A-3b unless ``variant`` is None (plain PDF, for comparison only)."""
    check_harfbuzz()
    with warnings.catch_warnings():
        # WeasyPrint leaves the sRGB profile it reads for PDF/A's OutputIntent open (a ResourceWarning when
        # the document is collected below); nothing else is silenced
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            return _write(html, meta, variant)
        finally:
            gc.collect()


def _write(html: str, meta: PdfMeta, variant: str | None) -> bytes:
    from weasyprint import HTML
    from weasyprint import Attachment

    from .fetcher import OfflineFetcher

    base = (DOCUMENTS_DIR / "templates").as_uri() + "/"
    document = HTML(string=html, base_url=base, url_fetcher=OfflineFetcher()).render(font_config=_fonts())
    m = document.metadata
    m.title = meta.title
    m.authors = [AUTHOR]
    m.description = meta.subject or None
    m.keywords = list(meta.keywords)
    m.generator = GENERATOR
    stamp = meta.created.isoformat(timespec="seconds")
    m.created = stamp
    m.modified = stamp
    m.lang = "zh-CN"
    m.attachments = [Attachment(string=content, name=name, description=text, relationship="Data",
                                created=meta.created, modified=meta.created)
                     for name, content, text in meta.attachments]
    pdf: bytes = document.write_pdf(pdf_variant=variant, uncompressed_pdf=False)
    del document
    if meta.archive is not None and variant is not None:
        pdf = add_archive_xmp(pdf, meta.archive)
    return pdf


def marked(context: dict[str, Any], meta: PdfMeta, watermark: Any) -> tuple[dict[str, Any], PdfMeta]:
    """The context and metadata of a PDF with ``watermark`` (documents.watermark; None: none) on every page."""
    if watermark is None:
        return context, meta
    return {**context, "watermark": watermark}, replace(meta, keywords=(*meta.keywords, watermark.keyword))


def render_pdf(template: str, context: dict[str, Any], meta: PdfMeta, watermark: Any = None) -> bytes:
    """Render a template with its context, then to PDF; with ``watermark`` (documents.watermark) on every page."""
    context, meta = marked(context, meta, watermark)
    return html_to_pdf(render_html(template, context), meta)
