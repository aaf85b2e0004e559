"""Security headers on every response, and secure cookies when the site is served over HTTPS.

The CSP allows no inline script or style at all: CSS lives in web/static, inline
SVG diagrams use presentation attributes only. ``HTTPS`` (config, or the
``CADREFLOW_HTTPS`` environment variable) marks the session cookie Secure and
sends HSTS.
"""

from __future__ import annotations

import os

from flask import Flask
from flask import Response
from flask import request

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
TRUE = ("1", "true", "yes", "on")


def _headers(response: Response) -> Response:
    h = response.headers
    h.setdefault("Content-Security-Policy", CSP)
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("Referrer-Policy", "same-origin")
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if response.mimetype == "text/html" or request.path.endswith(".pdf"):
        h.setdefault("Cache-Control", "no-store")
    return response


def _hsts(response: Response) -> Response:
    response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def init_app(app: Flask) -> None:
    https = app.config.get("HTTPS")
    if https is None:
        https = os.environ.get("CADREFLOW_HTTPS", "").strip().lower() in TRUE
    if isinstance(https, str):
        https = https.strip().lower() in TRUE
    app.config["HTTPS"] = bool(https)
    if https:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        app.after_request(_hsts)
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.after_request(_headers)
