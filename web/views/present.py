"""What pages add to the one presentation (documents.present): users' names, today's calendar.

Labels, values, event titles and the path taken are documents.present's, shared
with the PDFs; links become URLs in web.templating.
"""

from __future__ import annotations

from documents import present
from workflow import CaseSnapshot
from workflow.clock import local_today

from .. import engine


def user_names() -> dict[str, str]:
    return {u.username: u.name or u.username for u in engine().users.all()}


def due(snapshot: CaseSnapshot) -> present.Due | None:
    eng = engine()
    return present.due(snapshot, local_today(eng.clock), eng.calendar.calendar())
