"""Engine.stats against counts made independently: the rows read raw, counted in Python here.

The figures must be the raw rows' own, for each viewer over exactly the cases it may see:
an officer its organization's (less a case it is recused on), an officer of a sibling
organization only that one's, the root's auditor every organization under the root, 东湖's
auditor 东湖 only.
"""

from __future__ import annotations

import math
from collections import Counter
from collections import defaultdict
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest

from workflow import PermissionDenied
from workflow.clock import SHANGHAI
from workflow.queries.stats import StatsQuery
from workflow.queries.stats import percentile

from .conftest import StatsData


def _utc(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _bj(value: Any) -> date:
    return _utc(value).astimezone(SHANGHAI).date()


def raw(data: StatsData) -> tuple[list[dict[str, Any]], dict[int, list[dict[str, Any]]], dict[int, str]]:
    with data.engine.db.engine.connect() as conn:
        cases = [dict(r._mapping) for r in conn.exec_driver_sql(
            "SELECT id, org_id, definition_key, state, final, due_at, created_at, state_entered_at FROM cases")]
        events: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for r in conn.exec_driver_sql("SELECT case_id, seq, from_state, to_state, at FROM case_events"):
            events[r.case_id].append(dict(r._mapping))
        paths = {r.id: r.path for r in conn.exec_driver_sql("SELECT id, path FROM organizations")}
        recused = {(r.case_id, r.username) for r in conn.exec_driver_sql("SELECT case_id, username FROM recusals")}
    for c in cases:
        c["recused"] = {u for (cid, u) in recused if cid == c["id"]}
    return cases, events, paths


def visible(data: StatsData, username: str) -> list[dict[str, Any]]:
    """The cases ``username`` sees, decided here from the rows: own organization (auditor: and below)."""
    cases, _, paths = raw(data)
    user = data.engine.users.get(username)
    actor = user.actor()
    subtree = "auditor" in actor.roles
    out = []
    for c in cases:
        mine = paths[c["org_id"]].startswith(paths[actor.org_id]) if subtree else c["org_id"] == actor.org_id
        if mine and username not in c["recused"]:
            out.append(c)
    return out


def expected(data: StatsData, username: str) -> dict[str, Any]:
    seen = visible(data, username)
    _, events, _ = raw(data)
    now = data.engine.clock.now()
    by_state = Counter((c["definition_key"], c["state"]) for c in seen)
    late = [c for c in seen if not c["final"] and c["due_at"] is not None and _utc(c["due_at"]) < now]
    by_org = Counter(c["org_id"] for c in seen)
    opened = Counter(_bj(c["created_at"]).strftime("%Y-%m") for c in seen)
    closed = Counter(_bj(c["state_entered_at"]).strftime("%Y-%m") for c in seen if c["final"])
    calendar = data.engine.calendar.calendar()
    stays: dict[tuple[str, str], list[int]] = defaultdict(list)
    for c in seen:
        moves = [e for e in sorted(events[c["id"]], key=lambda e: e["seq"])
                 if e["to_state"] is not None and e["from_state"] != e["to_state"]]
        for a, b in zip(moves, moves[1:], strict=False):
            start, end = _bj(a["at"]), _bj(b["at"])
            stays[(c["definition_key"], a["to_state"])].append(
                calendar.working_days_between(start + timedelta(days=1), end))
    return {"by_state": by_state, "overdue": len(late), "by_org": by_org, "opened": opened, "closed": closed,
            "stays": stays, "total": len(seen)}


def nearest_rank(values: list[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[math.ceil(share * len(ordered)) - 1]


@pytest.mark.parametrize("username", ["officer01", "officer03", "auditor01", "auditor_dh", "reviewer02"])
def test_figures_equal_an_independent_count(stats_data: StatsData, username: str) -> None:
    engine = stats_data.engine
    want = expected(stats_data, username)
    got = engine.stats(StatsQuery(), engine.users.get(username).actor())
    assert got.total == want["total"] > 0
    assert {(s.definition, s.state): s.count for s in got.by_state} == dict(want["by_state"])
    assert got.overdue == want["overdue"]
    assert {o.org_id: o.count for o in got.by_org} == dict(want["by_org"])
    assert {m.month: m.opened for m in got.by_month if m.opened} == dict(want["opened"])
    assert {m.month: m.closed for m in got.by_month if m.closed} == dict(want["closed"])
    durations = {(d.definition, d.state): d for d in got.durations}
    assert set(durations) == set(want["stays"])
    for key, values in want["stays"].items():
        d = durations[key]
        assert d.count == len(values)
        assert d.average == round(sum(values) / len(values), 1)
        assert d.p90 == nearest_rank(values, 0.9)
    labels = {s.state_label for s in got.by_state}
    assert "记实中" in labels and "open" not in labels  # the procedure's labels, never keys
    assert all(s.definition_label == "日常考察" for s in got.by_state)


def test_need_to_know(stats_data: StatsData) -> None:
    engine = stats_data.engine
    orgs = {code: engine.orgs.get(code).id for code in ("root", "donghu", "xishan")}
    county = engine.stats(StatsQuery(), engine.users.get("officer03").actor())  # 西山
    assert {o.org_id for o in county.by_org} == {orgs["xishan"]}  # the sibling 东湖 never counts
    donghu = engine.stats(StatsQuery(), engine.users.get("auditor_dh").actor())
    assert {o.org_id for o in donghu.by_org} == {orgs["donghu"]}
    root = engine.stats(StatsQuery(), engine.users.get("auditor01").actor())
    assert {o.org_id for o in root.by_org} == set(orgs.values())  # the subtree of the root
    assert root.total == sum(o.count for o in root.by_org)
    # The recused case: counted for the root's reviewer, not for officer01 of the same organization.
    officer = engine.stats(StatsQuery(), engine.users.get("officer01").actor())
    reviewer = engine.stats(StatsQuery(), engine.users.get("reviewer01").actor())
    assert reviewer.total == officer.total + 1
    # A filter on an organization one cannot see finds nothing.
    assert engine.stats(StatsQuery(managing_org=orgs["donghu"]), engine.users.get("officer03").actor()).total == 0


def test_filters(stats_data: StatsData) -> None:
    engine = stats_data.engine
    auditor = engine.users.get("auditor01").actor()
    org = engine.orgs.get("donghu").id
    assert engine.stats(StatsQuery(managing_org=org), auditor).by_org[0].org_id == org
    whole = engine.stats(StatsQuery(), auditor)
    first = min(m.month for m in whole.by_month if m.opened)
    y, m = map(int, first.split("-"))
    day = date(y, m, 1)
    later = engine.stats(StatsQuery(opened_from=day + timedelta(days=40)), auditor)
    early = engine.stats(StatsQuery(opened_to=day + timedelta(days=39)), auditor)
    assert later.total + early.total == whole.total
    assert 0 < later.total < whole.total
    assert engine.stats(StatsQuery(definition="daily_inspection"), auditor).total == whole.total


@pytest.mark.parametrize("username", ["rec01", "adm01"])
def test_refused_to_roles_without_stats(stats_data: StatsData, username: str) -> None:
    with pytest.raises(PermissionDenied):
        stats_data.engine.stats(StatsQuery(), stats_data.engine.users.get(username).actor())


def test_percentile() -> None:
    assert percentile({}, 0.9) == 0
    assert percentile({1: 9, 10: 1}, 0.9) == 1
    assert percentile({1: 8, 10: 2}, 0.9) == 10
    assert percentile({3: 1}, 0.9) == 3
