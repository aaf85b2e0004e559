"""Files on disk: the database (and its WAL/SHM), the key file, backups and the instance folder are
private to their owner (0600/0700) whatever the umask; the server warns at start when the instance
folder holds files that the group or others may read.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from web import create_app
from web.cli import main
from web.config import AppConfig
from web.config import exposed_files
from workflow import Engine
from workflow import Settings
from workflow.persistence.migrate import upgrade

from ..conftest import HEAD_KEY
from ..conftest import ROOT
from ..conftest import TEST_DEFINITIONS


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.fixture
def loose_umask() -> object:
    previous = os.umask(0o022)
    yield None
    os.umask(previous)


def test_a_new_sqlite_database_and_its_wal_and_shm_are_0600(tmp_path: Path, loose_umask: object) -> None:
    db = tmp_path / "cadreflow.db"
    upgrade(f"sqlite:///{db}")
    engine = Engine(Settings(database_url=f"sqlite:///{db}", head_key=HEAD_KEY, definitions_dir=TEST_DEFINITIONS))
    try:
        engine.sync_definitions()
        engine.users.add("wang", ["officer"], "x")
        files = [db, db.with_name("cadreflow.db-wal"), db.with_name("cadreflow.db-shm")]
        assert all(f.exists() for f in files)  # WAL mode, connection open
        assert [mode(f) for f in files] == [0o600, 0o600, 0o600]
    finally:
        engine.dispose()


def _cli(instance: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CADREFLOW_")}
    env["CADREFLOW_INSTANCE"] = str(instance)
    return subprocess.run([sys.executable, "-m", "web.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False, umask=0o022)


def test_init_and_backup_write_private_files_under_a_loose_umask(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    run = _cli(instance, "init")
    assert run.returncode == 0, run.stderr
    assert mode(instance) == 0o700
    assert mode(instance / "cadreflow.db") == 0o600 and mode(instance / "secret.key") == 0o600
    assert exposed_files(instance) == []
    backup = tmp_path / "backup.db"
    assert _cli(instance, "backup", str(backup)).returncode == 0
    assert mode(backup) == 0o600


def _app(tmp_path: Path, engine: Engine) -> Flask:
    config = AppConfig(instance=tmp_path, database_url=engine.settings.database_url, secret_key="s" * 32)
    return create_app({"CADREFLOW_CONFIG": config}, engine=engine)


def test_the_server_warns_when_instance_files_are_readable_by_others(
        tmp_path: Path, test_engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "secret.key").write_text("k")
    (tmp_path / "secret.key").chmod(0o600)
    with caplog.at_level(logging.WARNING, logger="web.config"):
        _app(tmp_path, test_engine)
    assert not [r for r in caplog.records if r.name == "web.config"]
    (tmp_path / "cadreflow.db").write_bytes(b"")
    (tmp_path / "cadreflow.db").chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="web.config"):
        _app(tmp_path, test_engine)
    warnings = [r.getMessage() for r in caplog.records if r.name == "web.config" and r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "cadreflow.db" in warnings[0] and "chmod 600" in warnings[0]
    assert "secret.key" not in warnings[0]


def test_testing_apps_do_not_check(tmp_path: Path, test_engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "open.txt").write_text("x")
    (tmp_path / "open.txt").chmod(0o644)
    config = AppConfig(instance=tmp_path, database_url=test_engine.settings.database_url, secret_key="s" * 32)
    with caplog.at_level(logging.WARNING, logger="web.config"):
        create_app({"CADREFLOW_CONFIG": config, "TESTING": True}, engine=test_engine)
    assert not [r for r in caplog.records if r.name == "web.config"]


def test_serve_warns_at_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
                              loose_umask: object) -> None:
    instance = tmp_path / "instance"
    runner = CliRunner()
    env = {"CADREFLOW_INSTANCE": str(instance), "CADREFLOW_DATABASE_URL": "", "CADREFLOW_SECRET_KEY": ""}
    assert runner.invoke(main, ["init"], env=env).exit_code == 0
    assert os.umask(0o022) == 0o022  # the command gave the caller's umask back
    (instance / "secret.key").chmod(0o640)
    served: list[tuple[str, int]] = []
    monkeypatch.setattr(Flask, "run", lambda self, host, port, **kw: served.append((host, port)))
    with caplog.at_level(logging.WARNING, logger="web.config"):
        result = runner.invoke(main, ["serve", "--port", "5099"], env=env)
    assert result.exit_code == 0, result.output
    assert served == [("127.0.0.1", 5099)]
    warnings = [r.getMessage() for r in caplog.records if r.name == "web.config"]
    assert len(warnings) == 1 and "secret.key" in warnings[0]
