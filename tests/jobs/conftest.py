"""Job fixtures: the API with a job queue on each backend, and a small threshold so tests stay fast.

Backends: the embedded SQLite queue always; Redis at CADREFLOW_TEST_REDIS_URL (default
127.0.0.1:6379, database 15). Like the PostgreSQL tier, the Redis backend never skips
under CI: an unreachable server fails the run; outside CI it is skipped with the reason.
Each test gets its own queue name, flushed afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from web import create_app
from web.config import AppConfig
from web.jobs import JobQueue
from web.jobs.config import JobsConfig
from workflow import Engine

from ..api.conftest import ApiClient

REDIS_ENV = "CADREFLOW_TEST_REDIS_URL"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
BACKENDS = ["sqlite", "redis"]


def redis_url() -> str:
    """The test Redis; fails under CI and skips elsewhere when it does not answer."""
    url = os.environ.get(REDIS_ENV) or DEFAULT_REDIS
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis backend unavailable at {url} ({exc}): the Redis job tests are mandatory in CI",
                        pytrace=False)
        pytest.skip(f"Redis not reachable at {url}: {exc}")
    return url


@pytest.fixture(params=BACKENDS)
def jobs_config(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[JobsConfig]:
    backend = request.param
    url = redis_url() if backend == "redis" else DEFAULT_REDIS
    config = JobsConfig(backend=backend, sqlite_file=tmp_path / "jobs.db", redis_url=url,
                        name=f"cadreflow-test-{uuid.uuid4().hex[:12]}", embedded_worker=False,
                        history_pdf_events=2, export_rows=1)
    yield config
    if backend == "redis":
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(f"*{config.name}*"):
            client.delete(key)


@pytest.fixture
def japi(test_engine: Engine, tmp_path: Path, jobs_config: JobsConfig) -> ApiClient:
    """The API over the `review` test definition with a job queue that nothing consumes by itself."""
    app = create_app({"TESTING": True, "CADREFLOW_JOBS": jobs_config,
                      "CADREFLOW_CONFIG": AppConfig(tmp_path, test_engine.settings.database_url, "test-secret-key")},
                     engine=test_engine)
    return ApiClient(app, test_engine)


def queue_of(api: ApiClient) -> JobQueue:
    q: JobQueue = api.app.extensions["cadreflow_jobs"]
    return q


def new_worker(api: ApiClient) -> JobQueue:
    """Another worker over the same queue and database, as a restarted `cadreflow worker` would be."""
    return JobQueue(api.engine, queue_of(api).config)
