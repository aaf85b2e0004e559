"""What the 干部任免审批表 codecs share: ``Parsed``, ``Problem`` and the field rules.

Representation of a parsed person (keys of ``workflow.people``):

* 出生年月, 入党时间, 参加工作时间 (``birth_date``, ``party_join_date``, ``work_start_date``)
  are ISO dates ``YYYY-MM-DD``, as the person schema stores them. The form holds a
  month only, so a 6-digit ``yyyyMM`` becomes the 1st of that month; an 8-digit
  ``yyyyMMdd`` keeps its day. Writing keeps the month (``yyyyMM``).
* Dates inside lists (简历 ``start``/``end``, 家庭成员 ``birth_date``) are ``YYYY.MM``
  text, as the form prints them; an empty ``end`` means 至今.
* ``annual_assessments`` are ``{"year": int, "grade": 优秀|称职|基本称职|不称职}``.
* Empty fields are left out: a key is present only when the file gives a value.
  Text is stripped of surrounding whitespace; a multi-line value keeps its inner
  line breaks (``\\n``).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from typing import Any

from ..codes import code_set
from .idcard import InvalidIdNumber
from .idcard import birth_mismatch
from .idcard import gender_mismatch
from .idcard import parse_id_number

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_PHOTO_BYTES = 4 * 1024 * 1024
MAX_LIST_ITEMS = 100
GRADES = ("优秀", "称职", "基本称职", "不称职")

LABELS = {
    "file": "文件", "name": "姓名", "gender": "性别", "birth_date": "出生年月", "ethnicity": "民族",
    "native_place": "籍贯", "birthplace": "出生地", "party_join_date": "入党时间", "work_start_date": "参加工作时间",
    "health": "健康状况", "professional_title": "专业技术职务", "specialty": "熟悉专业有何专长",
    "edu_fulltime_level": "全日制教育学历", "edu_fulltime_degree": "全日制教育学位",
    "edu_fulltime_school": "全日制教育毕业院校系及专业", "edu_inservice_level": "在职教育学历",
    "edu_inservice_degree": "在职教育学位", "edu_inservice_school": "在职教育毕业院校系及专业",
    "current_post": "现任职务", "proposed_post": "拟任职务", "proposed_removal": "拟免职务", "resume": "简历",
    "rewards_punishments": "奖惩情况", "annual_assessments": "年度考核结果", "appointment_reason": "任免理由",
    "family": "家庭主要成员及重要社会关系", "reporting_unit": "呈报单位", "age_on": "计算年龄时间",
    "filled_on": "填表时间", "filled_by": "填表人", "id_number": "公民身份号码", "photo": "照片",
    "political_status": "政治面貌",
}


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


@dataclass(frozen=True)
class Parsed:
    """One 干部任免审批表 read from a file: the person, the form's own fields, and every problem found."""

    person: dict[str, Any]
    photo: bytes | None = None
    reporting_unit: str = ""
    age_on: date | None = None
    filled_on: date | None = None
    filled_by: str = ""
    problems: list[Problem] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def failed(key: str, message: str) -> Parsed:
    """A ``Parsed`` holding nothing but one problem."""
    return Parsed(person={}, problems=[Problem(key, f"{LABELS.get(key, key)}：{message}")])


class Collector:
    """Gathers problems with the form's label in front of each message."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, key: str, message: str) -> None:
        self.problems.append(Problem(key, f"{LABELS.get(key, key)}：{message}"))


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: Any) -> str:
    """Text safe for XML and Excel: control characters (except tab and line breaks) removed, outer space stripped."""
    return _XML_BAD.sub("", str(text)).strip() if text is not None else ""


def _ymd(digits: str) -> tuple[int, int, int] | None:
    try:
        day = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]) if len(digits) == 8 else 1)
    except ValueError:
        return None
    return (day.year, day.month, day.day)


def read_date(raw: str, key: str, out: Collector, *, dotted: bool = False) -> date | None:
    """A 6- or 8-digit 年月 (with ``dotted``, ``YYYY.MM`` and ``YYYY.MM.DD`` too); a problem otherwise."""
    text = raw.strip()
    digits = text.replace(".", "") if dotted and re.fullmatch(r"\d{4}\.\d{2}(\.\d{2})?", text) else text
    if not re.fullmatch(r"\d{6}|\d{8}", digits):
        out.add(key, f"应为6位或8位数字的年月（如197503），实为“{text}”")
        return None
    parts = _ymd(digits)
    if parts is None:
        out.add(key, f"不是有效的年月，实为“{text}”")
        return None
    return date(*parts)


def dotted_month(day: date) -> str:
    return f"{day.year:04d}.{day.month:02d}"


_MONTH_SHAPES = (re.compile(r"(\d{4})(\d{2})(\d{2})?"), re.compile(r"(\d{4})[.\-/](\d{1,2})(?:[.\-/](\d{1,2}))?"),
                 re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?"))


def loose_date(text: str) -> date | None:
    """A date written ``197503``, ``19750312``, ``1975.03``, ``1975-3-12``, ``1975/03`` or ``1975年3月``; None else."""
    for shape in _MONTH_SHAPES:
        m = shape.fullmatch(text.strip())
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
            except ValueError:
                return None
    return None


def month_parts(value: Any) -> tuple[int, int] | None:
    """Year and month of a stored date (a ``date`` or any shape ``loose_date`` reads), or None."""
    day = value if isinstance(value, date) else loose_date(str(value or ""))
    return (day.year, day.month) if day else None


def yyyymm(value: Any) -> str:
    """``yyyyMM`` for a stored date, the text itself when it is not recognisably a date."""
    parts = month_parts(value)
    return f"{parts[0]:04d}{parts[1]:02d}" if parts else clean(value)


def dotted(value: Any) -> str:
    """``YYYY.MM`` for a stored date, the text itself when it is not recognisably a date."""
    parts = month_parts(value)
    return f"{parts[0]:04d}.{parts[1]:02d}" if parts else clean(value)


# 简历: "1997.07--2001.09  text"; the end may be blank (至今). Any line that does not start so
# continues the entry above it (其间 lines).
_YM = r"(\d{4}\.\d{2}|\d{6})"
_RESUME_LINE = re.compile(rf"\s*{_YM}\s*(?:-{{1,2}}|—{{1,2}}|–|－{{1,2}}|~|～|至)[ ]?{_YM}?\s*(.*)")
RESUME_PAD = 18


def _dot(ym: str) -> str:
    return ym if "." in ym else f"{ym[:4]}.{ym[4:]}"


def parse_resume(text: str, out: Collector) -> list[dict[str, str]]:
    entries: list[dict[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        m = _RESUME_LINE.fullmatch(line.rstrip())
        if m and _ymd(m.group(1).replace(".", "")) and (not m.group(2) or _ymd(m.group(2).replace(".", ""))):
            text_part = m.group(3).strip()
            if not m.group(2) and text_part.startswith("至今"):
                text_part = text_part[2:].strip()
            entries.append({"start": _dot(m.group(1)), "end": _dot(m.group(2)) if m.group(2) else "",
                            "text": text_part})
        elif entries:
            entries[-1]["text"] = f"{entries[-1]['text']}\n{line.strip()}".strip("\n")
        else:
            out.add("resume", f"第{number}行应以起止年月开头（如“1997.07--2001.09  某单位科员”），实为“{line.strip()}”")
    if len(entries) > MAX_LIST_ITEMS:
        out.add("resume", f"不得超过{MAX_LIST_ITEMS}项，实为{len(entries)}项")
    return entries


def format_resume(entries: Iterable[Mapping[str, Any]]) -> str:
    lines = []
    for entry in entries:
        head = f"{dotted(entry.get('start', ''))}--{dotted(entry.get('end', '')):<7}"
        text_lines = [clean(t) for t in clean(entry.get("text", "")).splitlines()] or [""]
        lines.append(f"{head:<{RESUME_PAD - 2}}  {text_lines[0]}".rstrip())
        lines.extend(" " * RESUME_PAD + t for t in text_lines[1:] if t)
    return "\n".join(lines)


_GRADE = re.compile(r"(\d{4})\s*年度?[^\d；;。，,\n]{0,12}?(优秀|基本称职|不称职|称职)")


def parse_assessments(text: str) -> list[dict[str, Any]]:
    """``YYYY年度…优秀`` phrases of 年度考核结果 as ``[{year, grade}]`` in the order written."""
    return [{"year": int(m.group(1)), "grade": m.group(2)} for m in _GRADE.finditer(text)]


def format_assessments(items: Iterable[Mapping[str, Any]]) -> str:
    parts = [f"{item['year']}年度考核{item['grade']}" for item in items if item.get("year") and item.get("grade")]
    return "；".join(parts) + "。" if parts else ""


def split_school(text: str) -> tuple[str, str]:
    """A school value as the form's two lines: 学历's school, then 学位's school when different."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return (lines[0] if lines else "", "\n".join(lines[1:]))


def join_school(for_level: str, for_degree: str) -> str:
    a, b = for_level.strip(), for_degree.strip()
    return "\n".join(x for x in dict.fromkeys((a, b)) if x)


_PARTY_AND_DATE = re.compile(r"(\d{6}|\d{8}|\d{4}\.\d{2})\s*[；;]\s*(\S.*)")


def read_party(text: str, person: dict[str, Any], out: Collector, *, dotted: bool = False) -> None:
    """入党时间: a 年月, or (民主党派成员) a party name, or both as ``200108；民建``."""
    parties = code_set("political_status")
    m = _PARTY_AND_DATE.fullmatch(text)
    party = m.group(2) if m else (text if not re.search(r"\d", text) else "")
    if party:
        code = parties.code_for(party)
        if code is None or code in ("01", "02", "03", "12", "13"):
            out.add("party_join_date", f"应为入党年月（如199807）或民主党派名称，实为“{text}”")
            return
        person["political_status"] = parties.label(code)
    if m or not party:
        day = read_date(m.group(1) if m else text, "party_join_date", out, dotted=dotted or bool(m))
        if day:
            person["party_join_date"] = day.isoformat()


def check_photo(photo: bytes, out: Collector) -> bytes | None:
    if len(photo) > MAX_PHOTO_BYTES:
        out.add("photo", f"超过{MAX_PHOTO_BYTES // 2**20} MB的大小上限")
        return None
    if not photo.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        out.add("photo", "应为JPEG（或PNG）图片")
        return None
    return photo


def read_photo(text: str, out: Collector) -> bytes | None:
    """照片 as base64 text (whitespace ignored): the image bytes, or a problem."""
    raw = re.sub(r"\s+", "", text)
    if len(raw) > MAX_PHOTO_BYTES * 4 // 3 + 4:
        out.add("photo", f"超过{MAX_PHOTO_BYTES // 2**20} MB的大小上限")
        return None
    try:
        photo = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        out.add("photo", "不是有效的Base64编码")
        return None
    return check_photo(photo, out)


def read_family_birth(text: str, number: int, out: Collector) -> str:
    """A family member's 出生年月 as ``YYYY.MM`` (the text unchanged, with a problem, when it is not a 年月)."""
    sub = Collector()
    day = read_date(text, "family", sub, dotted=True)
    for problem in sub.problems:
        out.add("family", f"第{number}项的出生年月{problem.message.split('：', 1)[1]}")
    return dotted_month(day) if day else text


def check_person(person: dict[str, Any], out: Collector, *, birth_has_day: bool = False) -> None:
    """The checks both importers share: required facts, 性别, 民族, 公民身份号码 against 出生年月 and 性别."""
    for key in ("name", "gender", "birth_date"):
        if not person.get(key) and not any(p.field == key for p in out.problems):
            out.add(key, "此项为必填项")
    gender = person.get("gender")
    if gender and gender not in ("男", "女"):
        out.add("gender", f"应为“男”或“女”，实为“{gender}”")
    ethnicity = person.get("ethnicity")
    if ethnicity:
        nations = code_set("ethnicity")
        code = nations.code_for(ethnicity)
        if code is None:
            out.add("ethnicity", f"“{ethnicity}”不在{nations.title}代码（GB/T 3304）中")
        else:
            person["ethnicity"] = nations.label(code)
    raw_id = person.get("id_number")
    if raw_id:
        try:
            number = parse_id_number(raw_id)
        except InvalidIdNumber as exc:
            out.add("id_number", str(exc))
            return
        person["id_number"] = number.number
        birth = person.get("birth_date")
        if birth:
            day = date.fromisoformat(birth)
            why = birth_mismatch(number, day, month_only=not birth_has_day)
            if why:
                out.add("id_number", why)
        why = gender_mismatch(number, str(gender or ""))
        if why:
            out.add("id_number", why)
