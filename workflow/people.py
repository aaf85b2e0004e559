"""People (cadres): the facts of the 干部任免审批表 and blocking marks.

The person schema is data here (``PERSON_FIELDS``) so the API, the pages and
the forms share one list, in the order of the form (domain-reference §5.4).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import replace
from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.engine import Connection

from .clock import Clock
from .clock import local_today
from .definition.schema import Choice
from .definition.schema import FieldDef
from .errors import NotFound
from .errors import ValidationFailed
from .fields import validate
from .persistence.db import Database
from .persistence.models import inserted_id
from .persistence.orgs import org_id_for
from .persistence.orgs import path_of
from .persistence.orgs import root_id
from .persistence.tables import marks_t
from .persistence.tables import orgs_t
from .persistence.tables import people_t
from .persistence.visibility import people_conditions
from .policy import Policy
from .types import MARK_KINDS
from .types import Actor


def _f(name: str, label: str, type_: str = "text", **kw: Any) -> FieldDef:
    return FieldDef(name=name, label=label, type=type_, **kw)


EDU_LEVELS = ("研究生", "大学", "大专", "中专", "高中")
GRADES = ("优秀", "称职", "基本称职", "不称职")
PERSON_FIELDS: tuple[FieldDef, ...] = (
    _f("name", "姓名", required=True, max_length=50),
    _f("gender", "性别", "choice", required=True, choices=(Choice("男", "男"), Choice("女", "女"))),
    _f("birth_date", "出生年月", "date", required=True, not_future=True),
    _f("ethnicity", "民族", max_length=20),
    _f("native_place", "籍贯", max_length=50),
    _f("birthplace", "出生地", max_length=50),
    _f("party_join_date", "入党时间", "date", not_future=True),
    _f("work_start_date", "参加工作时间", "date", not_future=True),
    _f("health", "健康状况", max_length=20),
    _f("professional_title", "专业技术职务", max_length=50),
    _f("specialty", "熟悉专业有何专长", max_length=100),
    _f("edu_fulltime_level", "全日制教育学历", max_length=30),
    _f("edu_fulltime_degree", "全日制教育学位", max_length=30),
    _f("edu_fulltime_school", "全日制教育毕业院校系及专业", max_length=100),
    _f("edu_inservice_level", "在职教育学历", max_length=30),
    _f("edu_inservice_degree", "在职教育学位", max_length=30),
    _f("edu_inservice_school", "在职教育毕业院校系及专业", max_length=100),
    _f("unit", "工作单位", max_length=200),
    _f("current_post", "现任职务", max_length=200),
    _f("proposed_post", "拟任职务", max_length=200),
    _f("proposed_removal", "拟免职务", max_length=200),
    _f("rewards_punishments", "奖惩情况", "textarea", max_length=2000),
    _f("appointment_reason", "任免理由", "textarea", max_length=2000),
    _f("political_status", "政治面貌", max_length=20),
    _f("id_number", "公民身份号码", max_length=18),
)
SCALARS = {f.name for f in PERSON_FIELDS}
COLUMNS = ("name", "gender", "birth_date", "unit", "current_post")
LISTS = {
    "resume": ("简历", {"start": "起始年月", "end": "终止年月", "text": "单位及职务"}),
    "family": ("家庭主要成员及重要社会关系",
               {"relation": "称谓", "name": "姓名", "birth_date": "出生年月", "political_status": "政治面貌",
                "work": "工作单位及职务"}),
    "annual_assessments": ("年度考核结果", {"year": "年度", "grade": "等次"}),
}


@dataclass(frozen=True)
class PersonView:
    id: int
    name: str
    gender: str
    birth_date: date
    unit: str
    current_post: str
    profile: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    managing_org_id: int = 0
    managing_org: str = ""  # the organization's code
    partial: bool = False  # only the part a participant reads (Policy.reads_whole_record)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "gender": self.gender, "birth_date": self.birth_date.isoformat(),
                "unit": self.unit, "current_post": self.current_post, "managing_org": self.managing_org,
                **self.profile}


@dataclass(frozen=True)
class MarkView:
    id: int
    kind: str
    label: str
    starts_on: date | None
    ends_on: date | None
    reason: str
    case_id: int | None

    def active_on(self, day: date) -> bool:
        if self.starts_on and day < self.starts_on:
            return False
        return self.ends_on is None or day <= self.ends_on


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


def _check_lists(data: Mapping[str, Any], errors: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for key, (label, columns) in LISTS.items():
        if key not in data or data[key] is None:
            continue
        items = data[key]
        if not isinstance(items, list) or len(items) > 100:
            errors[key] = f"{label}：应为不超过100项的列表"
            continue
        clean = []
        for i, item in enumerate(items, start=1):
            if not isinstance(item, Mapping):
                errors[key] = f"{label}：第{i}项应为对象"
                break
            unknown = [k for k in item if k not in columns]
            if unknown:
                errors[key] = f"{label}：第{i}项有未知的键 {', '.join(map(str, unknown))}"
                break
            row: dict[str, Any] = {}
            for col in columns:
                value = item.get(col, "")
                if col == "year" and not isinstance(value, bool) and isinstance(value, int):
                    row[col] = value
                    continue
                if not isinstance(value, str) or len(value) > 200:
                    errors[key] = f"{label}：第{i}项的“{columns[col]}”应为不超过200字的文本"
                    break
                row[col] = value.strip()
            if key == "annual_assessments" and key not in errors:
                if not isinstance(row.get("year"), int) or row.get("grade") not in GRADES:
                    errors[key] = f"{label}：第{i}项应有年度（整数）和等次（{'/'.join(GRADES)}）"
            if key in errors:
                break
            clean.append(row)
        if key not in errors:
            out[key] = clean
    return out


class People:
    def __init__(self, db: Database, clock: Clock, policy: Policy) -> None:
        self.db = db
        self.clock = clock
        self.policy = policy

    def _validate(self, data: Mapping[str, Any], partial: bool) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            raise ValidationFailed({"body": "应为对象"})
        errors: dict[str, str] = {}
        scalars = {k: v for k, v in data.items() if k in SCALARS}
        fields = PERSON_FIELDS
        if partial:
            fields = tuple(f for f in PERSON_FIELDS if f.name in scalars)
        for key in data:
            if key not in SCALARS and key not in LISTS and key != "id":
                errors[str(key)] = f"人员信息没有“{key}”这一项"
        clean: dict[str, Any] = {}
        try:
            clean = validate(fields, scalars, today=local_today(self.clock), lookups=_NoLookups())
        except ValidationFailed as exc:
            errors.update(exc.fields)
        lists = _check_lists(data, errors)
        if errors:
            raise ValidationFailed(errors)
        clean.update(lists)
        return clean

    def create(self, data: Mapping[str, Any], actor: Actor) -> PersonView:
        """Record a person (whoever the policy lets ``write_people``), managed by the organization
        ``managing_org`` names: the actor's own (the default) or, for an auditor-like subtree scope, one under it."""
        self.policy.require(actor, "write_people")
        data = dict(data) if isinstance(data, Mapping) else data
        code = data.pop("managing_org", None) if isinstance(data, dict) else None
        clean = self._validate(data, partial=False)
        now = self.clock.now()
        profile = {k: v for k, v in clean.items() if k not in COLUMNS}
        with self.db.write() as conn:
            org_id = self._managing_org(conn, code, actor)
            result = conn.execute(insert(people_t).values(
                name=clean["name"], gender=clean["gender"], birth_date=date.fromisoformat(clean["birth_date"]),
                unit=clean.get("unit", ""), current_post=clean.get("current_post", ""), profile=profile,
                managing_org_id=org_id, created_by=actor.username, created_at=now, updated_at=now))
            pid = inserted_id(result)
        return self.get(pid)

    @staticmethod
    def _managing_org(conn: Connection, code: object, actor: Actor) -> int:
        if code in (None, ""):
            return actor.org_id or root_id(conn)
        if not isinstance(code, str):
            raise ValidationFailed({"managing_org": "管理组织：应为组织编码"})
        org_id = org_id_for(conn, code)
        if actor.org_id and org_id != actor.org_id:
            raise ValidationFailed({"managing_org": "管理组织：只能登记本组织管理的干部"})
        return org_id

    def update(self, person_id: int, data: Mapping[str, Any]) -> PersonView:
        clean = self._validate(data, partial=True)
        current = self.get(person_id)
        profile = {**current.profile, **{k: v for k, v in clean.items() if k not in COLUMNS}}
        values: dict[str, Any] = {k: v for k, v in clean.items() if k in COLUMNS}
        if "birth_date" in values:
            values["birth_date"] = date.fromisoformat(values["birth_date"])
        with self.db.write() as conn:
            conn.execute(update(people_t).where(people_t.c.id == person_id).values(
                profile=profile, updated_at=self.clock.now(), **values))
        return self.get(person_id)

    def get(self, person_id: int, viewer: Actor | None = None) -> PersonView:
        """The person as ``viewer`` may read them (NotFound when they may not at all)."""
        with self.db.read() as conn:
            return seen(conn, self.policy, person_view(conn, person_id), viewer)

    def search(self, text: str = "", limit: int = 50, offset: int = 0, viewer: Actor | None = None
               ) -> tuple[list[PersonView], int]:
        """People whose name or unit contains ``text``, among those ``viewer`` may read."""
        with self.db.read() as conn:
            stmt = _PEOPLE.where(*people_conditions(conn, self.policy.people_visibility(viewer)))
            if text:
                stmt = stmt.where(people_t.c.name.contains(text, autoescape=True)
                                  | people_t.c.unit.contains(text, autoescape=True))
            total = conn.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
            rows = conn.execute(stmt.order_by(people_t.c.name, people_t.c.id).limit(limit).offset(offset)).all()
            return [seen(conn, self.policy, _person(r), viewer) for r in rows], int(total)

    def add_mark(self, person_id: int, kind: str, label: str, starts_on: date | None, ends_on: date | None,
                 reason: str, actor: Actor) -> None:
        """Record a blocking mark (影响期, 瞒报, ...) on a person (whoever may ``record_marks``)."""
        self.policy.require(actor, "record_marks")
        errors = {}
        if kind not in MARK_KINDS:
            errors["kind"] = f"类别：须为 {', '.join(MARK_KINDS)} 之一"
        if not label.strip():
            errors["label"] = "名称：此项为必填项"
        if starts_on and ends_on and ends_on < starts_on:
            errors["ends_on"] = "截止日期：不得早于起始日期"
        if errors:
            raise ValidationFailed(errors)
        self.get(person_id)
        with self.db.write() as conn:
            conn.execute(insert(marks_t).values(person_id=person_id, kind=kind, label=label.strip(),
                                                starts_on=starts_on, ends_on=ends_on, reason=reason,
                                                case_id=None, created_by=actor.username,
                                                created_at=self.clock.now()))

    def marks(self, person_id: int, viewer: Actor | None = None) -> list[MarkView]:
        """The person's marks: for those who read the whole record (nobody else sees marks)."""
        with self.db.read() as conn:
            if seen(conn, self.policy, person_view(conn, person_id), viewer).partial:
                return []
            return mark_views(conn, person_id)


_PEOPLE = (select(people_t, orgs_t.c.code.label("org_code"), orgs_t.c.path.label("org_path"))
           .join(orgs_t, orgs_t.c.id == people_t.c.managing_org_id))


def _person(r: Any) -> PersonView:
    return PersonView(r.id, r.name, r.gender, r.birth_date, r.unit, r.current_post, dict(r.profile or {}),
                      r.created_at, r.updated_at, r.managing_org_id, r.org_code)


def person_view(conn: Connection, person_id: int) -> PersonView:
    r = conn.execute(_PEOPLE.where(people_t.c.id == person_id)).first()
    if r is None:
        raise NotFound(f"人员不存在：{person_id}")
    return _person(r)


def seen(conn: Connection, policy: Policy, view: PersonView, viewer: Actor | None) -> PersonView:
    """``view`` as ``viewer`` may read it: whole, the participant's part, or NotFound."""
    if viewer is None:
        return view
    if policy.reads_whole_record(viewer, view.managing_org_id, path_of(conn, view.managing_org_id)):
        return view
    visible = people_conditions(conn, policy.people_visibility(viewer))
    if not conn.execute(select(people_t.c.id).where(people_t.c.id == view.id, *visible)).first():
        raise NotFound(f"人员不存在：{view.id}")
    keep = policy.catalog.participant_person_fields
    return replace(view, profile={k: v for k, v in view.profile.items() if k in keep}, partial=True)


def mark_views(conn: Connection, person_id: int) -> list[MarkView]:
    rows = conn.execute(select(marks_t).where(marks_t.c.person_id == person_id).order_by(marks_t.c.id))
    return [MarkView(r.id, r.kind, r.label, r.starts_on, r.ends_on, r.reason, r.case_id) for r in rows]
