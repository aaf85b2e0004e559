"""Jinja filters and globals shared by every page: Beijing times, labels, the navigation."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any

from flask import Flask
from flask import request
from flask import url_for
from flask_login import current_user

from workflow.clock import SHANGHAI

from . import engine
from .landing import home_url
from .landing import landing

# (endpoint, label, the capability it needs; "" = everyone signed in)
NAV = (
    ("inbox.index", "我的工作台", ""),
    ("cases.index", "案件", "read_cases"),
    ("cases.new", "发起案件", "start_cases"),
    ("people.index", "干部名册", "read_roster"),
    ("reports.recommendations", "推荐台账", "read_reports"),
    ("dashboard.index", "统计分析", "read_stats"),
    ("audit.index", "监督检查", "read_audit"),
    ("daily.copies", "抄送", "read_cases"),
    ("daily.delegations", "委托", "act"),
    ("daily.all_delegations", "委托记录", "read_audit"),
    ("system.users", "系统管理", "manage_users"),
)


def bj(value: datetime | date | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A time in Beijing time (times are stored in UTC)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(SHANGHAI).strftime(fmt)
    return value.strftime("%Y-%m-%d")


def role_label(role: str) -> str:
    return engine().policy.role_label(role)


def roles_text(roles: Any) -> str:
    return "、".join(role_label(r) for r in roles)


def nav_items() -> list[tuple[str, str, bool]]:
    if not current_user.is_authenticated:
        return []
    actor = current_user.actor()
    policy = engine().policy
    here = request.endpoint or ""
    out = []
    for endpoint, label, need in NAV:
        if need and not policy.has(actor, need):
            continue
        if endpoint == "cases.new" and not policy.may_start_any(actor, engine().registry.latest()):
            continue
        if endpoint == "inbox.index" and landing(actor) is not None:  # no inbox: they start elsewhere
            continue
        if endpoint.split(".")[0] not in _blueprints():
            continue
        out.append((url_for(endpoint), label, _active(here, endpoint)))
    return out


def unread_notices() -> int:
    """The signed-in user's unread notifications (the header's 消息 count)."""
    if not current_user.is_authenticated:
        return 0
    return engine().notifications.unread(current_user.actor().username)


def link_url(link: Any, case_id: int) -> str:
    """The URL of a ``documents.present.Link`` (an attachment, a person, a case)."""
    if link.kind == "attachment":
        return url_for("files.attachment", case_id=case_id, attachment_id=link.id)
    if link.kind == "person":
        return url_for("people.show", person_id=link.id)
    return url_for("cases.show", case_id=link.id)


def can(capability: str) -> bool:
    """Whether the signed-in user has ``capability`` (the policy's answer, for templates)."""
    return bool(current_user.is_authenticated and engine().policy.has(current_user.actor(), capability))


def _active(here: str, endpoint: str) -> bool:
    if "cases.new" in (here, endpoint):
        return here == endpoint
    return here.split(".")[0] == endpoint.split(".")[0]


def _blueprints() -> set[str]:
    from flask import current_app

    return set(current_app.blueprints)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["bj"] = bj
    app.jinja_env.filters["role_label"] = role_label
    app.jinja_env.filters["roles_text"] = roles_text
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {"nav_items": nav_items, "can": can, "link_url": link_url, "unread_notices": unread_notices,
                "home_url": lambda: home_url(current_user.actor())}
