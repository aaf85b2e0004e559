"""What each kind of job does, how a worker runs one, and how its file is handed out.

A job runs as the user who asked for it (their roles and need-to-know at run time) and
renders through the same documents path as a download in the request: the history PDF
is registered in 查阅登记 and watermarked for the requester; the roster export is
registered as an export. At download the job's file goes only to its requester, after
their need-to-know is checked again and the download registered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from workflow import Actor
from workflow import Engine
from workflow.errors import NotFound
from workflow.errors import WorkflowError
from workflow.jobs import JobView

log = logging.getLogger(__name__)
HISTORY_PDF, ROSTER_XLSX = "history_pdf", "roster_xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KIND_LABELS = {HISTORY_PDF: "案件全程记录 PDF", ROSTER_XLSX: "干部名册 Excel"}
INTERNAL = "生成失败：系统内部错误，请稍后重新提交；仍失败请联系管理员"
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Output:
    content: bytes
    name: str
    content_type: str


def requester(engine: Engine, username: str) -> Actor:
    user = engine.users.find(username)
    if user is None or not user.active:
        raise NotFound(f"申请人账号 {username} 已不存在或已停用，任务无法继续")
    return user.actor()


def history_pdf(engine: Engine, job: JobView, progress: Progress) -> Output:
    from documents import render_history

    assert job.case_id is not None
    actor = requester(engine, job.username)
    pdf = render_history(engine, job.case_id, actor, str(job.params.get("address", "")),
                         detail=f"后台任务{job.id}", progress=progress)
    return Output(pdf, f"案件{job.case_id}全程记录.pdf", "application/pdf")


def roster_xlsx(engine: Engine, job: JobView, progress: Progress) -> Output:
    actor = requester(engine, job.username)
    engine.policy.require(actor, "read_roster")
    progress(0, 1)
    q = str(job.params.get("q", ""))
    org = job.params.get("managing_org")
    content, count = engine.people.exchange.roster(actor, q, str(org) if org else None)
    engine.access.record(actor, "export", "export", detail=f"干部名册（Excel）{count}人，后台任务{job.id}",
                         address=str(job.params.get("address", "")))
    progress(1, 1)
    return Output(content, "干部名册.xlsx", XLSX)


RUNNERS: dict[str, Callable[[Engine, JobView, Progress], Output]] = {
    HISTORY_PDF: history_pdf, ROSTER_XLSX: roster_xlsx}


def run_job(engine: Engine, job_id: int) -> None:
    """Run one job if it is still queued (a job queued twice runs once); record how it ended."""
    job = engine.jobs.claim(job_id)
    if job is None:
        return
    try:
        out = RUNNERS[job.kind](engine, job, lambda done, total: engine.jobs.progress(job_id, done, total))
    except WorkflowError as exc:
        engine.jobs.fail(job_id, f"生成失败：{exc.message}")
    except Exception:  # a job must end failed with a message, never stay "running"
        log.exception("job %s (%s) failed", job_id, job.kind)
        engine.jobs.fail(job_id, INTERNAL)
    else:
        engine.jobs.finish(job_id, out.content, out.name, out.content_type)


def hand_out(engine: Engine, job_id: int, actor: Actor, address: str = "") -> tuple[JobView, bytes]:
    """The finished file of ``actor``'s job: need-to-know checked again, the download registered.

    Anyone else's job, or a case the requester may no longer see, is not found (404).
    """
    job, content = engine.jobs.result(job_id, actor.username)
    if job.kind == HISTORY_PDF:
        assert job.case_id is not None
        engine.get_case(job.case_id, actor)
        engine.access.record(actor, "download", "history_pdf", case_id=job.case_id, detail=f"后台任务{job.id}",
                             address=address)
    else:
        engine.policy.require(actor, "read_roster")
        engine.access.record(actor, "download", "export", detail=f"干部名册（Excel），后台任务{job.id}",
                             address=address)
    return job, content
