"""统计分析 test data: the scale bench's plan (bench/scale_data.py) written through the engine.

``CASES`` cases of 日常考察 over three organizations (the root, and 东湖 and 西山 under it), ten
history events on average, in every end state (记实中, 分析研判 with some overdue, 已归档, 已撤销).
Besides the bench's users: an auditor of 东湖 (its subtree only), a recommender and an admin
(no 统计分析), and one recusal of officer01 (a case of the root it no longer sees).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from bench.scale_data import NOW
from bench.scale_data import EngineWriter
from bench.scale_data import plan_case
from bench.scale_data import setup
from workflow import Engine

CASES = 30
PEOPLE = 12


@dataclass
class StatsData:
    engine: Engine
    recused_case: int


@pytest.fixture
def stats_data(db_url: str) -> Iterator[StatsData]:
    engine = setup(db_url)
    try:
        writer = EngineWriter(engine)
        writer.people(PEOPLE)
        writer.cases(plan_case(n, CASES, PEOPLE) for n in range(1, CASES + 1))
        engine.users.add("auditor_dh", ["auditor"], "x", name="东湖监督", org="donghu")
        engine.users.add("rec01", ["recommender"], "x", name="推荐人")
        engine.users.add("adm01", ["admin"], "x", name="管理员")
        officer = engine.users.get("officer01").actor()
        root = engine.orgs.get("root").id
        with engine.db.read() as conn:
            case_id = conn.exec_driver_sql(f"SELECT min(id) FROM cases WHERE org_id = {root}").scalar_one()
        engine.records.add_recusal(case_id, "officer01", "近亲属关系", officer)
        engine.clock.set(NOW)  # type: ignore[attr-defined]
        yield StatsData(engine, case_id)
    finally:
        engine.dispose()
