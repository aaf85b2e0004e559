"""HTML error pages and the mapping of engine errors for pages, in one place.

Requests under ``/api/`` are left to the API: for them each handler calls the
handler that was registered before this module's (the API's, if it registered
one), else answers in the api.md error shape, so the API's JSON contract holds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask import flash
from flask import jsonify
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError

from workflow import WorkflowError
from workflow.errors import NotFound
from workflow.errors import PermissionDenied
from workflow.errors import StaleVersion
from workflow.errors import TooLarge
from workflow.errors import TooManyRequests
from workflow.errors import TransitionNotAllowed
from workflow.errors import ValidationFailed

from .params import BadQuery

log = logging.getLogger(__name__)
STALE = "该案件已被他人处理，请刷新后重试"
TITLES = {
    400: ("请求有误", "请求的格式或内容不正确。请返回上一页重试。"),
    401: ("尚未登录", "请先登录。"),
    403: ("无权访问", "您的角色不能查看或办理此项。"),
    404: ("页面不存在", "您要找的页面或案件不存在，可能已被移动或编号有误。"),
    405: ("不支持该操作", "此页面不支持这种请求方式。"),
    409: ("案件状态已变化", "案件已被他人处理，请返回案件页面刷新后重试。"),
    413: ("上传内容过大", "上传的文件或表单超过上限（附件不超过20MB）。"),
    422: ("无法办理", "提交的内容不符合要求。"),
    429: ("请求过于频繁", "请稍后再试。"),
    500: ("系统内部错误", "系统出现了意外错误，已记录在日志中。请稍后重试，或联系系统管理员。"),
}
STATUS = {"not_found": 404, "forbidden": 403, "not_allowed": 409, "stale_version": 409,
          "validation_failed": 422, "guard_failed": 422, "too_large": 413, "too_many_requests": 429}
Handler = Callable[[Any], ResponseReturnValue]


def is_api() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def error_page(code: int, message: str = "", details: list[str] | None = None) -> ResponseReturnValue:
    title, default = TITLES.get(code, TITLES[400])
    try:
        return render_template("errors/error.html", code=code, title=title, message=message or default,
                               details=details or []), code
    except Exception:  # the error page itself failed (e.g. the database is down): plain text, logged
        log.exception("error page %s could not be rendered", code)
        return f"{code} {title}：{message or default}", code, {"Content-Type": "text/plain; charset=utf-8"}


def _api_fallback(code: int, error_code: str, message: str) -> ResponseReturnValue:
    return jsonify({"error": {"code": error_code, "message": message}}), code


def _http_page(e: HTTPException) -> ResponseReturnValue:
    code = e.code or 500
    if isinstance(e, CSRFError):
        return error_page(400, "表单缺少安全令牌或已过期，系统拒绝了这次提交。请返回页面刷新后重新提交。")
    if code >= 500:
        return _server_error(e)
    if isinstance(e, BadQuery):
        return error_page(400, str(e.description))
    return error_page(code if code in TITLES else 400)


def _server_error(e: Exception) -> ResponseReturnValue:
    original = getattr(e, "original_exception", None) or e
    if not isinstance(original, HTTPException):
        log.error("unhandled error on %s %s", request.method, request.path, exc_info=original)
    return error_page(500)


def _workflow_page(e: WorkflowError) -> ResponseReturnValue:
    case_id = (request.view_args or {}).get("case_id")
    if isinstance(e, (StaleVersion, TransitionNotAllowed)) and case_id is not None:
        flash(STALE if isinstance(e, StaleVersion) else e.message, "warning")
        return redirect(url_for("cases.show", case_id=case_id), code=303)
    if isinstance(e, NotFound):
        return error_page(404, e.message)
    if isinstance(e, PermissionDenied):
        return error_page(403, e.message)
    if isinstance(e, TooLarge):
        return error_page(413, e.message)
    if isinstance(e, TooManyRequests):
        resp = make_response(error_page(429, e.message))
        resp.headers["Retry-After"] = str(e.retry_after)
        return resp
    details = list(e.fields.values()) if isinstance(e, ValidationFailed) else []
    return error_page(STATUS.get(e.code, 400), e.message, details)


def _wrap(page: Handler, previous: Handler | None,
          api_status: Callable[[Any], tuple[int, str, str]]) -> Handler:
    def handler(e: Any) -> ResponseReturnValue:
        if not is_api():
            return page(e)
        if previous is not None:
            return previous(e)
        return _api_fallback(*api_status(e))

    return handler


def _http_status(e: Any) -> tuple[int, str, str]:
    code = getattr(e, "code", None) or 500
    names = {401: "unauthorized", 403: "forbidden", 404: "not_found", 413: "too_large"}
    message = getattr(e, "description", "") or TITLES.get(code, TITLES[400])[0]
    return code, names.get(code, "bad_request"), message


def _wf_status(e: Any) -> tuple[int, str, str]:
    return STATUS.get(e.code, 400), e.code, e.message


def _previous(app: Flask, key: int | type[Exception]) -> Handler | None:
    if isinstance(key, int):
        specs = app.error_handler_spec.get(None, {}).get(key, {})
    else:
        specs = app.error_handler_spec.get(None, {}).get(None, {})
    for cls, handler in specs.items():
        if isinstance(key, int) or cls is key:
            return handler  # type: ignore[no-any-return]
    return None


def init_app(app: Flask) -> None:
    for code in (400, 401, 403, 404, 405, 413, 429):
        app.register_error_handler(code, _wrap(_http_page, _previous(app, code), _http_status))
    app.register_error_handler(HTTPException, _wrap(_http_page, _previous(app, HTTPException), _http_status))
    app.register_error_handler(WorkflowError,
                               _wrap(_workflow_page, _previous(app, WorkflowError), _wf_status))
    app.register_error_handler(InternalServerError, _wrap(_server_error, _previous(app, 500), _http_status))
