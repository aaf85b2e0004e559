"""A ``table`` field in the case-history PDF: each row as labelled cells, no keys, and verify-pdf still
finds the page's events equal to the embedded record (tests/definitions/table/tabled.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from documents import render_history
from documents.signing import certificate_of
from documents.verify_pdf import check_pdf
from workflow import Engine

from ..conftest import add_users
from .pdfcheck import text

DEFS = Path(__file__).resolve().parent.parent / "definitions" / "table"


@pytest.fixture
def signed(make_engine: Any, signing_key: Path) -> Engine:
    eng: Engine = make_engine(DEFS, signing_pkcs12=signing_key)
    return eng


def test_the_history_pdf_prints_each_row_with_its_column_labels(signed: Engine) -> None:
    a = add_users(signed, {"off": ["officer"], "r1": ["reviewer"], "r2": ["reviewer"], "aud": ["auditor"]})
    signed.users.update("r1", name="李部长")
    signed.users.update("r2", name="周部长")
    a = {k: signed.users.get(k).actor() for k in a}
    pid = signed.people.create({"name": "张三", "gender": "男", "birth_date": "1980-05-01", "unit": "某县",
                                "current_post": "副县长"}, a["off"]).id
    case = signed.start_case("tabled", a["off"], title="推荐", data={"summary": "摘要"})
    case = signed.fire(case.id, "recommend", a["off"], {"candidates": [
        {"person_id": pid, "votes": 25, "rank": "first", "met_on": "2026-11-20", "confirmed": True}]},
        case.version).case
    signed.fire(case.id, "decide", a["r1"], {"stances": [{"username": "r1", "stance": "同意"},
                                                         {"username": "r2", "stance": "缓议"}]}, case.version)
    pdf = render_history(signed, case.id, a["aud"])
    body = text(pdf)
    assert ("推荐人选及得票：人选：张三；得票数：25；名次：第一；谈话日期：2026年11月20日；得票率：—；备注：—；"
            "已核实：是") in body
    assert "表态情况：成员：李部长；表态：同意／成员：周部长；表态：缓议" in body
    assert "person_id" not in body and "votes" not in body and "stance" not in body and "first" not in body
    result = check_pdf(pdf, certificate_of(signed.settings), signed)
    assert result.ok, result.problems
