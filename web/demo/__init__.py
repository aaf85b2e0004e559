"""`cadreflow demo`: demo organizations, users, people and cases of every procedure, through the engine.

Idempotent: users and people are found by username and name, cases by (procedure, title); what
exists is left alone, so a second run adds nothing. Every case moves only by ``Engine.fire``, with
dates in the past that satisfy the procedures' rules (a complete selection from 动议 to 正式任职,
a 容错纠错 case through appeal, and cases left in intermediate states). Every demo user's password
is ``demo12345``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml
from werkzeug.security import generate_password_hash

from workflow import Actor
from workflow import CaseQuery
from workflow import Engine

from . import orgs
from .ballots import demo_ballots
from .cases import SCRIPTS
from .data import PASSWORD
from .data import PEOPLE
from .data import enrich
from .runner import Demo

USERS_FILE = Path(__file__).with_name("users.yaml")


def demo_users() -> list[dict[str, Any]]:
    """The demo users of demo_users.yaml: username, name, unit, roles."""
    data = yaml.safe_load(USERS_FILE.read_text(encoding="utf-8"))
    return list(data["users"])

def _users(engine: Engine) -> int:
    added = 0
    digest = None
    for u in demo_users():
        if engine.users.find(u["username"]) is None:
            digest = digest or generate_password_hash(PASSWORD)
            engine.users.add(u["username"], list(u["roles"]), digest, name=u["name"], unit=u["unit"],
                             org=u.get("org"))
            added += 1
    return added


def _people(engine: Engine, actor: Actor) -> tuple[dict[str, int], int]:
    ids: dict[str, int] = {}
    added = 0
    for data in PEOPLE:
        found, _ = engine.people.search(data["name"], limit=50)
        # by name and birth date: an appointment in the demo changes a person's unit
        match = next((p for p in found if p.name == data["name"] and p.birth_date.isoformat() == data["birth_date"]),
                     None)
        if match is None:
            match = engine.people.create(data, actor)
            added += 1
            if data["name"] == "马骏":
                engine.people.add_mark(match.id, "influence_period", "诫勉（已期满）", date(2025, 9, 1),
                                       date(2026, 2, 28), "2025年河道整治项目推进不力被诫勉", actor)
        ids[data["name"]] = match.id
    return ids, added


def load_demo(engine: Engine) -> str:
    """Load the demo data (idempotent) and return a one-line Chinese summary."""
    _, before = engine.list_cases(CaseQuery(per_page=1))
    orgs_added = orgs.organizations(engine)
    users_added = _users(engine)
    users = demo_users()
    actors = {u["username"]: engine.users.get(u["username"]).actor() for u in users}
    people, people_added = _people(engine, actors["officer1"])
    enrich(engine, actors["officer1"], people)  # photos and sanctions (web/demo/data.py)
    demo = Demo(engine, actors, people)
    people_added += orgs.people(demo)
    for script in (*SCRIPTS, orgs.cases):
        script(demo)
    demo_ballots(demo)
    _, total = engine.list_cases(CaseQuery(per_page=1))
    procedures = sum(1 for d in engine.registry.latest()
                     if engine.list_cases(CaseQuery(definition=d.key, per_page=1))[1] > 0)
    return (f"演示数据就绪：组织{len(orgs.ORGS) + 1}个、用户{len(users)}个、干部{len(PEOPLE) + len(orgs.PEOPLE)}人、"
            f"案件{total}件，覆盖{procedures}类流程；"
            f"本次新增组织{orgs_added}个、用户{users_added}个、干部{people_added}人、案件{total - before}件。"
            f"演示用户（officer1、reviewer1、auditor1、admin1、recommender1、panelist1、inspector1 等）"
            f"密码均为 {PASSWORD}")

