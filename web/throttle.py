"""Throttling: failed vote codes per client address; uploads and events per user and per case.

The counters live in the database (``engine.users``' failure counters, the ones sign-in uses)
so every gunicorn worker sees them. Only failures are counted: the row names an address and
when its failures began, never a code or a choice.
"""

from __future__ import annotations

import math
from datetime import timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError

from workflow import Actor
from workflow.clock import SHANGHAI
from workflow.errors import TooManyRequests

from . import engine

VOTE_FAILURES = 20


def _key(address: str) -> str:
    return f"vote:{address}"


def vote_locked(address: str) -> str:
    """The Chinese refusal while ``address`` is locked out, else empty."""
    until = engine().users.locked_until(_key(address))
    if until is None:
        return ""
    return f"选票码错误次数过多，请于 {until.astimezone(SHANGHAI):%H:%M}（北京时间）后再试"


def vote_failed(address: str) -> None:
    try:
        engine().users.record_failure(_key(address), limit=VOTE_FAILURES)
    except IntegrityError:  # two first failures of one address at once (PostgreSQL): the row exists now
        engine().users.record_failure(_key(address), limit=VOTE_FAILURES)


# --- flood limits: uploads and events per user and per case ----------------------------------------
# The same database counters, one per (kind, user) and (kind, case): a request is refused while
# its counter is locked; a successful upload or event counts, and the one that reaches the limit
# locks its counter for the window. Refused requests store nothing and are not counted.

def _flood_keys(kind: str, case_id: int, username: str) -> list[tuple[str, str]]:
    return [(f"flood:{kind}:user:{username}", "user"), (f"flood:{kind}:case:{case_id}", "case")]


def flood_check(kind: str, case_id: int, actor: Actor) -> None:
    """Raise TooManyRequests (429, the wait in Chinese) while either counter is locked.

    A locked case counter is told only to someone who may see the case (else CaseNotFound).
    """
    users = engine().users
    now = engine().clock.now()
    for key, scope in _flood_keys(kind, case_id, actor.username):
        until = users.locked_until(key)
        if until is not None:
            if scope == "case":
                engine().get_case(case_id, actor)
            wait = max(1, math.ceil((until - now).total_seconds()))
            who = "您" if scope == "user" else "本案件"
            raise TooManyRequests(f"{who}{WHAT[kind]}过于频繁，请{_wait_text(wait)}后再试"
                                  f"（{until.astimezone(SHANGHAI):%H:%M:%S}，北京时间）", wait)


def flood_count(kind: str, case_id: int, username: str) -> None:
    """Count one successful upload or event against the user's and the case's limit."""
    limits = current_app.extensions["cadreflow_config"].flood
    window = timedelta(minutes=limits.window_minutes)
    for key, scope in _flood_keys(kind, case_id, username):
        limit = getattr(limits, f"{kind}s_per_{scope}")
        try:
            engine().users.record_failure(key, limit=limit, window=window, lock=window)
        except IntegrityError:  # two first counts at once (PostgreSQL): the row exists now
            engine().users.record_failure(key, limit=limit, window=window, lock=window)


WHAT = {"upload": "上传附件", "event": "办理事项"}


def _wait_text(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}分{rest}秒" if minutes else f"{rest}秒"
