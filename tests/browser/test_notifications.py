"""消息通知 in the browser: the header's unread count on every page, the list, marking one and all
read (CSRF forms), at desktop (1440×900) and phone (390×844) sizes."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import expect

from tests.web.helpers import add_web_users
from workflow import Engine

from .ui import signed_in

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", sorted(SIZES))
def test_header_count_and_marking_read(browser: Browser, live_server: str, engine: Engine, artifacts: Path,
                                       size: str) -> None:
    add_web_users(engine, {"officer2": ["officer"]})
    officer = engine.users.get("officer").actor()
    person = engine.people.create({"name": "张三", "gender": "男", "birth_date": "1975-03-01"}, officer)
    for title in ("张三日常考察", "张三年度考察"):
        engine.start_case("daily_inspection", officer, title=title, subject_id=person.id)
    with signed_in(browser, live_server, "officer2", SIZES[size]["width"], SIZES[size]["height"]) as page:
        count = page.locator(".userbox .notice-count")
        expect(count).to_have_text("2")
        page.goto(f"{live_server}/cases")
        expect(count).to_have_text("2")  # on every page
        page.locator(".notice-link").click()
        expect(page.locator("h1")).to_have_text("消息通知")
        items = page.locator(".ntf")
        expect(items).to_have_count(2)
        expect(items.nth(0)).to_contain_text("《张三年度考察》（日常考察）已到“记实中”环节")  # newest first
        expect(page.locator(".ntf.unread")).to_have_count(2)
        assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
        page.screenshot(path=str(artifacts / f"notifications-{size}.png"), full_page=True)
        items.nth(0).get_by_role("button", name="标为已读").click()
        expect(page.locator(".ntf.unread")).to_have_count(1)
        expect(count).to_have_text("1")
        page.get_by_role("button", name="全部标为已读").click()
        expect(page.locator(".ntf.unread")).to_have_count(0)
        expect(count).to_have_text("0")
        page.locator(".ntf").nth(1).get_by_role("link", name="查看案件").click()
        expect(page.locator("h1")).to_contain_text("张三日常考察")
