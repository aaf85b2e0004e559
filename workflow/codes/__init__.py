"""Code sets shipped as data: 民族, 政治面貌, 学历, 学位 and 职务层次/职级.

Each set is one YAML file next to this module (``name``, ``label``, ``source``,
``items``); ``source`` says which standard the codes come from and how far they
were checked. An item has a ``code`` and a ``label`` and may carry ``aliases``
(other spellings found on forms), ``group`` and ``order`` (for ranked sets such
as ``rank_level``: a larger order is a higher level, "the level just below" is
the next lower order in the same group), ``equivalent`` and ``note``.

    >>> from workflow.codes import code_set
    >>> code_set("ethnicity").code_for("汉族")
    '01'
    >>> code_set("rank_level").below("county_chief").label
    '县处级副职'

The set's own label is ``CodeSet.title`` (``CodeSet.label(code)`` names a code).
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from functools import cache
from importlib import resources
from typing import Any

import yaml

NAMES = ("ethnicity", "political_status", "education", "degree", "rank_level")


class UnknownCode(KeyError):
    """A code that is not in the set."""


@dataclass(frozen=True)
class CodeItem:
    code: str
    label: str
    aliases: tuple[str, ...] = ()
    group: str = ""
    order: int | None = None
    equivalent: str = ""
    note: str = ""


@dataclass(frozen=True)
class CodeSet:
    name: str
    title: str
    source: str
    items: tuple[CodeItem, ...]
    _by_code: Mapping[str, CodeItem] = field(repr=False, compare=False, default_factory=dict)
    _by_text: Mapping[str, str] = field(repr=False, compare=False, default_factory=dict)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[CodeItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)

    def item(self, code: str) -> CodeItem:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownCode(f"{self.title}代码“{code}”不存在") from None

    def label(self, code: str) -> str:
        """The label of ``code``; ``UnknownCode`` when the set has no such code."""
        return self.item(code).label

    def code_for(self, text: str) -> str | None:
        """The code for a code, an exact label or an alias (surrounding spaces ignored); None when unknown."""
        key = text.strip() if isinstance(text, str) else ""
        if key in self._by_code:
            return key
        return self._by_text.get(key)

    def below(self, code: str) -> CodeItem | None:
        """The item just below ``code`` in its group (None at the bottom or for an unordered set)."""
        this = self.item(code)
        if this.order is None:
            return None
        lower = [i for i in self.items if i.group == this.group and i.order is not None and i.order < this.order]
        return max(lower, key=lambda i: i.order or 0) if lower else None


def _item(raw: Mapping[str, Any], suffix: str) -> CodeItem:
    label = str(raw["label"])
    aliases = [str(a) for a in raw.get("aliases", ())]
    if suffix and label.endswith(suffix) and len(label) > len(suffix):
        aliases.append(label[: -len(suffix)])
    order = raw.get("order")
    return CodeItem(code=str(raw["code"]), label=label, aliases=tuple(aliases), group=str(raw.get("group", "")),
                    order=None if order is None else int(order), equivalent=str(raw.get("equivalent", "")),
                    note=str(raw.get("note", "")))


def _build(raw: Mapping[str, Any]) -> CodeSet:
    suffix = str(raw.get("alias_without_suffix", ""))
    items = tuple(_item(entry, suffix) for entry in raw["items"])
    by_code: dict[str, CodeItem] = {}
    by_text: dict[str, str] = {}
    for item in items:
        if item.code in by_code:
            raise ValueError(f"code set {raw['name']}: duplicate code {item.code}")
        by_code[item.code] = item
    for item in items:
        for text in (item.label, *item.aliases):
            if by_text.get(text, item.code) != item.code or (text in by_code and text != item.code):
                raise ValueError(f"code set {raw['name']}: {text!r} names two codes")
            by_text[text] = item.code
    return CodeSet(name=str(raw["name"]), title=str(raw["label"]), source=" ".join(str(raw["source"]).split()),
                   items=items, _by_code=by_code, _by_text=by_text)


@cache
def code_set(name: str) -> CodeSet:
    """The code set called ``name`` (one of ``names()``), loaded once from its YAML file."""
    if name not in NAMES:
        raise KeyError(f"没有名为“{name}”的代码集")
    text = resources.files(__package__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    if raw.get("name") != name:
        raise ValueError(f"code set file {name}.yaml names itself {raw.get('name')!r}")
    return _build(raw)


def names() -> tuple[str, ...]:
    return NAMES
