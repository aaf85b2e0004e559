"""Bearer-token authentication for the API.

Tokens come from ``cadreflow tokens create``; the engine stores only their
SHA-256, refuses revoked tokens and inactive users, and records the last use.
Every endpoint except the OpenAPI document needs a valid token (401 otherwise).
``GET /me`` names the caller: the cheapest authenticated answer (the HTTP
benchmark's baseline, and a client's check that its token works).
Read-only users (auditors without a business role) are refused any write here,
before the engine is asked.
"""

from __future__ import annotations

from typing import Any

from flask import g
from flask import request

from workflow import Actor

from .. import engine
from .blueprint import bp
from .errors import ApiError

PUBLIC_ENDPOINTS = frozenset({"api.openapi_document", "api.vote"})  # /vote: the code is the credential
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


@bp.before_request
def authenticate() -> None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    token = bearer_token()
    actor = engine().users.actor_for_token(token) if token else None
    if actor is None:
        raise ApiError("unauthorized", "缺少或无效的 API 令牌（Authorization: Bearer <令牌>）"
                       if token is None else "API 令牌无效、已吊销或用户已停用")
    policy = engine().policy
    if request.method not in READ_METHODS and policy.read_only(actor):
        readers = [r for r in sorted(actor.roles) if policy.catalog.get(r) is not None]
        raise ApiError("forbidden", f"{policy.roles_text(readers)}为只读角色，不能修改任何内容" if readers
                       else "您没有任何角色，不能修改任何内容")
    g.api_actor = actor


def current_actor() -> Actor:
    actor: Actor = g.api_actor
    return actor


@bp.get("/me")
def me() -> Any:
    actor = current_actor()
    return {"username": actor.username, "name": actor.name, "roles": sorted(actor.roles)}
