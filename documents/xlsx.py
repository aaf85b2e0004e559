"""Lists and tables handed out as Excel workbooks (openpyxl), each registered like every export.

``workbook`` registers the export in 查阅登记 first (``handout.watermark_for``) and writes the sheets;
the first sheet opens with what was asked and a line naming its reader and the register's number,
as a PDF's watermark does. ``cases_workbook`` is a case list (案件、待办、已办…) as its page shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from workflow import Actor
from workflow import CaseSnapshot
from workflow import Engine
from workflow.clock import SHANGHAI

from .handout import watermark_for

BOLD = Font(bold=True)
Sheet = tuple[str, list[str], list[Sequence[Any]]]  # (title, header, rows)
CASE_HEADER = ["编号", "标题", "流程", "当前环节", "办结", "办理期限", "逾期", "当前办理人", "发起时间", "最近办理"]


def workbook(engine: Engine, actor: Actor, title: str, summary: str, sheets: Sequence[Sheet],
             address: str = "") -> bytes:
    """The sheets as a workbook for ``actor``, registered in 查阅登记 as the export ``title``（``summary``）."""
    mark = watermark_for(engine, actor, "export", "export", None, f"{title}（Excel）{summary}", address)
    book = Workbook()
    book.remove(book.active)
    for i, (name, header, rows) in enumerate(sheets):
        sheet = book.create_sheet(name)
        if i == 0:
            sheet.append([f"{title}：{summary}"])
            sheet.append([" ".join(mark.lines)])
            sheet.append([])
        sheet.append(header)
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
        for row in rows:
            sheet.append(list(row))
        for col in range(1, len(header) + 1):
            sheet.column_dimensions[get_column_letter(col)].width = 40 if header[col - 1] == "标题" else 18
        sheet.auto_filter.ref = f"A{sheet.max_row - len(rows)}:{get_column_letter(len(header))}{sheet.max_row}"
    book.properties.title = title
    book.properties.creator = mark.username
    book.properties.description = mark.lines[1]
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _bj(value: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return value.astimezone(SHANGHAI).strftime(fmt) if value is not None else ""


def case_rows(cases: Sequence[CaseSnapshot]) -> list[Sequence[Any]]:
    """A case list's rows, in ``CASE_HEADER``'s columns."""
    return [(c.id, c.title, c.definition_title, c.state_label, "是" if c.final else "否", _bj(c.due_at, "%Y-%m-%d"),
             "是" if c.overdue else "", "、".join(c.holder_names), _bj(c.created_at), _bj(c.updated_at))
            for c in cases]


def cases_workbook(engine: Engine, actor: Actor, title: str, cases: Sequence[CaseSnapshot], summary: str,
                   address: str = "") -> bytes:
    return workbook(engine, actor, title, summary, [(title, CASE_HEADER, case_rows(cases))], address)
