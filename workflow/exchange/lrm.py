"""Legacy ``.lrm``: the older 干部任免审批表 file, one record of quoted comma-separated values.

The text is GB2312/GBK (read as GB18030, its superset; UTF-8 is accepted too):
``"v0","v1",...,"v32"`` on one logical line (简历 and other long fields hold line
breaks inside their quotes). Values are not escaped: the record is split on
``","``. The photo is a separate ``.pic`` file with the same stem (JPEG).

The field order is ``FIELDS``, the one table to change if a sample disagrees.
Positions 0–11, 16–30 and 32 are confirmed by a public importer (Java,
``SaveLrmFile``: ``str.substring(1).split("\\",\\"")`` and the columns it stores,
e.g. value[6] → 健康状况, value[28] → 任免理由, value[32][0:8] → 填表时间) and
agree with an independent public writer (C#, ``SaveFile.formString``), which
also gives position 31 (填表人) and writes blanks at 12–15. What 12–15 hold is
not known; they are ignored. Compound fields: 9 is ``全日制学历#全日制学位@在职学历#在职学位``,
10 the matching schools; 20–24 are the family table by column, members joined
with ``@``. There is no 公民身份号码 in this format.
"""

from __future__ import annotations

from datetime import date
from itertools import zip_longest
from typing import Any

from .record import MAX_FILE_BYTES
from .record import MAX_LIST_ITEMS
from .record import Collector
from .record import Parsed
from .record import check_person
from .record import check_photo
from .record import failed
from .record import join_school
from .record import parse_assessments
from .record import parse_resume
from .record import read_date
from .record import read_family_birth
from .record import read_party

FIELDS: tuple[tuple[int, str, str], ...] = (
    (0, "name", "姓名"), (1, "gender", "性别"), (2, "birth_date", "出生年月"), (3, "ethnicity", "民族"),
    (4, "native_place", "籍贯"), (5, "party_join_date", "入党时间"), (6, "health", "健康状况"),
    (7, "birthplace", "出生地"), (8, "work_start_date", "参加工作时间"),
    (9, "education", "学历学位（全日制学历#学位@在职学历#学位）"),
    (10, "schools", "毕业院校系及专业（全日制学历院校#学位院校@在职学历院校#学位院校）"),
    (11, "professional_title", "专业技术职务"),
    (12, "", "（未核实）"), (13, "", "（未核实）"), (14, "", "（未核实）"), (15, "", "（未核实）"),
    (16, "specialty", "熟悉专业有何专长"), (17, "resume", "简历"), (18, "rewards_punishments", "奖惩情况"),
    (19, "annual_assessments", "年度考核结果"), (20, "family.relation", "家庭成员称谓"),
    (21, "family.name", "家庭成员姓名"), (22, "family.birth_date", "家庭成员出生年月"),
    (23, "family.political_status", "家庭成员政治面貌"), (24, "family.work", "家庭成员工作单位及职务"),
    (25, "current_post", "现任职务"), (26, "proposed_post", "拟任职务"), (27, "proposed_removal", "拟免职务"),
    (28, "appointment_reason", "任免理由"), (29, "reporting_unit", "呈报单位"), (30, "age_on", "计算年龄时间"),
    (31, "filled_by", "填表人"), (32, "filled_on", "填表时间"),
)
MIN_FIELDS = 32  # 填表时间 (the last) is optional in the public importer
_PLAIN = ("name", "gender", "ethnicity", "native_place", "health", "birthplace", "professional_title", "specialty",
          "rewards_punishments", "current_post", "proposed_post", "proposed_removal", "appointment_reason")


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def split_record(text: str) -> list[str] | None:
    """The values of one quoted record, or None when it is not ``"…","…"`` shaped."""
    body = text.strip().rstrip(",").rstrip()
    if len(body) < 2 or not body.startswith('"') or not body.endswith('"'):
        return None
    return body[1:-1].split('","')


def _pair(value: str) -> tuple[tuple[str, str], tuple[str, str]]:
    fulltime, _, inservice = value.partition("@")
    a, _, b = fulltime.partition("#")
    c, _, d = inservice.partition("#")
    return (a.strip(), b.strip()), (c.strip(), d.strip())


def _family(values: list[str], out: Collector) -> list[dict[str, str]]:
    keys = ("relation", "name", "birth_date", "political_status", "work")
    columns = [v.split("@") if v.strip() else [] for v in values[20:25]]
    members = []
    for number, cells in enumerate(zip_longest(*columns, fillvalue=""), start=1):
        row = dict(zip(keys, (c.strip() for c in cells), strict=True))
        if not any(row.values()):
            continue
        if row["birth_date"]:
            row["birth_date"] = read_family_birth(row["birth_date"], number, out)
        members.append(row)
    if len(members) > MAX_LIST_ITEMS:
        out.add("family", f"不得超过{MAX_LIST_ITEMS}项，实为{len(members)}项")
    return members


def parse_lrm(data: bytes, photo: bytes | None = None, filename: str = "") -> Parsed:
    """One 干部任免审批表 from ``.lrm`` bytes and its ``.pic`` (if any); problems, never an exception."""
    if len(data) > MAX_FILE_BYTES:
        return failed("file", f"超过{MAX_FILE_BYTES // 2**20} MB的大小上限（实为{len(data) / 2**20:.1f} MB）")
    text = _decode(data)
    if text is None:
        return failed("file", "无法按GB2312/GBK（或UTF-8）编码读取")
    values = split_record(text)
    if values is None:
        return failed("file", "不是LRM格式：应为一条以英文双引号括起、逗号分隔的记录")
    if len(values) < MIN_FIELDS:
        return failed("file", f"LRM记录应有{MIN_FIELDS}至{len(FIELDS)}个字段，实为{len(values)}个")
    values = [v.strip() for v in values] + [""] * max(0, len(FIELDS) - len(values))
    out = Collector()
    person: dict[str, Any] = {key: values[i] for i, key, _ in FIELDS if key in _PLAIN and values[i]}
    birth_has_day = False
    for index, key in ((2, "birth_date"), (8, "work_start_date")):
        if values[index]:
            day = read_date(values[index], key, out, dotted=True)
            if day:
                person[key] = day.isoformat()
                birth_has_day = birth_has_day or (key == "birth_date" and len(values[index].replace(".", "")) == 8)
    if values[5]:
        read_party(values[5], person, out, dotted=True)
    levels, schools = _pair(values[9]), _pair(values[10])
    for track, (level, degree), (school_a, school_b) in zip(("fulltime", "inservice"), levels, schools, strict=True):
        for key, value in ((f"edu_{track}_level", level), (f"edu_{track}_degree", degree),
                           (f"edu_{track}_school", join_school(school_a, school_b))):
            if value:
                person[key] = value
    if values[17]:
        resume = parse_resume(values[17], out)
        if resume:
            person["resume"] = resume
    grades = parse_assessments(values[19])
    if grades:
        person["annual_assessments"] = grades
    family = _family(values, out)
    if family:
        person["family"] = family
    form: dict[str, date | None] = {}
    for index, key in ((30, "age_on"), (32, "filled_on")):
        form[key] = read_date(values[index][:8] if values[index].isdigit() else values[index], key, out,
                              dotted=True) if values[index] else None
    checked_photo = check_photo(photo, out) if photo else None
    check_person(person, out, birth_has_day=birth_has_day)
    extra = {"NianDuKaoHeJieGuo": values[19]} if values[19] else {}
    return Parsed(person=person, photo=checked_photo, reporting_unit=values[29], age_on=form["age_on"],
                  filled_on=form["filled_on"], filled_by=values[31], problems=out.problems, extra=extra)
