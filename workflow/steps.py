"""A case's steps as the rules count them: the history with withdrawn steps taken out.

History is append-only: a step taken back (撤回) stays in it, followed by a
``step_withdrawn`` event naming its ``seq``. ``effective`` drops both, so the
rules (approvals so far, added signers, the events since entering a state,
separation of duties) see the case as it was before the step. ``replay_data``
folds the effective history into the case data, which is how a withdrawal
finds the data the case had before the step.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from typing import Any
from typing import Protocol
from typing import TypeVar

from .audit import iso

STEP_TYPES = frozenset({"transition_fired", "approval_recorded"})
WITHDRAWN = "step_withdrawn"
SIGNER_ADDED = "signer_added"
# What ``case_started`` records besides the case data.
START_META = frozenset({"title", "subject_id", "org_id", "definition", "definition_version", "definition_hash",
                        "opened_by_case"})


class Item(Protocol):
    @property
    def seq(self) -> int: ...
    @property
    def type(self) -> str: ...
    @property
    def event(self) -> str | None: ...
    @property
    def from_state(self) -> str | None: ...
    @property
    def to_state(self) -> str | None: ...
    @property
    def data(self) -> Any: ...


T = TypeVar("T", bound=Item)

def withdrawn_seqs(items: Sequence[Item]) -> set[int]:
    return {int(i.data.get("seq", 0)) for i in items if i.type == WITHDRAWN}


def effective(items: Sequence[T]) -> list[T]:
    """``items`` without the withdrawn steps and the withdrawals."""
    if not any(i.type == WITHDRAWN for i in items):
        return list(items)
    gone = withdrawn_seqs(items)
    return [i for i in items if i.type != WITHDRAWN and i.seq not in gone]


def since_entering(items: Sequence[T], state: str) -> list[T]:
    """The effective events since the case last entered ``state``."""
    kept = effective(items)
    start = 0
    for n, item in enumerate(kept):
        if item.to_state == state and item.from_state != state:
            start = n + 1
    return kept[start:]


def entered_at(items: Sequence[T], state: str) -> T | None:
    """The effective event by which the case last entered ``state``."""
    found = None
    for item in effective(items):
        if item.to_state == state and item.from_state != state:
            found = item
    return found


def replay_data(items: Sequence[Item], append_to: Callable[[str | None], str | None],
                moves: Callable[[Item], bool]) -> dict[str, Any]:
    """The case data the effective history gives: the start data, then each step that merged its data.

    ``append_to(trigger)`` names the list a trigger's entries go to; ``moves(item)`` tells an
    approval that completed its event (only those merge their data).
    """
    data: dict[str, Any] = {}
    for item in effective(items):
        values = dict(item.data or {})
        if item.type == "case_started":
            data = {k: v for k, v in values.items() if k not in START_META}
        elif item.type == "transition_fired" or (item.type == "approval_recorded" and moves(item)):
            target = append_to(item.event)
            if target:
                entry = {**values, "by": getattr(item, "actor", ""), "at": _iso(getattr(item, "at", None))}
                data[target] = [*(data.get(target) or []), entry]
            else:
                data.update(values)
    return data


def _iso(at: Any) -> Any:
    return iso(at) if at is not None else None
