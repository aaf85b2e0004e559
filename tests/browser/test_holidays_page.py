"""系统管理 › 节假日 in the browser (issue 16, item 14a), desktop (1440×900) and phone (390×844)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import expect

from workflow import Engine

from .ui import signed_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=["desktop", "phone"])
def test_an_administrator_sets_and_removes_a_day(browser: Browser, live_server: str, engine: Engine,
                                                 artifacts: Path, size: tuple[int, int]) -> None:
    with signed_in(browser, live_server, "admin", size[0], size[1]) as page:
        page.get_by_role("link", name="节假日").click()
        expect(page.locator("#holidays-h")).to_have_text("2026年节假日与调休上班日")
        expect(page.locator("#day-2026-10-01")).to_contain_text("国家安排")
        page.fill("#day", "2026-03-02")
        page.check("input[name=kind][value=holiday]")
        page.click("#set-day button[type=submit]")               # no name: refused, nothing stored
        errors = page.locator("#set-day-errors")
        expect(errors).to_contain_text("名称或事由：此项为必填项")
        expect(errors).to_be_in_viewport()
        expect(page.locator("#day")).to_have_value("2026-03-02")  # kept
        assert engine.calendar.entered_days(2026) == []
        page.fill("#name", "抗洪抢险临时停工")
        page.click("#set-day button[type=submit]")
        expect(page.locator(".flash-success")).to_contain_text("已设置：2026-03-02（星期一）为节假日")
        row = page.locator("#day-2026-03-02")
        expect(row).to_contain_text("抗洪抢险临时停工")
        expect(row).to_contain_text("本系统设置")
        assert not engine.calendar.calendar().is_workday(date(2026, 3, 2))
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
        page.screenshot(path=str(artifacts / f"holidays-{size[0]}.png"), full_page=True)
        row.get_by_role("button", name="删除 2026-03-02 的设置").click()
        expect(page.locator(".flash-success")).to_contain_text("已删除 2026-03-02 的设置")
        expect(page.locator("#day-2026-03-02")).to_have_count(0)
        assert engine.calendar.calendar().is_workday(date(2026, 3, 2))
