"""调整干部管理权限: a cadre handed over to another organization is seen by that organization from then
on, no longer by the one that held them; the handover is in the person's history with its reason."""

from __future__ import annotations

from workflow import ValidationFailed

from ..web.helpers import csrf_token
from .conftest import Site


def test_a_cadre_moves_to_another_organization_from_the_person_page(site: Site) -> None:
    w, eng = site.world, site.engine
    pid = w.people["REC"]
    page = site.page("off2")
    assert "调整干部管理权限" in page.get(f"/people/{pid}").get_data(as_text=True)
    assert "调整干部管理权限" not in site.page("rev2").get(f"/people/{pid}").get_data(as_text=True)
    r = page.post(f"/people/{pid}/transfer", data={"managing_org": "xishan", "reason": "交流到西山县任职",
                                                  "csrf_token": csrf_token(page, f"/people/{pid}")})
    assert r.status_code == 303
    assert page.get(f"/people/{pid}").status_code == 404  # the district hands over its reading too
    assert site.api("off_xs", f"/people/{pid}").status_code == 200
    assert site.api("aud_root", f"/people/{pid}").status_code == 200
    last = site.api("off_xs", f"/people/{pid}/history").get_json()[-1]
    assert (last["kind"], last["actor"], last["note"]) == ("transfer", "off2", "调整干部管理权限：交流到西山县任职")
    assert last["changes"] == {"managing_org": {"old": "donghu", "new": "xishan"}}
    assert eng.get_case(w.cases["REC"]).org_id == eng.orgs.get("donghu").id  # opened cases stay where they are
    assert eng.verify().ok


def test_a_transfer_is_refused_clearly(site: Site) -> None:
    w, eng = site.world, site.engine
    pid = w.people["INT"]
    off = w.actors["off"]
    for org, reason, field in (("nowhere", "交流", "managing_org"), ("donghu", "交流", "managing_org"),
                               ("xishan", "  ", "reason")):
        try:
            eng.people.transfer(pid, org, reason, off)
        except ValidationFailed as exc:
            assert set(exc.fields) == {field}, (org, exc.fields)
        else:
            raise AssertionError(f"{org} {reason!r} was accepted")
    assert site.api("rev1", f"/people/{pid}/transfer", "POST",
                    json={"managing_org": "xishan", "reason": "交流"}).status_code == 403
    assert site.api("off_xs", f"/people/{pid}/transfer", "POST",
                    json={"managing_org": "xishan", "reason": "交流"}).status_code == 404
    stale = site.api("off", f"/people/{pid}/transfer", "POST",
                     json={"managing_org": "xishan", "reason": "交流", "expected_version": 99})
    assert stale.status_code == 409
    assert eng.people.get(pid).managing_org == "donghu"
