"""撤回上一步: whether a user may take back their own last step, and what the case returns to.

Only a step of an event marked ``withdrawable`` in the definition, fired by the user or, by
委托, for the user (the delegate and the delegator alike may take it back), not taken back
already. A 会签 signature that did not complete its event may be taken back while the case is
still in that state (the 会签 still waits), whoever signed after it.
Any other step only while nobody else has done anything on the case since (a 催办 is not
acting) and the case is still where the step left it; it returns to the step's state
with the data it had before (``steps.replay_data``).

This is not the definitions' own 撤回 events (``kind: withdraw``, such as 撤回申请): those
are steps of the procedure that end or rework a case; this takes back a mistaken step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..definition.schema import ProcessDefinition
from ..definition.schema import TransitionDef
from ..steps import STEP_TYPES
from ..steps import since_entering
from ..steps import withdrawn_seqs
from ..types import HistoryItem

NOT_ACTING = frozenset({"case_urged"})


@dataclass(frozen=True)
class Withdrawal:
    """A step the user may take back: the step, its event and whether it is a lone signature."""

    step: HistoryItem
    transition: TransitionDef
    signature: bool

    @property
    def label(self) -> str:
        return f"撤回{'签署' if self.signature else ''}“{self.transition.label}”"


def find_step(d: ProcessDefinition, step: HistoryItem) -> TransitionDef | None:
    """The transition a step fired (its event from its state)."""
    for t in d.transitions_named(step.event or ""):
        if step.from_state in t.sources:
            return t
    return None


def withdrawal(d: ProcessDefinition, items: Sequence[HistoryItem], state: str, final: bool,
               username: str) -> Withdrawal | str:
    """The step ``username`` may take back now, or why not (in Chinese)."""
    mine = [i for i in items if i.type in STEP_TYPES and username in (i.actor, i.on_behalf_of)]
    if not mine:
        return "您在本案件没有可撤回的办理步骤"
    step = mine[-1]
    if step.seq in withdrawn_seqs(items):
        return "您的上一步已经撤回，不能再撤回"
    t = find_step(d, step)
    if t is None or not t.withdrawable:
        label = t.label if t is not None else step.event
        return f"“{label}”办理后不能撤回（流程未规定可撤回）"
    signature = step.type == "approval_recorded" and step.from_state == step.to_state and t.dest != step.from_state
    if final:
        return "案件已办结，不能撤回"
    if signature:
        if state != step.from_state or step.seq not in {i.seq for i in since_entering(items, state)}:
            return f"“{t.label}”已经完成或案件已转入其他环节，签署不能撤回"
        return Withdrawal(step, t, True)
    ours = {username, step.actor, step.principal}
    later = [i for i in items if i.seq > step.seq and i.principal not in ours and i.type not in NOT_ACTING]
    if later:
        return f"其他人员（{later[0].actor}）已在您之后办理本案件，不能撤回"
    if state != step.to_state:
        return "案件已不在您办理后的环节，不能撤回"
    return Withdrawal(step, t, False)
