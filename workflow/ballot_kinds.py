"""The kinds of ballot, their Chinese names and the options a kind offers by default."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    options: tuple[str, ...] = ()  # offered when an item gives none (推荐 names its candidates itself)


KINDS = {
    "recommendation": Kind("recommendation", "民主推荐"),
    "evaluation": Kind("evaluation", "民主测评", ("优秀", "称职", "基本称职", "不称职")),
    "vote": Kind("vote", "表决", ("同意", "不同意", "缓议")),
}
STATUS_LABELS = {"open": "投票中", "closed": "已结束"}


def kind_label(kind: str) -> str:
    found = KINDS.get(kind)
    return found.label if found else kind
