"""Definitions are data: YAML files loaded into frozen schema objects and their machines."""

from .registry import DefinitionRegistry
from .registry import check_paths
from .registry import definition_files
from .registry import load_registry
from .schema import FieldDef
from .schema import FormReads
from .schema import ProcessDefinition
from .schema import StateDef
from .schema import TransitionDef
from .vocabulary import Vocabulary

__all__ = ["DefinitionRegistry", "FieldDef", "FormReads", "ProcessDefinition", "StateDef", "TransitionDef",
           "Vocabulary", "check_paths", "definition_files", "load_registry"]
