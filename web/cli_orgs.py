"""`cadreflow orgs`: the organization tree (干部管理权限, 分级管理)."""

from __future__ import annotations

import click

from .cli_base import open_engine
from .cli_base import user_errors


@click.group(help="组织（干部管理权限，分级管理）")
def orgs() -> None:
    pass


@orgs.command("add", help="新建组织；--parent 为上级组织编码（不给出时为本部 root）")
@click.argument("code")
@click.option("--name", required=True, help="组织名称，如 东湖区委组织部")
@click.option("--parent", default=None, help="上级组织编码")
@user_errors
def orgs_add(code: str, name: str, parent: str | None) -> None:
    org = open_engine().orgs.add(code, name, parent)
    click.echo(f"已创建组织 {org.code}（{org.name}）")


@orgs.command("list", help="按层级列出组织")
@user_errors
def orgs_list() -> None:
    items = open_engine().orgs.all()
    codes = {o.id: o.code for o in items}
    for o in items:
        depth = o.path.count("/") - 2
        click.echo(f"{'  ' * depth}{o.code}\t{o.name}\t{codes.get(o.parent_id or 0, '')}")


@orgs.command("rename", help="更改组织名称")
@click.argument("code")
@click.option("--name", required=True)
@user_errors
def orgs_rename(code: str, name: str) -> None:
    org = open_engine().orgs.rename(code, name)
    click.echo(f"已更名为 {org.name}")
