"""`cadreflow verify-pdf`: what an auditor can check in an issued PDF away from the database.

Offline: the PAdES signature (intact, covering the whole file, made with the
trusted certificate); for a case history, the embedded chain (every event's hash
recomputed with ``workflow.audit``, each linked to the previous, the last equal
to the head) and the visible events (each hash pair printed on the pages, read from their content
streams, equals the embedded one, in order). With an engine: the embedded events against the
case's current chain (which must itself verify) and the PDF's SHA-256 in the
issued-document register.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from workflow import Actor
from workflow import Engine
from workflow.audit import GENESIS
from workflow.audit import json_event_matches
from workflow.errors import WorkflowError

from .archival import embedded_history
from .archival import read_archive_xmp
from .pdf_text import Unreadable
from .pdf_text import page_texts
from .signing import run_async

SIGNATURE = "签名"
CHAIN = "内嵌记录链"
VISIBLE = "页面与内嵌记录一致"
CURRENT = "与当前记录链一致"
REGISTER = "文书登记"
CHECKS = (SIGNATURE, CHAIN, VISIBLE, CURRENT, REGISTER)
HASH_PAIR = re.compile(r"哈希([0-9a-f]{64})前序([0-9a-f]{64})")


@dataclass
class PdfCheck:
    """The outcome of checking one PDF: what passed, and every problem found."""

    passed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    steps: dict[str, list[str]] = field(default_factory=dict)  # check (CHECKS) -> its problems; absent: not run

    def step(self, name: str, since: int) -> None:
        """Record check ``name`` as the problems found since ``since``."""
        self.steps[name] = self.problems[since:]

    @property
    def ok(self) -> bool:
        return not self.problems

    def line(self, name: str) -> str:
        if self.ok:
            return f"{name}：通过（{'；'.join(self.passed)}）"
        return f"{name}：未通过：{'；'.join(self.problems)}"


def check_signature(pdf: bytes, trusted: Any, result: PdfCheck) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception as exc:  # not a PDF, or damaged beyond reading
        result.problems.append(f"无法读取 PDF（{type(exc).__name__}）")
        return
    if not signatures:
        result.problems.append("没有电子签名")
        return
    context = ValidationContext(trust_roots=[trusted] if trusted is not None else [])
    try:
        status = run_async(lambda: async_validate_pdf_signature(signatures[-1], context))
    except Exception as exc:  # a signature pyHanko cannot even parse is a failed one
        result.problems.append(f"签名无法核验（{type(exc).__name__}）")
        return
    if not (status.intact and status.valid):
        result.problems.append("签名与文件内容不符（签名后文件被改动）")
    elif status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        result.problems.append("签名之后文件被追加修改")
    elif not status.trusted:
        result.problems.append("签名证书不是本机构的文书签名证书")
    else:
        result.passed.append("签名有效")


def check_chain(history: dict[str, Any], result: PdfCheck) -> None:
    """The embedded events: each hash recomputed, each linked to the one before, the last the head."""
    case_id = int(history["case_id"])
    before = len(result.problems)
    prev = GENESIS
    events = history.get("events", [])
    for item in events:
        seq = item.get("seq")
        if item.get("prev_hash") != prev:
            result.problems.append(f"内嵌记录第{seq}项与前一项不衔接")
        if not item.get("sealed") and not json_event_matches(case_id, item):
            result.problems.append(f"内嵌记录第{seq}项内容与哈希不符")
        prev = str(item.get("hash"))
    head = history.get("head", {})
    if head.get("hash") != prev or head.get("seq") != (events[-1]["seq"] if events else 0):
        result.problems.append("内嵌记录的末端与各事件不符")
    if len(result.problems) == before:
        result.passed.append(f"内嵌记录链{len(events)}项核验通过")


def visible_text(pdf: bytes) -> str:
    """The pages' text without whitespace, read from their content streams (documents.pdf_text);
    a PDF that reader cannot decode goes to ``extracted_text``."""
    import pikepdf

    try:
        return re.sub(r"\s+", "", "".join(page_texts(pdf)))
    except (Unreadable, pikepdf.PdfError):
        return extracted_text(pdf)


def extracted_text(pdf: bytes) -> str:
    """The pages' text without whitespace as a full extractor lays it out: poppler's pdftotext when
    installed (about 3x faster on our CJK histories than pypdf), else pypdf."""
    tool = shutil.which("pdftotext")
    if tool is not None:
        run = subprocess.run([tool, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=False,
                             timeout=120)
        if run.returncode == 0:
            return re.sub(r"\s+", "", run.stdout.decode("utf-8", "replace"))
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in reader.pages))


def check_visible(pdf: bytes, history: dict[str, Any], result: PdfCheck) -> None:
    """The hash pairs printed on the pages are the embedded events', in order."""
    shown = HASH_PAIR.findall(visible_text(pdf))
    embedded = [(e.get("hash"), e.get("prev_hash")) for e in history.get("events", [])]
    if shown != embedded:
        result.problems.append(f"页面所印事件（{len(shown)}项）与内嵌记录（{len(embedded)}项）不一致")
    else:
        result.passed.append("页面事件与内嵌记录一致")


def check_database(engine: Engine, pdf: bytes, case_id: int | None, history: dict[str, Any] | None,
                   result: PdfCheck, viewer: Actor | None = None) -> None:
    """The PDF in the issued-document register; a history's events against the case's current chain
    (as ``viewer`` may read it: None is the instance's operator)."""
    before = len(result.problems)
    if not engine.find_document(hashlib.sha256(pdf).hexdigest()):
        result.problems.append("文书登记中没有该文件（SHA-256 未登记）")
    result.step(REGISTER, before)
    if case_id is None:
        return
    chain = len(result.problems)
    try:
        record = engine.case_record(case_id, viewer)
    except WorkflowError:
        result.problems.append(f"数据库中没有案件{case_id}" + ("（或不在您的查阅范围内）" if viewer else ""))
        result.step(CURRENT, chain)
        return
    if not record.report.ok:
        result.problems.append(f"案件{case_id}当前的记录链核验未通过（{len(record.report.problems)}个问题）")
    if history is not None:
        current = [(e.seq, e.hash) for e in record.events]
        embedded = [(int(e["seq"]), e["hash"]) for e in history.get("events", [])]
        if current[:len(embedded)] != embedded:
            result.problems.append(f"内嵌记录与案件{case_id}当前的记录链不符")
    result.step(CURRENT, chain)
    if len(result.problems) == before:
        result.passed.append("与数据库一致")


def check_pdf(pdf: bytes, trusted: Any, engine: Engine | None = None, viewer: Actor | None = None) -> PdfCheck:
    """Every check of one PDF (the database ones only with ``engine``, reading as ``viewer``)."""
    result = PdfCheck()
    check_signature(pdf, trusted, result)
    result.step(SIGNATURE, 0)
    if result.problems and result.problems[0].startswith("无法读取"):
        return result
    try:
        history = embedded_history(pdf)
        archive = read_archive_xmp(pdf)
    except Exception as exc:  # a damaged file or attachment: reported, never a traceback
        since = len(result.problems)
        result.problems.append(f"无法读取内嵌记录或元数据（{type(exc).__name__}）")
        result.step(CHAIN, since)
        return result
    if history is not None:
        for name, check in ((CHAIN, check_chain), (VISIBLE, lambda h, r: check_visible(pdf, h, r))):
            since = len(result.problems)
            try:
                check(history, result)
            except (KeyError, TypeError, ValueError) as exc:
                result.problems.append(f"内嵌记录格式不对（{type(exc).__name__}）")
            result.step(name, since)
    if engine is not None:
        case = history.get("case_id") if history is not None else archive.get("case")
        try:
            case_id = int(case) if case is not None else None
        except (TypeError, ValueError):
            case_id = None
        check_database(engine, pdf, case_id, history, result, viewer)
    return result
