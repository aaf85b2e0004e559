"""Reading a stored ``table`` field value (a list of rows, each a dict of column name -> normalised cell).

Guards and actions read a table through these (``table_rows(ctx.value("candidates"))``) rather than
indexing the JSON themselves: a case without the field, or a value from before a column was added,
reads as no rows or None cells. ``cell_key`` names one cell in validation errors and page inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def cell_key(field: str, index: int, column: str) -> str:
    """The error key of one cell, ``candidates-0-votes`` (row ``index`` from 0), as the page names its input."""
    return f"{field}-{index}-{column}"


def table_rows(value: Any) -> list[dict[str, Any]]:
    """A stored table value as its rows, each a copy; [] when unset or not a table."""
    return [dict(r) for r in value if isinstance(r, Mapping)] if isinstance(value, list) else []


def table_column(value: Any, column: str) -> list[Any]:
    """One column of a stored table value, row by row (None where a row has no such cell)."""
    return [r.get(column) for r in table_rows(value)]
