"""`cadreflow people import/export/sanction`, and `cadreflow verify` on person history chains."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from workflow.exchange.lrmx import parse_lrmx

from .test_cli import cli
from .test_cli import instance  # noqa: F401  (fixture)

SAMPLES = Path(__file__).parent.parent / "exchange" / "samples"


def folder_of_forms(tmp: Path, *, with_problem: bool = False) -> Path:
    forms = tmp / "任免审批表"
    forms.mkdir()
    (forms / "张明远.lrmx").write_bytes((SAMPLES / "张明远.lrmx").read_bytes())
    (forms / "李红.lrm").write_bytes((SAMPLES / "李红.lrm").read_bytes())
    (forms / "李红.pic").write_bytes((SAMPLES / "李红.pic").read_bytes())
    if with_problem:
        (forms / "问题表.lrmx").write_bytes((SAMPLES / "问题表.lrmx").read_bytes())
    return forms


def test_import_a_folder_then_export_both_formats(instance: Path, tmp_path: Path) -> None:  # noqa: F811
    forms = folder_of_forms(tmp_path)
    run = cli(instance, "people", "import", str(forms))
    assert run.returncode == 0, run.stderr
    assert "新建2人" in run.stdout and "已写入" in run.stdout
    again = cli(instance, "people", "import", str(forms / "张明远.lrmx"))
    assert again.returncode == 0 and "未变化1人" in again.stdout
    out = tmp_path / "导出.zip"
    run = cli(instance, "people", "export", "--format", "lrmx", "-o", str(out))
    assert run.returncode == 0, run.stderr
    with zipfile.ZipFile(out) as z:
        names = sorted(z.namelist())
        forms_out = {n: parse_lrmx(z.read(n)) for n in names}
    assert len(names) == 2 and all(p.ok for p in forms_out.values())
    assert {p.person["name"] for p in forms_out.values()} == {"张明远", "李红"}
    assert all(p.photo for p in forms_out.values())
    xlsx = tmp_path / "名册.xlsx"
    assert cli(instance, "people", "export", "--format", "xlsx", "-o", str(xlsx)).returncode == 0
    rows = list(load_workbook(io.BytesIO(xlsx.read_bytes()), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 3 and rows[0][0] == "姓名"


def test_any_error_exits_1_with_one_line_per_error_and_writes_nothing(instance: Path,  # noqa: F811
                                                                     tmp_path: Path) -> None:
    forms = folder_of_forms(tmp_path, with_problem=True)
    run = cli(instance, "people", "import", str(forms))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    lines = [line for line in run.stderr.splitlines() if line.startswith("问题表.lrmx：")]
    assert len(lines) >= 8 and any("出生年月" in line for line in lines)
    assert "未写入" in run.stdout
    partial = cli(instance, "people", "import", "--partial", str(forms))
    assert partial.returncode == 1 and "新建2人" in partial.stdout and "已写入" in partial.stdout


def test_sanction_from_the_cli_and_verify_finds_a_tampered_history(instance: Path, tmp_path: Path) -> None:  # noqa: F811
    cli(instance, "users", "add", "off", "--role", "officer", "--password-stdin", stdin="Zhang-2026-kaoCha\n")
    assert cli(instance, "people", "import", "--user", "off", str(folder_of_forms(tmp_path))).returncode == 0
    run = cli(instance, "people", "sanction", "1", "--kind", "诫勉", "--decided-on", "2025-06-30",
              "--decided-by", "市纪委", "--reason", "工作失职", "--user", "off")
    assert run.returncode == 0, run.stderr
    assert "影响期2025-06-30至2025-12-30" in run.stdout
    bad = cli(instance, "people", "sanction", "1", "--kind", "罚站", "--decided-on", "2025-06-30",
              "--decided-by", "市纪委", "--reason", "x", "--user", "off")
    assert bad.returncode == 1 and "类别" in bad.stderr
    assert cli(instance, "verify").returncode == 0
    db = sqlite3.connect(instance / "cadreflow.db")
    db.execute("UPDATE person_sanctions SET effect_until = '2025-07-01'")
    db.commit()
    run = cli(instance, "verify")
    assert run.returncode == 1 and "人员1：人员信息与变更记录不符（sanction:1）" in run.stdout
    db.execute("UPDATE person_sanctions SET effect_until = '2025-12-30'")
    db.execute("DROP TRIGGER person_history_no_update")
    db.execute("UPDATE person_history SET note = '改过' WHERE person_id = 1 AND seq = 1")
    db.commit()
    db.close()
    run = cli(instance, "verify")
    assert run.returncode == 1 and "人员1：变更记录的内容与哈希不符（记录被篡改）（第1条变更记录）" in run.stdout
