"""Raw YAML -> frozen schema objects, collecting every problem with its line.

``parse_definition`` never stops at the first problem: it returns the
definition it could build (or None) and the full list of problems, each
``(line, message)``. Cross-reference and graph checks live in checks.py.
"""

from __future__ import annotations

from typing import Any

from ..extensions import Param
from ..extensions import rule_value
from .reader import IDENT
from .reader import Problem
from .reader import Reader
from .reader import did_you_mean
from .schema import ActionRef
from .schema import ApprovalRule
from .schema import DocumentRef
from .schema import GuardRef
from .schema import ProcessDefinition
from .schema import StartDef
from .schema import StateDef
from .schema import TransitionDef
from .vocabulary import Vocabulary
from .yaml_source import LineDict

KINDS = ("forward", "approve", "return", "withdraw", "cancel", "record", "reject")

TOP_KEYS = ("key", "version", "title", "description", "start", "states", "transitions", "documents")
STATE_KEYS = ("name", "label", "initial", "final", "deadline", "help")
TRANSITION_KEYS = ("trigger", "label", "source", "dest", "roles", "fields", "conditions", "actions",
                   "approvals", "distinct_from", "actors", "once_per_actor", "append_to", "sealed_while",
                   "confirm", "kind", "help", "withdrawable", "when")
START_KEYS = ("roles", "fields", "actions", "subject")
DOC_KEYS = ("name", "title", "after", "states")


class _Parser(Reader):
    def __init__(self, vocab: Vocabulary) -> None:
        super().__init__()
        self.guards = vocab.extensions.guards
        self.actions = vocab.extensions.actions

    def check_params(self, spec_params: dict[str, Param], params: LineDict | dict[str, Any], line: int,
                     where: str) -> None:
        for key in params:
            if key not in spec_params:
                at = params.line_of(key) if isinstance(params, LineDict) else line
                self.add(at, f"{where}没有参数 '{key}'{did_you_mean(key, spec_params)}")
        for key, p in spec_params.items():
            if key not in params:
                if p.required:
                    self.add(line, f"{where}缺少参数 '{key}'")
                continue
            value = params[key]
            at = params.line_of(key) if isinstance(params, LineDict) else line
            problem = _param_problem(p, value)
            if problem:
                self.add(at, f"{where}的参数 '{key}' {problem}")

    def ref(self, raw: Any, line: int, where: str, keys: tuple[str, ...]
            ) -> tuple[LineDict, str, LineDict | dict[str, Any]] | None:
        """(node, name, params) of a guard or action reference; None if not a mapping."""
        node = self.mapping(raw, line, where)
        if node is None:
            return None
        self.keys(node, keys, where)
        name = self.text(node, "name", where)
        params = node.get("params") or LineDict()
        if not isinstance(params, dict):
            self.add(node.line_of("params"), f"{where}的 params 应为映射")
            params = LineDict()
        return node, name, params

    def guard_ref(self, raw: Any, line: int, where: str) -> GuardRef | None:
        found = self.ref(raw, line, where, ("name", "params", "rule", "source"))
        if found is None:
            return None
        node, name, params = found
        spec = self.guards.get(name)
        rule = str(node.get("rule") or (spec.rule if spec else ""))
        source = str(node.get("source") or (spec.source if spec else ""))
        if name and spec is None:
            self.add(node.line_of("name"), f"未知的规则（guard）'{name}'{did_you_mean(name, self.guards)}")
        elif spec is not None:
            self.check_params(spec.params, params, node.line_of("params"), f"规则 '{name}'")
            if not rule:
                self.add(node.line, f"规则 '{name}' 缺少 rule（规则的中文表述）")
            if not source:
                self.add(node.line, f"规则 '{name}' 缺少 source（所依据的法规条款）")
            try:
                rule.format(**{k: rule_value(v) for k, v in spec.with_defaults(params).items()})
            except (KeyError, IndexError, ValueError) as exc:
                self.add(node.line_of("rule"), f"规则 '{name}' 的 rule 引用了不存在的参数 {exc}")
        return GuardRef(name, dict(params), rule, source, node.line)

    def action_ref(self, raw: Any, line: int, where: str) -> ActionRef | None:
        found = self.ref(raw, line, where, ("name", "params"))
        if found is None:
            return None
        node, name, params = found
        spec = self.actions.get(name)
        if name and spec is None:
            self.add(node.line_of("name"), f"未知的动作（action）'{name}'{did_you_mean(name, self.actions)}")
        elif spec is not None:
            self.check_params(spec.params, params, node.line_of("params"), f"动作 '{name}'")
        return ActionRef(name, dict(params), node.line)

    def refs(self, node: LineDict, key: str, where: str, kind: str) -> tuple[Any, ...]:
        items = self.seq(node.get(key), node.line_of(key), f"{where}的 {key}")
        out = []
        for i, raw in enumerate(items):
            if isinstance(raw, str):
                raw = LineDict({"name": raw})
                raw.line, raw.key_lines = items.line_at(i), {}
            ref = (self.guard_ref if kind == "guard" else self.action_ref)(raw, items.line_at(i), where)
            if ref is not None:
                out.append(ref)
        return tuple(out)

    def names(self, node: LineDict, key: str, where: str) -> tuple[str, ...]:
        items = self.seq(node.get(key), node.line_of(key), f"{where}的 {key}")
        out = []
        for i, item in enumerate(items):
            if not isinstance(item, str):
                self.add(items.line_at(i), f"{where}的 {key} 应为名称列表")
            else:
                out.append(item)
        return tuple(out)

    def named(self, raw: Any, line: int, what: str, key: str, keys: tuple[str, ...], noun: str
              ) -> tuple[LineDict, str, str] | None:
        """(node, its identifier in ``key``, "noun 'name'") of a mapping that names itself; None if not a mapping."""
        node = self.mapping(raw, line, what)
        if node is None:
            return None
        name = self.ident(node, key, what)
        where = f"{noun} '{name}'"
        self.keys(node, keys, where)
        return node, name, where

    def state(self, raw: Any, line: int) -> StateDef | None:
        found = self.named(raw, line, "状态", "name", STATE_KEYS, "状态")
        if found is None:
            return None
        node, name, where = found
        wd = days = months = None
        if "deadline" in node:
            dl = self.mapping(node["deadline"], node.line_of("deadline"), f"{where}的 deadline")
            if dl is not None:
                self.keys(dl, ("working_days", "days", "months"), f"{where}的 deadline")
                wd = self.int_value(dl, "working_days", f"{where}的 deadline", 1)
                days = self.int_value(dl, "days", f"{where}的 deadline", 1)
                months = self.int_value(dl, "months", f"{where}的 deadline", 1)
        return StateDef(name, self.text(node, "label", where), self.flag(node, "initial", where),
                        self.flag(node, "final", where), wd, days, str(node.get("help") or ""), node.line,
                        months)

    def transition(self, raw: Any, line: int) -> TransitionDef | None:
        found = self.named(raw, line, "转换", "trigger", TRANSITION_KEYS, "事件")
        if found is None:
            return None
        node, trigger, where = found
        sources = self.names(node, "source", where)
        if "source" not in node:
            self.add(node.line, f"{where}缺少 'source'")
        roles = self.names(node, "roles", where)
        if not roles:
            self.add(node.line_of("roles"), f"{where}没有指定可执行的角色（roles），默认拒绝")
        approvals = None
        if "approvals" in node:
            raw_a = node["approvals"]
            if isinstance(raw_a, int) and not isinstance(raw_a, bool) and raw_a >= 2:
                approvals = ApprovalRule(count=raw_a)
            elif isinstance(raw_a, LineDict) and isinstance(raw_a.get("members"), str):
                approvals = ApprovalRule(members_field=raw_a["members"])
            else:
                self.add(node.line_of("approvals"), f"{where}的 approvals 应为不小于2的整数或 {{members: 字段名}}")
        kind = str(node.get("kind") or "forward")
        if kind not in KINDS:
            self.add(node.line_of("kind"), f"{where}的 kind '{kind}' 未知{did_you_mean(kind, KINDS)}")
        actors = node.get("actors")
        if actors is not None and not isinstance(actors, str):
            self.add(node.line_of("actors"), f"{where}的 actors 应为一个 user 字段名")
            actors = None
        append_to = node.get("append_to")
        if append_to is not None and not (isinstance(append_to, str) and IDENT.match(append_to)):
            self.add(node.line_of("append_to"), f"{where}的 append_to 应为小写英文标识")
            append_to = None
        return TransitionDef(
            when=self.when(node, where),
            trigger=trigger, label=self.text(node, "label", where), sources=sources,
            dest=self.text(node, "dest", where), roles=roles, fields=self.fields(node, where),
            conditions=self.refs(node, "conditions", where, "guard"),
            actions=self.refs(node, "actions", where, "action"), approvals=approvals,
            distinct_from=self.names(node, "distinct_from", where), actors_field=actors,
            once_per_actor=self.flag(node, "once_per_actor", where), append_to=append_to,
            withdrawable=self.flag(node, "withdrawable", where),
            sealed_while=self.names(node, "sealed_while", where), confirm=str(node.get("confirm") or ""),
            kind=kind, help=str(node.get("help") or ""), line=node.line,
        )

    def when(self, node: LineDict, where: str) -> tuple[tuple[str, tuple[Any, ...]], ...]:
        """``when: {field: [values]}``: the case kinds a step applies to."""
        if "when" not in node:
            return ()
        raw = self.mapping(node["when"], node.line_of("when"), f"{where}的 when")
        if raw is None:
            return ()
        out = []
        for name, values in raw.items():
            if not isinstance(values, list) or not values:
                self.add(node.line_of("when"), f"{where}的 when.{name} 应为非空的取值列表")
                continue
            out.append((str(name), tuple(values)))
        return tuple(out)

    def start(self, raw: Any, line: int) -> StartDef:
        node = self.mapping(raw, line, "start")
        if node is None:
            return StartDef(roles=())
        self.keys(node, START_KEYS, "start")
        roles = self.names(node, "roles", "start")
        if not roles:
            self.add(node.line_of("roles"), "start 没有指定可发起的角色（roles），默认拒绝")
        subject = str(node.get("subject") or "required")
        if subject not in ("required", "optional", "none"):
            self.add(node.line_of("subject"), "start 的 subject 应为 required、optional 或 none")
        return StartDef(roles, self.fields(node, "start"), self.refs(node, "actions", "start", "action"),
                        subject, node.line)

    def document(self, raw: Any, line: int) -> DocumentRef | None:
        found = self.named(raw, line, "文书", "name", DOC_KEYS, "文书")
        if found is None:
            return None
        node, name, where = found
        return DocumentRef(name, self.text(node, "title", where), self.names(node, "after", where),
                           self.names(node, "states", where), node.line)



def _param_problem(p: Param, value: Any) -> str:
    kind = p.kind
    if kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
        return "应为整数"
    if kind == "number" and (isinstance(value, bool) or not isinstance(value, int | float)):
        return "应为数字"
    if kind == "bool" and not isinstance(value, bool):
        return "应为 true 或 false"
    if kind in ("str", "field", "state", "event", "definition") and not isinstance(value, str):
        return "应为文本"
    if kind in ("str_list", "fields", "states") and not (
            isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
        return "应为非空的文本列表"
    if kind == "ratio":
        ok = (isinstance(value, list) and len(value) == 2 and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value) and 0 < value[0] <= value[1])
        if not ok:
            return "应为比例 [分子, 分母]，例如 [2, 3]"
    if kind == "mapping" and not isinstance(value, dict):
        return "应为映射"
    if p.min is not None and isinstance(value, int | float) and not isinstance(value, bool) and value < p.min:
        return f"不应小于{p.min:g}"
    if p.choices and value not in p.choices:
        return f"应为 {', '.join(map(str, p.choices))} 之一"
    return ""


def parse_definition(data: Any, path: str, content_hash: str, source: str, vocab: Vocabulary
                     ) -> tuple[ProcessDefinition | None, list[Problem]]:
    parser = _Parser(vocab)
    if not isinstance(data, LineDict):
        return None, [(1, "定义文件应为一个映射（键: 值）")]
    parser.keys(data, TOP_KEYS, "定义")
    key = parser.ident(data, "key", "定义")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        parser.add(data.line_of("version"), "定义的 'version' 应为不小于1的整数")
        version = 0
    title = parser.text(data, "title", "定义")
    states = []
    items = parser.seq(data.get("states"), data.line_of("states"), "states")
    if not items:
        parser.add(data.line_of("states"), "定义缺少 states")
    for i, raw in enumerate(items):
        st = parser.state(raw, items.line_at(i))
        if st is not None:
            states.append(st)
    transitions = []
    items = parser.seq(data.get("transitions"), data.line_of("transitions"), "transitions")
    for i, raw in enumerate(items):
        tr = parser.transition(raw, items.line_at(i))
        if tr is not None:
            transitions.append(tr)
    if "start" not in data:
        parser.add(data.line, "定义缺少 'start'（谁可以发起、发起时填写什么）")
        start = StartDef(roles=())
    else:
        start = parser.start(data["start"], data.line_of("start"))
    documents = []
    items = parser.seq(data.get("documents"), data.line_of("documents"), "documents")
    for i, raw in enumerate(items):
        doc = parser.document(raw, items.line_at(i))
        if doc is not None:
            documents.append(doc)
    definition = ProcessDefinition(
        key=key, version=version, title=title, description=str(data.get("description") or ""),
        states=tuple(states), transitions=tuple(transitions), start=start, documents=tuple(documents),
        path=path, content_hash=content_hash, source=source,
    )
    return definition, parser.problems
