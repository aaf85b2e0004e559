"""消息通知: the caller's notifications and marking one read (another user's is 404)."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask import jsonify

from .. import engine
from .auth import current_actor
from .blueprint import bp
from .serialize import iso
from .validation import query_bool

ID = "int(min=1, max=2147483647)"

NOTIFICATION = {
    "type": "object", "required": ["id", "at", "kind", "case_id", "text", "read"],
    "properties": {
        "id": {"type": "integer"}, "at": {"type": "string", "format": "date-time"},
        "kind": {"type": "string", "enum": ["todo", "returned", "urged", "due_soon", "overdue", "copied"],
                 "description": "todo 新待办、returned 退回、urged 催办、due_soon 临期、overdue 逾期、copied 抄送"},
        "case_id": {"type": "integer"}, "text": {"type": "string"}, "read": {"type": "boolean"},
    },
}
NOTIFICATIONS = {"type": "object", "required": ["items", "unread"], "properties": {
    "items": {"type": "array", "items": NOTIFICATION}, "unread": {"type": "integer", "minimum": 0}}}


@bp.get("/notifications")
def list_notifications() -> Any:
    unread_only = query_bool("unread", "查询参数")
    items, unread = engine().notifications.list(current_actor().username, unread_only=bool(unread_only))
    return jsonify({"items": [{"id": n.id, "at": iso(n.at), "kind": n.kind, "case_id": n.case_id,
                               "text": n.text, "read": n.read} for n in items], "unread": unread})


@bp.post(f"/notifications/<{ID}:notification_id>/read")
def read_notification(notification_id: int) -> Any:
    engine().notifications.mark_read(notification_id, current_actor().username)
    return Response(status=204)
