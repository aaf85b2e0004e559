"""The `cadreflow` command line: one-line errors, exit codes, and what each command leaves behind."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT


def cli(instance: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CADREFLOW_")}
    full_env.update({"CADREFLOW_INSTANCE": str(instance), **(env or {})})
    return subprocess.run([sys.executable, "-m", "web.cli", *args], cwd=ROOT, env=full_env, input=stdin,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    folder = tmp_path / "instance"
    run = cli(folder, "init")
    assert run.returncode == 0, run.stderr
    return folder


def test_init_creates_database_and_a_private_key_and_is_idempotent(instance: Path) -> None:
    assert (instance / "cadreflow.db").exists()
    key = instance / "secret.key"
    assert key.stat().st_mode & 0o777 == 0o600
    before = key.read_text()
    again = cli(instance, "init")
    assert again.returncode == 0 and key.read_text() == before


def test_users_tokens_and_errors(instance: Path) -> None:
    add = cli(instance, "users", "add", "zhangsan", "--role", "officer", "--name", "张三", "--password-stdin",
              stdin="correct horse\n")
    assert add.returncode == 0, add.stderr
    token = cli(instance, "tokens", "create", "zhangsan")
    assert token.returncode == 0 and len(token.stdout.splitlines()) == 1 and token.stdout.startswith("cfw_")
    dup = cli(instance, "users", "add", "zhangsan", "--role", "officer", "--password-stdin", stdin="another-pass-99\n")
    assert dup.returncode == 1
    assert dup.stderr.strip() == "错误：提交的内容有误，请按提示修改：用户名：zhangsan 已存在"
    assert "Traceback" not in dup.stderr
    short = cli(instance, "users", "add", "lisi", "--role", "officer", "--password-stdin", stdin="123\n")
    assert short.returncode == 1 and short.stderr.strip() == "错误：密码：至少10位（现为3位）"
    missing = cli(instance, "tokens", "create", "nobody")
    assert missing.returncode == 1 and missing.stderr.strip() == "错误：用户不存在：nobody"
    listed = cli(instance, "tokens", "list")
    assert "zhangsan" in listed.stdout and token.stdout.strip() not in listed.stdout


def test_verify_backup_and_restore(instance: Path, tmp_path: Path) -> None:
    cli(instance, "users", "add", "wang", "--role", "officer", "--password-stdin", stdin="Zhang-2026-kaoCha\n")
    ok = cli(instance, "verify")
    assert ok.returncode == 0 and "核验通过" in ok.stdout
    target = tmp_path / "backup.db"
    backup = cli(instance, "backup", str(target))
    assert backup.returncode == 0, backup.stderr
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT username FROM users").fetchall() == [("wang",)]
    again = cli(instance, "backup", str(target))
    assert again.returncode == 1 and "已存在" in again.stderr
    restored = cli(instance, "verify", env={"CADREFLOW_DATABASE_URL": f"sqlite:///{target}"})
    assert restored.returncode == 0, restored.stdout + restored.stderr


def test_backup_on_postgresql_prints_the_pg_dump_command(instance: Path) -> None:
    run = cli(instance, "backup", "/tmp/x.dump",
              env={"CADREFLOW_DATABASE_URL": "postgresql+psycopg://cadre@db.example:5433/cadreflow"})
    assert run.returncode == 0
    assert run.stdout.strip() == ("pg_dump --format=custom --file=/tmp/x.dump --host=db.example --port=5433 "
                                  "--username=cadre cadreflow")


def test_calendar_refuses_unknown_year_then_imports_it(instance: Path, tmp_path: Path) -> None:
    unknown = cli(instance, "calendar", "list", "2027")
    assert unknown.returncode == 1 and "2027年的法定节假日安排尚未录入" in unknown.stderr
    schedule = tmp_path / "2027.txt"
    schedule.write_text("# 国务院办公厅关于2027年部分节假日安排的通知（示例）\n"
                        "2027-01-01~2027-01-03 休 元旦\n2027-02-06~2027-02-12 休 春节\n2027-02-14 班 春节调休\n",
                        encoding="utf-8")
    imported = cli(instance, "calendar", "import", "2027", str(schedule))
    assert imported.returncode == 0 and "2027年安排已录入：11天" in imported.stdout
    listed = cli(instance, "calendar", "list", "2027")
    assert "2027-02-14\t班\t春节调休" in listed.stdout and "2027-02-08\t休\t春节" in listed.stdout
    bad = tmp_path / "bad.txt"
    bad.write_text("2027-02-30 休 无效\n", encoding="utf-8")
    wrong = cli(instance, "calendar", "import", "2027", str(bad))
    assert wrong.returncode == 1 and wrong.stderr.strip() == "错误：第1行日期无效：2027-02-30"


def test_commands_without_init_say_so(tmp_path: Path) -> None:
    run = cli(tmp_path / "empty", "verify")
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_organizations_and_users_placed_in_them(instance: Path) -> None:
    """分级管理 from the command line: a city department with a district under it, users in each."""
    assert cli(instance, "orgs", "add", "donghu", "--name", "东湖区委组织部").returncode == 0
    assert cli(instance, "orgs", "add", "dh-jd", "--name", "东湖区某街道", "--parent", "donghu").returncode == 0
    listed = cli(instance, "orgs", "list").stdout.splitlines()
    assert [line.split("\t")[0] for line in listed] == ["root", "  donghu", "    dh-jd"]
    assert listed[2].split("\t")[2] == "donghu"
    dup = cli(instance, "orgs", "add", "donghu", "--name", "又一个")
    assert dup.returncode == 1 and dup.stderr.strip() == "错误：提交的内容有误，请按提示修改：组织编码：donghu 已存在"
    orphan = cli(instance, "orgs", "add", "xs", "--name", "西山", "--parent", "nowhere")
    assert orphan.returncode == 1 and orphan.stderr.strip() == "错误：组织不存在：nowhere"
    add = cli(instance, "users", "add", "dh_off", "--role", "officer", "--org", "donghu", "--password-stdin",
              stdin="江州 secure Ledger 2026\n")
    assert add.returncode == 0, add.stderr
    wrong = cli(instance, "users", "add", "x_off", "--role", "officer", "--org", "nowhere", "--password-stdin",
                stdin="江州 secure Ledger 2026\n")
    assert wrong.returncode == 1 and "所属组织：没有编码为“nowhere”的组织" in wrong.stderr
    users = {line.split("\t")[0]: line.split("\t")[3] for line in cli(instance, "users", "list").stdout.splitlines()}
    assert users == {"dh_off": "donghu"}
    renamed = cli(instance, "orgs", "rename", "donghu", "--name", "  ")
    assert renamed.returncode == 1 and "组织名称：此项为必填项" in renamed.stderr
