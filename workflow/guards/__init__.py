"""Registry of named guards: pure predicates over a read-only case context.

A guard is declared in a definition by name with literal parameters::

    conditions:
      - name: quorum
        params: {total: members_total, present: members_present, votes_for: votes_for}
        rule: 讨论决定须应到会成员三分之二以上到会、超过半数同意
        source: 《党政领导干部选拔任用工作条例》第四十七条

A guard returns None when the rule holds, or a short Chinese text with the
figure that failed (``实际到会5人，应到9人，不足三分之二``). The engine builds
the full message ``rule（source）：figure``.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from .context import GuardContext

GuardFn = Callable[[GuardContext, Mapping[str, Any]], "str | None"]

# Parameter kinds checked when a definition loads.
PARAM_KINDS = ("int", "number", "str", "bool", "field", "fields", "state", "states", "event",
               "str_list", "ratio", "mapping", "definition")


@dataclass(frozen=True)
class Param:
    kind: str
    required: bool = True
    default: Any = None
    choices: tuple[Any, ...] = ()
    min: float | None = None


@dataclass(frozen=True)
class GuardSpec:
    name: str
    fn: GuardFn
    params: dict[str, Param]
    rule: str = ""
    source: str = ""
    doc: str = ""
    needs: frozenset[str] = field(default_factory=frozenset)


GUARDS: dict[str, GuardSpec] = {}


def guard(name: str, *, rule: str = "", source: str = "", **params: Param) -> Callable[[GuardFn], GuardFn]:
    """Register a guard under ``name`` with its parameter schema.

    ``rule`` and ``source`` are defaults a definition may override; a definition
    must end up with both for every condition it declares.
    """

    def register(fn: GuardFn) -> GuardFn:
        if name in GUARDS:
            raise RuntimeError(f"guard {name!r} registered twice")
        GUARDS[name] = GuardSpec(name, fn, dict(params), rule, source, (fn.__doc__ or "").strip())
        return fn

    return register


def with_defaults(spec: GuardSpec, params: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: p.default for k, p in spec.params.items() if not p.required}
    out.update(params)
    return out


def rule_value(value: Any) -> Any:
    """A parameter as a rule's text shows it: ratios as 三分之二, lists joined with 、."""
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        from .common import ratio_text

        return ratio_text(value)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value


def load_builtin_guards() -> None:
    """Import the modules that register guards (idempotent)."""
    from . import common  # noqa: F401
    from . import procedures  # noqa: F401


__all__ = ["GUARDS", "GuardContext", "GuardSpec", "Param", "guard", "load_builtin_guards", "rule_value",
           "with_defaults"]
