"""The demo ballots (web/demo/ballots.py): a closed 测评 with its form, an open 推荐 with printable codes."""

from __future__ import annotations

from documents import render_form
from documents.slips import render_slips
from web.demo import demo_users
from web.demo import load_demo
from web.demo.ballots import EVALUATION_TITLE
from web.demo.ballots import RECOMMENDATION_TITLE
from web.demo.ballots import demo_ballots
from web.demo.runner import Demo
from workflow import CaseQuery
from workflow import Engine


def _demo(engine: Engine) -> Demo:
    load_demo(engine)
    actors = {u["username"]: engine.users.get(u["username"]).actor() for u in demo_users()}
    people = {p.name: p.id for p in engine.people.search("", limit=500)[0]}
    return Demo(engine, actors, people)


def _case(engine: Engine, definition: str, title: str) -> int:
    found, _ = engine.list_cases(CaseQuery(definition=definition, text=title, per_page=10))
    return next(c.id for c in found if c.title == title)


def test_demo_ballots_load_once(engine: Engine) -> None:
    demo = _demo(engine)
    demo_ballots(demo)
    _, total = engine.list_cases(CaseQuery(per_page=1))
    demo_ballots(demo)
    assert engine.list_cases(CaseQuery(per_page=1))[1] == total
    officer = demo.actors["officer1"]
    evaluation = _case(engine, "pre_appointment_inspection", EVALUATION_TITLE)
    [closed] = engine.ballots.of_case(evaluation, officer)
    assert closed.status == "closed" and closed.cast == 24 and closed.tally
    assert engine.get_case(evaluation).data["votes_excellent"] == 16
    assert render_form(engine, evaluation, "democratic_evaluation_stats", officer)[:4] == b"%PDF"
    recommendation = _case(engine, "selection_appointment", RECOMMENDATION_TITLE)
    [open_] = engine.ballots.of_case(recommendation, officer)
    assert open_.open and open_.printable and open_.voters == 40
    assert render_slips(engine, open_.id, officer, "http://localhost:5000/vote")[:4] == b"%PDF"
    assert engine.verify().ok
