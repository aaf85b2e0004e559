"""People (cadres): register, read, edit (versioned, every change kept), search, grades, sanctions.

The engine validates every fact (422 with a Chinese message per field), the policy
decides who may write (``write_people``, ``record_marks``) and what each reader sees;
a person the caller may not see is 404 on every endpoint. Files (photo, LRMX, Excel,
import) are in ``people_files``.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask import request
from flask import url_for

from workflow.codes import code_set
from workflow.codes import names as code_set_names
from workflow.people import HistoryEntry
from workflow.people import SanctionView
from workflow.sanctions import kinds

from .. import engine
from .auth import current_actor
from .blueprint import bp
from .cases import ID
from .cases import page_args
from .errors import ApiError
from .people_schemas import ASSESSMENT_INPUT
from .people_schemas import PERSON_PATCH
from .people_schemas import SANCTION_INPUT
from .people_schemas import TRANSFER_INPUT
from .schemas import PERSON_ENVELOPE
from .serialize import iso
from .serialize import person_json
from .validation import json_body
from .validation import query_text


def _address() -> str:
    return request.remote_addr or ""


def history_json(e: HistoryEntry) -> dict[str, Any]:
    return {"seq": e.seq, "at": iso(e.at), "actor": e.actor, "actor_name": e.actor_name, "kind": e.kind,
            "changes": e.changes, "note": e.note, "case_id": e.case_id, "hash": e.hash, "prev_hash": e.prev_hash}


def sanction_json(s: SanctionView) -> dict[str, Any]:
    return {"id": s.id, "kind": s.kind, "label": s.label, "months": s.months, "decided_on": s.decided_on.isoformat(),
            "decided_by": s.decided_by, "reason": s.reason, "document_no": s.document_no,
            "effect_until": s.effect_until.isoformat() if s.effect_until else None,
            "active": s.active_on(engine().people.today), "case_id": s.case_id, "recorded_by": s.recorded_by,
            "recorded_at": iso(s.recorded_at)}


@bp.post("/people")
def create_person() -> Any:
    actor = current_actor()
    engine().policy.require(actor, "write_people")
    body = json_body(PERSON_ENVELOPE)
    person = engine().people.create(body, actor)
    resp = jsonify(person_json(person))
    resp.status_code = 201
    resp.headers["Location"] = url_for(".get_person", person_id=person.id)
    return resp


@bp.get(f"/people/<{ID}:person_id>")
def get_person(person_id: int) -> Any:
    body = person_json(engine().people.get(person_id, current_actor()))
    engine().access.record(current_actor(), "view", "person", person_id=person_id, address=_address())
    return body


@bp.patch(f"/people/<{ID}:person_id>")
def patch_person(person_id: int) -> Any:
    """Change some facts; ``expected_version`` is the version read (409 stale_version if it moved on)."""
    body = json_body(PERSON_PATCH)
    version = body.pop("expected_version")
    person = engine().people.update(person_id, body, current_actor(), expected_version=version)
    return person_json(person)


@bp.get(f"/people/<{ID}:person_id>/history")
def person_history(person_id: int) -> Any:
    entries = engine().people.history(person_id, current_actor())
    engine().access.record(current_actor(), "view", "person", person_id=person_id, detail="变更记录",
                           address=_address())
    return jsonify([history_json(e) for e in entries])


@bp.get("/people")
def search_people() -> Any:
    page, per_page = page_args()
    items, total = engine().people.search(query_text("q", 50) or "", limit=per_page,
                                          offset=(page - 1) * per_page, viewer=current_actor(),
                                          managing_org=query_text("managing_org", 32))
    return {"items": [person_json(p) for p in items], "total": total, "page": page, "per_page": per_page}


@bp.post(f"/people/<{ID}:person_id>/assessments")
def add_assessment(person_id: int) -> Any:
    """年度考核: a new year is 201; a year already graded is corrected (200) only with a ``reason``."""
    body = json_body(ASSESSMENT_INPUT)
    person, corrected = engine().people.add_assessment(person_id, body["year"], body["grade"], current_actor(),
                                                       body.get("reason", ""))
    resp = jsonify({"year": body["year"], "grade": body["grade"], "corrected": corrected, "version": person.version})
    resp.status_code = 200 if corrected else 201
    return resp


@bp.post(f"/people/<{ID}:person_id>/transfer")
def transfer_person(person_id: int) -> Any:
    """调整干部管理权限: the person is handed over to another organization (kept in the history)."""
    body = json_body(TRANSFER_INPUT)
    name = engine().people.transfer(person_id, body["managing_org"], body["reason"], current_actor(),
                                    body.get("expected_version"))
    return {"id": person_id, "managing_org": body["managing_org"], "managing_org_name": name}


@bp.post(f"/people/<{ID}:person_id>/sanctions")
def add_sanction(person_id: int) -> Any:
    body = json_body(SANCTION_INPUT)
    sanction = engine().people.add_sanction(person_id, body, current_actor())
    resp = jsonify(sanction_json(sanction))
    resp.status_code = 201
    return resp


@bp.get(f"/people/<{ID}:person_id>/sanctions")
def list_sanctions(person_id: int) -> Any:
    return jsonify([sanction_json(s) for s in engine().people.sanctions(person_id, current_actor())])


@bp.get("/sanction-kinds")
def sanction_kinds() -> Any:
    return jsonify([k.as_json() for k in kinds()])


@bp.get("/code-sets/<name>")
def code_set_items(name: str) -> Any:
    """民族, 政治面貌, 学历, 学位, 职务层次/职级: the codes a person's fields take (labels also accepted)."""
    if name not in code_set_names():
        raise ApiError("not_found", f"没有名为“{name}”的代码集（可选：{'、'.join(code_set_names())}）")
    return jsonify([{"code": i.code, "label": i.label, "aliases": list(i.aliases)} for i in code_set(name)])
