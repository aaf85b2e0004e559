"""The data set of the scale bench: N 日常考察 cases with 10·N history events.

A *plan* (``plan_case``) describes each case as what users did: who opened it,
when, for whom, and each event (time, actor, trigger, form data). Ten patterns
(``PATTERNS``) of 5 to 15 events each, 100 events in all, cycle over the cases,
so N cases carry exactly 10·N events and end up 40% 记实中, 20% 分析研判 (some
overdue), 30% 已归档 and 10% 已撤销. 2,000 people are the subjects; 20 officers,
10 inspectors and 5 reviewers are the actors. They are spread over three
organizations (the root, 东湖 and 西山; ``ORGS``): person i and user number n belong
to ``ORGS[i % 3]`` and ``ORGS[(n - 1) % 3]``; a case is opened by an officer of its
subject's organization, names one inspector of it as observer (who records on it)
and is filed by a reviewer of it.

Two writers take the same plan:

- ``EngineWriter``: `Engine.start_case` and `Engine.fire` with a FixedClock set
  to each event's time (every check, one transaction per event);
- ``BulkWriter``: the documented bulk path. It computes what the engine writes for
  each case (the same validated field values, the case's data, its state, due
  date and version, every history row with its SHA-256 chain, the head MAC, the
  case-ledger chain and the ledger head's MAC, using ``workflow.audit`` and
  ``Engine.due_at``) and inserts the rows with executemany through the same
  SQLAlchemy tables, in transactions of ``BATCH`` cases, on a connection with
  synchronous=OFF (the bench database only). It handles the transitions of
  日常考察 (no actions, no multi-approval) and refuses others. No ANALYZE
  afterwards: nothing in cadreflow runs it, so the query planner works without
  statistics, as in production.

``bench.scale_bench.self_check`` writes the same plan both ways into two fresh
databases and compares every row of every table the writers touch: the bulk
rows are the engine's rows. The scale bench runs it before each generation.

Generate a database by hand: .venv/bin/python -m bench.scale_data PATH.db [cases]
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import sys
import time
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update

from workflow import Engine
from workflow import FixedClock
from workflow import Settings
from workflow import audit
from workflow.clock import SHANGHAI
from workflow.commands.events import due_at
from workflow.fields import validate
from workflow.persistence.db import json_text
from workflow.persistence.migrate import upgrade
from workflow.persistence.models import Case
from workflow.persistence.models import CaseEvent
from workflow.persistence.models import CaseLedger
from workflow.persistence.models import LedgerHead
from workflow.persistence.models import table
from workflow.persistence.tables import readers_t

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
SETUP_AT = NOW - timedelta(days=400)
SECRET = "bench-secret-key-for-the-scale-bench-only-0123456789"
HEAD_KEY = hmac.new(SECRET.encode(), b"history-head", hashlib.sha256).digest()  # web.config.derive
DEFINITION = "daily_inspection"
PEOPLE = 2_000
OFFICERS, INSPECTORS, REVIEWERS = 20, 10, 5
ORGS = ("root", "donghu", "xishan")
ORG_NAMES = {"donghu": "东湖区委组织部", "xishan": "西山县委组织部"}
BATCH = 5_000
SEED = 20261125

# Triggers after case_started; 10 patterns, 100 events with the start events.
R = "record"
PATTERNS: tuple[tuple[str, ...], ...] = (
    (R,) * 9,                                                    # open, 10 events
    (R,) * 4,                                                    # open, 5
    (R,) * 14,                                                   # open, 15
    (R,) * 7 + ("analyze",),                                     # analysis, 9
    (R,) * 10 + ("analyze",),                                    # analysis, 12
    (R,) * 6 + ("analyze", "file"),                              # filed, 9
    (R,) * 8 + ("analyze", "file"),                              # filed, 11
    (R,) * 3 + ("analyze", "return") + (R,) * 4,                 # open again, 10
    (R,) * 5 + ("cancel",),                                      # cancelled, 7
    (R,) * 3 + ("analyze", "return") + (R,) * 4 + ("analyze", "file"),  # filed after a return, 12
)
assert sum(len(p) + 1 for p in PATTERNS) == 100

KINDS = ("谈心谈话", "列席会议", "调研走访", "信访监测", "个人事项监测", "其他")
CONTENTS = (
    "与本人谈心谈话，了解近期工作思路和困难，态度端正，思路清晰。",
    "列席所在单位党组会议，发言紧扣议题，能提出具体可行的意见。",
    "到基层调研走访，群众反映其作风扎实，联系群众紧密。",
    "信访监测未发现反映本人的问题线索。",
    "个人有关事项报告如实填报，抽查核实一致。",
    "参加重点项目推进会，统筹协调有力，推动问题解决。",
    "了解到其在疫情防控和防汛工作中靠前指挥、担当作为。",
    "同事反映其工作细致，但开拓创新意识有待加强。",
)
TEXTS = {
    "analyze": "综合平时了解情况，该同志政治素质较好，工作实绩突出，群众认可度较高，建议评价为好。",
    "file": "同意分析研判意见，予以归档。",
    "return": "记实内容不够具体，请补充近期谈心谈话和调研走访情况。",
    "cancel": "该同志已调离本地区，本日常考察不再办理。",
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"


def officer(i: int) -> str:
    return f"officer{i % OFFICERS + 1:02d}"


def org_of_user(username: str) -> str:
    return ORGS[(int(username[-2:]) - 1) % len(ORGS)]


def org_of_person(i: int) -> str:
    """The managing organization of person ``i`` (0-based; the person's id is i + 1)."""
    return ORGS[i % len(ORGS)]


def _of_org(prefix: str, count: int, org: str) -> list[str]:
    return [f"{prefix}{n:02d}" for n in range(1, count + 1) if ORGS[(n - 1) % len(ORGS)] == org]


def users() -> list[tuple[str, list[str], str]]:
    out = [(f"officer{i:02d}", ["officer"], f"干部科{i}号") for i in range(1, OFFICERS + 1)]
    out += [(f"inspector{i:02d}", ["inspector"], f"考察组{i}号") for i in range(1, INSPECTORS + 1)]
    out += [(f"reviewer{i:02d}", ["reviewer"], f"审批领导{i}号") for i in range(1, REVIEWERS + 1)]
    out.append(("auditor01", ["auditor"], "监督检查1号"))  # the root's: reads all three organizations
    return out


def person(i: int) -> dict[str, Any]:
    return {"name": SURNAMES[i % 20] + GIVEN[(i // 20) % 20] + GIVEN[(i // 400) % 20], "gender": "男女"[i % 2],
            "birth_date": date(1965 + i % 25, 1 + i % 12, 1 + i % 28).isoformat(), "unit": f"第{i % 50 + 1}局"}


@dataclass(frozen=True)
class Step:
    at: datetime
    trigger: str
    actor: str
    data: dict[str, Any]


@dataclass(frozen=True)
class CasePlan:
    number: int  # 1-based; the case id in a fresh database
    at: datetime
    actor: str
    title: str
    subject: int
    data: dict[str, Any]
    steps: tuple[Step, ...]


def plan_case(number: int, total: int, people: int = PEOPLE) -> CasePlan:
    """Case ``number`` of ``total``: opened over ten months, in id order; events after it."""
    rng = random.Random(SEED * 1_000_003 + number)
    span = timedelta(days=270) / total
    at = NOW - timedelta(days=330) + span * (number - 1) + timedelta(seconds=rng.randrange(60, 3600))
    subject = rng.randrange(people) + 1
    org = org_of_person(subject - 1)
    officers = _of_org("officer", OFFICERS, org)
    creator = rng.choice(officers)
    observer = rng.choice(_of_org("inspector", INSPECTORS, org))
    steps = []
    when = at
    data: dict[str, Any]
    for trigger in PATTERNS[(number - 1) % len(PATTERNS)]:
        when += timedelta(minutes=rng.randrange(60, 4 * 24 * 60))
        if trigger == R:
            actor = creator if rng.random() < 0.5 else (rng.choice(officers) if rng.random() < 0.5 else observer)
            data = {"record_kind": rng.choice(KINDS), "record_date": when.astimezone(SHANGHAI).date().isoformat(),
                    "record_content": rng.choice(CONTENTS)}
        elif trigger in ("file", "return"):
            actor = rng.choice(_of_org("reviewer", REVIEWERS, org))
            data = ({"evaluation": TEXTS["file"], "tags": ["担当作为"], "grade": rng.choice(("好", "较好", "一般"))}
                    if trigger == "file" else {"return_reason": TEXTS["return"]})
        else:
            actor = creator
            data = {"analysis_text": TEXTS["analyze"]} if trigger == "analyze" else {"cancel_reason": TEXTS["cancel"]}
        steps.append(Step(when, trigger, actor, data))
    name = person(subject - 1)["name"]
    return CasePlan(number, at, creator, f"{name}日常考察（{at.year}年度）", subject,
                    {"period": f"{at.year}年度", "observers": [observer]}, tuple(steps))


def open_engine(url: str, synchronous: str = "NORMAL") -> Engine:
    engine = Engine(Settings(database_url=url, head_key=HEAD_KEY, sqlite_synchronous=synchronous),
                    clock=FixedClock(SETUP_AT))
    engine.sync_definitions()
    return engine


def setup(url: str, people: int = PEOPLE) -> Engine:
    """Migrate a fresh database; add the users (through the engine). People are each writer's job."""
    upgrade(url)
    engine = open_engine(url)
    for code, name in ORG_NAMES.items():
        engine.orgs.add(code, name)
    for username, roles, name in users():
        engine.users.add(username, roles, "x", name=name, org=org_of_user(username))
    return engine


class EngineWriter:
    """Every case and event through the engine's public methods, one transaction each."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        assert isinstance(engine.clock, FixedClock)
        self.clock: FixedClock = engine.clock
        self.actors = {u: engine.users.get(u).actor() for u, _, _ in users()}

    def people(self, count: int) -> None:
        self.clock.set(SETUP_AT)
        for i in range(count):
            self.engine.people.create(person(i), self.actors[f"officer{ORGS.index(org_of_person(i)) + 1:02d}"])

    def cases(self, plans: Iterable[CasePlan]) -> int:
        events = 0
        for plan in plans:
            self.clock.set(plan.at)
            snap = self.engine.start_case(DEFINITION, self.actors[plan.actor], title=plan.title,
                                          subject_id=plan.subject, data=plan.data)
            version = snap.version
            for step in plan.steps:
                self.clock.set(step.at)
                version = self.engine.fire(snap.id, step.trigger, self.actors[step.actor], step.data,
                                           expected_version=version).case.version
            events += 1 + len(plan.steps)
        return events


class _NoLookups:
    """Field lookups for the bulk path: 日常考察's fields name users (the observers, the bench's own
    inspectors) but no people or attachments."""

    def user_roles(self, username: str) -> frozenset[str] | None:
        return next((frozenset(roles) for u, roles, _ in users() if u == username), None)

    def is_recused(self, username: str) -> bool:
        return False

    def role_label(self, role: str) -> str:
        return role

    def __getattr__(self, name: str) -> Callable[..., Any]:
        raise NotImplementedError(f"the bulk path cannot look up {name}")


class BulkWriter:
    """Computes the engine's rows for each planned case and inserts them in big transactions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.d = engine.registry.get(DEFINITION)
        self.key = engine.settings.head_key
        self.actors = {u: engine.users.get(u).actor() for u, _, _ in users()}
        assert isinstance(engine.clock, FixedClock)
        self.clock: FixedClock = engine.clock
        self.org_ids = {code: engine.orgs.get(code).id for code in ORGS}
        self._clean: dict[tuple[str, str], dict[str, Any]] = {}
        self._due: dict[tuple[str, date], datetime | None] = {}
        self.today = NOW.astimezone(SHANGHAI).date()
        bulk = create_engine(str(engine.db.engine.url), json_serializer=json_text)  # the engine's JSON text

        @event.listens_for(bulk, "connect")
        def fast(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute("PRAGMA synchronous=OFF")
            dbapi_conn.execute("PRAGMA cache_size=-65536")

        self.bulk = bulk

    def people(self, count: int) -> None:
        """People through the engine (a few thousand; their record histories are the engine's own)."""
        EngineWriter.people(self, count)  # type: ignore[arg-type]

    def _validated(self, fields: Any, trigger: str, data: dict[str, Any]) -> dict[str, Any]:
        key = (trigger, json.dumps(data, sort_keys=True, ensure_ascii=False))
        clean = self._clean.get(key)
        if clean is None:
            clean = self._clean[key] = validate(fields, data, today=self.today, lookups=_NoLookups())  # type: ignore[arg-type]
        return clean

    def _due_at(self, state: str, now: datetime) -> datetime | None:
        key = (state, now.astimezone(SHANGHAI).date())
        if key not in self._due:
            target = self.d.state(state)
            assert target is not None
            self._due[key] = due_at(target, now, self.engine.calendar.calendar)
        return self._due[key]

    def case_rows(self, plan: CasePlan, event_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The case row and history rows the engine leaves after ``plan`` (ids from ``event_id``)."""
        d, key = self.d, self.key
        actor = self.actors[plan.actor]
        role = next(r for r in d.start.roles if r in actor.roles)
        clean = self._validated(d.start.fields, "start", plan.data)
        state = d.initial.name
        org_id = self.org_ids[org_of_person(plan.subject - 1)]
        start_data = {"title": plan.title, "subject_id": plan.subject, "org_id": org_id, "definition": d.key,
                      "definition_version": d.version, "definition_hash": d.content_hash, **clean}
        digest = audit.event_hash_v2(plan.number, 1, "case_started", "start", None, state, actor.username,
                                     actor.name, role, plan.at, start_data, "", audit.GENESIS)
        events = [_event(event_id, plan.number, 1, "case_started", "start", None, state, actor, role, plan.at,
                         start_data, audit.GENESIS, digest)]
        row: dict[str, Any] = {
            "id": plan.number, "definition_key": d.key, "definition_version": d.version,
            "definition_hash": d.content_hash, "title": plan.title, "subject_id": plan.subject, "org_id": org_id,
            "state": state,
            "final": False, "version": 1, "data": dict(clean), "created_by": actor.username,
            "created_at": plan.at, "updated_at": plan.at, "state_entered_at": plan.at,
            "due_at": self._due_at(state, plan.at), "head_seq": 1, "head_hash": digest, "head_mac": "",
            "full_hash_from": 1, "head_seal": ""}
        for step in plan.steps:
            digest = self._fire(row, step, events, event_id + len(events), digest)
        row.update(audit.sign_head(key, row, (), ()))
        return row, events

    def _fire(self, row: dict[str, Any], step: Step, events: list[dict[str, Any]], event_id: int,
              prev: str) -> str:
        """What Engine.fire writes for one event of a transition without actions or approvals."""
        t = self.d.transition(step.trigger, row["state"])
        if t is None or t.actions or t.approvals is not None:
            raise NotImplementedError(f"the bulk path does not handle {step.trigger} in {row['state']}")
        actor = self.actors[step.actor]
        role = next(r for r in t.roles if r in actor.roles)
        clean = self._validated(t.fields, t.trigger, step.data)
        data = dict(row["data"])
        if t.append_to:
            data[t.append_to] = [*(data.get(t.append_to) or []),
                                 {**clean, "by": actor.username, "at": audit.iso(step.at)}]
        else:
            data.update(clean)
        seq = row["head_seq"] + 1
        source, dest = row["state"], t.dest
        digest = audit.event_hash_v2(row["id"], seq, "transition_fired", t.trigger, source, dest, actor.username,
                                     actor.name, role, step.at, dict(clean), "", prev)
        events.append(_event(event_id, row["id"], seq, "transition_fired", t.trigger, source, dest, actor, role,
                             step.at, dict(clean), prev, digest))
        row.update(state=dest, data=data, version=row["version"] + 1, updated_at=step.at, head_seq=seq,
                   head_hash=digest)
        if dest != source:
            target = self.d.state(dest)
            assert target is not None
            row.update(state_entered_at=step.at, final=target.final, due_at=self._due_at(dest, step.at))
        return digest

    def cases(self, plans: Iterable[CasePlan], progress: Callable[[int], None] | None = None) -> int:
        """Insert every planned case (the database must hold no case yet); returns the event count."""
        cases_t, events_t, ledger_t, head_t = table(Case), table(CaseEvent), table(CaseLedger), table(LedgerHead)
        with self.bulk.connect() as conn:
            head = conn.execute(select(head_t).where(head_t.c.id == 1)).one()
            assert int(head._mapping["count"]) == 0, "the bulk path needs a database without cases"
        ledger_prev, ledger_seq, event_id = head.head_hash, 0, 1
        case_rows: list[dict[str, Any]] = []
        reader_rows: list[dict[str, Any]] = []
        event_rows: list[dict[str, Any]] = []
        ledger_rows: list[dict[str, Any]] = []

        def flush() -> None:
            with self.bulk.begin() as conn:
                conn.execute(insert(cases_t), case_rows)
                conn.execute(insert(ledger_t), ledger_rows)
                conn.execute(insert(events_t), event_rows)
                conn.execute(insert(readers_t), reader_rows)
                conn.execute(update(head_t).where(head_t.c.id == 1).values(
                    count=ledger_seq, head_hash=ledger_prev, mac=audit.ledger_mac(self.key, ledger_seq, ledger_prev)))
            if progress is not None:
                progress(len(case_rows))
            case_rows.clear()
            reader_rows.clear()
            event_rows.clear()
            ledger_rows.clear()

        for plan in plans:
            row, events = self.case_rows(plan, event_id)
            event_id += len(events)
            ledger_seq += 1
            digest = audit.ledger_hash(ledger_seq, plan.number, DEFINITION, plan.at, ledger_prev)
            ledger_rows.append({"seq": ledger_seq, "case_id": plan.number, "definition_key": DEFINITION,
                                "created_at": plan.at, "prev_hash": ledger_prev, "hash": digest})
            ledger_prev = digest
            case_rows.append(row)
            reader_rows.extend({"case_id": plan.number, "username": u, "reason": "observers"}
                               for u in sorted(set(row["data"].get("observers") or [])))
            event_rows.extend(events)
            if len(case_rows) >= BATCH:
                flush()
        if case_rows:
            flush()
        return event_id - 1

    def close(self) -> None:
        self.bulk.dispose()


_PERSON_COLUMNS = ("name", "gender", "birth_date", "unit", "current_post")


def _event(event_id: int, case_id: int, seq: int, type_: str, trigger: str, source: str | None, dest: str,
           actor: Any, role: str, at: datetime, data: dict[str, Any], prev: str, digest: str) -> dict[str, Any]:
    return {"id": event_id, "case_id": case_id, "seq": seq, "type": type_, "event": trigger,
            "from_state": source, "to_state": dest, "actor": actor.username, "actor_name": actor.name,
            "role": role, "at": at, "data": data, "comment": "", "prev_hash": prev, "hash": digest}


def build(path: Path, cases: int, writer: str = "bulk", people: int = PEOPLE,
          progress: Callable[[int], None] | None = None) -> tuple[str, int, float]:
    """Create ``path`` with ``cases`` planned cases; (url, events, seconds spent writing cases)."""
    url = f"sqlite:///{path}"
    engine = setup(url)
    try:
        out: EngineWriter | BulkWriter = BulkWriter(engine) if writer == "bulk" else EngineWriter(engine)
        out.people(people)
        started = time.perf_counter()
        plans = (plan_case(n, cases, people) for n in range(1, cases + 1))
        events = out.cases(plans, progress) if isinstance(out, BulkWriter) else out.cases(plans)
        seconds = time.perf_counter() - started
        if isinstance(out, BulkWriter):
            out.close()
    finally:
        engine.dispose()
    return url, events, seconds


if __name__ == "__main__":
    target = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    _, n_events, took = build(target, count, progress=lambda n: print(".", end="", flush=True))
    print(f"\n{count:,} cases, {n_events:,} events in {took:.1f} s ({n_events / took:,.0f} events/s)")
