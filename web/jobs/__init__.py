"""Background jobs on huey: SQLite beside the instance by default, Redis in production.

``JobQueue`` creates the job's row (workflow/jobs.py, what users see) and puts its id on
huey's queue; whoever consumes the queue runs ``kinds.run_job``. Consumers:

- ``cadreflow worker``: huey's consumer (threads), the production worker (one per instance);
- ``cadreflow serve`` with the SQLite backend: ``start_embedded`` runs a thread in the web
  process that takes jobs and enqueues the periodic ones, so ``make demo`` needs nothing else;
- tests: ``run_pending`` takes what is queued, on the same huey ``execute`` path.

Every consumer calls ``recover`` when it starts: jobs left running by a dead worker are
queued again once, then failed (workflow/jobs.py).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from flask import current_app
from huey import Huey
from huey import RedisHuey
from huey import SqliteHuey
from huey import crontab

from workflow import Actor
from workflow import Engine
from workflow.jobs import JobView

from . import periodic
from .config import JobsConfig
from .kinds import HISTORY_PDF
from .kinds import ROSTER_XLSX
from .kinds import run_job

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0


def make_huey(config: JobsConfig) -> Huey:
    if config.backend == "redis":
        return RedisHuey(config.name, url=config.redis_url, results=False)
    config.sqlite_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Owner-only like the other instance files (SQLite gives its -wal and -shm files the same mode).
    config.sqlite_file.touch(mode=0o600, exist_ok=True)
    return SqliteHuey(config.name, filename=str(config.sqlite_file), results=False)


class JobQueue:
    def __init__(self, engine: Engine, config: JobsConfig) -> None:
        self.engine = engine
        self.config = config
        self.huey = make_huey(config)
        self._run = self.huey.task(name="cadreflow.run_job")(lambda job_id: run_job(self.engine, job_id))
        self.periodic: list[str] = []
        for entry in periodic.PERIODIC:
            self.huey.periodic_task(crontab(minute=entry.minute, hour=entry.hour), name=f"cadreflow.{entry.name}")(
                lambda run=entry.run: run(self.engine, self.engine.clock.now()))
            self.periodic.append(entry.name)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def submit(self, kind: str, actor: Actor, params: dict[str, Any], *, case_id: int | None = None,
               total: int = 0) -> JobView:
        """Record a job for ``actor`` and queue it; the row exists before any worker can see the id."""
        job = self.engine.jobs.create(kind, actor.username, params, case_id=case_id, total=total)
        self._run(job.id)
        return job

    def history_pdf(self, case_id: int, actor: Actor, address: str) -> JobView | None:
        """A job for the case's history PDF when it has more events than the threshold; None: render now.

        The case is checked first: a case the reader may not see is not found, job or not.
        """
        self.engine.get_case(case_id, actor)
        if self.engine.jobs.case_events(case_id) <= self.config.history_pdf_events:
            return None
        return self._once(HISTORY_PDF, actor, {"address": address}, case_id=case_id, total=3)

    def roster(self, actor: Actor, q: str, managing_org: str | None, address: str) -> JobView | None:
        """A job for the roster export when it lists more people than the threshold; None: export now."""
        self.engine.policy.require(actor, "read_roster")
        _, count = self.engine.people.search(q, limit=1, viewer=actor, managing_org=managing_org)
        if count <= self.config.export_rows:
            return None
        return self._once(ROSTER_XLSX, actor, {"q": q, "managing_org": managing_org, "address": address}, total=1)

    def _once(self, kind: str, actor: Actor, params: dict[str, Any], *, case_id: int | None = None,
              total: int = 0) -> JobView:
        """The user's unfinished job asking the same thing, else a new one (a second click queues nothing)."""
        same = {k: v for k, v in params.items() if k != "address"}
        for job in self.engine.jobs.of(actor.username, limit=20):
            if (not job.finished and job.kind == kind and job.case_id == case_id
                    and {k: v for k, v in job.params.items() if k != "address"} == same):
                return job
        return self.submit(kind, actor, params, case_id=case_id, total=total)

    def recover(self) -> tuple[list[int], list[int]]:
        again, failed = self.engine.jobs.recover()
        for job_id in again:
            self._run(job_id)
        if again or failed:
            log.warning("jobs left running by a stopped worker: queued again %s, failed %s", again, failed)
        return again, failed

    def pending(self) -> int:
        return int(self.huey.pending_count())

    def run_pending(self, limit: int | None = None) -> int:
        """Take queued tasks and run them here until none is left (or ``limit``); how many ran."""
        ran = 0
        while limit is None or ran < limit:
            task = self.huey.dequeue()
            if task is None:
                break
            self.huey.execute(task)
            ran += 1
        return ran

    def enqueue_periodic(self, now: Any = None) -> int:
        """Queue the periodic tasks due this minute (what huey's scheduler does each minute)."""
        tasks = list(self.huey.read_periodic(now))
        for task in tasks:
            self.huey.enqueue(task)
        return len(tasks)

    def consumer(self, workers: int = 2) -> Any:
        """huey's consumer for `cadreflow worker` (threads; it sets the signal handlers in ``run``)."""
        return self.huey.create_consumer(workers=workers, worker_type="thread", periodic=True)

    def start_embedded(self) -> None:
        """Run jobs in a daemon thread of this process (the SQLite default of `cadreflow serve`)."""
        if self._thread is not None:
            return
        self.recover()
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="cadreflow-jobs", daemon=True)
        self._thread.start()

    def stop_embedded(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        minute = -1
        while not self._stop.is_set():
            try:
                now = time.time()
                if int(now // 60) != minute:
                    minute = int(now // 60)
                    self.enqueue_periodic()
                if not self.run_pending(limit=10):
                    self._stop.wait(POLL_SECONDS)
            except Exception:  # the thread keeps serving jobs after a broken queue read
                log.exception("embedded job worker")
                self._stop.wait(POLL_SECONDS)


def init_app(app: Any, engine: Engine, config: JobsConfig | None = None) -> JobQueue:
    queue = JobQueue(engine, config or JobsConfig.from_env(app.extensions["cadreflow_config"].instance))
    app.extensions["cadreflow_jobs"] = queue
    return queue


def queue() -> JobQueue:
    """The job queue of the running app."""
    q: JobQueue = current_app.extensions["cadreflow_jobs"]
    return q
