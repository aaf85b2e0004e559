"""Every form available for the shipped demo data (web/demo.py) renders, and all sixteen occur."""

from __future__ import annotations

import pytest

from documents import available_documents
from documents import document_names
from documents import render_form
from workflow import CaseQuery
from workflow import Engine

from .pdfcheck import text

demo = pytest.importorskip("web.demo")


def test_every_available_form_of_the_demo_cases_renders(engine: Engine) -> None:
    demo.load_demo(engine)
    cases, _ = engine.list_cases(CaseQuery(per_page=200))
    officers = {u.org_id: u.actor() for u in reversed(engine.users.all()) if "officer" in u.roles}
    seen: set[str] = set()
    for case in cases:
        officer = officers[case.org_id]  # an officer of the case's own organization
        for name, _title in available_documents(engine, case.id, officer):
            if name in seen:
                continue  # one of each is enough to keep the suite fast
            assert case.subject_id is not None
            person = engine.people.get(case.subject_id)
            body = text(render_form(engine, case.id, name, officer))
            assert person.name in body, (case.id, name)
            seen.add(name)
    assert sorted(seen) == sorted(document_names())
    assert engine.verify().ok
