"""People (cadres): register, read, search.

The engine validates every fact (422 with a Chinese message per field). Who may
register a person is decided here: those who open cases about people (officers,
signed recommenders) and administrators; everyone signed in may read.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask import url_for

from workflow import PermissionDenied

from .. import engine
from .auth import current_actor
from .blueprint import bp
from .cases import ID
from .cases import page_args
from .schemas import PERSON_ENVELOPE
from .serialize import person_json
from .validation import json_body
from .validation import query_text

WRITERS = ("officer", "recommender", "admin")


@bp.post("/people")
def create_person() -> Any:
    actor = current_actor()
    if not actor.roles & set(WRITERS):
        raise PermissionDenied("只有干部科工作人员、署名推荐人或系统管理员可以登记人员")
    body = json_body(PERSON_ENVELOPE)
    person = engine().people.create(body, actor)
    resp = jsonify(person_json(person))
    resp.status_code = 201
    resp.headers["Location"] = url_for(".get_person", person_id=person.id)
    return resp


@bp.get(f"/people/<{ID}:person_id>")
def get_person(person_id: int) -> Any:
    return person_json(engine().people.get(person_id))


@bp.get("/people")
def search_people() -> Any:
    page, per_page = page_args()
    items, total = engine().people.search(query_text("q", 50) or "", limit=per_page,
                                          offset=(page - 1) * per_page)
    return {"items": [person_json(p) for p in items], "total": total, "page": page, "per_page": per_page}
