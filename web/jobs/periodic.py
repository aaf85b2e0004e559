"""Periodic jobs: the one place that says what runs on a schedule.

Each entry names a function ``run(engine, now)`` and its huey crontab fields; the queue
registers every entry with huey (web/jobs/__init__.py). To add one, append a ``Periodic``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workflow import Engine


def reminders(engine: Engine, now: datetime) -> Any:
    """临期 and 逾期 notifications (workflow/notifications/reminders.py; idempotent)."""
    return engine.run_reminders(now)


@dataclass(frozen=True)
class Periodic:
    name: str
    run: Callable[[Engine, datetime], Any]
    minute: str = "*"  # huey crontab fields (Beijing time is not assumed: the worker's clock)
    hour: str = "*"


PERIODIC: list[Periodic] = [Periodic("reminders", reminders, minute="*/15")]
