"""Procedure definitions (read-only) and the verification of every history chain."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from workflow import NotFound

from .. import engine
from .auth import current_actor
from .blueprint import bp
from .serialize import definition_json
from .serialize import definition_summary
from .serialize import verify_json
from .validation import query_int


@bp.get("/definitions")
def list_definitions() -> Any:
    return jsonify([definition_summary(d) for d in engine().registry.latest()])


@bp.get("/definitions/<key>")
def get_definition(key: str) -> Any:
    registry = engine().registry
    version = query_int("version", 0, 1, 10_000, "版本")
    if not registry.has(key, version or None):
        raise NotFound(f"流程定义不存在：{key}" + (f" 版本{version}" if version else ""))
    return definition_json(registry.get(key, version or None))


@bp.get("/audit/verify")
def verify() -> Any:
    engine().policy.require(current_actor(), "verify_chain")
    return verify_json(engine().verify())
