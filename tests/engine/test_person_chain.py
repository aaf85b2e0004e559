"""The person history chain: append-only, every tampering found by verify, legacy records sealed lazily."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from workflow import Engine

from ..conftest import add_users

PERSON = {"name": "张三", "gender": "男", "birth_date": "1975-03-01", "unit": "某县财政局", "current_post": "副局长"}


def _person(engine: Engine) -> int:
    a = add_users(engine, {"off": ["officer"]})
    pid = engine.people.create(PERSON, a["off"]).id
    engine.people.update(pid, {"current_post": "局长"}, a["off"], expected_version=1)
    return pid


def _problems(engine: Engine) -> list[str]:
    return [p.problem for p in engine.verify().problems]


def _sql(engine: Engine, *statements: str) -> None:
    with engine.db.engine.begin() as conn:
        if engine.db.dialect == "postgresql":
            conn.execute(text("SET session_replication_role = replica"))  # triggers off: an attacker with DB access
        for statement in statements:
            conn.execute(text(statement))


@pytest.mark.parametrize("statement", ["UPDATE person_history SET note = 'x'", "DELETE FROM person_history"])
def test_the_database_refuses_changes_to_person_history(test_engine: Engine, statement: str) -> None:
    _person(test_engine)
    with pytest.raises(DBAPIError, match="append-only"):
        with test_engine.db.engine.begin() as conn:
            conn.execute(text(statement))
    assert test_engine.verify().ok


def test_a_fact_changed_behind_the_write_path_is_found(test_engine: Engine) -> None:
    pid = _person(test_engine)
    _sql(test_engine, "UPDATE people SET current_post = '书记'")
    assert _problems(test_engine) == [f"人员{pid}：人员信息与变更记录不符（current_post）：有内容未经记录被修改"]


def test_a_removed_or_edited_entry_and_a_rewritten_head_are_found(test_engine: Engine) -> None:
    pid = _person(test_engine)
    drop = [] if test_engine.db.dialect == "postgresql" else ["DROP TRIGGER person_history_no_update",
                                                               "DROP TRIGGER person_history_no_delete"]
    _sql(test_engine, *drop, "UPDATE person_history SET changes = '{}' WHERE seq = 2")
    found = _problems(test_engine)
    assert f"人员{pid}：变更记录的内容与哈希不符（记录被篡改）" in found
    _sql(test_engine, "DELETE FROM person_history WHERE seq = 2")
    found = _problems(test_engine)
    assert any("末端（2条）与实际变更记录（1条）不符" in p for p in found)
    _sql(test_engine, "UPDATE people SET head_seq = 1, head_hash = (SELECT hash FROM person_history WHERE seq = 1)")
    assert any("末端的签名无效" in p for p in _problems(test_engine))


def test_a_person_recorded_before_histories_gets_a_baseline_on_first_change(test_engine: Engine) -> None:
    pid = _person(test_engine)
    # as if created before migration 0006: no history, no head
    drop = [] if test_engine.db.dialect == "postgresql" else ["DROP TRIGGER person_history_no_delete"]
    _sql(test_engine, *drop, "DELETE FROM person_history",
         "UPDATE people SET head_seq = 0, head_hash = '', head_mac = '', version = 1")
    assert test_engine.verify().ok
    a = add_users(test_engine, {"off": ["officer"]})
    test_engine.people.update(pid, {"unit": "某县发展改革局"}, a["off"], expected_version=1)
    entries = test_engine.people.history(pid)
    assert [e.kind for e in entries] == ["baseline", "updated"]
    assert entries[0].changes["current_post"] == {"old": None, "new": "局长"}
    assert entries[1].changes == {"unit": {"old": "某县财政局", "new": "某县发展改革局"}}
    assert test_engine.verify().ok


def test_the_migration_rewrites_stored_labels_to_the_code_sets_labels(tmp_path: Path) -> None:
    """0006 on a database of 0004: 汉 → 汉族, 大学 → 大学本科教育; an unknown value is kept for correction."""
    from datetime import UTC
    from datetime import datetime

    from sqlalchemy import create_engine
    from sqlalchemy import select

    from workflow.persistence.migrate import upgrade
    from workflow.persistence.tables import people_t

    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0004")
    eng = create_engine(url)
    now = datetime.now(UTC).replace(tzinfo=None)
    with eng.begin() as conn:
        conn.execute(text("INSERT INTO people (managing_org_id, name, gender, birth_date, unit, current_post, profile, "
                          "created_by, created_at, updated_at) VALUES (1, '张三', '男', '1975-03-01', '', '', :p, "
                          "'x', :now, :now)"),
                     {"p": '{"ethnicity": "汉", "edu_fulltime_level": "大学", "political_status": "火星党", '
                           '"edu_fulltime_degree": "经济学学士"}', "now": now})
    eng.dispose()
    upgrade(url)
    eng = create_engine(url)
    with eng.connect() as conn:
        row = conn.execute(select(people_t.c.profile, people_t.c.version, people_t.c.head_seq)).one()
    eng.dispose()
    assert row.profile == {"ethnicity": "汉族", "edu_fulltime_level": "大学本科教育", "political_status": "火星党",
                           "edu_fulltime_degree": "经济学学士学位"}
    assert (row.version, row.head_seq) == (1, 0)
