"""`cadreflow people ...`: import and export the cadre record, enter sanctions (api.md, the cadre record).

Without ``--user`` the command acts as the local operator (like ``cadreflow users add``): it
sees every person and new people go to the root organization unless ``--managing-org``
names another. With ``--user`` it acts as that user, within what the policy lets them do.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path
from typing import Any

import click

from workflow import Actor
from workflow import Engine
from workflow.people.exchange import ImportReport
from workflow.sanctions import kinds

from .cli_base import open_engine
from .cli_base import user_errors


def _engine() -> Engine:
    return open_engine()


def _actor(engine: Engine, user: str | None) -> Actor | None:
    return engine.users.get(user).actor() if user else None


class StageBar:
    """One click progress bar per stage (读取, then 写入) of an import."""

    def __init__(self) -> None:
        self.stage = ""
        self.bar: Any = None
        self.done = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage, self.done = stage, 0
            self.bar = click.progressbar(length=max(total, 1), label=stage, show_pos=True, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@click.group(help="干部信息：导入、导出、处分记录")
def people() -> None:
    pass


def _report(report: ImportReport) -> None:
    for p in report.problems:
        where = p.file + (f"：第{p.row}行" if p.row else "")
        click.echo(f"{where}：{p.message}", err=True)
    status = "已写入" if report.written else "未写入（有错误；用 --partial 导入无误的部分）"
    if report.written and not report.problems:
        status = "已写入"
    click.echo(f"新建{report.created}人，更新{report.updated}人，未变化{report.unchanged}人，"
               f"错误{len(report.problems)}条；{status}")


@people.command("import", help="导入干部任免审批表（.lrmx、.lrm 附同名 .pic、.zip、文件夹）或干部名册（.xlsx）；"
                               "有任何错误时不写入，退出码为1")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--user", default=None, help="以该用户的身份导入（新建的人员归其组织管理）")
@click.option("--managing-org", default=None, help="新建人员的管理组织编码")
@click.option("--partial", is_flag=True, help="有错误时仍写入无误的部分")
@click.option("--dry-run", is_flag=True, help="只检查并报告，不写入")
def people_import(paths: tuple[Path, ...], user: str | None, managing_org: str | None, partial: bool,
                  dry_run: bool) -> None:
    @user_errors
    def run() -> None:
        engine = _engine()
        bar = StageBar()
        try:
            report = engine.people.exchange.run([(str(p), p.name) for p in paths], _actor(engine, user),
                                                managing_org=managing_org, partial=partial, dry_run=dry_run,
                                                progress=bar)
        finally:
            bar.close()
        _report(report)
        if report.problems:
            sys.exit(1)

    run()


@people.command("export", help="导出干部信息：--format lrmx（每人一个 .lrmx，-o 为文件夹或 .zip）或 xlsx（干部名册）")
@click.option("--format", "fmt", type=click.Choice(["lrmx", "xlsx"]), required=True)
@click.option("-o", "output", required=True, type=click.Path(path_type=Path))
@click.option("--user", default=None, help="以该用户的身份导出（按其查阅范围，登记在其名下）")
def people_export(fmt: str, output: Path, user: str | None) -> None:
    @user_errors
    def run() -> None:
        engine = _engine()
        actor = _actor(engine, user)
        if fmt == "xlsx":
            content, count = engine.people.exchange.roster(actor)
            output.write_bytes(content)
        else:
            count = _export_lrmx(engine, actor, output)
        engine.access.record(actor, "export", "export", detail=f"干部信息（{fmt}）{count}人")
        click.echo(f"已导出{count}人：{output}")

    run()


def _export_lrmx(engine: Engine, actor: Actor | None, output: Path) -> int:
    files = engine.people.exchange.lrmx_files(actor)
    count = 0
    if output.suffix.lower() == ".zip":
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in files:
                z.writestr(name, data)
                count += 1
        return count
    output.mkdir(parents=True, exist_ok=True)
    for name, data in files:
        (output / name).write_bytes(data)
        count += 1
    return count


@people.command("sanction", help="登记处分、问责、组织处理或诫勉（影响期按类别计算；类别见 cadreflow people kinds）")
@click.argument("person_id", type=int)
@click.option("--kind", required=True)
@click.option("--decided-on", required=True, help="决定日期 YYYY-MM-DD")
@click.option("--decided-by", required=True, help="决定机关")
@click.option("--reason", required=True, help="事由")
@click.option("--document-no", default="", help="决定文号")
@click.option("--user", required=True, help="登记人（须有登记影响期的权限）")
def people_sanction(person_id: int, kind: str, decided_on: str, decided_by: str, reason: str, document_no: str,
                    user: str) -> None:
    @user_errors
    def run() -> None:
        engine = _engine()
        actor = engine.users.get(user).actor()
        s = engine.people.add_sanction(person_id, {"kind": kind, "decided_on": decided_on, "decided_by": decided_by,
                                                   "reason": reason, "document_no": document_no}, actor)
        click.echo(f"已登记{s.label}（编号{s.id}）：影响期{s.period_text}")

    run()


@people.command("kinds", help="列出处分类别、影响期（月）和依据")
def people_kinds() -> None:
    for k in kinds():
        months = "无截止" if k.months is None else f"{k.months}个月"
        click.echo(f"{k.kind}\t{months}\t{k.source}")
