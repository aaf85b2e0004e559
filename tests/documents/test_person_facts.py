"""The person on the forms: 现任职务 with its unit, the age fixed per case (never the print date), the photo."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC
from datetime import date
from datetime import datetime

import pdfplumber
from PIL import Image

from documents.forms import FORMS
from documents.forms.person import person_facts
from documents.issue import form_inputs
from documents.issue import form_pdf
from documents.renderer import render_html
from workflow.people import PersonView

from .conftest import Rendered


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (90, 120), (180, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def _inputs(rendered: Rendered):  # type: ignore[no-untyped-def]
    case_id = rendered.demo.cases["appointment_approval_form"]
    record = rendered.engine.case_record(case_id, rendered.demo.actors["off"])
    return form_inputs(rendered.engine, record, "appointment_approval_form")


def test_the_age_is_computed_on_the_decision_date_whenever_the_form_is_printed(rendered: Rendered) -> None:
    form = FORMS["appointment_approval_form"]
    inputs = _inputs(rendered)
    now = form.build(inputs)
    later = form.build(replace(inputs, today=date(2031, 6, 1), now=datetime(2031, 6, 1, tzinfo=UTC)))
    assert now["age_on"] == later["age_on"] == "2026年11月5日"  # the decide event's meeting_date
    assert now["p"]["age"] == later["p"]["age"] == 48


def test_current_post_is_printed_with_its_unit() -> None:
    base = PersonView(1, "王五", "男", date(1980, 1, 1), "江州市财政局", "预算处处长", {}, datetime.now(UTC),
                      datetime.now(UTC))
    assert person_facts(base, date(2026, 1, 1))["current_post"] == "江州市财政局预算处处长"
    named = replace(base, current_post="江州市财政局预算处处长")
    assert person_facts(named, date(2026, 1, 1))["current_post"] == "江州市财政局预算处处长"
    assert person_facts(replace(base, unit=""), date(2026, 1, 1))["current_post"] == "预算处处长"


def test_the_photo_box_prints_the_photo(rendered: Rendered) -> None:
    form = FORMS["appointment_approval_form"]
    inputs = replace(_inputs(rendered), subject_photo=("image/jpeg", _photo()))
    html = render_html(form.template, form.build(inputs))
    assert '<img class="photo-img" src="data:image/jpeg;base64,' in html
    with pdfplumber.open(io.BytesIO(form_pdf(inputs))) as pdf:
        assert len(pdf.pages[0].images) == 1
    plain = render_html(form.template, form.build(replace(inputs, subject_photo=None)))
    assert "照<br>片" in plain and "<img" not in plain
