"""A version conflict on an action form: who changed the case since the form was opened, and what."""

from __future__ import annotations

from documents import present
from workflow import Actor
from workflow.clock import SHANGHAI

from .. import engine
from .present import user_names

FIRED = ("transition_fired", "approval_recorded")  # the events that raise a case's version by one


def conflict_messages(case_id: int, version: int, actor: Actor) -> list[str]:
    """The conflict explained from the history: the events fired since ``version`` (a case starts at 1,
    each fired event adds one), by whom; 「您已在其他窗口办理了此案件」 when they were all the viewer's."""
    eng = engine()
    history = eng.history(case_id, actor)
    fired = [ev for ev in history if ev.type in FIRED][max(version - 1, 0):]
    case = eng.get_case(case_id, actor)
    d = eng.registry.get(case.definition, case.definition_version)
    rows = present.event_rows(d, fired, user_names(), eng.policy.role_label)
    changes = [f"{r.actor}于{r.event.at.astimezone(SHANGHAI):%m月%d日 %H:%M}办理了“{r.title}”"
               + (f"（{r.moved}）" if r.moved else "") for r in rows]
    mine = bool(fired) and all(ev.actor == actor.username for ev in fired)
    if mine:
        head = "您已在其他窗口办理了此案件，本页的内容尚未提交"
    elif fired:
        who = "、".join(dict.fromkeys(r.actor for r in rows if r.event.actor != actor.username))
        head = f"您打开此页后，{who}办理了此案件，本页的内容尚未提交"
    else:
        head = "案件已有新的办理，本页的内容尚未提交"
    tail = (f"您填写的内容已保留，案件现处于“{case.state_label}”；请核对后点击“按最新情况重新提交”"
            if not case.final else "案件已办结，不能再办理")
    return [head, *changes, tail]
