"""The role catalog of ``definitions/roles.yaml``: each role's label and what it may do.

The file names the capabilities (a fixed vocabulary, each with its Chinese name)
and, per role, the capabilities it grants and whether it is read-only. Loading
reports every problem as ``file:line: message``, like a definition file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..definition.reader import did_you_mean
from ..definition.yaml_source import LineDict
from ..definition.yaml_source import load_yaml
from ..errors import DefinitionError

ROLES_FILE = "roles.yaml"
# The acts the code asks about; roles.yaml grants them and gives each its Chinese name.
SCOPES = ("organization", "subtree", "participation", "none")
CAPABILITIES = (
    "read_cases", "start_cases", "act", "read_sealed", "add_attachments", "issue_documents", "record_recusals",
    "declare_recusal", "read_people", "read_roster", "write_people", "transfer_people", "record_marks",
    "read_reports", "read_audit", "verify_chain", "manage_users", "manage_definitions", "manage_ballots",
    "cast_named_votes", "add_signers", "read_stats",
)


@dataclass(frozen=True)
class Role:
    name: str
    label: str
    description: str = ""
    capabilities: frozenset[str] = frozenset()
    read_only: bool = False
    scope: str = "none"


@dataclass(frozen=True)
class RoleCatalog:
    roles: tuple[Role, ...]
    capability_labels: dict[str, str]
    path: str = ""
    participant_person_fields: frozenset[str] = frozenset()

    def get(self, name: str) -> Role | None:
        return next((r for r in self.roles if r.name == name), None)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.roles)

    def label(self, name: str) -> str:
        role = self.get(name)
        return role.label if role else name

    def read_only_names(self) -> frozenset[str]:
        return frozenset(r.name for r in self.roles if r.read_only)


def parse_roles(text: str, path: str) -> tuple[RoleCatalog | None, list[str]]:
    """The catalog in ``text``, or None and every problem as ``path:line: message``."""
    try:
        data, duplicates = load_yaml(text)
    except yaml.YAMLError as exc:
        return None, [f"{path}:1: 无法读取角色表：{exc}"]
    problems = [f"{path}:{line}: 键 '{key}' 重复" for line, key in duplicates]
    if not isinstance(data, LineDict):
        return None, [f"{path}:1: 角色表应有 capabilities 和 roles 两部分"]
    labels = data.get("capabilities")
    if not isinstance(labels, LineDict):
        problems.append(f"{path}:1: 角色表应有 capabilities: {{名称: 中文名}}")
        labels = LineDict()
    for cap in CAPABILITIES:
        if not isinstance(labels.get(cap), str):
            problems.append(f"{path}:{data.line_of('capabilities')}: capabilities 缺少 '{cap}' 的中文名")
    for cap in labels:
        if cap not in CAPABILITIES:
            problems.append(f"{path}:{labels.line_of(cap)}: 未知的权限 '{cap}'{did_you_mean(cap, CAPABILITIES)}")
    roles = []
    items = data.get("roles")
    if not isinstance(items, list):
        return None, [*problems, f"{path}:1: 角色表应为 roles: [{{name, label, can}}...]"]
    for item in items:
        role = _role(item, path, problems)
        if role is not None:
            roles.append(role)
    names = [r.name for r in roles]
    for name in {n for n in names if names.count(n) > 1}:
        problems.append(f"{path}:1: 角色 '{name}' 重复")
    fields = data.get("participant_person_fields") or []
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        problems.append(f"{path}:{data.line_of('participant_person_fields')}: participant_person_fields 应为字段名列表")
        fields = []
    if problems:
        return None, sorted(set(problems))
    return RoleCatalog(tuple(roles), {k: str(labels[k]) for k in CAPABILITIES}, path, frozenset(fields)), []


def _role(item: object, path: str, problems: list[str]) -> Role | None:
    line = getattr(item, "line", 1)
    if not (isinstance(item, LineDict) and isinstance(item.get("name"), str) and isinstance(item.get("label"), str)):
        problems.append(f"{path}:{line}: 角色应有 name 和 label")
        return None
    grants = item.get("can") or []
    if not isinstance(grants, list) or not all(isinstance(c, str) for c in grants):
        problems.append(f"{path}:{item.line_of('can')}: 角色 '{item['name']}' 的 can 应为权限名称的列表")
        grants = []
    for cap in grants:
        if cap not in CAPABILITIES:
            problems.append(f"{path}:{item.line_of('can')}: 角色 '{item['name']}' 的权限 '{cap}' 未知"
                            f"{did_you_mean(cap, CAPABILITIES)}")
    scope = item.get("scope", "none")
    if "scope" not in item and {"read_cases", "start_cases", "act"} & set(grants):
        problems.append(f"{path}:{line}: 角色 '{item['name']}' 查阅或办理案件，须写明 scope"
                        f"（{'、'.join(SCOPES)} 之一），否则看不到任何案件")
    elif scope not in SCOPES:
        problems.append(f"{path}:{item.line_of('scope')}: 角色 '{item['name']}' 的 scope '{scope}' 未知"
                        f"{did_you_mean(str(scope), SCOPES)}（应为 {'、'.join(SCOPES)} 之一）")
        scope = "none"
    read_only = item.get("read_only", False)
    if read_only is True and {"act", "start_cases"} & set(grants):
        problems.append(f"{path}:{line}: 只读角色 '{item['name']}' 不能有 act 或 start_cases 权限")
    return Role(item["name"], item["label"], str(item.get("description") or ""),
                frozenset(c for c in grants if c in CAPABILITIES), read_only is True, str(scope))


def load_roles(path: Path) -> RoleCatalog:
    """Read the catalog; DefinitionError listing every problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DefinitionError([f"{path}:1: 无法读取角色表：{exc}"]) from exc
    catalog, problems = parse_roles(text, str(path))
    if catalog is None:
        raise DefinitionError(problems)
    return catalog


def roles_path(directory: Path) -> Path:
    """``<dir>/roles.yaml``, or the project's role catalog when the folder has none."""
    own = directory / ROLES_FILE
    return own if own.exists() else Path(__file__).resolve().parents[2] / "definitions" / ROLES_FILE
