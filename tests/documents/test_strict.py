"""A missing field is an error, never a blank on an official form (StrictUndefined)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from jinja2 import UndefinedError

from documents import render_form
from documents.environment import environment
from documents.environment import render_html
from documents.forms import FORMS
from documents.forms import FormInputs
from documents.forms import UndeclaredRead
from documents.issue import form_inputs

from .conftest import Rendered


def test_environment_is_strict_and_autoescaped() -> None:
    env = environment()
    assert env.autoescape is True
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    with pytest.raises(UndefinedError):
        env.from_string("{{ missing }}").render()


def test_a_form_missing_a_field_fails_loudly(rendered: Rendered) -> None:
    inputs = _inputs(rendered, "decision_record")
    context = FORMS["decision_record"].build(inputs)
    render_html(FORMS["decision_record"].template, context)  # complete: renders
    del context["meeting_body"]
    with pytest.raises(UndefinedError, match="meeting_body"):
        render_html(FORMS["decision_record"].template, context)


def test_render_form_with_an_incomplete_builder_raises_and_records_nothing(
        rendered: Rendered, monkeypatch: pytest.MonkeyPatch) -> None:
    engine, demo = rendered.engine, rendered.demo
    case_id = demo.cases["appointment_notice"]
    original = FORMS["appointment_notice"]

    def broken(inputs: FormInputs) -> dict[str, object]:
        context = original.build(inputs)
        context.pop("doc_no")
        return context

    monkeypatch.setitem(FORMS, "appointment_notice", replace(original, build=broken))
    monkeypatch.setattr(engine, "issued_copy", lambda *args: None)  # render anew, not the copy issued before
    before = len(engine.history(case_id, demo.actors["aud"]))
    with pytest.raises(UndefinedError, match="doc_no"):
        render_form(engine, case_id, "appointment_notice", demo.actors["off"])
    assert len(engine.history(case_id, demo.actors["aud"])) == before


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_template_names_only_what_its_builder_provides(rendered: Rendered, name: str) -> None:
    inputs = _inputs(rendered, name)
    html = render_html(FORMS[name].template, FORMS[name].build(inputs))
    assert '<html lang="zh-CN">' in html
    assert "None" not in html


def _inputs(rendered: Rendered, name: str) -> FormInputs:
    case_id = rendered.demo.cases[name]
    return form_inputs(rendered.engine, rendered.engine.case_record(case_id, rendered.demo.actors["off"]), name)


def test_a_form_that_reads_what_it_did_not_declare_fails_and_records_nothing(
        rendered: Rendered, monkeypatch: pytest.MonkeyPatch) -> None:
    """Declarations are complete: a read outside them is an error, not a blank on the form."""
    engine, demo = rendered.engine, rendered.demo
    case_id = demo.cases["decision_record"]
    form = FORMS["decision_record"]
    monkeypatch.setitem(FORMS, "decision_record",
                        replace(form, fields=tuple(f for f in form.fields if f != "meeting_body")))
    monkeypatch.setattr(engine, "issued_copy", lambda *args: None)  # render anew, not the copy issued before
    before = len(engine.history(case_id, demo.actors["aud"]))
    with pytest.raises(UndeclaredRead, match="meeting_body"):
        render_form(engine, case_id, "decision_record", demo.actors["off"])
    assert len(engine.history(case_id, demo.actors["aud"])) == before
    with pytest.raises(UndeclaredRead, match="decide"):
        replace(_inputs(rendered, "decision_record"), form=replace(form, events=())).events_of("decide")
