"""Definitions are data: YAML files loaded into frozen schema objects."""

from .registry import DefinitionRegistry
from .registry import check_paths
from .registry import definition_files
from .registry import load_registry
from .schema import FieldDef
from .schema import ProcessDefinition
from .schema import StateDef
from .schema import TransitionDef

__all__ = ["DefinitionRegistry", "FieldDef", "ProcessDefinition", "StateDef", "TransitionDef",
           "check_paths", "definition_files", "load_registry"]
