"""The settings of background jobs: which queue, where it lives, and when a download becomes a job.

Embedded default: huey on a SQLite file beside the instance database (``jobs.db`` in the
instance folder, or CADREFLOW_JOBS_FILE), and ``cadreflow serve`` runs the jobs in a
thread of its own process, so ``make demo`` needs no other server. Production: set
CADREFLOW_REDIS_URL (or CADREFLOW_JOBS_BACKEND=redis) and run ``cadreflow worker``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..config import ConfigError
from ..config import env_bool
from ..config import env_int

BACKENDS = ("sqlite", "redis")
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"


@dataclass(frozen=True)
class JobsConfig:
    backend: str = "sqlite"
    sqlite_file: Path = Path("instance/jobs.db")
    redis_url: str = DEFAULT_REDIS
    name: str = "cadreflow"  # the queue's name (Redis keys, huey's table rows)
    embedded_worker: bool = True  # `cadreflow serve` runs the jobs in a thread of its own
    history_pdf_events: int = 300  # a case with more events gets its history PDF as a job
    export_rows: int = 2000  # a roster export with more rows is a job

    @staticmethod
    def from_env(instance: Path) -> JobsConfig:
        redis_url = os.environ.get("CADREFLOW_REDIS_URL", "").strip()
        backend = os.environ.get("CADREFLOW_JOBS_BACKEND", "").strip().lower() or ("redis" if redis_url else "sqlite")
        if backend not in BACKENDS:
            raise ConfigError(f"CADREFLOW_JOBS_BACKEND 只能是 sqlite 或 redis（现为 {backend!r}）")
        file = os.environ.get("CADREFLOW_JOBS_FILE", "").strip()
        embedded = env_bool("CADREFLOW_EMBEDDED_WORKER")
        return JobsConfig(
            backend=backend, sqlite_file=Path(file) if file else instance / "jobs.db",
            redis_url=redis_url or DEFAULT_REDIS, name=os.environ.get("CADREFLOW_JOBS_NAME", "").strip() or "cadreflow",
            embedded_worker=(backend == "sqlite") if embedded is None else embedded,
            history_pdf_events=env_int("CADREFLOW_HISTORY_PDF_JOB_EVENTS", 300, 1, 10**9),
            export_rows=env_int("CADREFLOW_EXPORT_JOB_ROWS", 2000, 1, 10**9))
