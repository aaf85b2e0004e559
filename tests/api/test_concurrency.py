"""Concurrent POSTs of the same event with the same expected_version, through a real threaded server.

Exactly one wins (200); every other answer is 409 stale_version; the history holds
the event once. Runs on every tier (SQLite's write lock, PostgreSQL's row lock).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from werkzeug.serving import BaseWSGIServer
from werkzeug.serving import make_server

from .conftest import SUBMIT
from .conftest import ApiClient

CLIENTS = 16


@pytest.fixture
def server(api: ApiClient) -> Iterator[str]:
    srv: BaseWSGIServer = make_server("127.0.0.1", 0, api.app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, name="api-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.port}/api/v1"
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=10)


def test_one_wins_the_rest_are_stale(api: ApiClient, server: str) -> None:
    case = api.new_case()
    body = {"event": "submit", "data": SUBMIT, "expected_version": case.version, "comment": "并发提交"}
    barrier = threading.Barrier(CLIENTS)
    answers: list[tuple[int, Any]] = []
    lock = threading.Lock()

    def post() -> None:
        with requests.Session() as session:
            session.trust_env = False  # never through a proxy
            barrier.wait()
            resp = session.post(f"{server}/cases/{case.id}/events", json=body, headers=api.auth("officer"),
                                timeout=120)
            with lock:
                answers.append((resp.status_code, resp.json()))

    threads = [threading.Thread(target=post) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] + [409] * (CLIENTS - 1)
    assert {body["error"]["code"] for status, body in answers if status == 409} == {"stale_version"}
    winner = next(body for status, body in answers if status == 200)
    assert winner["state"] == "submitted" and winner["version"] == case.version + 1
    history = api.engine.history(case.id)
    assert [e.event for e in history] == ["start", "submit"]
    assert api.engine.verify().ok
