"""Sign-in and sign-out (blueprint ``auth``), the current user and the role gate for pages.

Passwords are werkzeug hashes in ``engine.users``. Failed sign-ins are counted in
the database (so every gunicorn worker sees them) per username and per client
address; a locked key answers with the unlock time in Beijing time. A session
names the user by id plus a fingerprint of the password hash, so resetting a
password or deactivating a user ends every session of theirs.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any
from typing import TypeVar
from urllib.parse import urlsplit

from flask import Blueprint
from flask import Flask
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import UserMixin
from flask_login import current_user
from flask_login import login_required
from flask_login import login_user
from flask_login import logout_user
from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from workflow import Actor
from workflow.clock import SHANGHAI
from workflow.users import UserRecord

from . import engine
from .extensions import login_manager
from .forms import LoginForm

bp = Blueprint("auth", __name__)
F = TypeVar("F", bound=Callable[..., Any])
USER_LIMIT = 5
ADDRESS_LIMIT = 20
BAD_LOGIN = "用户名或密码错误"


class SignedInUser(UserMixin):  # type: ignore[misc]
    """The Flask-Login user: one engine user record."""

    def __init__(self, record: UserRecord) -> None:
        self.record = record

    def get_id(self) -> str:
        return f"{self.record.id}:{_fingerprint(self.record.password_hash)}"

    @property
    def is_active(self) -> bool:
        return self.record.active

    def actor(self) -> Actor:
        return self.record.actor()


def _fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest()[:16]


@login_manager.user_loader
def load_user(user_id: str) -> SignedInUser | None:
    ident, _, mark = user_id.partition(":")
    if not ident.isdigit():
        return None
    record = engine().users.by_id(int(ident))
    if record is None or not record.active or _fingerprint(record.password_hash) != mark:
        return None
    return SignedInUser(record)


def current_actor() -> Actor:
    """The Actor of the signed-in user (pages behind login_required only)."""
    user: SignedInUser = current_user  # type: ignore[assignment]
    return user.actor()


def capability_required(capability: str) -> Callable[[F], F]:
    """Signed in and granted ``capability`` by the policy (roles.yaml); otherwise 403."""

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        @login_required  # type: ignore[misc]
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not engine().policy.has(current_actor(), capability):
                abort(403)
            return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("inbox.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        error = _sign_in(form.username.data.strip(), form.password.data)
        if error is None:
            return redirect(safe_next(request.args.get("next")), code=303)
        form.form_errors.append(error)
        status = 401 if error == BAD_LOGIN else 429
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required  # type: ignore[misc]
def logout() -> ResponseReturnValue:
    logout_user()
    session.clear()
    flash("您已安全退出", "info")
    return redirect(url_for("auth.login"), code=303)


def _sign_in(username: str, password: str) -> str | None:
    """Sign in or return the Chinese reason why not (wrong password, locked)."""
    users = engine().users
    keys = (f"user:{username.lower()}", f"addr:{request.remote_addr or '-'}")
    for key in keys:
        until = users.locked_until(key)
        if until is not None:
            return _locked_message(until)
    record = users.find(username)
    ok = check_password_hash(record.password_hash if record else _dummy_hash(), password)
    if record is None or not ok or not record.active:
        locks = [users.record_failure(keys[0], limit=USER_LIMIT),
                 users.record_failure(keys[1], limit=ADDRESS_LIMIT)]
        until = max((u for u in locks if u is not None), default=None)
        return _locked_message(until) if until is not None else BAD_LOGIN
    users.clear_failures(keys[0])
    session.clear()
    login_user(SignedInUser(record))
    return None


@functools.cache
def _dummy_hash() -> str:
    """Checked when the user does not exist, so both paths take the same time."""
    return generate_password_hash("-")


def _locked_message(until: datetime) -> str:
    local = until.astimezone(SHANGHAI)
    return f"登录失败次数过多，已暂时锁定，请于 {local:%Y-%m-%d %H:%M}（北京时间）后再试"


def safe_next(target: str | None) -> str:
    """Only same-site relative paths; anything else goes to the inbox."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("inbox.index")


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    from .templating import init_app as init_templating

    init_templating(app)
