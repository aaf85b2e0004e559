"""The `cadreflow` command line (api.md). Every command goes through the engine.

User errors print one line on stderr and exit non-zero; no tracebacks.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import click
from sqlalchemy.engine import make_url

from documents import form_reads
from documents.signing import create_self_signed
from workflow import Engine
from workflow.definition import definition_files
from workflow.loading import check_files
from workflow.loading import load
from workflow.persistence.migrate import upgrade
from workflow.policy.roles import roles_path
from workflow.settings import DEFAULT_DEFINITIONS
from workflow.workdays import parse_schedule

from .cli_base import fail
from .cli_base import open_engine
from .cli_base import user_errors
from .cli_jobs import reminders
from .cli_jobs import worker
from .cli_orgs import orgs
from .cli_pdf import verify_pdf
from .cli_people import people
from .config import SIGNING_FILE
from .config import ensure_secret
from .config import load_config
from .passwords import hash_password
from .passwords import password_problem


@click.group(help="cadreflow：干部选拔任用、考察与容错纠错的工作流引擎")
@click.pass_context
def main(ctx: click.Context) -> None:
    # Every file a command writes (the database and its WAL/SHM, the key file, backups, exported
    # PDFs) is readable by its owner only; the caller's umask comes back when the command ends.
    previous = os.umask(0o077)
    ctx.call_on_close(lambda: os.umask(previous))


@main.command(help="创建或迁移数据库到最新结构（可重复执行）")
@user_errors
def init() -> None:
    config = ensure_secret(load_config())
    if config.database_url.startswith("sqlite"):
        Path(make_url(config.database_url).database or "").parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    upgrade(config.database_url)
    if config.signing_pkcs12 is None:
        config.instance.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = create_self_signed(config.instance / SIGNING_FILE, config.organization)
        click.echo(f"已生成自签名的文书签名证书：{key}（机构可用 CADREFLOW_SIGNING_PKCS12 改用本单位 CA 签发的证书）")
        config = load_config(config.instance)
    Engine(config.settings(), forms=form_reads()).sync_definitions()
    click.echo(f"数据库已就绪：{make_url(config.database_url).render_as_string(hide_password=True)}")


@main.command(help="初始化并载入演示用户、人员和各流程的案件（可重复执行）")
@user_errors
def demo() -> None:
    init.callback()  # type: ignore[misc]
    engine = open_engine()
    try:
        from .demo import load_demo
    except ModuleNotFoundError:
        fail("演示数据模块尚未提供")
        return
    summary = load_demo(engine)
    click.echo(summary)


@main.command(help="运行 Web 应用（开发服务器；生产环境请用 gunicorn，见 README）")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@user_errors
def serve(host: str, port: int) -> None:
    from . import create_app

    app = create_app()
    jobs = app.extensions["cadreflow_jobs"]
    if jobs.config.embedded_worker:  # the SQLite default: jobs run in this process, no other server needed
        jobs.start_embedded()
    try:
        app.run(host=host, port=port, debug=False, use_reloader=False, threaded=True)
    finally:
        jobs.stop_embedded()


@main.group(help="用户管理")
def users() -> None:
    pass


@users.command("add", help="新建用户；密码从标准输入读取（--password-stdin）")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, help="角色（definitions/roles.yaml 所列），可多次给出")
@click.option("--name", default="", help="显示名")
@click.option("--unit", default="", help="单位")
@click.option("--org", default=None, help="所属组织编码（cadreflow orgs list）；不给出时为本部（root）")
@click.option("--password-stdin", is_flag=True, required=True, help="从标准输入读取密码")
@click.option("--email", default="", help="电子邮箱（配置了 SMTP 时消息通知也发到此邮箱）")
@user_errors
def users_add(username: str, roles: tuple[str, ...], name: str, unit: str, org: str | None,
              password_stdin: bool, email: str) -> None:
    password = _read_password(username)
    engine = open_engine()
    engine.users.add(username, list(roles), hash_password(password), name=name, unit=unit, org=org)
    if email:
        engine.users.set_email(username, email)
    click.echo(f"已创建用户 {username}（{', '.join(roles)}）")


def _read_password(username: str) -> str:
    """One line from standard input, checked against the password rule (web.passwords)."""
    password = sys.stdin.readline().rstrip("\r\n")
    problem = password_problem(password, username, label="密码")
    if problem:
        fail(problem)
    return password


@users.command("passwd", help="重设用户的密码（从标准输入读取）；该用户已登录的会话全部失效")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, required=True, help="从标准输入读取新密码")
@user_errors
def users_passwd(username: str, password_stdin: bool) -> None:
    engine = open_engine()
    user = engine.users.get(username)
    engine.users.update(username, password_hash=hash_password(_read_password(username)))
    engine.users.clear_account_failures(user.id)
    click.echo(f"已重设 {username} 的密码，其已登录的会话均已失效")


@users.command("grant", help="为用户授予角色（definitions/roles.yaml 所列）；该用户已登录的会话失效")
@click.argument("username")
@click.option("--role", required=True, help="角色")
@user_errors
def users_grant(username: str, role: str) -> None:
    user = open_engine().users.grant(username, role)
    click.echo(f"{username} 现有角色：{', '.join(user.roles)}")


@users.command("revoke", help="取消用户的角色；不能取消最后一位在用管理员的管理权限")
@click.argument("username")
@click.option("--role", required=True, help="角色")
@user_errors
def users_revoke(username: str, role: str) -> None:
    user = open_engine().users.revoke(username, role)
    click.echo(f"{username} 现有角色：{', '.join(user.roles)}")


@users.command("email", help="设置用户的电子邮箱（消息通知的邮件发到此处）；给出空字符串即清除")
@click.argument("username")
@click.argument("address")
@user_errors
def users_email(username: str, address: str) -> None:
    open_engine().users.set_email(username, address)
    click.echo(f"已设置 {username} 的电子邮箱：{address}" if address.strip() else f"已清除 {username} 的电子邮箱")


@users.command("list", help="列出用户")
@user_errors
def users_list() -> None:
    for u in open_engine().users.all():
        state = "" if u.active else "（已停用）"
        click.echo(f"{u.username}\t{u.name}\t{','.join(u.roles)}\t{u.org_code}\t{u.unit}{state}")


@main.group(help="API 令牌")
def tokens() -> None:
    pass


@tokens.command("create", help="为用户生成新的 API 令牌（只显示一次）")
@click.argument("username")
@click.option("--note", default="", help="备注")
@user_errors
def tokens_create(username: str, note: str) -> None:
    click.echo(open_engine().users.create_token(username, note))


@tokens.command("list", help="列出令牌（不显示令牌本身）")
@click.option("--user", "username", default=None)
@user_errors
def tokens_list(username: str | None) -> None:
    for t in open_engine().users.tokens(username):
        state = f"已吊销 {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "有效"
        used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "未使用"
        click.echo(f"{t.id}\t{t.username}\t{t.prefix}…\t{state}\t最近使用 {used}\t{t.note}")


@tokens.command("revoke", help="吊销令牌")
@click.argument("token_id", type=int)
@user_errors
def tokens_revoke(token_id: int) -> None:
    open_engine().users.revoke_token(token_id)
    click.echo(f"令牌 {token_id} 已吊销")


@main.group(help="流程定义")
def definitions() -> None:
    pass


@definitions.command("check", help="校验流程定义文件；每个问题一行 file:line: message")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def definitions_check(paths: tuple[Path, ...]) -> None:
    files: list[Path] = []
    for p in paths or (DEFAULT_DEFINITIONS,):
        files += definition_files(p) if p.is_dir() else [p]
    roles = roles_path(paths[0].parent if paths and not paths[0].is_dir() else (paths[0] if paths else
                                                                                   DEFAULT_DEFINITIONS))
    good, problems = check_files(files, roles, form_reads())
    for problem in problems:
        click.echo(problem)
    if problems:
        click.echo(f"{len(problems)}个问题", err=True)
        sys.exit(1)
    click.echo(f"{len(good)}个流程定义校验通过", err=True)


@definitions.command("diagram", help="输出流程的状态图（SVG）")
@click.argument("key")
@click.option("-o", "output", type=click.Path(path_type=Path), default=None)
@user_errors
def definitions_diagram(key: str, output: Path | None) -> None:
    from documents.diagram import definition_svg

    registry, _ = load(DEFAULT_DEFINITIONS, form_reads())
    svg = definition_svg(registry.get(key))
    if output is None:
        click.echo(svg)
    else:
        output.write_text(svg, encoding="utf-8")
        click.echo(f"已写入 {output}", err=True)


@main.command(help="重新计算全部历史记录链；有问题时退出码为1")
@user_errors
def verify() -> None:
    engine = open_engine()
    started = time.perf_counter()
    report = engine.verify()
    elapsed = time.perf_counter() - started
    for p in report.problems:
        if p.person_id is not None:
            click.echo(f"{p.problem}" + (f"（第{p.seq}条变更记录）" if p.seq is not None else ""))
            continue
        where = f"案件{p.case_id}" if p.case_id is not None else "全库"
        seq = f" 事件{p.seq}" if p.seq is not None else ""
        click.echo(f"{where}{seq}：{p.problem}")
    rate = report.events / elapsed if elapsed > 0 else 0.0
    status = "通过" if report.ok else f"发现{len(report.problems)}个问题"
    click.echo(f"核验{status}：{report.cases}个案件，{report.events}个事件，{report.people}名干部的"
               f"{report.person_entries}条变更记录，用时{elapsed:.2f}秒（{rate:,.0f}事件/秒）")
    if not report.ok:
        sys.exit(1)


@main.command(help="导出案件全程记录 PDF（附 SHA-256 清单）")
@click.argument("case_ids", nargs=-1, type=int)
@click.option("--all", "all_cases", is_flag=True, help="导出全部案件")
@click.option("--year", type=int, default=None, help="只导出该年发起的案件（与 --all 同用）")
@click.option("-o", "output", required=True, type=click.Path(path_type=Path))
@click.option("--jobs", type=int, default=2, show_default=True, help="并行进程数")
@click.option("--user", default=None, help="以该用户的身份导出（按其查阅范围，登记在其名下）；不给出时为本机运维导出")
@user_errors
def export(case_ids: tuple[int, ...], all_cases: bool, year: int | None, output: Path, jobs: int,
           user: str | None) -> None:
    from documents.export import run_export

    if not case_ids and not all_cases:
        fail("请给出案件编号，或使用 --all")
    engine = open_engine()
    actor = engine.users.get(user).actor() if user else None
    run_export(engine, list(case_ids), all_cases, year, output, jobs, actor)


@main.command(help="数据库在线一致性备份（SQLite 备份接口；PostgreSQL 打印 pg_dump 命令）")
@click.argument("file", type=click.Path(path_type=Path))
@user_errors
def backup(file: Path) -> None:
    config = load_config()
    url = make_url(config.database_url)
    if url.get_backend_name() == "postgresql":
        parts = ["pg_dump", "--format=custom", f"--file={file}"]
        if url.host:
            parts.append(f"--host={url.host}")
        if url.port:
            parts.append(f"--port={url.port}")
        if url.username:
            parts.append(f"--username={url.username}")
        parts.append(url.database or "")
        click.echo(" ".join(parts))
        return
    source = url.database or ""
    if not Path(source).exists():
        fail(f"数据库文件不存在：{source}")
    if file.exists():
        fail(f"目标文件已存在：{file}")
    os.close(os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # private, whatever the umask
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(file)
    try:
        # One step, one read snapshot: in WAL mode the writers carry on meanwhile. Copying in
        # slices restarts from the first page whenever another connection commits between two
        # slices, so under steady writes a database of a few MiB took minutes, or never ended.
        src.backup(dst, pages=-1)
    finally:
        dst.close()
        src.close()
    click.echo(f"已备份到 {file}")


@main.group(help="工作日历（法定节假日与调休）")
def calendar() -> None:
    pass


@calendar.command("set", help="把某天设为节假日（休）或工作日（班）")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.argument("kind", type=click.Choice(["休", "班", "holiday", "workday"]))
@click.option("--name", default="", help="名称，如 春节")
@user_errors
def calendar_set(day: Any, kind: str, name: str) -> None:
    engine = open_engine()
    workday = kind in ("班", "workday")
    engine.calendar.set_day(day.date(), workday, name, "cli")
    click.echo(f"{day.date().isoformat()} 已设为{'工作日' if workday else '节假日'}")


@calendar.command("import", help="录入一年的节假日安排（国务院办公厅通知）；每行：YYYY-MM-DD[~YYYY-MM-DD] 休|班 名称")
@click.argument("year", type=int)
@click.argument("file", type=click.File("r", encoding="utf-8"))
@user_errors
def calendar_import(year: int, file: Any) -> None:
    items = parse_schedule(file.read())
    engine = open_engine()
    count = engine.calendar.import_year(year, items, getattr(file, "name", ""), "cli")
    click.echo(f"{year}年安排已录入：{count}天")


@calendar.command("list", help="列出某年的节假日与调休上班日")
@click.argument("year", type=int)
@click.option("--all-days", is_flag=True, help="列出每一天")
@user_errors
def calendar_list(year: int, all_days: bool) -> None:
    cal = open_engine().calendar.calendar()
    days = cal.year_days(year)
    work = 0
    for day, workday, name in days:
        work += workday
        weekend = day.weekday() >= 5
        special = (not workday and not weekend) or (workday and weekend)
        if all_days or special:
            click.echo(f"{day.isoformat()}\t{'班' if workday else '休'}\t{name}")
    click.echo(f"{year}年共{work}个工作日", err=True)


def today() -> date:
    return date.today()


main.add_command(orgs)
main.add_command(people)
main.add_command(verify_pdf)
main.add_command(worker)
main.add_command(reminders)

if __name__ == "__main__":
    main()
