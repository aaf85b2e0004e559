"""The 干部名册 workbook: what the export looks like, and every cell error of an import."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl import load_workbook

from workflow.exchange.roster_xlsx import ROSTER_COLUMNS
from workflow.exchange.roster_xlsx import Column
from workflow.exchange.roster_xlsx import RosterRecord
from workflow.exchange.roster_xlsx import export_roster
from workflow.exchange.roster_xlsx import import_roster

LI = {"name": "李明", "gender": "男", "birth_date": "1978-05-01", "ethnicity": "汉族", "native_place": "江苏南京",
      "political_status": "中共党员", "party_join_date": "1999-06-01", "work_start_date": "2000-07-01",
      "edu_fulltime_level": "大学", "edu_fulltime_degree": "经济学学士", "edu_fulltime_school": "南京大学",
      "unit": "江州市发展和改革委员会", "current_post": "综合规划处处长", "rank_level": "county_chief",
      "post_since": "2019-12-01", "rank_since": "2020-01-01", "id_number": "32010219780512003X"}
WANG = {"name": "=HYPERLINK(\"http://x\")", "gender": "女", "birth_date": "1982-09-16", "rank_level": "researcher_2"}
HEADER = [c.label for c in ROSTER_COLUMNS]


def _book(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER if header is None else header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_export_has_a_frozen_filtered_header_real_dates_and_text_ids() -> None:
    data = export_roster([LI, WANG])
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet["A1"].font.b is True
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:S3"
    birth = sheet.cell(row=2, column=3)
    assert birth.value == datetime(1978, 5, 1) and birth.number_format == "yyyy.mm"
    assert sheet.cell(row=3, column=3).value == datetime(1982, 9, 16)
    assert sheet.cell(row=2, column=16).value == "县处级正职"
    assert sheet.cell(row=2, column=19).value == "32010219780512003X" and sheet.cell(row=2, column=19).data_type == "s"
    assert sheet.cell(row=3, column=1).value == WANG["name"] and sheet.cell(row=3, column=1).data_type == "s"
    widths = {k: d.width for k, d in sheet.column_dimensions.items()}
    assert widths["A"] >= 8 and widths["O"] > widths["B"] and widths["S"] >= 20


def test_export_then_import_gives_the_rows_back() -> None:
    records, errors = import_roster(export_roster([LI, WANG]))
    assert errors == []
    assert records == [RosterRecord(2, LI), RosterRecord(3, WANG)]


def _row(**cells: Any) -> list[Any]:
    """A row by column label (spaces in labels written as _, 职务层次/职级 as 职级)."""
    by_label = {k.replace("_", "/") if k == "职务层次_职级" else k: v for k, v in cells.items()}
    return [by_label.get(label) for label in HEADER]


def test_every_cell_error_with_row_and_column() -> None:
    data = _book([
        _row(姓名="张三", 性别="男", 出生年月="1975.03", 民族="汉", 政治面貌="党员", 入党时间="1998-07",
             全日制学历="本科", 学位="学士后", 职务层次_职级="正处", 公民身份号码="320102197503010016"),
        _row(姓名=None, 性别="未知", 出生年月="1975年13月", 民族="火星族", 入党时间="abc", 参加工作时间=197507,
             全日制学历="大学", 学位="工学学士", 职务层次_职级="一级调研员", 任现职务时间="2020.1",
             公民身份号码=320102197503010011),
        _row(姓名="王五", 性别="女", 出生年月=datetime(1980, 2, 1), 公民身份号码="320102197503010011"),
        [None] * len(HEADER),
        _row(姓名="赵六", 性别="男", 出生年月="1975.04", 公民身份号码="320102197503010011"),
        _row(姓名="钱七", 性别="男", 出生年月="1975.03", 公民身份号码="320102197503010011"),
        _row(姓名="孙八", 性别="男", 出生年月="1975.03", 公民身份号码=" 320102197503010011 "),
    ])
    progress: list[tuple[int, int]] = []
    records, errors = import_roster(data, progress=lambda done, total: progress.append((done, total)))
    assert errors == [
        (2, "政治面貌", "“党员”不在政治面貌代码中"),
        (2, "学位", "“学士后”不在学位代码中"),
        (2, "职务层次/职级", "“正处”不在职务层次/职级代码中"),
        (2, "公民身份号码", "校验位不符：按前17位计算应为“1”，实为“6”"),
        (3, "姓名", "此项为必填项"),
        (3, "性别", "应为“男”或“女”，实为“未知”"),
        (3, "出生年月", "应为年月（如1975.03），实为“1975年13月”"),
        (3, "民族", "“火星族”不在民族代码中"),
        (3, "入党时间", "应为年月（如1975.03），实为“abc”"),
        (3, "公民身份号码", "应以文本格式填写（数字格式会丢失末几位），请把此列设为文本后重新填写"),
        (4, "公民身份号码", "其中的出生日期（1975年03月01日）与出生年月（1980.02）不符"),
        (4, "公民身份号码", "第17位表示性别为男，与性别“女”不符"),
        (6, "公民身份号码", "与第4行的公民身份号码重复"),
        (6, "公民身份号码", "其中的出生日期（1975年03月01日）与出生年月（1975.04）不符"),
        (7, "公民身份号码", "与第4行的公民身份号码重复"),
        (8, "公民身份号码", "与第4行的公民身份号码重复"),
    ]
    assert records == []
    assert progress == [(6, 7)]


def test_valid_rows_are_kept_beside_bad_ones_and_cells_are_normalised() -> None:
    data = _book([
        _row(姓名="张三", 性别="男", 出生年月="197503", 民族="汉", 籍贯="江苏", 政治面貌="中国共产党党员",
             入党时间="1998/7", 参加工作时间=199707, 全日制学历="大学", 学位="经济学学士", 毕业院校系及专业="某大学",
             在职学历="中央党校研究生",
             工作单位="某局", 现任职务="处长", 职务层次_职级="县处级正职", 任现职务时间="2019.12",
             任现职级时间=datetime(2020, 1, 1), 公民身份号码="320102197503010011"),
        _row(姓名="李四", 性别="女", 出生年月="1980.02"),
        _row(姓名="王五", 出生年月="1980.02"),
    ], header=[*HEADER[:-1], "身份证号"])
    records, errors = import_roster(data)
    assert errors == [(2, "在职学历", "“中央党校研究生”不在学历代码中"), (4, "性别", "此项为必填项")]
    data = _book([_row(姓名="张三", 性别="男", 出生年月="197503", 民族="汉", 籍贯="江苏", 政治面貌="中国共产党党员",
                       入党时间="1998/7", 参加工作时间=199707, 全日制学历="大学", 学位="经济学学士",
                       毕业院校系及专业="某大学", 工作单位="某局", 现任职务="处长", 职务层次_职级="县处级正职",
                       任现职务时间="2019.12", 任现职级时间=datetime(2020, 1, 1), 公民身份号码="320102197503010011"),
                  _row(姓名="李四", 性别="女", 出生年月="1980.02")])
    records, errors = import_roster(data)
    assert errors == []
    assert records == [
        RosterRecord(2, {"name": "张三", "gender": "男", "birth_date": "1975-03-01", "ethnicity": "汉族",
                         "native_place": "江苏", "political_status": "中共党员", "party_join_date": "1998-07-01",
                         "work_start_date": "1997-07-01", "edu_fulltime_level": "大学",
                         "edu_fulltime_degree": "经济学学士", "edu_fulltime_school": "某大学", "unit": "某局",
                         "current_post": "处长", "rank_level": "county_chief", "post_since": "2019-12-01",
                         "rank_since": "2020-01-01", "id_number": "320102197503010011"}),
        RosterRecord(3, {"name": "李四", "gender": "女", "birth_date": "1980-02-01"}),
    ]


def test_header_and_file_problems() -> None:
    assert import_roster(b"not a workbook") == ([], [(0, "", "不是有效的Excel（.xlsx）文件")])
    good = _book([_row(姓名="甲", 性别="男", 出生年月="1975.03")])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, content[: len(content) // 2] if info.filename.endswith("sheet1.xml") else content)
    damaged = out.getvalue()
    assert import_roster(good)[1] == []
    assert import_roster(damaged) == ([], [(0, "", "Excel文件已损坏，无法读完（请用Excel打开后另存为.xlsx再导入）")])
    records, errors = import_roster(_book([["张三"]], header=["姓名", "籍贯"]))
    assert (records, errors) == ([], [(1, "性别", "缺少此列：第1行表头中没有“性别”"),
                                      (1, "出生年月", "缺少此列：第1行表头中没有“出生年月”")])
    assert import_roster(_book([], header=[])) == ([], [(1, "", "第1行应为表头（姓名、性别、出生年月……），实为空行")])


def test_custom_columns() -> None:
    columns = [Column("name", "姓名", required=True), Column("post_since", "任职时间", "month")]
    data = export_roster([{"name": "甲", "post_since": date(2021, 3, 5)}], columns)
    assert import_roster(data, columns) == ([RosterRecord(2, {"name": "甲", "post_since": "2021-03-05"})], [])
