"""Where a signed-in user starts: the inbox, or for a user who acts on no case the page of their work."""

from __future__ import annotations

from flask import current_app
from flask import url_for

from workflow import Actor

from . import engine

# (capability, endpoint), first match wins: 系统管理 for who manages users, else 监督检查 (roles.yaml).
LANDINGS = (("manage_users", "system.users"), ("read_audit", "audit.index"))


def landing(actor: Actor) -> str | None:
    """The endpoint ``actor`` starts on instead of the inbox; None when any of their roles acts on cases."""
    policy = engine().policy
    if policy.acting_roles(actor):
        return None
    return next((endpoint for need, endpoint in LANDINGS if policy.has(actor, need)
                 and endpoint.split(".")[0] in current_app.blueprints), None)


def home_url(actor: Actor) -> str:
    """The URL of ``actor``'s first page (the inbox unless ``landing`` names another)."""
    return url_for(landing(actor) or "inbox.index")
