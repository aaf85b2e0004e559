"""The pieces every operation of the OpenAPI document is made of: answers, errors, parameters."""

from __future__ import annotations

from typing import Any

from .schemas import Schema
from .schemas import ref

ERRORS = {
    400: "请求格式有误（不是 JSON、类型不对）：bad_request",
    401: "缺少或无效的令牌：unauthorized",
    403: "角色不允许、已回避、职责分离或只读角色：forbidden",
    404: "案件、人员、流程或文书不存在：not_found",
    409: ("当前状态不能办理该事件（not_allowed），案件记录或附件与其历史记录链不符、拒绝办理或下载（not_allowed），"
          "或案件已被他人处理（stale_version）"),
    413: "请求体或附件过大：too_large",
    422: "字段缺失或无效（validation_failed，fields 逐项说明），或流程规则不满足（guard_failed）",
    429: "请求过于频繁（选票码错误次数过多，或上传、办理超过频率限制；Retry-After 给出等待秒数）：too_many_requests",
}

def answer(schema: Schema, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def operation(op_id: str, summary: str, tag: str, ok: dict[int, dict[str, Any]], errors: tuple[int, ...],
        *, params: list[Schema] | None = None, body: dict[str, Any] | None = None,
        public: bool = False) -> dict[str, Any]:
    responses: dict[str, Any] = {str(status): answer for status, answer in ok.items()}
    for status in (400, *errors) if body is not None else errors:
        responses[str(status)] = answer(ref("Error"), ERRORS[status])
    if not public:
        responses["401"] = answer(ref("Error"), ERRORS[401])
    out: dict[str, Any] = {"operationId": op_id, "summary": summary, "tags": [tag], "responses": responses}
    if params:
        out["parameters"] = params
    if body is not None:
        out["requestBody"] = {"required": True, "content": body}
    if public:
        out["security"] = []
    return out


def path_param(name: str, schema: Schema, description: str) -> Schema:
    return {"name": name, "in": "path", "required": True, "schema": schema, "description": description}


def query_param(name: str, schema: Schema, description: str) -> Schema:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}
