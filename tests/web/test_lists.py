"""The inbox (待办 / 已办 / 我发起的) and the case list with filters, sorting and pagination."""

from __future__ import annotations

import re

from workflow import Engine
from workflow import FixedClock

from .helpers import actor
from .helpers import review_case
from .helpers import text


def test_inbox_tabs_and_counts(client_for, web_engine: Engine) -> None:
    mine = review_case(web_engine, "我的起草案件")
    review_case(web_engine, "已提交案件", upto="submitted")
    officer = client_for("officer")
    page = text(officer.get("/"))
    assert "待办" in page and "已办" in page and "我发起的" in page
    assert '<span class="count">2</span>' in page  # both cases wait for the officer (draft; to_meeting)
    assert "我的起草案件" in page
    reviewer = client_for("reviewer")
    todo = text(reviewer.get("/"))
    assert "已提交案件" in todo and "我的起草案件" not in todo  # reviewer may return the submitted one
    assert "已提交案件" not in text(reviewer.get("/?tab=done"))
    done = text(officer.get("/?tab=done"))
    assert "已提交案件" in done and "我的起草案件" in done  # starting a case counts as acting on it
    assert f"/cases/{mine}" in text(officer.get("/?tab=mine"))


def test_overdue_cases_are_highlighted_with_their_due_date(client_for, web_engine: Engine,
                                                           clock: FixedClock) -> None:
    review_case(web_engine, "拖延的案件")
    clock.advance(days=10)
    page = text(client_for("officer").get("/"))
    assert "待办中有 <strong>1</strong> 件已逾期" in page
    assert 'class="row-overdue"' in page and "2026-12-02" in page and "已逾期" in page


def test_auditor_has_no_inbox_but_the_audit_page(client_for) -> None:
    response = client_for("auditor").get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/audit"


def test_case_list_filters(client_for, web_engine: Engine, clock: FixedClock) -> None:
    review_case(web_engine, "甲案件")
    second = review_case(web_engine, "乙案件", upto="submitted")
    web_engine.people.create({"name": "王五", "gender": "女", "birth_date": "1985-01-01"},
                             actor(web_engine, "officer"))
    client = client_for("reviewer")
    assert "甲案件" in text(client.get("/cases")) and "乙案件" in text(client.get("/cases"))
    by_state = text(client.get("/cases?state=submitted"))
    assert "乙案件" in by_state and "甲案件" not in by_state
    assert "甲案件" in text(client.get("/cases?q=甲")) and "乙案件" not in text(client.get("/cases?q=甲"))
    assert "共 0 件" in text(client.get("/cases?person=王五"))
    assert "共 2 件" in text(client.get("/cases?person=张三&definition=review"))
    clock.advance(days=10)
    client = client_for("officer")  # ten days on, the old session has long expired
    overdue = text(client.get("/cases?overdue=1"))
    assert "甲案件" in overdue and f"/cases/{second}" not in overdue  # submitted has no deadline


def test_case_list_sorts_and_pages(client_for, web_engine: Engine) -> None:
    for i in range(32):
        review_case(web_engine, f"案件{i:02d}")
    client = client_for("officer")
    first = text(client.get("/cases?sort=title&order=asc"))
    assert first.index("案件00") < first.index("案件01") and "案件31" not in first
    assert "第 1 / 2 页，共 32 件" in first and 'aria-sort="ascending"' in first
    second = text(client.get("/cases?sort=title&order=asc&page=2"))
    assert "案件31" in second and "案件00<" not in second
    desc = text(client.get("/cases?sort=title&order=desc"))
    assert desc.index("案件31") < desc.index("案件30")
    assert text(client.get("/cases?sort=nonsense")).count("<tr") > 1
    assert client.get("/cases?page=abc").status_code == 400  # web.params: a page is 1..100000, else 400


def _state_options(page: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The 环节 select's groups (title, [(value, label)]) in page order; one untitled group if not grouped."""
    select = page.split('<select id="f-state" name="state">', 1)[1].split("</select>", 1)[0]
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for part in re.split(r'(?=<optgroup label=")', select):
        title = re.match(r'<optgroup label="([^"]*)"', part)
        options = [(v, label) for v, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', part) if v]
        if options:
            groups.append((title.group(1) if title else "", options))
    return groups


def test_the_step_filter_is_in_process_order_and_scoped_to_the_procedure(client_for, web_engine: Engine) -> None:
    review_case(web_engine, "甲案件")
    review_case(web_engine, "乙案件", upto="submitted")
    client = client_for("reviewer")
    groups = _state_options(text(client.get("/cases")))
    latest = web_engine.registry.latest()
    assert [title for title, _ in groups] == [d.title for d in latest]  # one group per procedure, in order
    for d, (_, options) in zip(latest, groups, strict=True):
        assert options == [(f"{d.key}:{s.name}", s.label) for s in d.states]  # its steps in process order
    review = web_engine.registry.get("review")
    scoped = text(client.get("/cases?definition=review"))
    assert _state_options(scoped) == [("", [(s.name, s.label) for s in review.states])]
    chosen = text(client.get("/cases?state=review:submitted"))  # chosen among all: scoped to its procedure
    assert "乙案件" in chosen and "甲案件" not in chosen
    assert '<option value="submitted" selected>' in chosen and '<option value="review" selected>' in chosen
    assert "共 0 件" in text(client.get("/cases?state=nope:submitted"))  # an unknown procedure finds nothing
