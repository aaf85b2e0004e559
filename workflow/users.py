"""Users, roles, API tokens and sign-in throttling.

Password hashing is the web layer's job (werkzeug); this module stores only
the hash. API tokens are random, shown once, and stored as SHA-256. Every
channel (pages, CLI) changes users through ``update``, which keeps one rule: the
last active user whose roles grant ``manage_users`` (asked of the policy) can be
neither deactivated nor stripped of that capability.
"""

from __future__ import annotations

import dataclasses
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
from .persistence import counters
from .persistence.db import Database
from .persistence.orgs import org_id_for
from .persistence.tables import failures_t
from .persistence.tables import orgs_t
from .persistence.tables import tokens_t
from .persistence.tables import users_t
from .policy import Policy
from .sessions import DEACTIVATED
from .sessions import PASSWORD
from .sessions import ROLES
from .sessions import end_all
from .types import Actor

USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")
TOKEN_PREFIX = "cfw_"
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
MANAGE_USERS = "manage_users"
FREE_FAILURES = 3
FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(minutes=15)
ACCOUNT_MEMORY = timedelta(hours=24)


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
    email: str = ""  # where notifications are also sent by email (optional)

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
                          row.password_hash, row.org_id, row.org_code, row.org_name, row.org_path, row.email)

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
        """Change a user; a new password, deactivation or other roles end every session of the user.
        Another organization (``org``, a code) changes what they see from their next request on.

        Raises:
            NotFound: no such user.
            ValidationFailed: unknown roles or organization, or the change would leave no active user
                whose roles grant ``manage_users`` (field ``active`` or ``roles``).
        """
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
            # Every active user, locked: two administrators removing each other at once serialise here.
            rows = conn.execute(_USERS.where(users_t.c.active.is_(True)).with_for_update(of=users_t)).all()
            row = conn.execute(_USERS.where(users_t.c.username == username)).first()
            if row is None:
                raise NotFound(f"用户不存在：{username}")
            before = self._record(row)
            after = dataclasses.replace(before, roles=tuple(values.get("roles", before.roles)),  # type: ignore[arg-type]
                                        active=bool(values.get("active", before.active)))
            self._keep_an_administrator(before, after, [self._record(r) for r in rows])
            conn.execute(update(users_t).where(users_t.c.id == before.id).values(**values))
            reason = (DEACTIVATED if before.active and not after.active else
                      PASSWORD if password_hash is not None and password_hash != before.password_hash else
                      ROLES if set(after.roles) != set(before.roles) else "")
            if reason:
                end_all(conn, before.id, self.clock.now(), reason)

    def set_email(self, username: str, email: str) -> None:
        """Set (or with "" clear) the address notifications are also sent to."""
        email = email.strip() if isinstance(email, str) else ""
        if email and not EMAIL.match(email):
            raise ValidationFailed({"email": "电子邮箱：格式不正确，应如 name@example.org"})
        with self.db.write() as conn:
            if conn.execute(update(users_t).where(users_t.c.username == username).values(email=email)).rowcount != 1:
                raise NotFound(f"用户不存在：{username}")

    def _keep_an_administrator(self, before: UserRecord, after: UserRecord, active: list[UserRecord]) -> None:
        """The last active user whose roles grant ``manage_users`` keeps that capability and stays active."""
        if not (before.active and self.policy.has(before.actor(), MANAGE_USERS)):
            return
        if after.active and self.policy.has(after.actor(), MANAGE_USERS):
            return
        if any(u.id != before.id and self.policy.has(u.actor(), MANAGE_USERS) for u in active):
            return
        what = self.policy.catalog.capability_labels.get(MANAGE_USERS, MANAGE_USERS)
        if not after.active:
            raise ValidationFailed({"active": f"启用：{before.username} 是最后一位能够{what}的在用账户，不能停用"
                                              "（请先为另一位在用用户授予相应角色）"})
        raise ValidationFailed({"roles": f"角色：{before.username} 是最后一位能够{what}的在用账户，不能取消其相应角色"
                                         "（请先为另一位在用用户授予相应角色）"})

    def grant(self, username: str, role: str) -> UserRecord:
        """Add ``role`` to the user's roles (ends their sessions: the roles changed)."""
        user = self.get(username)
        self.update(username, roles=[*user.roles, role])
        return self.get(username)

    def revoke(self, username: str, role: str) -> UserRecord:
        """Remove ``role`` from the user's roles; refused for the last holder of ``manage_users``."""
        user = self.get(username)
        if role not in user.roles:
            raise ValidationFailed({"roles": f"角色：{username} 没有角色 {role}"})
        rest = [r for r in user.roles if r != role]
        if not rest:
            self._keep_an_administrator(user, dataclasses.replace(user, roles=()),
                                        [u for u in self.all() if u.active])
            raise ValidationFailed({"roles": f"角色：{username} 至少要保留一个角色（可停用该用户）"})
        self.update(username, roles=rest)
        return self.get(username)

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
            count = counters.bump(conn, key, now, window)
            if count >= limit:
                until = now + lock
                conn.execute(update(failures_t).where(failures_t.c.key == key).values(locked_until=until))
                return until
        return None

    def record_account_failure(self, user_id: int) -> datetime | None:
        """Count a wrong password for an existing account; the time before which it may not try again.

        The choice: the first ``FREE_FAILURES`` (3) wrong passwords cost nothing (typing errors);
        from then on every further failure makes the account wait, 1 minute after the third,
        doubling with each failure (2, 4, 8 minutes) up to ``MAX_DELAY`` (15 minutes); a correct
        password (or an administrator's reset) clears the count, and a count older than
        ``ACCOUNT_MEMORY`` (24 hours) starts over. Why: an online guesser gets about a hundred tries
        a day at most against one account, while its owner is never locked out for long; and only
        accounts that exist are counted (key ``account:<id>``), so nobody can lock names at will or
        fill the table with made-up ones. The cost: the delay message shows that an account exists
        to whoever tries its name more than three times; the per-address limit (web/auth.py) bounds
        such probing.
        """
        key = f"account:{user_id}"
        now = self.clock.now()
        with self.db.write() as conn:
            count = counters.bump(conn, key, now, ACCOUNT_MEMORY)
            if count < FREE_FAILURES:
                return None
            until = now + min(MAX_DELAY, FIRST_DELAY * (1 << min(count - FREE_FAILURES, 16)))
            conn.execute(update(failures_t).where(failures_t.c.key == key).values(locked_until=until))
            return until

    def account_locked_until(self, user_id: int) -> datetime | None:
        return self.locked_until(f"account:{user_id}")

    def clear_account_failures(self, user_id: int) -> None:
        self.clear_failures(f"account:{user_id}")

    def clear_failures(self, key: str) -> None:
        with self.db.write() as conn:
            conn.execute(delete(failures_t).where(failures_t.c.key == key))
