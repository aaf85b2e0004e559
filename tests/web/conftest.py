"""Fixtures for page tests (Flask test client) on every database tier.

The app runs over tests/web/definitions: the engine's small review procedure
(every engine feature) and forms_demo (every field type a form can have).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import EngineFactory
from workflow import Engine

from .helpers import add_web_users
from .helpers import login
from .helpers import make_app

WEB_DEFINITIONS = Path(__file__).resolve().parent / "definitions"


@pytest.fixture
def web_engine(make_engine: EngineFactory) -> Engine:
    eng = make_engine(WEB_DEFINITIONS)
    add_web_users(eng)
    return eng


@pytest.fixture
def app(web_engine: Engine, tmp_path: Path) -> Flask:
    return make_app(web_engine, tmp_path)


@pytest.fixture
def client_for(app: Flask) -> Callable[[str], FlaskClient]:
    """A test client signed in as one of the test users (helpers.ROLE_USERS)."""

    def make(username: str) -> FlaskClient:
        client = app.test_client()
        response = login(client, username)
        assert response.status_code == 303, response.get_data(as_text=True)
        return client

    return make
