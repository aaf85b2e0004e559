"""发起案件: looking up the 干部 keeps the title typed so far (issue 16, item 9), desktop and phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import expect

from workflow import Engine

from .ui import signed_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=["desktop", "phone"])
def test_a_search_keeps_the_typed_title(browser: Browser, live_server: str, engine: Engine,
                                        size: tuple[int, int]) -> None:
    officer = engine.users.get("officer").actor()
    engine.people.create({"name": "张三", "gender": "男", "birth_date": "1975-03-01", "unit": "市财政局"}, officer)
    with signed_in(browser, live_server, "officer", size[0], size[1]) as page:
        page.goto(f"{live_server}/cases/new?definition=daily_inspection")
        page.fill("#title", "张三同志2026年度日常考察")
        page.fill("#person-q", "张三")
        with page.expect_navigation():
            page.get_by_role("button", name="查找").click()
        expect(page.locator("#title")).to_have_value("张三同志2026年度日常考察")
        expect(page.locator("#person-q")).to_have_value("张三")
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
