"""Loading definition files into an immutable registry keyed by (key, version).

Each version gets its ``transitions`` machine when the registry is built
(``machine.CaseMachine``): the machine is where the engine looks up a move.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from ..errors import DefinitionError
from ..errors import NotFound
from .checks import check_definition
from .loader import parse_definition
from .machine import CaseMachine
from .schema import ProcessDefinition
from .vocabulary import Vocabulary
from .yaml_source import load_yaml

ROLES_FILE = "roles.yaml"


def definition_files(directory: Path) -> list[Path]:
    """``<dir>/*.yaml`` (current versions) and ``<dir>/<key>/v*.yaml`` (kept versions)."""
    files = [p for p in sorted(directory.glob("*.yaml")) if p.name != ROLES_FILE]
    files += sorted(directory.glob("*/v*.yaml"))
    return files


def _kept(path: Path) -> bool:
    """A kept version: ``<dir>/<key>/v<N>.yaml``."""
    return re.fullmatch(r"v\d+", path.stem) is not None and (path.parent.parent / f"{path.parent.name}.yaml").exists()


Parsed = tuple[Any, list[tuple[int, str]]]  # load_yaml's answer: (data, duplicated keys)


def parse_text(text: str, path: str, vocab: Vocabulary, parsed: Parsed | None = None
               ) -> tuple[ProcessDefinition | None, list[str]]:
    """Parse and check one definition text (``parsed``: its YAML, already loaded); problems as sorted
    ``path:line: message``."""
    content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    try:
        data, duplicates = parsed if parsed is not None else load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return None, [f"{path}:{line}: YAML 语法错误：{getattr(exc, 'problem', exc)}"]
    definition, problems = parse_definition(data, path, content_hash, text, vocab)
    problems += [(line, f"键 '{key}' 重复") for line, key in duplicates]
    if definition is not None:
        problems += check_definition(definition, vocab)
    out = [f"{path}:{line}: {message}" for line, message in sorted(set(problems))]
    return (definition if not out else None), out


class DefinitionRegistry:
    """Every loaded definition version and its machine. Immutable once built."""

    def __init__(self, definitions: Iterable[ProcessDefinition], vocab: Vocabulary) -> None:
        self.vocab = vocab
        self._versions: dict[tuple[str, int], ProcessDefinition] = {}
        self._latest: dict[str, ProcessDefinition] = {}
        self._machines: dict[tuple[str, int], CaseMachine] = {}
        for d in definitions:
            self._versions[(d.key, d.version)] = d
            self._machines[(d.key, d.version)] = CaseMachine(d)
            if d.key not in self._latest or d.version > self._latest[d.key].version:
                self._latest[d.key] = d

    def get(self, key: str, version: int | None = None) -> ProcessDefinition:
        d = self._latest.get(key) if version is None else self._versions.get((key, version))
        if d is None:
            suffix = "" if version is None else f" 版本{version}"
            raise NotFound(f"流程定义不存在：{key}{suffix}")
        return d

    def machine(self, d: ProcessDefinition) -> CaseMachine:
        return self._machines[(d.key, d.version)]

    def has(self, key: str, version: int | None = None) -> bool:
        return (key in self._latest) if version is None else ((key, version) in self._versions)

    def latest(self) -> list[ProcessDefinition]:
        return sorted(self._latest.values(), key=lambda d: d.key)

    def versions(self) -> list[ProcessDefinition]:
        return sorted(self._versions.values(), key=lambda d: (d.key, d.version))

    def with_stored(self, stored: Iterable[tuple[str, str]]) -> DefinitionRegistry:
        """A registry that also holds versions kept only in the database ((path, source) pairs).

        A kept version was checked when it was first used; its documents are not checked
        again against today's forms (a form may have been renamed since).
        """
        extra = []
        vocab = replace(self.vocab, forms=None, definition_keys=None)
        for path, text in stored:
            d, _ = parse_text(text, path, vocab)
            if d is not None and (d.key, d.version) not in self._versions:
                extra.append(d)
        if not extra:
            return self
        return DefinitionRegistry([*self._versions.values(), *extra], self.vocab)


def check_paths(paths: Iterable[Path], vocab: Vocabulary) -> tuple[list[ProcessDefinition], list[str]]:
    """Check definition files; returns the good definitions and every problem."""
    problems: list[str] = []
    paths = list(paths)
    texts: dict[Path, str] = {}
    for p in paths:
        try:
            texts[p] = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{p}:1: 无法读取：{exc}")
    keys = set()
    parsed: dict[Path, Parsed] = {}
    for p, text in texts.items():
        try:
            parsed[p] = load_yaml(text)
        except yaml.YAMLError:
            continue
        data = parsed[p][0]
        if isinstance(data, dict) and isinstance(data.get("key"), str):
            keys.add(data["key"])
    vocab = replace(vocab, definition_keys=frozenset(keys))
    good: list[ProcessDefinition] = []
    seen: dict[tuple[str, int], Path] = {}
    kept_vocab = replace(vocab, forms=None)  # a kept version's documents were checked when it was current
    for p, text in texts.items():
        d, found = parse_text(text, str(p), kept_vocab if _kept(p) else vocab, parsed.get(p))
        problems += found
        if d is None:
            continue
        if (d.key, d.version) in seen:
            problems.append(f"{p}:1: 流程 '{d.key}' 版本{d.version} 与 {seen[(d.key, d.version)]} 重复")
            continue
        seen[(d.key, d.version)] = p
        good.append(d)
    return good, problems


def load_registry(directory: Path, vocab: Vocabulary) -> DefinitionRegistry:
    """Load every definition under ``directory``; raise DefinitionError listing every problem."""
    good, problems = check_paths(definition_files(directory), vocab)
    if problems:
        raise DefinitionError(problems)
    return DefinitionRegistry(good, vocab)
