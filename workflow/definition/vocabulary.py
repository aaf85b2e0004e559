"""What a definition may name: roles, guards and actions, forms, other definitions, person fields.

The loader and the checks take one ``Vocabulary``; whoever loads definitions
builds it from the role catalog, the extensions and (from the documents layer)
the forms' declarations of what they read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field

from ..extensions import Extensions
from ..extensions import builtins
from .schema import FormReads


@dataclass(frozen=True)
class Vocabulary:
    roles: tuple[str, ...] = ()
    read_only: frozenset[str] = frozenset()
    extensions: Extensions = field(default_factory=builtins)
    forms: Mapping[str, FormReads] | None = None
    definition_keys: frozenset[str] | None = None
    person_fields: frozenset[str] | None = None
