"""What every command and query of the engine works with, declared once."""

from __future__ import annotations

from dataclasses import dataclass

from .clock import Clock
from .definition import DefinitionRegistry
from .persistence.db import Database
from .policy import Policy


@dataclass(frozen=True)
class Service:
    """The database, the definitions, the policy and the clock a command or query receives."""

    db: Database
    registry: DefinitionRegistry
    policy: Policy
    clock: Clock
