"""任职回避提示 on a case: the one query the case page and the case JSON show (a hint, never a refusal).

A case whose data carries the 拟任单位 (``kinship.yaml`` ``posting.unit_field``: ``target_unit``, the
start field of selection_appointment) gets one hint per relative of its subject whose 工作单位及职务
names that unit with a leading post after it (the rule: ``people.kinship.posting_warnings``). Only a
viewer who reads the subject's whole record (the family list) sees the hints; a participant sees none.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from ..errors import NotFound
from ..people import person_view
from ..people import seen
from ..people.kinship import posting_warnings
from ..people.kinship import table
from ..policy import Policy
from ..types import Actor


def case_warnings(conn: Connection, policy: Policy, row: Any, viewer: Actor | None) -> tuple[str, ...]:
    """The 任职回避 hints of case ``row`` for ``viewer`` (empty when there are none or they may not read them)."""
    unit = (row.data or {}).get(table().unit_field)
    if row.subject_id is None or not isinstance(unit, str) or not unit.strip():
        return ()
    try:
        person = seen(conn, policy, person_view(conn, row.subject_id), viewer)
    except NotFound:
        return ()
    if person.partial:
        return ()
    return tuple(posting_warnings(person.profile.get("family"), unit))
