"""No integer from a request gives a 5xx: Unicode digits, huge numbers and garbage are refused clearly.

Regression: ``str.isdigit()`` accepts "²" (and other Unicode digits) that ``int()`` refuses, so
``?page=²`` on every list, ``?version=²`` on a definition, a form's ``expected_version=²`` and a
person's ``annual_assessments-0-year=²`` answered 500; a 20-digit id in a path overflowed the
database's integer (500), and a subject_id of "²" or 40 digits silently opened a case with no
subject. web/params.py now parses every integer: 400 for a query, 422 with the message on the
field for a form, 404 for a path.
"""

from __future__ import annotations

import pytest

from workflow import CaseQuery
from workflow import Engine

from .helpers import person
from .helpers import post
from .helpers import review_case
from .helpers import text

BAD = ["²", "１", "٣", "9" * 40, "-1", "0", "1.5", " 1", "1e3"]


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize("url", ["/cases", "/", "/people", "/audit"])
def test_a_bad_page_number_is_400_in_chinese(client_for, url: str, value: str) -> None:
    client = client_for("auditor" if url == "/audit" else "officer")
    response = client.get(url, query_string={"page": value})
    assert response.status_code == 400, (url, value)
    assert "查询参数 page" in text(response) and "页码" in text(response)


def test_a_good_page_number_still_works(client_for) -> None:
    client = client_for("officer")
    assert client.get("/cases?page=2").status_code == 200
    assert client.get("/cases?page=").status_code == 200


@pytest.mark.parametrize("value", ["²", "9" * 40, "0"])
def test_a_bad_definition_version_is_400(client_for, value: str) -> None:
    response = client_for("admin").get("/admin/definitions/review", query_string={"version": value})
    assert response.status_code == 400 and "版本" in text(response)


def test_a_bad_person_query_on_the_new_case_page_is_400(client_for) -> None:
    response = client_for("officer").get("/cases/new?definition=review&person=%C2%B2")
    assert response.status_code == 400 and "人员编号" in text(response)


@pytest.mark.parametrize("value", ["99999999999999999999", "2147483648", "%C2%B2"])
def test_a_path_id_beyond_the_database_is_404(client_for, value: str) -> None:
    client = client_for("officer")
    assert client.get(f"/cases/{value}").status_code == 404
    assert client.get(f"/people/{value}").status_code == 404


@pytest.mark.parametrize("value", ["²", "9" * 40, ""])
def test_a_bad_expected_version_is_422_and_changes_nothing(client_for, web_engine: Engine, value: str) -> None:
    case_id = review_case(web_engine)
    before = web_engine.get_case(case_id).version
    client = client_for("officer")
    response = post(client, f"/cases/{case_id}/events/submit", {"submit-expected_version": value},
                    page=f"/cases/{case_id}")
    assert response.status_code == 422
    assert "案件版本" in text(response)
    assert web_engine.get_case(case_id).version == before


@pytest.mark.parametrize("value", ["²", "9" * 40, "9999999999", "abc"])
def test_a_bad_subject_is_422_on_the_field_and_opens_no_case(client_for, web_engine: Engine, value: str) -> None:
    person(web_engine)
    client = client_for("officer")
    page = "/cases/new?definition=review"
    response = post(client, page, {"title": "标题", "subject_id": value, "summary": "摘要"}, page=page)
    assert response.status_code == 422
    assert "所涉干部" in text(response) or "整数" in text(response)
    assert web_engine.list_cases(CaseQuery(), web_engine.users.get("officer").actor())[1] == 0


def test_a_bad_assessment_year_is_422_on_the_field(client_for, web_engine: Engine) -> None:
    client = client_for("officer")
    data = {"name": "张三", "gender": "男", "birth_date": "1980-01-01",
            "annual_assessments-0-year": "²", "annual_assessments-0-grade": "优秀"}
    response = post(client, "/people/new", data, page="/people/new")
    assert response.status_code == 422
    assert "年度" in text(response)
    assert web_engine.people.search("", limit=10)[1] == 0
