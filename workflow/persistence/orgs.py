"""The SQL of organizations that the other tables' writers need: the root, and codes to ids."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.engine import Connection

from ..errors import NotFound
from ..errors import ValidationFailed
from .models import inserted_id
from .tables import orgs_t

ROOT = "root"
PLACEHOLDER = "组织部"  # the root's name as migration 0004 creates it


def ensure_root(conn: Connection, name: str, now: datetime) -> int:
    """The root organization's id, creating it when missing (a fresh or emptied database); a root still
    named as the migration left it takes the instance's organization name (CADREFLOW_ORGANIZATION)."""
    row = conn.execute(select(orgs_t.c.id, orgs_t.c.name).where(orgs_t.c.code == ROOT)).first()
    if row is not None:
        if row.name == PLACEHOLDER and name and name != PLACEHOLDER:
            conn.execute(update(orgs_t).where(orgs_t.c.id == row.id).values(name=name))
        return int(row.id)
    oid = inserted_id(conn.execute(insert(orgs_t).values(code=ROOT, name=name, parent_id=None, path="",
                                                         created_at=now)))
    conn.execute(update(orgs_t).where(orgs_t.c.id == oid).values(path=f"/{oid}/"))
    return oid


def root_id(conn: Connection) -> int:
    row = conn.execute(select(orgs_t.c.id).where(orgs_t.c.code == ROOT)).first()
    if row is None:
        raise NotFound("根组织不存在，请先运行 cadreflow init")
    return int(row.id)


def org_id_for(conn: Connection, code: str | None) -> int:
    """The id of the organization ``code`` (the root when None); ValidationFailed naming the field if unknown."""
    if code is None or code == "":
        return root_id(conn)
    row = conn.execute(select(orgs_t.c.id).where(orgs_t.c.code == code)).first()
    if row is None:
        raise ValidationFailed({"managing_org": f"所属组织：没有编码为“{code}”的组织"})
    return int(row.id)


def path_of(conn: Connection, org_id: int) -> str:
    row = conn.execute(select(orgs_t.c.path).where(orgs_t.c.id == org_id)).first()
    return str(row.path) if row is not None else ""


def subtree_ids(conn: Connection, path: str) -> list[int]:
    """The ids of the organization with ``path`` and of every organization under it."""
    return [r.id for r in conn.execute(select(orgs_t.c.id).where(orgs_t.c.path.startswith(path, autoescape=True)))]
