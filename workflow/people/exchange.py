"""Importing and exporting records: 干部任免审批表 files (LRMX, legacy LRM, ``.zip`` of them) and
the 干部名册 Excel workbook, over the pure codecs of ``workflow.exchange``.

Import: every form or row is parsed and validated like a record entered by hand; a
person is matched by 公民身份号码 when the file has one, else by name and birth month
(a form holds months only), among the people the importer reads in whole. A match is
updated with the facts the file gives (facts it leaves empty are kept; its history
records the import and the file), anything else is created, managed by the importing
user's organization unless ``managing_org`` is given. With any problem nothing is
written unless ``partial``; ``dry_run`` only reports what would happen (the upload
page's preview). All writes are one transaction.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from pathlib import Path
from typing import Any
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..clock import Clock
from ..errors import ValidationFailed
from ..exchange.bundle import read_bundle
from ..exchange.lrmx import to_lrmx
from ..exchange.roster_xlsx import ROSTER_COLUMNS
from ..exchange.roster_xlsx import Column
from ..exchange.roster_xlsx import export_roster
from ..exchange.roster_xlsx import import_roster
from ..persistence import people as rows
from ..persistence.db import Database
from ..persistence.tables import orgs_t
from ..persistence.tables import people_t
from ..persistence.visibility import people_conditions
from ..policy import Policy
from ..types import Actor
from . import records
from .chain import Writer
from .chain import diff
from .chain import facts_of
from .fields import check_person
from .kinship import keep_family_users
from .records import insert_person
from .records import managing_org_id
from .views import PersonView

COLUMNS: tuple[Column, ...] = (*ROSTER_COLUMNS, Column("grassroots_months", "基层工作经历（月）"))
Progress = Callable[[str, int, int], None]  # (stage 读取/写入, done, total)
Source = bytes | str | os.PathLike[str]


@dataclass(frozen=True)
class ImportProblem:
    file: str
    row: int | None
    field: str
    message: str


@dataclass(frozen=True)
class ImportItem:
    """One person of the files: what importing does with it (the preview lists these)."""

    file: str
    row: int | None
    name: str
    action: str  # "create", "update", "unchanged"
    person_id: int | None = None
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    unchanged: int
    problems: tuple[ImportProblem, ...]
    items: tuple[ImportItem, ...]
    written: bool


class PeopleLike(Protocol):
    """What the exchange uses of ``People`` (the service that owns it)."""

    db: Database
    clock: Clock
    policy: Policy
    writer: Writer

    @property
    def today(self) -> date: ...

    def whole(self, person_id: int, viewer: Actor | None) -> PersonView: ...

    def photo(self, person_id: int, viewer: Actor | None = None) -> tuple[str, bytes, str]: ...

    def query(self, conn: Connection, text: str, viewer: Actor | None, managing_org: str | None) -> Any: ...

    def search(self, text: str = "", limit: int = 50, offset: int = 0, viewer: Actor | None = None,
               managing_org: str | None = None) -> tuple[list[PersonView], int]: ...


@dataclass
class _Candidate:
    file: str
    row: int | None
    clean: dict[str, Any]
    photo: bytes | None = None


def is_workbook(name: str, data: bytes | None) -> bool:
    if name.lower().endswith(".xlsx"):
        return True
    return bool(data is not None and data[:4] == b"PK\x03\x04" and b"xl/" in data[:2000])


class Exchange:
    def __init__(self, people: PeopleLike) -> None:
        self.people = people

    # --- import ----------------------------------------------------------------------------------

    def parse(self, sources: Iterable[tuple[Source, str]], progress: Progress | None = None
              ) -> tuple[list[_Candidate], list[ImportProblem]]:
        """Every person of ``sources`` ((bytes or path, file name) pairs), validated; and every problem."""
        found: list[_Candidate] = []
        problems: list[ImportProblem] = []
        today = self.people.today
        for source, name in sources:
            for file, row, person, photo, raw in self._read(source, name, progress):
                if raw:
                    problems.extend(ImportProblem(file, row, f, m) for f, m in raw)
                    continue
                try:
                    clean = check_person(person, today, partial=False)
                except ValidationFailed as exc:
                    problems.extend(ImportProblem(file, row, k, v) for k, v in exc.fields.items())
                    continue
                if photo is not None:
                    try:
                        records.check_photo(photo)
                    except ValidationFailed as exc:
                        problems.extend(ImportProblem(file, row, k, v) for k, v in exc.fields.items())
                        continue
                found.append(_Candidate(file, row, clean, photo))
        return found, problems

    def _read(self, source: Source, name: str, progress: Progress | None
              ) -> Iterator[tuple[str, int | None, dict[str, Any], bytes | None, list[tuple[str, str]]]]:
        data = source if isinstance(source, bytes) else None
        if is_workbook(name or str(source), data):
            content = data if data is not None else Path(str(source)).read_bytes()
            good, errors = import_roster(content, COLUMNS, (lambda d, t: progress("读取", d, t)) if progress else None)
            keys = {c.label: c.key for c in COLUMNS}
            for row, label, message in errors:
                yield name, row or None, {}, None, [(keys.get(label, "file"), f"{label}：{message}" if label
                                                      else message)]
            for record in good:
                yield name, record.row, record.person, None, []
            return
        entries = list(read_bundle(source, name))
        for done, (file, parsed) in enumerate(entries, start=1):
            problems = [(p.field, p.message) for p in parsed.problems]
            yield file, None, dict(parsed.person), parsed.photo, problems
            if progress and (done % 50 == 0 or done == len(entries)):
                progress("读取", done, len(entries))

    def run(self, sources: Iterable[tuple[Source, str]], actor: Actor | None, *, managing_org: str | None = None,
            partial: bool = False, dry_run: bool = False, progress: Progress | None = None) -> ImportReport:
        """Import ``sources`` (see the module docstring); ``actor`` None is the local operator (CLI)."""
        if actor is not None:
            self.people.policy.require(actor, "write_people")
        found, problems = self.parse(sources, progress)
        write = not dry_run and (partial or not problems)
        db = self.people.db
        with (db.write() if write else db.read()) as conn:
            org_id = managing_org_id(conn, managing_org, actor)
            items = self._plan(conn, found, actor, problems)
            if write:
                self._write(conn, found, items, actor, org_id, progress)
        counts = {k: sum(1 for i in items if i.action == k) for k in ("create", "update", "unchanged")}
        return ImportReport(counts["create"], counts["update"], counts["unchanged"], tuple(problems),
                            tuple(items), write)

    def _known(self, conn: Connection, actor: Actor | None) -> tuple[dict[str, Any], dict[Any, list[Any]]]:
        """The people the importer may update: by 公民身份号码, and by (name, birth year, month)."""
        policy = self.people.policy
        stmt = rows.PERSON_ROW.where(*people_conditions(conn, policy.people_visibility(actor)))
        by_id: dict[str, Any] = {}
        by_name: dict[Any, list[Any]] = {}
        for r in conn.execute(stmt):
            if actor is not None and not policy.reads_whole_record(actor, r.managing_org_id, r.org_path):
                continue
            number = (r.profile or {}).get("id_number")
            if number:
                by_id[number] = r
            by_name.setdefault((r.name, r.birth_date.year, r.birth_date.month), []).append(r)
        return by_id, by_name

    def _plan(self, conn: Connection, found: list[_Candidate], actor: Actor | None,
              problems: list[ImportProblem]) -> list[ImportItem]:
        by_id, by_name = self._known(conn, actor)
        items: list[ImportItem] = []
        claimed: dict[int | str, str] = {}
        keep: list[_Candidate] = []
        for c in found:
            birth = date.fromisoformat(c.clean["birth_date"])
            match = by_id.get(c.clean.get("id_number") or "")
            if match is None:
                same = [r for r in by_name.get((c.clean["name"], birth.year, birth.month), [])
                        if not c.clean.get("id_number") or not (r.profile or {}).get("id_number")]
                if len(same) > 1:
                    problems.append(ImportProblem(c.file, c.row, "name", f"姓名：与{len(same)}名同名、同出生年月的"
                                                                         "干部都相符，请在文件中填写公民身份号码"))
                    continue
                match = same[0] if same else None
            where = f"{c.file}" + (f"第{c.row}行" if c.row else "")
            token: int | str = (match.id if match is not None
                                else f"{c.clean['name']}|{c.clean.get('id_number') or birth}")
            if token in claimed:
                problems.append(ImportProblem(c.file, c.row, "name", f"姓名：与{claimed[token]}是同一人，不能重复导入"))
                continue
            claimed[token] = where
            keep.append(c)
            items.append(self._item(conn, c, match))
        found[:] = keep
        return items

    @staticmethod
    def _item(conn: Connection, c: _Candidate, match: Any) -> ImportItem:
        if match is None:
            return ImportItem(c.file, c.row, c.clean["name"], "create", None,
                              {k: {"old": None, "new": v} for k, v in c.clean.items()})
        current = facts_of(match)
        unit = current.get("unit", "")
        post = c.clean.get("current_post")
        if unit and isinstance(post, str) and post.startswith(unit) and post != unit:
            c.clean["current_post"] = post[len(unit):]  # the form's 现任职务 carries the unit
        if "family" in c.clean:
            c.clean["family"] = keep_family_users(current.get("family"), c.clean["family"])
        changes = diff(current, {**current, **c.clean})
        old_photo = rows.photo(conn, match.photo_id) if match.photo_id else None
        if c.photo is not None and (old_photo is None or old_photo.sha256 != hashlib.sha256(c.photo).hexdigest()):
            changes["photo"] = {"old": match.photo_id, "new": "（文件中的照片）"}
        return ImportItem(c.file, c.row, c.clean["name"], "update" if changes else "unchanged", match.id, changes)

    def _write(self, conn: Connection, found: list[_Candidate], items: list[ImportItem], actor: Actor | None,
               org_id: int, progress: Progress | None) -> None:
        now = self.people.clock.now()
        writer = self.people.writer
        for done, (c, item) in enumerate(zip(found, items, strict=True), start=1):
            note = f"导入：{c.file}" + (f"第{c.row}行" if c.row else "")
            if item.action == "create":
                insert_person(conn, writer, c.clean, org_id, actor, now, kind="imported", note=note, photo=c.photo)
            else:
                assert item.person_id is not None
                if item.action == "update":
                    records.apply_facts(conn, writer, item.person_id, c.clean, actor, now, kind="imported", note=note)
                if c.photo is not None:
                    records.set_photo(conn, writer, item.person_id, c.photo, actor, now, kind="imported", note=note)
            if progress and (done % 100 == 0 or done == len(found)):
                progress("写入", done, len(found))

    # --- export ----------------------------------------------------------------------------------

    def lrmx(self, person_id: int, viewer: Actor | None, on: date | None = None) -> tuple[PersonView, bytes]:
        """The person's 干部任免审批表 as LRMX (for a reader of the whole record; else NotFound)."""
        view = self.people.whole(person_id, viewer)
        photo = None
        if view.photo_id:
            photo = self.people.photo(person_id, viewer)[1]
        with self.people.db.read() as conn:
            org = conn.execute(select(orgs_t.c.name).where(orgs_t.c.id == view.managing_org_id)).scalar_one()
        person = {**view.as_dict(), "current_post": view.post_with_unit}
        today = on or self.people.today
        return view, to_lrmx(person, photo, reporting_unit=str(org), age_on=today, filled_on=today,
                             filled_by=viewer.display if viewer else "")

    def roster(self, viewer: Actor | None, text: str = "", managing_org: str | None = None) -> tuple[bytes, int]:
        """The 干部名册 workbook of the people ``GET /people`` lists for ``viewer`` (all of them), and how many."""
        with self.people.db.read() as conn:
            stmt = self.people.query(conn, text, viewer, managing_org)
            found = [r for r in conn.execute(stmt.order_by(people_t.c.name, people_t.c.id))]
            policy = self.people.policy
            keep = policy.catalog.participant_person_fields
            out = []
            for r in found:
                facts = {**(r.profile or {}), "name": r.name, "gender": r.gender, "birth_date": r.birth_date,
                         "unit": r.unit, "current_post": r.current_post}
                if viewer is not None and not policy.reads_whole_record(viewer, r.managing_org_id, r.org_path):
                    facts = {k: v for k, v in facts.items() if k in keep}
                out.append(facts)
        return export_roster(out, COLUMNS), len(out)

    def lrmx_files(self, viewer: Actor | None) -> Iterator[tuple[str, bytes]]:
        """(file name, LRMX) of every person ``viewer`` reads in whole (the CLI's export)."""
        people, _ = self.people.search("", limit=10**9, viewer=viewer)
        for p in people:
            if not p.partial:
                yield f"{p.id:06d}-{p.name}.lrmx", self.lrmx(p.id, viewer)[1]


__all__ = ["COLUMNS", "Exchange", "ImportItem", "ImportProblem", "ImportReport"]
