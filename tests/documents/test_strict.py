"""A missing field is an error, never a blank on an official form (StrictUndefined)."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError

from documents import forms
from documents import render_form
from documents.catalog import CATALOG
from documents.environment import environment
from documents.environment import render_html
from documents.gather import form_inputs

from .conftest import Rendered


def test_environment_is_strict_and_autoescaped() -> None:
    env = environment()
    assert env.autoescape is True
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    with pytest.raises(UndefinedError):
        env.from_string("{{ missing }}").render()


def test_a_form_missing_a_field_fails_loudly(rendered: Rendered) -> None:
    inputs = form_inputs(rendered.engine, rendered.demo.cases["decision_record"])
    context = forms.BUILDERS["decision_record"](inputs)
    render_html(CATALOG["decision_record"].template, context)  # complete: renders
    del context["meeting_body"]
    with pytest.raises(UndefinedError, match="meeting_body"):
        render_html(CATALOG["decision_record"].template, context)


def test_render_form_with_an_incomplete_builder_raises_and_records_nothing(
        rendered: Rendered, monkeypatch: pytest.MonkeyPatch) -> None:
    engine, demo = rendered.engine, rendered.demo
    case_id = demo.cases["appointment_notice"]
    original = forms.BUILDERS["appointment_notice"]

    def broken(inputs: forms.FormInputs) -> dict[str, object]:
        context = original(inputs)
        context.pop("doc_no")
        return context

    monkeypatch.setitem(forms.BUILDERS, "appointment_notice", broken)
    before = len(engine.history(case_id, demo.actors["aud"]))
    with pytest.raises(UndefinedError, match="doc_no"):
        render_form(engine, case_id, "appointment_notice", demo.actors["off"])
    assert len(engine.history(case_id, demo.actors["aud"])) == before


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_every_template_names_only_what_its_builder_provides(rendered: Rendered, name: str) -> None:
    inputs = form_inputs(rendered.engine, rendered.demo.cases[name])
    html = render_html(CATALOG[name].template, forms.BUILDERS[name](inputs))
    assert '<html lang="zh-CN">' in html
    assert "None" not in html
