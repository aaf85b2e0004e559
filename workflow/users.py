"""Users, roles, API tokens and sign-in throttling.

Password hashing is the web layer's job (werkzeug); this module stores only
the hash. API tokens are random, shown once, and stored as SHA-256.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.engine import Connection

from .clock import Clock
from .errors import NotFound
from .errors import ValidationFailed
from .persistence.db import Database
from .persistence.orgs import org_id_for
from .persistence.tables import failures_t
from .persistence.tables import orgs_t
from .persistence.tables import tokens_t
from .persistence.tables import users_t
from .policy import Policy
from .types import Actor

USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")
TOKEN_PREFIX = "cfw_"


@dataclass(frozen=True)
class UserRecord:
    id: int
    username: str
    name: str
    unit: str
    roles: tuple[str, ...]
    active: bool
    password_hash: str
    org_id: int = 0
    org_code: str = ""
    org_name: str = ""
    org_path: str = ""

    def actor(self) -> Actor:
        return Actor(self.username, self.name, frozenset(self.roles), self.unit, self.org_id, self.org_path)


@dataclass(frozen=True)
class TokenRecord:
    id: int
    username: str
    prefix: str
    note: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


_USERS = (select(users_t, orgs_t.c.code.label("org_code"), orgs_t.c.name.label("org_name"),
                 orgs_t.c.path.label("org_path")).join(orgs_t, orgs_t.c.id == users_t.c.org_id))


def _org(conn: Connection, code: str | None) -> int:
    try:
        return org_id_for(conn, code)
    except ValidationFailed:
        raise ValidationFailed({"org": f"所属组织：没有编码为“{code}”的组织"}) from None


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Users:
    def __init__(self, db: Database, clock: Clock, policy: Policy) -> None:
        self.db = db
        self.clock = clock
        self.policy = policy

    def _record(self, row: Any) -> UserRecord:
        return UserRecord(row.id, row.username, row.name, row.unit, tuple(row.roles or ()), row.active,
                          row.password_hash, row.org_id, row.org_code, row.org_name, row.org_path)

    def _roles_problem(self, roles: list[str]) -> str:
        bad = self.policy.unknown_roles(roles)
        if bad or not roles:
            known = "、".join(r.label for r in self.policy.catalog.roles)
            invalid = f"（没有这种角色：{', '.join(bad)}）" if bad else ""
            return f"角色：须为 {known} 中的一个或多个{invalid}"
        return ""

    def add(self, username: str, roles: list[str], password_hash: str, name: str = "", unit: str = "",
            org: str | None = None) -> UserRecord:
        """A new user of organization ``org`` (a code; the root when None)."""
        errors = {}
        if not USERNAME.match(username or ""):
            errors["username"] = "用户名：应为2至64位英文字母、数字或 _ . -"
        problem = self._roles_problem(roles)
        if problem:
            errors["roles"] = problem
        if len(name) > 100:
            errors["name"] = "显示名：不得超过100个字"
        if errors:
            raise ValidationFailed(errors)
        with self.db.write() as conn:
            if conn.execute(select(users_t.c.id).where(users_t.c.username == username)).first() is not None:
                raise ValidationFailed({"username": f"用户名：{username} 已存在"})
            org_id = _org(conn, org)
            conn.execute(insert(users_t).values(username=username, name=name or username, unit=unit, org_id=org_id,
                                                password_hash=password_hash, roles=list(dict.fromkeys(roles)),
                                                active=True, created_at=self.clock.now()))
        return self.get(username)

    def get(self, username: str) -> UserRecord:
        with self.db.read() as conn:
            row = conn.execute(_USERS.where(users_t.c.username == username)).first()
        if row is None:
            raise NotFound(f"用户不存在：{username}")
        return self._record(row)

    def find(self, username: str) -> UserRecord | None:
        try:
            return self.get(username)
        except NotFound:
            return None

    def by_id(self, user_id: int) -> UserRecord | None:
        with self.db.read() as conn:
            row = conn.execute(_USERS.where(users_t.c.id == user_id)).first()
        return self._record(row) if row is not None else None

    def all(self) -> list[UserRecord]:
        with self.db.read() as conn:
            return [self._record(r) for r in conn.execute(_USERS.order_by(users_t.c.username))]

    def with_role(self, role: str) -> list[UserRecord]:
        return [u for u in self.all() if role in u.roles and u.active]

    def update(self, username: str, *, roles: list[str] | None = None, name: str | None = None,
               unit: str | None = None, active: bool | None = None, password_hash: str | None = None,
               org: str | None = None) -> None:
        values: dict[str, object] = {}
        if roles is not None:
            problem = self._roles_problem(roles)
            if problem:
                raise ValidationFailed({"roles": problem})
            values["roles"] = list(dict.fromkeys(roles))
        for key, value in (("name", name), ("unit", unit), ("active", active), ("password_hash", password_hash)):
            if value is not None:
                values[key] = value
        with self.db.write() as conn:
            if org is not None:
                values["org_id"] = _org(conn, org)
            result = conn.execute(update(users_t).where(users_t.c.username == username).values(**values))
            if result.rowcount != 1:
                raise NotFound(f"用户不存在：{username}")

    # --- API tokens -----------------------------------------------------------------------------

    def create_token(self, username: str, note: str = "") -> str:
        """A new token for ``username``; returned once, stored only as its SHA-256."""
        user = self.get(username)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.db.write() as conn:
            conn.execute(insert(tokens_t).values(user_id=user.id, token_hash=token_digest(token),
                                                 prefix=token[:10], note=note[:200], created_at=self.clock.now()))
        return token

    def actor_for_token(self, token: str) -> Actor | None:
        """The actor a bearer token stands for (recording its last use), or None.

        The lookup is a plain read: on SQLite a write transaction would take the
        database's single write lock, so every API request, reads included, would
        queue behind the writers. Only a token not used for a minute is touched, in
        its own short write transaction.
        """
        if not token or len(token) > 200:
            return None
        digest = token_digest(token)
        with self.db.read() as conn:
            row = conn.execute(select(tokens_t.c.id, tokens_t.c.revoked_at, tokens_t.c.last_used_at,
                                      users_t.c.username, users_t.c.name, users_t.c.unit, users_t.c.roles,
                                      users_t.c.active, users_t.c.org_id, orgs_t.c.path)
                               .join(users_t, users_t.c.id == tokens_t.c.user_id)
                               .join(orgs_t, orgs_t.c.id == users_t.c.org_id)
                               .where(tokens_t.c.token_hash == digest)).first()
        if row is None or row.revoked_at is not None or not row.active:
            return None
        now = self.clock.now()
        if row.last_used_at is None or now - row.last_used_at > timedelta(seconds=60):
            with self.db.write() as conn:
                conn.execute(update(tokens_t).where(tokens_t.c.id == row.id).values(last_used_at=now))
        return Actor(row.username, row.name, frozenset(row.roles or ()), row.unit, row.org_id, row.path)

    def tokens(self, username: str | None = None) -> list[TokenRecord]:
        stmt = select(tokens_t, users_t.c.username).join(users_t, users_t.c.id == tokens_t.c.user_id)
        if username:
            stmt = stmt.where(users_t.c.username == username)
        with self.db.read() as conn:
            return [TokenRecord(r.id, r.username, r.prefix, r.note, r.created_at, r.last_used_at, r.revoked_at)
                    for r in conn.execute(stmt.order_by(tokens_t.c.id))]

    def revoke_token(self, token_id: int) -> None:
        with self.db.write() as conn:
            result = conn.execute(update(tokens_t).where(tokens_t.c.id == token_id, tokens_t.c.revoked_at.is_(None))
                                  .values(revoked_at=self.clock.now()))
            if result.rowcount != 1:
                raise NotFound(f"令牌不存在或已吊销：{token_id}")

    # --- sign-in throttling ---------------------------------------------------------------------

    def locked_until(self, key: str) -> datetime | None:
        with self.db.read() as conn:
            row = conn.execute(select(failures_t).where(failures_t.c.key == key)).first()
        if row is None or row.locked_until is None or row.locked_until <= self.clock.now():
            return None
        return row.locked_until  # type: ignore[no-any-return]

    def record_failure(self, key: str, limit: int = 5, window: timedelta = timedelta(minutes=15),
                       lock: timedelta = timedelta(minutes=15)) -> datetime | None:
        """Count a failed sign-in; returns the lock end once ``limit`` failures fall in ``window``."""
        now = self.clock.now()
        with self.db.write() as conn:
            row = conn.execute(select(failures_t).where(failures_t.c.key == key).with_for_update()).first()
            if row is None or now - row.first_at > window:
                conn.execute(delete(failures_t).where(failures_t.c.key == key))
                conn.execute(insert(failures_t).values(key=key, count=1, first_at=now, locked_until=None))
                count = 1
            else:
                count = int(row._mapping["count"]) + 1
                conn.execute(update(failures_t).where(failures_t.c.key == key).values(count=count))
            if count >= limit:
                until = now + lock
                conn.execute(update(failures_t).where(failures_t.c.key == key).values(locked_until=until))
                return until
        return None

    def clear_failures(self, key: str) -> None:
        with self.db.write() as conn:
            conn.execute(delete(failures_t).where(failures_t.c.key == key))
