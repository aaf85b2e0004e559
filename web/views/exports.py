"""Excel exports of the case lists (issue 16): 案件 with its filters and each tab of 我的工作台.

A list is exported as its page shows it to the signed-in user (the same query, the same
need-to-know), every page of it up to ``LIMIT`` cases; the workbook is registered in 查阅登记
(documents/xlsx.py) and says how many cases matched and how many it holds.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from flask import Response

from workflow import CaseSnapshot

LIMIT = 5000  # cases in one workbook; a longer list is cut here and says so
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def every_page(fetch: Callable[[int, int], tuple[list[CaseSnapshot], int]], per_page: int = 200
               ) -> tuple[list[CaseSnapshot], int]:
    """(the cases of every page up to ``LIMIT``, how many matched): ``fetch(page, per_page)``."""
    out: list[CaseSnapshot] = []
    number, total = 1, 0
    while len(out) < LIMIT:
        items, total = fetch(number, per_page)
        out.extend(items)
        if not items or len(out) >= total:
            break
        number += 1
    return out[:LIMIT], total


def counted(total: int, exported: int) -> str:
    return f"共{total}件" + (f"，仅导出前{exported}件，请缩小筛选范围" if exported < total else "")


def xlsx_response(content: bytes, filename: str) -> Response:
    resp = Response(content, mimetype=XLSX)
    resp.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
