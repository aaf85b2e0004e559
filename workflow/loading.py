"""Loading what an instance runs on: the role catalog, the definitions and their vocabulary.

Used by the engine and by ``cadreflow definitions check`` (which needs no database).
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from pathlib import Path

from .definition import DefinitionRegistry
from .definition import FormReads
from .definition import ProcessDefinition
from .definition import Vocabulary
from .definition import check_paths
from .definition import load_registry
from .errors import DefinitionError
from .extensions import Extensions
from .extensions import builtins
from .people.fields import READABLE
from .policy import Policy
from .policy.roles import RoleCatalog
from .policy.roles import load_roles
from .policy.roles import roles_path

PERSON_KEYS = READABLE


def vocabulary(catalog: RoleCatalog, forms: Mapping[str, FormReads] | None = None,
               extensions: Extensions | None = None) -> Vocabulary:
    return Vocabulary(roles=catalog.names, read_only=catalog.read_only_names(), extensions=extensions or builtins(),
                      forms=forms, person_fields=PERSON_KEYS)


def load(directory: Path, forms: Mapping[str, FormReads] | None = None, extensions: Extensions | None = None
         ) -> tuple[DefinitionRegistry, Policy]:
    """The definitions under ``directory`` and the policy of its role catalog; DefinitionError on any problem."""
    catalog = load_roles(roles_path(directory))
    return load_registry(directory, vocabulary(catalog, forms, extensions)), Policy(catalog)


def check_files(paths: Iterable[Path], roles_file: Path, forms: Mapping[str, FormReads] | None = None
                ) -> tuple[list[ProcessDefinition], list[str]]:
    """Check definition files and their role catalog; (the good definitions, every problem)."""
    try:
        catalog = load_roles(roles_file)
    except DefinitionError as exc:
        return [], exc.problems
    return check_paths(paths, vocabulary(catalog, forms))


__all__ = ["check_files", "load", "vocabulary"]
