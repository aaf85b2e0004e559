"""委托: a user lets another user of the same role(s) act for them on some procedures for a window
of Beijing dates; revocable; every delegation visible to auditors.

A delegation is a row that is never deleted (a revocation marks it) and each creation and
revocation is appended to the hash-chained register (``persistence.access``, object
``delegation``), so the trail is tamper-evident. What a delegate may then do on a case is
``queries.delegated.acting_for``; a delegation never lends visibility, recusal or separation of
duties (``policy.delegation``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

from .clock import local_today
from .errors import NotFound
from .errors import PermissionDenied
from .errors import ValidationFailed
from .notifications.write import Notifier
from .persistence import access
from .persistence import daily
from .persistence.actors import active_actor
from .queries.delegated import forget
from .service import Service
from .types import Actor

log = logging.getLogger(__name__)
MAX_DAYS = 366  # the longest window one delegation covers
ENDED_DAYS = 31  # how long after its end a delegation's holders are still brought up to date


@dataclass(frozen=True)
class DelegationView:
    id: int
    delegator: str
    delegator_name: str
    delegate: str
    delegate_name: str
    starts_on: date
    ends_on: date
    definitions: tuple[str, ...]
    definition_titles: tuple[str, ...]
    created_at: datetime
    revoked_at: datetime | None
    revoked_by: str | None
    status: str  # 待生效, 生效中, 已到期, 已撤销

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "from": self.delegator, "from_name": self.delegator_name, "to": self.delegate,
                "to_name": self.delegate_name, "starts_on": self.starts_on.isoformat(),
                "ends_on": self.ends_on.isoformat(), "definitions": list(self.definitions),
                "created_at": self.created_at.isoformat(), "status": self.status,
                "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
                "revoked_by": self.revoked_by}


class DelegationNotFound(NotFound):
    def __init__(self, delegation_id: object) -> None:
        super().__init__(f"委托不存在：{delegation_id}")


@dataclass(frozen=True)
class Delegations(Service):
    key: bytes
    notifier: Notifier

    def create(self, actor: Actor, to: Any, starts_on: Any, ends_on: Any, definitions: Any) -> DelegationView:
        """``actor`` delegates to ``to``; ValidationFailed naming each field and rule, nothing written."""
        errors: dict[str, str] = {}
        start = _date(errors, "starts_on", "开始日期", starts_on)
        end = _date(errors, "ends_on", "结束日期", ends_on)
        today = local_today(self.clock)
        if start is not None and start < today:
            errors["starts_on"] = f"开始日期：不得早于今天（{today.isoformat()}）"
        if start is not None and end is not None and "starts_on" not in errors:
            if end < start:
                errors["ends_on"] = "结束日期：不得早于开始日期"
            elif (end - start).days + 1 > MAX_DAYS:
                errors["ends_on"] = f"结束日期：一次委托最长{MAX_DAYS}天"
        keys = self._keys(errors, definitions)
        with self.db.write() as conn:
            if self.policy.read_only(actor) or not self.policy.acting_roles(actor):
                raise PermissionDenied("您的角色不能办理案件，无可委托的事项")
            delegate = None
            if not isinstance(to, str) or not to.strip():
                errors["to"] = "受托人：此项为必填项"
            elif to.strip() == actor.username:
                errors["to"] = "受托人：不能委托给自己"
            else:
                delegate = active_actor(conn, to.strip())
                if delegate is None:
                    errors["to"] = f"受托人：用户不存在或已停用（{to.strip()}）"
                elif (why := self.policy.delegation_refusal(actor, delegate)) is not None:
                    errors["to"] = f"受托人：{why}"
            if not errors and start is not None and end is not None and delegate is not None:
                for other in daily.live(conn, delegator=actor.username, ending_from=start):
                    if other.starts_on <= end and set(other.definitions.split(",")) & set(keys):
                        errors["starts_on"] = (
                            f"开始日期：与已有委托（{other.starts_on.isoformat()}至{other.ends_on.isoformat()}，"
                            f"受托人{other.delegate}）的期间和事项重叠，同一事项同一期间只能委托一人")
                        break
            if errors:
                raise ValidationFailed(errors)
            assert start is not None and end is not None and delegate is not None
            now = self.clock.now()
            new_id = daily.add_delegation(conn, actor.username, delegate.username, start, end, keys, now)
            access.append(conn, self.key, now, actor.username, "delegate", "delegation", None, None,
                          f"委托#{new_id}：{actor.username}→{delegate.username}，{start.isoformat()}至"
                          f"{end.isoformat()}，{'、'.join(keys)}", "")
            row = daily.delegation(conn, new_id)
            if start <= today:
                self._rehold(conn, row, now)
            log.info("delegation %s: %s -> %s %s..%s", new_id, actor.username, delegate.username, start, end)
            return self._view(conn, row)

    def revoke(self, delegation_id: int, actor: Actor) -> None:
        """The delegator (or the delegate, declining) revokes a delegation; an auditor may not."""
        with self.db.write() as conn:
            row = daily.delegation(conn, delegation_id, lock=True)
            if row is None or actor.username not in (row.delegator, row.delegate):
                raise DelegationNotFound(delegation_id)
            if row.revoked_at is not None:
                return
            now = self.clock.now()
            daily.revoke(conn, delegation_id, actor.username, now)
            access.append(conn, self.key, now, actor.username, "revoke", "delegation", None, None,
                          f"撤销委托#{delegation_id}", "")
            self._rehold(conn, row, now)

    def refresh_holders(self) -> int:
        """Bring the stored holders (待办, reminders) up to date for the delegations that began or ended
        since they were stored (the reminders run calls this); how many cases changed."""
        today = local_today(self.clock)
        with self.db.write() as conn:
            rows = [r for r in daily.live(conn, ending_from=today - timedelta(days=ENDED_DAYS)) if r.starts_on <= today]
            now = self.clock.now()
            return sum(self._rehold(conn, r, now) for r in rows)

    def _rehold(self, conn: Any, row: Any, now: datetime) -> int:
        """Recompute the holders of the delegator's and the delegate's cases of the delegated procedures."""
        forget(conn)
        return self.notifier.refresh(conn, (row.delegator, row.delegate), row.definitions.split(","), now)

    def mine(self, actor: Actor) -> list[DelegationView]:
        """The delegations ``actor`` gave or received."""
        with self.db.read() as conn:
            return [self._view(conn, r) for r in daily.delegations(conn, actor.username)]

    def every(self, viewer: Actor) -> list[DelegationView]:
        """Every delegation, for auditors (``read_audit``)."""
        self.policy.require(viewer, "read_audit")
        with self.db.read() as conn:
            return [self._view(conn, r) for r in daily.delegations(conn)]

    def _keys(self, errors: dict[str, str], definitions: Any) -> list[str]:
        if isinstance(definitions, str):
            definitions = [definitions]
        if not isinstance(definitions, list | tuple) or not definitions:
            errors["definitions"] = "委托事项：至少选择一项流程"
            return []
        known = {d.key for d in self.registry.versions()}
        keys = list(dict.fromkeys(str(k) for k in definitions))
        unknown = [k for k in keys if k not in known]
        if unknown:
            errors["definitions"] = f"委托事项：没有这些流程（{'、'.join(unknown)}）"
        return keys

    def _view(self, conn: Any, r: Any) -> DelegationView:
        keys = tuple(k for k in r.definitions.split(",") if k)
        titles = {d.key: d.title for d in self.registry.versions()}
        names = {}
        for u in (r.delegator, r.delegate):
            who = active_actor(conn, u)
            names[u] = who.display if who else u
        today = local_today(self.clock)
        status = ("已撤销" if r.revoked_at is not None else "待生效" if r.starts_on > today
                  else "已到期" if r.ends_on < today else "生效中")
        return DelegationView(r.id, r.delegator, names[r.delegator], r.delegate, names[r.delegate], r.starts_on,
                              r.ends_on, keys, tuple(titles.get(k, k) for k in keys), r.created_at, r.revoked_at,
                              r.revoked_by, status)


def _date(errors: dict[str, str], name: str, label: str, value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        errors[name] = f"{label}：此项为必填项"
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        errors[name] = f"{label}：应为日期，格式如 2026-12-01"
        return None


__all__ = ["DelegationNotFound", "DelegationView", "Delegations"]
