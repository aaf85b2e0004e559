"""`cadreflow users passwd|grant|revoke` (api.md): --help, one-line Chinese errors, exit codes,
the password rule, sessions ended, and the last active administrator kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from werkzeug.security import check_password_hash

from web.config import load_config
from workflow import Engine
from workflow import Settings
from workflow.settings import DEFAULT_DEFINITIONS

from .test_cli import cli
from .test_cli import instance  # noqa: F401  (the fixture)


def engine_of(folder: Path) -> Engine:
    config = load_config(folder)
    return Engine(Settings(database_url=config.database_url, head_key=b"k" * 32, definitions_dir=DEFAULT_DEFINITIONS))


@pytest.fixture
def people(instance: Path) -> Path:  # noqa: F811
    for name, role in (("adm", "admin"), ("wang", "officer")):
        run = cli(instance, "users", "add", name, "--role", role, "--password-stdin", stdin="Zhang-2026-kaoCha\n")
        assert run.returncode == 0, run.stderr
    return instance


@pytest.mark.parametrize("command", ["passwd", "grant", "revoke"])
def test_each_command_has_help(instance: Path, command: str) -> None:  # noqa: F811
    run = cli(instance, "users", command, "--help")
    assert run.returncode == 0 and "USERNAME" in run.stdout


def test_passwd_sets_a_checked_password_and_ends_sessions(people: Path) -> None:
    eng = engine_of(people)
    user = eng.users.get("wang")
    eng.sessions.start(user.id)
    run = cli(people, "users", "passwd", "wang", "--password-stdin", stdin="Li-si-kaocha-77\n")
    assert run.returncode == 0 and "已重设 wang 的密码" in run.stdout
    assert check_password_hash(eng.users.get("wang").password_hash, "Li-si-kaocha-77")
    assert eng.sessions.open_count(user.id) == 0
    for stdin, message in (("short\n", "错误：密码：至少10位（现为5位）"),
                           ("password123\n", "错误：密码：属于常见密码，容易被猜中，请另选一个")):
        bad = cli(people, "users", "passwd", "wang", "--password-stdin", stdin=stdin)
        assert bad.returncode == 1 and bad.stderr.strip() == message
    missing = cli(people, "users", "passwd", "nobody", "--password-stdin", stdin="Li-si-kaocha-77\n")
    assert missing.returncode == 1 and missing.stderr.strip() == "错误：用户不存在：nobody"
    no_flag = cli(people, "users", "passwd", "wang")
    assert no_flag.returncode == 2 and "--password-stdin" in no_flag.stderr
    eng.dispose()


def test_grant_and_revoke(people: Path) -> None:
    run = cli(people, "users", "grant", "wang", "--role", "reviewer")
    assert run.returncode == 0 and run.stdout.strip() == "wang 现有角色：officer, reviewer"
    run = cli(people, "users", "revoke", "wang", "--role", "officer")
    assert run.returncode == 0 and run.stdout.strip() == "wang 现有角色：reviewer"
    unknown = cli(people, "users", "grant", "wang", "--role", "boss")
    assert unknown.returncode == 1 and len(unknown.stderr.strip().splitlines()) == 1
    assert "没有这种角色：boss" in unknown.stderr and "Traceback" not in unknown.stderr


def test_revoke_is_refused_for_the_last_active_administrator(people: Path) -> None:
    run = cli(people, "users", "revoke", "adm", "--role", "admin")
    assert run.returncode == 1 and len(run.stderr.strip().splitlines()) == 1
    assert "adm 是最后一位能够管理用户和令牌的在用账户，不能取消其相应角色" in run.stderr
    assert cli(people, "users", "grant", "wang", "--role", "admin").returncode == 0
    assert cli(people, "users", "revoke", "adm", "--role", "admin").returncode == 1  # adm's only role
    assert cli(people, "users", "grant", "adm", "--role", "officer").returncode == 0
    assert cli(people, "users", "revoke", "adm", "--role", "admin").returncode == 0  # wang administers now
