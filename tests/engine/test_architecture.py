"""The structure holds: import contracts, no import cycles, no role names in code, one write path."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import grimp
import pytest
import yaml

from ..conftest import ROOT

PACKAGES = ("workflow", "web", "documents")
LINT = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"]


def test_the_import_contracts_hold() -> None:
    """pyproject.toml [tool.importlinter]: layers, forbidden imports, the protected facade, acyclic siblings."""
    run = subprocess.run(LINT, cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout and "9 kept" in run.stdout


def test_the_contracts_catch_a_violation(tmp_path: Path) -> None:
    """The same tool fails on a tree that breaks a contract (the check itself can fail)."""
    pkg = tmp_path / "demo_pkg"
    (pkg / "persistence").mkdir(parents=True)
    (pkg / "queries").mkdir()
    for init in (pkg, pkg / "persistence", pkg / "queries"):
        (init / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "persistence" / "rows.py").write_text("from demo_pkg.queries import lists\n", encoding="utf-8")
    (pkg / "queries" / "lists.py").write_text("from demo_pkg.persistence import rows\n", encoding="utf-8")
    (tmp_path / ".importlinter").write_text(
        "[importlinter]\nroot_package = demo_pkg\n\n[importlinter:contract:1]\nname = p\ntype = forbidden\n"
        "source_modules = demo_pkg.persistence\nforbidden_modules = demo_pkg.queries\n\n"
        "[importlinter:contract:2]\nname = c\ntype = acyclic_siblings\nancestors = demo_pkg\n", encoding="utf-8")
    run = subprocess.run(LINT, cwd=tmp_path, capture_output=True, text=True, check=False,
                         env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 1 and "2 broken" in run.stdout, run.stdout + run.stderr


def _cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root) & modules)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        component.append(top)
                        if top == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child) & modules))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def test_no_module_import_cycles() -> None:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    modules = {m for m in graph.modules if m.split(".")[0] in PACKAGES}
    assert _cycles(graph, modules) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for a, b in (("x.a", "x.b"), ("x.b", "x.c"), ("x.c", "x.a"), ("x.c", "x.d")):
        graph.add_import(importer=a, imported=b)
    assert _cycles(graph, {"x.a", "x.b", "x.c", "x.d"}) == [["x.a", "x.b", "x.c"]]


# --- no role names outside the policy and the YAML ---------------------------------------------------

def role_names() -> set[str]:
    data = yaml.safe_load((ROOT / "definitions" / "roles.yaml").read_text(encoding="utf-8"))
    return {r["name"] for r in data["roles"]}


def _fields_named_like_roles() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "definitions").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "transitions" not in data:
            continue
        fields = list((data.get("start") or {}).get("fields") or [])
        for t in data["transitions"]:
            fields += t.get("fields") or []
        found |= {f["name"] for f in fields if isinstance(f, dict)} & role_names()
    return found


def role_literals(path: Path, roles: set[str], allowed: set[str], base: Path = ROOT) -> list[str]:
    """``path:line 'role'`` for each string literal equal to a role name (Python or Jinja)."""
    text = path.read_text(encoding="utf-8")
    hits = []
    if path.suffix == ".py":
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in roles - allowed:
                hits.append(f"{path.relative_to(base)}:{node.lineno} {node.value!r}")
    else:
        for lineno, line in enumerate(text.splitlines(), 1):
            for word in re.findall(r"""['"]([a-z]+)['"]""", line):
                if word in roles - allowed:
                    hits.append(f"{path.relative_to(base)}:{lineno} {word!r}")
    return hits


def test_no_role_name_is_written_in_code_outside_the_policy() -> None:
    """Who may do what is said in definitions/roles.yaml and read by workflow/policy, nowhere else.

    A definition field may carry the name of a role (``recommender``: the user who recommends); such
    names are the fields', not roles, and stay allowed.
    """
    roles = role_names()
    allowed = _fields_named_like_roles()
    files = [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*") if p.suffix in (".py", ".html")
             and "policy" not in p.relative_to(ROOT).parts[:2]]
    hits = [h for p in sorted(files) for h in role_literals(p, roles, allowed)]
    assert hits == []


def test_the_role_literal_check_finds_one(tmp_path: Path) -> None:
    (tmp_path / "probe.py").write_text('READERS = ("auditor", "admin")\n', encoding="utf-8")
    (tmp_path / "probe.html").write_text("{% if 'officer' in roles %}x{% endif %}\n", encoding="utf-8")
    roles = role_names()
    assert role_literals(tmp_path / "probe.py", roles, set(), tmp_path) == [
        "probe.py:1 'auditor'", "probe.py:1 'admin'"]
    assert role_literals(tmp_path / "probe.html", roles, set(), tmp_path) == ["probe.html:1 'officer'"]


# --- one write path for cases and history events -------------------------------------------------------

WRITES = re.compile(r"(insert|update|delete)\((cases_t|events_t)\b|(INSERT INTO|UPDATE|DELETE FROM) "
                    r"(cases|case_events)\b")


@pytest.mark.parametrize("package", PACKAGES)
def test_cases_and_events_are_written_only_by_persistence_rows(package: str) -> None:
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "workflow/persistence/rows.py":
            continue
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if WRITES.search(line):
                offenders.append(f"{rel}:{lineno}")
    assert offenders == []
    assert WRITES.search("conn.execute(update(cases_t).values(x=1))")  # the pattern itself matches a write
