"""A ``table`` field on the case page: rows of inputs, blank rows ignored, a bad cell's message beside it.

On tests/definitions/table/tabled.yaml: 推荐 takes 推荐人选及得票 (人选 person, 得票数 0..10000, ...),
讨论决定 takes 表态情况 (成员 reviewer, 表态 同意/不同意/缓议).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from workflow import Engine

from .helpers import actor
from .helpers import add_web_users
from .helpers import person
from .helpers import post
from .helpers import signed_in_clients
from .helpers import text

DEFS = Path(__file__).resolve().parent.parent / "definitions" / "table"


@pytest.fixture
def eng(make_engine: Any) -> Engine:
    e: Engine = make_engine(DEFS)
    add_web_users(e)
    return e


@pytest.fixture
def client_of(eng: Engine, tmp_path: Path) -> Any:
    return signed_in_clients(eng, tmp_path)


def cell(page: str, name: str) -> str:
    """The <td> holding the input ``name`` (its input and the messages beside it)."""
    match = re.search(r'<td[^>]*>(?:(?!</td>).)*name="' + re.escape(name) + r'"(?:(?!</td>).)*</td>', page, re.S)
    assert match, f"no cell {name}"
    return match.group(0)


def test_the_form_has_rows_of_inputs_and_keeps_typed_rows_with_the_error_beside_the_cell(
        eng: Engine, client_of: Any) -> None:
    a, b = person(eng, "张三"), person(eng, "李四")
    case = eng.start_case("tabled", actor(eng, "officer"), title="推荐", data={"summary": "摘要"})
    officer = client_of("officer")
    url = f"/cases/{case.id}"
    page = text(officer.get(url))
    assert "推荐人选及得票" in page and "data-add-row" in page and "增加一行" in page
    for i in range(3):  # three blank rows without JavaScript
        assert f'name="recommend-candidates-{i}-person_id"' in page and f'name="recommend-candidates-{i}-votes"' in page
    assert 'name="recommend-candidates-3-votes"' not in page
    assert f'<option value="{a}">张三' in cell(page, "recommend-candidates-0-person_id")
    form = {"recommend-expected_version": str(case.version),
            "recommend-candidates-0-person_id": str(a), "recommend-candidates-0-votes": "25",
            "recommend-candidates-1-person_id": "", "recommend-candidates-1-votes": "",  # a blank row: ignored
            "recommend-candidates-2-person_id": str(b), "recommend-candidates-2-votes": "²"}
    r = post(officer, f"{url}/events/recommend", form, page=url)
    assert r.status_code == 422
    page = text(r)
    bad = cell(page, "recommend-candidates-2-votes")
    assert 'value="²"' in bad and "第2行 得票数：应为整数" in bad and 'aria-invalid="true"' in bad
    assert "推荐人选及得票：第2行 得票数：应为整数" in page  # in the summary at the top, once
    assert page.count("第2行 得票数：应为整数") == 2
    assert 'value="25"' in cell(page, "recommend-candidates-0-votes")
    assert "应为整数" not in cell(page, "recommend-candidates-0-votes")
    assert f'<option selected value="{b}">' in cell(page, "recommend-candidates-2-person_id")
    # three blank rows again: the one left blank and two after what was typed
    assert 'name="recommend-candidates-4-votes"' in page and 'name="recommend-candidates-5-votes"' not in page
    assert eng.get_case(case.id).state == "draft" and eng.get_case(case.id).version == case.version
    form["recommend-candidates-2-votes"] = "3"
    r = post(officer, f"{url}/events/recommend", form, page=url)
    assert r.status_code == 303, text(r)
    snap = eng.get_case(case.id)
    assert snap.state == "recommended"
    assert [(row["person_id"], row["votes"]) for row in snap.data["candidates"]] == [(a, 25), (b, 3)]
    page = text(officer.get(url))
    assert "<th scope=\"col\">人选</th>" in page and "<th scope=\"col\">得票数</th>" in page
    assert "<td>张三</td>" in page and "<td>25</td>" in page  # by name: the officer may read the person


def test_a_required_table_left_blank_and_a_user_column(eng: Engine, client_of: Any) -> None:
    case = eng.start_case("tabled", actor(eng, "officer"), title="推荐", data={"summary": "摘要"})
    officer = client_of("officer")
    url = f"/cases/{case.id}"
    r = post(officer, f"{url}/events/recommend", {"recommend-expected_version": str(case.version)}, page=url)
    assert r.status_code == 422 and "推荐人选及得票：此项为必填项" in text(r)
    pid = person(eng)
    case = eng.fire(case.id, "recommend", actor(eng, "officer"), {"candidates": [{"person_id": pid, "votes": 1}]},
                    case.version).case
    reviewer = client_of("reviewer")
    page = text(reviewer.get(url))
    assert '<option value="reviewer2">周部长' in cell(page, "decide-stances-0-username")
    assert '<option value="同意">同意</option>' in cell(page, "decide-stances-0-stance")
    form = {"decide-expected_version": str(case.version),
            "decide-stances-0-username": "reviewer", "decide-stances-0-stance": "同意",
            "decide-stances-1-username": "reviewer2", "decide-stances-1-stance": "缓议"}
    assert post(reviewer, f"{url}/events/decide", form, page=url).status_code == 303
    page = text(reviewer.get(url))
    assert "<td>李部长</td>" in page and "<td>周部长</td>" in page and "<td>缓议</td>" in page
