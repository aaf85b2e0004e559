"""Read what a document needs from the engine, once, into the plain inputs of the builders.

The builders in ``documents.context`` are pure; this module is the only place in
``documents/`` that reads the engine for a render (apart from recording the issued PDF).
"""

from __future__ import annotations

from workflow import Actor
from workflow import Engine
from workflow.clock import local_today
from workflow.errors import NotFound
from workflow.people import PersonView
from workflow.types import CaseSnapshot

from .context.common import FormInputs

# Reads everything, sealed scores included: documents are complete, and who may fetch
# which document is decided by the caller (the web layer) before asking for it.
READER = Actor("system", "系统", frozenset({"auditor"}))


def subject_of(engine: Engine, case: CaseSnapshot) -> PersonView | None:
    if case.subject_id is None:
        return None
    try:
        return engine.people.get(case.subject_id)
    except NotFound:
        return None


def user_directory(engine: Engine) -> tuple[dict[str, str], dict[str, str]]:
    """(username -> display name, username -> unit) of every user."""
    names: dict[str, str] = {}
    units: dict[str, str] = {}
    for u in engine.users.all():
        names[u.username] = u.name or u.username
        units[u.username] = u.unit
    return names, units


def form_inputs(engine: Engine, case_id: int) -> FormInputs:
    """The case (seen by a reader who sees everything), its history, subject, linked cases, users."""
    case = engine.get_case(case_id, READER)
    d = engine.registry.get(case.definition, case.definition_version)
    events = tuple(engine.history(case_id, READER))
    names, units = user_directory(engine)
    linked = []
    for link in case.links:
        try:
            linked.append(engine.get_case(link.case_id, READER))
        except NotFound:
            continue
    now = engine.now()
    return FormInputs(
        case=case,
        definition=d,
        events=events,
        subject=subject_of(engine, case),
        names=names,
        today=local_today(engine.clock),
        now=now,
        linked=tuple(linked),
        organization=engine.settings.organization,
        units=units,
    )
