"""The person record end to end (used by bench_exchange): import into the database, export, the person page.

Each contender is timed against a baseline in the same run, in alternating rounds
(``bench_exchange.alternate``): the import of a zip of .lrmx files into a fresh,
migrated SQLite database against parsing the same zip; the .xlsx export of every
stored person against the codec writing the same rows from memory; GET of a person
page with 50 history entries against the page of a person with one.
"""

from __future__ import annotations

import random
import re
import shutil
import statistics
from datetime import UTC
from datetime import date
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from werkzeug.security import generate_password_hash

from bench.bench_exchange import alternate
from bench.bench_exchange import lrmx_zip
from bench.bench_exchange import parse_all
from bench.bench_exchange import person
from bench.common import HEAD_KEY
from bench.common import temp_dir
from workflow import Engine
from workflow import Settings
from workflow.exchange.roster_xlsx import export_roster
from workflow.people.exchange import COLUMNS
from workflow.persistence.migrate import upgrade
from workflow.persistence.tables import people_t

Times = dict[str, list[float]]
COLUMN_KEYS = ("name", "gender", "birth_date", "unit", "current_post")


class Instances:
    """A migrated template database, copied fresh for every contender run that writes."""

    def __init__(self) -> None:
        self.folder = temp_dir("cadreflow-bench-record-")
        self.template = self.folder / "template.db"
        upgrade(f"sqlite:///{self.template}")
        self.count = 0

    def fresh(self) -> Engine:
        self.count += 1
        target = self.folder / f"db{self.count}.db"
        shutil.copy(self.template, target)
        engine = Engine(Settings(database_url=f"sqlite:///{target}", head_key=HEAD_KEY))
        engine.sync_definitions()
        if engine.users.find("off") is None:
            engine.users.add("off", ["officer"], generate_password_hash("bench-pass-1", method="pbkdf2:sha256:1000"),
                             name="干部科")
        return engine

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def import_round(instances: Instances, bundle: bytes, forms: int) -> Times:
    engines: list[Engine] = []

    def contender() -> None:
        engine = instances.fresh()
        engines.append(engine)
        actor = engine.users.get("off").actor()
        report = engine.people.exchange.run([(bundle, "bench.zip")], actor)
        if report.created != forms or report.problems:
            raise AssertionError(f"import created {report.created}, problems {report.problems[:1]}")

    try:
        return alternate(contender, lambda: parse_all(bundle), ROUNDS)
    finally:
        for engine in engines:
            engine.dispose()


ROUNDS = 5


def stored_people(engine: Engine, count: int) -> list[dict[str, Any]]:
    """``count`` people written straight into the table (the export reads them; history plays no part)."""
    rng = random.Random(5)
    now = datetime.now(UTC)
    rows = [person(i, rng) for i in range(count)]
    with engine.db.write() as conn:
        conn.execute(insert(people_t), [{
            "name": r["name"], "gender": r["gender"], "birth_date": date.fromisoformat(r["birth_date"]),
            "unit": r["unit"], "current_post": r["current_post"], "managing_org_id": 1,
            "profile": {k: v for k, v in r.items() if k not in COLUMN_KEYS},
            "created_by": "bench", "created_at": now, "updated_at": now, "version": 1, "head_seq": 0,
            "head_hash": "", "head_mac": ""} for r in rows])
    return rows


def page_client(engine: Engine, folder: Path) -> Any:
    from web import create_app
    from web.config import AppConfig

    app = create_app({"TESTING": True, "CADREFLOW_CONFIG": AppConfig(folder, engine.settings.database_url,
                                                                     "bench-secret-0123456789")}, engine=engine)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', page)
    assert token is not None
    client.post("/login", data={"username": "off", "password": "bench-pass-1", "csrf_token": token.group(1)})
    return client


def page_round(instances: Instances) -> Times:
    engine = instances.fresh()
    actor = engine.users.get("off").actor()
    rng = random.Random(3)
    data = {k: v for k, v in person(1, rng).items()}
    busy = engine.people.create(data, actor).id
    quiet = engine.people.create({**data, "name": "对照"}, actor).id
    for n in range(49):
        version = engine.people.get(busy).version
        engine.people.update(busy, {"current_post": f"第{n}次调整后的职务", "grassroots_months": n}, actor,
                             expected_version=version)
    assert len(engine.people.history(busy)) == 50
    client = page_client(engine, instances.folder)

    def get(pid: int) -> None:
        resp = client.get(f"/people/{pid}")
        if resp.status_code != 200:
            raise AssertionError(resp.status_code)

    try:
        return alternate(lambda: get(busy), lambda: get(quiet), ROUNDS * 4)
    finally:
        engine.dispose()


def measure_record(rounds: int, forms: int, rows_count: int) -> list[tuple[str, str, Times]]:
    global ROUNDS
    ROUNDS = rounds
    instances = Instances()
    try:
        bundle = lrmx_zip(forms)
        imported = import_round(instances, bundle, forms)
        engine = instances.fresh()
        rows = stored_people(engine, rows_count)
        actor = engine.users.get("off").actor()
        exported = alternate(lambda: engine.people.exchange.roster(actor), lambda: export_roster(rows, COLUMNS),
                             rounds)
        engine.dispose()
        page = page_round(instances)
    finally:
        instances.close()
    return [
        (f"import zip of {forms} .lrmx into the database (parse + DB writes)", "parse the zip only", imported),
        (f"export {rows_count} stored people to .xlsx (query + workbook)", "the codec writing the rows from memory",
         exported),
        ("person page with 50 history entries", "the page of a person with 1 entry", page),
    ]


def summary(times: Times) -> str:
    c, b = times["contender"], times["baseline"]
    ratio = statistics.median(x / y for x, y in zip(c, b, strict=True))
    return f"median {statistics.median(c):.3f} s (min {min(c):.3f}, max {max(c):.3f}); ratio {ratio:.1f}x"
