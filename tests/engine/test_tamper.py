"""An attacker with database access: every change to history or cases is reported by verify."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection

from workflow import Engine
from workflow.types import VerifyReport

from .helpers import actors
from .helpers import to_state


def drop_triggers(conn: Connection) -> None:
    """What an attacker does first: get past the append-only triggers.

    On PostgreSQL they are switched off for this transaction only (the tier's database is shared
    by the session's tests, and a dropped trigger would stay dropped for the tests after).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        return
    for table in ("case_events", "case_ledger"):
        for action in ("update", "delete"):
            conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{action}"))


@pytest.fixture
def two_cases(test_engine: Engine) -> Iterator[tuple[Engine, int, int]]:
    a = actors(test_engine)
    first = to_state(test_engine, a, "scoring")
    second = to_state(test_engine, a, "meeting")
    assert test_engine.verify().ok
    yield test_engine, first.id, second.id


def tamper(engine: Engine, *statements: str) -> VerifyReport:
    with engine.db.engine.begin() as conn:
        drop_triggers(conn)
        for statement in statements:
            conn.execute(text(statement))
    return engine.verify()


def problems(report: VerifyReport) -> set[tuple[int | None, int | None]]:
    return {(p.case_id, p.seq) for p in report.problems}


def test_changed_event_data(two_cases: tuple[Engine, int, int]) -> None:
    engine, first, _ = two_cases
    report = tamper(engine, f"UPDATE case_events SET comment = '已改' WHERE case_id = {first} AND seq = 3")
    assert not report.ok
    assert (first, 3) in problems(report)
    assert any("内容与哈希不符" in p.problem for p in report.problems)


def test_changed_actor(two_cases: tuple[Engine, int, int]) -> None:
    engine, first, second = two_cases
    report = tamper(engine, f"UPDATE case_events SET actor = 'rev' WHERE case_id = {second} AND seq = 2")
    assert problems(report) == {(second, 2)}


def test_deleted_event_in_the_middle(two_cases: tuple[Engine, int, int]) -> None:
    engine, first, _ = two_cases
    report = tamper(engine, f"DELETE FROM case_events WHERE case_id = {first} AND seq = 2")
    assert (first, 3) in problems(report)
    assert any("序号不连续" in p.problem for p in report.problems)


def test_inserted_event(two_cases: tuple[Engine, int, int]) -> None:
    engine, first, _ = two_cases
    with engine.db.engine.connect() as conn:
        row = conn.execute(text(f"SELECT * FROM case_events WHERE case_id = {first} AND seq = 2")).mappings().one()
    report = tamper(engine,
                    f"UPDATE case_events SET seq = seq + 100 WHERE case_id = {first} AND seq >= 3",
                    f"INSERT INTO case_events (case_id, seq, type, event, from_state, to_state, actor, actor_name, "
                    f"role, at, data, comment, prev_hash, hash) VALUES ({first}, 3, 'transition_fired', 'decide', "
                    f"'meeting', 'scoring', 'rev', 'rev', 'reviewer', '{row['at']}', '{{}}', '', '{row['hash']}', "
                    f"'{'f' * 64}')")
    assert not report.ok
    assert (first, 3) in problems(report)


def test_reordered_events(two_cases: tuple[Engine, int, int]) -> None:
    engine, first, _ = two_cases
    report = tamper(engine,
                    f"UPDATE case_events SET seq = 1000 WHERE case_id = {first} AND seq = 2",
                    f"UPDATE case_events SET seq = 2 WHERE case_id = {first} AND seq = 3",
                    f"UPDATE case_events SET seq = 3 WHERE case_id = {first} AND seq = 1000")
    assert {(first, 2), (first, 3)} <= problems(report)


def test_truncated_newest_events(two_cases: tuple[Engine, int, int]) -> None:
    engine, first, _ = two_cases
    report = tamper(engine, f"DELETE FROM case_events WHERE case_id = {first} AND seq >= 4")
    assert (first, None) in problems(report)
    assert any("历史被截断" in p.problem for p in report.problems)


def test_truncated_with_the_head_rewritten_without_the_key(two_cases: tuple[Engine, int, int]) -> None:
    engine, first, _ = two_cases
    with engine.db.engine.connect() as conn:
        h3 = conn.execute(text(f"SELECT hash FROM case_events WHERE case_id = {first} AND seq = 3")).scalar_one()
    report = tamper(engine, f"DELETE FROM case_events WHERE case_id = {first} AND seq >= 4",
                    f"UPDATE cases SET head_seq = 3, head_hash = '{h3}', state = 'meeting' WHERE id = {first}")
    mine = [p.problem for p in report.problems if p.case_id == first]
    assert mine == ["案件末端的签名无效（末端被改写，或密钥不符）"]


def _around(case_id: int) -> tuple[str, ...]:
    """What else a thorough deleter removes first: the rows that refer to the case."""
    return (f"DELETE FROM notifications WHERE case_id = {case_id}",
            f"DELETE FROM case_holders WHERE case_id = {case_id}")


def test_deleted_case(two_cases: tuple[Engine, int, int]) -> None:
    engine, _, second = two_cases
    report = tamper(engine, f"DELETE FROM case_events WHERE case_id = {second}",
                    f"DELETE FROM case_readers WHERE case_id = {second}", *_around(second),
                    f"DELETE FROM cases WHERE id = {second}")
    assert not report.ok
    assert any(p.case_id == second and "案件被删除" in p.problem for p in report.problems)


def test_deleted_case_and_its_ledger_entry(two_cases: tuple[Engine, int, int]) -> None:
    engine, _, second = two_cases
    report = tamper(engine, f"DELETE FROM case_events WHERE case_id = {second}",
                    f"DELETE FROM case_readers WHERE case_id = {second}", *_around(second),
                    f"DELETE FROM cases WHERE id = {second}",
                    f"DELETE FROM case_ledger WHERE case_id = {second}")
    assert any("登记" in p.problem for p in report.problems)


def test_state_moved_without_an_event(two_cases: tuple[Engine, int, int]) -> None:
    engine, _, second = two_cases
    report = tamper(engine, f"UPDATE cases SET state = 'approved' WHERE id = {second}")
    assert any("与历史最后的状态" in p.problem for p in report.problems)


def test_cli_verify_exits_1_and_names_the_case(two_cases: tuple[Engine, int, int], tmp_path: object) -> None:
    import os
    import subprocess
    import sys

    from ..conftest import ROOT

    engine, first, _ = two_cases
    tamper(engine, f"UPDATE case_events SET comment = 'x' WHERE case_id = {first} AND seq = 2")
    url = engine.settings.database_url
    env = {**os.environ, "CADREFLOW_DATABASE_URL": url, "CADREFLOW_SECRET_KEY": "irrelevant-for-hashes"}
    run = subprocess.run([sys.executable, "-m", "web.cli", "verify"], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=False)
    assert run.returncode == 1
    assert f"案件{first} 事件2：内容与哈希不符" in run.stdout
