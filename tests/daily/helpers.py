"""Shared set-up of the 委托/抄送 tests: the small `cosign` procedure (tests/definitions/countersign).

submit (officer, names the inspection team) -> review, where 审核同意 needs 2 reviewers and is
distinct from 提交 -> signing, where every team member signs (会签, named members).
"""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from pathlib import Path
from typing import Any

from workflow import Engine

from ..conftest import add_users

DEFS = Path(__file__).parent.parent / "definitions" / "countersign"
TODAY = date(2026, 11, 25)  # DEFAULT_NOW in Beijing
# io: an inspector who is also an officer, so that she sees the organization's cases in her own right.
USERS = {"off": ["officer"], "r1": ["reviewer"], "r2": ["reviewer"], "r3": ["reviewer"], "i1": ["inspector"],
         "i2": ["inspector"], "i3": ["inspector"], "io": ["inspector", "officer"],
         "ro": ["reviewer", "officer"], "aud": ["auditor"]}


def people(e: Engine) -> dict[str, Any]:
    return add_users(e, USERS)


def day(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


def signing(e: Engine, a: dict[str, Any], team: list[str] | None = None, by: str = "off") -> Any:
    """A case waiting for the team's 会签."""
    case = e.start_case("cosign", a[by], title="委托测试", data={"summary": "摘要"})
    case = e.fire(case.id, "submit", a[by], {"team": team or ["i1", "i2"]}, case.version).case
    case = e.fire(case.id, "approve", a["r1"], {}, case.version).case
    return e.fire(case.id, "approve", a["r2"], {}, case.version).case


def in_review(e: Engine, a: dict[str, Any], by: str = "off") -> Any:
    case = e.start_case("cosign", a[by], title="委托测试", data={"summary": "摘要"})
    return e.fire(case.id, "submit", a[by], {"team": ["i1", "i2"]}, case.version).case
