"""统计分析 as an Excel workbook: the dashboard's tables, one sheet each.

Handed out like every export: registered in 查阅登记 first (``handout.watermark_for``), and the
first sheet names its reader and the register's number, as a PDF's watermark does.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from workflow import Actor
from workflow import Engine
from workflow.queries.stats import Stats

from .handout import watermark_for

TITLE = "统计分析"
BOLD = Font(bold=True)


def sheets(stats: Stats) -> list[tuple[str, list[str], list[Sequence[Any]]]]:
    """(sheet title, header, rows) of each table the dashboard shows, in its order."""
    return [
        ("按流程和状态", ["流程", "状态", "案件数", "其中逾期"],
         [(s.definition_label, s.state_label, s.count, s.overdue) for s in stats.by_state]),
        ("按组织", ["管理单位", "案件数", "办理中", "逾期"],
         [(o.org_name, o.count, o.open, o.overdue) for o in stats.by_org]),
        ("各状态用时", ["流程", "状态", "已完成环节数", "平均工作日", "90%分位工作日"],
         [(d.definition_label, d.state_label, d.count, d.average, d.p90) for d in stats.durations]),
        ("按月趋势", ["月份", "新发起", "已办结"], [(m.month, m.opened, m.closed) for m in stats.by_month]),
    ]


def stats_workbook(engine: Engine, stats: Stats, actor: Actor, filters: str, address: str = "") -> bytes:
    """The workbook of ``stats`` for ``actor``, registered in 查阅登记 (``filters``: what was asked)."""
    mark = watermark_for(engine, actor, "export", "export", None, f"{TITLE}（Excel）{filters}", address)
    book = Workbook()
    book.remove(book.active)
    for i, (title, header, rows) in enumerate(sheets(stats)):
        sheet = book.create_sheet(title)
        if i == 0:
            sheet.append([f"{TITLE}：案件总数{stats.total}，逾期{stats.overdue}。{filters}"])
            sheet.append([" ".join(mark.lines)])
            sheet.append([])
        sheet.append(header)
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
        for row in rows:
            sheet.append(list(row))
        for col in range(1, len(header) + 1):
            sheet.column_dimensions[get_column_letter(col)].width = 18
    book.properties.title = TITLE
    book.properties.creator = mark.username
    book.properties.description = mark.lines[1]
    out = BytesIO()
    book.save(out)
    return out.getvalue()
