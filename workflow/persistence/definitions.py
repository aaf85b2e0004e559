"""The definition versions an instance has used, kept with their text (a case keeps its version)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import ProgrammingError

from ..definition import DefinitionRegistry
from ..errors import DefinitionError
from ..errors import WorkflowError
from . import cases
from . import orgs
from .db import Database
from .tables import defs_t


class NotInitialised(WorkflowError):
    code = "not_initialised"


def sync(db: Database, registry: DefinitionRegistry, key: bytes, now: datetime, organization: str
         ) -> DefinitionRegistry:
    """Record the loaded versions (refuse a changed file under a used version); make sure of the
    ledger's head and the root organization (named ``organization``).

    Returns the registry with the versions kept only in the database added.
    """
    try:
        with db.write() as conn:
            stored = {(r.key, r.version): r for r in conn.execute(select(defs_t))}
            problems = []
            for d in registry.versions():
                old = stored.get((d.key, d.version))
                if old is None:
                    conn.execute(insert(defs_t).values(key=d.key, version=d.version, title=d.title,
                                                       content_hash=d.content_hash, path=d.path, source=d.source,
                                                       loaded_at=now))
                elif old.content_hash != d.content_hash:
                    problems.append(
                        f"{d.path}:1: 流程 '{d.key}' 版本{d.version} 已经使用，文件内容却已改变"
                        f"（库中 {old.content_hash[:12]}，文件 {d.content_hash[:12]}）；"
                        f"请把修改另存为新版本（version: {d.version + 1}）")
            if problems:
                raise DefinitionError(problems)
            cases.ensure_ledger_head(conn, key)
            orgs.ensure_root(conn, organization, now)
    except (OperationalError, ProgrammingError) as exc:
        if "definition_versions" in str(exc) or "no such table" in str(exc):
            raise NotInitialised("数据库尚未初始化，请先运行 cadreflow init") from None
        raise
    missing = [(r.path, r.source) for k, r in stored.items() if not registry.has(*k)]
    return registry.with_stored(missing)
