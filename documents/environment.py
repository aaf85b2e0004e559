"""The documents' own Jinja2 environment: autoescaped, strict, with the form filters.

``StrictUndefined`` makes a missing field an error, never a blank on an official
form. Templates live in ``documents/templates/``; nothing else is loaded.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment
from jinja2 import FileSystemLoader
from jinja2 import StrictUndefined

from .filters import FILTERS

DOCUMENTS_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = DOCUMENTS_DIR / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The shared environment (templates are compiled once per process)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(FILTERS)
    env.globals["watermark"] = None  # a PDF handed to a viewer passes its own (documents.watermark)
    return env


def render_html(template: str, context: dict[str, Any]) -> str:
    """Render one template to HTML text; raises jinja2.UndefinedError on a missing field."""
    return environment().get_template(template).render(**context)
