"""消息通知 (blueprint ``notices``, path ``/notifications``): the signed-in user's notifications,
newest first, with marking one or all read (POST forms with CSRF)."""

from __future__ import annotations

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from .. import engine
from ..auth import current_actor

bp = Blueprint("notices", __name__, url_prefix="/notifications")
ID = "int(min=1, max=2147483647)"


@bp.get("")
@login_required  # type: ignore[misc]
def index() -> ResponseReturnValue:
    items, unread = engine().notifications.list(current_actor().username)
    return render_template("notices/index.html", items=items, unread=unread)


@bp.post(f"/<{ID}:notification_id>/read")
@login_required  # type: ignore[misc]
def read(notification_id: int) -> ResponseReturnValue:
    engine().notifications.mark_read(notification_id, current_actor().username)  # another's: 404
    return redirect(url_for("notices.index"))


@bp.post("/read-all")
@login_required  # type: ignore[misc]
def read_all() -> ResponseReturnValue:
    n = engine().notifications.mark_all_read(current_actor().username)
    flash(f"已将 {n} 条消息标为已读" if n else "没有未读消息", "success")
    return redirect(url_for("notices.index"))
