"""Errors exactly as api.md, and no malformed input ever answered with a 5xx."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import PDF_BYTES
from .conftest import SUBMIT
from .conftest import ApiClient
from .conftest import error
from .conftest import make_app
from .conftest import multipart


def test_unknown_urls_and_methods_answer_json(api: ApiClient) -> None:
    for resp, status, code in (
            (api.get("/nothing"), 404, "not_found"),
            (api.post("/nothing", json={}), 404, "not_found"),
            (api.client.get("/api/v2/cases"), 404, "not_found"),
            (api.get("/cases/0"), 404, "not_found"),
            (api.get("/cases/-1"), 404, "not_found"),
            (api.get("/cases/99999999999999999999"), 404, "not_found"),
            (api.get("/cases/123"), 404, "not_found"),
            (api.get("/people/5"), 404, "not_found"),
            (api.get("/definitions/nope"), 404, "not_found"),
            (api.client.delete("/api/v1/cases", headers=api.auth("officer")), 405, "method_not_allowed"),
            (api.client.put("/api/v1/cases/1/events", headers=api.auth("officer")), 405, "method_not_allowed")):
        assert resp.status_code == status and resp.is_json, resp.request.path
        assert error(resp)["code"] == code
        if status == 405:
            assert "POST" in resp.headers["Allow"] or "GET" in resp.headers["Allow"]


@pytest.mark.parametrize("body", [
    b"{", b"", b"[]", b"null", b"42", b'"text"', b'{"event": NaN}', b'{"event": Infinity}',
    b'{"expected_version": 1e999}', b'{"expected_version": ' + b"9" * 5000 + b"}", b"[" * 100_000,
    b'{"event": "\\ud800"}', b'{"event": "a\\u0000b"}', b"\xff\xfe{}", b'{"a": ' * 40 + b"1" + b"}" * 40,
])
def test_malformed_json_is_400(api: ApiClient, body: bytes) -> None:
    case = api.new_case()
    resp = api.post(f"/cases/{case.id}/events", data=body, content_type="application/json")
    assert resp.status_code == 400, resp.get_json()
    assert error(resp)["code"] == "bad_request"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "",
                                          "application/json; charset=latin-1"])
def test_wrong_content_type_is_400(api: ApiClient, content_type: str) -> None:
    resp = api.post("/cases", data=b'{"definition": "review", "title": "x"}', content_type=content_type)
    assert resp.status_code == 400 and error(resp)["code"] == "bad_request"


@pytest.mark.parametrize("body", [
    {"event": 5, "expected_version": 1}, {"event": "submit", "expected_version": "1"},
    {"event": "submit", "expected_version": True}, {"event": "submit", "expected_version": 1.5},
    {"event": "submit", "expected_version": 1, "data": []}, {"event": "submit", "expected_version": 1, "comment": 3},
    {"event": None, "expected_version": 1},
])
def test_wrong_envelope_types_are_400(api: ApiClient, body: dict[str, object]) -> None:
    case = api.new_case()
    resp = api.post(f"/cases/{case.id}/events", json=body)
    assert resp.status_code == 400 and error(resp)["code"] == "bad_request"
    assert "fields" not in error(resp)


def test_missing_expected_version_and_unknown_keys_are_422_with_fields(api: ApiClient) -> None:
    case = api.new_case()
    err = error(api.post(f"/cases/{case.id}/events", json={"event": "withdraw", "data": {"reason": "x"}}))
    assert err["code"] == "validation_failed" and set(err["fields"]) == {"expected_version"}
    err = error(api.post(f"/cases/{case.id}/events", json={"event": "withdraw", "expected_version": 1,
                                                          "data": {"reason": "x"}, "force": True}))
    assert err["code"] == "validation_failed" and set(err["fields"]) == {"force"}
    err = error(api.post(f"/cases/{case.id}/events", json={"event": "withdraw", "expected_version": 0}))
    assert set(err["fields"]) == {"expected_version"}
    err = error(api.post("/cases", json={"definition": "review", "title": "x" * 201, "extra": 1}))
    assert set(err["fields"]) == {"title", "extra"} and "200" in err["fields"]["title"]


def test_event_data_errors_are_per_field(api: ApiClient) -> None:
    case = api.new_case()
    resp = api.post(f"/cases/{case.id}/events", json={
        "event": "submit", "expected_version": case.version,
        "data": {"panel": "p1", "team": [1], "notice_date": "2026-02-30", "colour": "red"}})
    err = error(resp)
    assert resp.status_code == 422 and err["code"] == "validation_failed"
    assert set(err["fields"]) == {"team", "notice_date", "colour"}
    assert "日期" in err["fields"]["notice_date"]


def test_guard_failed_names_the_rule(api: ApiClient) -> None:
    case = api.new_case()
    resp = api.post(f"/cases/{case.id}/events", json={
        "event": "submit", "expected_version": case.version, "data": {**SUBMIT, "panel": ["p1"]}})
    err = error(resp)
    assert resp.status_code == 422 and err["code"] == "guard_failed" and "fields" not in err
    assert "评分组不少于2人" in err["message"] and "《测试规则》第一条" in err["message"]


def test_not_allowed_and_stale_version_are_409(api: ApiClient) -> None:
    case = api.new_case()
    err = error(api.post(f"/cases/{case.id}/events", json={"event": "decide", "expected_version": case.version}))
    assert err["code"] == "not_allowed"
    err = error(api.post(f"/cases/{case.id}/events", json={"event": "no_such", "expected_version": case.version}))
    assert err["code"] == "not_allowed"
    resp = api.post(f"/cases/{case.id}/events", json={"event": "withdraw", "data": {"reason": "x"},
                                                      "expected_version": case.version + 1})
    assert resp.status_code == 409 and error(resp)["code"] == "stale_version"


@pytest.mark.parametrize("query", ["page=0", "page=abc", "page=1.5", "per_page=0", "per_page=201", "per_page=-1",
                                   "overdue=maybe", "page=99999999999999999999", "page=%EF%BC%91",
                                   "definition=%00", "subject_id=0", "state=" + "s" * 65])
def test_bad_list_parameters_are_400(api: ApiClient, query: str) -> None:
    resp = api.get(f"/cases?{query}")
    assert resp.status_code == 400 and error(resp)["code"] == "bad_request", query


def test_bodies_over_the_limits_are_413(api: ApiClient) -> None:
    case = api.new_case()
    big = json.dumps({"event": "withdraw", "expected_version": 1, "comment": "x" * (3 * 1024 * 1024)})
    resp = api.post(f"/cases/{case.id}/events", data=big, content_type="application/json")
    assert resp.status_code == 413 and error(resp)["code"] == "too_large"
    huge = b"0" * (22 * 1024 * 1024)
    resp = api.post(f"/cases/{case.id}/attachments", **multipart("big.pdf", PDF_BYTES + huge))
    assert resp.status_code == 413 and error(resp)["code"] == "too_large"
    resp = api.post(f"/cases/{case.id}/events", data=huge, content_type="application/json")
    assert resp.status_code == 413 and error(resp)["code"] == "too_large"


def test_null_bytes_in_every_kind_of_text_are_refused(api: ApiClient) -> None:
    case = api.new_case()
    for resp in (api.post("/cases", json={"definition": "re\x00view", "title": "x"}),
                 api.post("/people", json={"name": "张\x00三"}),
                 api.post(f"/cases/{case.id}/recusals", json={"username": "off2\x00", "reason": "x"}),
                 api.get("/people?q=%00"), api.get("/cases?state=%00")):
        assert resp.status_code == 400 and error(resp)["code"] == "bad_request"


@pytest.mark.unhandled_error_expected
def test_unexpected_failures_answer_the_json_envelope(api: ApiClient, monkeypatch: pytest.MonkeyPatch) -> None:
    api.app.testing = False  # as in production: an exception becomes a 500, not a test crash
    api.app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(api.engine, "list_cases", broken)
    resp = api.get("/cases")
    assert resp.status_code == 500 and error(resp)["code"] == "internal_error"
    assert "simulated" not in resp.get_data(as_text=True)
    page = api.client.get("/no-such-page")
    assert page.status_code == 404 and not page.is_json


FIELDS_YAML = """
key: ids
version: 1
title: 编号字段
start: {roles: [officer], subject: none}
states:
  - {name: open, label: 办理中, initial: true}
  - {name: done, label: 已办结, final: true}
transitions:
  - trigger: close
    label: 办结
    source: open
    dest: done
    roles: [officer]
    fields:
      - {name: who, label: 人员, type: person}
      - {name: docs, label: 附件, type: file, multiple: true}
      - {name: count, label: 数量, type: integer}
"""


@pytest.mark.parametrize("data", [{"who": 10**20}, {"who": -5}, {"docs": [10**30]}, {"docs": [0, -1]},
                                  {"who": "99999999999999999999999"}, {"who": 2**31}])
def test_out_of_range_ids_in_event_data_are_422(make_engine: Any, tmp_path: Path, data: dict[str, Any]) -> None:
    folder = tmp_path / "defs"
    folder.mkdir()
    (folder / "ids.yaml").write_text(FIELDS_YAML, encoding="utf-8")
    engine = make_engine(folder)
    api = ApiClient(make_app(engine, tmp_path), engine)
    case = api.post("/cases", json={"definition": "ids", "title": "编号"}).get_json()
    resp = api.post(f"/cases/{case['id']}/events", json={"event": "close", "data": data, "expected_version": 1})
    assert resp.status_code in (400, 422), resp.get_json()
    assert error(resp)["code"] in ("bad_request", "validation_failed")
