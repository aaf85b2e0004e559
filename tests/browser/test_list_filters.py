"""The case list's 环节 filter follows the chosen procedure (issue 16, item 11), at both viewports."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from workflow import Engine

from .test_daily_forms import special_case
from .test_phone_layout import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)])
def test_choosing_a_procedure_scopes_the_step_filter(browser: Browser, live_server: str, engine: Engine,
                                                     size: tuple[int, int]) -> None:
    special_case(engine, "reported")
    page = sign_in(browser, live_server, "officer")
    try:
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.goto(f"{live_server}/cases")
        assert page.locator("#f-state optgroup").count() == len(engine.registry.latest())
        with page.expect_navigation():
            page.select_option("#f-definition", "special_inspection")
        assert "definition=special_inspection" in page.url
        d = engine.registry.get("special_inspection")
        labels = page.locator("#f-state option").all_inner_texts()
        assert labels == ["全部环节", *(s.label for s in d.states)]  # its steps only, in process order
        assert page.locator("#f-state optgroup").count() == 0
        page.select_option("#f-state", "reported")
        page.click(".filters button[type=submit]")
        assert page.locator(".result-count").inner_text() == "共 1 件"
    finally:
        page.context.close()
