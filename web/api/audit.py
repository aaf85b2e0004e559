"""Organizations the caller sees and 查阅登记, the read-access register (auditors, administrators)."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from .. import engine
from .auth import current_actor
from .blueprint import bp
from .cases import page_args
from .serialize import iso
from .validation import query_int
from .validation import query_text


@bp.get("/orgs")
def list_orgs() -> Any:
    visible = engine().orgs.visible(current_actor())
    codes = {o.id: o.code for o in engine().orgs.all()}
    return jsonify([{"code": o.code, "name": o.name, "parent": codes.get(o.parent_id) if o.parent_id else None}
                    for o in visible])


@bp.get("/audit/access")
def list_access() -> Any:
    page, per_page = page_args()
    case_id = query_int("case_id", 0, 1, 2**31 - 1, "案件编号") or None
    person_id = query_int("person_id", 0, 1, 2**31 - 1, "人员编号") or None
    items, total = engine().access.entries(current_actor(), case_id=case_id, person_id=person_id,
                                           username=query_text("username", 64), page=page, per_page=per_page)
    return {"items": [{"seq": e.seq, "at": iso(e.at), "username": e.username, "action": e.action,
                       "object": e.object, "case_id": e.case_id, "person_id": e.person_id, "detail": e.detail,
                       "address": e.address} for e in items],
            "total": total, "page": page, "per_page": per_page}
