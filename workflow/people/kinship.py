"""亲属关系: which items of a person's 家庭主要成员及重要社会关系 are relatives that 回避 concerns.

The table is data (``kinship.yaml`` next to this module, with its sources): each 称谓 as a form
writes it maps to one of 夫妻、直系血亲、三代以内旁系血亲、近姻亲. A 称谓 it does not list maps to
nothing: that relative recuses nobody and gives no 任职回避 hint, and ``family_warnings`` reports
it on the person (page and API), so an officer can write the 称谓 the table knows.

* ``kinship_category(relation)``: the category of a 称谓, or None;
* ``related_users(family)``: the users (family items' ``username``) to recuse on the person's cases;
* ``posting_warnings(family, unit)``: the 任职回避 hints for a post in ``unit``;
* ``check_family_users(conn, family)``: every ``username`` given names an active user.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy.engine import Connection

from ..errors import ValidationFailed
from ..persistence.cases import user_roles

CATEGORIES = ("夫妻", "直系血亲", "三代以内旁系血亲", "近姻亲")
FAMILY_LABEL = "家庭主要成员及重要社会关系"


@dataclass(frozen=True)
class Table:
    categories: Mapping[str, str]  # 称谓 -> category
    unit_field: str
    leading_posts: tuple[str, ...]
    posting_source: str


@dataclass(frozen=True)
class Relative:
    number: int  # the item's position in the family list, from 1
    relation: str
    category: str
    username: str
    work: str


def _key(relation: str) -> str:
    return "".join(relation.split())


@cache
def table() -> Table:
    """The table of ``kinship.yaml``; a 称谓 listed under two categories is an error of the file."""
    raw = yaml.safe_load(resources.files(__package__).joinpath("kinship.yaml").read_text(encoding="utf-8"))
    mapping: dict[str, str] = {}
    for category, relations in raw["categories"].items():
        if category not in CATEGORIES:
            raise ValueError(f"kinship.yaml: unknown category {category}")
        for relation in relations:
            if _key(str(relation)) in mapping:
                raise ValueError(f"kinship.yaml: {relation} is listed twice")
            mapping[_key(str(relation))] = category
    posting = raw["posting"]
    return Table(mapping, str(posting["unit_field"]), tuple(str(p) for p in posting["leading_posts"]),
                 str(posting["source"]))


def kinship_category(relation: str) -> str | None:
    """夫妻 / 直系血亲 / 三代以内旁系血亲 / 近姻亲 for a 称谓 as written (spaces ignored), else None."""
    if not isinstance(relation, str):
        return None
    return table().categories.get(_key(relation))


def _items(family: Any) -> list[Mapping[str, Any]]:
    return [m for m in family if isinstance(m, Mapping)] if isinstance(family, list) else []


def relatives(family: Any) -> list[Relative]:
    """The family items whose 称谓 is a relative 回避 concerns, in the list's order."""
    out = []
    for number, item in enumerate(_items(family), start=1):
        relation = str(item.get("relation") or "")
        category = kinship_category(relation)
        if category is not None:
            out.append(Relative(number, relation.strip(), category, str(item.get("username") or ""),
                                str(item.get("work") or "")))
    return out


def related_users(family: Any) -> dict[str, str]:
    """{username: 称谓} of the relatives who are users of the system (the first item naming a user wins)."""
    out: dict[str, str] = {}
    for r in relatives(family):
        if r.username and r.username not in out:
            out[r.username] = r.relation
    return out


def keep_family_users(old: Any, new: Any) -> Any:
    """``new`` (a family list from a file, which has no 系统用户 column) with the ``username`` of the ``old``
    item of the same 称谓 and 姓名, so an import that replaces the list keeps who the relatives are."""
    if not isinstance(new, list):
        return new
    known: dict[tuple[str, str], str] = {}
    for item in _items(old):
        key = (_key(str(item.get("relation") or "")), str(item.get("name") or "").strip())
        if item.get("username") and key not in known:
            known[key] = str(item["username"])
    out = []
    for item in new:
        if isinstance(item, Mapping) and not item.get("username"):
            key = (_key(str(item.get("relation") or "")), str(item.get("name") or "").strip())
            if key in known:
                item = {**item, "username": known[key]}
        out.append(item)
    return out


def recusal_reason(relation: str) -> str:
    """The 回避事由 an automatic recusal records: 亲属回避（妻子）."""
    return f"亲属回避（{relation}）"


def family_warnings(family: Any) -> list[str]:
    """One message per item whose 称谓 the table does not know (it recuses nobody: say so)."""
    out = []
    for number, item in enumerate(_items(family), start=1):
        relation = str(item.get("relation") or "").strip()
        if (relation or item.get("username")) and kinship_category(relation) is None:
            written = f"称谓“{relation}”不在亲属关系表中" if relation else "未填写称谓"
            who = f"，系统用户{item.get('username')}不据此自动回避" if item.get("username") else ""
            out.append(f"{FAMILY_LABEL}：第{number}项{written}{who}，也不据此作任职回避提示")
    return out


def posting_warnings(family: Any, unit: Any) -> list[str]:
    """任职回避 hints for a post in ``unit``: a relative whose 工作单位及职务 names the unit and, after it,
    a leading post (``leading_posts``: 书记、局长、主任……)."""
    if not isinstance(unit, str) or not unit.strip():
        return []
    unit = unit.strip()
    t = table()
    out = []
    for r in relatives(family):
        at = r.work.find(unit)
        if at < 0 or not any(word in r.work[at + len(unit):] for word in t.leading_posts):
            continue
        out.append(f"任职回避提示：拟任单位{unit}有其亲属（{r.relation}，{r.work}）担任领导职务"
                   f"（{t.posting_source}）")
    return out


def check_family_users(conn: Connection, family: Sequence[Mapping[str, Any]] | None) -> None:
    """ValidationFailed naming the item whose ``username`` is not an active user."""
    for number, item in enumerate(_items(family), start=1):
        username = item.get("username")
        if username and user_roles(conn, str(username)) is None:
            raise ValidationFailed({"family": f"{FAMILY_LABEL}：第{number}项的系统用户“{username}”不存在或已停用"})
