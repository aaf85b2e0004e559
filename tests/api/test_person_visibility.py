"""Need-to-know on every read of the person record: a sibling organization gets 404 everywhere, a
panelist only the participant fields of their case's subject (no family, sanctions, photo, files)."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import SUBMIT
from .conftest import ApiClient
from .conftest import error
from .conftest import multipart
from .test_person_record import FULL
from .test_person_sanctions import SANCTION
from .test_person_sanctions import jpeg


@pytest.fixture
def two_orgs(api: ApiClient) -> dict[str, Any]:
    """东湖 and 西山 under the root; an officer in each; a person managed by 东湖 with a photo and a sanction."""
    eng = api.engine
    eng.orgs.add("donghu", "东湖区委组织部")
    eng.orgs.add("xishan", "西山县委组织部")
    for user, org in (("east", "donghu"), ("west", "xishan")):
        eng.users.add(user, ["officer"], "x", name=user, org=org)
        api.tokens[user] = eng.users.create_token(user)
    pid = api.post("/people", "east", json=FULL).get_json()["id"]
    assert api.post(f"/people/{pid}/sanctions", "east", json=SANCTION).status_code == 201
    api.client.put(f"/api/v1/people/{pid}/photo", headers=api.auth("east"), **multipart("p.jpg", jpeg()))
    return {"pid": pid}


READS = ["/people/{pid}", "/people/{pid}/history", "/people/{pid}/sanctions", "/people/{pid}/photo",
         "/people/{pid}.lrmx"]


def test_a_sibling_organization_gets_404_on_every_person_endpoint(api: ApiClient, two_orgs: dict[str, Any]) -> None:
    pid = two_orgs["pid"]
    for path in READS:
        assert api.get(path.format(pid=pid), "east").status_code == 200, path
        resp = api.get(path.format(pid=pid), "west")
        assert resp.status_code == 404 and error(resp)["code"] == "not_found", path
    writes = [("PATCH", f"/api/v1/people/{pid}", {"json": {"expected_version": 3, "unit": "x"}}),
              ("POST", f"/api/v1/people/{pid}/assessments", {"json": {"year": 2023, "grade": "优秀"}}),
              ("POST", f"/api/v1/people/{pid}/sanctions", {"json": SANCTION}),
              ("PUT", f"/api/v1/people/{pid}/photo", multipart("p.jpg", jpeg())),
              ("DELETE", f"/api/v1/people/{pid}/photo", {})]
    for method, path, kw in writes:
        resp = api.client.open(path, method=method, headers=api.auth("west"), **kw)
        assert resp.status_code == 404, (method, path, resp.get_json())
    assert api.get("/people", "west").get_json()["total"] == 0
    assert api.get("/people?q=张三", "east").get_json()["total"] == 1
    assert api.get("/people?managing_org=xishan", "east").get_json()["total"] == 0
    assert api.engine.verify().ok


def test_a_panelist_sees_only_the_participant_fields_of_their_cases_subject(api: ApiClient,
                                                                          two_orgs: dict[str, Any]) -> None:
    pid = two_orgs["pid"]
    eng = api.engine
    eng.users.add("pan", ["panelist"], "x", name="pan", org="donghu")
    eng.users.add("pan2", ["panelist"], "x", name="pan2", org="donghu")
    api.tokens["pan"] = eng.users.create_token("pan")
    assert api.get(f"/people/{pid}", "pan").status_code == 404  # not yet on a panel
    east = eng.users.get("east").actor()
    case = eng.start_case("review", east, title="面谈", subject_id=pid, data={"summary": "s"})
    eng.fire(case.id, "submit", east, {**SUBMIT, "panel": ["pan", "pan2"]}, case.version)
    api.client.patch(f"/api/v1/people/{pid}", json={"expected_version": 3, "current_post": "局长",
                                                    "family": []}, headers=api.auth("east"))
    person = api.get(f"/people/{pid}", "pan").get_json()
    assert person["name"] == "张三" and person["current_post"] == "局长"
    assert "family" not in person and "annual_assessments" not in person and "id_number" not in person
    assert person["photo"] is None
    history = api.get(f"/people/{pid}/history", "pan").get_json()
    seen = {key for h in history for key in h["changes"]}
    assert "current_post" in seen
    assert not seen & {"family", "annual_assessments", "id_number", "photo", "managing_org"}
    assert not any(key.startswith("sanction:") for key in seen)
    for path in ("/people/{pid}/sanctions", "/people/{pid}/photo", "/people/{pid}.lrmx"):
        assert api.get(path.format(pid=pid), "pan").status_code == 404, path
    resp = api.client.patch(f"/api/v1/people/{pid}", json={"expected_version": 4, "unit": "x"},
                            headers=api.auth("pan"))
    assert resp.status_code == 403
    roster = api.get("/people.xlsx", "pan")
    assert roster.status_code == 403  # panelists do not read the roster
