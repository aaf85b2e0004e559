"""What the case commands share beyond the engine's services: the head key and the case reader."""

from __future__ import annotations

from dataclasses import dataclass

from ..queries.cases import CaseReader
from ..service import Service


@dataclass(frozen=True)
class CaseCommand(Service):
    key: bytes
    reader: CaseReader
