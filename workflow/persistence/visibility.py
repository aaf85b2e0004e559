"""The policy's visibility (``Policy.case_visibility`` / ``people_visibility``) as SQL conditions.

Every list, count, inbox, search, report and export adds these conditions, so it
never includes or counts what its viewer may not see; a single case is checked by
``Policy.may_see`` itself. The two are the same rule: tests/web/test_visibility.py
compares them case by case.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import false
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..policy import Visibility
from .orgs import subtree_ids
from .tables import cases_t
from .tables import people_t
from .tables import readers_t
from .tables import recusals_t


def _orgs(conn: Connection, vis: Visibility) -> list[int]:
    ids = set(vis.org_ids)
    for path in vis.subtrees:
        ids.update(subtree_ids(conn, path))
    return sorted(ids)


def case_conditions(conn: Connection, vis: Visibility, on: Any = None) -> list[Any]:
    """WHERE conditions on ``cases`` for the cases ``vis`` sees (none: all of them); ``on``: another
    table whose ``case_id`` and ``org_id`` columns are the case's."""
    if vis.everything:
        return []
    if vis.nothing:
        return [false()]
    case_id, org_id = (cases_t.c.id, cases_t.c.org_id) if on is None else (on.c.case_id, on.c.org_id)
    either = []
    orgs = _orgs(conn, vis)
    if orgs:
        either.append(org_id == orgs[0] if len(orgs) == 1 else org_id.in_(orgs))
    if vis.participant:
        either.append(case_id.in_(select(readers_t.c.case_id).where(readers_t.c.username == vis.participant)))
    conds: list[Any] = [either[0] if len(either) == 1 else or_(*either)]
    if vis.recused:
        conds.append(case_id.not_in(select(recusals_t.c.case_id).where(recusals_t.c.username == vis.recused)))
    return conds


def org_scope(conn: Connection, vis: Visibility) -> tuple[Any, list[Any]] | None:
    """``case_conditions`` split as (the organization condition, the rest) when ``vis`` sees by
    organization only (no participation): a query with an OR of (definition, state) groups repeats
    the organization in each group, so that the (org, definition, state) index serves every one of
    them instead of one scan of the whole organization. None otherwise."""
    if vis.everything or vis.nothing or vis.participant:
        return None
    orgs = _orgs(conn, vis)
    within = cases_t.c.org_id == orgs[0] if len(orgs) == 1 else cases_t.c.org_id.in_(orgs)
    rest = [cases_t.c.id.not_in(select(recusals_t.c.case_id).where(recusals_t.c.username == vis.recused))
            ] if vis.recused else []
    return within, rest


def people_conditions(conn: Connection, vis: Visibility) -> list[Any]:
    """WHERE conditions on ``people`` for the people ``vis`` sees: those of its organizations, and for a
    participant the subjects of the cases that name them and the records they entered."""
    if vis.everything:
        return []
    if vis.nothing:
        return [false()]
    either: list[Any] = []
    orgs = _orgs(conn, vis)
    if orgs:
        either.append(people_t.c.managing_org_id.in_(orgs))
    if vis.participant:
        named = select(cases_t.c.subject_id).join(readers_t, readers_t.c.case_id == cases_t.c.id).where(
            readers_t.c.username == vis.participant,
            cases_t.c.id.not_in(select(recusals_t.c.case_id).where(recusals_t.c.username == vis.participant)))
        either.append(people_t.c.id.in_(named))
        either.append(people_t.c.created_by == vis.participant)  # the records they entered themselves
    return [either[0] if len(either) == 1 else or_(*either)]
