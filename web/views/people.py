"""People (blueprint ``people``): a cadre's record and creating one with the 干部任免审批表 facts."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint
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
from workflow import ValidationFailed
from workflow.access import ACTION_LABELS
from workflow.access import OBJECT_LABELS
from workflow.clock import local_today
from workflow.people import LISTS
from workflow.people import PERSON_FIELDS

from .. import engine
from ..auth import capability_required
from ..auth import current_actor
from ..auth import safe_next
from ..forms import attach_errors
from ..forms import person_form
from ..forms import person_values
from . import Page
from . import page_number
from . import page_url_args
from . import present

bp = Blueprint("people", __name__)
PER_PAGE = 50


@bp.get("/people")
@capability_required("read_roster")
def index() -> ResponseReturnValue:
    """干部名册: every person on record, searchable by name or unit, 50 a page."""
    q = (request.args.get("q") or "").strip()[:50]
    number = page_number()
    people, total = engine().people.search(q, limit=PER_PAGE, offset=(number - 1) * PER_PAGE,
                                           viewer=current_actor())
    can_add = engine().policy.has(current_actor(), "write_people")
    today = local_today(engine().clock)
    rows = [(p, _age(p.birth_date, today)) for p in people]
    return render_template("people/index.html", rows=rows, q=q, page=Page(number, PER_PAGE, total),
                           url_args=page_url_args, can_add=can_add)


def _age(birth: date | None, today: date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


@bp.get("/people/<int:person_id>")
@login_required  # type: ignore[misc]
def show(person_id: int) -> ResponseReturnValue:
    actor = current_actor()
    person = engine().people.get(person_id, actor)
    engine().access.record(actor, "view", "person", person_id=person_id, address=request.remote_addr or "")
    cases, _ = engine().list_cases(CaseQuery(subject_id=person_id, per_page=200), actor)
    # A participant reads the part of the record their work needs: the rest is not shown at all.
    keep = engine().policy.catalog.participant_person_fields if person.partial else None
    fields = [(f.label, shown.show(person.as_dict().get(f.name), f, {})) for f in PERSON_FIELDS
              if keep is None or f.name in keep or f.name in ("name", "gender", "birth_date")]
    lists = [(label, list(columns.values()), [[str(row.get(c, "")) for c in columns]
                                             for row in person.profile.get(key) or []])
             for key, (label, columns) in LISTS.items() if keep is None or key in keep]
    return render_template("people/show.html", person=person, fields=fields, lists=lists, cases=cases,
                           marks=engine().people.marks(person_id, actor),
                           readers=_readers(person_id, actor), names=present.user_names(),
                           action_labels=ACTION_LABELS, object_labels=OBJECT_LABELS)


@bp.route("/people/new", methods=["GET", "POST"])
@capability_required("write_people")
def new() -> ResponseReturnValue:
    form = person_form() if request.method == "POST" else person_form(formdata=None)
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        try:
            person = engine().people.create(person_values(form), current_actor())
        except ValidationFailed as exc:
            labels = {f.name: f.label for f in PERSON_FIELDS}
            form.form_errors.extend(attach_errors(form, exc.fields, labels))
            status = 422
        else:
            flash(f"已登记人员：{person.name}", "success")
            target = request.args.get("next")
            if target:
                sep = "&" if "?" in target else "?"
                return redirect(safe_next(f"{target}{sep}person={person.id}"), code=303)
            return redirect(url_for("people.show", person_id=person.id), code=303)
    return render_template("people/new.html", form=form, fields=PERSON_FIELDS, lists=LISTS), status


def _readers(person_id: int, actor: Actor) -> list[Any]:
    """Who has read this record (查阅登记), for those who browse the register."""
    if not engine().policy.has(actor, "read_audit"):
        return []
    entries, _ = engine().access.entries(actor, person_id=person_id, per_page=50)
    return entries
