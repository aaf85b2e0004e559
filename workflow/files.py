"""What an uploaded file is, judged by its bytes (never by its name), and a safe stored name.

PDF, JPEG and PNG are recognised by their signatures. DOCX and OFD are ZIP packages and are
recognised by their structure, after the package itself is checked:

- a ZIP that is encrypted, holds more than ``MAX_ENTRIES`` members or unpacks to more than
  ``MAX_UNPACKED`` bytes (or ``MAX_RATIO`` times its size: a zip bomb) is refused before any
  member is read;
- DOCX: ``[Content_Types].xml`` declares the WordprocessingML main document part, and
  ``word/document.xml`` is present and parses as XML; a macro-enabled package (a
  ``vbaProject.bin`` or a ``macroEnabled`` content type) is refused;
- OFD (GB/T 33190): ``OFD.xml`` has the root ``ofd:OFD`` with a ``DocBody``;
- PDF: it opens (pikepdf), is not encrypted and has pages, so a reader's watermark can be laid on it.

XML is read with expat and no document type declaration is accepted (no entity expansion).
``inspect`` says what the file is or why it is refused, in Chinese; ``clean_filename`` gives
the stored name the extension of the detected type.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers import expat

import filetype

MAX_ATTACHMENT = 20 * 1024 * 1024
MAX_UNPACKED = 100 * 1024 * 1024
MAX_RATIO = 100
MAX_ENTRIES = 5000
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_MAIN = DOCX + ".main+xml"
OFD = "application/ofd"
ALLOWED = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    DOCX: "DOCX",
    OFD: "OFD",
}
EXTENSIONS = {"application/pdf": (".pdf",), "image/jpeg": (".jpg", ".jpeg"), "image/png": (".png",),
              DOCX: (".docx",), OFD: (".ofd",)}
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
OFD_NS = re.compile(r"^http://www\.ofdspec\.org(/\d+)?/?$")
WHAT = "附件："
NOT_ALLOWED = "只接受 " + "、".join(ALLOWED.values()) + " 文件（按文件内容识别，不看扩展名）"
MACROS = "含有宏的 Office 文件不予接收"
ENCRYPTED = "加密的压缩文件不予接收"
BOMB = "压缩包解压后过大或文件过多（疑似压缩炸弹），不予接收"


@dataclass(frozen=True)
class Inspection:
    """The content type of an acceptable file, or the Chinese reason it is refused (field ``附件``)."""

    content_type: str | None
    problem: str = ""


class _BadXml(Exception):
    pass


def inspect(content: bytes) -> Inspection:
    """What ``content`` is, by its bytes; a refusal names the rule (``附件：含有宏的 Office 文件不予接收``)."""
    if content[:5] == b"%PDF-":
        problem = pdf_problem(content)
        return Inspection(None, WHAT + problem) if problem else Inspection("application/pdf")
    if content[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as z:
                return _package(z, len(content))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, ValueError, OSError, EOFError,
                NotImplementedError, RuntimeError):
            return Inspection(None, WHAT + NOT_ALLOWED)
    kind = filetype.guess(content)
    if kind is not None and kind.mime in ("image/jpeg", "image/png"):
        return Inspection(str(kind.mime))
    return Inspection(None, WHAT + NOT_ALLOWED)


def pdf_problem(content: bytes) -> str:
    """Why a PDF is refused (it must open, unencrypted, each page with a usable box, so that a
    reader's watermark can be laid over it), or ""."""
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


def detect_type(content: bytes) -> str | None:
    """The content type by the bytes themselves (never the file name), or None if not accepted."""
    return inspect(content).content_type


def _package(z: zipfile.ZipFile, size: int) -> Inspection:
    infos = z.infolist()
    if any(i.flag_bits & 0x1 for i in infos):
        return Inspection(None, WHAT + ENCRYPTED)
    unpacked = sum(i.file_size for i in infos)
    if len(infos) > MAX_ENTRIES or unpacked > MAX_UNPACKED or unpacked > MAX_RATIO * max(size, 1) + 1024 * 1024:
        return Inspection(None, WHAT + BOMB)
    names = {i.filename for i in infos}
    if any(n.rsplit("/", 1)[-1].lower() == "vbaproject.bin" for n in names):
        return Inspection(None, WHAT + MACROS)
    if "[Content_Types].xml" in names:
        return _docx(z, names)
    if "OFD.xml" in names:
        return _ofd(z)
    return Inspection(None, WHAT + NOT_ALLOWED)


def _docx(z: zipfile.ZipFile, names: set[str]) -> Inspection:
    try:
        elements = _elements(z.read("[Content_Types].xml"))
        types = [attrs.get("ContentType", "") for name, attrs, _ in elements
                 if name in (f"{CT_NS} Override", f"{CT_NS} Default")]
        if any("macroenabled" in t.lower() for t in types):
            return Inspection(None, WHAT + MACROS)
        main = [attrs.get("PartName", "") for name, attrs, _ in elements
                if name == f"{CT_NS} Override" and attrs.get("ContentType") == DOCX_MAIN]
        if "/word/document.xml" not in main or "word/document.xml" not in names:
            return Inspection(None, WHAT + "不是有效的 DOCX 文件（缺少 Word 正文部件）")
        _elements(z.read("word/document.xml"), limit=1)
    except _BadXml:
        return Inspection(None, WHAT + "不是有效的 DOCX 文件（XML 无法解析）")
    return Inspection(DOCX)


def _ofd(z: zipfile.ZipFile) -> Inspection:
    try:
        elements = _elements(z.read("OFD.xml"))
    except _BadXml:
        return Inspection(None, WHAT + "不是有效的 OFD 文件（OFD.xml 无法解析）")
    root = elements[0] if elements else ("", {}, 0)
    ns, _, local = root[0].rpartition(" ")
    body = any(name.rpartition(" ")[2] == "DocBody" and depth == 1 for name, _, depth in elements)
    if local != "OFD" or not OFD_NS.match(ns) or not body:
        return Inspection(None, WHAT + "不是有效的 OFD 文件（OFD.xml 须以 ofd:OFD 为根并含 DocBody）")
    return Inspection(OFD)


def _elements(data: bytes, limit: int = 100_000) -> list[tuple[str, dict[str, str], int]]:
    """The first ``limit`` elements of an XML document as (``namespace name``, attributes, depth).

    The whole document is parsed (it must be well-formed); a DOCTYPE or an entity declaration is
    refused, so no entity is ever expanded.
    """
    found: list[tuple[str, dict[str, str], int]] = []
    depth = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth
        if len(found) < limit:
            found.append((name, attrs, depth))
        depth += 1

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    def refuse(*args: object) -> None:
        raise _BadXml("DTD")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise _BadXml(str(exc)) from exc
    return found


def clean_filename(name: str, content_type: str | None = None) -> str:
    """A safe stored name: no path, no control or reserved characters, the detected type's extension.

    A name whose extension is not the detected type's gets it instead (``jpg.html`` that is a JPEG is
    stored as ``jpg.jpg``); a name without one gets it appended (``报告`` that is a PDF: ``报告.pdf``).
    """
    name = (name or "").replace("\\", "/").split("/")[-1].strip()
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    extensions = EXTENSIONS.get(content_type or "", ())
    if not extensions:
        return name[:200] or "附件"
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and f".{suffix.lower()}" in extensions:
        return stem[:200 - len(suffix) - 1].rstrip() + "." + suffix
    if dot and stem and re.fullmatch(r"[A-Za-z0-9]{1,5}", suffix):
        name = stem
    return (name[:195].rstrip() or "附件") + extensions[0]
