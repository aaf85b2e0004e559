"""Cross-reference and graph checks over a parsed definition, and the forms' reads against it."""

from __future__ import annotations

from collections.abc import Callable

from ..extensions import Param
from .reader import Problem
from .reader import did_you_mean
from .schema import FieldDef
from .schema import ProcessDefinition
from .schema import TransitionDef
from .vocabulary import Vocabulary


def check_definition(d: ProcessDefinition, vocab: Vocabulary) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append
    roles = list(vocab.roles)
    guards, actions = vocab.extensions.guards, vocab.extensions.actions
    definition_keys = vocab.definition_keys
    state_names = [s.name for s in d.states]
    triggers = {t.trigger for t in d.transitions}

    # states
    seen: set[str] = set()
    for s in d.states:
        if s.name in seen:
            add((s.line, f"状态名 '{s.name}' 重复"))
        seen.add(s.name)
        if s.initial and s.final:
            add((s.line, f"状态 '{s.name}' 不能既是初始状态又是终止状态"))
    initials = [s for s in d.states if s.initial]
    if d.states and len(initials) != 1:
        line = initials[1].line if len(initials) > 1 else d.states[0].line
        add((line, f"应有且仅有一个初始状态（initial: true），现有{len(initials)}个"))
    if d.states and not any(s.final for s in d.states):
        add((d.states[0].line, "没有终止状态（final: true）"))

    # fields: one meaning per name across the definition
    by_name: dict[str, FieldDef] = {}
    for f in d.all_fields():
        first = by_name.setdefault(f.name, f)
        if first is not f and (first.type != f.type or first.multiple != f.multiple):
            add((f.line, f"字段 '{f.name}' 与第{first.line}行的同名字段类型不同"))
    # the lists that ``append_to`` events collect are fields guards may name too
    field_names = set(by_name) | {t.append_to for t in d.transitions if t.append_to}
    for f in d.all_fields():
        for one in (f, *f.columns):
            if one.type == "user" and one.role is not None and one.role not in roles:
                where = f"字段 '{f.name}'" + (f" 的列 '{one.name}'" if one is not f else "")
                add((one.line, f"{where} 的角色 '{one.role}' 未知{did_you_mean(one.role, roles)}"))
        if f.required_if and f.required_if[0] not in field_names:
            add((f.line, f"字段 '{f.name}' 的 required_if 引用了未知字段 '{f.required_if[0]}'"
                         f"{did_you_mean(f.required_if[0], field_names)}"))

    def check_role_list(role_list: tuple[str, ...], line: int, where: str) -> None:
        for role in role_list:
            if role not in roles:
                add((line, f"{where}的角色 '{role}' 未知{did_you_mean(role, roles)}"))
            elif role in vocab.read_only:
                add((line, f"{where}不能授予只读角色 '{role}'"))

    def check_params(spec_params: dict[str, Param], params: dict[str, object], line: int, where: str) -> None:
        for key, p in spec_params.items():
            value = params.get(key)
            if value is None:
                continue
            values = value if isinstance(value, list) else [value]
            for v in values:
                if not isinstance(v, str):
                    continue
                if p.kind in ("field", "fields") and v not in field_names:
                    add((line, f"{where}的参数 '{key}' 引用了未知字段 '{v}'{did_you_mean(v, field_names)}"))
                if p.kind in ("state", "states") and v not in state_names:
                    add((line, f"{where}的参数 '{key}' 引用了未知状态 '{v}'{did_you_mean(v, state_names)}"))
                if p.kind == "event" and v not in triggers:
                    add((line, f"{where}的参数 '{key}' 引用了未知事件 '{v}'{did_you_mean(v, triggers)}"))
                if p.kind == "definition" and definition_keys is not None and v not in definition_keys:
                    add((line, f"{where}的参数 '{key}' 引用了未知流程 '{v}'{did_you_mean(v, definition_keys)}"))

    check_role_list(d.start.roles, d.start.line, "start")
    for a in d.start.actions:
        if a.name in actions:
            check_params(actions[a.name].params, a.params, a.line, f"动作 '{a.name}'")

    # transitions
    pairs: dict[tuple[str, str], int] = {}
    for t in d.transitions:
        where = f"事件 '{t.trigger}'"
        for src in t.sources:
            if src not in state_names:
                add((t.line, f"{where}的来源状态 '{src}' 未知{did_you_mean(src, state_names)}"))
            key = (t.trigger, src)
            if key in pairs:
                add((t.line, f"{where}从状态 '{src}' 出发有歧义：第{pairs[key]}行已定义同名事件"))
            pairs[key] = t.line
        if t.dest and t.dest not in state_names:
            add((t.line, f"{where}的目标状态 '{t.dest}' 未知{did_you_mean(t.dest, state_names)}"))
        check_role_list(t.roles, t.line, where)
        check_when(d, t, where, add)
        for g in t.conditions:
            if g.name in guards:
                check_params(guards[g.name].params, g.params, g.line, f"规则 '{g.name}'")
        for a in t.actions:
            if a.name in actions:
                check_params(actions[a.name].params, a.params, a.line, f"动作 '{a.name}'")
        for other in t.distinct_from:
            if other not in triggers:
                add((t.line, f"{where}的 distinct_from 引用了未知事件 '{other}'{did_you_mean(other, triggers)}"))
        for name in (t.actors_field, t.approvals.members_field if t.approvals else None):
            if name is None:
                continue
            ref = by_name.get(name)
            if ref is None:
                add((t.line, f"{where}引用了未知字段 '{name}'{did_you_mean(name, field_names)}"))
            elif ref.type != "user":
                add((t.line, f"{where}引用的字段 '{name}' 应为 user 类型"))
        for st in t.sealed_while:
            if st not in state_names:
                add((t.line, f"{where}的 sealed_while 引用了未知状态 '{st}'{did_you_mean(st, state_names)}"))
        if t.sealed_while and not t.append_to:
            add((t.line, f"{where}设置了 sealed_while，须同时设置 append_to"))
        if t.withdrawable:
            check_withdrawable(d, t, where, add)

    # graph
    if initials and len(initials) == 1:
        reach = {initials[0].name}
        frontier = [initials[0].name]
        while frontier:
            src = frontier.pop()
            for t in d.transitions_from(src):
                if t.dest in state_names and t.dest not in reach:
                    reach.add(t.dest)
                    frontier.append(t.dest)
        for s in d.states:
            if s.name not in reach:
                add((s.line, f"状态 '{s.name}' 从初始状态不可达"))
    for s in d.states:
        outgoing = [t for t in d.transitions_from(s.name) if t.dest != s.name]
        if not s.final and not outgoing:
            add((s.line, f"状态 '{s.name}' 不是终止状态，却没有离开它的事件（死胡同）"))
        if s.final and d.transitions_from(s.name):
            add((s.line, f"终止状态 '{s.name}' 不应有出发事件"))

    problems += _check_documents(d, vocab, field_names | data_keys(d, vocab), triggers, state_names)
    return problems


def data_keys(d: ProcessDefinition, vocab: Vocabulary) -> set[str]:
    """The case data keys the definition's actions write (registration numbers, results, links)."""
    keys: set[str] = set()
    for ref in [*d.start.actions, *(a for t in d.transitions for a in t.actions)]:
        spec = vocab.extensions.actions.get(ref.name)
        if spec is not None:
            keys.update(spec.written_keys(ref.params))
    return keys


def _check_documents(d: ProcessDefinition, vocab: Vocabulary, keys: set[str], triggers: set[str],
                     state_names: list[str]) -> list[Problem]:
    """Each document names a known form; what that form reads exists in this definition."""
    problems: list[Problem] = []
    add = problems.append
    doc_names: set[str] = set()
    forms = vocab.forms
    for doc in d.documents:
        if doc.name in doc_names:
            add((doc.line, f"文书名 '{doc.name}' 重复"))
        doc_names.add(doc.name)
        for ev in doc.after:
            if ev not in triggers and ev != "start":
                add((doc.line, f"文书 '{doc.name}' 的 after 引用了未知事件 '{ev}'{did_you_mean(ev, triggers)}"))
        for st in doc.states:
            if st not in state_names:
                add((doc.line, f"文书 '{doc.name}' 的 states 引用了未知状态 '{st}'{did_you_mean(st, state_names)}"))
        if forms is None:
            continue
        form = forms.get(doc.name)
        if form is None:
            add((doc.line, f"文书 '{doc.name}' 没有对应的模板{did_you_mean(doc.name, forms)}"))
            continue
        where = f"文书 '{doc.name}'（{form.title}）"
        for name in form.fields:
            if name not in keys:
                add((doc.line, f"{where}读取的字段 '{name}' 在本流程中不存在{did_you_mean(name, keys)}"))
        for ev in form.events:
            if ev not in triggers:
                add((doc.line, f"{where}读取的事件 '{ev}' 在本流程中不存在{did_you_mean(ev, triggers)}"))
        for name in form.person:
            if vocab.person_fields is not None and name not in vocab.person_fields:
                add((doc.line, f"{where}读取的人员信息 '{name}' 不存在{did_you_mean(name, vocab.person_fields)}"))
    return problems


def check_withdrawable(d: ProcessDefinition, t: TransitionDef, where: str, add: Callable[[Problem], None]) -> None:
    """A step that can be taken back (撤回) changes nothing but the case: no actions, no final state."""
    if t.actions:
        add((t.line, f"{where}设置了 withdrawable，但带有自动办理的动作（撤回无法还原动作的结果）"))
    dest = d.state(t.dest)
    if dest is not None and dest.final:
        add((t.line, f"{where}设置了 withdrawable，但办理后案件即办结（已办结的案件不能撤回）"))
    if t.kind in ("withdraw", "cancel"):
        add((t.line, f"{where}本身是撤回或撤销，不能设置 withdrawable"))


def check_when(d: ProcessDefinition, t: TransitionDef, where: str, add: Callable[[Problem], None]) -> None:
    """``when`` names start choice fields and values among their choices."""
    starts = {f.name: f for f in d.start.fields}
    for name, values in t.when:
        f = starts.get(name)
        if f is None or f.type != "choice":
            hint = "" if f is not None else did_you_mean(name, starts)
            add((t.line, f"{where}的 when 引用的 '{name}' 应为发起时填写的选择字段{hint}"))
            continue
        known = {c.value for c in f.choices}
        for v in values:
            if v not in known:
                add((t.line, f"{where}的 when.{name} 取值 '{v}' 不在该字段的选项中"))
