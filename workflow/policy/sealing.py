"""The sealing rule: which entries of a case a viewer may read in the case's current state.

An event with ``append_to`` and ``sealed_while`` (a panelist's scores) collects
its entries in a list of the case data; while the case is in one of the
``sealed_while`` states, a viewer sees only the entries they wrote, and the
history events that wrote the others show no data and no comment. Viewers whom
the policy lets read sealed entries (``read_sealed``) see everything. Every
channel (pages, API, PDFs, exports) reads cases through the queries that apply
this rule, so it holds everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..definition.schema import ProcessDefinition
from ..types import Actor
from . import Policy

SEALED_TEXT = "（评分密封中，评分结束后公开）"


def sealed_lists(d: ProcessDefinition, state: str) -> dict[str, str]:
    """trigger -> the list it appends to, for every event whose entries are sealed in ``state``."""
    return {t.trigger: t.append_to or "" for t in d.transitions if state in t.sealed_while}


def hides(policy: Policy, viewer: Actor | None, d: ProcessDefinition, state: str) -> dict[str, str]:
    """The sealed lists hidden from ``viewer`` (empty when nothing is hidden)."""
    sealed = sealed_lists(d, state)
    return {} if not sealed or policy.sees_sealed(viewer) else sealed


def seal_data(hidden: Mapping[str, str], data: Mapping[str, Any], viewer: Actor | None) -> dict[str, Any]:
    """The case data with the others' sealed entries removed and their number kept as ``<list>_count``."""
    out = dict(data)
    me = viewer.username if viewer else None
    for key in set(hidden.values()):
        entries = out.get(key)
        if isinstance(entries, list):
            out[key] = [e for e in entries if isinstance(e, dict) and e.get("by") == me]
            out[f"{key}_count"] = len(entries)
    return out


def event_sealed(hidden: Mapping[str, str], event: str | None, actor: str, viewer: Actor | None) -> bool:
    """Whether a history event's data and comment are hidden from ``viewer``."""
    return event in hidden and (viewer is None or actor != viewer.username)
