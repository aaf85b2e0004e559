"""The bench runner: every bench module, one results table.

    .venv/bin/python -m bench.run [--quick] [--only engine_bench,spiff_bench] [--out DIR]

Runs each module of ``MODULES`` that exists (a module not written yet is listed as
pending), in order, each as ``run(quick) -> list[Figure]``; a module without
``run`` but with an adapter here (``ADAPTERS``) runs through it. A module that fails
is reported with its error and the others still run; the exit status is then 1.

Writes ``bench/results.json`` (the machine, the modules, one record per figure:
name, value, unit, baseline, ratio, target, met, note) and ``bench/results.md``
(the table, notes, how to reproduce, the machine). With ``--only`` the other
modules' figures are kept from the previous results.json. If README.md holds the
markers ``<!-- bench:start -->`` and ``<!-- bench:end -->``, the table between them
is replaced too.

A new module plugs in by name: add the name to ``MODULES`` and give the module
``run(quick: bool) -> list[Figure]``. A ``run`` without a
``quick`` parameter runs through its adapter, or with its defaults.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import inspect
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from .common import ROOT
from .common import Figure
from .common import temp_dir

MODULES = (
    "engine_bench",     # item 1: engine vs raw sqlite3 limit, SQLAlchemy floor, fire profile, memory
    "spiff_bench",      # item 1: engine vs SpiffWorkflow 3.x
    "scale_bench",      # item 3: 100,000 cases / 1,000,000 events: lists, inbox, case page, verify
    "bench_api_list",   # GET /api/v1/cases over 100,000 cases
    "bench_documents",  # item 4: forms, 200-event history, export, against an empty A4
    "bench_access",     # need-to-know: 查阅登记 on a case page, the watermark on a form download
    "http_bench",       # item 2: gunicorn -w 2 on SQLite and PostgreSQL, events vs GET /api/v1/me
    "memory_bench",     # item 5: a worker's RSS over 10,000 mixed requests
    "bench_exchange",   # the cadre record: LRMX/Excel codecs, import into the DB, export, the person page
    "bench_archival",   # archival PDFs: PDF/A vs plain, the PAdES signature, verify-pdf
    "bench_history_parts",  # long histories in parts: 2,000 and 5,000 events against the 200-event history
    "bench_reminders",  # 消息提醒: run_reminders over 100,000 open cases
    "bench_dashboard",  # 统计分析: Engine.stats over 100,000 cases against 1,000
)
# The proofs under faults (crash, race, backup, bad input) are tests: tests/faults/.
BENCH = Path(__file__).resolve().parent
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


@dataclass
class ModuleResult:
    name: str
    status: str  # ok, failed, pending
    seconds: float = 0.0
    error: str = ""
    generated_at: str = ""
    figures: list[Figure] = field(default_factory=list)


def api_list_adapter(module: ModuleType, quick: bool) -> list[Figure]:
    """bench_api_list.measure (the API team's script) as figures; its temporary database is removed."""
    folder = temp_dir("cadreflow-bench-api-")
    saved = tempfile.tempdir
    tempfile.tempdir = str(folder)
    try:
        cases = 10_000 if quick else 100_000
        out = module.measure(cases=cases, runs=10 if quick else 30)
    finally:
        tempfile.tempdir = saved
        shutil.rmtree(folder, ignore_errors=True)
    results = out["results"]
    worst = max(results, key=lambda r: r["median_ms"])
    limit = float(out["limit_ms"])
    default = out["default_page_median_ms"]
    return [
        Figure(f"GET /api/v1/cases page 1 (officer), {cases:,} cases", default, "ms", target=f"< {limit:.0f} ms",
               met=default < limit, note=f"in-process Flask test client, median of {out['runs']} requests; "
               "no same-run baseline yet (bench_api_list.py has no run(quick))"),
        Figure(f"GET /api/v1/cases slowest of {len(results)} queries, {cases:,} cases", worst["median_ms"], "ms",
               target=f"< {limit:.0f} ms", met=bool(out["within_limit"]),
               note=f"{worst['caller']} {worst['path']} (p95 {worst['p95_ms']} ms)"),
    ]


def documents_adapter(module: ModuleType, quick: bool) -> list[Figure]:
    """bench_documents.run(runs, export_cases, jobs) with smaller sizes in quick mode."""
    figures: list[Figure] = module.run(runs=3 if quick else 5, export_cases=10 if quick else 40, jobs=2)
    return figures


ADAPTERS: dict[str, Callable[[ModuleType, bool], list[Figure]]] = {
    "bench_api_list": api_list_adapter, "bench_documents": documents_adapter}


def call_module(name: str, module: ModuleType, quick: bool) -> list[Figure]:
    run = getattr(module, "run", None)
    if run is not None and "quick" in inspect.signature(run).parameters:
        return list(run(quick=quick))
    if name in ADAPTERS:
        return ADAPTERS[name](module, quick)
    if run is not None and all(p.default is not p.empty for p in inspect.signature(run).parameters.values()):
        return list(run())
    raise TypeError(f"bench.{name} has no run(quick) -> list[Figure] and no adapter in bench.run")


def run_module(name: str, quick: bool) -> ModuleResult:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    if importlib.util.find_spec(f"bench.{name}") is None:
        return ModuleResult(name, "pending", generated_at=now)
    started = time.perf_counter()
    try:
        figures = call_module(name, importlib.import_module(f"bench.{name}"), quick)
    except Exception:  # noqa: BLE001 - one failing module must not stop the others
        error = traceback.format_exc(limit=6)
        print(error, file=sys.stderr)
        return ModuleResult(name, "failed", time.perf_counter() - started, error.strip().splitlines()[-1],
                            now)
    for fig in figures:
        fig.module = name
    return ModuleResult(name, "ok", time.perf_counter() - started, generated_at=now, figures=list(figures))


# --- machine facts ---------------------------------------------------------------------------------


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def disk_facts(folder: Path) -> dict[str, Any]:
    """Filesystem, device and (if known) whether it is rotational, for the folder the benches write to."""
    best = ("", "", "")
    for line in _read("/proc/mounts").splitlines():
        device, mount, fstype = (line.split() + ["", "", ""])[:3]
        if str(folder).startswith(mount) and len(mount) >= len(best[1]):
            best = (device, mount, fstype)
    device, mount, fstype = best
    name = Path(device).name.rstrip("0123456789") if device.startswith("/dev/") else ""
    rotational = _read(f"/sys/block/{name}/queue/rotational").strip() if name else ""
    usage = shutil.disk_usage(folder)
    return {"folder": str(folder), "device": device, "mount": mount, "filesystem": fstype,
            "rotational": {"0": False, "1": True}.get(rotational), "size_gb": round(usage.total / 1e9),
            "free_gb": round(usage.free / 1e9)}


def machine_facts() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((line.split()[1] for line in _read("/proc/meminfo").splitlines() if line.startswith("MemTotal")), "0")
    versions: dict[str, str | None] = {}
    for package in ("SQLAlchemy", "transitions", "SpiffWorkflow", "Flask", "WeasyPrint"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:  # noqa: BLE001 - a missing package is reported as missing
            versions[package] = None
    return {
        "cpu_count": os.cpu_count(), "cpu": cpu, "memory_gb": round(int(mem) / 1048576, 1),
        "kernel": f"{platform.system()} {platform.release()}", "os": _os_name(),
        "python": platform.python_version(), "sqlite": sqlite3.sqlite_version, "packages": versions,
        "disk": disk_facts(Path(os.environ.get("CADREFLOW_BENCH_DIR", tempfile.gettempdir()))),
        "load_average": [round(x, 2) for x in os.getloadavg()], "git": _git(),
    }


def _os_name() -> str:
    for line in _read("/etc/os-release").splitlines():
        if line.startswith("PRETTY_NAME="):
            return line.split("=", 1)[1].strip('"')
    return platform.platform()


def _git() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True,
                               check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}{' with uncommitted changes' if dirty else ''}"


# --- results ---------------------------------------------------------------------------------------


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.2f}"


def _ratio(fig: dict[str, Any]) -> str:
    ratio = fig.get("ratio")
    return "—" if ratio is None else (f"{ratio:.2f}×" if ratio >= 0.995 else f"{ratio:.0%}")


def table(figures: list[dict[str, Any]]) -> list[str]:
    lines = ["| figure | value | baseline | ratio | target | met |", "| --- | --: | --- | --: | --- | :-: |"]
    for i, fig in enumerate(figures, start=1):
        base = "—" if fig["baseline"] is None else f"{_num(fig['baseline'])} {fig['unit']} ({fig['baseline_name']})"
        met = {True: "yes", False: "**no**", None: "—"}[fig["met"]]
        note = f" [{i}]" if fig.get("note") else ""
        lines.append(f"| {fig['name']}{note} | {_num(fig['value'])} {fig['unit']} | {base} | {_ratio(fig)} "
                     f"| {fig['target'] or '—'} | {met} |")
    return lines


def markdown(doc: dict[str, Any]) -> str:
    figures, machine = doc["figures"], doc["machine"]
    disk = machine["disk"]
    out = ["# Benchmark results", "",
           f"Generated {doc['generated_at']} by `{doc['command']}`{' (quick mode)' if doc['quick'] else ''} on "
           f"{machine['cpu_count']} CPUs, git {machine['git']}.", "",
           "Every ratio is measured in the same run against a baseline on the same machine; throughput "
           "figures alternate the contenders in rounds and report the median of the per-round ratios "
           "(see bench/common.py). Absolute times on a shared machine swing; the ratios are what count.", "",
           README_START, *table(figures), README_END, ""]
    notes = [(i, f["note"]) for i, f in enumerate(figures, start=1) if f.get("note")]
    if notes:
        out += ["## Notes", ""] + [f"{i}. {note}" for i, note in notes] + [""]
    out += ["## Modules", "", "| module | status | seconds | |", "| --- | --- | --: | --- |"]
    for m in doc["modules"]:
        out.append(f"| {m['name']} | {m['status']} | {m['seconds']:.0f} | {m['error'] or m['generated_at']} |")
    out += ["", "## How to reproduce", "",
            "```sh",
            "make bench                                   # install the bench extra, then python -m bench.run",
            ".venv/bin/python -m bench.run                # every module; writes bench/results.md and .json",
            ".venv/bin/python -m bench.run --quick        # smaller sizes (scale: 10,000 cases), for CI",
            ".venv/bin/python -m bench.run --only engine_bench,spiff_bench   # some modules, others kept",
            ".venv/bin/python -m bench.engine_bench [--quick]   # one module, figures as JSON lines",
            ".venv/bin/python -m bench.spiff_bench [--quick]",
            ".venv/bin/python -m bench.scale_bench [--quick] [--keep]",
            ".venv/bin/python -m bench.scale_data /tmp/cases.db 100000     # just the scale data set",
            "```", "",
            "Temporary databases go to `$CADREFLOW_BENCH_DIR` (default: the system temporary folder), which "
            "decides the disk measured. A virtual disk's rotational flag says little about it; the raw "
            "sqlite3 baselines measure it.", "",
            "## Machine", "",
            f"- CPU: {machine['cpu']} × {machine['cpu_count']}; memory {machine['memory_gb']} GB",
            f"- OS: {machine['os']}, kernel {machine['kernel']}",
            f"- Python {machine['python']}, SQLite {machine['sqlite']}, "
            + ", ".join(f"{k} {v}" for k, v in machine["packages"].items() if v),
            f"- Disk: {disk['folder']} on {disk['device']} ({disk['filesystem']}, "
            f"kernel rotational flag {disk['rotational']}, "
            f"{disk['size_gb']} GB, {disk['free_gb']} GB free)",
            f"- Load average at start {machine['load_average']}, at end {doc['load_average_end']}", ""]
    return "\n".join(out)


def merge_previous(path: Path, results: list[ModuleResult]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Figures and module records of the previous results.json for the modules not run now."""
    ran = {r.name for r in results}
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [], []
    figures = [f for f in old.get("figures", []) if f.get("module") not in ran]
    modules = [m for m in old.get("modules", []) if m["name"] not in ran]
    return figures, modules


def write(results: list[ModuleResult], out_dir: Path, quick: bool, command: str, machine: dict[str, Any],
          merge: bool) -> dict[str, Any]:
    figures = [f.as_dict() for r in results for f in r.figures]
    modules = [{"name": r.name, "status": r.status, "seconds": round(r.seconds, 1), "error": r.error,
                "generated_at": r.generated_at} for r in results]
    if merge:
        old_figures, old_modules = merge_previous(out_dir / "results.json", results)
        order = {name: i for i, name in enumerate(MODULES)}
        figures = sorted(figures + old_figures, key=lambda f: order.get(f.get("module", ""), len(order)))
        modules = sorted(modules + old_modules, key=lambda m: order.get(str(m["name"]), len(order)))
    doc = {"generated_at": datetime.now(UTC).isoformat(timespec="seconds"), "command": command, "quick": quick,
           "machine": machine, "load_average_end": [round(x, 2) for x in os.getloadavg()], "modules": modules,
           "figures": figures}
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out_dir / "results.md").write_text(markdown(doc), encoding="utf-8")
    return doc


def update_readme(doc: dict[str, Any], readme: Path = ROOT / "README.md") -> bool:
    """Replace the table between the bench markers of README.md, if it has them."""
    try:
        text = readme.read_text(encoding="utf-8")
    except OSError:
        return False
    if README_START not in text or README_END not in text:
        return False
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    readme.write_text("\n".join([head + README_START, *table(doc["figures"]), README_END]) + tail,
                      encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the cadreflow benchmarks and write bench/results.*")
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer rounds (CI)")
    parser.add_argument("--only", default="", help="comma-separated module names (others kept from the last run)")
    parser.add_argument("--out", type=Path, default=BENCH, help="folder for results.json and results.md")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",") if n.strip()] or list(MODULES)
    unknown = [n for n in names if n not in MODULES]
    if unknown:
        parser.error(f"unknown module(s): {', '.join(unknown)}; known: {', '.join(MODULES)}")
    command = " ".join(["python -m bench.run", *(argv if argv is not None else sys.argv[1:])])
    machine = machine_facts()
    results = []
    for name in names:
        print(f"== {name}", file=sys.stderr, flush=True)
        result = run_module(name, args.quick)
        print(f"   {result.status} in {result.seconds:.0f} s, {len(result.figures)} figures", file=sys.stderr)
        results.append(result)
    doc = write(results, args.out, args.quick, command, machine, merge=bool(args.only))
    if args.out.resolve() == BENCH and update_readme(doc):
        print("README.md table updated", file=sys.stderr)
    print("\n".join(table(doc["figures"])))
    return 1 if any(r.status == "failed" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
