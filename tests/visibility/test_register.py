"""查阅登记: every kind of read leaves one row naming its reader (and the PDF handed out carries
that row's number in its watermark and metadata); auditors read the register; verify catches a row
edited or deleted."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from sqlalchemy import delete
from sqlalchemy import text
from sqlalchemy import update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.expression import Executable
from werkzeug.test import TestResponse

from documents.export import run_export
from tests.pdfs import pdf_text
from tests.pdfs import tiny_pdf
from workflow.persistence.tables import access_t

from .conftest import Site


def _last(site: Site) -> dict[str, Any]:
    return site.api("aud_root", "/audit/access?per_page=1").get_json()["items"][0]  # type: ignore[no-any-return]


def _reference(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        keywords = str(doc.docinfo.get("/Keywords", ""))
    return int(keywords.rsplit("access:", 1)[1].split()[0])


def test_every_kind_of_read_is_registered_and_every_pdf_names_its_reader(site: Site, tmp_path: Path) -> None:
    w, eng = site.world, site.engine
    case_id, person_id = w.cases["REC"], w.people["REC"]
    pdf_att = eng.add_attachment(case_id, "推荐材料.pdf", tiny_pdf("推荐材料"), w.actors["off2"]).id
    off = site.page("off")
    reads: list[tuple[str, Callable[[], TestResponse], tuple[str, str, int | None, int | None]]] = [
        ("page", lambda: off.get(f"/cases/{case_id}"), ("view", "case", case_id, None)),
        ("api", lambda: site.api("off", f"/cases/{case_id}"), ("view", "case", case_id, None)),
        ("api history", lambda: site.api("off", f"/cases/{case_id}/history"), ("view", "case", case_id, None)),
        ("person page", lambda: off.get(f"/people/{person_id}"), ("view", "person", None, person_id)),
        ("person api", lambda: site.api("off", f"/people/{person_id}"), ("view", "person", None, person_id)),
        ("history pdf", lambda: off.get(f"/cases/{case_id}/history.pdf"),
         ("download", "history_pdf", case_id, None)),
        ("form", lambda: site.api("off", f"/cases/{case_id}/documents/signed_recommendation_form.pdf"),
         ("download", "document", case_id, None)),
        ("attachment", lambda: off.get(f"/cases/{case_id}/attachments/{pdf_att}"),
         ("download", "attachment", case_id, None)),
    ]
    for name, read, (action, object_, cid, pid) in reads:
        response = read()
        assert response.status_code == 200, name
        row = _last(site)
        assert (row["username"], row["action"], row["object"], row["case_id"], row["person_id"]) == (
            "off", action, object_, cid, pid), name
        if response.mimetype == "application/pdf":
            text = pdf_text(response.data)
            assert "查阅人：张明（off）东湖区委组织部" in text, name
            assert f"查阅登记第{row['seq']}号" in text and _reference(response.data) == row["seq"], name
    run_export(eng, [case_id], False, None, tmp_path, 1, w.actors["off"])
    row = _last(site)
    assert (row["username"], row["action"], row["object"], row["case_id"]) == ("off", "export", "export", case_id)
    [entry] = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["cases"]
    exported = (tmp_path / entry["file"]).read_bytes()
    assert "查阅人：张明（off）东湖区委组织部" in pdf_text(exported) and _reference(exported) == row["seq"]


def test_refused_reads_are_not_registered_and_auditors_read_within_their_scope(site: Site) -> None:
    w = site.world
    before = site.api("aud_root", "/audit/access").get_json()["total"]
    assert site.api("off_xs", f"/cases/{w.cases['REC']}").status_code == 404
    assert site.page("off").get("/people/999999").status_code == 404
    assert site.api("aud_root", "/audit/access").get_json()["total"] == before
    site.api("off", f"/cases/{w.cases['INT']}")
    mine = site.api("aud_root", f"/audit/access?case_id={w.cases['INT']}&username=off").get_json()
    assert mine["total"] == 1 and mine["items"][0]["object"] == "case"
    assert site.api("aud_xs", f"/audit/access?case_id={w.cases['INT']}").get_json()["total"] == 0
    assert site.api("off", "/audit/access").status_code == 403
    assert site.api("aud_root", "/audit/access?case_id=x").status_code == 400


def _tamper(site: Site, statement: Executable) -> list[str]:
    """Run ``statement`` as an attacker with database access would: append-only triggers dropped first."""
    with site.engine.db.engine.begin() as conn:
        for action in ("update", "delete"):
            on = " ON access_log" if conn.dialect.name == "postgresql" else ""
            conn.execute(text(f"DROP TRIGGER IF EXISTS access_log_no_{action}{on}"))
        conn.execute(statement)
    return [p.problem for p in site.engine.verify().problems]


def test_the_register_is_append_only_and_verify_catches_an_edited_or_deleted_row(site: Site) -> None:
    w = site.world
    for key in ("REC", "INT", "INS"):
        site.api("off", f"/cases/{w.cases[key]}")
    assert site.engine.verify().ok
    with pytest.raises(DBAPIError, match="append-only"):
        with site.engine.db.write() as conn:
            conn.execute(update(access_t).where(access_t.c.seq == 2).values(username="someone_else"))
    edited = _tamper(site, update(access_t).where(access_t.c.seq == 2).values(username="someone_else"))
    assert edited == ["查阅登记第2号的内容与哈希不符（登记被篡改）"], edited
    _tamper(site, update(access_t).where(access_t.c.seq == 2).values(username="off"))
    assert site.engine.verify().ok
    assert _tamper(site, delete(access_t).where(access_t.c.seq == 3)) == ["查阅登记末端记录3条，实际2条（登记被删除）"]
    deleted = _tamper(site, delete(access_t).where(access_t.c.seq == 1))
    assert "查阅登记在第2号处断开（登记被删除或插入）" in deleted, deleted
