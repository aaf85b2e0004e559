"""No page scrolls sideways on a phone (issue 16, item 7): every role's main pages at 390×844; and
none shows a cadre developer words (item 8): hashes, keys, file names and units outside the audit views.

Each role visits the pages of its work; the ones its policy refuses (403/404) are skipped, and each
role must have had at least its usual pages checked. A failure names the page and the widest boxes,
or the words.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import Page

from workflow import Engine

from .test_daily_forms import special_case
from .ui import log_in

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 390, 844
# The boxes that stick out on the right (for the failure message).
WIDE = """w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)
  .slice(0, 8).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
  + (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ').join('.') : '')
  + ' ' + Math.round(e.getBoundingClientRect().right))"""
# What a cadre should never have to decode; hashes only for who reads the audit (auditor, admin).
DEVELOPER_WORDS = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|SHA-256|MiB|definitions/|模板版本|标识|事件数")
HASHES = re.compile(r"[0-9a-f]{12,}")
AUDIT_READERS = ("auditor", "admin")
# role -> how many of the pages below it must at least have seen (it may open)
ROLES = {"officer": 13, "reviewer": 9, "auditor": 13, "admin": 13, "i1": 6, "rec": 7}


def pages(case_id: int, person_id: int) -> list[str]:
    return ["/", "/cases", "/cases?definition=special_inspection&state=reported", f"/cases/{case_id}",
            "/cases/new", "/cases/new?definition=special_inspection", "/people", f"/people/{person_id}",
            f"/people/{person_id}/edit", "/people/new", "/reports/recommendations", "/dashboard", "/notices",
            "/audit", "/audit/access", "/admin/users", "/admin/users/officer", "/admin/orgs", "/admin/tokens",
            "/admin/definitions", "/admin/definitions/special_inspection", "/admin/holidays", "/password"]


def sign_in(browser: Browser, base: str, username: str) -> Page:
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    log_in(page, base, username)
    page.locator(".userbox").wait_for()
    return page


@pytest.mark.parametrize("role", list(ROLES))
def test_no_page_scrolls_sideways_on_a_phone(browser: Browser, live_server: str, engine: Engine,
                                             artifacts: Path, role: str) -> None:
    case_id = special_case(engine, "reported")
    person_id = engine.get_case(case_id).subject_id
    page = sign_in(browser, live_server, role)
    seen: list[str] = []
    wide: list[str] = []
    words: list[str] = []
    try:
        for path in pages(case_id, person_id or 0):
            response = page.goto(f"{live_server}{path}")
            assert response is not None
            if response.status in (403, 404):
                continue
            assert response.status == 200, (role, path, response.status)
            seen.append(path)
            if not path.startswith("/audit"):
                visible = page.evaluate("document.body.innerText")
                shown = DEVELOPER_WORDS.findall(visible) + ([] if role in AUDIT_READERS else HASHES.findall(visible))
                if shown:
                    words.append(f"{path}：{sorted(set(shown))[:8]}")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH:
                page.screenshot(path=str(artifacts / f"phone-wide-{role}-{len(seen)}.png"), full_page=True)
                wide.append(f"{path}：{width}px {page.evaluate(WIDE, WIDTH)}")
    finally:
        page.context.close()
    assert not wide, f"{role} 在 390px 宽的手机上需要横向滚动：\n" + "\n".join(wide)
    assert not words, f"{role} 看到的页面上有开发用语：\n" + "\n".join(words)
    assert len(seen) >= ROLES[role], (role, seen)
