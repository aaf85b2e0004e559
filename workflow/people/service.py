"""``engine.people``: register, read, edit and search cadres; their grades, sanctions, marks and photo.

Who may do what is the policy's (``write_people`` to register and edit, ``record_marks`` for
sanctions and marks, ``read_people`` to read); what a reader sees is ``views.seen``. Every
change goes through ``records`` and so through the one write path with its history entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..clock import Clock
from ..clock import local_today
from ..errors import NotFound
from ..errors import PermissionDenied
from ..errors import ValidationFailed
from ..persistence import people as rows
from ..persistence.blobs import blob
from ..persistence.db import Database
from ..persistence.orgs import org_id_for
from ..persistence.tables import orgs_t
from ..persistence.tables import people_t
from ..persistence.visibility import people_conditions
from ..policy import Policy
from ..types import MARK_KINDS
from ..types import Actor
from ..types import PersonMark
from . import records
from .chain import FamilyHook
from .chain import Writer
from .exchange import Exchange
from .fields import GRADES
from .fields import check_person
from .kinship import check_family_users
from .records import insert_person
from .records import managing_org_id
from .views import HistoryEntry
from .views import MarkView
from .views import PersonView
from .views import SanctionView
from .views import entry_of
from .views import mark_views
from .views import person_of
from .views import person_view
from .views import sanction_of
from .views import seen
from .views import visible_entries
from .views import whole

PEOPLE = rows.PERSON_ROW


class People:
    def __init__(self, db: Database, clock: Clock, policy: Policy, key: bytes = b"",
                 on_family: FamilyHook | None = None) -> None:
        self.db = db
        self.clock = clock
        self.policy = policy
        self.writer = Writer(key, on_family)  # on_family: the engine's 亲属回避 (commands/kinship.py)
        self.exchange = Exchange(self)

    @property
    def today(self) -> date:
        return local_today(self.clock)

    # --- writes -------------------------------------------------------------------------------------

    def create(self, data: Mapping[str, Any], actor: Actor) -> PersonView:
        """Record a person (whoever the policy lets ``write_people``), managed by the organization
        ``managing_org`` names: the actor's own (the default)."""
        self.policy.require(actor, "write_people")
        data = dict(data) if isinstance(data, Mapping) else data
        code = data.pop("managing_org", None) if isinstance(data, dict) else None
        clean = check_person(data, self.today, partial=False)
        with self.db.write() as conn:
            check_family_users(conn, clean.get("family"))
            pid = insert_person(conn, self.writer, clean, managing_org_id(conn, code, actor), actor,
                                self.clock.now())
        return self.get(pid)

    def _writable(self, conn: Connection, person_id: int, actor: Actor | None, capability: str) -> None:
        """Refuse a writer who may not change this person: 404 if they may not see them at all."""
        if actor is None:
            return
        view = seen(conn, self.policy, person_view(conn, person_id), actor)
        self.policy.require(actor, capability)
        if view.partial:
            raise PermissionDenied("只能修改本组织管理的干部的信息")

    def update(self, person_id: int, data: Mapping[str, Any], actor: Actor | None = None,
               expected_version: int | None = None, *, note: str = "") -> PersonView:
        """Change some facts (a PATCH); every change is kept in the history. ``expected_version``
        is the version the caller read: somebody else's change in between is 409 stale_version."""
        if isinstance(data, Mapping) and "managing_org" in data:
            raise ValidationFailed({"managing_org": "管理组织：不能在此修改（干部管理权限的调整由组织管理员办理）"})
        with self.db.write() as conn:
            self._writable(conn, person_id, actor, "write_people")
            current = person_view(conn, person_id)
            clean = check_person(data, self.today, partial=True, current={**current.as_dict()})
            check_family_users(conn, clean.get("family"))
            records.apply_facts(conn, self.writer, person_id, clean, actor, self.clock.now(), note=note,
                                expected_version=expected_version)
        return self.get(person_id, actor)

    def transfer(self, person_id: int, org: Any, reason: Any, actor: Actor, expected_version: int | None = None
                 ) -> str:
        """Hand the person over to organization ``org`` (a code): 干部管理权限 moves there, and so does
        who sees the record. Kept in the history with its reason. Only those who may
        ``transfer_people`` and read the whole record; the cases already opened stay where they are.
        Returns the new managing organization's name."""
        errors = {}
        if not isinstance(reason, str) or not reason.strip() or len(reason) > 500:
            errors["reason"] = "调整理由：此项为必填项，不超过500个字"
        if not isinstance(org, str) or not org:
            errors["managing_org"] = "管理组织：请选择组织"
        if errors:
            raise ValidationFailed(errors)
        with self.db.write() as conn:
            self._writable(conn, person_id, actor, "transfer_people")
            try:
                target = org_id_for(conn, org)
            except ValidationFailed:
                raise ValidationFailed({"managing_org": f"管理组织：没有编码为“{org}”的组织"}) from None
            if target == person_view(conn, person_id).managing_org_id:
                raise ValidationFailed({"managing_org": "管理组织：该干部已由这个组织管理"})
            self.writer.write(conn, person_id, actor, "transfer", lambda row: {"managing_org_id": target},
                              now=self.clock.now(), note=f"调整干部管理权限：{reason.strip()}",
                              expected_version=expected_version)
            return str(conn.execute(select(orgs_t.c.name).where(orgs_t.c.id == target)).scalar_one())

    def add_assessment(self, person_id: int, year: Any, grade: Any, actor: Actor, reason: str = ""
                       ) -> tuple[PersonView, bool]:
        """Record the 年度考核 grade of ``year``; a year already graded is corrected only with a reason.
        Returns the person and whether an existing grade was corrected."""
        errors = {}
        if isinstance(year, bool) or not isinstance(year, int) or not 1950 <= year <= self.today.year:
            errors["year"] = f"年度：应为1950至{self.today.year}之间的整数"
        if grade not in GRADES:
            errors["grade"] = f"等次：应为{'、'.join(GRADES)}之一"
        if not isinstance(reason, str) or len(reason) > 2000:
            errors["reason"] = "更正理由：应为不超过2000字的文本"
        if errors:
            raise ValidationFailed(errors)
        with self.db.write() as conn:
            self._writable(conn, person_id, actor, "write_people")
            items = [dict(a) for a in person_view(conn, person_id).profile.get("annual_assessments") or []]
            old = next((a for a in items if a.get("year") == year), None)
            if old is not None and not reason.strip():
                raise ValidationFailed(
                    {"year": f"年度：{year}年度已有考核结果“{old.get('grade')}”，更正须填写更正理由"})
            items = sorted([a for a in items if a.get("year") != year] + [{"year": year, "grade": grade}],
                           key=lambda a: int(a["year"]))
            note = f"更正{year}年度考核结果：{reason.strip()}" if old else f"录入{year}年度考核结果"
            records.apply_facts(conn, self.writer, person_id, {"annual_assessments": items}, actor,
                                self.clock.now(), kind="assessment", note=note)
        return self.get(person_id, actor), old is not None

    def add_sanction(self, person_id: int, data: Mapping[str, Any], actor: Actor) -> SanctionView:
        """Record a 处分/问责/组织处理/诫勉 (whoever may ``record_marks``); its 影响期 comes from the kind."""
        if not isinstance(data, Mapping):
            raise ValidationFailed({"body": "应为对象"})
        with self.db.write() as conn:
            self._writable(conn, person_id, actor, "record_marks")
            sid = records.add_sanction(conn, self.writer, person_id, data, actor, self.clock.now(), self.today)
            return next(s for s in self._sanctions(conn, person_id) if s.id == sid)

    def set_photo(self, person_id: int, content: bytes | None, actor: Actor | None) -> PersonView:
        """Set the photo (JPEG/PNG by content, at most 2 MB); None removes it (kept in the history)."""
        if content is not None:
            records.check_photo(content)
        with self.db.write() as conn:
            self._writable(conn, person_id, actor, "write_people")
            records.set_photo(conn, self.writer, person_id, content, actor, self.clock.now())
        return self.get(person_id, actor)

    def add_mark(self, person_id: int, kind: str, label: str, starts_on: date | None, ends_on: date | None,
                 reason: str, actor: Actor) -> None:
        """Record a blocking mark (瞒报, other situations) on a person (whoever may ``record_marks``)."""
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
        with self.db.write() as conn:
            self._writable(conn, person_id, actor, "record_marks")
            records.add_mark(conn, self.writer, person_id, PersonMark(kind, label.strip(), starts_on, ends_on, reason),
                             actor, self.clock.now())

    # --- reads --------------------------------------------------------------------------------------

    def get(self, person_id: int, viewer: Actor | None = None) -> PersonView:
        """The person as ``viewer`` may read them (NotFound when they may not at all)."""
        with self.db.read() as conn:
            return seen(conn, self.policy, person_view(conn, person_id), viewer)

    def search(self, text: str = "", limit: int = 50, offset: int = 0, viewer: Actor | None = None,
               managing_org: str | None = None) -> tuple[list[PersonView], int]:
        """People whose name or unit contains ``text``, among those ``viewer`` may read."""
        with self.db.read() as conn:
            stmt = self.query(conn, text, viewer, managing_org)
            total = conn.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
            found = conn.execute(stmt.order_by(people_t.c.name, people_t.c.id).limit(limit).offset(offset)).all()
            return [seen(conn, self.policy, person_of(r), viewer) for r in found], int(total)

    def query(self, conn: Connection, text: str, viewer: Actor | None, managing_org: str | None) -> Any:
        """The SELECT of ``search`` (the roster export runs it unpaged)."""
        stmt = PEOPLE.where(*people_conditions(conn, self.policy.people_visibility(viewer)))
        if text:
            stmt = stmt.where(people_t.c.name.contains(text, autoescape=True)
                              | people_t.c.unit.contains(text, autoescape=True))
        if managing_org:
            try:
                stmt = stmt.where(people_t.c.managing_org_id == org_id_for(conn, managing_org))
            except ValidationFailed:
                stmt = stmt.where(people_t.c.id.is_(None))
        return stmt

    def history(self, person_id: int, viewer: Actor | None = None) -> list[HistoryEntry]:
        """Every change of the record, oldest first, as ``viewer`` may see it."""
        with self.db.read() as conn:
            view = seen(conn, self.policy, person_view(conn, person_id), viewer)
            entries = [entry_of(r) for r in rows.history_rows(conn, person_id)]
            return visible_entries(entries, view, self.policy)

    def _sanctions(self, conn: Connection, person_id: int) -> list[SanctionView]:
        return [sanction_of(r) for r in rows.sanctions(conn, person_id)]

    def sanctions(self, person_id: int, viewer: Actor | None = None) -> list[SanctionView]:
        """The sanctions register of a person: for those who read the whole record (else NotFound)."""
        with self.db.read() as conn:
            whole(conn, self.policy, person_id, viewer)
            return self._sanctions(conn, person_id)

    def marks(self, person_id: int, viewer: Actor | None = None) -> list[MarkView]:
        """The person's marks: for those who read the whole record (nobody else sees marks)."""
        with self.db.read() as conn:
            if seen(conn, self.policy, person_view(conn, person_id), viewer).partial:
                return []
            return mark_views(conn, person_id)

    def photo(self, person_id: int, viewer: Actor | None = None) -> tuple[str, bytes, str]:
        """(content type, bytes, SHA-256) of the current photo; NotFound when there is none to show."""
        with self.db.read() as conn:
            view = whole(conn, self.policy, person_id, viewer)
            row = rows.photo(conn, view.photo_id) if view.photo_id else None
            content = blob(conn, row.sha256) if row is not None else None
            if row is None or content is None:
                raise NotFound(f"人员{person_id}没有照片")
            return str(row.content_type), content, str(row.sha256)

    def whole(self, person_id: int, viewer: Actor | None) -> PersonView:
        """The person for a reader of the whole record (exports, the 任免审批表 file); else NotFound."""
        with self.db.read() as conn:
            return whole(conn, self.policy, person_id, viewer)
