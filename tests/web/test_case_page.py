"""The case page: facts, data with Chinese labels, diagram, history, forms generated from the definition."""

from __future__ import annotations

import re

from workflow import Engine

from .helpers import actor
from .helpers import review_case
from .helpers import text


def test_case_page_shows_person_data_diagram_and_history(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine, upto="submitted")
    body = text(client_for("officer").get(f"/cases/{case_id}"))
    assert "张三" in body and "某县人民政府" in body and "副县长" in body  # the person's key facts
    assert "评分组" in body and "面谈一、面谈二" in body  # case data with labels and user names
    assert "通知日期" in body and "2026年11月20日" in body
    svg = re.search(r"<svg .*?</svg>", body, re.S)
    assert svg and 'class="state-diagram"' in svg.group(0)
    assert "#b71c1c" in svg.group(0).lower()  # current state and path taken in the accent colour
    assert "起草 → 已提交" in body  # history: from → to with labels
    assert "王干部（干部科工作人员）" in body  # who (by name) and in which role
    assert "下载全程记录（PDF）" in body


def test_forms_are_generated_from_the_field_schema(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine)
    body = text(client_for("officer").get(f"/cases/{case_id}"))
    form = body[body.index('id="action-submit"'):body.index('id="action-withdraw"')]
    assert 'type="date"' in form and 'name="submit-notice_date"' in form
    # user pickers limited to the field's role
    assert 'value="p1"' in form and 'value="p3"' in form and 'value="i1"' in form
    assert 'value="officer"' not in form and 'value="reviewer"' not in form
    assert 'name="submit-expected_version" type="hidden" value="1"' in form
    assert "submit-csrf_token" in form


def test_recused_users_are_not_offered(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine)
    web_engine.add_recusal(case_id, "p3", "近亲属", actor(web_engine, "officer"))
    body = text(client_for("officer").get(f"/cases/{case_id}"))
    form = body[body.index('id="action-submit"'):body.index('id="action-withdraw"')]
    assert 'value="p1"' in form and 'value="p3"' not in form
    assert "近亲属" in body  # listed under 回避


def test_irreversible_event_asks_for_confirmation(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine)
    body = text(client_for("officer").get(f"/cases/{case_id}"))
    withdraw = body[body.index('id="action-withdraw"'):]
    assert "withdraw-confirm_irreversible" in withdraw and "办理后不可撤销" in withdraw
    submit = body[body.index('id="action-submit"'):body.index('id="action-withdraw"')]
    assert "confirm_irreversible" not in submit


def test_blocked_events_say_why(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine, upto="scoring")
    body = text(client_for("officer").get(f"/cases/{case_id}"))
    assert "尚不能办理" in body and "结束评分" in body and "评分组每位成员均须评分" in body


def test_auditor_reads_everything_and_has_no_forms(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine, upto="scoring")
    web_engine.fire(case_id, "score", actor(web_engine, "p1"), {"score": 91},
                    web_engine.get_case(case_id).version)
    body = text(client_for("auditor").get(f"/cases/{case_id}"))
    assert "<form" not in body.split("</header>", 1)[1]  # no action, upload, recusal or document form
    assert "记录链核验：通过" in body
    assert "91" in body  # sealed scores are visible to the auditor
    other = text(client_for("p2").get(f"/cases/{case_id}"))
    assert "91" not in other.split('id="history"')[1].split("</section>")[0]
    assert "评分结束前密封" in other or "评分密封中" in other


def test_multi_approval_shows_who_signed_and_who_is_awaited(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine, upto="signing")
    web_engine.fire(case_id, "sign", actor(web_engine, "i1"), {}, web_engine.get_case(case_id).version)
    body = text(client_for("officer").get(f"/cases/{case_id}"))
    progress = body[body.index('id="approvals"'):]
    assert "需 2 人签署，已签 1 人" in progress
    assert "考察一" in progress.split("尚待签署")[1] or "考察一" in progress
    assert "考察二" in progress
    i2 = text(client_for("i2").get(f"/cases/{case_id}"))
    card = i2[i2.index('id="action-sign"'):]
    assert "尚待：考察二" in card and "已签 1 人：考察一" in card


def test_due_date_in_working_days(client_for, web_engine: Engine, clock) -> None:
    case_id = review_case(web_engine)
    body = text(client_for("officer").get(f"/cases/{case_id}"))
    assert "2026-12-02" in body and "剩余5个工作日" in body
    clock.advance(days=8)  # 2026-12-03: one working day late
    body = text(client_for("officer").get(f"/cases/{case_id}"))
    assert 'class="due overdue"' in body and "已逾期1个工作日" in body
