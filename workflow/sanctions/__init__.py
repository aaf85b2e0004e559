"""The kinds of 处分、问责、组织处理、诫勉 and their 影响期, as data (``kinds.yaml`` next to this module).

A sanction is decided on a day (``decided_on``); its 影响期 lasts the kind's ``months``
and ``effect_until`` is the same day of the month that many months later (the 31st
falls back to the month's last day). ``effect_until`` is the LAST day of the period:
the person is blocked on it and free from the next day (《民法典》第二百零一条: the
start day is not counted, the corresponding day of the final month ends the period).
``months`` 0 means no 影响期 (通报), ``None`` one without end (政务开除).

    >>> from datetime import date
    >>> kind("党纪警告").effect_until(date(2025, 3, 10))
    datetime.date(2026, 3, 10)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml


class UnknownKind(KeyError):
    """A sanction kind the register does not know."""


@dataclass(frozen=True)
class SanctionKind:
    kind: str
    label: str
    category: str
    months: int | None
    source: str
    tag: str = "S"
    blocks: str = ""

    def effect_until(self, decided_on: date) -> date | None:
        """The last day of the 影响期 (None: no end, or no period at all when ``months`` is 0)."""
        if self.months is None or self.months == 0:
            return None
        return add_months(decided_on, self.months)

    @property
    def has_period(self) -> bool:
        return self.months != 0

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "label": self.label, "months": self.months, "source": self.source,
                "category": self.category, "blocks": self.blocks, "tag": self.tag}


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months; a day the month lacks falls back to its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(f"invalid date arithmetic: {day} + {months} months")


def active_on(months: int | None, decided_on: date, effect_until: date | None, day: date) -> bool:
    """Whether a sanction decided on ``decided_on`` still blocks on ``day`` (its end day included)."""
    if months == 0 or day < decided_on:
        return False
    return effect_until is None or day <= effect_until


@cache
def kinds() -> tuple[SanctionKind, ...]:
    """Every kind, in the order of ``kinds.yaml``."""
    raw = yaml.safe_load(resources.files(__package__).joinpath("kinds.yaml").read_text(encoding="utf-8"))
    out = []
    for item in raw["kinds"]:
        months = item.get("months")
        if months is not None and (not isinstance(months, int) or months < 0):
            raise ValueError(f"sanction kind {item.get('kind')!r}: months must be a whole number or null")
        out.append(SanctionKind(str(item["kind"]), str(item["label"]), str(item["category"]), months,
                                " ".join(str(item["source"]).split()), str(item.get("tag", "S")),
                                str(item.get("blocks", ""))))
    names = [k.kind for k in out]
    if len(set(names)) != len(names):
        raise ValueError("sanction kinds.yaml names a kind twice")
    return tuple(out)


def kind(name: str) -> SanctionKind:
    """The kind called ``name``; ``UnknownKind`` with the known kinds otherwise."""
    for k in kinds():
        if k.kind == name:
            return k
    raise UnknownKind(f"处分类别“{name}”不存在（可选：{'、'.join(k.kind for k in kinds())}）")


__all__ = ["SanctionKind", "UnknownKind", "active_on", "add_months", "kind", "kinds"]
