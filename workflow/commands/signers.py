"""加签: add a named signer to a 会签 that is waiting in the case's state.

Who may add is the capability ``add_signers`` (roles.yaml) on a case the user sees and is
not recused from. The added user must see the case, hold a role of the event, not be
recused, not have signed, not be expected already, and not be barred by separation of
duties. The addition is a history event (``signer_added``: the event, the user, the
reason) that does not move the state; the requirement grows by one and the signer is
awaited (``policy.acting.required_approvals``) until the case leaves the state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import PermissionDenied
from ..errors import StaleVersion
from ..errors import TransitionNotAllowed
from ..errors import ValidationFailed
from ..fields import required_text
from ..notifications.write import Notifier
from ..persistence import cases as store
from ..persistence.actors import active_actor
from ..policy import RECUSAL_SOURCE
from ..policy.acting import approvers_so_far
from ..policy.acting import did
from ..policy.acting import required_approvals
from ..queries.facts import case_facts
from ..steps import SIGNER_ADDED
from ..steps import effective
from ..types import Actor
from ..types import Approvals
from . import events
from .base import CaseCommand

MAX_REASON = 1000


@dataclass(frozen=True)
class SignerAdding(CaseCommand):
    notifier: Notifier | None = None

    def add_signer(self, case_id: int, username: Any, reason: Any, actor: Actor,
                   event: str | None = None, expected_version: int | None = None) -> tuple[str, Approvals]:
        """Add ``username`` to the waiting 会签 of the case (``event`` when its state has several).

        Returns the event and its approvals after the addition. Raises CaseNotFound, PermissionDenied,
        ValidationFailed, TransitionNotAllowed, StaleVersion.
        """
        errors: dict[str, str] = {}
        if not isinstance(username, str) or not username.strip():
            errors["username"] = "加签人员：此项为必填项"
        text = required_text(errors, "reason", "加签理由", reason, MAX_REASON)
        with self.db.write() as conn:
            row = store.lock_case(conn, case_id)
            scope = self.reader.scope(conn, row, row.recused_names)
            role = self.policy.require(actor, "add_signers", scope)
            if actor.username in row.recused_names:
                raise PermissionDenied(f"您已回避本案件，不能加签（回避制度，{RECUSAL_SOURCE}）")
            if errors:
                raise ValidationFailed(errors)
            assert isinstance(username, str)
            username = username.strip()
            if expected_version is not None and row.version != expected_version:
                raise StaleVersion(expected_version, row.version)
            d = self.reader.definition(row)
            waiting = [] if row.final else [
                t for t in self.registry.machine(d).moves_from(row.state) if t.approvals is not None]
            if event is not None:
                waiting = [t for t in waiting if t.trigger == event]
            if not waiting:
                raise TransitionNotAllowed(f"案件当前处于“{d.state_label(row.state)}”，没有正在进行的会签，不能加签")
            if len(waiting) > 1:
                raise ValidationFailed({"event": "会签事项：本环节有多项会签，须指明为哪一项加签"})
            t = waiting[0]
            facts = case_facts(conn, row, row.recused_names)
            given = approvers_so_far(t, facts)
            required, expected = required_approvals(t, facts)
            who = active_actor(conn, username)
            if who is None:
                raise ValidationFailed({"username": f"加签人员：用户不存在或已停用（{username}）"})
            if username in row.recused_names:
                raise ValidationFailed({"username": f"加签人员：{username} 已回避本案件，不能加签"
                                                    f"（回避制度，{RECUSAL_SOURCE}）"})
            if not set(t.roles) & who.roles:
                raise ValidationFailed({"username": f"加签人员：“{t.label}”须由{self.policy.roles_text(t.roles)}签署，"
                                                    f"{username} 没有该角色"})
            if not self.policy.may_see(who, scope):
                raise ValidationFailed({"username": f"加签人员：{username} 无权查阅本案件（干部管理权限），不能加签"})
            if username in given:
                raise ValidationFailed({"username": f"加签人员：{username} 已签署“{t.label}”"})
            if username in expected:
                raise ValidationFailed({"username": f"加签人员：{username} 已在“{t.label}”的签署人员中"})
            barred = {h.event for h in effective(facts.history) if did(h, username)
                      and h.event in t.distinct_from and h.type in ("transition_fired", "approval_recorded")}
            if barred:
                raise ValidationFailed({"username": f"加签人员：{username} 办理过本案件的前一环节，"
                                                    f"按职责分离不得签署“{t.label}”"})
            now = self.clock.now()
            after = events.record(conn, self.key, row, SIGNER_ADDED, actor, role, now,
                                  {"event": t.trigger, "username": username, "name": who.name, "reason": text})
            if self.notifier is not None:  # the added signer holds the case now: 新待办
                self.notifier.after_event(conn, after, self.notifier.holders_now(conn, after), actor, now)
            expected = [*expected, username]
            awaited = tuple(m for m in expected if m not in given)
            return t.trigger, Approvals(required + 1, len(given), tuple(given), awaited)
