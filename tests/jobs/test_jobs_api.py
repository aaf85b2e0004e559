"""Background jobs through the API on both queue backends: a long history's PDF, progress, restarts, failures."""

from __future__ import annotations

import io

import pikepdf
from werkzeug.test import TestResponse

from workflow.jobs import INTERRUPTED
from workflow.jobs import MAX_ATTEMPTS

from ..api.conftest import ApiClient
from ..api.test_cases import pdf_text
from .conftest import new_worker
from .conftest import queue_of


def _at(api: ApiClient, url: str, who: str) -> TestResponse:
    """GET a URL the API answered with (it carries the /api/v1 prefix)."""
    return api.client.get(url, headers=api.auth(who))


def _long_case(api: ApiClient) -> int:
    return api.case_in("meeting").id  # 3 events: above the tests' threshold of 2


def test_a_short_history_renders_in_the_request(japi: ApiClient) -> None:
    case = japi.case_in("submitted")  # 2 events: at the threshold
    resp = japi.get(f"/cases/{case.id}/history.pdf", "auditor")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF")
    assert japi.engine.jobs.of("aud") == [] and queue_of(japi).pending() == 0


def test_a_long_history_is_a_job_whose_pdf_only_its_requester_downloads(japi: ApiClient) -> None:
    case_id = _long_case(japi)
    resp = japi.get(f"/cases/{case_id}/history.pdf", "auditor")
    assert resp.status_code == 202, resp.get_json()
    body = resp.get_json()
    assert body["kind"] == "history_pdf" and body["status"] == "queued" and body["result_url"] is None
    assert resp.headers["Location"] == body["url"] == f"/api/v1/jobs/{body['id']}"
    again = japi.get(f"/cases/{case_id}/history.pdf", "auditor").get_json()
    assert again["id"] == body["id"]  # asking again while it waits queues nothing more
    assert _at(japi, body["url"], "officer").status_code == 404  # sees the case, not the auditor's job

    assert queue_of(japi).run_pending() == 1
    done = _at(japi, body["url"], "auditor").get_json()
    assert done == {"id": body["id"], "kind": "history_pdf", "status": "done", "progress": 3, "total": 3,
                    "message": "", "result_url": f"/api/v1/jobs/{body['id']}/result"}
    assert _at(japi, done["result_url"], "officer").status_code == 404
    pdf = _at(japi, done["result_url"], "auditor")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    with pikepdf.open(io.BytesIO(pdf.data)) as doc:
        keywords = str(doc.docinfo["/Keywords"])
    rows = [e for e in japi.engine.access.entries(japi.actor("auditor"), case_id=case_id)[0]
            if e.detail == f"后台任务{body['id']}"]
    assert [(e.username, e.action, e.object) for e in rows] == [("aud", "download", "history_pdf")] * 2
    assert f"access:{min(e.seq for e in rows)}" in keywords  # watermarked with the register row of its making
    assert "aud" in pdf_text(pdf)  # and for its requester


def test_the_download_checks_need_to_know_again(japi: ApiClient) -> None:
    case_id = _long_case(japi)
    job = japi.get(f"/cases/{case_id}/history.pdf", "auditor").get_json()
    queue_of(japi).run_pending()
    japi.engine.add_recusal(case_id, "aud", "与被审查人有亲属关系", japi.actor("officer"))
    assert japi.get(f"/jobs/{job['id']}/result", "auditor").status_code == 404


def test_an_invisible_case_is_not_found_before_any_job(japi: ApiClient) -> None:
    case_id = _long_case(japi)
    japi.engine.add_recusal(case_id, "aud", "回避", japi.actor("officer"))
    assert japi.get(f"/cases/{case_id}/history.pdf", "auditor").status_code == 404
    assert japi.engine.jobs.of("aud") == []


def test_progress_is_recorded_step_by_step(japi: ApiClient) -> None:
    case_id = _long_case(japi)
    job_id = japi.get(f"/cases/{case_id}/history.pdf", "auditor").get_json()["id"]
    seen: list[tuple[str, int, int]] = []
    record = japi.engine.jobs.progress

    def spy(job: int, done: int, total: int) -> None:
        record(job, done, total)
        row = japi.engine.jobs.get(job)
        seen.append((row.status, row.progress, row.total))

    japi.engine.jobs.progress = spy  # type: ignore[method-assign]
    queue_of(japi).run_pending()
    assert seen == [("running", 1, 3), ("running", 2, 3), ("running", 3, 3)]
    assert japi.engine.jobs.get(job_id).status == "done"


def test_a_job_survives_a_worker_restart(japi: ApiClient) -> None:
    """Queued while no worker runs; the first worker stops before taking it; a new worker completes it."""
    case_id = _long_case(japi)
    job_id = japi.get(f"/cases/{case_id}/history.pdf", "auditor").get_json()["id"]
    del japi.app.extensions["cadreflow_jobs"].huey  # the first worker is gone (its huey instance with it)
    worker = new_worker(japi)
    assert worker.recover() == ([], []) and worker.pending() == 1
    assert worker.run_pending() == 1
    assert japi.engine.jobs.get(job_id).status == "done"


def test_a_job_cut_off_while_running_runs_again_then_fails(japi: ApiClient) -> None:
    case_id = _long_case(japi)
    job_id = japi.get(f"/cases/{case_id}/history.pdf", "auditor").get_json()["id"]
    first = queue_of(japi)
    for attempt in range(1, MAX_ATTEMPTS + 1):  # a worker takes the task and dies in the middle of it
        assert first.huey.dequeue() is not None and japi.engine.jobs.claim(job_id) is not None
        assert japi.engine.jobs.get(job_id).attempts == attempt
        worker = new_worker(japi)
        again, failed = worker.recover()
        if attempt < MAX_ATTEMPTS:
            assert (again, failed) == ([job_id], [])
            assert japi.get(f"/jobs/{job_id}", "auditor").get_json()["status"] == "queued"
            first = worker
    assert (again, failed) == ([], [job_id])
    body = japi.get(f"/jobs/{job_id}", "auditor").get_json()
    assert body["status"] == "failed" and body["message"] == INTERRUPTED and body["result_url"] is None


def test_a_job_that_runs_once_more_after_a_restart_completes(japi: ApiClient) -> None:
    case_id = _long_case(japi)
    job_id = japi.get(f"/cases/{case_id}/history.pdf", "auditor").get_json()["id"]
    assert queue_of(japi).huey.dequeue() is not None and japi.engine.jobs.claim(job_id) is not None
    worker = new_worker(japi)
    assert worker.recover() == ([job_id], [])
    assert worker.run_pending() == 1
    assert japi.get(f"/jobs/{job_id}", "auditor").get_json()["status"] == "done"


def test_a_failing_job_shows_failed_with_a_message(japi: ApiClient) -> None:
    case_id = _long_case(japi)
    job_id = japi.get(f"/cases/{case_id}/history.pdf", "auditor").get_json()["id"]
    japi.engine.add_recusal(case_id, "aud", "回避", japi.actor("officer"))  # between asking and running
    queue_of(japi).run_pending()
    body = japi.get(f"/jobs/{job_id}", "auditor").get_json()
    assert body["status"] == "failed" and body["result_url"] is None
    assert body["message"] == f"生成失败：案件不存在：{case_id}"
    assert japi.get(f"/jobs/{job_id}/result", "auditor").status_code == 404


def test_an_unexpected_error_fails_the_job_with_a_chinese_message(japi: ApiClient, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from web.jobs import kinds

    def broken(*args: object) -> kinds.Output:
        raise RuntimeError("disk full")

    monkeypatch.setitem(kinds.RUNNERS, kinds.HISTORY_PDF, broken)
    job_id = japi.get(f"/cases/{_long_case(japi)}/history.pdf", "auditor").get_json()["id"]
    queue_of(japi).run_pending()
    body = japi.get(f"/jobs/{job_id}", "auditor").get_json()
    assert body["status"] == "failed" and body["message"] == kinds.INTERNAL


def test_jobs_list_and_unknown_ids(japi: ApiClient) -> None:
    job_id = japi.get(f"/cases/{_long_case(japi)}/history.pdf", "auditor").get_json()["id"]
    assert [j["id"] for j in japi.get("/jobs", "auditor").get_json()] == [job_id]
    assert japi.get("/jobs", "officer").get_json() == []
    assert japi.get("/jobs/999999", "auditor").status_code == 404
    assert japi.get(f"/jobs/{job_id}", None).status_code == 401


def test_a_large_roster_export_is_a_job(japi: ApiClient) -> None:
    japi.person()
    japi.engine.people.create({**{"name": "李四", "gender": "女", "birth_date": "1980-01-01"}}, japi.actor("officer"))
    resp = japi.get("/people.xlsx", "officer")  # 2 people: above the tests' export threshold of 1
    assert resp.status_code == 202, resp.get_json()
    job = resp.get_json()
    assert job["kind"] == "roster_xlsx"
    queue_of(japi).run_pending()
    done = _at(japi, job["url"], "officer").get_json()
    assert done["status"] == "done"
    xlsx = _at(japi, done["result_url"], "officer")
    assert xlsx.status_code == 200 and xlsx.data.startswith(b"PK")
    assert _at(japi, done["result_url"], "off2").status_code == 404
