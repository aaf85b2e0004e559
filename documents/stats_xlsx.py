"""统计分析 as an Excel workbook: the dashboard's tables, one sheet each.

Handed out like every export (``xlsx.workbook``): registered in 查阅登记 first, and the first sheet
names its reader and the register's number, as a PDF's watermark does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workflow import Actor
from workflow import Engine
from workflow.queries.stats import Stats

from .xlsx import workbook

TITLE = "统计分析"


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
    return workbook(engine, actor, TITLE, f"案件总数{stats.total}，逾期{stats.overdue}。{filters}", sheets(stats),
                    address)
