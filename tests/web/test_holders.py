"""当前办理人 on the case page and in the inbox, and 催办 from the case page."""

from __future__ import annotations

from workflow import Engine

from .helpers import post
from .helpers import review_case
from .helpers import text


def test_holders_shown_and_a_signer_moves_the_case_to_done(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine, upto="signing")
    page = text(client_for("officer").get(f"/cases/{case_id}"))
    assert "当前办理人" in page and "等待考察一、考察二办理" in page
    i1 = client_for("i1")
    assert "由您办理" in text(i1.get(f"/cases/{case_id}"))
    assert f"/cases/{case_id}\"" in text(i1.get("/?tab=todo"))
    version = web_engine.get_case(case_id).version
    assert post(i1, f"/cases/{case_id}/events/sign", {"sign-expected_version": str(version)}).status_code == 303
    assert f"/cases/{case_id}\"" not in text(i1.get("/?tab=todo"))
    assert f"/cases/{case_id}\"" in text(i1.get("/?tab=done"))
    assert "等待考察二办理" in text(i1.get(f"/cases/{case_id}"))


def test_urge_from_the_case_page(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine, upto="signing")
    officer = client_for("officer")
    page = text(officer.get(f"/cases/{case_id}"))
    assert 'name="urge-username"' in page and "考察一" in page
    form = {"urge-username": "i1", "urge-text": "请尽快签名"}
    r = post(officer, f"/cases/{case_id}/urge", form, page=f"/cases/{case_id}")
    assert r.status_code == 303
    assert "已催办：考察一" in text(officer.get(r.headers["Location"]))
    [event] = [e for e in web_engine.history(case_id) if e.type == "case_urged"]
    assert (event.actor, event.data) == ("officer", {"holder": "i1", "text": "请尽快签名"})
    r = post(officer, f"/cases/{case_id}/urge", form, page=f"/cases/{case_id}")
    assert "今天已催办过 i1" in text(officer.get(r.headers["Location"]))
    assert len([e for e in web_engine.history(case_id) if e.type == "case_urged"]) == 1
    assert "催办" in text(officer.get(f"/cases/{case_id}"))  # in the history table
    r = post(client_for("p3"), f"/cases/{case_id}/urge", form)
    assert r.status_code == 404


def test_the_daily_limit_comes_from_the_environment(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from web.config import load_config

    monkeypatch.setenv("CADREFLOW_SECRET_KEY", "k" * 32)
    assert load_config(tmp_path).settings().urges_per_day == 1
    monkeypatch.setenv("CADREFLOW_URGES_PER_DAY", "2")
    assert load_config(tmp_path).settings().urges_per_day == 2
