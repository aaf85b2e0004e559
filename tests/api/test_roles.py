"""Every endpoint × every role (and no token): the expected status, as one table.

Writing endpoints get fresh objects for each role, so one role's success never
changes what the next role sees. The three PDF rows need the documents package
(documents.render_history, render_form, available_documents).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from werkzeug.test import TestResponse

from web.jobs.kinds import ROSTER_XLSX

from ..ballots.helpers import evaluation_ballot
from ..ballots.helpers import investigating
from .conftest import PDF_BYTES
from .conftest import PERSON
from .conftest import PNG_BYTES
from .conftest import ROLES
from .conftest import ApiClient
from .conftest import multipart
from .test_files import SIGNED
from .test_person_exchange import SAMPLES

WHO: tuple[str | None, ...] = (*ROLES, None)
Call = Callable[[ApiClient, str | None], TestResponse]


def _fire(api: ApiClient, who: str | None) -> TestResponse:
    case = api.new_case()
    return api.post(f"/cases/{case.id}/events", who,
                    json={"event": "withdraw", "data": {"reason": "不再需要"}, "expected_version": case.version})


def _upload(api: ApiClient, who: str | None) -> TestResponse:
    case = api.new_case()
    return api.post(f"/cases/{case.id}/attachments", who, **multipart("材料.pdf", PDF_BYTES))


def _download(api: ApiClient, who: str | None) -> TestResponse:
    case = api.new_case()
    att = api.engine.add_attachment(case.id, "材料.pdf", PDF_BYTES, api.actor("officer"))
    return api.get(f"/cases/{case.id}/attachments/{att.id}", who)


def _recuse(api: ApiClient, who: str | None) -> TestResponse:
    case = api.new_case()
    return api.post(f"/cases/{case.id}/recusals", who, json={"username": "off2", "reason": "近亲属关系"})


def _urge(api: ApiClient, who: str | None) -> TestResponse:
    case = api.case_in("meeting")  # held by rev; p1 and i1 are named on it
    return api.post(f"/cases/{case.id}/urge", who, json={"username": "rev", "text": "请尽快审议"})


def _add_signer(api: ApiClient, who: str | None) -> TestResponse:
    """加签 on the team's 会签; i2 is on the team already, so whoever may add is refused with 422."""
    case = api.case_in("signing")
    return api.post(f"/cases/{case.id}/signers", who, json={"username": "i2", "reason": "补充签署"})


def _mark_read(api: ApiClient, who: str | None) -> TestResponse:
    """The officer's own notification: marked read by him (204); anyone else finds none (404)."""
    case = api.new_case()
    officer = api.actor("officer").username
    with api.engine.db.write() as conn:
        api.engine.notifier.add(conn, [officer], case.id, "urged", "请尽快办理", api.engine.clock.now())
    items, _ = api.engine.notifications.list(officer)
    return api.post(f"/notifications/{items[0].id}/read", who)


def _job(api: ApiClient, owner: str, done: bool = False) -> int:
    """A roster export job of ``owner`` (finished with a file when ``done``)."""
    job = api.engine.jobs.create(ROSTER_XLSX, api.actor(owner).username, {})
    if done:
        api.engine.jobs.claim(job.id)
        api.engine.jobs.finish(job.id, b"PK", "干部名册.xlsx", "application/octet-stream")
    return job.id


def _job_get(api: ApiClient, who: str | None) -> TestResponse:
    """The officer's job: his to read (200); anyone else's is not found (404)."""
    return api.get(f"/jobs/{_job(api, 'officer')}", who)


def _job_result(api: ApiClient, who: str | None) -> TestResponse:
    """The caller's own finished roster export: downloaded where the role may still read the roster."""
    return api.get(f"/jobs/{_job(api, who or 'officer', done=True)}/result", who)


def _withdraw(api: ApiClient, who: str | None) -> TestResponse:
    """撤回上一步: the `review` definition marks nothing withdrawable, so whoever may act gets 409."""
    case = api.case_in("submitted")
    return api.post(f"/cases/{case.id}/withdraw", who, json={"expected_version": case.version})


def _form(api: ApiClient, who: str | None) -> TestResponse:
    """A form of a shipped procedure (the `review` test definition has none in the catalog)."""
    person = api.engine.people.create(PERSON, api.actor("recommender")).id
    case = api.engine.start_case("signed_recommendation", api.actor("recommender"), title="署名推荐",
                                 subject_id=person, data={"recommender": "rec"})
    case = api.engine.fire(case.id, "submit", api.actor("recommender"), SIGNED, case.version).case
    return api.get(f"/cases/{case.id}/documents/signed_recommendation_form.pdf", who)


def _case_get(suffix: str, state: str = "draft") -> Call:
    def call(api: ApiClient, who: str | None) -> TestResponse:
        case = api.case_in(state)
        return api.get(f"/cases/{case.id}{suffix}", who)
    return call


def _with_photo(api: ApiClient) -> int:
    pid = api.person()
    api.engine.people.set_photo(pid, PNG_BYTES, api.actor("officer"))
    return pid


def _open(method: str, suffix: str, photo: bool = False, **kw: object) -> Call:
    def call(api: ApiClient, who: str | None) -> TestResponse:
        pid = _with_photo(api) if photo else api.person()
        return api.client.open(f"/api/v1/people/{pid}{suffix}", method=method, headers=api.auth(who), **kw)
    return call


def _transfer(api: ApiClient, who: str | None) -> TestResponse:
    if "donghu" not in {o.code for o in api.engine.orgs.all()}:
        api.engine.orgs.add("donghu", "东湖区委组织部")
    return _open("POST", "/transfer", json={"managing_org": "donghu", "reason": "交流任职"})(api, who)


WINDOW = {"starts_on": "2026-11-26", "ends_on": "2026-11-30", "definitions": ["review"]}


def _delegate(api: ApiClient, who: str | None) -> TestResponse:
    """委托 to the second officer: only an officer's has a delegate holding the same role."""
    return api.post("/delegations", who, json={"to": "off2", **WINDOW})


def _revoke(api: ApiClient, who: str | None) -> TestResponse:
    """Revoke the officer's delegation (made here the first time): only its delegator may."""
    if not api.engine.delegations.mine(api.actor("officer")):
        api.engine.delegations.create(api.actor("officer"), "off2", WINDOW["starts_on"], WINDOW["ends_on"],
                                      WINDOW["definitions"])
    did = api.engine.delegations.mine(api.actor("officer"))[0].id
    return api.client.open(f"/api/v1/delegations/{did}", method="DELETE", headers=api.auth(who))


WHOLE_READERS = (200, 200, 200, 404, 404, 404, 404, 401)  # the managing organization's staff and auditors
# The person record (workflow/people): the managing organization reads and writes, others get 404.
PERSON_RECORD: dict[str, tuple[Call, tuple[int, ...]]] = {
    "PATCH /people/{id}": (_open("PATCH", "", json={"expected_version": 1, "unit": "某县发展改革局"}),
                           (200, 403, 403, 404, 404, 404, 404, 401)),
    "GET /people/{id}/history": (_open("GET", "/history"), WHOLE_READERS),
    "POST /people/{id}/transfer": (_transfer, (200, 403, 403, 404, 404, 404, 404, 401)),
    "POST /people/{id}/assessments": (_open("POST", "/assessments", json={"year": 2023, "grade": "优秀"}),
                                      (201, 403, 403, 404, 404, 404, 404, 401)),
    "GET /people/{id}/sanctions": (_open("GET", "/sanctions"), WHOLE_READERS),
    "POST /people/{id}/sanctions": (_open("POST", "/sanctions", json={
        "kind": "诫勉", "decided_on": "2026-01-05", "decided_by": "县纪委", "reason": "工作不实"}),
        (201, 201, 403, 404, 404, 404, 404, 401)),
    "GET /people/{id}/photo": (_open("GET", "/photo", photo=True), WHOLE_READERS),
    "PUT /people/{id}/photo": (lambda api, who: _open("PUT", "/photo", **multipart("p.png", PNG_BYTES))(api, who),
                               (200, 403, 403, 404, 404, 404, 404, 401)),
    "DELETE /people/{id}/photo": (_open("DELETE", "/photo", photo=True), (204, 403, 403, 404, 404, 404, 404, 401)),
    "GET /people/{id}.lrmx": (lambda api, who: api.get(f"/people/{api.person()}.lrmx", who), WHOLE_READERS),
    "GET /people.xlsx": (lambda api, who: api.get("/people.xlsx", who), (200, 200, 200, 403, 403, 403, 403, 401)),
    "POST /people/import": (lambda api, who: api.post("/people/import", who, **multipart(
        "名册.lrmx", (SAMPLES / "张明远.lrmx").read_bytes())), (200, 403, 403, 403, 200, 403, 403, 401)),
    "GET /sanction-kinds": (lambda api, who: api.get("/sanction-kinds", who), (200,) * 7 + (401,)),
    "GET /code-sets/{name}": (lambda api, who: api.get("/code-sets/ethnicity", who), (200,) * 7 + (401,)),
}


def _ballot(api: ApiClient, closed: bool = False) -> tuple[int, int, int, list[str]]:
    """A 民主测评 ballot on a 任前考察 case in 考察中 (team i1, i2): (case, subject, ballot, codes)."""
    case_id, subject = investigating(api)
    body = api.post(f"/cases/{case_id}/ballots", "officer", json=evaluation_ballot(subject, 3)).get_json()
    if closed:
        api.post(f"/ballots/{body['id']}/close", "officer")
    return case_id, subject, body["id"], body["codes"]


def _on_ballot(method: str, suffix: str, closed: bool = False, **kw: object) -> Call:
    def call(api: ApiClient, who: str | None) -> TestResponse:
        return api.client.open(f"/api/v1/ballots/{_ballot(api, closed)[2]}{suffix}", method=method,
                               headers=api.auth(who), **kw)
    return call


def _new_ballot(api: ApiClient, who: str | None) -> TestResponse:
    case_id, subject = investigating(api)
    return api.post(f"/cases/{case_id}/ballots", who, json=evaluation_ballot(subject, 3))


VISIBLE_CASE = (200, 200, 200, 404, 404, 404, 200, 401)  # the inspection's team includes the inspector
OFFICER_ONLY = (200, 403, 403, 404, 404, 404, 403, 401)
# Ballots (民主推荐, 民主测评, 表决) live on the shipped procedures: these rows run on real_api.
BALLOTS: dict[str, tuple[Call, tuple[int, ...]]] = {
    "POST /cases/{id}/ballots": (_new_ballot, (201, 403, 403, 404, 404, 404, 403, 401)),
    "GET /cases/{id}/ballots": (lambda api, who: api.get(f"/cases/{_ballot(api)[0]}/ballots", who), VISIBLE_CASE),
    "GET /ballots/{ballot_id}": (_on_ballot("GET", ""), VISIBLE_CASE),
    "GET /ballots/{ballot_id}/codes.pdf": (_on_ballot("GET", "/codes.pdf"), OFFICER_ONLY),
    "POST /ballots/{ballot_id}/close": (_on_ballot("POST", "/close"), OFFICER_ONLY),
    "GET /ballots/{ballot_id}/receipts": (_on_ballot("GET", "/receipts", closed=True), VISIBLE_CASE),
    # A secret ballot takes no named vote from anyone (403); whoever may not see its case gets 404.
    "POST /ballots/{ballot_id}/votes": (_on_ballot("POST", "/votes", json={"choices": {"zs": ["优秀"]}}),
                                        (403, 403, 403, 404, 404, 404, 403, 401)),
    # The code is the credential: a token changes nothing.
    "POST /vote": (lambda api, who: api.post("/vote", who, json={"code": _ballot(api)[3][0],
                                                                 "choices": {"zs": ["优秀"]}}), (201,) * 8),
}


# status for: officer, reviewer, auditor, admin, recommender, panelist, inspector, no token. Every user
# here belongs to the one (root) organization and no case names the recommender, panelist or inspector:
# they, and the administrator (no case scope), find no case at all (404); lists leave out what they may
# not see (200). tests/visibility/ varies organizations, participation and recusal.
SEEN = (200, 200, 200, 404, 404, 404, 404, 401)
TABLE: dict[str, tuple[Call, tuple[int, ...]]] = {
    "GET /openapi.json": (lambda api, who: api.get("/openapi.json", who), (200,) * 8),
    "GET /me": (lambda api, who: api.get("/me", who), (200,) * 7 + (401,)),
    "GET /definitions": (lambda api, who: api.get("/definitions", who), (200,) * 7 + (401,)),
    "GET /definitions/{key}": (lambda api, who: api.get("/definitions/review", who), (200,) * 7 + (401,)),
    "POST /people": (lambda api, who: api.post("/people", who, json=PERSON),
                     (201, 403, 403, 403, 201, 403, 403, 401)),
    "GET /people": (lambda api, who: api.get("/people?q=张", who), (200,) * 7 + (401,)),
    "GET /people/{id}": (lambda api, who: api.get(f"/people/{api.person()}", who), SEEN),
    "POST /cases": (lambda api, who: api.post("/cases", who, json={
        "definition": "review", "title": "新案件", "data": {"summary": "摘要"}}),
        (201, 403, 403, 403, 403, 403, 403, 401)),
    "GET /cases": (lambda api, who: api.get("/cases", who), (200,) * 7 + (401,)),
    "GET /cases/{id}": (_case_get(""), SEEN),
    "POST /cases/{id}/events": (_fire, (200, 403, 403, 404, 404, 404, 404, 401)),
    "GET /cases/{id}/history": (_case_get("/history"), SEEN),
    "GET /cases/{id}/history.pdf": (_case_get("/history.pdf"), SEEN),
    "GET /cases/{id}/documents": (_case_get("/documents"), SEEN),
    "GET /cases/{id}/documents/{name}.pdf": (_form, (200, 200, 200, 404, 200, 404, 404, 401)),
    "POST /cases/{id}/attachments": (_upload, (201, 201, 403, 404, 404, 404, 404, 401)),
    "GET /cases/{id}/attachments": (_case_get("/attachments"), SEEN),
    "GET /cases/{id}/attachments/{aid}": (_download, SEEN),
    "POST /cases/{id}/recusals": (_recuse, (201, 201, 403, 404, 404, 404, 404, 401)),
    "GET /cases/{id}/recusals": (_case_get("/recusals"), SEEN),
    "GET /stats": (lambda api, who: api.get("/stats", who), (200, 200, 200, 403, 403, 403, 403, 401)),
    "GET /jobs": (lambda api, who: api.get("/jobs", who), (200,) * 7 + (401,)),
    "GET /jobs/{job_id}": (_job_get, (200, 404, 404, 404, 404, 404, 404, 401)),
    "GET /jobs/{job_id}/result": (_job_result, (200, 200, 200, 403, 403, 403, 403, 401)),
    "GET /notifications": (lambda api, who: api.get("/notifications", who), (200,) * 7 + (401,)),
    "GET /delegations": (lambda api, who: api.get("/delegations", who), (200,) * 7 + (401,)),
    "GET /copies": (lambda api, who: api.get("/copies", who), (200,) * 7 + (401,)),
    "POST /delegations": (_delegate, (201, 422, 403, 403, 422, 422, 422, 401)),
    "DELETE /delegations/{delegation_id}": (_revoke, (204, 404, 403, 404, 404, 404, 404, 401)),
    # The auditor writes nothing, not even a read mark.
    "POST /notifications/{notification_id}/read": (_mark_read, (204, 404, 403, 404, 404, 404, 404, 401)),
    "POST /cases/{id}/urge": (_urge, (201, 409, 403, 404, 404, 201, 201, 401)),  # the holder himself: 409
    "POST /cases/{id}/signers": (_add_signer, (422, 422, 403, 404, 404, 403, 403, 401)),
    "POST /cases/{id}/withdraw": (_withdraw, (409, 409, 403, 404, 404, 409, 409, 401)),
    "GET /audit/verify": (lambda api, who: api.get("/audit/verify", who), (403, 403, 200, 200, 403, 403, 403, 401)),
    "GET /audit/access": (lambda api, who: api.get("/audit/access", who), (403, 403, 200, 200, 403, 403, 403, 401)),
    "GET /orgs": (lambda api, who: api.get("/orgs", who), (200,) * 7 + (401,)),
    **PERSON_RECORD,
    **BALLOTS,
}


def test_the_table_covers_every_documented_operation(api: ApiClient) -> None:
    doc = api.get("/openapi.json").get_json()
    documented = {f"{method.upper()} {path.replace('{case_id}', '{id}').replace('{person_id}', '{id}')}"
                  .replace("{attachment_id}", "{aid}") for path, ops in doc["paths"].items() for method in ops}
    assert documented == set(TABLE)


@pytest.mark.parametrize("endpoint", list(TABLE))
def test_status_per_role(request: pytest.FixtureRequest, db_url: str, endpoint: str) -> None:
    real = TABLE[endpoint][0] is _form or endpoint in BALLOTS
    api: ApiClient = request.getfixturevalue("real_api" if real else "api")
    call, expected = TABLE[endpoint]
    got = {}
    for who in WHO:
        resp = call(api, who)
        got[who or "no token"] = resp.status_code
        if resp.status_code >= 400:
            body = resp.get_json()
            assert set(body) == {"error"} and body["error"]["code"], (endpoint, who, body)
    assert got == dict(zip([w or "no token" for w in WHO], expected, strict=True))
