"""Sign-in, sign-out and 修改密码 (blueprint ``auth``), the current user and the capability gate.

Sessions live on the server (``engine.sessions``, table ``user_sessions``): the Flask
session cookie carries only a random token. Sign-out ends that session; a password
change, deactivation and a change of roles end every session of the user; idle time
(``CADREFLOW_SESSION_IDLE_MINUTES``, 30) and lifetime (``CADREFLOW_SESSION_MAX_HOURS``,
12) expire them. A request with an ended or expired session is redirected to
``/login`` with a notice. Signing in clears the Flask session, so the CSRF token of
the previous session (Flask-WTF keeps its secret in the session) is refused.

Sign-in throttling (the counts are in the database, so every worker sees them):

- per account, for accounts that exist only: after 3 wrong passwords each further
  one makes the account wait, 1 minute doubling up to 15 (``Users.record_account_failure``
  says why this shape);
- per client address: ``CADREFLOW_SIGNIN_ADDRESS_LIMIT`` (200) failures in 15 minutes
  lock that address for 15 minutes; high enough for an office behind one proxy, low
  enough to stop a sweep over many names. The address is the TCP peer's unless
  ``CADREFLOW_TRUSTED_PROXIES`` says how many proxies' X-Forwarded-For to trust.

A disabled account is told so, but only after the right password: a wrong one gets the
same answer as a name that does not exist.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from datetime import timedelta
from typing import Any
from typing import TypeVar
from urllib.parse import urlsplit

from flask import Blueprint
from flask import Flask
from flask import abort
from flask import current_app
from flask import flash
from flask import g
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
from .forms import ChangePasswordForm
from .forms import LoginForm
from .landing import home_url
from .passwords import hash_password
from .passwords import password_problem

bp = Blueprint("auth", __name__)
F = TypeVar("F", bound=Callable[..., Any])
ADDRESS_WINDOW = timedelta(minutes=15)
BAD_LOGIN = "用户名或密码错误"
DISABLED = "该账户已停用，请联系系统管理员"
ENDED = {
    "logout": "您已退出登录，请重新登录",
    "password": "密码已更改，原有登录已失效，请重新登录",
    "deactivated": "该账户已停用，登录已失效",
    "roles": "您的角色已变更，请重新登录",
    "idle": "长时间未操作，登录已超时，请重新登录",
    "lifetime": "登录时间已达上限，请重新登录",
    "unknown": "登录已失效，请重新登录",
}


class SignedInUser(UserMixin):  # type: ignore[misc]
    """The Flask-Login user: one engine user record and the token of its server-side session."""

    def __init__(self, record: UserRecord, token: str) -> None:
        self.record = record
        self.token = token

    def get_id(self) -> str:
        return self.token

    @property
    def is_active(self) -> bool:
        return self.record.active

    def actor(self) -> Actor:
        return self.record.actor()


def _limits() -> tuple[timedelta, timedelta]:
    config = current_app.extensions["cadreflow_config"]
    return timedelta(minutes=config.session_idle_minutes), timedelta(hours=config.session_max_hours)


@login_manager.user_loader
def load_user(token: str) -> SignedInUser | None:
    idle, lifetime = _limits()
    found = engine().sessions.check(token, idle, lifetime)
    record = engine().users.by_id(found.user_id) if found.user_id is not None else None
    if record is None or not record.active:
        g.session_ended = found.reason or "unknown"
        return None
    return SignedInUser(record, token)


@login_manager.unauthorized_handler
def unauthorized() -> ResponseReturnValue:
    """Not signed in (or the session ended on the server): to /login, with the reason."""
    ended = g.pop("session_ended", None)
    session.pop("_user_id", None)
    flash(ENDED.get(ended, ENDED["unknown"]) if ended else "请先登录", "warning" if ended else "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else None))


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
        return redirect(home_url(current_actor()))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        error, status = _sign_in(form.username.data.strip(), form.password.data)
        if error is None:
            return redirect(safe_next(request.args.get("next")), code=303)
        form.form_errors.append(error)
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required  # type: ignore[misc]
def logout() -> ResponseReturnValue:
    user: SignedInUser = current_user  # type: ignore[assignment]
    engine().sessions.end(user.token, "logout")
    logout_user()
    session.clear()
    flash("您已安全退出", "info")
    return redirect(url_for("auth.login"), code=303)


@bp.route("/password", methods=["GET", "POST"])
@login_required  # type: ignore[misc]
def change_password() -> ResponseReturnValue:
    """修改密码: the old password, the new one twice; the user's other sessions end."""
    user: SignedInUser = current_user  # type: ignore[assignment]
    form = ChangePasswordForm() if request.method == "POST" else ChangePasswordForm(formdata=None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            if not check_password_hash(user.record.password_hash, form.old.data):
                form.old.errors = ["原密码不正确"]
            elif problem := password_problem(form.password.data, user.record.username):
                form.password.errors = [problem.split("：", 1)[1]]
            else:
                engine().users.update(user.record.username, password_hash=hash_password(form.password.data))
                _start_session(engine().users.get(user.record.username))  # every old session has ended
                flash("密码已修改；您在其他地方的登录均已失效", "success")
                return redirect(url_for("inbox.index"), code=303)
    return render_template("auth/password.html", form=form), status


def _sign_in(username: str, password: str) -> tuple[str | None, int]:
    """Sign in, or (the Chinese reason why not, the status): wrong password 401, waiting 429, disabled 403."""
    users = engine().users
    address = f"addr:{request.remote_addr or '-'}"
    until = users.locked_until(address)
    record = users.find(username)
    if until is None and record is not None:
        until = users.account_locked_until(record.id)
    if until is not None:
        return _wait_message(until), 429
    ok = check_password_hash(record.password_hash if record else _dummy_hash(), password)
    if record is None or not ok:
        limit = current_app.extensions["cadreflow_config"].signin_address_limit
        locks = [users.record_failure(address, limit=limit, window=ADDRESS_WINDOW, lock=ADDRESS_WINDOW)]
        if record is not None:
            locks.append(users.record_account_failure(record.id))
        until = max((u for u in locks if u is not None), default=None)
        return (BAD_LOGIN + "；" + _wait_message(until), 401) if until is not None else (BAD_LOGIN, 401)
    if not record.active:
        return DISABLED, 403
    users.clear_account_failures(record.id)
    _start_session(record)
    return None, 200


def _start_session(record: UserRecord) -> None:
    session.clear()  # a new session: nothing (not the CSRF secret) carries over from the previous one
    login_user(SignedInUser(record, engine().sessions.start(record.id)))


@functools.cache
def _dummy_hash() -> str:
    """Checked when the user does not exist, so both paths take the same time."""
    return generate_password_hash("-")


def _wait_message(until: datetime) -> str:
    local = until.astimezone(SHANGHAI)
    seconds = max(1, int((until - engine().clock.now()).total_seconds() + 0.999))
    wait = f"{seconds // 60}分钟" if seconds >= 60 and seconds % 60 == 0 else (
        f"{seconds // 60}分{seconds % 60}秒" if seconds >= 60 else f"{seconds}秒")
    return f"登录失败次数过多，请于 {local:%Y-%m-%d %H:%M:%S}（北京时间）后再试（还需等待{wait}）"


def safe_next(target: str | None) -> str:
    """Only same-site relative paths; anything else goes to the user's first page (web.landing)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return home_url(current_actor()) if current_user.is_authenticated else url_for("inbox.index")


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    from .templating import init_app as init_templating

    init_templating(app)
