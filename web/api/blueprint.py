"""The ``/api/v1`` blueprint, CSRF-exempt (it authenticates by token, never by cookie)."""

from __future__ import annotations

from flask import Blueprint

from ..extensions import csrf
from . import errors

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
errors.register(bp)
