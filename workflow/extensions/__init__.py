"""Named guards and actions: one ``Registry`` type, the builtins registered once and explicitly.

A guard is a pure predicate over a read-only case view (``context.GuardContext``);
a definition names it with literal parameters::

    conditions:
      - name: quorum
        params: {total: members_total, present: members_present, votes_for: votes_for}
        rule: 讨论决定须应到会成员三分之二以上到会、超过半数同意
        source: 《党政领导干部选拔任用工作条例》第四十七条

It returns None when the rule holds, or a short Chinese text with the figure that
failed; the engine builds the message ``rule（source）：figure``. An action is an
effect run inside the event's transaction through the ``Effects`` it is handed.

``@guard`` and ``@action`` only describe a function (nothing is registered when a
module is imported); ``builtins()`` collects the modules listed in ``BUILTIN_MODULES``
into the registries an engine is built with. Importing nothing from persistence,
extensions see a case only through the context and the effects.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import Protocol

from ..types import PersonMark
from .context import GuardContext

# Parameter kinds checked when a definition loads.
PARAM_KINDS = ("int", "number", "str", "bool", "field", "fields", "state", "states", "event",
               "str_list", "ratio", "mapping", "definition")
BUILTIN_MODULES = ("guards_common", "guards_procedures", "actions_common", "actions_procedures", "actions_people",
                   "guards_ballots", "guards_selection", "guards_qualifications", "guards_candidates")
SPEC = "__cadreflow_spec__"


@dataclass(frozen=True)
class Param:
    kind: str
    required: bool = True
    default: Any = None
    choices: tuple[Any, ...] = ()
    min: float | None = None


@dataclass(frozen=True)
class Spec:
    """One guard or action: its function and the parameters a definition gives it.

    ``writes`` (actions only) names the case data keys the action sets; a ``{param}``
    in a name stands for that parameter's value (``{relation}_case_id``). ``offers`` (guards
    only): ``(ctx, params) -> {field: values}``, the only values the guard can let a field of the
    event take, which a form offers instead of every value of the field's type.
    """

    kind: str
    name: str
    fn: Callable[..., Any]
    params: dict[str, Param]
    rule: str = ""
    source: str = ""
    doc: str = ""
    writes: tuple[str, ...] = ()
    offers: Callable[[GuardContext, Mapping[str, Any]], Mapping[str, tuple[Any, ...]]] | None = None

    def with_defaults(self, params: Mapping[str, Any]) -> dict[str, Any]:
        out = {k: p.default for k, p in self.params.items() if not p.required}
        out.update(params)
        return out

    def written_keys(self, params: Mapping[str, Any]) -> list[str]:
        values = {k: v for k, v in self.with_defaults(params).items() if isinstance(v, str)}
        return [key.format(**values) for key in self.writes]


class Registry:
    """The guards or the actions an engine knows, by name."""

    def __init__(self, kind: str, specs: list[Spec] | None = None) -> None:
        self.kind = kind
        self._specs: dict[str, Spec] = {}
        for spec in specs or []:
            self.add(spec)

    def add(self, spec: Spec) -> None:
        if spec.kind != self.kind:
            raise ValueError(f"{spec.name!r} is a {spec.kind}, not a {self.kind}")
        if spec.name in self._specs:
            raise ValueError(f"{self.kind} {spec.name!r} registered twice")
        self._specs[spec.name] = spec

    def get(self, name: str) -> Spec | None:
        return self._specs.get(name)

    def __getitem__(self, name: str) -> Spec:
        return self._specs[name]

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def __iter__(self) -> Any:
        return iter(self._specs)

    def specs(self) -> list[Spec]:
        return list(self._specs.values())


@dataclass(frozen=True)
class Extensions:
    guards: Registry = field(default_factory=lambda: Registry("guard"))
    actions: Registry = field(default_factory=lambda: Registry("action"))

    def extended(self, other: Extensions) -> Extensions:
        """These and ``other``'s guards and actions (a deployment's own next to the builtins)."""
        return Extensions(Registry("guard", [*self.guards.specs(), *other.guards.specs()]),
                          Registry("action", [*self.actions.specs(), *other.actions.specs()]))


def _describe(kind: str, name: str, params: dict[str, Param], rule: str = "", source: str = "",
              writes: tuple[str, ...] = (), offers: Any = None) -> Callable[[Any], Any]:
    def mark(fn: Any) -> Any:
        setattr(fn, SPEC, Spec(kind, name, fn, params, rule, source, (fn.__doc__ or "").strip(), writes, offers))
        return fn

    return mark


def guard(name: str, *, rule: str = "", source: str = "", offers: Any = None, **params: Param
          ) -> Callable[[Any], Any]:
    """Describe a guard; ``rule`` and ``source`` are defaults a definition may override; ``offers``
    (see ``Spec``) the values it lets a field take."""
    return _describe("guard", name, dict(params), rule, source, offers=offers)


def action(name: str, *, writes: tuple[str, ...] = (), **params: Param) -> Callable[[Any], Any]:
    """Describe an action and the case data keys it writes."""
    return _describe("action", name, dict(params), writes=writes)


def collect(*modules: Any) -> Extensions:
    """The registries of every described function in ``modules``."""
    out = Extensions()
    for module in modules:
        for value in vars(module).values():
            spec = getattr(value, SPEC, None)
            if isinstance(spec, Spec):
                (out.guards if spec.kind == "guard" else out.actions).add(spec)
    return out


_builtins: Extensions | None = None


def builtins() -> Extensions:
    """The guards and actions that come with cadreflow (``BUILTIN_MODULES``), collected once."""
    global _builtins
    if _builtins is None:
        _builtins = collect(*(importlib.import_module(f"{__name__}.{m}") for m in BUILTIN_MODULES))
    return _builtins


class Effects(Protocol):
    """What an action may do; implemented by the engine inside the event's transaction."""

    def set_data(self, key: str, value: Any) -> None: ...

    def next_number(self, counter: str) -> int: ...

    def open_case(self, definition: str, relation: str, title: str, data: Mapping[str, Any],
                  subject_id: int | None = None) -> int:
        """Open a case of ``definition`` linked as ``relation``, on ``subject_id`` (default: this case's
        subject: a 差额 list opens one 任前考察 per candidate); returns its id."""
        ...

    def link_case(self, case_id: int, relation: str) -> None: ...

    def find_cases(self, definitions: list[str], states: list[str], subject_id: int | None) -> list[int]: ...

    def add_mark(self, mark: PersonMark) -> None: ...

    def update_person(self, changes: Mapping[str, Any], note: str, person_id: int | None = None) -> dict[str, Any]:
        """Change facts of the case's person (current_post, post_since, resume...), or of ``person_id``
        (the candidate a 差额 decision chose): validated like a PATCH of the record and kept in the
        person's history with this case's number."""
        ...

    def add_sanction(self, data: Mapping[str, Any], note: str) -> dict[str, Any] | None:
        """Record a sanction (``{"kind", "decided_on", "decided_by", "reason"}``) of the case's person
        in the register; its 影响期 comes from the kind. Returns ``{"id", "kind", "effect_until"...}``."""
        ...


def rule_value(value: Any) -> Any:
    """A parameter as a rule's text shows it: ratios as 三分之二, lists joined with 、."""
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return ratio_text(value)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value


_CN_RATIOS = {(2, 3): "三分之二", (1, 2): "半数", (1, 3): "三分之一", (3, 4): "四分之三", (4, 5): "五分之四"}


def ratio_text(ratio: list[int] | tuple[int, int]) -> str:
    return _CN_RATIOS.get((ratio[0], ratio[1]), f"{ratio[0]}/{ratio[1]}")


__all__ = ["Effects", "Extensions", "GuardContext", "Param", "Registry", "Spec", "action", "builtins", "collect",
           "guard", "ratio_text", "rule_value"]
