"""`cadreflow export`: many case-history PDFs, in worker processes, resumable, with a manifest.

One PDF per case (``case-000123.pdf``) plus ``manifest.json`` and ``manifest.csv``
listing the case id, file, SHA-256 of the PDF, the case's head (event count and
hash) and whether its chain verified when the PDF was made. Each finished PDF is
also appended to ``manifest.partial.jsonl`` at once, so an interrupted export
resumes where it stopped: a case is skipped when its PDF is on disk with the
SHA-256 the manifest recorded and its head hash has not changed since.

Workers are separate processes (``spawn``); each builds its own Engine from the
same Settings and clock. Every PDF is logged in the document log with its SHA-256
(never as a history event: exporting does not change a case).
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

import click

from workflow import Actor
from workflow import Engine
from workflow.access import OPERATOR
from workflow.clock import Clock
from workflow.errors import CaseNotFound
from workflow.settings import Settings

from .forms import form_reads
from .handout import watermark_for
from .history import NAME
from .history import TITLE
from .history import VERSION
from .history import history_pdf

log = logging.getLogger(__name__)
MANIFEST = "manifest.json"
MANIFEST_CSV = "manifest.csv"
PARTIAL = "manifest.partial.jsonl"


@dataclass(frozen=True)
class ExportResult:
    """What an export did: how many PDFs it wrote and skipped, and how long it took."""

    written: int
    skipped: int
    failed: int
    seconds: float
    output_dir: Path

    @property
    def per_minute(self) -> float:
        return 60.0 * self.written / self.seconds if self.seconds > 0 else 0.0


def file_name(case_id: int) -> str:
    return f"case-{case_id:06d}.pdf"


def select_cases(engine: Engine, case_ids: Iterable[int], all_cases: bool, year: int | None,
                 actor: Actor | None) -> list[tuple[int, str]]:
    """(case id, head hash) of the cases to export, in id order; ``year`` is the creation year in Beijing."""
    wanted = sorted(set(case_ids))
    found = dict(engine.case_heads(wanted, all_cases, year, actor))
    missing = [c for c in wanted if c not in found]
    if missing:
        raise CaseNotFound("、".join(str(c) for c in missing))
    return sorted(found.items())


def load_manifest(output_dir: Path) -> dict[int, dict[str, Any]]:
    """Entries of a previous (possibly interrupted) export, by case id."""
    entries: dict[int, dict[str, Any]] = {}
    full = output_dir / MANIFEST
    if full.exists():
        for e in json.loads(full.read_text(encoding="utf-8")).get("cases", []):
            entries[int(e["case_id"])] = e
    partial = output_dir / PARTIAL
    if partial.exists():
        for line in partial.read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    e = json.loads(line)
                except json.JSONDecodeError:  # a line cut by an interruption
                    continue
                entries[int(e["case_id"])] = e
    return entries


def up_to_date(entry: dict[str, Any] | None, head_hash: str, output_dir: Path, reader: str = OPERATOR) -> bool:
    """The PDF on disk is the one the manifest recorded, for the case's current head and for the same
    reader (each PDF carries its reader's watermark and view of the case)."""
    if entry is None or entry.get("head_hash") != head_hash or entry.get("exported_for", OPERATOR) != reader:
        return False
    path = output_dir / str(entry.get("file", ""))
    return path.is_file() and sha256_file(path) == entry.get("sha256")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def export_one(engine: Engine, case_id: int, output_dir: Path, actor: Actor | None) -> dict[str, Any]:
    """Render one case history to ``output_dir`` (registered as an export, watermarked for the exporting
    user), log it, and return its manifest entry."""
    mark = watermark_for(engine, actor, "export", "export", case_id, str(output_dir / file_name(case_id)))
    pdf, h = history_pdf(engine, case_id, actor, mark)
    digest = hashlib.sha256(pdf).hexdigest()
    path = output_dir / file_name(case_id)
    tmp = path.with_suffix(".pdf.part")
    tmp.write_bytes(pdf)
    os.replace(tmp, path)
    engine.record_document(case_id, NAME, TITLE, VERSION, digest, actor)
    return {
        "case_id": case_id, "file": path.name, "sha256": digest, "bytes": len(pdf),
        "head_seq": h.head_seq, "head_hash": h.head_hash, "verified": h.report.ok,
        "definition": h.definition.key, "definition_version": h.definition.version,
        "rendered_at": h.read_at.isoformat(), "exported_for": actor.username if actor else OPERATOR,
    }


# --- worker processes ----------------------------------------------------------------------------

_worker: dict[str, Any] = {}


def _init_worker(settings: Settings, clock: Clock | None, output_dir: Path, actor: Actor | None) -> None:
    engine = Engine(settings, clock=clock, forms=form_reads())
    _worker.update(engine=engine, output_dir=output_dir, actor=actor)


def _work(case_id: int) -> tuple[int, dict[str, Any] | None, str]:
    try:
        return case_id, export_one(_worker["engine"], case_id, _worker["output_dir"], _worker["actor"]), ""
    except Exception as exc:  # reported per case; the export goes on with the others
        log.exception("case %s: export failed", case_id)
        return case_id, None, f"{type(exc).__name__}: {exc}"


def _results(engine: Engine, todo: list[int], output_dir: Path, jobs: int, actor: Actor | None
             ) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    if jobs <= 1 or len(todo) <= 1:
        _worker.update(engine=engine, output_dir=output_dir, actor=actor)
        for case_id in todo:
            yield _work(case_id)
        return
    ctx = multiprocessing.get_context("spawn")
    clock = engine.clock
    with ctx.Pool(processes=min(jobs, len(todo)), initializer=_init_worker,
                  initargs=(engine.settings, clock, output_dir, actor), maxtasksperchild=200) as pool:
        yield from pool.imap_unordered(_work, todo, chunksize=1)


# --- the command ---------------------------------------------------------------------------------

def run_export(engine: Engine, case_ids: Iterable[int], all_cases: bool, year: int | None,
               output_dir: Path, jobs: int = 2, actor: Actor | None = None) -> ExportResult:
    """Export the case histories of ``case_ids`` (and every case, or a year's, with ``all_cases``).

    ``actor`` is the user the export is made for (their view of each case, logged under
    them); None is the instance's own operator at the command line.

    Raises:
        workflow.errors.CaseNotFound: a case id given does not exist or the actor may not see it.
    """
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    cases = select_cases(engine, case_ids, all_cases, year, actor)
    entries = load_manifest(output_dir)
    reader = actor.username if actor else OPERATOR
    todo = [cid for cid, head in cases if not up_to_date(entries.get(cid), head, output_dir, reader)]
    skipped = len(cases) - len(todo)
    failures: list[tuple[int, str]] = []
    started = time.perf_counter()
    written = 0
    bar: Any = click.progressbar(length=len(todo), label="导出案件全程记录", show_pos=True, show_eta=True,
                                 file=sys.stderr)
    with (output_dir / PARTIAL).open("a", encoding="utf-8") as partial, bar:
        for case_id, entry, error in _results(engine, todo, output_dir, jobs, actor):
            if entry is None:
                failures.append((case_id, error))
            else:
                entries[case_id] = entry
                partial.write(json.dumps(entry, ensure_ascii=False) + "\n")
                partial.flush()
                written += 1
            bar.update(1)
    seconds = time.perf_counter() - started
    write_manifest(output_dir, [entries[c] for c in sorted(entries)], engine.clock.now())
    if not failures:
        (output_dir / PARTIAL).unlink(missing_ok=True)
    result = ExportResult(written, skipped, len(failures), seconds, output_dir)
    rate = f"，{result.per_minute:.1f}份/分钟" if written else ""
    click.echo(f"已导出{written}份，跳过未变化的{skipped}份，失败{len(failures)}份；用时"
               f"{timedelta(seconds=round(seconds))}{rate}。清单：{output_dir / MANIFEST}", err=True)
    for case_id, error in failures:
        click.echo(f"案件{case_id}导出失败：{error}", err=True)
    return result


def write_manifest(output_dir: Path, entries: list[dict[str, Any]], now: datetime) -> None:
    """manifest.json and manifest.csv, written atomically."""
    doc = {"generated_at": now.isoformat(), "template": NAME, "template_version": VERSION,
           "count": len(entries), "cases": entries}
    tmp = output_dir / (MANIFEST + ".part")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, output_dir / MANIFEST)
    columns = ["case_id", "file", "sha256", "head_seq", "head_hash", "verified", "definition",
               "definition_version", "bytes", "rendered_at"]
    tmp = output_dir / (MANIFEST_CSV + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        for e in entries:
            w.writerow(e)
    os.replace(tmp, output_dir / MANIFEST_CSV)
