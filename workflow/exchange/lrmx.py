"""LRMX: the 中组部 干部任免审批表 3.x exchange file (UTF-8 XML, root ``Person``).

``parse_lrmx(data)`` reads one file into a ``Parsed`` (every problem at once,
never an exception); ``to_lrmx(person, photo, ...)`` writes one. Dates are
``yyyyMM`` (``JiSuanNianLingShiJian`` and ``TianBiaoShiJian`` are written
``yyyyMMdd``, as the public samples do); 6 or 8 digits are accepted on import.

The person uses the representation described in ``workflow.exchange.record``:
出生年月/入党时间/参加工作时间 as ISO dates on the 1st of the month, list dates as
``YYYY.MM``, empty fields left out. For every such person ``p`` built from the
keys in ``PERSON_KEYS``, ``parse_lrmx(to_lrmx(p)).person == p``, given that: list
items carry all their keys; text is stripped, line by line, without control
characters or blank inner lines; a 简历 entry's text does not start with 至今 and
its further lines do not start with a digit (they would read as a new entry);
民族 is a label of the code set. Keys the form has no place for (``unit``,
``political_status``, ``rank_level``, ...) are not written.

Field names and their order follow ``TAGS``, checked against public files: the
3.2.1.6 template ``src/main/resources/xml/adform/rm.xml`` of ``xvchaoqun/owip``,
the same project's reader and writer, and an independent 3.2.1.16 sample
generator. ``ZhengZhiMianMao`` at the top level (seen in one newer editor) is
read into ``political_status`` when present and never written.
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import date
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ..codes import code_set
from .record import GRADES
from .record import MAX_FILE_BYTES
from .record import MAX_LIST_ITEMS
from .record import Collector
from .record import Parsed
from .record import check_person
from .record import clean
from .record import failed
from .record import format_assessments
from .record import format_resume
from .record import join_school
from .record import parse_assessments
from .record import parse_resume
from .record import read_date
from .record import read_family_birth
from .record import read_party
from .record import read_photo
from .record import split_school
from .record import yyyymm

VERSION = "3.2.1.6"
# Every child of <Person> in the order of the 3.2.1.6 template, with the person key it carries.
TAGS: tuple[tuple[str, str], ...] = (
    ("XingMing", "name"), ("XingBie", "gender"), ("ChuShengNianYue", "birth_date"), ("MinZu", "ethnicity"),
    ("JiGuan", "native_place"), ("ChuShengDi", "birthplace"), ("RuDangShiJian", "party_join_date"),
    ("CanJiaGongZuoShiJian", "work_start_date"), ("JianKangZhuangKuang", "health"),
    ("ZhuanYeJiShuZhiWu", "professional_title"), ("ShuXiZhuanYeYouHeZhuanChang", "specialty"),
    ("QuanRiZhiJiaoYu_XueLi", "edu_fulltime_level"), ("QuanRiZhiJiaoYu_XueWei", "edu_fulltime_degree"),
    ("QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "edu_fulltime_school"),
    ("QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "edu_fulltime_school"),
    ("ZaiZhiJiaoYu_XueLi", "edu_inservice_level"), ("ZaiZhiJiaoYu_XueWei", "edu_inservice_degree"),
    ("ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "edu_inservice_school"),
    ("ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "edu_inservice_school"),
    ("XianRenZhiWu", "current_post"), ("NiRenZhiWu", "proposed_post"), ("NiMianZhiWu", "proposed_removal"),
    ("JianLi", "resume"), ("JiangChengQingKuang", "rewards_punishments"), ("NianDuKaoHeJieGuo", "annual_assessments"),
    ("RenMianLiYou", "appointment_reason"), ("JiaTingChengYuan", "family"), ("ChengBaoDanWei", "reporting_unit"),
    ("JiSuanNianLingShiJian", "age_on"), ("TianBiaoShiJian", "filled_on"), ("TianBiaoRen", "filled_by"),
    ("ShenFenZheng", "id_number"), ("ZhaoPian", "photo"), ("Version", "version"),
)
FAMILY_TAGS = (("ChengWei", "relation"), ("XingMing", "name"), ("ChuShengRiQi", "birth_date"),
               ("ZhengZhiMianMao", "political_status"), ("GongZuoDanWeiJiZhiWu", "work"))
SCHOOLS = {"QuanRiZhiJiaoYu": "edu_fulltime_school", "ZaiZhiJiaoYu": "edu_inservice_school"}
PLAIN = {tag: key for tag, key in TAGS} | {"ZhengZhiMianMao": "political_status"}
PERSON_KEYS = tuple(dict.fromkeys(key for _, key in TAGS if key not in
                                  {"reporting_unit", "age_on", "filled_on", "filled_by", "photo", "version"}))
_DECLARED_GB = re.compile(rb"<\?xml[^>]*encoding=[\"'](gb2312|gbk|gb18030)[\"']", re.IGNORECASE)


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if _DECLARED_GB.match(data[:200].lstrip()):
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            return None
    return None


def _root(data: bytes) -> ET.Element | Parsed:
    if len(data) > MAX_FILE_BYTES:
        return failed("file", f"超过{MAX_FILE_BYTES // 2**20} MB的大小上限（实为{len(data) / 2**20:.1f} MB）")
    text = _decode(data)
    if text is None:
        return failed("file", "应为UTF-8编码的XML（干部任免审批表LRMX文件）")
    try:
        root: ET.Element = SafeET.fromstring(text, forbid_dtd=True)
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        return failed("file", f"不是格式正确的XML（第{line}行第{column + 1}列附近出错）")
    except DefusedXmlException:
        return failed("file", "含有DTD或实体声明，出于安全原因不予读取")
    except ValueError:
        return failed("file", "不是格式正确的XML")
    tag = root.tag.rsplit("}", 1)[-1]
    if tag != "Person":
        return failed("file", f"根元素应为Person（干部任免审批表LRMX），实为“{tag}”")
    return root


def _text(element: ET.Element, out: Collector) -> str:
    """The stripped text of a leaf element (a problem, and nothing, when it has child elements)."""
    if len(element):
        out.add("file", f"元素{element.tag.rsplit('}', 1)[-1]}不应含有下级元素，已忽略")
        return ""
    return (element.text or "").strip()


def _family(element: ET.Element, out: Collector) -> list[dict[str, str]]:
    members = []
    for number, item in enumerate((i for i in element if i.tag.rsplit("}", 1)[-1] == "Item"), start=1):
        values = {child.tag.rsplit("}", 1)[-1]: _text(child, out) for child in item}
        row = {key: values.get(tag, "") for tag, key in FAMILY_TAGS}
        if not any(row.values()):
            continue
        if row["birth_date"]:
            row["birth_date"] = read_family_birth(row["birth_date"], number, out)
        members.append(row)
    if len(members) > MAX_LIST_ITEMS:
        out.add("family", f"不得超过{MAX_LIST_ITEMS}项，实为{len(members)}项")
    return members


def parse_lrmx(data: bytes, filename: str = "") -> Parsed:
    """One 干部任免审批表 from LRMX bytes; malformed input gives problems, never an exception."""
    root = _root(data)
    if isinstance(root, Parsed):
        return root
    out = Collector()
    person: dict[str, Any] = {}
    form: dict[str, Any] = {"reporting_unit": "", "age_on": None, "filled_on": None, "filled_by": ""}
    extra: dict[str, str] = {}
    photo: bytes | None = None
    seen: set[str] = set()
    schools: dict[str, str] = {}
    birth_has_day = False
    for child in root:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag in seen:
            out.add("file", f"元素{tag}出现了不止一次，只读取第一个")
            continue
        seen.add(tag)
        text = _text(child, out) if tag != "JiaTingChengYuan" else ""
        key = PLAIN.get(tag)
        if key is None:
            if text:
                extra[tag] = text
            continue
        if key == "family":
            family = _family(child, out)
            if family:
                person["family"] = family
            continue
        if not text:
            continue
        if key in ("birth_date", "work_start_date"):
            day = read_date(text, key, out)
            if day:
                person[key] = day.isoformat()
                birth_has_day = birth_has_day or (key == "birth_date" and len(text) == 8)
        elif key == "party_join_date":
            read_party(text, person, out)
        elif key.endswith("_school"):
            schools[tag] = text
        elif key == "resume":
            entries = parse_resume(text, out)
            if entries:
                person["resume"] = entries
        elif key == "annual_assessments":
            extra[tag] = text
            grades = parse_assessments(text)
            if grades:
                person["annual_assessments"] = grades
        elif key in ("age_on", "filled_on"):
            form[key] = read_date(text, key, out)
        elif key in ("reporting_unit", "filled_by"):
            form[key] = text
        elif key == "photo":
            photo = read_photo(text, out)
        elif key == "version":
            extra[tag] = text
        elif key == "political_status":
            parties = code_set("political_status")
            code = parties.code_for(text)
            person[key] = parties.label(code) if code else text
        else:
            person[key] = text
    for prefix, key in SCHOOLS.items():
        school = join_school(schools.get(f"{prefix}_XueLi_BiYeYuanXiaoXi", ""),
                             schools.get(f"{prefix}_XueWei_BiYeYuanXiaoXi", ""))
        if school:
            person[key] = school
    check_person(person, out, birth_has_day=birth_has_day)
    return Parsed(person=person, photo=photo, problems=out.problems, extra=extra, **form)


def _value(person: Mapping[str, Any], key: str) -> str:
    if key in ("birth_date", "party_join_date", "work_start_date"):
        return yyyymm(person[key]) if person.get(key) else ""
    if key == "resume":
        return format_resume(person.get("resume") or [])
    if key == "annual_assessments":
        items = [i for i in person.get("annual_assessments") or [] if i.get("grade") in GRADES]
        return format_assessments(items)
    return clean(person.get(key, ""))


def _add(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = text


def to_lrmx(person: Mapping[str, Any], photo: bytes | None = None, *, reporting_unit: str = "",
            age_on: date | None = None, filled_on: date | None = None, filled_by: str = "") -> bytes:
    """The 干部任免审批表 of ``person`` as LRMX bytes (UTF-8), children in the order of ``TAGS``."""
    root = ET.Element("Person")
    form = {"reporting_unit": clean(reporting_unit), "filled_by": clean(filled_by),
            "age_on": age_on.strftime("%Y%m%d") if age_on else "",
            "filled_on": filled_on.strftime("%Y%m%d") if filled_on else "",
            "photo": base64.b64encode(photo).decode("ascii") if photo else "", "version": VERSION}
    for tag, key in TAGS:
        if key in form:
            _add(root, tag, form[key])
        elif key.endswith("_school"):
            for_level, for_degree = split_school(clean(person.get(key, "")))
            _add(root, tag, for_level if "_XueLi_" in tag else for_degree)
        elif key == "family":
            element = ET.SubElement(root, tag)
            for member in person.get("family") or []:
                item = ET.SubElement(element, "Item")
                for sub_tag, sub_key in FAMILY_TAGS:
                    value = member.get(sub_key, "")
                    _add(item, sub_tag, yyyymm(value) if sub_key == "birth_date" and value else clean(value))
        else:
            _add(root, tag, _value(person, key))
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=False)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")
