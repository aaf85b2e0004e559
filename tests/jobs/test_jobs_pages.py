"""我的任务 pages, the in-process worker of `cadreflow serve`, and the periodic-job registration point."""

from __future__ import annotations

import time
from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
from flask import Flask

from tests.conftest import EngineFactory
from tests.web.conftest import WEB_DEFINITIONS
from web.jobs import JobQueue
from web.jobs import periodic
from web.jobs.config import JobsConfig
from workflow import Engine

from ..web.helpers import add_web_users
from ..web.helpers import login
from ..web.helpers import make_app
from ..web.helpers import review_case
from ..web.helpers import text


@pytest.fixture
def jobs_app(make_engine: EngineFactory, tmp_path: Any, jobs_config: JobsConfig) -> Flask:
    eng = make_engine(WEB_DEFINITIONS)
    add_web_users(eng)
    return make_app(eng, tmp_path, CADREFLOW_JOBS=jobs_config)


def _signed_in(app: Flask, username: str) -> Any:
    client = app.test_client()
    assert login(client, username).status_code == 303
    return client


def test_the_page_shows_progress_then_the_download_for_its_requester_only(jobs_app: Flask) -> None:
    eng: Engine = jobs_app.extensions["cadreflow"]
    case_id = review_case(eng, upto="meeting")  # 3 events: above the tests' threshold of 2
    auditor = _signed_in(jobs_app, "auditor")
    resp = auditor.get(f"/cases/{case_id}/history.pdf")
    assert resp.status_code == 303 and "/jobs/" in resp.headers["Location"]
    page = text(auditor.get(resp.headers["Location"]))
    assert "正在生成，完成后可下载" in page and 'http-equiv="refresh"' in page
    assert jobs_app.extensions["cadreflow_jobs"].run_pending() == 1
    done = text(auditor.get(resp.headers["Location"]))
    assert "已生成完毕" in done and 'http-equiv="refresh"' not in done
    assert "案件全程记录 PDF" in text(auditor.get("/jobs"))
    job_id = int(resp.headers["Location"].rsplit("/", 1)[1])
    pdf = auditor.get(f"/jobs/{job_id}/download")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    officer = _signed_in(jobs_app, "officer")  # sees the case, but not the auditor's job
    assert officer.get(f"/jobs/{job_id}").status_code == 404
    assert officer.get(f"/jobs/{job_id}/download").status_code == 404
    assert "暂无后台任务" in text(officer.get("/jobs"))


def test_the_embedded_worker_runs_jobs_in_the_web_process(jobs_app: Flask) -> None:
    eng: Engine = jobs_app.extensions["cadreflow"]
    queue: JobQueue = jobs_app.extensions["cadreflow_jobs"]
    job = queue.history_pdf(review_case(eng, upto="meeting"), eng.users.get("auditor").actor(), "127.0.0.1")
    assert job is not None
    queue.start_embedded()
    try:
        deadline = time.monotonic() + 60
        while not eng.jobs.get(job.id).finished and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        queue.stop_embedded()
    assert eng.jobs.get(job.id).status == "done"


def test_periodic_jobs_are_registered_and_run_with_the_engine_and_its_clock(
        jobs_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    eng: Engine = jobs_app.extensions["cadreflow"]
    assert JobQueue(eng, jobs_app.extensions["cadreflow_jobs"].config).periodic == ["reminders"]
    calls: list[tuple[Engine, datetime]] = []
    monkeypatch.setattr(periodic, "PERIODIC", [
        periodic.Periodic("fake", lambda engine, now: calls.append((engine, now)))])
    queue = JobQueue(eng, jobs_app.extensions["cadreflow_jobs"].config)
    assert queue.periodic == ["fake"]
    assert queue.enqueue_periodic(datetime(2026, 11, 25, 2, 15, tzinfo=UTC).replace(tzinfo=None)) == 1
    assert queue.run_pending() == 1
    assert calls == [(eng, eng.clock.now())]
