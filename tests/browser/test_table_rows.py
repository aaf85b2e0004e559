"""A table field in the browser (JavaScript on): 增加一行 adds a numbered blank row, and the rows typed
into it are what the case stores (tests/definitions/table/tabled.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import expect

from workflow import Engine

from .ui import signed_in

pytestmark = pytest.mark.browser
DEFS = Path(__file__).resolve().parent.parent / "definitions" / "table"


@pytest.fixture
def engine(make_engine: Any) -> Engine:
    """The live server runs over the scratch table procedure instead of the shipped ones."""
    e: Engine = make_engine(DEFS)
    return e


def test_add_a_row_then_submit(browser: Browser, live_server: str, engine: Engine, artifacts: Path) -> None:
    off = engine.users.get("officer").actor()
    people = [engine.people.create({"name": name, "gender": "男", "birth_date": "1975-03-01"}, off).id
              for name in ("张三", "李四", "王五", "赵六")]
    case = engine.start_case("tabled", off, title="推荐", data={"summary": "摘要"})
    with signed_in(browser, live_server, "officer") as page:
        page.goto(f"{live_server}/cases/{case.id}")
        card = page.locator("#action-recommend")
        rows = card.locator("table.entry-table tbody tr")
        expect(rows).to_have_count(3)
        for i in range(3):
            card.locator(f"[name='recommend-candidates-{i}-person_id']").select_option(str(people[i]))
            card.locator(f"[name='recommend-candidates-{i}-votes']").fill(str(10 + i))
        card.locator("[data-add-row]").click()
        expect(rows).to_have_count(4)
        added = card.locator("[name='recommend-candidates-3-votes']")
        expect(added).to_have_value("")
        assert added.get_attribute("aria-label") == "推荐人选及得票第4行得票数"
        card.locator("[name='recommend-candidates-3-person_id']").select_option(str(people[3]))
        added.fill("13")
        page.screenshot(path=str(artifacts / "table-rows-form.png"), full_page=True)
        with page.expect_navigation():
            card.locator("button[type=submit]").click()
        expect(page.locator(".flash-success")).to_be_visible()
        page.screenshot(path=str(artifacts / "table-rows-shown.png"), full_page=True)
    stored = engine.get_case(case.id).data["candidates"]
    assert [(r["person_id"], r["votes"]) for r in stored] == list(zip(people, [10, 11, 12, 13], strict=True))
