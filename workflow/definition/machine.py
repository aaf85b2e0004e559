"""One ``transitions`` machine per definition version: the single source of valid moves.

The machine is built once from the definition (``auto_transitions=False``: no
``to_<state>()`` jumps; ``ignore_invalid_triggers=False``) and its transition
table is indexed once by (state, trigger). An event is looked up there exactly
once; a trigger the machine does not have from a state is refused with the
definition's labels.

Why not run the engine's checks as the machine's conditions and callbacks: the
engine reports every failing rule of an event at once, each with its rule text
and source, and applies effects only inside the database transaction that also
writes the history event; ``transitions`` stops at the first failing condition
and changes the model's state before ``after`` callbacks run. So the machine
validates the graph and answers "which transition, to where"; the engine does the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from transitions import Machine

from ..errors import TransitionNotAllowed
from .schema import ProcessDefinition
from .schema import TransitionDef


class CaseMachine:
    def __init__(self, definition: ProcessDefinition) -> None:
        self.definition = definition
        self.machine = Machine(
            model=None,
            states=[s.name for s in definition.states],
            transitions=[{"trigger": t.trigger, "source": list(t.sources), "dest": t.dest}
                         for t in definition.transitions],
            initial=definition.initial.name,
            auto_transitions=False,
            ignore_invalid_triggers=False,
            send_event=True,
            queued=False,
        )
        defs = {(t.trigger, source): t for t in definition.transitions for source in t.sources}
        self._moves: dict[tuple[str, str], TransitionDef] = {}
        self._from: dict[str, list[TransitionDef]] = {s.name: [] for s in definition.states}
        for trigger, event in self.machine.events.items():
            for source, moves in event.transitions.items():
                for move in moves:
                    t = defs[(trigger, source)]
                    if move.dest != t.dest:
                        raise ValueError(f"machine and definition disagree on {trigger} from {source}")
                    self._moves[(source, trigger)] = t
                    self._from[source].append(t)
        order = {id(t): i for i, t in enumerate(definition.transitions)}
        for moves_from in self._from.values():
            moves_from.sort(key=lambda t: order[id(t)])

    def move(self, state: str, trigger: str, data: Mapping[str, Any] | None = None) -> TransitionDef:
        """The transition ``trigger`` fires from ``state`` for a case holding ``data``, or TransitionNotAllowed."""
        t = self._moves.get((state, trigger))
        d = self.definition
        if t is not None:
            if t.applies(data):
                return t
            assert data is not None
            name, values = next((n, v) for n, v in t.when if data.get(n) not in v)
            f = d.find_field(name)
            held = f.choice_label(data.get(name)) if f else str(data.get(name))
            raise TransitionNotAllowed(f"本案件{d.field_label(name)}为“{held}”，不适用“{t.label}”",
                                       event=trigger, state=state)
        named = d.transitions_named(trigger)
        if not named:
            raise TransitionNotAllowed(f"流程“{d.title}”没有“{trigger}”这一事件", event=trigger, state=state)
        raise TransitionNotAllowed(f"当前状态“{d.state_label(state)}”下不能执行“{named[0].label}”",
                                   event=trigger, state=state)

    def moves_from(self, state: str, data: Mapping[str, Any] | None = None) -> list[TransitionDef]:
        """Every transition out of ``state`` (self-loops included), in the definition's order;
        with ``data``, only those that apply to a case holding it (``when``)."""
        moves = self._from.get(state, [])
        return moves if data is None else [t for t in moves if t.applies(data)]
