"""A small driver of the pages for browser tests: one browser context per signed-in user.

Forms are filled by the names the pages give their fields (``<event>-<field>``), so a
test reads as the steps of a procedure: who fires which event with which values.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser
from playwright.sync_api import BrowserContext
from playwright.sync_api import Locator
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.web.helpers import PASSWORD

VIEWPORT = {"width": 1366, "height": 768}


class UI:
    def __init__(self, browser: Browser, base: str, artifacts: Path, prefix: str = "",
                 viewport: dict[str, int] | None = None) -> None:
        self.browser = browser
        self.viewport = viewport or VIEWPORT
        self.base = base
        self.artifacts = artifacts
        self.prefix = prefix
        self.contexts: dict[str, BrowserContext] = {}
        self.pages: dict[str, Page] = {}
        self.shots = 0

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()

    def url(self, path: str) -> str:
        return self.base + path

    def as_user(self, username: str) -> Page:
        """The page of a signed-in user (signs in through the login form the first time)."""
        if username not in self.pages:
            context = self.browser.new_context(viewport=self.viewport, locale="zh-CN", accept_downloads=True,
                                               java_script_enabled=False, is_mobile=self.viewport["width"] < 500)
            page = context.new_page()
            log_in(page, self.base, username)
            expect(page.locator(".userbox")).to_be_visible()
            self.contexts[username] = context
            self.pages[username] = page
        return self.pages[username]

    def open_case(self, username: str, case_id: int) -> Page:
        page = self.as_user(username)
        page.goto(self.url(f"/cases/{case_id}"))
        return page

    def fill(self, scope: Locator | Page, name: str, value: Any) -> None:
        if isinstance(value, list) and value and isinstance(value[0], dict):  # a table: one input per cell
            for i, row in enumerate(value):
                for column, cell in row.items():
                    self.fill(scope, f"{name}-{i}-{column}", cell)
            return
        field = scope.locator(f"[name='{name}']")
        if isinstance(value, list):
            for v in value:
                scope.locator(f"input[name='{name}'][value='{v}']").check()
        elif value is True:
            field.check()
        elif field.first.evaluate("e => e.tagName") == "SELECT":
            field.select_option(str(value))
        else:
            field.fill(str(value))

    def fire(self, username: str, case_id: int, event: str, values: dict[str, Any] | None = None,
             comment: str = "", expect_state: str | None = None) -> Page:
        """Fill and submit one action form on the case page; check it was done."""
        page = self.open_case(username, case_id)
        card = page.locator(f"#action-{event}")
        expect(card).to_be_visible()
        if card.get_attribute("open") is None:
            card.locator("summary").click()
        for name, value in (values or {}).items():
            self.fill(card, f"{event}-{name}", value)
        if comment:
            card.locator(f"[name='{event}-event_comment']").fill(comment)
        confirm = card.locator(f"[name='{event}-confirm_irreversible']")
        if confirm.count():
            confirm.check()
        with page.expect_navigation():
            card.locator("button[type=submit]").click()
        page.locator(".flash-success, .error-box, .flash-warning, .flash-error").first.wait_for()
        if not page.locator(".flash-success").count():
            self.shot(page, f"failed-{event}")
            errors = page.locator(".error-box, .field-errors, .flash-warning").all_inner_texts()
            raise AssertionError(f"{username} 办理 {event} 未成功：{errors}")
        if expect_state:
            expect(page.locator(".case-head .state")).to_have_text(expect_state)
        return page

    def case_id(self, page: Page) -> int:
        match = re.search(r"/cases/(\d+)$", page.url)
        assert match, page.url
        return int(match.group(1))

    def shot(self, page: Page, name: str, *, full_page: bool = True, also: Path | None = None) -> Path:
        self.shots += 1
        path = self.artifacts / f"{self.prefix}-{self.shots:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        if also is not None:
            also.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(also), full_page=full_page)
        return path


def log_in(page: Page, base: str, username: str) -> None:
    """Sign ``username`` in through the login form (the test users' password)."""
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")


@contextmanager
def signed_in(browser: Browser, base: str, username: str, width: int = 1366, height: int = 900) -> Iterator[Page]:
    """A page of a fresh context with scripts on, signed in as ``username``; a width under 500 px is a phone.
    The context closes afterwards."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  is_mobile=width < 500)
    try:
        page = context.new_page()
        log_in(page, base, username)
        yield page
    finally:
        context.close()
