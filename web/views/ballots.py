"""Ballots on the case page (blueprint ``ballots``): define one, print its slips, close it, vote by name.

The officer's form is turned into the same request the API takes (``workflow.ballots.spec``
checks both). Candidates and the people evaluated are one a line, ``姓名`` or ``姓名,人员编号``
(the number ties a candidate or an item to a person: the case's subject gets its figures
filled into the event that records the result). Every change redirects back to the case page.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from werkzeug.wrappers import Response

from workflow import PermissionDenied
from workflow import TransitionNotAllowed
from workflow import ValidationFailed
from workflow.clock import SHANGHAI

from .. import engine
from ..auth import current_actor

bp = Blueprint("ballots", __name__)
PERSON = re.compile(r"^(.+?)[,，]\s*(\d{1,10})$")


def _back(case_id: int) -> Response:
    return redirect(url_for("cases.show", case_id=case_id, _anchor="ballots"), code=303)


def _option(line: str) -> Any:
    found = PERSON.match(line)
    return {"label": found.group(1).strip(), "person_id": int(found.group(2))} if found else line


def spec_from_form(form: Any) -> dict[str, Any]:
    """The API's ballot request from the page's form."""
    kind = form.get("kind", "")
    lines = [line.strip() for line in (form.get("options") or "").splitlines() if line.strip()]
    raw: dict[str, Any] = {"kind": kind, "title": form.get("title", "")}
    if kind == "recommendation":
        most = form.get("max_choices", "1")
        raw["items"] = [{"key": "candidates", "label": raw["title"] or "推荐人选",
                         "options": [_option(x) for x in lines], "max_choices": _number(most)}]
    else:
        items = []
        for n, line in enumerate(lines, 1):
            option = _option(line)
            person = option if isinstance(option, dict) else {"label": option}
            items.append({"key": f"item{n}", "label": person["label"], "person_id": person.get("person_id")})
        raw["items"] = items
    if form.get("named") and kind == "vote":
        raw["named"] = True
        raw["members"] = [m.strip() for m in re.split(r"[\s,，、]+", form.get("members") or "") if m.strip()]
    else:
        voters = form.get("voters", "")
        raw["voters"] = _number(voters) if len(voters) < 7 else voters
    deadline = (form.get("deadline") or "").strip()
    if deadline:
        try:
            raw["deadline"] = datetime.fromisoformat(deadline).replace(tzinfo=SHANGHAI).isoformat()
        except ValueError:
            raw["deadline"] = deadline
    return raw


@bp.post("/cases/<int:case_id>/ballots")
@login_required  # type: ignore[misc]
def create(case_id: int) -> ResponseReturnValue:
    try:
        view, codes = engine().ballots.create(case_id, current_actor(), spec_from_form(request.form))
    except (ValidationFailed, TransitionNotAllowed, PermissionDenied) as exc:
        fields = getattr(exc, "fields", None)
        flash("未能发起投票：" + ("；".join(fields.values()) if fields else exc.message), "error")
        return _back(case_id)
    more = f"，请打印{len(codes)}张选票码发给投票人" if codes else "，请成员登录后在本页表决"
    flash(f"已发起投票“{view.title}”{more}", "success")
    return _back(case_id)


@bp.get("/cases/<int:case_id>/ballots/<int:ballot_id>/codes.pdf")
@login_required  # type: ignore[misc]
def codes_pdf(case_id: int, ballot_id: int) -> ResponseReturnValue:
    from documents.slips import render_slips

    from .files import _pdf

    pdf = render_slips(engine(), ballot_id, current_actor(), url_for("vote.page", _external=True),
                       request.remote_addr or "")
    return _pdf(pdf, f"选票码-投票{ballot_id}.pdf")


@bp.post("/cases/<int:case_id>/ballots/<int:ballot_id>/close")
@login_required  # type: ignore[misc]
def close(case_id: int, ballot_id: int) -> ResponseReturnValue:
    try:
        tally = engine().ballots.close(ballot_id, current_actor())
    except (TransitionNotAllowed, PermissionDenied) as exc:
        flash(exc.message, "error")
    else:
        flash(f"已结束投票并计票：应到{tally['voters']}人，实到{tally['cast']}人，有效票{tally['valid']}张", "success")
    return _back(case_id)


@bp.post("/cases/<int:case_id>/ballots/<int:ballot_id>/vote")
@login_required  # type: ignore[misc]
def vote(case_id: int, ballot_id: int) -> ResponseReturnValue:
    ballot = engine().ballots.get(ballot_id, current_actor())
    choices = {i["key"]: request.form.getlist(f"item-{i['key']}") for i in ballot.items}
    try:
        receipt = engine().ballots.vote_named(ballot_id, current_actor(), {k: v for k, v in choices.items() if v})
    except (ValidationFailed, TransitionNotAllowed, PermissionDenied) as exc:
        fields = getattr(exc, "fields", None)
        flash("未能表决：" + ("；".join(fields.values()) if fields else exc.message), "error")
    else:
        flash(f"已记录您的表决（回执号 {receipt}）", "success")
    return _back(case_id)


def _number(text: str) -> int | str:
    """ASCII digits as an int (``str.isdigit`` alone takes "²", which ``int`` refuses); else the text, for
    the ballot's own check to refuse with its message."""
    return int(text) if text.isascii() and text.isdigit() else text
