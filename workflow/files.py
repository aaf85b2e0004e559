"""What an uploaded file is, judged by its bytes (never by its name), and a safe stored name."""

from __future__ import annotations

import io
import zipfile

import filetype

MAX_ATTACHMENT = 20 * 1024 * 1024
ALLOWED = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/ofd": "OFD",
}


def detect_type(content: bytes) -> str | None:
    """The content type by the bytes themselves (never the file name), or None if not allowed."""
    if content[:5] == b"%PDF-":
        return "application/pdf"
    if content[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "OFD.xml" in names:
            return "application/ofd"
        if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return None
    kind = filetype.guess(content)
    if kind is not None and kind.mime in ("image/jpeg", "image/png"):
        return str(kind.mime)
    return None


def pdf_problem(content: bytes) -> str:
    """Why a PDF is refused (it must open, unencrypted, with at least one page), or ""."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            if pdf.is_encrypted:
                return "加密的 PDF 不予接收（请上传未加密的文件）"
            if len(pdf.pages) == 0:
                return "PDF 没有页面"
            for page in pdf.pages:
                page.trimbox  # noqa: B018 - every page must have a usable box to be stamped
    except pikepdf.PasswordError:
        return "加密的 PDF 不予接收（请上传未加密的文件）"
    except (pikepdf.PdfError, ValueError, KeyError, TypeError, OSError):
        return "PDF 文件已损坏，无法打开"
    return ""


def clean_filename(name: str) -> str:
    name = (name or "").replace("\\", "/").split("/")[-1].strip()
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    return name[:200] or "附件"
