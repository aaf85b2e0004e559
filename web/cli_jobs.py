"""`cadreflow worker` (the background jobs) and `cadreflow reminders` (临期 and 逾期 notifications)."""

from __future__ import annotations

import logging

import click

from .cli_base import open_engine
from .cli_base import user_errors
from .config import load_config


@click.command(help="运行后台任务（生成较大的全程记录 PDF、名册导出、定时提醒）；Ctrl-C 结束")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 16), help="并行线程数")
@user_errors
def worker(workers: int) -> None:
    from .jobs import JobQueue
    from .jobs.config import JobsConfig

    config = load_config()
    jobs = JobQueue(open_engine(), JobsConfig.from_env(config.instance))
    again, failed = jobs.recover()
    where = jobs.config.redis_url if jobs.config.backend == "redis" else str(jobs.config.sqlite_file)
    click.echo(f"后台任务队列：{jobs.config.backend}（{where}）；"
               f"重新排队 {len(again)} 个、标记失败 {len(failed)} 个中断的任务；"
               f"定时任务：{'、'.join(jobs.periodic) or '无'}")
    logging.basicConfig(level=logging.INFO)
    jobs.consumer(workers).run()


@click.command(help="消息提醒：为临期（N个工作日内到期）和逾期的案件提醒当前办理人（可重复执行，不重复提醒）")
@user_errors
def reminders() -> None:
    added = open_engine().run_reminders()
    click.echo(f"已新增提醒 {added} 条")
