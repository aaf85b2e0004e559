"""`cadreflow export`: one PDF per case, a manifest with SHA-256s, worker processes, resumable."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest

from documents.export import MANIFEST
from documents.export import PARTIAL
from documents.export import run_export
from workflow.errors import CaseNotFound
from workflow.persistence.cases import load_case

from .conftest import Rendered


def _manifest(out: Path) -> dict[int, dict[str, object]]:
    return {int(e["case_id"]): e for e in json.loads((out / MANIFEST).read_text(encoding="utf-8"))["cases"]}


def test_export_with_two_workers_writes_pdfs_and_a_manifest(rendered: Rendered, tmp_path: Path) -> None:
    engine, demo = rendered.engine, rendered.demo
    ids = sorted({demo.cases["interview_record"], demo.cases["registration_receipt"],
                  demo.cases["daily_inspection_record"]})
    result = run_export(engine, ids, False, None, tmp_path, jobs=2)
    assert (result.written, result.skipped, result.failed) == (3, 0, 0)
    entries = _manifest(tmp_path)
    assert sorted(entries) == ids
    with engine.db.engine.connect() as conn:
        for case_id, e in entries.items():
            pdf = (tmp_path / str(e["file"])).read_bytes()
            assert pdf.startswith(b"%PDF-")
            assert hashlib.sha256(pdf).hexdigest() == e["sha256"]
            row = load_case(conn, case_id)
            assert (e["head_hash"], e["head_seq"], e["verified"]) == (row.head_hash, row.head_seq, True)
            assert engine.find_document(str(e["sha256"]))[0][:2] == (case_id, "case_history")
    with (tmp_path / "manifest.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [int(r["case_id"]) for r in rows] == ids
    assert not (tmp_path / PARTIAL).exists()


def test_export_resumes_and_redoes_only_changed_or_damaged_cases(rendered: Rendered, tmp_path: Path) -> None:
    engine, demo = rendered.engine, rendered.demo
    a, b = demo.cases["tolerance_application"], demo.cases["comprehensive_evaluation_form"]
    assert run_export(engine, [a, b], False, None, tmp_path, jobs=1).written == 2
    again = run_export(engine, [a, b], False, None, tmp_path, jobs=1)
    assert (again.written, again.skipped) == (0, 2)
    engine.add_recusal(a, "p3", "与当事人有亲属关系", demo.actors["off"])  # the head of case a moves
    changed = run_export(engine, [a, b], False, None, tmp_path, jobs=1)
    assert (changed.written, changed.skipped) == (1, 1)
    (tmp_path / str(_manifest(tmp_path)[b]["file"])).write_bytes(b"%PDF-damaged")
    repaired = run_export(engine, [a, b], False, None, tmp_path, jobs=1)
    assert (repaired.written, repaired.skipped) == (1, 1)


def test_an_interrupted_export_resumes_from_the_partial_journal(rendered: Rendered, tmp_path: Path) -> None:
    engine, demo = rendered.engine, rendered.demo
    case_id = demo.cases["notification_letter"]
    run_export(engine, [case_id], False, None, tmp_path, jobs=1)
    entry = _manifest(tmp_path)[case_id]
    (tmp_path / MANIFEST).unlink()  # as if the run died before writing the manifest
    (tmp_path / PARTIAL).write_text(json.dumps(entry) + "\n{\"case_id\": 9", encoding="utf-8")
    resumed = run_export(engine, [case_id], False, None, tmp_path, jobs=1)
    assert (resumed.written, resumed.skipped) == (0, 1)
    assert _manifest(tmp_path)[case_id]["sha256"] == entry["sha256"]


def test_export_selects_all_cases_of_a_year_and_refuses_unknown_ids(rendered: Rendered, tmp_path: Path) -> None:
    engine = rendered.engine
    assert run_export(engine, [], True, 2025, tmp_path, jobs=1).written == 0
    with pytest.raises(CaseNotFound):
        run_export(engine, [999_999], False, None, tmp_path, jobs=1)
