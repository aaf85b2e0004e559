"""Browser tests: Playwright driving Debian's /usr/bin/chromium against a live server.

The server is the real app (werkzeug, in a thread) over the shipped definitions on a
fresh database of each tier, with the test clock. A missing /usr/bin/chromium FAILS
these tests: they never fall back to a downloaded browser and never skip.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.web.helpers import add_web_users
from tests.web.helpers import make_app
from workflow import Engine

from .ui import UI

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--lang=zh-CN"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "浏览器测试需要 Debian 的 /usr/bin/chromium（make install 会安装）"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def live_server(engine: Engine, tmp_path: Path) -> Iterator[str]:
    add_web_users(engine, {"officer": ["officer"], "reviewer": ["reviewer"], "auditor": ["auditor"],
                           "admin": ["admin"], "rec": ["recommender"], "i1": ["inspector"],
                           "i2": ["inspector"]})
    app = make_app(engine, tmp_path)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def ui(browser: Browser, live_server: str, artifacts: Path, request: pytest.FixtureRequest) -> Iterator[UI]:
    tier = request.node.callspec.params.get("db_url", "sqlite") if hasattr(request.node, "callspec") else ""
    session = UI(browser, live_server, artifacts, prefix=f"{request.node.originalname}-{tier}")
    yield session
    session.close()
