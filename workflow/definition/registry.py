"""Loading definition files into an immutable registry keyed by (key, version)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..actions import load_builtin_actions
from ..errors import DefinitionError
from ..errors import NotFound
from ..guards import load_builtin_guards
from .checks import check_definition
from .loader import parse_definition
from .schema import ProcessDefinition
from .yaml_source import LineDict
from .yaml_source import load_yaml

ROLES_FILE = "roles.yaml"


@dataclass(frozen=True)
class Role:
    name: str
    label: str
    description: str = ""


def definition_files(directory: Path) -> list[Path]:
    """``<dir>/*.yaml`` (current versions) and ``<dir>/<key>/v*.yaml`` (kept versions)."""
    files = [p for p in sorted(directory.glob("*.yaml")) if p.name != ROLES_FILE]
    files += sorted(directory.glob("*/v*.yaml"))
    return files


def load_roles(path: Path) -> tuple[list[Role], list[str]]:
    problems: list[str] = []
    try:
        data, _ = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        return [], [f"{path}:1: 无法读取角色表：{exc}"]
    roles = []
    items = data.get("roles") if isinstance(data, LineDict) else None
    if not isinstance(items, list):
        return [], [f"{path}:1: 角色表应为 roles: [{{name, label}}...]"]
    for item in items:
        if isinstance(item, LineDict) and isinstance(item.get("name"), str) and isinstance(item.get("label"), str):
            roles.append(Role(item["name"], item["label"], str(item.get("description") or "")))
        else:
            problems.append(f"{path}:{getattr(item, 'line', 1)}: 角色应有 name 和 label")
    return roles, problems


def parse_text(text: str, path: str, roles: Iterable[str], documents: Iterable[str] | None = None,
               definition_keys: Iterable[str] | None = None) -> tuple[ProcessDefinition | None, list[str]]:
    """Parse and check one definition text; problems as sorted ``path:line: message``."""
    load_builtin_guards()
    load_builtin_actions()
    content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    try:
        data, duplicates = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return None, [f"{path}:{line}: YAML 语法错误：{getattr(exc, 'problem', exc)}"]
    definition, problems = parse_definition(data, path, content_hash, text)
    problems += [(line, f"键 '{key}' 重复") for line, key in duplicates]
    if definition is not None:
        problems += check_definition(definition, roles, documents, definition_keys)
    out = [f"{path}:{line}: {message}" for line, message in sorted(set(problems))]
    return (definition if not out else None), out


class DefinitionRegistry:
    """Every loaded definition version. Immutable once built."""

    def __init__(self, definitions: Iterable[ProcessDefinition], roles: Iterable[Role]) -> None:
        self._versions: dict[tuple[str, int], ProcessDefinition] = {}
        self._latest: dict[str, ProcessDefinition] = {}
        self.roles = {r.name: r for r in roles}
        for d in definitions:
            self._versions[(d.key, d.version)] = d
            if d.key not in self._latest or d.version > self._latest[d.key].version:
                self._latest[d.key] = d

    def get(self, key: str, version: int | None = None) -> ProcessDefinition:
        d = self._latest.get(key) if version is None else self._versions.get((key, version))
        if d is None:
            suffix = "" if version is None else f" 版本{version}"
            raise NotFound(f"流程定义不存在：{key}{suffix}")
        return d

    def has(self, key: str, version: int | None = None) -> bool:
        return (key in self._latest) if version is None else ((key, version) in self._versions)

    def latest(self) -> list[ProcessDefinition]:
        return sorted(self._latest.values(), key=lambda d: d.key)

    def versions(self) -> list[ProcessDefinition]:
        return sorted(self._versions.values(), key=lambda d: (d.key, d.version))

    def role_label(self, role: str) -> str:
        r = self.roles.get(role)
        return r.label if r else role

    def with_stored(self, stored: Iterable[tuple[str, str]]) -> DefinitionRegistry:
        """A registry that also holds versions kept only in the database ((path, source) pairs)."""
        extra = []
        for path, text in stored:
            d, problems = parse_text(text, path, self.roles)
            if d is not None and (d.key, d.version) not in self._versions:
                extra.append(d)
        if not extra:
            return self
        return DefinitionRegistry([*self._versions.values(), *extra], self.roles.values())


def check_paths(paths: Iterable[Path], roles_path: Path, documents: Iterable[str] | None = None
                ) -> tuple[list[ProcessDefinition], list[str]]:
    """Check definition files; returns the good definitions and every problem."""
    roles, problems = load_roles(roles_path)
    role_names = [r.name for r in roles]
    paths = list(paths)
    texts: dict[Path, str] = {}
    for p in paths:
        try:
            texts[p] = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{p}:1: 无法读取：{exc}")
    keys = set()
    for text in texts.values():
        try:
            data, _ = load_yaml(text)
        except yaml.YAMLError:
            continue
        if isinstance(data, dict) and isinstance(data.get("key"), str):
            keys.add(data["key"])
    good: list[ProcessDefinition] = []
    seen: dict[tuple[str, int], Path] = {}
    for p, text in texts.items():
        d, found = parse_text(text, str(p), role_names, documents, keys)
        problems += found
        if d is None:
            continue
        if (d.key, d.version) in seen:
            problems.append(f"{p}:1: 流程 '{d.key}' 版本{d.version} 与 {seen[(d.key, d.version)]} 重复")
            continue
        seen[(d.key, d.version)] = p
        good.append(d)
    return good, problems


def roles_path(directory: Path) -> Path:
    """``<dir>/roles.yaml``, or the project's role catalog when the folder has none."""
    own = directory / ROLES_FILE
    return own if own.exists() else Path(__file__).resolve().parents[2] / "definitions" / ROLES_FILE


def load_registry(directory: Path, documents: Iterable[str] | None = None) -> DefinitionRegistry:
    """Load every definition under ``directory``; raise DefinitionError listing every problem."""
    good, problems = check_paths(definition_files(directory), roles_path(directory), documents)
    if problems:
        raise DefinitionError(problems)
    roles, _ = load_roles(roles_path(directory))
    return DefinitionRegistry(good, roles)
