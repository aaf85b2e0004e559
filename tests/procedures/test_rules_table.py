"""The rules table in tests/procedures/README.md names only tests that exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent


def test_every_test_named_in_the_rules_table_exists() -> None:
    table = (HERE / "README.md").read_text(encoding="utf-8")
    named = re.findall(r"`(test_\w+\.py)::(test_\w+)`", table)
    assert len(named) >= 43
    missing = []
    for module, name in named:
        tree = ast.parse((HERE / module).read_text(encoding="utf-8"))
        functions = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        if name not in functions:
            missing.append(f"{module}::{name}")
    assert missing == []


def test_every_rule_row_names_a_source_and_a_test() -> None:
    rows = [line for line in (HERE / "README.md").read_text(encoding="utf-8").splitlines()
            if re.match(r"^\| \d+ \|", line)]
    assert len(rows) >= 69
    assert [int(r.split('|')[1]) for r in rows] == list(range(1, len(rows) + 1))
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 5 and all(cells), row
        assert "::test_" in cells[4], row
