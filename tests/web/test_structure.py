"""The structure works end to end: a role added in YAML, uploads in the event's transaction, one machine
lookup per event, the case page on one connection, extensions passed in, sealing on every channel."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import event as sa_event

from tests.conftest import ROOT
from tests.conftest import EngineFactory
from tests.pdfs import tiny_pdf
from workflow import Engine
from workflow import GuardFailed
from workflow import ValidationFailed
from workflow.definition.machine import CaseMachine
from workflow.extensions import Param
from workflow.extensions import builtins
from workflow.extensions import collect
from workflow.extensions import guard
from workflow.types import Upload

from .helpers import PASSWORD_HASH
from .helpers import actor
from .helpers import add_web_users
from .helpers import login
from .helpers import make_app
from .helpers import post
from .helpers import review_case
from .helpers import text

SECRETARY = """
  - name: secretary
    label: 机要秘书
    description: 记录部务会议纪要
    scope: organization
    can: [read_cases, start_cases, act, add_attachments, issue_documents, declare_recusal, read_people]
"""
MINUTES = """key: minutes
version: 1
title: 会议纪要
start:
  roles: [secretary]
  subject: none
states:
  - {name: draft, label: 起草, initial: true}
  - {name: filed, label: 已归档, final: true}
transitions:
  - trigger: file_minutes
    label: 归档纪要
    source: draft
    dest: filed
    roles: [secretary]
    fields:
      - {name: summary, label: 纪要摘要, type: textarea, required: true}
      - {name: scan, label: 纪要扫描件, type: file}
    conditions:
      - name: summary_long_enough
        params: {field: summary, min: 4}
        rule: 纪要摘要不少于{min}个字
        source: 测试规则
"""


@guard("summary_long_enough", field=Param("field"), min=Param("int", min=1))
def summary_long_enough(ctx, p):  # type: ignore[no-untyped-def]
    """A guard of this test only: given to the engine in its own registry."""
    value = str(ctx.value(p["field"]) or "")
    return None if len(value) >= p["min"] else f"实际{len(value)}个字"


@pytest.fixture
def secretary_engine(make_engine: EngineFactory, tmp_path: Path) -> Engine:
    folder = tmp_path / "definitions"
    folder.mkdir()
    roles = (ROOT / "definitions" / "roles.yaml").read_text(encoding="utf-8")
    (folder / "roles.yaml").write_text(roles.rstrip() + "\n" + SECRETARY, encoding="utf-8")
    (folder / "minutes.yaml").write_text(MINUTES, encoding="utf-8")
    eng = make_engine(folder, extensions=builtins().extended(collect(sys.modules[__name__])))
    add_web_users(eng, {"sec": ["secretary"], "officer": ["officer"], "auditor": ["auditor"]})
    return eng


def test_a_role_added_in_yaml_is_granted_and_works_end_to_end(secretary_engine: Engine, tmp_path: Path) -> None:
    eng = secretary_engine
    sec = actor(eng, "sec")
    assert eng.policy.role_label("secretary") == "机要秘书"
    case = eng.start_case("minutes", sec, title="第3次部务会纪要")
    assert case.available_events == ("file_minutes",)
    assert eng.available_events(case.id, actor(eng, "officer")) == []  # the event is the secretary's only
    app = make_app(eng, tmp_path)
    client = app.test_client()
    assert login(client, "sec").status_code == 303
    page = text(client.get(f"/cases/{case.id}"))
    assert "归档纪要" in page and "机要秘书" in page
    r = post(client, f"/cases/{case.id}/events/file_minutes",
             {"file_minutes-summary": "会议研究了干部任免事项", "file_minutes-expected_version": str(case.version)},
             page=f"/cases/{case.id}")
    assert r.status_code == 303, text(r)
    assert eng.get_case(case.id).state == "filed"
    admin_page = app.test_client()
    eng.users.add("adm", ["admin"], PASSWORD_HASH, name="管理员")
    assert login(admin_page, "adm").status_code == 303
    assert "机要秘书" in text(admin_page.get("/admin/users"))  # grantable on the users page


def test_a_refused_event_leaves_no_attachment_and_no_history_row(secretary_engine: Engine) -> None:
    eng = secretary_engine
    sec = actor(eng, "sec")
    case = eng.start_case("minutes", sec, title="纪要")
    pdf = Upload("纪要.pdf", tiny_pdf("scan"))
    with pytest.raises(GuardFailed, match="纪要摘要不少于4个字"):
        eng.fire(case.id, "file_minutes", sec, {"summary": "短"}, case.version, uploads={"scan": [pdf]})
    with pytest.raises(ValidationFailed):
        eng.fire(case.id, "file_minutes", sec, {}, case.version, uploads={"scan": [pdf]})
    assert eng.attachments(case.id) == [] and len(eng.history(case.id)) == 1
    done = eng.fire(case.id, "file_minutes", sec, {"summary": "会议纪要全文"}, case.version, uploads={"scan": [pdf]})
    [att] = eng.attachments(case.id)
    assert done.case.data["scan"] == att.id and att.filename == "纪要.pdf"
    assert [e.type for e in eng.history(case.id)] == ["case_started", "attachment_added", "transition_fired"]
    assert eng.verify().ok


def test_the_machine_is_consulted_once_per_event(web_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    case_id = review_case(web_engine, upto="draft")
    calls: list[tuple[str, str]] = []
    original = CaseMachine.move

    def spy(self: CaseMachine, state: str, trigger: str, data=None):  # type: ignore[no-untyped-def]
        calls.append((state, trigger))
        return original(self, state, trigger, data)

    monkeypatch.setattr(CaseMachine, "move", spy)
    data = {"panel": ["p1", "p2"], "team": ["i1", "i2"], "notice_date": "2026-11-20"}
    web_engine.fire(case_id, "submit", actor(web_engine, "officer"), data, web_engine.get_case(case_id).version)
    assert calls == [("draft", "submit")]


def test_the_case_page_reads_on_one_connection(web_engine: Engine) -> None:
    case_id = review_case(web_engine, upto="submitted")
    auditor = actor(web_engine, "auditor")
    checkouts: list[object] = []
    listener = lambda *args: checkouts.append(args)  # noqa: E731
    sa_event.listen(web_engine.db.engine.pool, "checkout", listener)
    try:
        page = web_engine.case_page(case_id, auditor)
    finally:
        sa_event.remove(web_engine.db.engine.pool, "checkout", listener)
    assert len(checkouts) == 1
    assert page.case.id == case_id and page.history and page.verify is not None and page.verify.ok


def test_the_web_history_pdf_seals_scores_like_the_api(client_for, web_engine: Engine) -> None:
    """The defect this structure fixed: the page's PDF route printed every panelist's sealed scores."""
    case_id = review_case(web_engine, upto="scoring")
    web_engine.fire(case_id, "score", actor(web_engine, "p1"), {"score": 87}, web_engine.get_case(case_id).version)
    for who, sees in (("p2", False), ("p1", True), ("auditor", True)):
        resp = client_for(who).get(f"/cases/{case_id}/history.pdf")
        assert resp.status_code == 200
        body = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.data)).pages))
        assert ("分数：87" in body) is sees, who
        assert ("评分密封中" in body) is not sees, who


def test_the_builtin_registries_are_collected_not_filled_by_imports() -> None:
    first = builtins()
    import workflow.extensions.guards_common  # noqa: F401  (importing registers nothing)

    assert builtins() is first and "quorum" in first.guards and "summary_long_enough" not in first.guards
    assert "open_linked_case" in first.actions
