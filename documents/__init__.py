"""Official forms and case-history PDFs: Jinja2 templates, print CSS, WeasyPrint.

The public surface the web layer and the CLI call:

- ``render_form(engine, case_id, name, actor) -> bytes``: an official form of a case,
  recorded in the case history (template, version, SHA-256 of the PDF);
- ``render_history(engine, case_id, actor) -> bytes``: the case-history PDF for auditors,
  logged but never added to the history (reading never changes a case);
- ``available_documents(engine, case_id) -> [(name, title)]``: the forms available now;
- ``document_names()``: every form name the definitions may list.

WeasyPrint is imported lazily (on the first render), so importing this package is cheap.
This package imports ``workflow`` but never ``flask`` or ``web``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .catalog import document_names

if TYPE_CHECKING:
    from workflow import Actor
    from workflow import Engine


def render_form(engine: Engine, case_id: int, name: str, actor: Actor) -> bytes:
    """Render form ``name`` of a case as PDF and record its issuance in the case history.

    Raises:
        workflow.errors.NotFound: the case's definition does not list the form, or it is
            not available yet in the case's history and state.
    """
    from .forms import render_form as _render

    return _render(engine, case_id, name, actor)


def render_history(engine: Engine, case_id: int, actor: Actor) -> bytes:
    """Render the complete case history as PDF (every event, sealed data included)."""
    from .history import render_history as _render

    return _render(engine, case_id, actor)


def available_documents(engine: Engine, case_id: int) -> list[tuple[str, str]]:
    """(name, title) of every form the case can produce now."""
    from .forms import available_documents as _available

    return _available(engine, case_id)


__all__ = ["available_documents", "document_names", "render_form", "render_history"]
