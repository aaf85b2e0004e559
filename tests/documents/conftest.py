"""Fixtures of the document tests: one demo engine (SQLite) and every form rendered once.

Rendering is the slow part (~0.3 s a form), so the demo cases are built and every
form rendered once per session; the per-form tests then read the same PDFs.
Tests that need a fresh database on every tier use the ``engine`` fixture instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from documents import document_names
from documents import form_reads
from documents import render_form
from workflow import Engine
from workflow import FixedClock
from workflow import Settings

from ..conftest import ARTIFACTS
from ..conftest import DEFAULT_NOW
from ..conftest import HEAD_KEY
from ..conftest import Databases
from .scenarios import Demo
from .scenarios import build


@dataclass
class Rendered:
    engine: Engine
    demo: Demo
    pdfs: dict[str, bytes]
    paths: dict[str, Path]


@pytest.fixture(scope="session")
def doc_artifacts() -> Path:
    folder = ARTIFACTS / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def demo_engine(databases: Databases) -> Iterator[Engine]:
    eng = Engine(Settings(database_url=databases.sqlite(), head_key=HEAD_KEY), clock=FixedClock(DEFAULT_NOW),
                 forms=form_reads())
    eng.sync_definitions()
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def demo(demo_engine: Engine) -> Demo:
    return build(demo_engine)


@pytest.fixture(scope="session")
def rendered(demo_engine: Engine, demo: Demo, doc_artifacts: Path) -> Rendered:
    pdfs: dict[str, bytes] = {}
    paths: dict[str, Path] = {}
    for name in document_names():
        pdf = render_form(demo_engine, demo.cases[name], name, demo.actors["off"])
        pdfs[name] = pdf
        paths[name] = doc_artifacts / f"{name}.pdf"
        paths[name].write_bytes(pdf)
    return Rendered(demo_engine, demo, pdfs, paths)
