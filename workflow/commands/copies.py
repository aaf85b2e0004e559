"""抄送: an event copies the case to named users, who may then read it (read-only).

Who may be copied is the policy's (``Policy.copy_refusal``: need-to-know, not recused). The copy
is its own history event (``case_copied``: the users, their names, the step it came with), in the
transaction of the event it comes with, so a refused copy refuses the event and nothing changes.
Each user copied is told (notification ``copied``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from ..errors import ValidationFailed
from ..notifications.write import Notifier
from ..persistence import cases as store
from ..persistence import daily
from ..persistence.actors import active_actor
from ..policy import Policy
from ..queries.cases import CaseReader
from ..types import Actor
from . import events

MAX_COPIES = 20
COPIED = "case_copied"


def wanted(cc: Any) -> list[str]:
    """The usernames of a ``cc`` list as sent (None or empty: none); ValidationFailed for a bad shape."""
    if cc is None or cc == "" or cc == []:
        return []
    if isinstance(cc, str):
        cc = [p for p in cc.replace("，", ",").replace(" ", ",").split(",") if p]
    if not isinstance(cc, list) or not all(isinstance(u, str) and u.strip() for u in cc):
        raise ValidationFailed({"cc": "抄送：应为用户名列表"})
    names = list(dict.fromkeys(u.strip() for u in cc))
    if len(names) > MAX_COPIES:
        raise ValidationFailed({"cc": f"抄送：一次最多抄送{MAX_COPIES}人"})
    return names


def copy_case(conn: Connection, key: bytes, reader: CaseReader, policy: Policy, notifier: Notifier | None,
              case_id: int, usernames: list[str], actor: Actor, role: str, step: str) -> None:
    """Copy the case to ``usernames`` with the step ``step`` just taken (ValidationFailed naming each refusal)."""
    row = store.lock_case(conn, case_id)
    scope = reader.scope(conn, row, row.recused_names)
    problems: list[str] = []
    people: list[Actor] = []
    for username in usernames:
        who = active_actor(conn, username)
        if who is None:
            problems.append(f"用户不存在或已停用（{username}）")
        elif username == actor.username:
            problems.append("不能抄送给自己")
        elif (why := policy.copy_refusal(who, scope)) is not None:
            problems.append(why)
        else:
            people.append(who)
    if problems:
        raise ValidationFailed({"cc": "抄送：" + "；".join(problems)})
    now = reader.clock.now()
    after = events.record(conn, key, row, COPIED, actor, role, now,
                          {"users": [p.username for p in people], "names": [p.display for p in people],
                           "step": step})
    daily.add_copies(conn, case_id, [p.username for p in people], after.head_seq, actor.username, now)
    if notifier is not None:
        d = reader.definition(row)
        notifier.add(conn, [p.username for p in people], case_id, "copied",
                     f"{actor.display}将《{row.title}》（{d.title}）抄送给您查阅（{step}）。", now)
