"""Fault-test fixtures: real gunicorn servers on temporary instances, per tier (bench/serve.py).

Per tier and session, one template instance is prepared with the command line
exactly as an operator would: ``cadreflow init``, ``cadreflow users add`` and
``cadreflow tokens create`` for every user of ``USERS``. Each test gets its own
copy: the SQLite file (WAL, ``synchronous=FULL``, the app's defaults), or on
PostgreSQL a dedicated database created here from the template database
(``CREATE DATABASE ... TEMPLATE``) and dropped afterwards. Cases are opened through
the API by the tests themselves. ``Deployment.server()`` starts gunicorn on the
copy; every server still running is stopped at teardown.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

import pytest

from bench.serve import Client
from bench.serve import Instance
from bench.serve import PgDatabase
from bench.serve import Server

from ..conftest import pg_base_url
from ..conftest import tiers

USERS = {"off": ["officer"], "rev": ["reviewer"], "aud": ["auditor"], "fuzz": ["officer", "inspector"]}
PG_REASON = "PostgreSQL tier not configured (set CADREFLOW_TEST_POSTGRES_URL); CI fails instead of skipping"


@dataclass
class Prepared:
    instance: Instance
    tokens: dict[str, str]
    pg: PgDatabase | None = None


@dataclass
class Deployment:
    """One test's instance (a copy of the tier's template), its tokens and its servers."""

    tier: str
    instance: Instance
    tokens: dict[str, str]
    servers: list[Server] = field(default_factory=list)
    engines: list[Any] = field(default_factory=list)
    clients: list[Client] = field(default_factory=list)

    def server(self, workers: int = 2, **kwargs: Any) -> Server:
        srv = Server(self.instance, workers=workers, **kwargs)
        self.servers.append(srv)
        return srv.start()

    def client(self, server: Server, user: str) -> Client:
        """A client with ``user``'s token (its connection is closed at teardown)."""
        client = Client(server.host, self.tokens[user])
        self.clients.append(client)
        return client

    def engine(self, url: str | None = None) -> Any:
        """An engine on this deployment's database (or ``url``), disposed at teardown."""
        eng = self.instance.engine(url)
        self.engines.append(eng)
        return eng

    def close(self) -> None:
        for client in self.clients:
            client.close()
        for srv in self.servers:
            srv.stop()
        for eng in self.engines:
            eng.dispose()


def _prepare(tier: str, folder: Path) -> Prepared:
    pg = None
    if tier == "postgresql":
        base = pg_base_url()
        assert base is not None
        pg = PgDatabase(base).create()
    instance = Instance(folder, pg.url if pg else None).init()
    for username, roles in USERS.items():
        instance.add_user(username, roles, f"{username}（测试）")
    return Prepared(instance, {u: instance.token(u) for u in USERS}, pg)


@pytest.fixture(scope="session")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Prepared]]:
    made: dict[str, Prepared] = {}

    def get(tier: str) -> Prepared:
        if tier not in made:
            made[tier] = _prepare(tier, tmp_path_factory.mktemp(f"faults-template-{tier}"))
        return made[tier]

    yield get
    for p in made.values():
        if p.pg is not None:
            p.pg.drop()


def _deploy(tier: str, prepared: Callable[[str], Prepared], folder: Path) -> Iterator[Deployment]:
    template = prepared(tier)
    pg = None
    if template.pg is not None:
        pg = PgDatabase(template.pg.base_url).create(template=template.pg)
    deployment = Deployment(tier, template.instance.copy_to(folder, pg.url if pg else None), template.tokens)
    try:
        yield deployment
    finally:
        deployment.close()
        if pg is not None:
            pg.drop()


@pytest.fixture(params=tiers())
def deployment(request: pytest.FixtureRequest, prepared: Callable[[str], Prepared],
               tmp_path: Path) -> Iterator[Deployment]:
    """A prepared instance on each tier (the tier is the test id); servers are the test's to start."""
    yield from _deploy(request.param, prepared, tmp_path / "instance")


PG_ONLY = [pytest.param("postgresql")] if pg_base_url() else [
    pytest.param("postgresql", marks=pytest.mark.skip(reason=PG_REASON))]


@pytest.fixture(params=PG_ONLY)
def pg_deployment(request: pytest.FixtureRequest, prepared: Callable[[str], Prepared],
                  tmp_path: Path) -> Iterator[Deployment]:
    """A prepared instance on PostgreSQL only (skipped, visibly, without a PostgreSQL tier)."""
    yield from _deploy(request.param, prepared, tmp_path / "instance")
