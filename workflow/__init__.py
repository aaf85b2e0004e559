"""cadreflow's engine: definitions as data, one transition path, tamper-evident history.

This package imports neither Flask nor WeasyPrint (a test enforces it).
"""

import logging

from .clock import FixedClock
from .clock import SystemClock
from .engine import Engine
from .errors import CalendarError
from .errors import CaseNotFound
from .errors import CaseTampered
from .errors import DefinitionError
from .errors import GuardFailed
from .errors import NotFound
from .errors import PermissionDenied
from .errors import StaleVersion
from .errors import TooLarge
from .errors import TooManyRequests
from .errors import TransitionNotAllowed
from .errors import ValidationFailed
from .errors import WorkflowError
from .queries.lists import CaseQuery
from .settings import Settings
from .types import ActionView
from .types import Actor
from .types import CaseSnapshot
from .types import EventView
from .types import FireResult

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "ActionView", "Actor", "CalendarError", "CaseNotFound", "CaseQuery", "CaseSnapshot", "CaseTampered",
    "DefinitionError", "Engine", "EventView", "FireResult", "FixedClock", "GuardFailed", "NotFound",
    "PermissionDenied", "Settings", "StaleVersion", "SystemClock", "TooLarge", "TooManyRequests",
    "TransitionNotAllowed", "ValidationFailed", "WorkflowError",
]
