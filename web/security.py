"""Security headers on every response, secure cookies over HTTPS, and no NUL characters in.

A NUL character in a query string, a form field or a path segment of a page is
refused with 400 before any view runs: PostgreSQL cannot hold NUL in text, so it
would otherwise reach the database and fail there with a 500 (a sign-in, a search,
a recusal, an event's comment). The JSON API checks its own input (api/validation.py).

The CSP allows no inline script or style at all: CSS lives in web/static, inline
SVG diagrams use presentation attributes only.

Secure cookies and HSTS are the default: only a debug, demo (``CADREFLOW_DEMO=1``)
or testing app goes without, unless ``CADREFLOW_HTTPS`` (or the ``HTTPS`` config
key) says otherwise explicitly. Behind reverse proxies, ``CADREFLOW_TRUSTED_PROXIES=N``
wraps the app in werkzeug's ``ProxyFix`` trusting N hops of X-Forwarded-For/-Proto/
-Host/-Port/-Prefix; with the default 0 those headers are ignored (the client address
is the TCP peer's), so nobody can forge an address to dodge the sign-in limits.
"""

from __future__ import annotations

from flask import Flask
from flask import Request
from flask import Response
from flask import abort
from flask import request
from werkzeug.middleware.proxy_fix import ProxyFix

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


class NamedPartsRequest(Request):
    """Drops multipart parts without a name: werkzeug keys them None, and Flask-WTF's CSRF check
    (``key.endswith``) and our NUL check then raised a TypeError, a 500 (found by fuzzing)."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        for attr in ("form", "files"):
            found = self.__dict__.get(attr)
            if found is not None and None in found:
                for dropped in found.getlist(None):
                    if hasattr(dropped, "close"):
                        dropped.close()
                self.__dict__[attr] = type(found)([(k, v) for k, v in found.items(multi=True) if k is not None])


def init_app(app: Flask) -> None:
    app.request_class = NamedPartsRequest
    app.before_request(_refuse_nul)
    config = app.extensions["cadreflow_config"]
    if config.trusted_proxies:
        n = config.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n,  # type: ignore[method-assign]
                                x_prefix=n)
    https = app.config.get("HTTPS")
    if https is None:
        https = config.https
    if https is None:
        https = not (app.testing or app.debug or config.demo)
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
