"""催办: a user who may see a case urges one of its holders, recorded in the case history.

Read-only roles (auditors) urge nobody: they change nothing, as everywhere.

The urge is an event that does not move the state (``case_urged``: the holder and the text),
written through ``events.record`` in one transaction with the checks. A holder of a case is
urged at most ``per_day`` times per Beijing day, whoever urges.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any

from ..clock import SHANGHAI
from ..errors import PermissionDenied
from ..errors import TooManyRequests
from ..errors import TransitionNotAllowed
from ..errors import ValidationFailed
from ..fields import required_text
from ..notifications.write import Notifier
from ..persistence import cases as store
from ..queries.facts import case_facts
from ..types import Actor
from . import events
from .base import CaseCommand

MAX_TEXT = 500


@dataclass(frozen=True)
class Urging(CaseCommand):
    per_day: int = 1
    notifier: Notifier | None = None

    def urge(self, case_id: int, username: Any, text: Any, actor: Actor) -> datetime:
        """Urge ``username``, a holder of the case, with ``text``; CaseNotFound unless ``actor`` sees it."""
        with self.db.write() as conn:
            row = store.lock_case(conn, case_id)
            scope = self.reader.scope(conn, row, row.recused_names)
            role = self.policy.require(actor, "read_cases", scope)
            if self.policy.read_only(actor):
                raise PermissionDenied("只读角色不能催办")
            errors: dict[str, str] = {}
            if not isinstance(username, str) or not username:
                errors["username"] = "被催办人：此项为必填项"
            body = required_text(errors, "text", "催办内容", text, MAX_TEXT)
            if errors:
                raise ValidationFailed(errors)
            if row.final:
                raise TransitionNotAllowed("案件已办结，无需催办")
            holders = self.reader.holders_on(conn, row, scope, case_facts(conn, row, row.recused_names))
            if username not in {h.username for h in holders}:
                raise TransitionNotAllowed(f"{username} 不是本案件的当前办理人，不能催办")
            if username == actor.username:
                raise TransitionNotAllowed("您是本案件的当前办理人，不能催办自己")
            now = self.clock.now()
            day = datetime.combine(now.astimezone(SHANGHAI).date(), time(0), tzinfo=SHANGHAI)
            today = [e for e in store.events(conn, case_id) if e.type == "case_urged" and e.at >= day
                     and (e.data or {}).get("holder") == username]
            if len(today) >= self.per_day:
                tomorrow = int((day + timedelta(days=1) - now).total_seconds())
                raise TooManyRequests(
                    f"今天已催办过 {username}（每位办理人每天最多催办{self.per_day}次），请明天再催办", tomorrow)
            events.record(conn, self.key, row, "case_urged", actor, role, now, {"holder": username, "text": body})
            if self.notifier is not None:
                self.notifier.urged(conn, row, username, actor, body, now)
        return now
