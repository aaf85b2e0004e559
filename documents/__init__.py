"""Official forms and case-history PDFs: Jinja2 templates, print CSS, WeasyPrint.

The public surface the web layer and the CLI call:

- ``render_form(engine, case_id, name, actor) -> bytes``: an official form of a case as
  the actor may read it, recorded in the case history (template, version, SHA-256 of the PDF);
- ``render_history(engine, case_id, actor) -> bytes``: the case-history PDF, logged but
  never added to the history (reading never changes a case);
- ``available_documents(engine, case_id, actor) -> [(name, title)]``: the forms available now;
- ``form_reads()``: what every form reads, for the definition checks.

WeasyPrint is imported lazily (on the first render), so importing this package is cheap.
This package imports ``workflow`` but never ``flask`` or ``web``.
"""

from __future__ import annotations

from .forms import document_names
from .forms import form_reads
from .history import render_history
from .issue import available_documents
from .issue import render_form

__all__ = ["available_documents", "document_names", "form_reads", "render_form", "render_history"]
