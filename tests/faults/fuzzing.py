"""Helpers of the bad-input test: case snapshots, multipart bodies, generated form posts.

``snapshot`` is what must not change on a case the fuzzing user may not touch:
the case (all but the time-dependent ``overdue``), its full history, attachments
and recusals, read through the API by an auditor. ``form_posts`` is a hypothesis
strategy for page POSTs: an event form (the real field names of each event,
prefixed as the page names them), an upload, a recusal, a new case, a person, or
an administrator's form, on entitled, protected and missing cases, with
garbage values, wrong and right ``expected_version``s, and a valid CSRF token.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from hypothesis import strategies as st

from bench.serve import Client
from tests.pdfs import tiny_pdf

PDF = tiny_pdf()
EVENT_FIELDS = {
    "record": ["record_kind", "record_date", "record_content"], "analyze": ["analysis_text"],
    "return": ["return_reason"], "file": ["evaluation", "tags", "grade"], "cancel": ["cancel_reason"],
}
COMMON = ["expected_version", "event_comment", "confirm_irreversible", "csrf_token"]
PERSON_KEYS = ["name", "gender", "birth_date", "unit", "current_post", "ethnicity", "native_place",
               "resume-0-start", "family-0-name", "annual_assessments-0-year"]
SPECIAL = ["", " ", "0", "-1", "1.5", "1e309", "99999999999999999999", "2026-11-25", "2099-12-31", "2026-02-30",
           "谈心谈话", "其他", "好", "担当作为", "true", "on", "y", "fuzz", "off", "rev", "<script>alert(1)</script>",
           "' OR 1=1 --", "\x00", "\u202e", "𠀀", "a" * 5001, "记" * 20001, "../../etc/passwd", "%s%n", "{}", "[]"]
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40) | st.sampled_from(SPECIAL)
VALUE = TEXT | st.lists(TEXT, min_size=1, max_size=3)


def snapshot(reader: Client, case_id: int) -> str:
    """The case as an auditor reads it through the API (minus ``overdue``), history, files, recusals."""
    parts = []
    for path in ("", "/history", "/attachments", "/recusals"):
        status, body = reader.get(f"/cases/{case_id}{path}")
        assert status == 200, (case_id, path, status, body)
        if path == "":
            body = {k: v for k, v in body.items() if k != "overdue"}
        parts.append(body)
    return json.dumps(parts, ensure_ascii=False, sort_keys=True)


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """(body, content type) of a multipart/form-data POST."""
    boundary = f"cadreflow-fuzz-{uuid.uuid4().hex}"
    out = b""
    for name, value in fields:
        out += (f'--{boundary}\r\nContent-Disposition: form-data; name="{quote(name)}"\r\n\r\n').encode()
        out += value.encode("utf-8", "surrogatepass") + b"\r\n"
    for name, filename, content in files:
        out += (f'--{boundary}\r\nContent-Disposition: form-data; name="{quote(name)}"; '
                f'filename="{quote(filename)}"\r\nContent-Type: application/octet-stream\r\n\r\n').encode()
        out += content + b"\r\n"
    return out + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@dataclass(frozen=True)
class Post:
    """One generated page POST; ``version`` None, or True to send the case's current version."""

    kind: str
    case_id: int
    path: str
    form: list[tuple[str, str]]
    files: list[tuple[str, str, bytes]]
    version_key: str | None = None


def _pairs(values: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for key, value in values.items():
        for v in value if isinstance(value, list) else [value]:
            out.append((key, v))
    return out


@st.composite
def form_posts(draw: Any, cases: list[int]) -> Post:
    kind = draw(st.sampled_from(["event"] * 12 + ["upload", "upload", "recusal", "recusal", "new_case", "person",
                                                  "admin", "document"]))
    case_id = draw(st.sampled_from(cases))
    if kind == "event":
        event = draw(st.sampled_from(list(EVENT_FIELDS) + ["submit", "start", "no_such_event"])
                     | st.text("abcdefghijklmnopqrstuvwxyz_-.~%", min_size=1, max_size=12))
        names = [f"{event}-{n}" for n in EVENT_FIELDS.get(event, ["x"]) + COMMON[1:3]]
        values = draw(st.dictionaries(st.sampled_from(names) | TEXT, VALUE, max_size=6))
        version_key = f"{event}-expected_version" if draw(st.booleans()) or draw(st.booleans()) else None
        if version_key is None:
            values[f"{event}-expected_version"] = draw(TEXT)
        files = []
        if draw(st.integers(0, 9)) == 0:
            files = [(f"{event}-record_content", draw(TEXT), draw(st.binary(max_size=300)))]
        return Post(kind, case_id, f"/cases/{case_id}/events/{quote(event, safe='')}", _pairs(values), files,
                    version_key)
    if kind == "upload":
        content = draw(st.sampled_from([PDF, b"", b"\x89PNG\r\n\x1a\n"]) | st.binary(max_size=500))
        name = draw(st.sampled_from(["upload-file", "file", "upload-x"]))
        return Post(kind, case_id, f"/cases/{case_id}/attachments", [], [(name, draw(TEXT) or "a.pdf", content)])
    if kind == "recusal":
        values = {"recusal-username": draw(st.sampled_from(["fuzz", "off", "rev", "aud", "nobody"]) | TEXT),
                  "recusal-reason": draw(VALUE)}
        return Post(kind, case_id, f"/cases/{case_id}/recusals", _pairs(values), [])
    if kind == "new_case":
        definition = draw(st.sampled_from(["daily_inspection", "signed_recommendation", "nope"]) | TEXT)
        keys = ["title", "subject_id", "period", "event_comment"]
        values = draw(st.dictionaries(st.sampled_from(keys) | TEXT, VALUE, max_size=5))
        return Post(kind, 0, f"/cases/new?definition={quote(definition, safe='')}", _pairs(values), [])
    if kind == "person":
        values = draw(st.dictionaries(st.sampled_from(PERSON_KEYS) | TEXT, VALUE, max_size=8))
        return Post(kind, 0, "/people/new", _pairs(values), [])
    if kind == "admin":
        path = draw(st.sampled_from(["/admin/users", "/admin/users/off", "/admin/users/off/password",
                                     "/admin/tokens", "/admin/tokens/1/revoke"]))
        values = draw(st.dictionaries(st.sampled_from(["username", "roles", "password", "again", "active", "note",
                                                       "name"]) | TEXT, VALUE, max_size=5))
        return Post(kind, 0, path, _pairs(values), [])
    name = draw(st.sampled_from(["daily_inspection_record", "case_history", "x"])
                | st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=10))
    return Post(kind, case_id, f"/cases/{case_id}/documents/{name}.pdf", [], [])
