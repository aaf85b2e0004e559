"""People (cadres): register, read, search.

The engine validates every fact (422 with a Chinese message per field) and the
policy decides who may register a person (``write_people``).
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask import request
from flask import url_for

from .. import engine
from .auth import current_actor
from .blueprint import bp
from .cases import ID
from .cases import page_args
from .schemas import PERSON_ENVELOPE
from .serialize import person_json
from .validation import json_body
from .validation import query_text


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
    engine().access.record(current_actor(), "view", "person", person_id=person_id, address=request.remote_addr or "")
    return body


@bp.get("/people")
def search_people() -> Any:
    page, per_page = page_args()
    items, total = engine().people.search(query_text("q", 50) or "", limit=per_page,
                                          offset=(page - 1) * per_page, viewer=current_actor())
    return {"items": [person_json(p) for p in items], "total": total, "page": page, "per_page": per_page}
