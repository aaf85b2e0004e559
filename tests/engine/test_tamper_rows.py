"""The tamper matrix beyond the chain itself: every column of a history row, the case row, its
recusals, links and attachments. Each change is reported by verify and refused by the engine."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy import text

from tests.pdfs import tiny_pdf
from workflow import CaseTampered
from workflow import Engine
from workflow import audit
from workflow.persistence.tables import events_t
from workflow.types import VerifyReport

from ..conftest import ROOT
from .helpers import DECIDE
from .helpers import actors
from .helpers import to_state
from .test_tamper import drop_triggers


def run(engine: Engine, statement: str, **params: Any) -> VerifyReport:
    with engine.db.engine.begin() as conn:
        drop_triggers(conn)
        conn.execute(text(statement), params)
    return engine.verify()


def mine(report: VerifyReport, case_id: int) -> list[tuple[int | None, str]]:
    return [(p.seq, p.problem) for p in report.problems if p.case_id == case_id]


@pytest.fixture
def meeting(test_engine: Engine) -> tuple[Engine, dict[str, Any], int]:
    a = actors(test_engine)
    case = to_state(test_engine, a, "meeting")
    assert test_engine.verify().ok
    return test_engine, a, case.id


def refused(engine: Engine, a: dict[str, Any], case_id: int, caplog: pytest.LogCaptureFixture) -> None:
    """The engine does not act on the case: CaseTampered, logged, nothing written."""
    before = len(engine.history(case_id))
    with caplog.at_level(logging.ERROR), pytest.raises(CaseTampered) as err:
        engine.fire(case_id, "decide", a["rev"], DECIDE)
    assert err.value.code == "not_allowed" and f"案件{case_id}的记录与其历史记录链不符" in err.value.message
    assert any(f"case {case_id} refused" in r.getMessage() for r in caplog.records)
    assert len(engine.history(case_id)) == before


# --- every column of a history row -----------------------------------------------------------------

COLUMNS = {
    "actor_name": "actor_name = '李四'",
    "role": "role = 'admin'",
    "comment": "comment = '已改'",
    "data": "data = '{\"pledge\": false}'",
    "event": "event = 'decide'",
    "type": "type = 'document_issued'",
    "from_state": "from_state = 'meeting'",
}


@pytest.mark.parametrize("column", [*COLUMNS, "at"])
def test_every_column_of_a_history_row_is_inside_its_hash(meeting: tuple[Engine, dict[str, Any], int],
                                                          column: str) -> None:
    engine, _, case_id = meeting
    if column == "at":
        pg = engine.db.engine.dialect.name == "postgresql"
        change = "at = at + interval '1 minute'" if pg else "at = '2026-11-25 01:00:00.000000'"
    else:
        change = COLUMNS[column]
    report = run(engine, f"UPDATE case_events SET {change} WHERE case_id = {case_id} AND seq = 2")
    assert (2, "内容与哈希不符（事件被篡改）") in mine(report, case_id)
    assert not engine.verify_case(case_id).ok  # what the case page and the history PDF print


def test_cli_verify_reports_a_changed_actor_name(meeting: tuple[Engine, dict[str, Any], int]) -> None:
    engine, _, case_id = meeting
    run(engine, f"UPDATE case_events SET actor_name = '李四' WHERE case_id = {case_id} AND seq = 2")
    env = {**os.environ, "CADREFLOW_DATABASE_URL": engine.settings.database_url,
           "CADREFLOW_SECRET_KEY": "irrelevant-for-hashes"}
    done = subprocess.run([sys.executable, "-m", "web.cli", "verify"], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 1
    assert f"案件{case_id} 事件2：内容与哈希不符" in done.stdout


# --- the case row -----------------------------------------------------------------------------------

ROW = {
    "data": ("data = '{\"summary\": \"已改\"}'", "数据"),
    "title": ("title = '另一个标题'", "标题"),
    "state": ("state = 'approved'", "状态"),
    "version": ("version = version - 1", "版本"),
    "org_id": ("org_id = org_id", None),  # an unchanged value: nothing to report
    "due_at": ("due_at = created_at", "办理期限"),
    "created_by": ("created_by = 'rev'", "发起人"),
    "subject_id": ("subject_id = NULL", None),  # already NULL: nothing to report
}


@pytest.mark.parametrize("column", ROW)
def test_a_changed_case_row_is_named_by_verify_and_refused(meeting: tuple[Engine, dict[str, Any], int],
                                                           column: str, caplog: pytest.LogCaptureFixture) -> None:
    engine, a, case_id = meeting
    change, label = ROW[column]
    report = run(engine, f"UPDATE cases SET {change} WHERE id = {case_id}")
    if label is None:
        assert report.ok
        return
    assert (None, f"案件的{label}与签名末端不符（案件记录被改写）") in mine(report, case_id)
    assert not engine.verify_case(case_id).ok
    refused(engine, a, case_id, caplog)


def test_a_rewritten_seal_is_a_bad_signature(meeting: tuple[Engine, dict[str, Any], int],
                                             caplog: pytest.LogCaptureFixture) -> None:
    engine, a, case_id = meeting
    report = run(engine, f"UPDATE cases SET head_seal = '{{}}' WHERE id = {case_id}")
    assert mine(report, case_id) == [(None, "案件末端的签名无效（末端被改写，或密钥不符）")]
    refused(engine, a, case_id, caplog)


def test_a_seal_emptied_to_pass_as_an_old_head_is_refused(meeting: tuple[Engine, dict[str, Any], int],
                                                          caplog: pytest.LogCaptureFixture) -> None:
    engine, a, case_id = meeting
    report = run(engine, f"UPDATE cases SET head_seal = '', data = '{{}}' WHERE id = {case_id}")
    assert (None, "案件末端的签名无效（末端被改写，或密钥不符）") in mine(report, case_id)
    refused(engine, a, case_id, caplog)


def test_a_case_signed_before_the_seal_still_verifies_and_moves_on(test_engine: Engine) -> None:
    """A case as migration 0008 leaves it: format-1 event hashes, a format-1 head MAC, no seal."""
    a = actors(test_engine)
    case = test_engine.start_case("review", a["off"], title="旧案件", data={"summary": "摘要"})
    key = test_engine.settings.head_key
    with test_engine.db.engine.connect() as conn:
        ev = conn.execute(select(events_t).where(events_t.c.case_id == case.id)).one()
    old = audit.event_hash(case.id, 1, ev.type, ev.event, ev.from_state, ev.to_state, ev.actor, ev.role, ev.at,
                           ev.data, ev.comment, ev.prev_hash)
    with test_engine.db.engine.begin() as conn:
        drop_triggers(conn)
        conn.execute(text("UPDATE case_events SET hash = :h WHERE case_id = :c"), {"h": old, "c": case.id})
        conn.execute(text("UPDATE cases SET head_hash = :h, head_mac = :m, head_seal = '', full_hash_from = 2 "
                          "WHERE id = :c"), {"h": old, "m": audit.head_mac(key, case.id, 1, old), "c": case.id})
    assert test_engine.verify().ok
    moved = test_engine.fire(case.id, "submit", a["off"], {"panel": ["p1", "p2"], "team": ["i1", "i2"],
                                                            "notice_date": "2026-11-20"}, case.version).case
    assert moved.state == "submitted" and test_engine.verify().ok
    report = run(test_engine, f"UPDATE case_events SET actor_name = '李四' WHERE case_id = {case.id} AND seq = 2")
    assert (2, "内容与哈希不符（事件被篡改）") in mine(report, case.id)


# --- recusals -----------------------------------------------------------------------------------------

def test_a_deleted_recusal_is_reported_and_the_recused_cannot_act(meeting: tuple[Engine, dict[str, Any], int],
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    engine, a, case_id = meeting
    engine.add_recusal(case_id, "rev", "与对象系同学关系", a["off"])
    assert engine.verify().ok
    report = run(engine, f"DELETE FROM recusals WHERE case_id = {case_id}")
    assert {(None, "历史记录中的回避登记“rev”已不存在（回避登记被删除）"),
            (None, "案件的回避登记与签名末端不符（案件记录被改写）")} <= set(mine(report, case_id))
    assert not engine.verify_case(case_id).ok
    refused(engine, a, case_id, caplog)


def test_a_changed_or_added_recusal_is_reported(meeting: tuple[Engine, dict[str, Any], int]) -> None:
    engine, a, case_id = meeting
    engine.add_recusal(case_id, "p1", "系对象的表兄", a["off"])
    report = run(engine, f"UPDATE recusals SET reason = '已改' WHERE case_id = {case_id}")
    assert mine(report, case_id) == [(None, "回避登记“p1”的事由与历史记录不符（回避登记被改写）")]
    report = run(engine, f"INSERT INTO recusals (case_id, username, reason, recorded_by, created_at) "
                         f"SELECT case_id, 'rev', 'x', 'off', created_at FROM recusals WHERE case_id = {case_id}")
    assert (None, "回避登记“rev”未见于历史记录（回避登记被添加）") in mine(report, case_id)
    assert (None, "案件的回避登记与签名末端不符（案件记录被改写）") in mine(report, case_id)


# --- links ----------------------------------------------------------------------------------------------

def test_a_deleted_link_is_reported_and_refused(test_engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    a = actors(test_engine)
    parent = test_engine.start_case("parent", a["off"], title="主流程")
    parent = test_engine.fire(parent.id, "open_child", a["off"], {}, parent.version).case
    [link] = parent.links
    assert test_engine.verify().ok
    report = run(test_engine, f"DELETE FROM case_links WHERE case_id = {parent.id}")
    assert mine(report, parent.id) == [(None, "案件的关联案件与签名末端不符（案件记录被改写）")]
    assert mine(report, link.case_id) == []
    with caplog.at_level(logging.ERROR), pytest.raises(CaseTampered):
        test_engine.fire(parent.id, "finish", a["off"], {})
    report = run(test_engine, f"DELETE FROM case_links WHERE case_id = {link.case_id}")
    assert mine(report, link.case_id) == [(None, "案件的关联案件与签名末端不符（案件记录被改写）")]


# --- attachments ----------------------------------------------------------------------------------------

def test_replaced_attachment_bytes_are_reported_and_not_served(meeting: tuple[Engine, dict[str, Any], int],
                                                               caplog: pytest.LogCaptureFixture) -> None:
    engine, a, case_id = meeting
    view = engine.add_attachment(case_id, "材料.pdf", tiny_pdf("original"), a["off"])
    assert engine.attachment(case_id, view.id)[1] == tiny_pdf("original") and engine.verify().ok
    report = run(engine, "UPDATE blobs SET content = :c WHERE sha256 = :h", c=tiny_pdf("swapped"), h=view.sha256)
    assert mine(report, case_id) == [(None, f"附件{view.id}的存储内容与记录的SHA-256不符（文件被替换）")]
    with caplog.at_level(logging.ERROR), pytest.raises(CaseTampered) as err:
        engine.attachment(case_id, view.id)
    assert "文件被替换" in err.value.message and "拒绝提供该附件" in err.value.message
    assert any(f"attachment {view.id} refused" in r.getMessage() for r in caplog.records)


def test_an_attachment_pointed_at_other_bytes_is_reported_and_not_served(
        meeting: tuple[Engine, dict[str, Any], int]) -> None:
    engine, a, case_id = meeting
    first = engine.add_attachment(case_id, "一.pdf", tiny_pdf("one"), a["off"])
    other = engine.add_attachment(case_id, "二.pdf", tiny_pdf("two"), a["off"])
    report = run(engine, "UPDATE attachments SET sha256 = :h WHERE id = :i", h=other.sha256, i=first.id)
    assert mine(report, case_id) == [(None, f"附件{first.id}的SHA-256与历史记录不符（附件被改写）")]
    with pytest.raises(CaseTampered):
        engine.attachment(case_id, first.id)
    report = run(engine, "DELETE FROM attachments WHERE id = :i", i=other.id)
    assert (None, f"历史记录中的附件{other.id}已不存在（附件被删除）") in mine(report, case_id)
