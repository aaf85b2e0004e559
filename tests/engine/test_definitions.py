"""Definitions as data: golden bad files, the shipped files, versions and content hashes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workflow import DefinitionError
from workflow import Engine
from workflow import FixedClock
from workflow import Settings
from workflow.definition import definition_files
from workflow.loading import check_files
from workflow.loading import load
from workflow.policy.roles import roles_path
from workflow.settings import DEFAULT_DEFINITIONS

from ..conftest import HEAD_KEY
from ..conftest import ROOT
from ..conftest import TEST_DEFINITIONS
from ..conftest import add_users

INVALID = ROOT / "tests" / "definitions" / "invalid"
CLI = [sys.executable, "-m", "web.cli"]


@pytest.mark.parametrize("name", sorted(p.stem for p in INVALID.glob("*.yaml")))
def test_golden_bad_file_reports_every_problem(name: str) -> None:
    """`cadreflow definitions check` prints exactly the pinned `file:line: message` lines and exits 1."""
    run = subprocess.run([*CLI, "definitions", "check", f"{name}.yaml"], cwd=INVALID, capture_output=True,
                         text=True, check=False)
    assert run.returncode == 1
    expected = (INVALID / f"{name}.expected").read_text(encoding="utf-8").splitlines()
    assert run.stdout.splitlines() == expected
    assert len(expected) >= 1


def test_every_problem_is_reported_not_just_the_first() -> None:
    _, problems = check_files([INVALID / "params.yaml"], roles_path(INVALID))
    assert len(problems) >= 10


def test_shipped_definitions_pass() -> None:
    run = subprocess.run([*CLI, "definitions", "check"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout == ""


def test_the_test_definition_loads_with_its_hash() -> None:
    registry = load(TEST_DEFINITIONS)[0]
    d = registry.get("review")
    assert d.version == 1 and len(d.content_hash) == 64
    assert d.state("draft") is not None and d.initial.name == "draft"
    assert [t.trigger for t in d.transitions_from("submitted")] == ["withdraw", "to_meeting", "return"]


def _copy_definitions(tmp_path: Path) -> Path:
    folder = tmp_path / "defs"
    folder.mkdir()
    shutil.copy(TEST_DEFINITIONS / "review.yaml", folder / "review.yaml")
    return folder


def test_changed_file_under_a_used_version_is_refused(db_url: str, clock: FixedClock, tmp_path: Path) -> None:
    folder = _copy_definitions(tmp_path)
    settings = Settings(database_url=db_url, head_key=HEAD_KEY, definitions_dir=folder)
    first = Engine(settings, clock=clock)
    first.sync_definitions()
    first.dispose()
    path = folder / "review.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: 测试审查流程", "title: 改过的标题"),
                    encoding="utf-8")
    changed = Engine(settings, clock=clock)
    with pytest.raises(DefinitionError) as err:
        changed.sync_definitions()
    changed.dispose()
    assert "版本1 已经使用，文件内容却已改变" in err.value.problems[0]


def test_a_case_keeps_the_version_it_started_on(db_url: str, clock: FixedClock, tmp_path: Path) -> None:
    folder = _copy_definitions(tmp_path)
    settings = Settings(database_url=db_url, head_key=HEAD_KEY, definitions_dir=folder)
    v1 = Engine(settings, clock=clock)
    v1.sync_definitions()
    a = add_users(v1, {"off": ["officer"], "p1": ["panelist"], "p2": ["panelist"], "i1": ["inspector"]})
    old = v1.start_case("review", a["off"], title="旧版本案件", data={"summary": "s"})
    v1.dispose()
    # Version 2 replaces the file; version 1 now lives only in the database.
    text = (folder / "review.yaml").read_text(encoding="utf-8")
    (folder / "review.yaml").write_text(text.replace("version: 1", "version: 2").replace(
        "label: 提交\n", "label: 提交（第二版）\n"), encoding="utf-8")
    v2 = Engine(settings, clock=clock)
    v2.sync_definitions()
    new = v2.start_case("review", a["off"], title="新版本案件", data={"summary": "s"})
    assert (old.definition_version, new.definition_version) == (1, 2)
    assert v2.get_case(old.id).definition_version == 1
    result = v2.fire(old.id, "submit", a["off"], {"panel": ["p1", "p2"], "team": ["i1"],
                                                  "notice_date": "2026-11-20"}, old.version)
    assert result.case.state == "submitted" and result.case.definition_version == 1
    assert v2.verify().ok
    v2.dispose()


def test_definition_files_lists_current_and_kept_versions(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("x: 1", encoding="utf-8")
    (tmp_path / "roles.yaml").write_text("roles: []", encoding="utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "v1.yaml").write_text("x: 1", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in definition_files(tmp_path)] == ["a.yaml", "a/v1.yaml"]


def test_shipped_definitions_folder_has_the_role_catalog() -> None:
    _, policy = load(DEFAULT_DEFINITIONS)
    assert set(policy.catalog.names) == {"officer", "reviewer", "auditor", "admin", "recommender", "panelist",
                                   "inspector"}


def test_a_role_that_reads_cases_must_state_its_scope(tmp_path: Path) -> None:
    """Need-to-know: a role with no scope sees nothing, so one that works on cases must say which."""
    from workflow.policy.roles import load_roles

    (tmp_path / "roles.yaml").write_text(
        "roles:\n  - name: secretary\n    label: 机要秘书\n    can: [read_cases, act]\n"
        "  - name: clerk\n    label: 文书\n    can: [manage_definitions]\n", encoding="utf-8")
    with pytest.raises(DefinitionError, match="角色 'secretary' 查阅或办理案件，须写明 scope") as caught:
        load_roles(tmp_path / "roles.yaml")
    assert "clerk" not in str(caught.value)
