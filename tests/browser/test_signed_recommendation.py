"""A signed recommendation from creation to its final state, in the browser alone (no JavaScript).

An officer opens the case (creating the person with the 干部任免审批表 form), the
recommender submits it with the pledge, the officer registers and reviews it, a
reviewer includes it, and an auditor verifies the chain and downloads the history PDF.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from .ui import UI

pytestmark = pytest.mark.browser
MERITS = {
    "recommender_post": "市发展改革委党组书记、主任",
    "relationship": "上下级", "acquaintance": "很了解", "direction": "定向", "target_post": "市发展改革委副主任",
    "merit_virtue": "政治立场坚定，理想信念坚定，对党忠诚，道德品行端正，群众公认度高。",
    "merit_ability": "熟悉宏观经济和项目管理，统筹协调能力强。",
    "merit_diligence": "工作积极主动，敢于担当，长期坚守一线。",
    "merit_performance": "牵头完成重点项目审批改革，审批时限压缩一半。",
    "typical_examples": "2025年防汛救灾中连续值守十余天，组织转移群众三百余人，受到市委通报表扬。",
    "shortcomings": "工作要求较急，有时对下属耐心不够。",
    "integrity_status": "遵守廉洁自律各项规定，未发现问题。",
    "pledge": True,
}


def test_signed_recommendation_end_to_end(ui: UI) -> None:
    # 1. the officer opens the case, creating the person on the way
    page = ui.as_user("officer")
    page.goto(ui.url("/cases/new"))
    page.click("text=领导干部署名举荐")
    page.click("text=新建人员（干部任免审批表）")
    page.fill("#name", "刘建国")
    page.select_option("#gender", "男")
    page.fill("#birth_date", "1978-06-01")
    page.fill("#unit", "市发展改革委")
    page.fill("#current_post", "综合规划科科长")
    page.fill("[name='resume-0-start']", "2000.07")
    page.fill("[name='resume-0-text']", "市发展改革委科员")
    page.click("button:has-text('保存人员')")
    expect(page.locator(".flash-success")).to_contain_text("已登记人员：刘建国")
    page.fill("#title", "署名推荐刘建国同志")
    page.select_option("#recommender", "rec")
    page.click("button:has-text('发起案件')")
    expect(page.locator(".case-head .state")).to_have_text("起草")
    case_id = ui.case_id(page)
    ui.shot(page, "opened")

    # 2. the recommender finds it in 待办 and submits it (confirming the irreversible signature)
    rec = ui.as_user("rec")
    rec.goto(ui.url("/"))
    rec.click("text=署名推荐刘建国同志")
    expect(rec.locator("#action-submit")).to_be_visible()
    page = ui.fire("rec", case_id, "submit", MERITS, expect_state="已署名提交")
    ui.shot(page, "submitted")

    # 3. the officer registers it (number from the engine) and records the qualification review
    page = ui.fire("officer", case_id, "register", {"received_on": "2026-11-24"}, expect_state="已受理登记")
    expect(page.locator("#data")).to_contain_text("署荐2026")
    ui.fire("officer", case_id, "start_review", {
        "check_basic": "符合", "check_education": "符合", "check_tenure": "符合",
        "check_disqualification": "符合", "review_notes": "经审查，各项条件均符合。"}, expect_state="资格审查")
    inbox = ui.as_user("officer")
    inbox.goto(ui.url("/"))
    ui.shot(inbox, "officer-inbox", full_page=False)

    # 4. the reviewer sees the rules and approves: the case reaches its final state
    reviewer = ui.open_case("reviewer", case_id)
    expect(reviewer.locator("#action-include")).to_be_visible()
    ui.shot(reviewer, "reviewer-case")
    page = ui.fire("reviewer", case_id, "include", {"decision_opinion": "同意纳入人选范围。"},
                   expect_state="纳入人选范围")
    expect(page.locator("#actions")).to_have_count(0)  # a final case offers no forms
    ui.shot(page, "final")

    # 5. the auditor reads it read-only, sees the chain verified, downloads the history PDF
    auditor = ui.open_case("auditor", case_id)
    expect(auditor.locator("#verify-status")).to_contain_text("记录链核验：通过")
    expect(auditor.locator("main form")).to_have_count(0)
    with auditor.expect_download() as info:
        auditor.click("#history-pdf")
    pdf = Path(info.value.path())
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF")
    (ui.artifacts / f"{ui.prefix}-history.pdf").write_bytes(content)
    ui.shot(auditor, "auditor")
