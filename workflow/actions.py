"""Registry of named actions: effects an event has besides moving the state.

Actions run inside the engine's transaction, after the guards passed and the
move is known, and only through the ``Effects`` the engine hands them. Whatever
an action sets on the case is also written into the history event.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from typing import Protocol

from .guards import Param
from .guards.context import GuardContext


class Effects(Protocol):
    """What an action may do; implemented by the engine inside its transaction."""

    def set_data(self, key: str, value: Any) -> None: ...

    def next_number(self, counter: str) -> int: ...

    def open_case(self, definition: str, relation: str, title: str, data: Mapping[str, Any]) -> int: ...

    def link_case(self, case_id: int, relation: str) -> None: ...

    def find_cases(self, definitions: list[str], states: list[str], subject_id: int | None) -> list[int]: ...

    def add_mark(self, kind: str, label: str, starts_on: date | None, ends_on: date | None,
                 reason: str) -> None: ...


ActionFn = Callable[[GuardContext, Effects, Mapping[str, Any]], None]


@dataclass(frozen=True)
class ActionSpec:
    name: str
    fn: ActionFn
    params: dict[str, Param]
    doc: str = ""


ACTIONS: dict[str, ActionSpec] = {}


def action(name: str, **params: Param) -> Callable[[ActionFn], ActionFn]:
    def register(fn: ActionFn) -> ActionFn:
        if name in ACTIONS:
            raise RuntimeError(f"action {name!r} registered twice")
        ACTIONS[name] = ActionSpec(name, fn, dict(params), (fn.__doc__ or "").strip())
        return fn

    return register


def load_builtin_actions() -> None:
    from . import builtin_actions  # noqa: F401
    from . import procedure_actions  # noqa: F401
