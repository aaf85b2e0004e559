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

# (endpoint, label, roles that see it; empty = everyone signed in)
NAV = (
    ("inbox.index", "我的工作台", ()),
    ("cases.index", "案件", ()),
    ("cases.new", "发起案件", ("officer", "reviewer", "recommender", "panelist", "inspector")),
    ("people.index", "干部名册", ("officer", "reviewer", "auditor", "admin")),
    ("reports.recommendations", "推荐台账", ("officer", "reviewer", "auditor", "admin")),
    ("audit.index", "监督检查", ("auditor", "admin")),
    ("admin.users", "系统管理", ("admin",)),
)


def bj(value: datetime | date | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A time in Beijing time (times are stored in UTC)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(SHANGHAI).strftime(fmt)
    return value.strftime("%Y-%m-%d")


def role_label(role: str) -> str:
    return engine().registry.role_label(role)


def roles_text(roles: Any) -> str:
    return "、".join(role_label(r) for r in roles)


def nav_items() -> list[tuple[str, str, bool]]:
    if not current_user.is_authenticated:
        return []
    roles = current_user.actor().roles
    here = request.endpoint or ""
    out = []
    for endpoint, label, need in NAV:
        if need and not set(need) & roles:
            continue
        if endpoint.split(".")[0] not in _blueprints():
            continue
        out.append((url_for(endpoint), label, _active(here, endpoint)))
    return out


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
        return {"nav_items": nav_items}
