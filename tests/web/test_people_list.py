"""干部名册: the roster of people, searchable, paged, for department staff only."""

from __future__ import annotations

import re

from workflow import Engine

from .helpers import actor
from .helpers import text


def _people(web_engine: Engine, count: int, unit: str, name: str = "名册") -> None:
    officer = actor(web_engine, "officer")
    for i in range(count):
        web_engine.people.create({"name": f"{name}{i:03d}", "gender": "女", "birth_date": "1980-11-26",
                                  "unit": unit, "current_post": "科长"}, officer)


def test_roster_searches_by_name_or_unit_and_pages_by_fifty(client_for, web_engine: Engine) -> None:
    _people(web_engine, 51, "江州市统计局")
    _people(web_engine, 2, "江州市审计局", name="审计")
    officer = client_for("officer")
    first = text(officer.get("/people?q=统计局"))
    assert "共 51 人" in first and "第 1 / 2 页，共 51 人" in first
    assert first.count("江州市统计局") == 50 and "审计000" not in first
    assert "1980-11-26（45岁）" in first  # the day before the birthday (the web tests' clock is 2026-11-25)
    second = text(officer.get("/people?q=统计局&page=2"))
    assert second.count("江州市统计局") == 1 and 'rel="prev"' in second
    by_name = text(officer.get("/people?q=审计00"))
    assert "共 2 人" in by_name and "名册000" not in by_name
    link = re.search(r'href="(/people/\d+)">审计000<', by_name)
    assert link and "审计000" in text(officer.get(link.group(1)))
    nothing = text(officer.get("/people?q=不存在的单位"))
    assert "共 0 人" in nothing and "没有姓名或单位含“不存在的单位”的人员" in nothing


def test_roster_is_for_department_staff_and_only_creators_see_the_add_button(client_for, web_engine: Engine
                                                                              ) -> None:
    _people(web_engine, 1, "江州市统计局")
    officer = text(client_for("officer").get("/people"))
    assert "登记干部" in officer and re.search(r'href="/people"[^>]*>干部名册<', officer)
    auditor = text(client_for("auditor").get("/people"))
    assert "名册000" in auditor and "登记干部" not in auditor
    rec = client_for("rec")
    assert rec.get("/people").status_code == 403
    assert "干部名册" not in text(rec.get("/"))
