"""委托 and 抄送 over the API: ``POST /delegations``, ``DELETE /delegations/{id}``, ``GET /delegations``
(the caller's; ``?all=true``: every delegation, for auditors) and ``GET /copies`` (the cases copied to
the caller). The same engine calls as the pages (``workflow/delegations.py``, ``queries/copies.py``)."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask import jsonify
from flask import url_for

from .. import engine
from .auth import current_actor
from .blueprint import bp
from .openapi_parts import answer
from .openapi_parts import operation
from .openapi_parts import path_param
from .openapi_parts import query_param
from .schemas import ID as ID_SCHEMA
from .schemas import TEXT
from .schemas import Schema
from .schemas import array
from .schemas import obj
from .serialize import case_json
from .serialize import iso
from .validation import json_body
from .validation import query_bool

ID = "int(min=1, max=2147483647)"
DATE: Schema = {"type": "string", "format": "date", "maxLength": 10}
DELEGATION_INPUT: Schema = {
    "type": "object", "title": "委托",
    "properties": {
        "to": {"type": "string", "title": "受托人", "minLength": 1, "maxLength": 64,
               "description": "具有与委托人相同角色的用户"},
        "starts_on": {**DATE, "title": "开始日期", "description": "北京时间日期，不早于今天"},
        "ends_on": {**DATE, "title": "结束日期", "description": "北京时间日期（含当日），不早于开始日期"},
        "definitions": {"type": "array", "title": "委托事项", "minItems": 1, "maxItems": 50,
                        "items": {"type": "string", "minLength": 1, "maxLength": 64},
                        "description": "流程 key；同一事项同一期间只能委托一人"},
    },
    "required": ["to", "starts_on", "ends_on", "definitions"],
    "additionalProperties": False,
}
NULL_TEXT: Schema = {"type": ["string", "null"]}
DELEGATION: Schema = obj(["id", "from", "to", "starts_on", "ends_on", "definitions", "status"], {
    "id": ID_SCHEMA, "from": TEXT, "from_name": TEXT, "to": TEXT, "to_name": TEXT, "starts_on": TEXT,
    "ends_on": TEXT, "definitions": array(TEXT), "created_at": TEXT,
    "status": {"type": "string", "enum": ["待生效", "生效中", "已到期", "已撤销"]},
    "revoked_at": NULL_TEXT, "revoked_by": NULL_TEXT})
COPY: Schema = obj(["case", "by", "at"], {"case": {"$ref": "#/components/schemas/Case"}, "by": TEXT, "at": TEXT})


@bp.post("/delegations")
def create_delegation() -> Any:
    body = json_body(DELEGATION_INPUT)
    view = engine().delegations.create(current_actor(), body["to"], body["starts_on"], body["ends_on"],
                                       body["definitions"])
    resp = jsonify(view.as_json())
    resp.status_code = 201
    resp.headers["Location"] = url_for(".list_delegations")
    return resp


@bp.delete(f"/delegations/<{ID}:delegation_id>")
def revoke_delegation(delegation_id: int) -> Any:
    engine().delegations.revoke(delegation_id, current_actor())
    return Response(status=204)


@bp.get("/delegations")
def list_delegations() -> Any:
    actor = current_actor()
    every = query_bool("all", "查询参数")
    found = engine().delegations.every(actor) if every else engine().delegations.mine(actor)
    return jsonify([d.as_json() for d in found])


@bp.get("/copies")
def list_copies() -> Any:
    return jsonify([{"case": case_json(c.case), "by": c.by, "at": iso(c.at)}
                    for c in engine().copies.copied_to(current_actor())])


def delegation_paths() -> dict[str, Any]:
    """The OpenAPI paths of this module (``openapi._paths``)."""
    tag = "委托与抄送"
    did = path_param("delegation_id", ID_SCHEMA, "委托编号")
    every = query_param("all", {"type": "boolean"}, "全部委托（监督检查人员）")
    return {
        "/delegations": {
            "post": operation("createDelegation", "委托：受托人在期间内代调用者办理所列流程（历史记为“代某某”）", tag,
                              {201: answer(DELEGATION, "委托")}, (403, 413, 422),
                              body={"application/json": {"schema": DELEGATION_INPUT}}),
            "get": operation("listDelegations", "我委托的和委托我的（all=true：全部，监督检查人员）", tag,
                             {200: answer(array(DELEGATION), "委托")}, (400, 403), params=[every])},
        "/delegations/{delegation_id}": {"delete": operation(
            "revokeDelegation", "撤销委托（委托人或受托人；他人的：404）", tag, {204: {"description": "已撤销"}},
            (404,), params=[did])},
        "/copies": {"get": operation("listCopies", "抄送给我的案件（只读）", tag,
                                     {200: answer(array(COPY), "抄送")}, ())},
    }
