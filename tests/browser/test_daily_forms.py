"""The action forms a cadre uses all day (issue 16), desktop (1440×900) and phone (390×844).

Errors at the form that failed (open, scrolled to, every error at once, a refused upload too), the
forward action open and the destructive ones folded, live counters, a version conflict that keeps
the typed text, the 退回 banner and tag, the message a disabled account gets at sign-in, and each
role's first page. The cases are moved on through the engine; the step under test is done through
the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import BrowserContext
from playwright.sync_api import Page
from playwright.sync_api import expect

from workflow import Engine

from ..web.helpers import PASSWORD
from .ui import log_in

pytestmark = pytest.mark.browser
SIZES = pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=["desktop", "phone"])
TEAM = {"team": ["i1", "i2"], "team_leader": "i1", "plan": "围绕防汛救灾任务开展专项考察。"}
FINDING = {"finding_kind": "个别谈话", "finding_date": "2026-08-04",
           "finding_content": "同乡镇干部群众谈话12人，普遍反映靠前指挥。"}
REPORT = {"report_text": "该同志在防汛救灾中靠前指挥、连续奋战，组织转移群众3200余人，" * 2,
          "performance_tags": ["担当作为"], "conclusion_grade": "好", "suggestion": "建议优先使用"}
REASON = "谈话人数不足，请补充走访乡镇干部群众。"


def special_case(engine: Engine, until: str) -> int:
    """A 专项考察 moved through the engine up to state ``until``."""
    off, i1, i2 = (engine.users.get(u).actor() for u in ("officer", "i1", "i2"))
    person = engine.people.create({"name": "张三", "gender": "男", "birth_date": "1975-03-01"}, off)
    case = engine.start_case("special_inspection", off, title="防汛救灾专项考察", subject_id=person.id,
                             data={"inspection_trigger": "急难险重任务", "trigger_detail": "2026年汛期防汛救灾"})
    steps: list[tuple[str, Any, dict[str, Any]]] = [
        ("form_team", off, TEAM), ("begin", off, {"began_on": "2026-08-03"}), ("record", i2, FINDING),
        ("draft_report", i1, REPORT), ("sign_report", i1, {}), ("sign_report", i2, {})]
    for event, who, data in steps:
        if case.state == until:
            break
        case = engine.fire(case.id, event, who, data, case.version).case
    assert case.state == until
    return case.id


class Users:
    """Browser contexts at one viewport, one per signed-in user (JavaScript on, as cadres use it)."""

    def __init__(self, browser: Browser, base: str, size: tuple[int, int]) -> None:
        self.browser, self.base, self.size = browser, base, size
        self.contexts: list[BrowserContext] = []

    def context(self) -> BrowserContext:
        context = self.browser.new_context(viewport={"width": self.size[0], "height": self.size[1]},
                                           locale="zh-CN", is_mobile=self.size[0] < 500)
        self.contexts.append(context)
        return context

    def sign_in(self, username: str, context: BrowserContext | None = None) -> Page:
        page = (context or self.context()).new_page()
        log_in(page, self.base, username)
        expect(page.locator(".userbox")).to_be_visible()
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def users(browser: Browser, live_server: str, size: tuple[int, int]) -> Iterator[Users]:
    session = Users(browser, live_server, size)
    yield session
    session.close()


def open_card(page: Page, event: str) -> Any:
    card = page.locator(f"#action-{event}")
    if card.get_attribute("open") is None:
        card.locator("summary").click()
    return card


def submit(page: Page, card: Any) -> None:
    with page.expect_navigation():
        card.locator("button[type=submit]").click()


def fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@SIZES
def test_error_on_the_second_form_shows_there(users: Users, engine: Engine, size: tuple[int, int]) -> None:
    """Item 1: 退回补充考察 (the second form) without a reason: that form stays open, scrolled to."""
    case_id = special_case(engine, "reported")
    page = users.sign_in("reviewer")
    page.goto(f"{users.base}/cases/{case_id}")
    expect(page.locator("#action-approve")).to_have_attribute("open", "")
    card = open_card(page, "return")
    submit(page, card)
    summary = page.locator("#action-return-errors")
    expect(summary).to_contain_text("未能办理“退回补充考察”，请修改以下1处后重新提交")
    expect(summary).to_contain_text("退回理由：")
    expect(summary).to_be_in_viewport()                        # scrolled to, not off-screen
    expect(summary).to_be_focused()
    expect(page.locator("#action-return")).to_have_attribute("open", "")
    assert page.locator("#action-approve").get_attribute("open") is None  # the other form folded
    expect(page.locator("#error-summary")).to_contain_text("查看“退回补充考察”表单")
    expect(card.locator("[name='return-return_reason']")).to_have_attribute("aria-invalid", "true")
    fits(page, size[0])
    assert engine.get_case(case_id).state == "reported"


@SIZES
def test_forward_action_open_and_destructive_folded_apart(users: Users, engine: Engine,
                                                          size: tuple[int, int]) -> None:
    """Item 2: 组建考察组 open; 撤销 folded, after a 慎重 heading, in red and with a red-outlined button."""
    case_id = special_case(engine, "initiated")
    page = users.sign_in("officer")
    page.goto(f"{users.base}/cases/{case_id}")
    forward, cancel = page.locator("#action-form_team"), page.locator("#action-cancel")
    expect(forward).to_have_attribute("open", "")
    assert cancel.get_attribute("open") is None
    expect(cancel.locator("button[type=submit]")).to_be_hidden()
    expect(page.locator("#danger-actions-h")).to_have_text("退回、撤回或终止（请慎重办理）")
    order = page.eval_on_selector_all(".action-card", "cards => cards.map(c => c.id)")
    assert order.index("action-form_team") < order.index("action-cancel")
    expect(cancel).to_have_class("action-card action-danger")
    colour = "e => getComputedStyle(e).color"
    assert cancel.locator(".action-label").evaluate(colour) != forward.locator(".action-label").evaluate(colour)
    cancel.locator("summary").click()
    danger, primary = cancel.locator("button[type=submit]"), forward.locator("button[type=submit]")
    expect(danger).to_have_class("danger")
    background = "e => getComputedStyle(e).backgroundColor"
    assert danger.evaluate(background) != primary.evaluate(background)
    fits(page, size[0])
    page.goto(f"{users.base}/cases/{analysed_daily_case(engine)}")  # 撤销 is the officer's only action here
    expect(page.locator("#action-cancel")).to_be_visible()
    assert page.locator("#action-cancel").get_attribute("open") is None  # still folded
    expect(page.locator("#action-cancel button[type=submit]")).to_be_hidden()


def analysed_daily_case(engine: Engine) -> int:
    """A 日常考察 in 分析研判, where the officer may only 撤销 (the reviewer files or returns it)."""
    off = engine.users.get("officer").actor()
    person = engine.people.create({"name": "李四", "gender": "男", "birth_date": "1978-06-01"}, off)
    case = engine.start_case("daily_inspection", off, title="李四日常考察", subject_id=person.id,
                             data={"period": "2026年度"})
    for day in ("2026-03-02", "2026-05-11", "2026-07-06"):
        entry = {"record_kind": "谈心谈话", "record_date": day, "record_content": "谈心谈话，了解思想和工作情况。"}
        case = engine.fire(case.id, "record", off, entry, case.version).case
    analysis = {"analysis_text": "三次记实反映该同志工作扎实、作风务实、群众认可度高。"}
    case = engine.fire(case.id, "analyze", off, analysis, case.version).case
    assert case.state == "analysis"
    return case.id


@SIZES
def test_every_error_of_a_form_at_once(users: Users, engine: Engine, size: tuple[int, int]) -> None:
    """Item 3: 撤销 sent empty: the unchecked confirmation and the missing reason in one round."""
    case_id = special_case(engine, "initiated")
    page = users.sign_in("officer")
    page.goto(f"{users.base}/cases/{case_id}")
    submit(page, open_card(page, "cancel"))
    summary = page.locator("#action-cancel-errors")
    expect(summary).to_contain_text("请修改以下2处")
    expect(summary).to_contain_text("确认：此操作不可撤销，请勾选确认后再提交")
    expect(summary).to_contain_text("撤销理由：")
    expect(summary).to_be_in_viewport()
    card = page.locator("#action-cancel")
    expect(card.locator(".field-errors")).to_have_count(2)     # each beside its field too
    card.locator("[name='cancel-cancel_reason']").fill("任务调整，不再开展专项考察。")
    card.locator("[name='cancel-confirm_irreversible']").check()
    submit(page, card)
    expect(page.locator(".flash-success")).to_contain_text("已办理“撤销”")
    assert engine.get_case(case_id).state == "cancelled"


@SIZES
def test_live_counter_announces_the_minimum(users: Users, engine: Engine, size: tuple[int, int]) -> None:
    """Item 3: a field with a length rule counts as one types (考察报告正文: at least 50 characters)."""
    case_id = special_case(engine, "investigating")
    engine.fire(case_id, "record", engine.users.get("i2").actor(), FINDING, engine.get_case(case_id).version)
    page = users.sign_in("i1")
    page.goto(f"{users.base}/cases/{case_id}")
    card = open_card(page, "draft_report")
    count = card.locator("#draft_report-report_text-count")
    expect(count).to_have_text("已输入0个字，还需至少50个字（上限20000个字）")
    card.locator("[name='draft_report-report_text']").fill("靠前指挥")
    expect(count).to_have_text("已输入4个字，还需至少46个字（上限20000个字）")
    expect(count).to_have_class("char-count count-bad")


@SIZES
def test_conflict_with_another_user_keeps_the_text(users: Users, engine: Engine, size: tuple[int, int]) -> None:
    """Item 4: 考察一 types a record while 考察二 records one: kept, 考察二 named, resubmitted."""
    case_id = special_case(engine, "investigating")
    mine, theirs = users.sign_in("i1"), users.sign_in("i2")
    for page in (mine, theirs):
        page.goto(f"{users.base}/cases/{case_id}")
    card = open_card(mine, "record")
    card.locator("[name='record-finding_kind']").select_option("实地走访")
    card.locator("[name='record-finding_date']").fill("2026-08-05")
    card.locator("[name='record-finding_content']").fill("走访安置点三处，群众反映转移安置有序。")
    other = open_card(theirs, "record")
    other.locator("[name='record-finding_kind']").select_option("查阅资料")
    other.locator("[name='record-finding_date']").fill("2026-08-05")
    other.locator("[name='record-finding_content']").fill("查阅防汛值班记录和调度台账。")
    submit(theirs, other)
    expect(theirs.locator(".flash-success")).to_be_visible()
    submit(mine, card)
    summary = mine.locator("#action-record-errors")
    expect(summary).to_contain_text("您打开此页后，考察二办理了此案件，本页的内容尚未提交")
    expect(summary).to_contain_text("考察二于")
    expect(summary).to_contain_text("办理了“记录考察情况”")
    expect(summary).to_contain_text("您填写的内容已保留，案件现处于“考察中”")
    expect(summary).to_be_in_viewport()
    card = mine.locator("#action-record")
    expect(card.locator("[name='record-finding_content']")).to_have_value("走访安置点三处，群众反映转移安置有序。")
    expect(card.locator("[name='record-finding_kind']")).to_have_value("实地走访")
    button = card.locator("button[type=submit]")
    expect(button).to_have_text("按最新情况重新提交")
    submit(mine, card)
    expect(mine.locator(".flash-success")).to_contain_text("已办理“记录考察情况”")
    findings = engine.get_case(case_id).data["findings"]
    assert [f["finding_content"] for f in findings][-2:] == ["查阅防汛值班记录和调度台账。",
                                                             "走访安置点三处，群众反映转移安置有序。"]


@SIZES
def test_conflict_with_my_other_tab(users: Users, engine: Engine, size: tuple[int, int]) -> None:
    """Item 4: the same user in two tabs is told so, not 「已被他人处理」."""
    case_id = special_case(engine, "investigating")
    first = users.sign_in("i2")
    second = first.context.new_page()
    for page in (first, second):
        page.goto(f"{users.base}/cases/{case_id}")
    typed = ((second, "另一窗口记录的谈话情况，共谈话8人。"), (first, "本窗口记录的走访情况，共走访3处。"))
    for page, content in typed:
        card = open_card(page, "record")
        card.locator("[name='record-finding_kind']").select_option("个别谈话")
        card.locator("[name='record-finding_date']").fill("2026-08-06")
        card.locator("[name='record-finding_content']").fill(content)
        submit(page, card)
    summary = first.locator("#action-record-errors")
    expect(summary).to_contain_text("您已在其他窗口办理了此案件，本页的内容尚未提交")
    expect(summary).not_to_contain_text("他人")
    expect(first.locator("[name='record-finding_content']")).to_have_value("本窗口记录的走访情况，共走访3处。")
    submit(first, first.locator("#action-record"))
    expect(first.locator(".flash-success")).to_be_visible()
    assert [f["finding_content"] for f in engine.get_case(case_id).data["findings"]] == [
        "另一窗口记录的谈话情况，共谈话8人。", "本窗口记录的走访情况，共走访3处。"]


@SIZES
def test_returned_case_is_flagged(users: Users, engine: Engine, size: tuple[int, int]) -> None:
    """Item 6: after 退回补充考察 (through the page), the banner with the reason and a 退回 tag in the lists."""
    case_id = special_case(engine, "reported")
    reviewer = users.sign_in("reviewer")
    reviewer.goto(f"{users.base}/cases/{case_id}")
    card = open_card(reviewer, "return")
    card.locator("[name='return-return_reason']").fill(REASON)
    submit(reviewer, card)
    expect(reviewer.locator(".flash-success")).to_be_visible()
    page = users.sign_in("i1")
    page.goto(f"{users.base}/cases/{case_id}")
    banner = page.locator("#returned-banner")
    expect(banner).to_contain_text("本案件已被退回：退回补充考察")
    expect(banner).to_contain_text(f"退回理由：{REASON}")
    expect(banner).to_contain_text("李部长")
    banner_y = banner.bounding_box()["y"]  # type: ignore[index]
    assert banner_y < page.locator("#actions").bounding_box()["y"]  # type: ignore[index]  # above the forms
    fits(page, size[0])
    for path in ("/", "/cases"):
        page.goto(f"{users.base}{path}")
        row = page.locator("table.cases tbody tr", has=page.locator(f"a[href='/cases/{case_id}']"))
        expect(row.locator(".badge-returned")).to_have_text("退回")
        expect(row).to_contain_text("考察中")


@SIZES
def test_disabled_account_is_told_so(users: Users, engine: Engine, size: tuple[int, int]) -> None:
    """Item 14b: a disabled account with the right password hears it is disabled, not 密码错误."""
    engine.users.update("i2", active=False)
    page = users.context().new_page()
    page.goto(f"{users.base}/login")
    page.fill("#username", "i2")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    box = page.locator(".error-box")
    expect(box).to_contain_text("该账户已停用，请联系系统管理员")
    expect(box).not_to_contain_text("用户名或密码错误")
    expect(page.locator(".userbox")).to_have_count(0)
    page.fill("#username", "i2")
    page.fill("#password", "wrong-password-1")
    page.click("button[type=submit]")
    expect(page.locator(".error-box")).to_contain_text("用户名或密码错误")  # a wrong password says nothing more
    fits(page, size[0])


@SIZES
def test_each_role_lands_on_its_work(users: Users, engine: Engine, size: tuple[int, int]) -> None:
    """Item 10: 监督检查 for the auditor, 系统管理 for the administrator, 发起案件 only for who may start."""
    for who, path, title in (("auditor", "/audit", "监督检查"), ("admin", "/admin/users", "系统管理"),
                             ("officer", "/", "我的工作台")):
        page = users.sign_in(who)
        assert page.url == f"{users.base}{path}", who
        expect(page.locator("main h1")).to_have_text(title)
        nav = page.locator(".mainnav")
        expect(nav.get_by_role("link", name="发起案件")).to_have_count(1 if who == "officer" else 0)
        expect(nav.get_by_role("link", name="我的工作台")).to_have_count(1 if who == "officer" else 0)
        with page.expect_navigation():
            page.locator(".brand").click()
        assert page.url == f"{users.base}{path}", who   # the brand leads back to the same first page
        fits(page, size[0])
    for who, starts in (("reviewer", False), ("rec", True)):  # only 署名推荐 starts with a recommender
        page = users.sign_in(who)
        expect(page.locator(".mainnav").get_by_role("link", name="发起案件")).to_have_count(int(starts))
        response = page.goto(f"{users.base}/cases/new")
        assert response is not None and response.status == (200 if starts else 403), who
        if not starts:
            expect(page.locator("main")).to_contain_text("您的角色不能发起任何流程")


@SIZES
def test_refused_upload_shows_its_error_in_view(users: Users, engine: Engine, size: tuple[int, int]) -> None:
    """Item 1: a refused upload (not a PDF, image, DOCX or OFD) says why where the eye is."""
    case_id = special_case(engine, "investigating")
    page = users.sign_in("officer")
    page.goto(f"{users.base}/cases/{case_id}")
    form = page.locator("#attachments form")
    form.locator("input[type=file]").set_input_files(
        {"name": "谈话记录.txt", "mimeType": "text/plain", "buffer": "谈话记录".encode()})
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    box = page.locator("#upload-errors")
    expect(box).to_contain_text("未能上传附件")
    expect(box.locator("li")).to_have_count(1)                 # with the reason
    assert box.locator("li").inner_text().strip()
    expect(box).to_be_in_viewport()
    expect(box).to_be_focused()
    assert engine.attachments(case_id, engine.users.get("officer").actor()) == []
    fits(page, size[0])
