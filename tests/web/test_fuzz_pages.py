"""Every query string and every form of every page, fuzzed with hypothesis: never a 5xx, and a
refused POST (4xx) changes nothing in the database.

The pages are read as each kind of user; every ``<form method="post">`` found on them is posted
with the page's own field names, a valid CSRF token and generated values (Unicode digits, huge
numbers, NUL, lone surrogates, very long strings, missing fields, files of every kind). Every
page is also read with generated query parameters (the ones the pages read and others). The
suite-wide check in tests/conftest.py fails a test on any logged unhandled error as well.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from dataclasses import field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote_from_bytes
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests import filesamples
from workflow import Engine
from workflow.persistence.models import metadata

from .helpers import PASSWORD_HASH
from .helpers import add_web_users
from .helpers import login
from .helpers import person
from .helpers import review_case

SPECIAL = ["", " ", "0", "1", "2", "-1", "²", "１２", "٣", "𝟗", "9" * 40, "2147483648", "1e309", "1.5", "NaN",
           "\x00", "a\x00b", "\ud800", "\udfff x", "𠀀", "x" * 5000, "记" * 3000, "<script>alert(1)</script>",
           "' OR 1=1 --", "2026-11-25", "2026-02-30", "2026-11-25T10:00", "true", "on", "y", "review", "officer",
           "p1", "../../etc/passwd", "%s%n", "{}", "[]", "\u202e"]
TEXT = st.sampled_from(SPECIAL) | st.text(st.characters(codec=None), max_size=30)
VALUE = TEXT | st.lists(TEXT, min_size=2, max_size=3)
SAMPLES = [filesamples.PDF, filesamples.JPEG, filesamples.DOCX, filesamples.OFD, b"",
           filesamples.docx({"word/vbaProject.bin": b"x"}), b"PK\x03\x04garbage"]
FILES = st.sampled_from(SAMPLES) | st.binary(max_size=64)
QUERY_KEYS = ["page", "q", "definition", "state", "overdue", "person", "sort", "order", "tab", "version",
              "verify", "next", "per_page", "id"]
REFUSALS = (400, 403, 404, 405, 409, 413, 422, 429)
SKIP_ACTIONS = ("/logout",)  # signing out ends the session the next examples use
# Written by every sign-in attempt and page view; 查阅登记 registers every read of a case or record.
VOLATILE = ("user_sessions", "login_failures", "access_log", "access_head")


@dataclass
class FoundForm:
    action: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> input type
    multipart: bool = False


class FormFinder(HTMLParser):
    """The POST forms of a page: action, field names and types."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[FoundForm] = []
        self.current: FoundForm | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self.current = FoundForm(a.get("action") or self.page, multipart="multipart" in a.get("enctype", ""))
            self.forms.append(self.current)
        elif tag in ("input", "select", "textarea") and self.current is not None and a.get("name"):
            self.current.fields[a["name"]] = a.get("type", "text") if tag == "input" else tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None


def fingerprint(engine: Engine) -> str:
    """A digest of every row of every table but the volatile ones."""
    digest = hashlib.sha256()
    with engine.db.read() as conn:
        for table in metadata.sorted_tables:
            if table.name in VOLATILE:
                continue
            for row in conn.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(json.dumps([str(v) for v in row], ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def encode(value: str) -> str:
    return quote_from_bytes(value.encode("utf-8", "surrogatepass"), safe="")


def urlencoded(pairs: list[tuple[str, str]]) -> bytes:
    return "&".join(f"{encode(k)}={encode(v)}" for k, v in pairs).encode("ascii")


def multipart(pairs: list[tuple[str, str]], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = f"fuzz-{uuid.uuid4().hex}"
    out = b""
    for name, value in pairs:
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{encode(name)}"\r\n\r\n'.encode()
        out += value.encode("utf-8", "surrogatepass") + b"\r\n"
    for name, filename, content in files:
        out += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{encode(filename)}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n").encode() + content + b"\r\n"
    return out + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@dataclass
class Site:
    app: Flask
    engine: Engine
    clients: dict[str, FlaskClient]
    pages: dict[str, list[str]]
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, who: str) -> FlaskClient:
        client = self.clients[who]
        if who != "anonymous" and client.get("/password").status_code != 200:  # ended by a fuzzed admin form
            assert login(client, who).status_code == 303
        return client


@pytest.fixture
def site(app: Flask, web_engine: Engine) -> Site:
    add_web_users(web_engine, {"fuzzee": ["officer"]})
    draft = review_case(web_engine, "草稿")
    submitted = review_case(web_engine, "已提交", upto="submitted")
    signing = review_case(web_engine, "会签中", upto="signing")
    pid = person(web_engine)
    web_engine.users.create_token("fuzzee", "fuzz")
    clients: dict[str, FlaskClient] = {"anonymous": app.test_client()}
    for who in ("officer", "reviewer", "auditor", "admin", "p1", "i1"):
        clients[who] = app.test_client()
        assert login(clients[who], who).status_code == 303
    cases = [f"/cases/{c}" for c in (draft, submitted, signing)]
    everyone = ["/cases", "/password"]
    inbox = ["/", "/?tab=done"]  # who acts on no case starts elsewhere (web.landing)
    common = [*everyone, f"/people/{pid}", *cases]
    named = [*inbox, *everyone, *cases[1:]]  # the panel and the team are named from submission on (need-to-know)
    pages = {"anonymous": ["/login"],
             "officer": [*inbox, *common, "/cases/new", "/cases/new?definition=review",
                         "/cases/new?definition=forms_demo", "/people", "/people/new", "/reports/recommendations"],
             "reviewer": [*inbox, *common], "p1": named, "i1": named,
             "auditor": [*common, "/audit", "/audit/access", "/admin/definitions", "/admin/definitions/review"],
             "admin": [*everyone, "/admin/users", "/admin/users/fuzzee", "/admin/orgs", "/admin/tokens"]}
    return Site(app, web_engine, clients, pages)


def discover(site: Site) -> list[tuple[str, FoundForm]]:
    found: dict[tuple[str, str], FoundForm] = {}
    for who, urls in site.pages.items():
        for url in urls:
            response = site.clients[who].get(url)
            assert response.status_code == 200, (who, url, response.status_code)
            finder = FormFinder(url)
            finder.feed(response.get_data(as_text=True))
            for form in finder.forms:
                if form.action not in SKIP_ACTIONS:
                    found.setdefault((who, form.action), form)
                    csrf = next((n for n in form.fields if n.endswith("csrf_token")), None)
                    if csrf:
                        page = response.get_data(as_text=True)
                        match = re.search(rf'name="{re.escape(csrf)}"[^>]*value="([^"]+)"', page)
                        assert match
                        site.tokens[who] = match.group(1)
    return [(who, form) for (who, _), form in sorted(found.items(), key=lambda kv: kv[0])]


FUZZ = settings(max_examples=12, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])


def test_every_form_of_every_page(site: Site) -> None:
    forms = discover(site)
    actions = {form.action for _, form in forms}
    for expected in ("/login", "/password", "/cases/new?definition=review", "/people/new", "/admin/users",
                     "/admin/users/fuzzee", "/admin/users/fuzzee/password", "/admin/tokens"):
        assert expected in actions, (expected, sorted(actions))
    assert any(a.endswith("/attachments") for a in actions) and any("/events/" in a for a in actions)
    assert any(a.endswith("/recusals") for a in actions) and any(a.endswith("/revoke") for a in actions)
    for who, form in forms:
        _fuzz_form(site, who, form)


def _fuzz_form(site: Site, who: str, form: FoundForm) -> None:
    names = [n for n in form.fields if not n.endswith("csrf_token")]
    csrf = next((n for n in form.fields if n.endswith("csrf_token")), "csrf_token")
    files = [n for n in names if form.fields[n] == "file"]

    @FUZZ
    @given(values=st.fixed_dictionaries({n: st.none() | VALUE for n in names if n not in files}),
           uploads=st.fixed_dictionaries({n: st.none() | st.tuples(TEXT, FILES) for n in files}),
           extra=st.none() | st.tuples(TEXT, TEXT))
    def run(values: dict[str, Any], uploads: dict[str, Any], extra: tuple[str, str] | None) -> None:
        client = site.client(who)
        pairs = [(csrf, site.tokens.get(who, ""))]
        for name, value in values.items():
            if value is not None:
                pairs += [(name, v) for v in (value if isinstance(value, list) else [value])]
        if extra is not None:
            pairs.append(extra)
        sent = [(n, name, content) for n, upload in uploads.items() if upload for name, content in [upload]]
        body, content_type = (multipart(pairs, sent) if form.multipart or files
                              else (urlencoded(pairs), "application/x-www-form-urlencoded"))
        before = fingerprint(site.engine)
        try:
            response = client.post(form.action, data=body, content_type=content_type)
        except Exception as exc:  # an exception the app let through (TESTING propagates them)
            raise AssertionError(f"{who} POST {form.action} {pairs!r}") from exc
        assert response.status_code < 500, (who, form.action, pairs)
        if response.status_code in REFUSALS:
            assert fingerprint(site.engine) == before, (who, form.action, response.status_code, pairs)

    run()


def test_every_query_string_of_every_page(site: Site) -> None:
    for who, urls in site.pages.items():
        for url in urls:
            _fuzz_query(site, who, url)


def _fuzz_query(site: Site, who: str, url: str) -> None:
    parts = urlsplit(url)

    @FUZZ
    @given(params=st.lists(st.tuples(st.sampled_from(QUERY_KEYS) | TEXT, VALUE), max_size=4))
    def run(params: list[tuple[str, Any]]) -> None:
        client = site.client(who)
        pairs = [tuple(p.split("=", 1)) for p in parts.query.split("&") if p]
        for key, value in params:
            pairs += [(key, v) for v in (value if isinstance(value, list) else [value])]
        query = urlencoded(pairs).decode("ascii")  # type: ignore[arg-type]
        before = fingerprint(site.engine)
        try:
            response = client.get(parts.path, query_string=query)
        except Exception as exc:
            raise AssertionError(f"{who} GET {parts.path}?{query!r}") from exc
        assert response.status_code < 500, (who, url, pairs)
        assert fingerprint(site.engine) == before, (who, url, pairs)  # reading never changes anything

    run()


def test_a_multipart_part_without_a_name_is_no_500(client_for) -> None:
    """Regression (found by this fuzzing): werkzeug names such a part None, and the NUL check
    (web/security.py) tested ``"\\x00" in None``: a TypeError, a 500 on every page's POST."""
    client = client_for("officer")
    for part in (b'Content-Disposition: form-data\r\n\r\nabc',
                 b'Content-Disposition: form-data; filename="x"\r\n\r\nabc'):
        body = b"--b\r\n" + part + b"\r\n--b--\r\n"
        response = client.post("/people/new", data=body, content_type="multipart/form-data; boundary=b")
        assert response.status_code == 400  # no CSRF token in it


def test_the_form_finder_reads_a_page() -> None:
    finder = FormFinder("/x")
    finder.feed('<form method="post" action="/a" enctype="multipart/form-data"><input name="csrf_token">'
                '<input type="file" name="f"><select name="s"></select></form><form method="get"><input name="q">'
                '</form><form method="post"><textarea name="t"></textarea></form>')
    assert [(f.action, f.fields, f.multipart) for f in finder.forms] == [
        ("/a", {"csrf_token": "text", "f": "file", "s": "select"}, True), ("/x", {"t": "textarea"}, False)]
    assert PASSWORD_HASH  # the fuzzed users sign in with the helpers' password
