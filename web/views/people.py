"""People (blueprint ``people``): the roster, a cadre's record with its history, creating and editing one.

The photo, grades, sanctions and the files (LRMX, Excel) are in ``people_records``; the
upload page with its preview in ``people_import``. What a reader sees is the engine's
(``engine.people.get``: a participant only the part their work needs; others 404).
"""

from __future__ import annotations

from typing import Any

from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from documents import present as shown
from workflow import Actor
from workflow import CaseQuery
from workflow import StaleVersion
from workflow import ValidationFailed
from workflow.access import ACTION_LABELS
from workflow.access import OBJECT_LABELS
from workflow.people import LABELS
from workflow.people import LISTS
from workflow.people import PERSON_FIELDS
from workflow.people import PersonView
from workflow.people import family_warnings

from .. import engine
from ..auth import capability_required
from ..auth import current_actor
from ..auth import safe_next
from ..forms import AUTO
from ..forms import VERSION
from ..forms import attach_errors
from ..forms import keep_unknown_choices
from ..forms import person_form
from ..forms import person_values
from . import Page
from . import page_number
from . import page_url_args
from . import people_import  # noqa: F401  (registers its routes on bp)
from . import people_records
from . import present
from .people_bp import age
from .people_bp import bp
from .people_bp import history_rows

PER_PAGE = 50
EDIT_LISTS = ("resume", "family")  # annual grades are entered one year at a time, corrections with a reason

__all__ = ["bp"]


@bp.get("/people")
@capability_required("read_roster")
def index() -> ResponseReturnValue:
    """干部名册: every person on record, searchable by name or unit, 50 a page."""
    q = (request.args.get("q") or "").strip()[:50]
    number = page_number()
    people, total = engine().people.search(q, limit=PER_PAGE, offset=(number - 1) * PER_PAGE,
                                           viewer=current_actor())
    can_add = engine().policy.has(current_actor(), "write_people")
    today = engine().people.today
    rows = [(p, age(p.birth_date, today)) for p in people]
    return render_template("people/index.html", rows=rows, q=q, page=Page(number, PER_PAGE, total),
                           url_args=page_url_args, can_add=can_add)


@bp.get("/people/<int:person_id>")
@login_required  # type: ignore[misc]
def show(person_id: int) -> ResponseReturnValue:
    actor = current_actor()
    eng = engine()
    person = eng.people.get(person_id, actor)
    eng.access.record(actor, "view", "person", person_id=person_id, address=request.remote_addr or "")
    cases, _ = eng.list_cases(CaseQuery(subject_id=person_id, per_page=200), actor)
    names = present.user_names()
    facts = person.as_dict()
    # A participant reads the part of the record their work needs: the rest is not shown at all.
    keep = eng.policy.catalog.participant_person_fields if person.partial else None
    fields = [(f.label, shown.show(facts.get(f.name), f, {})) for f in PERSON_FIELDS
              if keep is None or f.name in keep or f.name in ("name", "gender", "birth_date")]
    lists = [(label, list(columns.values()), [[str(row.get(c, "")) for c in columns]
                                             for row in person.profile.get(key) or []])
             for key, (label, columns) in LISTS.items() if not person.partial or key in person.profile]
    return render_template(
        "people/show.html", person=person, fields=fields, lists=lists, cases=cases,
        marks=eng.people.marks(person_id, actor), readers=_readers(person_id, actor), names=names,
        history=history_rows(eng.people.history(person_id, actor), names), today=eng.people.today,
        org_name="" if person.partial else eng.orgs.by_id(person.managing_org_id).name,
        action_labels=ACTION_LABELS, object_labels=OBJECT_LABELS, family_label=LISTS["family"][0],
        kinship_warnings=[] if person.partial else family_warnings(person.profile.get("family")),
        **people_records.panels(person, actor))


@bp.route("/people/new", methods=["GET", "POST"])
@capability_required("write_people")
def new() -> ResponseReturnValue:
    form = person_form() if request.method == "POST" else person_form(formdata=None)
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        try:
            person = engine().people.create(person_values(form), current_actor())
        except ValidationFailed as exc:
            form.form_errors.extend(attach_errors(form, exc.fields, LABELS))
            status = 422
        else:
            flash(f"已登记人员：{person.name}", "success")
            target = request.args.get("next")
            if target:
                sep = "&" if "?" in target else "?"
                return redirect(safe_next(f"{target}{sep}person={person.id}"), code=303)
            return redirect(url_for("people.show", person_id=person.id), code=303)
    return render_template("people/new.html", form=form, fields=PERSON_FIELDS, lists=LISTS), status


def _changes(person: PersonView, values: dict[str, Any]) -> dict[str, Any]:
    """What the edit form changes (as a PATCH): changed values, and None for each field emptied."""
    current = person.as_dict()
    patch: dict[str, Any] = {}
    for f in PERSON_FIELDS:
        before = current.get(f.name)
        after = values.get(f.name)
        if (str(before) if before not in (None, "") else None) != after:
            patch[f.name] = after
    for key in EDIT_LISTS:
        if (current.get(key) or None) != values.get(key):
            patch[key] = values.get(key)
    return patch


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@capability_required("write_people")
def edit(person_id: int) -> ResponseReturnValue:
    """Every fact and the 简历 and 家庭成员 tables; saved as the changes only, against the version read."""
    actor = current_actor()
    person = engine().people.get(person_id, actor)
    data = person.as_dict()
    form = person_form(formdata=None if request.method == "GET" else AUTO, data=data, lists=EDIT_LISTS)
    keep_unknown_choices(form, data)
    status = 200
    if request.method == "GET":
        form[VERSION].data = str(person.version)
    elif form.validate_on_submit():
        raw = str(form[VERSION].data or "")
        version = int(raw) if raw.isascii() and raw.isdigit() else person.version
        try:
            engine().people.update(person_id, _changes(person, person_values(form, EDIT_LISTS)), actor,
                                   expected_version=version)
        except StaleVersion as exc:
            flash(f"{exc.message}。下面是最新的信息，请重新修改。", "warning")
            return redirect(url_for("people.edit", person_id=person_id), code=303)
        except ValidationFailed as exc:
            form.form_errors.extend(attach_errors(form, exc.fields, LABELS))
            status = 422
        else:
            flash(f"已保存{person.name}的信息", "success")
            return redirect(url_for("people.show", person_id=person_id), code=303)
    lists = {k: LISTS[k] for k in EDIT_LISTS}
    return render_template("people/edit.html", form=form, person=person, fields=PERSON_FIELDS, lists=lists), status


def _readers(person_id: int, actor: Actor) -> list[Any]:
    """Who has read this record (查阅登记), for those who browse the register."""
    if not engine().policy.has(actor, "read_audit"):
        return []
    entries, _ = engine().access.entries(actor, person_id=person_id, per_page=50)
    return entries
