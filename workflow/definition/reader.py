"""Reading YAML nodes that keep their lines into checked values, collecting every problem.

``Reader`` is the base of the definition loader (and of any loader of field
lists): each method returns what it could read and records a ``(line, message)``
problem for what it could not, never stopping at the first.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from .. import codes
from .schema import COLUMN_TYPES
from .schema import FIELD_TYPES
from .schema import Choice
from .schema import FieldDef
from .yaml_source import LineDict
from .yaml_source import LineList

Problem = tuple[int, str]
IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
FIELD_KEYS = ("name", "label", "type", "required", "help", "choices", "min", "max", "min_length",
              "max_length", "role", "multiple", "min_items", "max_items", "not_future", "required_if",
              "choices_from", "columns")
# A column of a ``table`` field: a scalar field without lists, conditions or columns of its own.
COLUMN_KEYS = ("name", "label", "type", "required", "help", "choices", "min", "max", "min_length", "max_length",
               "role", "not_future")


def did_you_mean(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"，是否指 '{close[0]}'？" if close else ""


class Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, line: int, message: str) -> None:
        self.problems.append((line, message))

    def keys(self, node: LineDict, allowed: tuple[str, ...], where: str) -> None:
        for key in node:
            if key not in allowed:
                self.add(node.line_of(key), f"{where}中有未知的键 '{key}'{did_you_mean(key, allowed)}")

    def mapping(self, value: Any, line: int, where: str) -> LineDict | None:
        if isinstance(value, LineDict):
            return value
        self.add(line, f"{where}应为映射（键: 值）")
        return None

    def seq(self, value: Any, line: int, where: str) -> LineList:
        if value is None:
            empty = LineList()
            empty.line, empty.item_lines = line, []
            return empty
        if isinstance(value, LineList):
            return value
        if isinstance(value, str):
            single = LineList([value])
            single.line, single.item_lines = line, [line]
            return single
        self.add(line, f"{where}应为列表")
        empty = LineList()
        empty.line, empty.item_lines = line, []
        return empty

    def text(self, node: LineDict, key: str, where: str, required: bool = True) -> str:
        value = node.get(key)
        if value is None:
            if required:
                self.add(node.line, f"{where}缺少 '{key}'")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.add(node.line_of(key), f"{where}的 '{key}' 应为非空文本")
            return ""
        return value.strip()

    def ident(self, node: LineDict, key: str, where: str) -> str:
        value = self.text(node, key, where)
        if value and not IDENT.match(value):
            self.add(node.line_of(key), f"{where}的 '{key}' 应为小写英文标识（a-z、0-9、_）：'{value}'")
        return value

    def flag(self, node: LineDict, key: str, where: str) -> bool:
        value = node.get(key, False)
        if not isinstance(value, bool):
            self.add(node.line_of(key), f"{where}的 '{key}' 应为 true 或 false")
            return False
        return value

    def number(self, node: LineDict, key: str, where: str) -> float | None:
        value = node.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(node.line_of(key), f"{where}的 '{key}' 应为数字")
            return None
        return value

    def int_value(self, node: LineDict, key: str, where: str, minimum: int = 0) -> int | None:
        value = node.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.add(node.line_of(key), f"{where}的 '{key}' 应为不小于{minimum}的整数")
            return None
        return value

    # --- parts -------------------------------------------------------------------------------

    # --- fields ------------------------------------------------------------------------------

    def field(self, raw: Any, line: int, where: str, table: str = "") -> FieldDef | None:
        """One field; a column of the table field ``table`` when that is given."""
        node = self.mapping(raw, line, where)
        if node is None:
            return None
        self.keys(node, COLUMN_KEYS if table else FIELD_KEYS, where)
        name = self.ident(node, "name", where)
        where = (f"表格字段 '{table}' 的列 '{name}'" if table else f"字段 '{name}'") if name else where
        label = self.text(node, "label", where)
        ftype = self.text(node, "type", where)
        if ftype and ftype not in FIELD_TYPES:
            self.add(node.line_of("type"), f"{where}的类型 '{ftype}' 未知{did_you_mean(ftype, FIELD_TYPES)}")
        elif table and ftype and ftype not in COLUMN_TYPES:
            self.add(node.line_of("type"),
                     f"{where}的类型 '{ftype}' 不能用作表格的列（可用：{'、'.join(COLUMN_TYPES)}）")
        choices: list[Choice] = []
        raw_choices = node.get("choices")
        if "choices_from" in node:
            choices, raw_choices = self.coded_choices(node, ftype, where), None
        elif ftype in ("choice", "multichoice"):
            items = self.seq(raw_choices, node.line_of("choices"), f"{where}的 choices")
            if not items:
                self.add(node.line_of("choices") if raw_choices is not None else node.line,
                         f"{where}为选择类型，须列出 choices")
            for i, item in enumerate(items):
                if isinstance(item, str):
                    choices.append(Choice(item, item))
                elif isinstance(item, LineDict) and isinstance(item.get("value"), str):
                    choices.append(Choice(item["value"], str(item.get("label") or item["value"])))
                else:
                    self.add(items.line_at(i), f"{where}的选项应为文本或 {{value, label}}")
            values = [c.value for c in choices]
            for v in {v for v in values if values.count(v) > 1}:
                self.add(node.line_of("choices"), f"{where}的选项 '{v}' 重复")
        elif raw_choices is not None:
            self.add(node.line_of("choices"), f"{where}不是选择类型，不能有 choices")
        role = node.get("role")
        if role is not None and ftype != "user":
            self.add(node.line_of("role"), f"{where}只有 user 类型才能限定 role")
        required_if = None
        if "required_if" in node:
            cond = self.mapping(node["required_if"], node.line_of("required_if"), f"{where}的 required_if")
            if cond is not None:
                values_raw = cond.get("in")
                if not isinstance(cond.get("field"), str) or not isinstance(values_raw, list):
                    self.add(cond.line, f"{where}的 required_if 应为 {{field: 字段名, in: [取值...]}}")
                else:
                    required_if = (cond["field"], tuple(values_raw))
        lo, hi = self.number(node, "min", where), self.number(node, "max", where)
        if lo is not None and hi is not None and lo > hi:
            self.add(node.line_of("min"), f"{where}的 min 大于 max")
        min_items = self.int_value(node, "min_items", where)
        max_items = self.int_value(node, "max_items", where, 1)
        columns = self.columns(node, name, where) if ftype == "table" and not table else ()
        if ftype != "table" and "columns" in node:
            self.add(node.line_of("columns"), f"{where}不是表格类型（table），不能有 columns")
        if ftype != "table" and "max_items" in node:
            self.add(node.line_of("max_items"), f"{where}只有表格类型（table）才能设置 max_items")
        if min_items is not None and max_items is not None and min_items > max_items:
            self.add(node.line_of("min_items"), f"{where}的 min_items 大于 max_items")
        return FieldDef(
            name=name, label=label, type=ftype, required=self.flag(node, "required", where),
            help=str(node.get("help") or ""), choices=tuple(choices), min=lo, max=hi,
            min_length=self.int_value(node, "min_length", where),
            max_length=self.int_value(node, "max_length", where, 1),
            role=str(role) if role is not None else None, multiple=self.flag(node, "multiple", where),
            min_items=min_items, max_items=max_items, columns=columns,
            not_future=self.flag(node, "not_future", where), required_if=required_if, line=node.line,
        )

    def coded_choices(self, node: LineDict, ftype: str, where: str) -> list[Choice]:
        """``choices_from: <code set>``: the set's codes as values, its labels as labels (workflow/codes)."""
        line, name = node.line_of("choices_from"), node.get("choices_from")
        if ftype not in ("choice", "multichoice"):
            self.add(line, f"{where}不是选择类型，不能有 choices_from")
        elif "choices" in node:
            self.add(line, f"{where}不能同时有 choices 和 choices_from")
        elif name not in codes.names():
            self.add(line, f"{where}的 choices_from 应为代码集之一（{'、'.join(codes.names())}）"
                           f"{did_you_mean(str(name), codes.names())}")
        else:
            return [Choice(item.code, item.label) for item in codes.code_set(name)]
        return []

    def columns(self, node: LineDict, name: str, where: str) -> tuple[FieldDef, ...]:
        """The columns of the table field ``name``: at least one, each a scalar field, names unique."""
        items = self.seq(node.get("columns"), node.line_of("columns"), f"{where}的 columns")
        if not items:
            self.add(node.line_of("columns") if "columns" in node else node.line,
                     f"{where}为表格类型（table），须列出 columns（各列的 name、label、type）")
        out: list[FieldDef] = []
        for i, raw in enumerate(items):
            column = self.field(raw, items.line_at(i), f"{where}的第{i + 1}列", table=name or "?")
            if column is None:
                continue
            if any(c.name == column.name for c in out):
                self.add(column.line, f"{where}中列名 '{column.name}' 重复")
            out.append(column)
        return tuple(out)

    def fields(self, node: LineDict, where: str) -> tuple[FieldDef, ...]:
        out = []
        items = self.seq(node.get("fields"), node.line_of("fields"), f"{where}的 fields")
        seen: set[str] = set()
        for i, raw in enumerate(items):
            f = self.field(raw, items.line_at(i), f"{where}的第{i + 1}个字段")
            if f is None:
                continue
            if f.name in seen:
                self.add(f.line, f"{where}中字段名 '{f.name}' 重复")
            seen.add(f.name)
            out.append(f)
        return tuple(out)
