"""The page side of a ``table`` field: a WTForms FieldList of rows, each a small form of the columns' inputs.

Inputs are named ``<event>-<field>-<row>-<column>``; blank rows are ignored, so the engine's cell errors
(``<field>-<row>-<column>``, rows counted among those sent) are put back beside the non-blank row they name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field
from wtforms import FieldList
from wtforms import Form
from wtforms import FormField

from workflow.definition.schema import FieldDef

TABLE_BLANK_ROWS = 3  # blank rows below a table field's typed ones (web/static/js/forms.js adds more)


def table_field(f: FieldDef, cells: Sequence[Any], kw: dict[str, Any]) -> Any:
    """The unbound FieldList of table field ``f``: one row form of ``cells`` (its columns' unbound inputs)."""
    for cell in cells:  # no live character counter inside a cell (its length rule is checked on submit)
        cell.kwargs.get("render_kw", {}).pop("data-count", None)
    row = type(f"{f.name}_row", (Form,), {c.name: cell for c, cell in zip(f.columns, cells, strict=True)})
    return FieldList(FormField(row), min_entries=TABLE_BLANK_ROWS, label=kw["label"],
                     description=kw["description"], render_kw=kw["render_kw"])


def pad_tables(form: FlaskForm, fields: Sequence[FieldDef]) -> FlaskForm:
    """Every table of ``form`` ends with TABLE_BLANK_ROWS blank rows after what was typed (no JavaScript needed)."""
    for f in fields:
        if f.type == "table":
            rows = form[f.name]
            for _ in range(TABLE_BLANK_ROWS - sum(1 for e in rows.entries if _blank(e))):
                rows.append_entry()
    return form


def _blank(entry: Any) -> bool:
    return all(v in (None, "", False) or (isinstance(v, str) and not v.strip()) for v in entry.data.values())


def filled_rows(rows: FieldList) -> list[Any]:
    """The entries of a table's FieldList that hold anything (blank rows are ignored), in order."""
    return [e for e in rows.entries if not _blank(e)]


def table_value(rows: FieldList, f: FieldDef) -> list[dict[str, Any]]:
    """The typed rows of a table field as the engine takes them: a dict per non-blank row, cells as text."""
    out = []
    for entry in filled_rows(rows):
        out.append({c.name: bool(entry[c.name].data) if c.type == "boolean" else str(entry[c.name].data or "").strip()
                    for c in f.columns})
    return out


def cell_input(form: FlaskForm, key: str) -> Field | None:
    """The input of the cell an error key ``<table>-<row>-<column>`` names (row counted among the non-blank
    rows, as sent); None for any other key, or a cell the form has not."""
    table, _, cell = key.partition("-")
    index, _, column = cell.partition("-")
    if table not in form or not isinstance(form[table], FieldList) or not (index.isascii() and index.isdigit()):
        return None
    rows = filled_rows(form[table])
    if int(index) >= len(rows) or column not in rows[int(index)].form:
        return None
    found: Field = rows[int(index)][column]
    return found


def table_summary(form: FlaskForm, key: str, errors: Any) -> bool:
    """Whether ``key`` is a table's summary message whose cells carry it (shown beside them, not again)."""
    return isinstance(form[key], FieldList) and any(k.startswith(key + "-") for k in errors)
