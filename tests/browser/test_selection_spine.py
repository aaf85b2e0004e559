"""The selection spine (干部选拔任用) from 动议 to 正式任职 in the browser alone (no JavaScript),
including its linked 任前考察 with the team's multi-approval, then the auditor's download."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from workflow import Engine

from .spine import AFTER_INSPECTION
from .spine import BEFORE_INSPECTION
from .spine import INSPECTION
from .spine import QUALIFIED
from .spine import START
from .spine import for_subject
from .ui import UI

pytestmark = pytest.mark.browser


def test_selection_spine_end_to_end(ui: UI, engine: Engine) -> None:
    officer = engine.users.get("officer").actor()
    facts = {"name": "陈志远", "gender": "男", "birth_date": "1980-03-15", "unit": "市发展和改革委员会",
             "current_post": "综合规划科科长", **QUALIFIED}
    pid = engine.people.create(facts, officer).id
    page = ui.as_user("officer")
    page.goto(ui.url("/cases/new?definition=selection_appointment"))
    page.fill("#person-q", "陈志远")
    page.click("button:has-text('查找')")
    page.fill("#title", "陈志远同志拟任市发展改革委副主任")
    page.select_option("#subject_id", label="陈志远（市发展和改革委员会，1980年03月生）")
    for name, value in START.items():
        ui.fill(page, name, value)
    page.click("button:has-text('发起案件')")
    expect(page.locator(".case-head .state")).to_have_text("动议")
    case_id = ui.case_id(page)

    for who, event, values, state in for_subject(BEFORE_INSPECTION, pid):
        page = ui.fire(who, case_id, event, values, expect_state=state)
    blocked = ui.open_case("officer", case_id)
    expect(blocked.locator(".blocked")).to_contain_text("任前考察结束（或终止）后方可提交讨论决定")
    blocked.click("#links a")
    inspection_id = ui.case_id(blocked)
    assert inspection_id != case_id

    for who, event, values, state in INSPECTION:
        page = ui.fire(who, inspection_id, event, values, expect_state=state)
        if event == "sign_material" and who == "i1":
            expect(page.locator(".flash-success")).to_contain_text("尚待其余人员签署")
            expect(page.locator("#approvals")).to_contain_text("考察二")
    ui.shot(page, "inspection-concluded")

    for who, event, values, state in AFTER_INSPECTION:
        page = ui.fire(who, case_id, event, values, expect_state=state)
    expect(page.locator(".case-head .state")).to_have_class("state state-final")
    ui.shot(page, "appointed")

    auditor = ui.open_case("auditor", case_id)
    expect(auditor.locator("#verify-status")).to_contain_text("通过")
    expect(auditor.locator("main form")).to_have_count(0)
    with auditor.expect_download() as info:
        auditor.click("#history-pdf")
    content = Path(info.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    (ui.artifacts / f"{ui.prefix}-history.pdf").write_bytes(content)
    assert engine.get_case(case_id).state == "appointed" and engine.verify().ok
