"""Fixtures of the need-to-know tests: the world (world.py) on every database tier, with an API
token and a signed-in page client per user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from workflow import Engine

from ..api.conftest import make_app
from ..web.helpers import login
from .world import World
from .world import build


@dataclass
class Site:
    engine: Engine
    app: Flask
    world: World
    tokens: dict[str, str]
    _pages: dict[str, FlaskClient]

    def api(self, username: str, path: str, method: str = "GET", **kw: Any) -> TestResponse:
        headers = {"Authorization": f"Bearer {self.tokens[username]}"}
        return self.app.test_client().open("/api/v1" + path, method=method, headers=headers, **kw)

    def page(self, username: str) -> FlaskClient:
        if username not in self._pages:
            client = self.app.test_client()
            assert login(client, username).status_code == 303, username
            self._pages[username] = client
        return self._pages[username]

    def role(self, username: str) -> str:
        [role] = self.world.actors[username].roles
        return role


@pytest.fixture
def site(engine: Engine, tmp_path: Path) -> Site:
    world = build(engine)
    tokens = {u: engine.users.create_token(u) for u in world.actors}
    return Site(engine, make_app(engine, tmp_path), world, tokens, {})


Probe = Callable[[str, str], int]
