"""The sanctions register (处分、问责、组织处理、诫勉) and the photo, through the API."""

from __future__ import annotations

import io

from PIL import Image

from .conftest import PDF_BYTES
from .conftest import PERSON
from .conftest import PNG_BYTES
from .conftest import ApiClient
from .conftest import error
from .conftest import multipart

SANCTION = {"kind": "党纪警告", "decided_on": "2026-03-10", "decided_by": "中共某县纪委", "reason": "违反工作纪律"}


def jpeg(size: tuple[int, int] = (60, 80)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 180, 160)).save(out, "JPEG", quality=80)
    return out.getvalue()


def test_sanction_kinds_are_published_with_months_and_source(api: ApiClient) -> None:
    kinds = {k["kind"]: k for k in api.get("/sanction-kinds").get_json()}
    expected = {"党纪警告": 12, "党纪严重警告": 18, "政务警告": 6, "政务记过": 12, "政务记大过": 18, "政务降级": 24,
                "政务撤职": 24, "诫勉": 6, "组织处理调整职务": 12, "组织处理降职": 24}
    assert {k: kinds[k]["months"] for k in expected} == expected
    assert all(k["source"] and k["label"] for k in kinds.values())
    assert "纪律处分条例" in kinds["党纪警告"]["source"] and "政务处分法" in kinds["政务记过"]["source"]
    assert any(k["category"] == "组织处理" for k in kinds.values())


def test_a_sanction_gets_its_effect_until_from_the_kind(api: ApiClient) -> None:
    pid = api.person()
    resp = api.post(f"/people/{pid}/sanctions", json=SANCTION)
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["kind"] == "党纪警告" and body["effect_until"] == "2027-03-10" and body["active"] is True
    month_end = api.post(f"/people/{pid}/sanctions", json={**SANCTION, "kind": "政务警告",
                                                             "decided_on": "2026-08-31"}).get_json()
    assert month_end["effect_until"] == "2027-02-28"  # 6 months on: the 31st falls back to the month's end
    listed = api.get(f"/people/{pid}/sanctions").get_json()
    assert [s["id"] for s in listed] == [body["id"], month_end["id"]]
    history = api.get(f"/people/{pid}/history").get_json()
    assert history[-2]["kind"] == "sanction" and f"sanction:{body['id']}" in history[-2]["changes"]
    assert api.engine.verify().ok


def test_sanction_refusals_name_the_field(api: ApiClient) -> None:
    pid = api.person()
    err = error(api.post(f"/people/{pid}/sanctions", json={**SANCTION, "kind": "罚站"}))
    assert set(err["fields"]) == {"kind"}
    err = error(api.post(f"/people/{pid}/sanctions", json={**SANCTION, "decided_on": "2026-12-01"}))
    assert set(err["fields"]) == {"decided_on"} and "不得晚于今天" in err["fields"]["decided_on"]
    err = error(api.post(f"/people/{pid}/sanctions", json={"kind": "诫勉"}))
    assert set(err["fields"]) == {"decided_on", "decided_by", "reason"}
    resp = api.post(f"/people/{pid}/sanctions", "auditor", json=SANCTION)
    assert resp.status_code == 403
    resp = api.post(f"/people/{pid}/sanctions", "recommender", json=SANCTION)
    assert resp.status_code == 404  # the recommender may not see this person at all
    assert api.get(f"/people/{pid}/sanctions").get_json() == []


def test_photo_is_checked_by_content_and_size(api: ApiClient) -> None:
    pid = api.person()
    assert error(api.get(f"/people/{pid}/photo"))["code"] == "not_found"
    resp = api.client.put(f"/api/v1/people/{pid}/photo", headers=api.auth("officer"),
                          **multipart("photo.jpg", PDF_BYTES))
    err = error(resp)
    assert resp.status_code == 422 and set(err["fields"]) == {"photo"} and "JPEG或PNG" in err["fields"]["photo"]
    resp = api.client.put(f"/api/v1/people/{pid}/photo", headers=api.auth("officer"),
                          **multipart("big.jpg", b"\xff\xd8\xff" + b"\0" * (2 * 1024 * 1024)))
    assert resp.status_code == 413
    picture = jpeg()
    resp = api.client.put(f"/api/v1/people/{pid}/photo", headers=api.auth("officer"),
                          **multipart("photo.txt", picture))
    assert resp.status_code == 200 and resp.get_json()["photo"] is not None
    got = api.get(f"/people/{pid}/photo")
    assert got.data == picture and got.mimetype == "image/jpeg"
    resp = api.client.put(f"/api/v1/people/{pid}/photo", headers=api.auth("officer"),
                          **multipart("p.png", PNG_BYTES))
    assert api.get(f"/people/{pid}/photo").mimetype == "image/png"
    assert api.client.delete(f"/api/v1/people/{pid}/photo", headers=api.auth("officer")).status_code == 204
    assert api.get(f"/people/{pid}").get_json()["photo"] is None
    kinds = [h["kind"] for h in api.get(f"/people/{pid}/history").get_json()]
    assert kinds == ["created", "photo", "photo", "photo"]
    assert api.engine.verify().ok


def test_a_replaced_photo_is_found_by_verify(api: ApiClient) -> None:
    from sqlalchemy import text

    pid = api.post("/people", json=PERSON).get_json()["id"]
    api.client.put(f"/api/v1/people/{pid}/photo", headers=api.auth("officer"), **multipart("p.jpg", jpeg()))
    with api.engine.db.engine.begin() as conn:
        conn.execute(text("UPDATE blobs SET content = :c"), {"c": jpeg((10, 10))})
    problems = api.engine.verify().problems
    assert any(p.person_id == pid and "照片" in p.problem for p in problems)
