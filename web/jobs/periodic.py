"""Periodic jobs: the one place that says what runs on a schedule.

Each entry names a module and a function ``fn(engine, now)``; the queue registers it with
huey when the module provides the function and skips it (logged once) when it does not,
so a feature written in parallel is wired by its module existing. To add one, append a
``Periodic`` here; the integrator of reminders only needs ``run_reminders`` to exist.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workflow import Engine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    name: str
    module: str
    function: str
    minute: str = "*"  # huey crontab fields (Beijing time is not assumed: the worker's clock)
    hour: str = "*"


PERIODIC: list[Periodic] = [
    # 提醒 (reminders of due cases): notifications written on another branch; wired when the module exists.
    Periodic("reminders", "workflow.notifications", "run_reminders", minute="*/15"),
]


def resolve(entry: Periodic) -> Callable[[Engine, datetime], Any] | None:
    """The entry's function, or None when its module or function is not there (yet)."""
    try:
        module = importlib.import_module(entry.module)
    except ModuleNotFoundError as exc:
        if exc.name and entry.module.startswith(exc.name):
            log.info("periodic job %s not registered: no module %s", entry.name, entry.module)
            return None
        raise
    fn = getattr(module, entry.function, None)
    if not callable(fn):
        log.info("periodic job %s not registered: %s has no %s", entry.name, entry.module, entry.function)
        return None
    return fn  # type: ignore[no-any-return]
