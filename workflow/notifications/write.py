"""Writing notifications inside an event's transaction, and keeping the stored holders of a case.

``Notifier.after_event`` compares the holders the case's previous event left (``case_holders``)
with those it has now: who became a holder gets 新待办 (a 退回 event: 退回, with its reason, and
the case's creator too). The acting user is not told of their own event.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..definition.schema import TransitionDef
from ..persistence import cases as store
from ..persistence.tables import cases_t
from ..persistence.tables import holders_t
from ..persistence.tables import notices_t
from ..persistence.tables import orgs_t
from ..persistence.tables import users_t
from ..queries.cases import CaseReader
from ..queries.facts import case_facts
from ..types import Actor

MAX_QUOTE = 200  # characters of a reason or an urge quoted in a notification


def stored_holders(conn: Connection, case_id: int) -> set[str]:
    return {r[0] for r in conn.execute(select(holders_t.c.username).where(holders_t.c.case_id == case_id))}


def store_holders(conn: Connection, case_id: int, before: set[str], after: set[str]) -> None:
    """Make the stored holders of a case ``after`` (``before``: what is stored now)."""
    gone, new = before - after, after - before
    if gone:
        conn.execute(delete(holders_t).where(holders_t.c.case_id == case_id, holders_t.c.username.in_(sorted(gone))))
    if new:
        conn.execute(insert(holders_t), [{"case_id": case_id, "username": u} for u in sorted(new)])


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTE else text[:MAX_QUOTE] + "……"


def _todo(title: str, step: str) -> str:
    return f"{title}已到“{step}”环节，请您办理。"


def reason_of(t: TransitionDef, data: dict[str, Any], comment: str) -> str:
    """The reason a 退回 gives: its ``*_reason`` field, else its comment ('' when its entries are sealed)."""
    if t.append_to or t.sealed_while:
        return ""
    for f in t.fields:
        if f.name.endswith("reason") and isinstance(data.get(f.name), str) and data[f.name].strip():
            return _quote(data[f.name])
    return _quote(comment) if comment.strip() else ""


@dataclass(frozen=True)
class Notifier:
    """Writes notifications on the caller's connection; ``mail``: mark them for sending by email."""

    reader: CaseReader
    mail: bool = False

    def holders_now(self, conn: Connection, row: Any) -> tuple[str, ...]:
        recused = store.recused(conn, row.id)
        scope = self.reader.scope(conn, row, recused)
        return tuple(a.username for a in self.reader.holders_on(conn, row, scope, case_facts(conn, row, recused)))

    def after_event(self, conn: Connection, row: Any, holders: Sequence[str], actor: Actor, at: datetime,
                    t: TransitionDef | None = None, data: dict[str, Any] | None = None, comment: str = "") -> None:
        """Store the holders ``row`` (the case after the event) has now and tell those who are new."""
        before = stored_holders(conn, row.id)
        after = set() if row.final else set(holders)
        store_holders(conn, row.id, before, after)
        new = after - before - {actor.username}
        d = self.reader.definition(row)
        title = f"《{row.title}》（{d.title}）"
        step = d.state_label(row.state)
        if t is not None and t.kind == "return":
            creator = row.created_by
            if creator != actor.username and creator not in new and self.may_see(conn, row, creator):
                new.add(creator)
            reason = reason_of(t, data or {}, comment)
            text = f"{title}被{actor.name or actor.username}退回至“{step}”"
            text += f"，退回理由：{reason}" if reason else "。"
            self.add(conn, sorted(new), row.id, "returned", text, at)
        elif new:
            self.add(conn, sorted(new), row.id, "todo", _todo(title, step), at)

    def refresh(self, conn: Connection, usernames: Iterable[str], definitions: Iterable[str], at: datetime) -> int:
        """Recompute the stored holders of the open cases of ``definitions`` that ``usernames`` hold now
        (a delegation between them began, ended or was revoked) and tell those who are new; how many
        cases changed. Each case row is locked, so an event on it waits or is waited for."""
        ids = conn.execute(select(cases_t.c.id).distinct().join(holders_t, holders_t.c.case_id == cases_t.c.id)
                           .where(holders_t.c.username.in_(sorted(set(usernames))), cases_t.c.final.is_(False),
                                  cases_t.c.definition_key.in_(sorted(set(definitions))))).scalars().all()
        changed = 0
        for case_id in sorted(ids):
            row = store.lock_case(conn, case_id)
            before = stored_holders(conn, case_id)
            after = set(self.holders_now(conn, row))
            if after == before:
                continue
            changed += 1
            store_holders(conn, case_id, before, after)
            d = self.reader.definition(row)
            self.add(conn, sorted(after - before), case_id, "todo",
                     _todo(f"《{row.title}》（{d.title}）", d.state_label(row.state)), at)
        return changed

    def urged(self, conn: Connection, row: Any, username: str, actor: Actor, text: str, at: datetime) -> None:
        d = self.reader.definition(row)
        self.add(conn, [username], row.id, "urged",
                 f"{actor.name or actor.username}催您办理《{row.title}》（{d.title}）：{_quote(text)}", at)

    def recused(self, conn: Connection, case_id: int, username: str) -> None:
        """A recused user holds the case no more."""
        conn.execute(delete(holders_t).where(holders_t.c.case_id == case_id, holders_t.c.username == username))

    def may_see(self, conn: Connection, row: Any, username: str) -> bool:
        """Whether the active user ``username`` may see the case of ``row`` (not recused)."""
        r = conn.execute(select(users_t.c.username, users_t.c.name, users_t.c.unit, users_t.c.roles,
                                users_t.c.org_id, orgs_t.c.path).join(orgs_t, orgs_t.c.id == users_t.c.org_id)
                         .where(users_t.c.username == username, users_t.c.active.is_(True))).first()
        if r is None:
            return False
        who = Actor(r.username, r.name, frozenset(r.roles or ()), r.unit, r.org_id, r.path)
        recused = store.recused(conn, row.id)
        return who.username not in recused and self.reader.policy.may_see(who, self.reader.scope(conn, row, recused))

    def add(self, conn: Connection, usernames: Iterable[str], case_id: int, kind: str, text: str,
            at: datetime) -> None:
        names = list(usernames)
        if not names:
            return
        mailed: set[str] = set()
        if self.mail:
            mailed = {r[0] for r in conn.execute(select(users_t.c.username).where(
                users_t.c.username.in_(names), users_t.c.email != ""))}
        conn.execute(insert(notices_t), [
            {"username": u, "case_id": case_id, "kind": kind, "text": text, "at": at, "due_at": None,
             "read_at": None, "mail_state": "pending" if u in mailed else None, "mail_error": ""}
            for u in names])
