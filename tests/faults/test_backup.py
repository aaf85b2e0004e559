"""Backup during writes: the restored copy verifies and holds every event acknowledged before it began.

Writers keep firing events through gunicorn (see ``writers``) while the backup runs.
SQLite: the database is first grown past ``MIN_PAGES`` pages through the API, so
that a backup copied in slices would need several steps (regression: the sliced
copy started again after every concurrent commit, and under steady writes took
minutes or never finished); ``cadreflow backup FILE`` must finish within
``BACKUP_SECONDS`` while writes go on, and FILE, named by ``CADREFLOW_DATABASE_URL``,
must pass ``cadreflow verify``. PostgreSQL: ``cadreflow backup`` prints the pg_dump
command; it is run exactly as printed while writes go on, restored with pg_restore
into a new database, which must verify. In both, every event acknowledged before
the backup command started is in the copy, with its version and state, and the
copy's cases are whole (``writers.check_cases``).
"""

from __future__ import annotations

import shlex
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

from bench.load import record_body
from bench.serve import Client
from bench.serve import PgDatabase

from .conftest import Deployment
from .writers import Ledger
from .writers import Writer
from .writers import check_cases
from .writers import open_cases

WRITERS = 4
CASES = 8
MIN_PAGES = 1500  # > 1,024: more than one slice of the old sliced copy
BACKUP_SECONDS = 60
SEED = 7


def grow(client: Client, cases: list[int], path: Path, ledger: Ledger) -> int:
    """Long `record` entries through the API until the SQLite file has MIN_PAGES pages."""
    versions = {c: client.get(f"/cases/{c}")[1]["version"] for c in cases}
    for n in range(2000):
        if n % 20 == 0:
            with sqlite3.connect(path) as db:
                pages = int(db.execute("PRAGMA page_count").fetchone()[0])
            db.close()
            if pages >= MIN_PAGES:
                return pages
        case_id = cases[n % len(cases)]
        body = record_body(versions[case_id], f"seed-{n}", n)
        ledger.sent.add(f"seed-{n}")
        body["data"]["record_content"] = "谈心谈话记实：" + "工作主动，群众反映较好。" * 400
        status, answer = client.post(f"/cases/{case_id}/events", body)
        assert status == 200, answer
        versions[case_id] = answer["version"]
    raise AssertionError("the database did not grow")


def test_backup_during_writes_restores_every_acknowledged_event(deployment: Deployment, tmp_path: Path) -> None:
    d = deployment
    server = d.server(workers=2)
    cases = open_cases(d.client(server, "off"), CASES, "备份测试")
    ledger = Ledger()
    if d.instance.sqlite_path is not None:
        pages = grow(d.client(server, "off"), cases, d.instance.sqlite_path, ledger)
        print(f"\nsqlite: grown to {pages} pages before the backup")
    stop = threading.Event()
    writers = [Writer(f"b{i}", server.host, d.tokens, cases[i::WRITERS], ledger, stop, SEED + i)
               for i in range(WRITERS)]
    for w in writers:
        w.start()
    target = tmp_path / ("backup.db" if d.tier == "sqlite" else "backup.dump")
    try:
        while ledger.acked() < 40:
            assert not ledger.errors, ledger.errors[:3]
            time.sleep(0.02)
        began = time.monotonic()
        backup = d.instance.cli("backup", str(target), check=False)
        if d.tier == "postgresql":
            command = shlex.split(backup.stdout.strip())
            assert command[0] == "pg_dump" and f"--file={target}" in command, backup.stdout
            dump = subprocess.run(command, capture_output=True, text=True, timeout=BACKUP_SECONDS, check=False)
            assert dump.returncode == 0, dump.stderr
        ended = time.monotonic()
        while ledger.acked() < len(ledger.acked_before(ended)) + 20:
            time.sleep(0.02)
    finally:
        stop.set()
        for w in writers:
            w.join(timeout=60)
    assert backup.returncode == 0, backup.stderr
    assert ended - began < BACKUP_SECONDS
    assert not ledger.errors and not [s for s in ledger.statuses if s >= 500], (ledger.errors[:3], ledger.statuses)
    before = ledger.acked_before(began)
    during = len(ledger.acked_before(ended)) - len(before)
    print(f"{d.tier}: backup took {ended - began:.1f} s; acknowledged before it {len(before)}, "
          f"during it {during}, in all {len(ledger.acks)}")
    assert during > 0, "the writes did not go on during the backup"
    check_cases(d.engine(), cases, ledger)
    restored = restore(d, target)
    try:
        env = d.instance.env(CADREFLOW_DATABASE_URL=restored.url if restored else f"sqlite:///{target}")
        verify = d.instance.verify(env=env)
        assert verify.returncode == 0, verify.stdout + verify.stderr
        copy = d.engine(env["CADREFLOW_DATABASE_URL"])
        found = check_cases(copy, cases, ledger, acks=before)
        print(f"{d.tier}: the copy holds {len(found)} fired events, {len(before)} acknowledged before the "
              f"backup began")
        copy.dispose()
    finally:
        if restored is not None:
            restored.drop()


def restore(d: Deployment, dump: Path) -> PgDatabase | None:
    """On PostgreSQL: a new database restored from the dump with pg_restore (None on SQLite)."""
    if d.tier != "postgresql":
        return None
    assert d.instance.database_url is not None
    base = d.instance.database_url.rsplit("/", 1)[0] + "/postgres"
    fresh = PgDatabase(base).create()
    run = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction",
                          f"--dbname={fresh.libpq}", str(dump)], capture_output=True, text=True, timeout=120,
                         check=False)
    assert run.returncode == 0, run.stderr
    return fresh


def test_sqlite_backup_finishes_while_another_process_commits_continuously(tmp_path: Path) -> None:
    """Regression: the copy in slices of 1,024 pages started again whenever another connection
    committed between two slices; with commits every few milliseconds it never finished."""
    from bench.serve import Instance

    path = tmp_path / "busy.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
    db.execute("BEGIN")
    db.executemany("INSERT INTO t (body) VALUES (?)", [("x" * 3000,) for _ in range(8000)])
    db.execute("COMMIT")
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    assert pages > 4 * 1024
    stop = threading.Event()
    commits = [0]

    def commit_forever() -> None:
        writer = sqlite3.connect(path, isolation_level=None, timeout=30)
        writer.execute("PRAGMA synchronous=OFF")
        while not stop.is_set():
            writer.execute("INSERT INTO t (body) VALUES ('y')")
            commits[0] += 1
        writer.close()

    thread = threading.Thread(target=commit_forever)
    thread.start()
    instance = Instance(tmp_path / "instance")
    env = instance.env(CADREFLOW_DATABASE_URL=f"sqlite:///{path}", CADREFLOW_SECRET_KEY="x" * 32)
    try:
        time.sleep(0.2)
        run = instance.cli("backup", str(tmp_path / "copy.db"), check=False, env=env, timeout=30)
    finally:
        stop.set()
        thread.join()
        db.close()
    assert run.returncode == 0, run.stderr
    assert commits[0] > 100
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT count(*) FROM t").fetchone()[0] >= 8000
    copy.close()
