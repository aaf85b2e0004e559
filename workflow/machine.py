"""One ``transitions`` machine per definition version, built once and cached.

The machine only answers "where does this trigger lead from this state"; the
engine's guards run before it. Cases are never decorated: each move uses a
throwaway token attached for the duration of one trigger.
"""

from __future__ import annotations

import threading
from typing import Any

from transitions import Machine
from transitions import MachineError

from .definition.schema import ProcessDefinition
from .errors import TransitionNotAllowed


class _Token:
    """A stand-in for one case during one trigger (never an ORM object)."""

    def __init__(self, state: str) -> None:
        self.state = state


class CaseMachine:
    def __init__(self, definition: ProcessDefinition) -> None:
        self.definition = definition
        self.machine = Machine(
            model=None,
            states=[s.name for s in definition.states],
            transitions=[
                {"trigger": t.trigger, "source": list(t.sources), "dest": t.dest}
                for t in definition.transitions
            ],
            initial=definition.initial.name,
            auto_transitions=False,
            ignore_invalid_triggers=False,
            send_event=True,
            queued=False,
        )

    def move(self, state: str, trigger: str) -> str:
        """Fire ``trigger`` on a token in ``state``; return the new state.

        The token is never added to the machine (``add_model`` costs O(states) and
        mutates shared lists): the machine's Event runs directly on it, which is
        thread-safe for an unqueued machine without callbacks.
        """
        token = _Token(state)
        event = self.machine.events.get(trigger)
        if event is None or state not in self.machine.states:
            raise TransitionNotAllowed(f"当前状态“{self.definition.state_label(state)}”下不能执行“{trigger}”",
                                       event=trigger, state=state)
        try:
            event.trigger(token)
        except MachineError:
            raise TransitionNotAllowed(f"当前状态“{self.definition.state_label(state)}”下不能执行“{trigger}”",
                                       event=trigger, state=state) from None
        return token.state

    def triggers_from(self, state: str) -> list[str]:
        return list(self.machine.get_triggers(state))


class MachineCache:
    """Machines keyed by (definition key, version); built once per process."""

    def __init__(self) -> None:
        self._machines: dict[tuple[str, int], CaseMachine] = {}
        self._lock = threading.Lock()

    def get(self, definition: ProcessDefinition) -> CaseMachine:
        key = (definition.key, definition.version)
        machine = self._machines.get(key)
        if machine is None:
            with self._lock:
                machine = self._machines.get(key)
                if machine is None:
                    machine = CaseMachine(definition)
                    self._machines[key] = machine
        return machine

    def __len__(self) -> int:
        return len(self._machines)


def machine_kwargs() -> dict[str, Any]:
    """The safe options every machine is built with (checked by tests)."""
    return {"auto_transitions": False, "ignore_invalid_triggers": False, "send_event": True}
