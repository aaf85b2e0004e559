"""The case-history PDF for auditors: every event, the diagram, the verification, page x of y."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import update

from documents import render_history
from documents.present import taken_moves
from workflow import Engine
from workflow.persistence.models import Case

from ..conftest import ARTIFACTS
from .conftest import Rendered
from .pdfcheck import LEFT
from .pdfcheck import LINE
from .pdfcheck import TOP
from .pdfcheck import first_page_png
from .pdfcheck import geometry
from .pdfcheck import page_texts
from .pdfcheck import text
from .scenarios import PERSON
from .scenarios import add_users
from .scenarios import fire


def test_history_lists_every_event_with_its_hash_and_verifies(rendered: Rendered) -> None:
    engine, demo = rendered.engine, rendered.demo
    case_id = demo.cases["appointment_approval_form"]
    events = engine.history(case_id, demo.actors["aud"])
    pdf = render_history(engine, case_id, demo.actors["aud"])
    (ARTIFACTS / "documents").mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "documents" / "case_history.pdf"
    path.write_bytes(pdf)
    first_page_png(path, ARTIFACTS / "case_history.png")
    body = text(pdf)
    for e in events:
        assert f"第{e.seq}项" in body
        assert e.hash in body, e.seq
    assert "案件全程记录" in body and "干部选拔任用" in body and "林文博" in body
    assert "讨论决定" in body and "会议名称：市委常委会第25次会议" in body  # data with labels, not keys
    assert "meeting_body" not in body and "org_id" not in body
    assert "讨论决定→已决定" in body and "已决定→任前公示" in body  # from -> to with state labels
    assert "2026年11月25日10:00:00" in body  # Asia/Shanghai (the clock is 02:00 UTC)
    assert "办理人：李建国" in body and "角色：部务会成员/审批领导" in body
    assert "rev1" not in body  # people by their names, not their user names
    assert "核验通过" in body
    assert events[-1].hash in body.split("核验结论")[1]  # the head hash in the closing statement
    d = engine.registry.get("selection_appointment")
    assert f"干部选拔任用（第{d.version}版）" in body and "selection_appointment" not in body
    assert d.content_hash in body


def test_history_pages_say_page_x_of_y_and_keep_the_margins(rendered: Rendered) -> None:
    engine, demo = rendered.engine, rendered.demo
    pdf = render_history(engine, demo.cases["interview_record"], demo.actors["aud"])
    pages = page_texts(pdf)
    n = len(pages)
    assert n >= 2
    for i, page in enumerate(pages, start=1):
        assert f"第{i}页共{n}页" in page
    g = geometry(pdf, running_header=True)
    assert TOP - 0.5 <= g.first_top <= TOP + LINE
    assert abs(g.left - LEFT) <= 1.0
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None and meta.author == "组织部" and "全程记录" in (meta.title or "")


def test_reading_a_history_never_changes_the_case_but_logs_the_pdf(rendered: Rendered) -> None:
    engine, demo = rendered.engine, rendered.demo
    case_id = demo.cases["tolerance_decision"]
    before = engine.get_case(case_id, demo.actors["aud"])
    events = engine.history(case_id, demo.actors["aud"])
    pdf = render_history(engine, case_id, demo.actors["aud"])
    assert engine.history(case_id, demo.actors["aud"]) == events
    assert engine.get_case(case_id, demo.actors["aud"]).version == before.version
    found = engine.find_document(hashlib.sha256(pdf).hexdigest())
    assert [(c, n) for c, n, *_ in found] == [(case_id, "case_history")]


def test_sealed_scores_are_in_the_auditors_history(engine: Engine) -> None:
    a = add_users(engine)
    person = engine.people.create(PERSON, a["off"])
    case = engine.start_case("collective_interview", a["off"], title="面谈", subject_id=person.id)
    fire(engine, case.id, "schedule", a["off"], {
        "panel": ["p1", "p2", "p3"], "chair": "p1", "recorder": "off", "interview_time": "2026-11-20T09:30:00+08:00",
        "place": "会议室", "duration_minutes": 60, "outline": "提纲"})
    fire(engine, case.id, "begin_interview", a["off"], {"held_at": "2026-11-20T09:30:00+08:00"})
    fire(engine, case.id, "score", a["p1"], {"score_political": 77, "score_capability": 66, "score_commitment": 55,
                                             "score_conduct": 44, "score_integrity": 33, "score_comment": "密封的意见"})
    assert engine.history(case.id, a["p2"])[-1].sealed  # another panelist cannot see it
    body = text(render_history(engine, case.id, a["aud"]))
    assert "政治素质：77" in body and "廉洁自律：33" in body and "密封的意见" in body


def test_a_broken_head_is_reported_in_the_closing_statement(engine: Engine) -> None:
    a = add_users(engine)
    person = engine.people.create(PERSON, a["off"])
    case = engine.start_case("daily_inspection", a["off"], title="日常考察", subject_id=person.id)
    with engine.db.write() as conn:
        conn.execute(update(Case.__table__).where(Case.__table__.c.id == case.id).values(head_mac="0" * 64))
    body = text(render_history(engine, case.id, a["aud"]))
    assert "核验未通过" in body and "案件末端的签名无效" in body


def test_a_changed_actor_name_is_reported_in_the_closing_statement(engine: Engine) -> None:
    """The display name is inside the event's hash: a PDF printing a changed one says the chain failed."""
    from tests.engine.test_tamper import drop_triggers
    from workflow.persistence.models import CaseEvent

    a = add_users(engine)
    person = engine.people.create(PERSON, a["off"])
    case = engine.start_case("daily_inspection", a["off"], title="日常考察", subject_id=person.id)
    events = CaseEvent.__table__
    with engine.db.write() as conn:
        drop_triggers(conn)
        conn.execute(update(events).where(events.c.case_id == case.id).values(actor_name="李四"))
    body = text(render_history(engine, case.id, a["aud"]))
    assert "李四" in body and "核验未通过" in body and "内容与哈希不符" in body


def test_the_path_taken_feeds_the_diagram(rendered: Rendered) -> None:
    events = tuple(rendered.engine.history(rendered.demo.cases["interview_record"], rendered.demo.actors["aud"]))
    moves = taken_moves(events)
    assert moves[0] == ("planning", "scheduled")
    assert ("scoring", "scored") in moves
    svg_text = re.sub(r"\s+", "", text(render_history(rendered.engine, rendered.demo.cases["interview_record"],
                                                      rendered.demo.actors["aud"])))
    assert "状态图" in svg_text


def test_the_history_renders_without_graphviz(rendered: Rendered, monkeypatch: pytest.MonkeyPatch) -> None:
    import documents.diagram

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("dot not found")

    monkeypatch.setattr(documents.diagram, "definition_svg", broken)
    body = text(render_history(rendered.engine, rendered.demo.cases["interview_record"], rendered.demo.actors["aud"]))
    assert "状态图未能生成" in body
    assert "经过的状态：制定方案→已安排→面谈评分→评分汇总→纪要" in body
