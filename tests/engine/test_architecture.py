"""Dependencies point one way: workflow/ imports no Flask, web, documents or WeasyPrint."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ..conftest import ROOT

FORBIDDEN = {
    "workflow": {"flask", "flask_login", "flask_wtf", "wtforms", "werkzeug", "web", "documents", "weasyprint"},
    "documents": {"flask", "flask_login", "flask_wtf", "wtforms", "werkzeug", "web"},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_nothing_forbidden(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"{package}/ has no modules"
    offenders = {str(f.relative_to(ROOT)): sorted(imported_modules(f) & FORBIDDEN[package]) for f in files}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_check_itself_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import flask\nfrom weasyprint import HTML\n", encoding="utf-8")
    assert imported_modules(bad) & FORBIDDEN["workflow"] == {"flask", "weasyprint"}
