"""The person schema as data (``PERSON_FIELDS``, ``LISTS``) and its validation, shared by the API,
the pages, the imports and the forms, in the order of the 干部任免审批表 (domain-reference §5.4).

Code sets (``workflow.codes``): 民族, 政治面貌, 学历 and 学位 are stored as the set's canonical
label, 职务层次/职级 (``rank_level``) as its code. Input may give a code, the label or an alias
(汉, 大学, 正处级...); anything else is refused with the field named. Labels, not codes, because
the stored records and every file format (LRMX, the roster, the printed form) hold labels, and a
label of a set names exactly one code (the set refuses ambiguous texts), so nothing is lost;
``rank_level`` is new, compared by the rules on its order, and so kept as the code.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ..codes import code_set
from ..definition.schema import Choice
from ..definition.schema import FieldDef
from ..errors import ValidationFailed
from ..exchange.idcard import InvalidIdNumber
from ..exchange.idcard import birth_mismatch
from ..exchange.idcard import gender_mismatch
from ..exchange.idcard import parse_id_number
from ..fields import validate


def _f(name: str, label: str, type_: str = "text", **kw: Any) -> FieldDef:
    return FieldDef(name=name, label=label, type=type_, **kw)


GRADES = ("优秀", "称职", "基本称职", "不称职")
# field -> code set; rank_level keeps the code, the others the canonical label
CODED = {"ethnicity": "ethnicity", "political_status": "political_status", "edu_fulltime_level": "education",
         "edu_fulltime_degree": "degree", "edu_inservice_level": "education", "edu_inservice_degree": "degree",
         "rank_level": "rank_level"}
STORES_CODE = frozenset({"rank_level"})


def _coded(name: str, label: str, **kw: Any) -> FieldDef:
    codes = code_set(CODED[name])
    keep_code = name in STORES_CODE
    choices = tuple(Choice(i.code if keep_code else i.label, i.label) for i in codes)
    return _f(name, label, "choice", choices=choices, **kw)


PERSON_FIELDS: tuple[FieldDef, ...] = (
    _f("name", "姓名", required=True, max_length=50),
    _f("gender", "性别", "choice", required=True, choices=(Choice("男", "男"), Choice("女", "女"))),
    _f("birth_date", "出生年月", "date", required=True, not_future=True),
    _coded("ethnicity", "民族"),
    _f("native_place", "籍贯", max_length=50),
    _f("birthplace", "出生地", max_length=50),
    _f("party_join_date", "入党时间", "date", not_future=True),
    _f("work_start_date", "参加工作时间", "date", not_future=True),
    _f("health", "健康状况", max_length=20),
    _f("professional_title", "专业技术职务", max_length=50),
    _f("specialty", "熟悉专业有何专长", max_length=100),
    _coded("edu_fulltime_level", "全日制教育学历"),
    _coded("edu_fulltime_degree", "全日制教育学位"),
    _f("edu_fulltime_school", "全日制教育毕业院校系及专业", max_length=100),
    _coded("edu_inservice_level", "在职教育学历"),
    _coded("edu_inservice_degree", "在职教育学位"),
    _f("edu_inservice_school", "在职教育毕业院校系及专业", max_length=100),
    _f("unit", "工作单位", max_length=200),
    _f("current_post", "现任职务", max_length=200, help="不含单位名称时，表中打印为“工作单位＋现任职务”"),
    _coded("rank_level", "职务层次/职级"),
    _f("post_since", "任现职务时间", "date", not_future=True),
    _f("rank_since", "任现职级时间", "date", not_future=True),
    _f("grassroots_months", "基层工作经历（月）", "integer", min=0, max=600),
    _f("proposed_post", "拟任职务", max_length=200),
    _f("proposed_removal", "拟免职务", max_length=200),
    _f("rewards_punishments", "奖惩情况", "textarea", max_length=2000),
    _f("appointment_reason", "任免理由", "textarea", max_length=2000),
    _coded("political_status", "政治面貌"),
    _f("id_number", "公民身份号码", max_length=18),
)
BY_NAME = {f.name: f for f in PERSON_FIELDS}
SCALARS = frozenset(BY_NAME)
COLUMNS = ("name", "gender", "birth_date", "unit", "current_post")
REQUIRED = frozenset(f.name for f in PERSON_FIELDS if f.required)
LISTS: dict[str, tuple[str, dict[str, str]]] = {
    "resume": ("简历", {"start": "起始年月", "end": "终止年月", "text": "单位及职务"}),
    "family": ("家庭主要成员及重要社会关系",
               {"relation": "称谓", "name": "姓名", "birth_date": "出生年月", "political_status": "政治面貌",
                "work": "工作单位及职务", "username": "系统用户（如为本系统用户）"}),
    "annual_assessments": ("年度考核结果", {"year": "年度", "grade": "等次"}),
}
# Columns kept only when filled: an item without them reads (and hashes) as it did before they existed.
OPTIONAL_COLUMNS = {"family": frozenset({"username"})}
# What forms and rules may read of a person (the form reads are checked against this).
READABLE = frozenset({*SCALARS, *LISTS, "photo", "managing_org"})
LABELS = {**{f.name: f.label for f in PERSON_FIELDS}, **{k: v[0] for k, v in LISTS.items()},
          "managing_org": "管理组织", "photo": "照片"}


class _NoLookups:
    def user_roles(self, username: str) -> frozenset[str] | None:
        return None

    def is_recused(self, username: str) -> bool:
        return False

    def person_exists(self, person_id: int) -> bool:
        return False

    def attachment_on_case(self, attachment_id: int) -> bool:
        return False

    def role_label(self, role: str) -> str:
        return role


def coded_value(name: str, value: Any) -> str | None:
    """The stored form (label, or code for rank_level) of a code, label or alias; None when unknown."""
    if not isinstance(value, str):
        return None
    codes = code_set(CODED[name])
    code = codes.code_for(value)
    if code is None:
        return None
    return code if name in STORES_CODE else codes.label(code)


def _coded_errors(data: Mapping[str, Any], out: dict[str, Any], errors: dict[str, str]) -> None:
    for name in CODED:
        value = data.get(name)
        if value is None or value == "":
            continue
        stored = coded_value(name, value)
        if stored is None:
            codes = code_set(CODED[name])
            errors[name] = f"{LABELS[name]}：“{value}”不是{codes.title}代码集中的代码或名称"
        else:
            out[name] = stored


def _check_list(key: str, items: Any, errors: dict[str, str]) -> list[dict[str, Any]] | None:
    label, columns = LISTS[key]
    if not isinstance(items, list) or len(items) > 100:
        errors[key] = f"{label}：应为不超过100项的列表"
        return None
    clean = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            errors[key] = f"{label}：第{i}项应为对象"
            return None
        unknown = [k for k in item if k not in columns]
        if unknown:
            errors[key] = f"{label}：第{i}项有未知的键 {', '.join(map(str, unknown))}"
            return None
        row: dict[str, Any] = {}
        for col in columns:
            value = item.get(col, "")
            if col == "year" and not isinstance(value, bool) and isinstance(value, int):
                row[col] = value
                continue
            if not isinstance(value, str) or len(value) > 200:
                errors[key] = f"{label}：第{i}项的“{columns[col]}”应为不超过200字的文本"
                return None
            if value.strip() or col not in OPTIONAL_COLUMNS.get(key, ()):
                row[col] = value.strip()
        if key == "annual_assessments":
            if not isinstance(row.get("year"), int) or row.get("grade") not in GRADES:
                errors[key] = f"{label}：第{i}项应有年度（整数）和等次（{'/'.join(GRADES)}）"
                return None
        clean.append(row)
    if key == "annual_assessments":
        years = [r["year"] for r in clean]
        if len(set(years)) != len(years):
            errors[key] = f"{label}：同一年度只能有一个考核结果"
            return None
        clean.sort(key=lambda r: int(r["year"]))
    return clean


def _id_number(out: dict[str, Any], errors: dict[str, str]) -> None:
    raw = out.get("id_number")
    if not raw:
        return
    try:
        number = parse_id_number(str(raw))
    except InvalidIdNumber as exc:
        errors["id_number"] = f"公民身份号码：{exc}"
        return
    out["id_number"] = number.number
    birth = out.get("birth_date")
    why = birth_mismatch(number, date.fromisoformat(birth), month_only=True) if birth else None
    why = why or gender_mismatch(number, str(out.get("gender", "")))
    if why:
        errors["id_number"] = f"公民身份号码：{why}"


def check_person(data: Mapping[str, Any], today: date, *, partial: bool,
                 current: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Validate person facts: normalised values, or ValidationFailed naming every bad field.

    With ``partial`` (a PATCH), only the keys given are checked, an empty value clears a
    field (refused for a required one), and the cross-field checks (公民身份号码 against
    出生年月 and 性别) read the unchanged facts from ``current``. The result then holds every
    given key, ``None`` for a cleared one.
    """
    if not isinstance(data, Mapping):
        raise ValidationFailed({"body": "应为对象"})
    errors: dict[str, str] = {}
    for key in data:
        if key not in SCALARS and key not in LISTS:
            errors[str(key)] = f"人员信息没有“{key}”这一项"
    given = {k: v for k, v in data.items() if k in SCALARS}
    cleared = [k for k, v in given.items() if partial and (v is None or (isinstance(v, str) and not v.strip()))]
    for key in cleared:
        if key in REQUIRED:
            errors[key] = f"{LABELS[key]}：此项为必填项"
    plain = [f for f in PERSON_FIELDS if f.name not in CODED and (not partial or f.name in given)]
    out: dict[str, Any] = {}
    try:
        out = validate(plain, {k: v for k, v in given.items() if k not in CODED and k not in cleared},
                       today=today, lookups=_NoLookups())
    except ValidationFailed as exc:
        errors.update({k: v for k, v in exc.fields.items() if k not in errors})
    _coded_errors(given, out, errors)
    for key in LISTS:
        if key in data and data[key] is not None:
            items = _check_list(key, data[key], errors)
            if items is not None:
                out[key] = items
        elif partial and key in data:
            out[key] = None
    merged = {**(current or {}), **out}
    probe = {k: merged.get(k) for k in ("id_number", "birth_date", "gender")}
    if "id_number" in out or (partial and {"birth_date", "gender"} & set(out)):
        _id_number(probe, errors)
        if "id_number" in out and "id_number" not in errors:
            out["id_number"] = probe["id_number"]
    if errors:
        raise ValidationFailed(errors)
    if partial:
        out.update({k: None for k in cleared})
    return out
