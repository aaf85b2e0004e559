"""Archival PDFs: PDF/A-3b with our XMP, the embedded history, PAdES signatures, verify-pdf."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from sqlalchemy import text

from documents import history as history_module
from documents import render_form
from documents import render_history
from documents.archival import HISTORY_FILE
from documents.archival import embedded_history
from documents.archival import read_archive_xmp
from documents.issue import form_inputs
from documents.issue import form_pdf
from documents.signing import certificate_of
from documents.signing import create_self_signed
from documents.signing import sign
from documents.verify_pdf import HASH_PAIR
from documents.verify_pdf import PdfCheck
from documents.verify_pdf import check_pdf
from documents.verify_pdf import check_visible
from documents.verify_pdf import extracted_text
from documents.verify_pdf import visible_text
from documents.watermark import Watermark
from documents.watermark import stamp
from workflow import Actor
from workflow import Engine
from workflow.audit import event_json
from workflow.settings import Settings

from ..conftest import HEAD_KEY
from ..engine.test_tamper import drop_triggers
from .pdfcheck import first_page_png
from .scenarios import PERSON
from .scenarios import add_users
from .scenarios import fire
from .test_issue import SUBMIT

FORM = "signed_recommendation_form"


@pytest.fixture
def signed(make_engine: Any, signing_key: Path) -> Engine:
    eng: Engine = make_engine(signing_pkcs12=signing_key)
    return eng


@pytest.fixture
def case(signed: Engine) -> tuple[dict[str, Actor], int]:
    a = add_users(signed)
    person = signed.people.create(PERSON, a["rec"])
    started = signed.start_case("signed_recommendation", a["rec"], title="署名推荐", subject_id=person.id,
                                data={"recommender": "rec"})
    fire(signed, started.id, "submit", a["rec"], SUBMIT)
    return a, started.id


def fonts_embedded(pdf: bytes) -> list[str]:
    """The base font names of every font on every page, each checked to carry its font file."""
    names = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            for font in page.obj.Resources.get("/Font", {}).values():
                leaf = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = leaf.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), leaf.BaseFont
                names.append(str(leaf.BaseFont))
    return names


def assert_pdfa(pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert doc.open_metadata().pdfa_status == "3B"
        intents = doc.Root.OutputIntents
        assert len(intents) == 1 and intents[0].S == "/GTS_PDFA1" and "/DestOutputProfile" in intents[0]
    assert fonts_embedded(pdf)


def test_a_form_is_pdfa_3b_with_fonts_embedded_and_the_archive_xmp(signed: Engine, case: tuple[Any, int]) -> None:
    a, case_id = case
    pdf = render_form(signed, case_id, FORM, a["off"])
    assert_pdfa(pdf)
    assert read_archive_xmp(pdf) == {"case": str(case_id), "form": FORM, "templateVersion": "1",
                                     "issuer": signed.settings.organization}
    assert check_pdf(pdf, certificate_of(signed.settings)).line("f") == "f：通过（签名有效）"


def test_the_watermark_overlay_keeps_pdfa_and_the_xmp(signed: Engine, case: tuple[Any, int]) -> None:
    a, case_id = case
    record = signed.case_record(case_id, a["off"])
    pdf = form_pdf(form_inputs(signed, record, FORM))
    stamped = stamp(pdf, Watermark("王审计", "aud", "测试组织部", signed.clock.now(), 7))
    assert_pdfa(stamped)
    assert read_archive_xmp(stamped)["form"] == FORM
    with pikepdf.open(io.BytesIO(stamped)) as doc:
        assert "access:7" in str(doc.docinfo["/Keywords"])


def test_the_history_embeds_its_events_and_head_as_data(signed: Engine, case: tuple[Any, int]) -> None:
    a, case_id = case
    pdf = render_history(signed, case_id, a["aud"])
    assert_pdfa(pdf)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        spec = doc.attachments[HISTORY_FILE]
        assert spec.obj.AFRelationship == "/Data"
        assert spec.obj.objgen in [f.objgen for f in doc.Root.AF]
    embedded = embedded_history(pdf)
    events = signed.history(case_id, a["aud"])
    assert embedded == {"case_id": case_id, "head": {"seq": events[-1].seq, "hash": events[-1].hash},
                        "events": [json.loads(json.dumps(event_json(e), ensure_ascii=False)) for e in events]}
    assert read_archive_xmp(pdf)["form"] == "case_history"
    result = check_pdf(pdf, certificate_of(signed.settings), signed)
    assert result.ok, result.problems
    assert result.passed == ["签名有效", f"内嵌记录链{len(events)}项核验通过", "页面事件与内嵌记录一致", "与数据库一致"]


def test_the_signed_pdf_still_renders(signed: Engine, case: tuple[Any, int], tmp_path: Path) -> None:
    a, case_id = case
    path = tmp_path / "history.pdf"
    path.write_bytes(render_history(signed, case_id, a["aud"]))
    from PIL import Image

    with Image.open(first_page_png(path, tmp_path / "history.png")) as image:
        histogram = image.convert("L").histogram()
        dark = sum(histogram[:128])
    assert dark > 2000  # text drawn, not an empty page


def test_a_changed_byte_fails(signed: Engine, case: tuple[Any, int]) -> None:
    a, case_id = case
    pdf = bytearray(render_history(signed, case_id, a["aud"]))
    at = pdf.index(b"/Title")
    pdf[at + 1] = ord("t")  # /title: one byte of the signed range
    result = check_pdf(bytes(pdf), certificate_of(signed.settings))
    assert not result.ok and "签名与文件内容不符" in result.problems[0]


def test_another_certificate_is_not_trusted(signed: Engine, case: tuple[Any, int], tmp_path: Path) -> None:
    a, case_id = case
    pdf = render_form(signed, case_id, FORM, a["off"])
    other = Settings(database_url="sqlite://", head_key=HEAD_KEY,
                     signing_pkcs12=create_self_signed(tmp_path / "other.p12", "别的单位"))
    assert check_pdf(pdf, certificate_of(other)).problems == ["签名证书不是本机构的文书签名证书"]


def test_an_unsigned_pdf_fails(case: tuple[Any, int], signed: Engine) -> None:
    a, case_id = case
    pdf = form_pdf(form_inputs(signed, signed.case_record(case_id, a["off"]), FORM))
    assert check_pdf(pdf, certificate_of(signed.settings)).problems == ["没有电子签名"]


def _edit_embedded(pdf: bytes, change: Any) -> bytes:
    history = embedded_history(pdf)
    assert history is not None
    change(history)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        doc.attachments[HISTORY_FILE] = pikepdf.AttachedFileSpec(
            doc, json.dumps(history, ensure_ascii=False).encode("utf-8"), filename=HISTORY_FILE)
        out = io.BytesIO()
        doc.save(out)
    return out.getvalue()


def test_an_edited_embedded_json_fails(signed: Engine, case: tuple[Any, int]) -> None:
    a, case_id = case
    pdf = render_history(signed, case_id, a["aud"])

    def edit(h: dict[str, Any]) -> None:
        h["events"][1]["comment"] = "已改"

    result = check_pdf(_edit_embedded(pdf, edit), certificate_of(signed.settings))
    assert "内嵌记录第2项内容与哈希不符" in result.problems
    assert result.problems[0] != "没有电子签名" and not result.ok  # the rewrite also breaks the signature


def test_visible_events_must_match_the_embedded(signed: Engine, case: tuple[Any, int]) -> None:
    a, case_id = case
    pdf = render_history(signed, case_id, a["aud"])
    history = embedded_history(pdf)
    assert history is not None
    fine = PdfCheck()
    check_visible(pdf, history, fine)
    assert fine.ok
    history["events"].pop()
    short = PdfCheck()
    check_visible(pdf, history, short)
    n = len(history["events"])
    n = len(history["events"])
    assert short.problems == [f"页面所印事件（{n + 1}项）与内嵌记录（{n}项）不一致"]


def test_a_case_tampered_after_issue_fails_the_database_check(signed: Engine, case: tuple[Any, int]) -> None:
    a, case_id = case
    pdf = render_history(signed, case_id, a["aud"])
    cert = certificate_of(signed.settings)
    assert check_pdf(pdf, cert, signed).ok
    with signed.db.engine.begin() as conn:
        drop_triggers(conn)
        conn.execute(text(f"UPDATE case_events SET comment = '已改' WHERE case_id = {case_id} AND seq = 2"))
    assert check_pdf(pdf, cert).ok  # offline the PDF itself is still sound
    result = check_pdf(pdf, cert, signed)
    assert any(p.startswith(f"案件{case_id}当前的记录链核验未通过") for p in result.problems), result.problems


def test_a_pdf_not_in_the_register_fails_the_database_check(signed: Engine, case: tuple[Any, int]) -> None:
    a, case_id = case
    issued = render_form(signed, case_id, FORM, a["off"])
    assert check_pdf(issued, certificate_of(signed.settings), signed).ok
    record = signed.case_record(case_id, a["off"])
    unregistered = sign(form_pdf(form_inputs(signed, record, FORM)), signed.settings)
    assert check_pdf(unregistered, certificate_of(signed.settings)).ok
    assert check_pdf(unregistered, certificate_of(signed.settings), signed).problems == [
        "文书登记中没有该文件（SHA-256 未登记）"]


def test_the_content_streams_read_the_events_poppler_and_pypdf_read(signed: Engine, case: tuple[Any, int],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    a, case_id = case
    pdf = render_history(signed, case_id, a["aud"])
    from_streams = visible_text(pdf)
    with_poppler = extracted_text(pdf)
    assert HASH_PAIR.findall(from_streams) == HASH_PAIR.findall(with_poppler)
    assert sorted(from_streams) == sorted(with_poppler)  # the same characters, in drawing order
    monkeypatch.setattr("documents.verify_pdf.shutil.which", lambda name: None)
    assert HASH_PAIR.findall(extracted_text(pdf)) == HASH_PAIR.findall(from_streams)
    assert len(HASH_PAIR.findall(from_streams)) == len(signed.history(case_id, a["aud"]))


def test_a_signed_history_printing_another_hash_fails(signed: Engine, case: tuple[Any, int],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    a, case_id = case
    printed = history_module._event

    def edited(row: Any) -> dict[str, Any]:
        shown = printed(row)
        if shown["seq"] == 2:
            shown["hash"] = shown["hash"][:-1] + ("0" if shown["hash"][-1] != "0" else "1")
        return shown

    monkeypatch.setattr(history_module, "_event", edited)
    pdf = render_history(signed, case_id, a["aud"])  # signed by the instance, the embedded chain intact
    result = check_pdf(pdf, certificate_of(signed.settings))
    n = len(signed.history(case_id, a["aud"]))
    assert result.problems == [f"页面所印事件（{n}项）与内嵌记录（{n}项）不一致"]
    assert "签名有效" in result.passed and f"内嵌记录链{n}项核验通过" in result.passed
