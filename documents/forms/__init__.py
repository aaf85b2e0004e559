"""The official forms, one module per procedure, each form declaring what it reads.

``FORMS`` is the catalog (name -> Form), collected from the modules listed in
``MODULES``; ``form_reads()`` gives the declarations that ``cadreflow definitions
check`` and the engine verify against the definitions. Bump a form's version
whenever its printed layout or wording changes: the version is recorded with
every issued PDF, so a printed form can be matched to the template that made it.
"""

from __future__ import annotations

from workflow.definition.schema import FormReads

from . import ballots
from . import evaluation
from . import inspection
from . import interview
from . import recommendation
from . import selection
from . import tolerance
from .inputs import Form
from .inputs import FormInputs
from .inputs import UndeclaredRead

MODULES = (selection, recommendation, interview, inspection, evaluation, tolerance, ballots)
FORMS: dict[str, Form] = {f.name: f for m in MODULES for f in m.FORMS}


def form_reads() -> dict[str, FormReads]:
    """What each form reads, by form name (for the definition checks)."""
    return {name: f.reads() for name, f in FORMS.items()}


def document_names() -> list[str]:
    """Every official form name, in catalog order."""
    return list(FORMS)


__all__ = ["FORMS", "Form", "FormInputs", "UndeclaredRead", "document_names", "form_reads"]
