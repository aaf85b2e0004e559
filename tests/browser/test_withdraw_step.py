"""撤回上一步 on the case page, desktop (1440×900) and phone (390×844): a folded secondary action."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import expect

from workflow import Engine

from ..procedures.test_inspections import REPORT
from ..procedures.test_inspections import TEAM
from .ui import signed_in

pytestmark = pytest.mark.browser


def drafted(engine: Engine) -> int:
    off, i1, i2 = (engine.users.get(u).actor() for u in ("officer", "i1", "i2"))
    person = engine.people.create({"name": "张三", "gender": "男", "birth_date": "1975-03-01"}, off)
    case = engine.start_case("special_inspection", off, title="防汛救灾专项考察", subject_id=person.id,
                             data={"inspection_trigger": "急难险重任务", "trigger_detail": "2026年汛期防汛救灾"})
    steps = [("form_team", off, TEAM), ("begin", off, {"began_on": "2026-08-03"}),
             ("record", i2, {"finding_kind": "个别谈话", "finding_date": "2026-08-04",
                             "finding_content": "同乡镇干部群众谈话12人，普遍反映靠前指挥。"}),
             ("draft_report", i1, REPORT)]
    for event, who, data in steps:
        case = engine.fire(case.id, event, who, data, case.version).case
    return case.id


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=["desktop", "phone"])
def test_withdraw_the_draft_report(browser: Browser, live_server: str, engine: Engine, artifacts: Path,
                                   size: tuple[int, int]) -> None:
    case_id = drafted(engine)
    with signed_in(browser, live_server, "i1", size[0], size[1]) as page:
        page.goto(f"{live_server}/cases/{case_id}")
        card = page.locator("#withdraw")
        expect(card).to_be_visible()
        assert card.get_attribute("open") is None                     # folded
        button = card.locator("button.secondary")
        expect(button).to_be_hidden()
        card.locator("summary").click()
        expect(button).to_have_text("撤回“起草考察报告”")
        box = card.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= size[0]  # the card fits the screen
        page.screenshot(path=str(artifacts / f"withdraw-step-{size[0]}.png"), full_page=True)
        button.click()
        expect(page.locator("body")).to_contain_text("已撤回上一步")
        expect(page.locator("#withdraw")).to_have_count(0)
        assert engine.get_case(case_id).state == "investigating"
