"""The error envelope of api.md and the mapping of every failure onto it.

Every error answer is ``{"error": {"code", "message", "fields"?}}``. Engine errors
carry their api.md code (``WorkflowError.code``); werkzeug's HTTP errors (unknown
URL, wrong method, body over the limit) are mapped here too, so no path under
``/api/`` ever answers with an HTML page. ``install`` adds the app-level hook for
requests that matched no route at all (blueprint handlers never see those).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask import Response
from flask import jsonify
from flask import request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from workflow import WorkflowError

log = logging.getLogger(__name__)

STATUS = {
    "bad_request": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "not_allowed": 409,
    "stale_version": 409,
    "too_large": 413,
    "too_many_requests": 429,
    "validation_failed": 422,
    "guard_failed": 422,
    "internal_error": 500,
}
CODES = tuple(STATUS)
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 413: "too_large", 429: "too_many_requests"}
HTTP_MESSAGES = {
    400: "请求格式有误",
    401: "缺少或无效的 API 令牌（Authorization: Bearer <令牌>）",
    403: "无权访问",
    404: "没有这个地址",
    413: "请求体过大：附件不超过20 MiB，JSON 请求体不超过2 MiB",
    429: "请求过于频繁，请稍后再试",
    500: "服务器内部错误，请稍后重试或联系管理员",
}


class ApiError(Exception):
    """An error the API answers with, in the envelope of api.md."""

    def __init__(self, code: str, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields


def error_response(code: str, message: str, fields: dict[str, str] | None = None,
                   status: int | None = None) -> Response:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = {str(k): str(v) for k, v in fields.items()}
    resp = jsonify({"error": body})
    resp.status_code = status or STATUS.get(code, 400)
    if resp.status_code == 401:
        resp.headers["WWW-Authenticate"] = 'Bearer realm="cadreflow"'
    resp.headers["Cache-Control"] = "no-store"
    return resp


def on_api_error(exc: ApiError) -> Response:
    return error_response(exc.code, exc.message, exc.fields)


def on_workflow_error(exc: WorkflowError) -> Response:
    code = exc.code if exc.code in STATUS else "internal_error"
    if code == "internal_error":
        log.error("unmapped engine error %s: %s", type(exc).__name__, exc.message)
    fields = getattr(exc, "fields", None) if code == "validation_failed" else None
    resp = error_response(code, exc.message, fields)
    retry_after = getattr(exc, "retry_after", None)
    if isinstance(retry_after, int):
        resp.headers["Retry-After"] = str(retry_after)
    return resp


def on_http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    code = HTTP_CODES.get(status, "bad_request" if status < 500 else "internal_error")
    if status == 405:
        message = f"该地址不支持 {request.method} 方法"
    else:
        message = HTTP_MESSAGES.get(status, HTTP_MESSAGES[400] if status < 500 else HTTP_MESSAGES[500])
    if status >= 500:
        original = getattr(exc, "original_exception", None)
        log.error("internal error on %s %s", request.method, request.path, exc_info=original)
    resp = error_response(code, message, status=status)
    allowed = getattr(exc, "valid_methods", None)
    if status == 405 and allowed:
        resp.headers["Allow"] = ", ".join(sorted(allowed))
    return resp


def register(bp: Any) -> None:
    """Blueprint handlers. HTTP errors are registered by code, so an app-level handler
    for the same code (the pages' HTML 404) cannot take precedence inside the API."""
    bp.register_error_handler(ApiError, on_api_error)
    bp.register_error_handler(WorkflowError, on_workflow_error)
    for status in (400, 401, 403, 404, 405, 413, 500):
        bp.register_error_handler(status, on_http_error)
    bp.register_error_handler(HTTPException, on_http_error)


def _unrouted() -> Response | None:
    """JSON 404/405 for URLs under /api/ that matched no route (or not with this method)."""
    exc = request.routing_exception
    if exc is None or not is_api_path() or isinstance(exc, RequestRedirect):
        return None
    if isinstance(exc, HTTPException):
        return on_http_error(exc)
    return None


def is_api_path() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def _only_for_api(handler: Callable[[Any], Response]) -> Callable[[Any], Any]:
    """An app-level handler that answers for /api/ paths and leaves every other path alone."""
    def app_handler(exc: Any) -> Any:
        if is_api_path():
            return handler(exc)
        if isinstance(exc, HTTPException):
            return exc  # werkzeug's default answer; the pages install their own handlers
        raise exc

    return app_handler


def install(app: Flask) -> None:
    """App-level hooks for /api/ paths.

    The before-request hook goes first in line, ahead of CSRF and the pages' hooks: an
    unrouted POST under /api/ must answer the JSON 404, not a CSRF or login page. The
    app-level handlers cover errors raised outside the blueprint (an app hook, a 500);
    the pages' web/errors.py, installed later, hands /api/ paths back to them.
    """
    app.before_request_funcs.setdefault(None, []).insert(0, _unrouted)
    for status in (400, 401, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(status, _only_for_api(on_http_error))
    app.register_error_handler(HTTPException, _only_for_api(on_http_error))
    app.register_error_handler(WorkflowError, _only_for_api(on_workflow_error))
