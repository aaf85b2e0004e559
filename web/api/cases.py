"""Cases: list, open, read, fire events, history, recusals, 催办.

Each view reads and checks the request, makes ONE engine call and maps the
answer; every rule (roles, recusal, separation of duties, guards, versions) is
the engine's. ``available_events`` is always computed for the caller.
"""

from __future__ import annotations

from typing import Any

from flask import Response
from flask import jsonify
from flask import request
from flask import url_for

from workflow import CaseQuery

from .. import engine
from ..throttle import flood_check
from ..throttle import flood_count
from .auth import current_actor
from .blueprint import bp
from .schemas import CREATE_CASE
from .schemas import FIRE_EVENT
from .schemas import RECUSAL_INPUT
from .schemas import SIGNER_INPUT
from .schemas import URGE_INPUT
from .schemas import WITHDRAW_INPUT
from .serialize import approvals_json
from .serialize import case_json
from .serialize import event_json
from .serialize import iso
from .serialize import recusal_json
from .validation import json_body
from .validation import query_bool
from .validation import query_int
from .validation import query_text

ID = "int(min=1, max=2147483647)"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000


def page_args() -> tuple[int, int]:
    page = query_int("page", 1, 1, MAX_PAGE, "页码")
    per_page = query_int("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE, "每页条数")
    return page, per_page


@bp.get("/cases")
def list_cases() -> Any:
    page, per_page = page_args()
    subject = query_int("subject_id", 0, 1, 2**31 - 1, "人员编号")
    q = CaseQuery(definition=query_text("definition", 64), state=query_text("state", 64),
                  overdue=query_bool("overdue", "逾期筛选"), subject_id=subject or None,
                  page=page, per_page=per_page)
    items, total = engine().list_cases(q, current_actor(), with_actions=True)
    return {"items": [case_json(c) for c in items], "total": total, "page": page, "per_page": per_page}


@bp.post("/cases")
def create_case() -> Any:
    body = json_body(CREATE_CASE)
    snap = engine().start_case(body["definition"], current_actor(), title=body["title"],
                               subject_id=body.get("subject_id"), data=body.get("data") or {},
                               comment=body.get("comment", ""))
    return _created(case_json(snap), url_for(".get_case", case_id=snap.id))


@bp.get(f"/cases/<{ID}:case_id>")
def get_case(case_id: int) -> Any:
    body = case_json(engine().get_case(case_id, current_actor()))
    engine().access.record(current_actor(), "view", "case", case_id=case_id, address=request.remote_addr or "")
    return body


@bp.post(f"/cases/<{ID}:case_id>/events")
def fire_event(case_id: int) -> Any:
    body = json_body(FIRE_EVENT)
    actor = current_actor()
    flood_check("event", case_id, actor)
    result = engine().fire(case_id, body["event"], actor, body.get("data") or {},
                           expected_version=body["expected_version"], comment=body.get("comment", ""),
                           cc=body.get("cc"))
    flood_count("event", case_id, actor.username)
    if result.waiting is not None:
        return {"case": case_json(result.case), "approvals": approvals_json(result.waiting)}, 202
    return case_json(result.case)


@bp.get(f"/cases/<{ID}:case_id>/history")
def history(case_id: int) -> Any:
    events = [event_json(e) for e in engine().history(case_id, current_actor())]
    engine().access.record(current_actor(), "view", "case", case_id=case_id, detail="history",
                           address=request.remote_addr or "")
    return jsonify(events)


@bp.post(f"/cases/<{ID}:case_id>/recusals")
def add_recusal(case_id: int) -> Any:
    body = json_body(RECUSAL_INPUT)
    view = engine().add_recusal(case_id, body["username"], body["reason"], current_actor())
    return _created(recusal_json(view), url_for(".list_recusals", case_id=case_id))


@bp.get(f"/cases/<{ID}:case_id>/recusals")
def list_recusals(case_id: int) -> Any:
    return jsonify([recusal_json(r) for r in engine().recusals(case_id, current_actor())])


@bp.post(f"/cases/<{ID}:case_id>/urge")
def urge(case_id: int) -> Any:
    body = json_body(URGE_INPUT)
    at = engine().urge(case_id, body["username"], body["text"], current_actor())
    return _created({"case_id": case_id, "username": body["username"], "text": body["text"].strip(), "at": iso(at)},
                    url_for(".history", case_id=case_id))


@bp.post(f"/cases/<{ID}:case_id>/signers")
def add_signer(case_id: int) -> Any:
    body = json_body(SIGNER_INPUT)
    event, got = engine().add_signer(case_id, body["username"], body["reason"], current_actor(), body.get("event"))
    return _created({"case_id": case_id, "event": event, "username": body["username"].strip(),
                     "approvals": approvals_json(got)}, url_for(".get_case", case_id=case_id))


@bp.post(f"/cases/<{ID}:case_id>/withdraw")
def withdraw(case_id: int) -> Any:
    body = json_body(WITHDRAW_INPUT)
    actor = current_actor()
    flood_check("event", case_id, actor)
    result = engine().withdraw(case_id, actor, body["expected_version"], body.get("comment", ""))
    flood_count("event", case_id, actor.username)
    return case_json(result.case)


def _created(body: dict[str, Any], location: str) -> Response:
    resp = jsonify(body)
    resp.status_code = 201
    resp.headers["Location"] = location
    return resp
