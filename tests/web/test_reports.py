"""谁推荐谁负责: the recommendation report lists every signed recommendation by recommender."""

from __future__ import annotations

from pathlib import Path

from workflow import Engine

from ..conftest import add_users
from .helpers import PASSWORD_HASH
from .helpers import login
from .helpers import make_app


def test_report_groups_by_recommender_with_outcomes(engine: Engine, tmp_path: Path) -> None:
    a = add_users(engine, {"rec_a": ["recommender"], "rec_b": ["recommender"], "off_r": ["officer"]})
    person = engine.people.create({"name": "钱七", "gender": "女", "birth_date": "1985-05-05"}, a["rec_a"])
    first = engine.start_case("signed_recommendation", a["rec_a"], title="推荐钱七", subject_id=person.id)
    engine.start_case("signed_recommendation", a["rec_a"], title="再荐钱七", subject_id=person.id)
    engine.fire(first.id, "withdraw", a["rec_a"], {"withdraw_reason": "情况有变"}, first.version)
    engine.start_case("signed_recommendation", a["off_r"], title="代荐钱七", subject_id=person.id,
                      data={"recommender": "rec_b"})
    reports = engine.recommendations_report(a["off_r"])
    assert [(r.username, len(r.lines), r.count("withdrawn"), r.in_progress) for r in reports] == [
        ("rec_a", 2, 1, 1), ("rec_b", 1, 0, 1)]
    assert reports[0].lines[0].state_label == "已撤回" and reports[0].lines[0].subject == "钱七"

    engine.users.add("aud_r", ["auditor"], PASSWORD_HASH, name="审计员")
    engine.users.update("rec_a", password_hash=PASSWORD_HASH)
    app = make_app(engine, tmp_path)
    auditor = app.test_client()
    login(auditor, "aud_r")
    page = auditor.get("/reports/recommendations")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "署名推荐责任台账" in text and "推荐钱七" in text and "已撤回" in text
    recommender = app.test_client()
    login(recommender, "rec_a")
    assert recommender.get("/reports/recommendations").status_code == 403
