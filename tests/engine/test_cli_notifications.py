"""`cadreflow reminders` and `cadreflow users email`: the reminders run and the address notifications go to."""

from __future__ import annotations

from pathlib import Path

from .test_cli import cli
from .test_cli import instance  # noqa: F401  (the fixture)


def test_reminders_and_email_addresses(instance: Path) -> None:  # noqa: F811
    add = cli(instance, "users", "add", "zhangsan", "--role", "officer", "--email", "zs@example.org",
              "--password-stdin", stdin="correct horse\n")
    assert add.returncode == 0, add.stderr
    bad = cli(instance, "users", "email", "zhangsan", "not-an-address")
    assert bad.returncode == 1 and "电子邮箱：格式不正确" in bad.stderr and "Traceback" not in bad.stderr
    missing = cli(instance, "users", "email", "nobody", "a@example.org")
    assert missing.returncode == 1 and missing.stderr.strip() == "错误：用户不存在：nobody"
    cleared = cli(instance, "users", "email", "zhangsan", "")
    assert cleared.returncode == 0 and cleared.stdout.strip() == "已清除 zhangsan 的电子邮箱"
    first = cli(instance, "reminders")
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "已新增提醒 0 条"
