"""Security headers on every response, secure cookies over HTTPS, and no NUL characters in.

A NUL character in a query string, a form field or a path segment of a page is
refused with 400 before any view runs: PostgreSQL cannot hold NUL in text, so it
would otherwise reach the database and fail there with a 500 (a sign-in, a search,
a recusal, an event's comment). The JSON API checks its own input (api/validation.py).

The CSP allows no inline script or style at all: CSS lives in web/static, inline
SVG diagrams use presentation attributes only. ``HTTPS`` (config, or the
``CADREFLOW_HTTPS`` environment variable) marks the session cookie Secure and
sends HSTS.
"""

from __future__ import annotations

import os

from flask import Flask
from flask import Response
from flask import abort
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


FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _refuse_nul() -> None:
    if request.path == "/api" or request.path.startswith("/api/"):
        return
    texts = [str(v) for v in (request.view_args or {}).values()]
    for key, values in request.args.lists():
        texts += [key, *values]
    if request.method not in ("GET", "HEAD", "OPTIONS") and request.mimetype in FORMS:
        for key, values in request.form.lists():
            texts += [key, *values]
    if any("\x00" in t for t in texts):
        abort(400)


def init_app(app: Flask) -> None:
    app.before_request(_refuse_nul)
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
