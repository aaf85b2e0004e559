"""Background jobs as users see them: queued, running (N of M), done with a file, or failed with a reason.

The queue that runs them (web/jobs: huey on SQLite or Redis) carries only ids; the
row here is the truth, so pages and the API show the same state whatever the backend,
and a worker restart loses nothing. A worker claims a job by moving it from queued to
running in one statement, so a job queued twice still runs once. A job found running
when a worker starts was cut off by a dead worker: ``recover`` queues it again once
(jobs only render files, so running one again is harmless) and fails it after that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update

from .clock import Clock
from .errors import NotFound
from .persistence.db import Database
from .persistence.tables import cases_t
from .persistence.tables import jobs_t

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATUS_LABELS = {QUEUED: "排队中", RUNNING: "正在生成", DONE: "已完成", FAILED: "失败"}
MAX_ATTEMPTS = 2  # a job cut off by a dead worker runs once more, then fails
INTERRUPTED = "后台服务在生成过程中中断，已重试仍未完成，请重新提交"
_COLUMNS = [c for c in jobs_t.c if c.name != "result"]


@dataclass(frozen=True)
class JobView:
    id: int
    kind: str
    username: str
    case_id: int | None
    params: dict[str, Any]
    status: str
    progress: int
    total: int
    message: str
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    result_name: str
    result_type: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def finished(self) -> bool:
        return self.status in (DONE, FAILED)


def _view(row: Any) -> JobView:
    return JobView(**{c.name: getattr(row, c.name) for c in _COLUMNS})


class Jobs:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def create(self, kind: str, username: str, params: dict[str, Any], *, case_id: int | None = None,
               total: int = 0, message: str = "") -> JobView:
        with self.db.write() as conn:
            key = conn.execute(insert(jobs_t).values(
                kind=kind, username=username, case_id=case_id, params=params, status=QUEUED, progress=0,
                total=total, message=message, attempts=0, created_at=self.clock.now(), result_name="",
                result_type="")).inserted_primary_key
        assert key is not None
        return self.get(int(key[0]))

    def get(self, job_id: int) -> JobView:
        with self.db.read() as conn:
            row = conn.execute(select(*_COLUMNS).where(jobs_t.c.id == job_id)).first()
        if row is None:
            raise NotFound(f"任务不存在：{job_id}")
        return _view(row)

    def of_user(self, job_id: int, username: str) -> JobView:
        """The job if ``username`` asked for it; anyone else's is not found (need-to-know)."""
        job = self.get(job_id)
        if job.username != username:
            raise NotFound(f"任务不存在：{job_id}")
        return job

    def of(self, username: str, limit: int = 50) -> list[JobView]:
        """The user's jobs, newest first."""
        with self.db.read() as conn:
            rows = conn.execute(select(*_COLUMNS).where(jobs_t.c.username == username)
                                .order_by(jobs_t.c.id.desc()).limit(limit)).all()
        return [_view(r) for r in rows]

    def result(self, job_id: int, username: str) -> tuple[JobView, bytes]:
        job = self.of_user(job_id, username)
        if job.status != DONE:
            raise NotFound(f"任务{job_id}尚未完成，没有可下载的文件")
        with self.db.read() as conn:
            content = conn.execute(select(jobs_t.c.result).where(jobs_t.c.id == job_id)).scalar_one()
        return job, bytes(content or b"")

    def claim(self, job_id: int) -> JobView | None:
        """Move a queued job to running for this worker; None when it is not queued (run or running elsewhere)."""
        with self.db.write() as conn:
            done = conn.execute(update(jobs_t).where(jobs_t.c.id == job_id, jobs_t.c.status == QUEUED).values(
                status=RUNNING, attempts=jobs_t.c.attempts + 1, started_at=self.clock.now(), message=""))
        return self.get(job_id) if done.rowcount else None

    def progress(self, job_id: int, done: int, total: int) -> None:
        with self.db.write() as conn:
            conn.execute(update(jobs_t).where(jobs_t.c.id == job_id, jobs_t.c.status == RUNNING)
                         .values(progress=done, total=total))

    def finish(self, job_id: int, content: bytes, name: str, content_type: str, message: str = "") -> None:
        with self.db.write() as conn:
            conn.execute(update(jobs_t).where(jobs_t.c.id == job_id).values(
                status=DONE, result=content, result_name=name, result_type=content_type, message=message,
                progress=jobs_t.c.total, finished_at=self.clock.now()))

    def fail(self, job_id: int, message: str) -> None:
        with self.db.write() as conn:
            conn.execute(update(jobs_t).where(jobs_t.c.id == job_id).values(
                status=FAILED, message=message, finished_at=self.clock.now()))

    def recover(self) -> tuple[list[int], list[int]]:
        """Jobs left running by a dead worker: (queued again, failed after their last attempt)."""
        with self.db.write() as conn:
            rows = conn.execute(select(jobs_t.c.id, jobs_t.c.attempts).where(jobs_t.c.status == RUNNING)).all()
            again = [r.id for r in rows if r.attempts < MAX_ATTEMPTS]
            failed = [r.id for r in rows if r.attempts >= MAX_ATTEMPTS]
            if again:
                conn.execute(update(jobs_t).where(jobs_t.c.id.in_(again))
                             .values(status=QUEUED, progress=0, message="后台服务重启，任务已重新排队"))
            if failed:
                conn.execute(update(jobs_t).where(jobs_t.c.id.in_(failed))
                             .values(status=FAILED, message=INTERRUPTED, finished_at=self.clock.now()))
        return again, failed

    def queued(self) -> list[int]:
        with self.db.read() as conn:
            return [int(i) for i in conn.execute(select(jobs_t.c.id).where(jobs_t.c.status == QUEUED)
                                                 .order_by(jobs_t.c.id)).scalars()]

    def case_events(self, case_id: int) -> int:
        """How many history events a case has (its head), to decide whether its PDF is a job."""
        with self.db.read() as conn:
            return int(conn.execute(select(cases_t.c.head_seq).where(cases_t.c.id == case_id)).scalar_one_or_none()
                       or 0)
