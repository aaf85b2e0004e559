"""Ballots through the JSON API: define, vote with one-time codes, refusals, close, tally, receipts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from workflow import FixedClock

from ..api.conftest import ApiClient
from ..api.conftest import error
from .helpers import evaluation_ballot
from .helpers import investigating

GRADES = ["优秀", "称职", "基本称职", "不称职"]


def open_ballot(api: ApiClient, voters: int = 5, **extra: object) -> tuple[int, int, int, list[str]]:
    case_id, subject = investigating(api)
    resp = api.post(f"/cases/{case_id}/ballots", json={**evaluation_ballot(subject, voters), **extra})
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    return case_id, subject, body["id"], body["codes"]


def vote(api: ApiClient, code: str, choices: dict[str, list[str]]) -> object:
    return api.post("/vote", None, json={"code": code, "choices": choices})


def test_an_officer_defines_a_ballot_and_gets_its_codes_once(real_api: ApiClient) -> None:
    case_id, _, ballot_id, codes = open_ballot(real_api, voters=7)
    assert len(codes) == len(set(codes)) == 7
    assert all(len(c) == 19 and c.count("-") == 3 for c in codes)
    got = real_api.get(f"/ballots/{ballot_id}").get_json()
    assert {k: got[k] for k in ("id", "case_id", "kind", "status", "voters", "cast")} == {
        "id": ballot_id, "case_id": case_id, "kind": "evaluation", "status": "open", "voters": 7, "cast": 0}
    assert got["items"][0]["options"] == GRADES
    history = real_api.get(f"/cases/{case_id}/history").get_json()
    assert history[-1]["data"]["ballot_id"] == ballot_id and history[-1]["data"]["voters"] == 7
    assert not any(c.replace("-", "") in str(history) for c in codes)


def test_voting_closing_and_the_tally(real_api: ApiClient) -> None:
    case_id, _, ballot_id, codes = open_ballot(real_api, voters=6)
    ballots = [{"zs": ["优秀"]}, {"zs": ["优秀"]}, {"zs": ["称职"]}, {"zs": ["优秀", "称职"]}, {}]
    receipts = []
    for code, choices in zip(codes, ballots, strict=False):
        resp = vote(real_api, code, choices)
        assert resp.status_code == 201, resp.get_json()
        receipts.append(resp.get_json()["receipt"])
    assert real_api.get(f"/ballots/{ballot_id}").get_json()["cast"] == 5
    assert error(real_api.get(f"/ballots/{ballot_id}/receipts"))["code"] == "not_allowed"
    resp = real_api.post(f"/ballots/{ballot_id}/close")
    assert resp.status_code == 200
    tally = resp.get_json()
    assert (tally["voters"], tally["cast"], tally["valid"], tally["void"]) == (6, 5, 4, 1)  # its only item void
    assert tally["items"] == {"zs": {"优秀": 2, "称职": 1, "基本称职": 0, "不称职": 0}}
    detail = tally["details"]["zs"]
    assert (detail["valid"], detail["void"], detail["abstain"]) == (3, 1, 1)  # over-choosing voids the item
    assert [(r["option"], r["rank"]) for r in detail["ranking"]][:2] == [("优秀", 1), ("称职", 2)]
    assert len(tally["box_hash"]) == 64
    assert sorted(real_api.get(f"/ballots/{ballot_id}/receipts").get_json()) == sorted(receipts)
    again = real_api.post(f"/ballots/{ballot_id}/close")
    assert again.status_code == 409 and error(again)["code"] == "not_allowed"
    last = real_api.get(f"/cases/{case_id}/history").get_json()[-1]
    assert last["data"]["box_hash"] == tally["box_hash"] and last["data"]["items"] == tally["items"]
    assert real_api.get("/audit/verify", "auditor").get_json()["ok"] is True


def test_bad_codes_get_a_chinese_message_and_change_nothing(real_api: ApiClient) -> None:
    _, _, ballot_id, codes = open_ballot(real_api, voters=3)
    unknown = vote(real_api, "ABCD-EFGH-JKMN-PQRS", {"zs": ["优秀"]})
    assert unknown.status_code == 403 and "选票码无效" in error(unknown)["message"]
    assert vote(real_api, codes[0], {"zs": ["优秀"]}).status_code == 201
    used = vote(real_api, codes[0].lower().replace("-", " "), {"zs": ["称职"]})
    assert used.status_code == 403 and error(used)["code"] == "forbidden" and "已经使用" in error(used)["message"]
    malformed = vote(real_api, codes[1], {"zs": ["优秀", "优秀"], "nope": ["x"]})
    assert malformed.status_code == 422
    assert set(error(malformed)["fields"]) == {"choices.zs", "choices.nope"}
    wrong_option = vote(real_api, codes[1], {"zs": ["良好"]})
    assert wrong_option.status_code == 422 and "没有“良好”这一选项" in error(wrong_option)["fields"]["choices.zs"]
    assert real_api.get(f"/ballots/{ballot_id}").get_json()["cast"] == 1
    assert real_api.post(f"/ballots/{ballot_id}/close").status_code == 200
    closed = vote(real_api, codes[1], {"zs": ["优秀"]})
    assert closed.status_code == 409 and error(closed)["code"] == "not_allowed"
    assert "已经结束" in error(closed)["message"]
    assert real_api.get(f"/ballots/{ballot_id}").get_json()["cast"] == 1


def test_no_voting_after_the_deadline(real_api: ApiClient, clock: FixedClock) -> None:
    deadline = (clock.now() + timedelta(hours=2)).isoformat()
    _, _, ballot_id, codes = open_ballot(real_api, voters=2, deadline=deadline)
    assert vote(real_api, codes[0], {"zs": ["优秀"]}).status_code == 201
    clock.advance(hours=3)
    late = vote(real_api, codes[1], {"zs": ["优秀"]})
    assert late.status_code == 409 and "截止" in error(late)["message"]
    assert real_api.post(f"/ballots/{ballot_id}/close").get_json()["cast"] == 1


def test_repeated_bad_codes_from_one_address_are_throttled(real_api: ApiClient) -> None:
    _, _, _, codes = open_ballot(real_api, voters=1)
    statuses = [vote(real_api, f"ZZZZ-ZZZZ-ZZZZ-{i:04d}", {}).status_code for i in range(20)]
    assert statuses == [403] * 20
    locked = vote(real_api, codes[0], {"zs": ["优秀"]})
    assert locked.status_code == 429 and "错误次数过多" in error(locked)["message"]


@pytest.mark.parametrize("body, field", [
    ({"kind": "poll", "title": "x", "voters": 3, "items": []}, "kind"),
    ({"kind": "evaluation", "title": "x", "voters": 0, "items": [{"key": "a", "label": "甲"}]}, "voters"),
    ({"kind": "evaluation", "title": "x", "voters": 3, "items": [{"key": "a b", "label": "甲"}]}, "items[0].key"),
    ({"kind": "recommendation", "title": "x", "voters": 3,
      "items": [{"key": "p", "label": "甲", "options": ["张三"], "max_choices": 2}]}, "items[0].max_choices"),
    ({"kind": "vote", "title": "x", "named": True, "items": [{"key": "a", "label": "甲"}]}, "members"),
])
def test_a_malformed_ballot_is_refused_with_its_fields(real_api: ApiClient, body: dict[str, object],
                                                       field: str) -> None:
    case_id, _ = investigating(real_api)
    resp = real_api.post(f"/cases/{case_id}/ballots", json=body)
    assert resp.status_code == 422 and field in error(resp)["fields"], resp.get_json()


def test_only_officers_of_the_case_manage_its_ballots(real_api: ApiClient) -> None:
    case_id, subject, ballot_id, _ = open_ballot(real_api, voters=2)
    refused = real_api.post(f"/cases/{case_id}/ballots", "reviewer", json=evaluation_ballot(subject))
    assert refused.status_code == 403
    assert real_api.post(f"/ballots/{ballot_id}/close", "reviewer").status_code == 403
    assert real_api.get(f"/ballots/{ballot_id}/codes.pdf", "reviewer").status_code == 403
    for who in ("recommender", "panelist", "admin"):  # they may not see the case: 404, not 403
        assert real_api.get(f"/ballots/{ballot_id}", who).status_code == 404
        assert real_api.post(f"/ballots/{ballot_id}/close", who).status_code in (403, 404)
    assert real_api.get("/ballots/999999").status_code == 404


def test_a_ballot_of_a_case_of_another_organization_is_not_found(real_api: ApiClient) -> None:
    eng = real_api.engine
    eng.orgs.add("east", "东区委组织部", None)
    eng.users.add("east_off", ["officer"], "x", name="东区干部科", org="east")
    token = eng.users.create_token("east_off")
    _, _, ballot_id, _ = open_ballot(real_api, voters=2)
    headers = {"Authorization": f"Bearer {token}"}
    for path in (f"/ballots/{ballot_id}", f"/ballots/{ballot_id}/receipts"):
        assert real_api.client.get("/api/v1" + path, headers=headers).status_code == 404
    assert real_api.client.post(f"/api/v1/ballots/{ballot_id}/close", headers=headers).status_code == 404
