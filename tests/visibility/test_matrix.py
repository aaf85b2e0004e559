"""The need-to-know matrix: every role, participant or not, in the same, the parent or a sibling
organization, recused or not, against every case and person endpoint of the API and the pages
(world.py says who is who). An object the user may not see answers 404 on every channel, reads
included and writes refused without a change; one they see answers 200."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from documents.export import run_export
from workflow.errors import CaseNotFound

from .conftest import Site
from .world import PART
from .world import PNG
from .world import RECUSED
from .world import SEES_CASES
from .world import WHOLE

OK, GONE = 200, 404
API_CASE = ("", "/history", "/history.pdf", "/attachments", "/attachments/{att}", "/recusals", "/documents",
            "/documents/{form}.pdf")
PAGES = ("", "/history.pdf", "/attachments/{att}", "/documents/{form}.pdf")
HIDDEN = ("family", "annual_assessments", "rewards_punishments", "id_number")


def _path(site: Site, key: str, suffix: str) -> str:
    w = site.world
    return f"/cases/{w.cases[key]}" + suffix.format(att=w.attachments[key], form=w.forms[key])


def _mismatches(site: Site, channel: str, suffixes: tuple[str, ...]) -> list[str]:
    wrong = []
    for user in site.world.actors:
        for key in site.world.cases:
            for suffix in suffixes:
                path = _path(site, key, suffix)
                got = (site.api(user, path) if channel == "api" else site.page(user).get(path)).status_code
                want = OK if key in SEES_CASES[user] else GONE
                if got != want:
                    wrong.append(f"{channel} {user}({site.role(user)}) {key} {suffix or '/'}: {got}, expected {want}")
    return wrong


def test_every_case_endpoint_of_the_api(site: Site) -> None:
    assert _mismatches(site, "api", API_CASE) == []


def test_every_case_page_and_download(site: Site) -> None:
    assert _mismatches(site, "web", PAGES) == []


def _writes(site: Site, user: str, case_id: int, version: int) -> dict[str, Any]:
    base = f"/cases/{case_id}"
    return {
        "event": site.api(user, base + "/events", "POST", json={"event": "withdraw", "expected_version": version}),
        "attachment": site.api(user, base + "/attachments", "POST", data={"file": (io.BytesIO(PNG), "a.png")},
                               content_type="multipart/form-data"),
        "recusal": site.api(user, base + "/recusals", "POST", json={"username": user, "reason": "本人申请"}),
    }


def test_writes_to_a_case_one_may_not_see_answer_as_if_it_did_not_exist(site: Site) -> None:
    """404, as for a case that does not exist; a read-only user (an auditor) is refused every write
    alike (403, before any case is looked at), so neither answer tells that the case exists."""
    eng, w = site.engine, site.world
    before = {k: (eng.get_case(i).version, len(eng.attachments(i)), eng.recusals(i)) for k, i in w.cases.items()}
    wrong = []
    for user in w.actors:
        nowhere = {what: r.status_code for what, r in _writes(site, user, 999_999, 1).items()}
        expected = dict.fromkeys(nowhere, 403 if site.role(user) == "auditor" else GONE)
        if nowhere != expected:
            wrong.append(f"{user} a case that does not exist: {nowhere}")
        for key in sorted(set(w.cases) - SEES_CASES[user]):
            got = {what: r.status_code for what, r in _writes(site, user, w.cases[key], before[key][0]).items()}
            if got != nowhere:
                wrong.append(f"{user} {key}: {got}, for a case that does not exist {nowhere}")
    assert wrong == [], "\n".join(wrong)
    after = {k: (eng.get_case(i).version, len(eng.attachments(i)), eng.recusals(i)) for k, i in w.cases.items()}
    assert after == before


def test_every_person_endpoint(site: Site) -> None:
    wrong = []
    for user in site.world.actors:
        for key, person_id in site.world.people.items():
            api = site.api(user, f"/people/{person_id}")
            page = site.page(user).get(f"/people/{person_id}")
            if key in WHOLE.get(user, set()):
                ok = api.status_code == OK and "family" in api.get_json() and page.status_code == OK
                ok = ok and "partial-record" not in page.get_data(as_text=True)
            elif key in PART.get(user, set()):
                body = api.get_json() if api.status_code == OK else {}
                ok = api.status_code == page.status_code == OK and not set(HIDDEN) & set(body) and bool(body["name"])
                text = page.get_data(as_text=True)
                ok = ok and "partial-record" in text and "家庭主要成员" not in text and "何晓燕" not in text
            else:
                ok = api.status_code == GONE and page.status_code == GONE
            if not ok:
                wrong.append(f"{user}({site.role(user)}) {key}: api {api.status_code} page {page.status_code}")
    assert wrong == []


def test_every_list_holds_exactly_what_its_reader_sees(site: Site) -> None:
    """The API's case and people lists, the case list page and the engine's lists and inbox."""
    w = site.world
    wrong = []
    for user, actor in w.actors.items():
        want_cases = {w.cases[k] for k in SEES_CASES[user]}
        want_people = {w.people[k] for k in WHOLE.get(user, set()) | PART.get(user, set())}
        body = site.api(user, "/cases?per_page=200").get_json()
        got = {c["id"] for c in body["items"]}
        if got != want_cases or body["total"] != len(want_cases):
            wrong.append(f"{user} GET /cases: {sorted(got)} total {body['total']}, expected {sorted(want_cases)}")
        body = site.api(user, "/people?per_page=200").get_json()
        got = {p["id"] for p in body["items"]}
        if got != want_people or body["total"] != len(want_people):
            wrong.append(f"{user} GET /people: {sorted(got)}, expected {sorted(want_people)}")
        page = site.page(user).get("/cases?per_page=200").get_data(as_text=True)
        shown = {i for i in w.cases.values() if f'href="/cases/{i}"' in page}
        if shown != want_cases:
            wrong.append(f"{user} /cases page: {sorted(shown)}, expected {sorted(want_cases)}")
        if site.engine.policy.has(actor, "read_reports"):
            lines = {line.case_id for r in site.engine.recommendations_report(actor) for line in r.lines}
            if lines != want_cases & {w.cases["REC"], w.cases["REC_R"]}:
                wrong.append(f"{user} 推荐台账: {sorted(lines)}")
        todo = {c.id for c in site.engine.todo(actor, per_page=200)[0]}
        if not todo <= want_cases:
            wrong.append(f"{user} inbox: {sorted(todo - want_cases)} not theirs to see")
    assert wrong == []


def test_an_export_holds_exactly_what_its_user_sees(site: Site, tmp_path: Path) -> None:
    w = site.world
    for user in ("off", "rec", "p2", "off_xs", "adm_dh"):
        out = tmp_path / user
        result = run_export(site.engine, [], True, None, out, 1, w.actors[user])
        exported = {e["case_id"] for e in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["cases"]}
        assert exported == {w.cases[k] for k in SEES_CASES[user]} and result.written == len(exported), user
    with pytest.raises(CaseNotFound):
        run_export(site.engine, [w.cases["REC"]], False, None, tmp_path / "refused", 1, w.actors["p1"])


def test_a_subject_one_may_not_see_is_as_good_as_missing_when_opening_a_case(site: Site) -> None:
    """Opening a case names its subject: a cadre of another organization (or, for a recommender, one they
    neither entered nor were named for) is refused exactly as a person who does not exist."""
    eng, w = site.engine, site.world
    body = {"definition": "daily_inspection", "title": "日常考察", "data": {"period": "2026年度"}}
    missing = site.api("off_xs", "/cases", "POST", json={**body, "subject_id": 999_999}).get_json()
    other = site.api("off_xs", "/cases", "POST", json={**body, "subject_id": w.people["REC"]}).get_json()
    assert other["error"]["fields"] == {"subject_id": f"对象：人员不存在（编号{w.people['REC']}）"}
    assert missing["error"]["fields"] == {"subject_id": "对象：人员不存在（编号999999）"}
    rec = {"definition": "signed_recommendation", "title": "署名推荐"}
    refused = site.api("rec_dh", "/cases", "POST", json={**rec, "subject_id": w.people["INT"]})
    assert refused.status_code == 422
    own = site.api("rec_dh", "/people", "POST", json={"name": "钱七", "gender": "女", "birth_date": "1985-05-05"})
    assert own.status_code == 201 and site.api("rec_dh", f"/people/{own.get_json()['id']}").status_code == OK
    opened = site.api("rec_dh", "/cases", "POST", json={**rec, "subject_id": own.get_json()["id"]})
    assert opened.status_code == 201 and opened.get_json()["data"]["recommender"] == "rec_dh"
    assert eng.get_case(opened.get_json()["id"]).org_id == eng.orgs.get("donghu").id


def test_holders_are_among_those_who_see_the_case(site: Site) -> None:
    """Nobody who cannot see a case (another organization, a recused user, an unnamed participant)
    holds it; each holder finds it in 待办 and nobody else does."""
    engine, world = site.engine, site.world
    everyone: set[str] = set()
    for key, case_id in world.cases.items():
        held = set(engine.get_case(case_id).holders)
        everyone |= held
        seers = {u for u, keys in SEES_CASES.items() if key in keys}
        assert held <= seers, key
        if key.endswith("_R"):
            assert not held & set(RECUSED), key
        for username, actor in world.actors.items():
            todo = [c.id for c in engine.todo(actor, 1, 200)[0]]
            assert (case_id in todo) == (username in held), (key, username)
        body = site.api("off2", f"/cases/{case_id}").get_json()
        assert body["holders"] == sorted(held), key
    assert everyone, "no case of the world is held: the test would prove nothing"
