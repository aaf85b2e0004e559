"""What the case page shows of ballots, and the defaults a closed ballot gives the event forms."""

from __future__ import annotations

from typing import Any

from workflow import Actor
from workflow import CaseSnapshot
from workflow.policy import scope_of

from .. import engine


def ballot_defaults(snapshot: CaseSnapshot, actor: Actor) -> dict[str, dict[str, Any]]:
    """{event: {field: figure}}: the tally of the case's closed ballots, for the forms of its events."""
    return engine().ballots.defaults(snapshot.id, actor)


def ballot_context(snapshot: CaseSnapshot, subject: Any, actor: Actor) -> dict[str, Any]:
    eng = engine()
    d = eng.registry.get(snapshot.definition, snapshot.definition_version)
    scope = scope_of(snapshot, d, frozenset(snapshot.recused), snapshot.org_path, frozenset(snapshot.readers))
    manage = eng.policy.can(actor, "manage_ballots", scope)
    form = None
    if manage and not snapshot.final:
        form = {"default_line": f"{subject.name},{subject.id}" if subject is not None else ""}
    return {"ballots": eng.ballots.of_case(snapshot.id, actor), "may_manage": manage, "ballot_form": form}
