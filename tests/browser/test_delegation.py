"""委托 in the browser, desktop (1440×900) and phone (390×844): a team member on leave delegates with the
form; the delegate finds the case in 待办, signs it for her, and the history says 「受托人（代委托人）」;
then the delegation is revoked with its button and lends nothing more."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import expect

from workflow import Engine
from workflow.clock import local_today
from workflow.queries.delegated import delegators

from ..web.helpers import PASSWORD_HASH
from .test_withdraw_step import drafted
from .ui import UI

pytestmark = pytest.mark.browser
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


@pytest.mark.parametrize("size", sorted(SIZES))
def test_delegate_sign_for_the_delegator_and_revoke(browser: Browser, live_server: str, engine: Engine,
                                                    artifacts: Path, size: str) -> None:
    # 张三 is an inspector and an officer: she sees the organization's cases in her own right.
    engine.users.add("io", ["inspector", "officer"], PASSWORD_HASH, name="张三", unit="市委组织部")
    case_id = drafted(engine)  # 考察报告 waits for the team's signatures (i1, i2)
    width, height = SIZES[size]
    today = local_today(engine.clock)
    ui = UI(browser, live_server, artifacts, prefix=f"delegation-{size}", viewport={"width": width, "height": height})
    try:
        page = ui.as_user("i1")
        page.goto(ui.url("/delegations"))
        page.fill("[name=to]", "io")
        page.fill("[name=starts_on]", today.isoformat())
        page.fill("[name=ends_on]", (today + timedelta(days=3)).isoformat())
        page.get_by_label("专项考察").check()
        with page.expect_navigation():
            page.get_by_role("button", name="委托", exact=True).click()
        row = page.locator("table.delegations tbody tr").first
        expect(row).to_contain_text("张三（io）")
        expect(row).to_contain_text("生效中")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        ui.shot(page, "delegated")

        page = ui.as_user("io")
        page.goto(ui.url("/"))
        expect(page.locator(f"a[href$='/cases/{case_id}']").first).to_be_visible()  # in 待办
        page = ui.fire("io", case_id, "sign_report", {})
        expect(page.locator("#history .event").last).to_contain_text("张三（代")
        assert engine.history(case_id)[-1].on_behalf_of == "i1"
        ui.shot(page, "signed-for")

        page = ui.as_user("i1")
        page.goto(ui.url("/delegations"))
        with page.expect_navigation():
            page.get_by_role("button", name="撤销委托").click()
        expect(page.locator("table.delegations tbody tr").first).to_contain_text("已撤销")
        with engine.db.read() as conn:
            assert delegators(conn, engine.users.get("io").actor(), "special_inspection", today) == []
    finally:
        ui.close()
