"""Regulatory numbers a form prints, read from the definition (never constants in Python).

A form that states "申诉期15日" or computes a quorum takes the number from the guard
parameters of the procedure's YAML, with the guard's own defaults.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from workflow.definition.schema import ProcessDefinition
from workflow.extensions import builtins
from workflow.extensions import ratio_text


def guard_params(d: ProcessDefinition, trigger: str, guard: str) -> dict[str, Any] | None:
    """The parameters (with defaults) of the first ``guard`` on ``trigger``; None if it has none."""
    guards = builtins().guards
    for t in d.transitions_named(trigger):
        for ref in t.conditions:
            if ref.name == guard:
                return guards[ref.name].with_defaults(ref.params)
    return None


def guard_rule(d: ProcessDefinition, trigger: str, guard: str) -> tuple[str, str] | None:
    """(rule text with parameters filled in, source) of the first ``guard`` on ``trigger``."""
    params = guard_params(d, trigger, guard)
    for t in d.transitions_named(trigger):
        for ref in t.conditions:
            if ref.name == guard and params is not None:
                shown = {k: ratio_text(v) if _is_ratio(v) else v for k, v in params.items()}
                try:
                    rule = ref.rule.format(**shown)
                except (KeyError, IndexError, ValueError):
                    rule = ref.rule
                return rule, ref.source
    return None


def _is_ratio(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)


def quorum(
    total: int,
    present: int,
    votes_for: int,
    recused: int = 0,
    present_ratio: tuple[int, int] = (2, 3),
    votes_ratio: tuple[int, int] = (1, 2),
) -> dict[str, Any]:
    """The quorum computation as the ``quorum`` guard does it, with every intermediate figure."""
    pn, pd = present_ratio
    vn, vd = votes_ratio
    need_present = math.ceil(total * pn / pd)
    effective = present - recused
    need_votes = (total * vn) // vd + 1
    present_ok = effective >= need_present
    votes_ok = votes_for * vd > total * vn
    return {
        "total": total,
        "present": present,
        "recused": recused,
        "effective": effective,
        "present_ratio": ratio_text([pn, pd]),
        "votes_ratio": ratio_text([vn, vd]),
        "need_present": need_present,
        "need_votes": need_votes,
        "votes_for": votes_for,
        "present_ok": present_ok,
        "votes_ok": votes_ok,
        "passed": present_ok and votes_ok,
    }


def quorum_for(d: ProcessDefinition, trigger: str, data: Mapping[str, Any]) -> dict[str, Any] | None:
    """The quorum computation of ``trigger``'s quorum guard over the values in ``data``."""
    p = guard_params(d, trigger, "quorum")
    if p is None:
        return None

    def num(key: str | None) -> int:
        value = data.get(key) if key else None
        return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0

    return quorum(
        num(p["total"]),
        num(p["present"]),
        num(p["votes_for"]),
        num(p.get("recused")),
        tuple(p["present_ratio"]),
        tuple(p["votes_ratio"]),
    )  # type: ignore[arg-type]
