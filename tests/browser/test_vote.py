"""Voting on a phone (390×844): open the slip's link, be warned when choosing too many, vote, see the receipt."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import expect

from workflow import Engine

pytestmark = pytest.mark.browser


def test_a_voter_votes_on_a_phone(browser: Browser, live_server: str, engine: Engine, artifacts: Path) -> None:
    officer = engine.users.get("officer").actor()
    person = engine.people.create({"name": "张三", "gender": "男", "birth_date": "1975-03-01"}, officer)
    case = engine.start_case("pre_appointment_inspection", officer, title="张三任前考察", subject_id=person.id)
    ballot, codes = engine.ballots.create(case.id, officer, {
        "kind": "recommendation", "title": "副局长人选会议推荐", "voters": 3,
        "items": [{"key": "post", "label": "副局长（限选1人）", "max_choices": 1,
                   "options": [{"label": "张三", "person_id": person.id}, "李四", "王五"]}]})
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{live_server}/vote")
        page.fill("#code", "0000-0000-0000-0000")
        page.click("#open")
        expect(page.locator("#vote-error")).to_contain_text("选票码无效")
        page.goto(f"{live_server}/vote?code={codes[0].replace('-', '')}")
        expect(page.locator("h2")).to_have_text("副局长人选会议推荐")
        assert "code=" not in page.url  # the script takes the code out of the address bar
        page.get_by_label("张三").check()
        page.get_by_label("李四").check()
        expect(page.locator(".vote-hint")).to_contain_text("最多选1项，您已选2项")
        expect(page.locator("#cast")).to_be_disabled()
        page.screenshot(path=str(artifacts / "vote-phone-over-choice.png"), full_page=True)
        page.get_by_label("李四").uncheck()
        expect(page.locator("#cast")).to_be_enabled()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
        page.click("#cast")
        expect(page.locator("#receipt-card h2")).to_have_text("投票成功")
        receipt = page.locator("#receipt").inner_text()
        page.screenshot(path=str(artifacts / "vote-phone-receipt.png"), full_page=True)
        page.goto(f"{live_server}/vote?code={codes[0]}")
        expect(page.locator("#vote-error")).to_contain_text("已经使用过")
    finally:
        context.close()
    assert engine.ballots.get(ballot.id, officer).cast == 1
    engine.ballots.close(ballot.id, officer)
    assert engine.ballots.receipts(ballot.id, officer) == [receipt]
