"""Throttling the token-less vote: failed codes counted per client address, across workers.

The counters live in the database (``engine.users``' failure counters, the ones sign-in uses)
so every gunicorn worker sees them. Only failures are counted: the row names an address and
when its failures began, never a code or a choice.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from workflow.clock import SHANGHAI

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
