"""Excel exports of the case lists (issue 16): 案件 with its filters, each tab of 我的工作台; what the page
lists for that user, every page of it, registered in 查阅登记."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import text as sql

from workflow import Engine

from . import helpers
from .helpers import review_case


def _rows(resp: Any) -> tuple[list[Any], list[list[Any]]]:
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    assert "no-store" in resp.headers["Cache-Control"]
    sheet = load_workbook(io.BytesIO(resp.data)).worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = values.index(["编号", "标题", "流程", "当前环节", "办结", "办理期限", "逾期", "当前办理人", "发起时间",
                           "最近办理"])
    return values[:header], values[header + 1:]


def _exports(engine: Engine) -> list[tuple[str, str]]:
    with engine.db.engine.connect() as conn:
        return [(r[0], r[1]) for r in conn.execute(sql(
            "SELECT username, detail FROM access_log WHERE object = 'export' ORDER BY seq"))]


def test_the_case_list_exports_its_filtered_rows_every_page(client_for: Any, web_engine: Engine,
                                                           monkeypatch: Any) -> None:
    ids = [review_case(web_engine, f"导出测试{i}") for i in range(5)]
    review_case(web_engine, "别的案件")
    monkeypatch.setattr("web.views.cases.PER_PAGE", 2)  # the page shows 2; the workbook holds all 5
    client = client_for("officer")
    page = helpers.text(client.get("/cases?q=导出测试"))
    assert "导出Excel" in page and "/cases.xlsx?q=" in page
    head, rows = _rows(client.get("/cases.xlsx?q=导出测试&sort=id&order=asc"))
    assert [r[0] for r in rows] == ids and all(r[1].startswith("导出测试") for r in rows)
    assert rows[0][2] == "测试审查流程" and rows[0][3] and rows[0][4] == "否"
    assert head[0][0] == "案件列表：关键词：导出测试；共5件" and "officer" in head[1][0]
    assert _exports(web_engine) == [("officer", "案件列表（Excel）关键词：导出测试；共5件")]


def test_the_export_holds_what_the_user_may_see_and_is_cut_at_the_limit(client_for: Any, web_engine: Engine,
                                                                       monkeypatch: Any) -> None:
    for i in range(3):
        review_case(web_engine, f"限额{i}")
    monkeypatch.setattr("web.views.exports.LIMIT", 2)
    head, rows = _rows(client_for("officer").get("/cases.xlsx?q=限额"))
    assert len(rows) == 2 and head[0][0].endswith("共3件，仅导出前2件，请缩小筛选范围")
    _, none = _rows(client_for("rec").get("/cases.xlsx?q=限额"))  # a recommender sees none of them
    assert none == []


def test_each_inbox_tab_exports(client_for: Any, web_engine: Engine) -> None:
    draft = review_case(web_engine, "草稿")
    submitted = review_case(web_engine, "已提交", upto="submitted")
    client = client_for("officer")
    assert "/inbox.xlsx?tab=mine" in helpers.text(client.get("/?tab=mine"))
    _, mine = _rows(client.get("/inbox.xlsx?tab=mine"))
    assert {r[0] for r in mine} == {draft, submitted}
    _, todo = _rows(client.get("/inbox.xlsx?tab=todo"))
    assert draft in {r[0] for r in todo}
    head, done = _rows(client.get("/inbox.xlsx?tab=done"))
    assert head[0][0].startswith("我的工作台·已办：") and submitted in {r[0] for r in done}
    assert client.get("/inbox.xlsx?tab=nonsense").status_code == 200  # an unknown tab is 待办


def test_the_inbox_searches_every_tab_by_title_and_its_export_follows(client_for: Any, web_engine: Engine) -> None:
    wanted = review_case(web_engine, "张三干部考察")
    review_case(web_engine, "李四干部考察")
    client = client_for("officer")
    page = helpers.text(client.get("/?q=张三"))
    assert f"/cases/{wanted}" in page and "李四干部考察" not in page
    assert 'value="张三"' in page and "tab=mine&amp;q=" in page  # the tabs keep the search
    assert "李四干部考察" not in helpers.text(client.get("/?tab=mine&q=张三"))
    assert [c.id for c in web_engine.todo(web_engine.users.get("officer").actor(), text="张三")[0]] == [wanted]
    head, rows = _rows(client.get("/inbox.xlsx?tab=mine&q=张三"))
    assert [r[0] for r in rows] == [wanted] and head[0][0] == "我的工作台·我发起的：关键词：张三；共1件"


def test_the_done_and_mine_tabs_sort_by_a_column_and_todo_stays_by_urgency(client_for: Any,
                                                                          web_engine: Engine) -> None:
    first, second = review_case(web_engine, "甲案件"), review_case(web_engine, "乙案件")
    client = client_for("officer")
    mine = helpers.text(client.get("/?tab=mine&sort=id&order=asc"))
    assert mine.index(f"/cases/{first}\"") < mine.index(f"/cases/{second}\"")
    assert 'aria-sort="ascending"' in mine and "sort=id" in mine
    mine = helpers.text(client.get("/?tab=mine&sort=id&order=desc"))
    assert mine.index(f"/cases/{second}\"") < mine.index(f"/cases/{first}\"")
    assert "aria-sort" not in helpers.text(client.get("/?tab=todo"))  # 待办: most urgent first, no column sort
    _, rows = _rows(client.get("/inbox.xlsx?tab=mine&sort=id&order=asc"))
    assert [r[0] for r in rows] == [first, second]
