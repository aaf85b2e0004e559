"""The README's screenshots (docs/img/: inbox, notifications, dashboard, case, phone), taken from the live pages.

Cases are prepared through the engine (the browser tests walk the same steps through
the pages); the pictures show an officer's inbox with an overdue case, his notification
centre (new 待办 and the reminders run's 逾期), his 统计分析 with its charts and tables, and a
reviewer's page of a selection case at 讨论决定, with its rules, diagram and history.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from workflow import Engine
from workflow import FixedClock

from .spine import AFTER_INSPECTION
from .spine import BEFORE_INSPECTION
from .spine import INSPECTION
from .spine import QUALIFIED
from .spine import START
from .spine import Step
from .spine import for_subject
from .test_signed_recommendation import MERITS
from .ui import UI

pytestmark = pytest.mark.browser
DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


def _walk(engine: Engine, case_id: int, steps: list[Step]) -> None:
    for who, event, values, _ in steps:
        version = engine.get_case(case_id).version
        engine.fire(case_id, event, engine.users.get(who).actor(), values, version)


def _person(engine: Engine, name: str, unit: str, post: str) -> int:
    officer = engine.users.get("officer").actor()
    return engine.people.create({"name": name, "gender": "男", "birth_date": "1981-04-02", "unit": unit,
                                 "current_post": post, **QUALIFIED}, officer).id


def _recommendation(engine: Engine, title: str, name: str, upto: str) -> int:
    officer, rec = (engine.users.get(u).actor() for u in ("officer", "rec"))
    case = engine.start_case("signed_recommendation", officer, title=title,
                             subject_id=_person(engine, name, "市财政局", "预算科科长"), data={"recommender": "rec"})
    steps: list[tuple[Any, str, dict[str, Any]]] = [(rec, "submit", MERITS),
                                                    (officer, "register", {"received_on": "2026-11-13"})]
    for who, event, data in steps[: {"draft": 0, "submitted": 1, "registered": 2}[upto]]:
        case = engine.fire(case.id, event, who, data, case.version).case
    return case.id


def test_readme_screenshots(ui: UI, engine: Engine, clock: FixedClock) -> None:
    clock.set(clock.now().replace(day=16))  # 2026-11-16: these cases were opened a week and more ago
    _recommendation(engine, "署名推荐王明同志", "王明", "submitted")
    _recommendation(engine, "署名推荐赵刚同志", "赵刚", "registered")
    officer = engine.users.get("officer").actor()
    pid = _person(engine, "陈志远", "市发展和改革委员会", "综合规划科科长")
    spine = engine.start_case("selection_appointment", officer, title="陈志远同志拟任市发展改革委副主任",
                              subject_id=pid, data=START)
    _walk(engine, spine.id, for_subject(BEFORE_INSPECTION, pid))
    inspection_id = engine.get_case(spine.id).data["inspection_case_id"]
    _walk(engine, inspection_id, INSPECTION)
    _walk(engine, spine.id, AFTER_INSPECTION[:2])  # to_deliberation and 酝酿: the decision is next
    clock.set(clock.now().replace(day=25))
    _recommendation(engine, "署名推荐孙立同志", "孙立", "draft")

    page = ui.as_user("officer")
    page.goto(ui.url("/"))
    expect(page.locator(".row-overdue")).to_have_count(1)
    ui.shot(page, "readme-inbox", full_page=False, also=DOCS_IMG / "inbox.png")

    assert engine.run_reminders() >= 1  # the overdue case's 逾期
    page.goto(ui.url("/notifications"))
    expect(page.locator("h1")).to_have_text("消息通知")
    expect(page.locator(".ntf", has_text="逾期")).not_to_have_count(0)
    expect(page.locator(".ntf", has_text="请您办理")).not_to_have_count(0)
    ui.shot(page, "readme-notifications", full_page=False, also=DOCS_IMG / "notifications.png")

    page.goto(ui.url("/dashboard"))
    expect(page.locator("h1")).to_have_text("统计分析")
    expect(page.locator("svg").first).to_be_visible()
    ui.shot(page, "readme-dashboard", full_page=False, also=DOCS_IMG / "dashboard.png")

    page = ui.open_case("reviewer", spine.id)
    expect(page.locator("#action-decide")).to_be_visible()
    height = min(page.evaluate("document.documentElement.scrollHeight"), 2400)
    path = ui.shot(page, "readme-case")
    page.screenshot(path=str(DOCS_IMG / "case.png"), full_page=True,
                    clip={"x": 0, "y": 0, "width": 1366, "height": height})
    assert path.exists() and (DOCS_IMG / "case.png").exists()

    phone = page.context.browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",  # type: ignore[union-attr]
                                             is_mobile=True, storage_state=page.context.storage_state())
    try:
        small = phone.new_page()
        small.goto(ui.url(f"/cases/{spine.id}"))
        expect(small.locator("#action-decide")).to_be_visible()
        from .test_phone_layout import WIDE
        assert small.evaluate("document.documentElement.scrollWidth") <= 390, small.evaluate(WIDE, 390)
        small.screenshot(path=str(DOCS_IMG / "phone.png"), full_page=True,
                         clip={"x": 0, "y": 0, "width": 390, "height": 1600})
    finally:
        phone.close()
