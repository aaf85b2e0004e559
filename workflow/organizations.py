"""Organizations and 干部管理权限 (分级管理): the tree of organization departments.

Each user belongs to one organization, each person is managed by one, and a case
belongs to its subject's managing organization. ``path`` (``/1/4/``) lists an
organization's ancestors and itself, so "this organization and everything under
it" is a prefix. The root (code ``root``) exists in every instance; a user or
person given no organization belongs to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.engine import Connection

from .clock import Clock
from .errors import NotFound
from .errors import ValidationFailed
from .persistence.db import Database
from .persistence.models import inserted_id
from .persistence.orgs import ROOT
from .persistence.tables import orgs_t
from .policy import Policy
from .types import Actor

CODE = re.compile(r"^[A-Za-z0-9_.-]{2,32}$")


@dataclass(frozen=True)
class Org:
    id: int
    code: str
    name: str
    parent_id: int | None
    path: str

    def contains(self, other: Org) -> bool:
        """Whether ``other`` is this organization or one under it."""
        return other.path.startswith(self.path)


def _name(name: object, errors: dict[str, str]) -> str:
    text = " ".join(name.split()) if isinstance(name, str) else ""
    if not text or len(text) > 100 or not text.isprintable():
        errors["name"] = "组织名称：此项为必填项，不超过100个字"
    return text


def _org(r: object) -> Org:
    return Org(r.id, r.code, r.name, r.parent_id, r.path)  # type: ignore[attr-defined]


class Organizations:
    def __init__(self, db: Database, clock: Clock, policy: Policy) -> None:
        self.db = db
        self.clock = clock
        self.policy = policy

    def add(self, code: str, name: str, parent: str | None = None) -> Org:
        errors = {}
        if not isinstance(code, str) or not CODE.match(code):
            errors["code"] = "组织编码：应为2至32位英文字母、数字或 _ . -"
        name = _name(name, errors)
        if errors:
            raise ValidationFailed(errors)
        with self.db.write() as conn:
            if conn.execute(select(orgs_t.c.id).where(orgs_t.c.code == code)).first() is not None:
                raise ValidationFailed({"code": f"组织编码：{code} 已存在"})
            above = self._get(conn, parent) if parent else self._get(conn, ROOT)
            oid = inserted_id(conn.execute(insert(orgs_t).values(code=code, name=name, parent_id=above.id, path="",
                                                                 created_at=self.clock.now())))
            conn.execute(update(orgs_t).where(orgs_t.c.id == oid).values(path=f"{above.path}{oid}/"))
            return self._get(conn, code)

    def rename(self, code: str, name: str) -> Org:
        errors: dict[str, str] = {}
        name = _name(name, errors)
        if errors:
            raise ValidationFailed(errors)
        with self.db.write() as conn:
            self._get(conn, code)
            conn.execute(update(orgs_t).where(orgs_t.c.code == code).values(name=name))
            return self._get(conn, code)

    @staticmethod
    def _get(conn: Connection, code: str) -> Org:
        row = conn.execute(select(orgs_t).where(orgs_t.c.code == code)).first()
        if row is None:
            raise NotFound(f"组织不存在：{code}")
        return _org(row)

    def get(self, code: str) -> Org:
        with self.db.read() as conn:
            return self._get(conn, code)

    def by_id(self, org_id: int) -> Org:
        with self.db.read() as conn:
            row = conn.execute(select(orgs_t).where(orgs_t.c.id == org_id)).first()
        if row is None:
            raise NotFound(f"组织不存在：{org_id}")
        return _org(row)

    def visible(self, viewer: Actor) -> list[Org]:
        """The organizations ``viewer`` may see (``GET /orgs``), parents first."""
        return [o for o in self.all() if self.policy.sees_org(viewer, o.id, o.path)]

    def all(self) -> list[Org]:
        """Every organization in tree order: each followed by those under it, siblings by age."""
        with self.db.read() as conn:
            items = [_org(r) for r in conn.execute(select(orgs_t).order_by(orgs_t.c.id))]
        children: dict[int | None, list[Org]] = {}
        for o in items:
            children.setdefault(o.parent_id, []).append(o)
        out: list[Org] = []
        stack = list(reversed(children.get(None, [])))
        while stack:
            o = stack.pop()
            out.append(o)
            stack.extend(reversed(children.get(o.id, [])))
        return out
