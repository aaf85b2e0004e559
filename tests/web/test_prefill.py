"""Forms start from what the case records (issue 16, item 9): the team on 调整考察组, today in 收到日期;
free text and the entries of a list are never carried over."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from workflow import Engine

from ..procedures.test_inspections import TEAM
from .helpers import add_web_users
from .helpers import signed_in_clients
from .helpers import submitted_recommendation


def _form(page: str, event: str) -> str:
    found = re.search(rf'<details[^>]*id="action-{event}".*?</details>', page, re.S)
    assert found is not None, f"no form for {event}"
    return found.group(0)


def _checked(form: str, name: str) -> set[str]:
    return set(re.findall(rf'<input[^>]*checked[^>]*name="{name}"[^>]*value="([^"]*)"', form)
               + re.findall(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"[^>]*checked', form))


def _selected(form: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', form, re.S)
    assert select is not None
    return re.findall(r'<option[^>]*selected[^>]*value="([^"]*)"|<option[^>]*value="([^"]*)"[^>]*selected',
                      select.group(1))


def test_the_team_is_prefilled_on_adjust_team_and_its_reason_is_not(make_engine: Any, tmp_path: Path) -> None:
    engine: Engine = make_engine()
    add_web_users(engine)
    off = engine.users.get("officer").actor()
    person = engine.people.create({"name": "张三", "gender": "男", "birth_date": "1975-03-01"}, off)
    case = engine.start_case("special_inspection", off, title="专项考察", subject_id=person.id,
                             data={"inspection_trigger": "急难险重任务", "trigger_detail": "2026年汛期防汛救灾"})
    engine.fire(case.id, "form_team", off, TEAM, case.version)
    page = signed_in_clients(engine, tmp_path)("officer").get(f"/cases/{case.id}").get_data(as_text=True)
    form = _form(page, "adjust_team")
    assert _checked(form, "adjust_team-team") == {"i1", "i2"}
    assert [v for pair in _selected(form, "adjust_team-team_leader") for v in pair if v] == ["i1"]
    reason = re.search(r'<textarea[^>]*name="adjust_team-adjust_reason"[^>]*>([^<]*)</textarea>', form)
    assert reason is not None and reason.group(1).strip() == ""


def test_a_required_date_of_something_that_happened_starts_at_today(make_engine: Any, tmp_path: Path) -> None:
    engine: Engine = make_engine()
    case_id = submitted_recommendation(engine)
    page = signed_in_clients(engine, tmp_path)("officer").get(f"/cases/{case_id}").get_data(as_text=True)
    form = _form(page, "register")
    assert re.search(r'name="register-received_on"[^>]*value="2026-11-25"', form), form
