"""The Flask application factory: the composition root.

It builds the configuration, the engine (which loads the definitions and
builds their machines once), binds the extensions and registers the
blueprints. Migrations never run here: `cadreflow init` does that.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from flask import Flask
from flask import current_app

from documents import form_reads
from workflow import Engine

from .config import AppConfig
from .config import ConfigError
from .config import load_config
from .config import warn_exposed_files
from .extensions import csrf
from .extensions import login_manager
from .jobs import init_app as init_jobs
from .params import StrictIntConverter

# Blueprint modules, each exposing ``bp`` (and maybe ``init_app``), then the app-wide hooks.
BLUEPRINTS = ("web.auth", "web.views.inbox", "web.views.cases", "web.views.admin", "web.views.orgs", "web.views.audit",
              "web.views.reports", "web.views.dashboard", "web.views.vote", "web.views.ballots",
              "web.views.notices", "web.views.jobs", "web.views.holidays", "web.views.daily", "web.api")
HOOKS = ("web.security", "web.errors")
DEV_SECRET = "dev"


def create_app(test_config: dict[str, Any] | None = None, *, engine: Engine | None = None) -> Flask:
    app = Flask(__name__)
    test_config = dict(test_config or {})
    config: AppConfig = test_config.pop("CADREFLOW_CONFIG", None) or load_config(test_config.get("INSTANCE"))
    jobs_config = test_config.pop("CADREFLOW_JOBS", None)
    testing = bool(test_config.get("TESTING"))
    app.config.from_mapping(
        SECRET_KEY=config.session_key if config.secret_key else DEV_SECRET,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="cadreflow_session",
        MAX_CONTENT_LENGTH=21 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        JSON_AS_ASCII=False,
    )
    app.config.from_prefixed_env("CADREFLOW_FLASK")
    app.config.update(test_config)
    if app.config["SECRET_KEY"] == DEV_SECRET and not (testing or app.debug):
        raise ConfigError("生产环境不能使用默认密钥启动：请设置 CADREFLOW_SECRET_KEY，或先运行 cadreflow init")
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    if engine is None:
        engine = Engine(config.settings(), forms=form_reads())
        engine.sync_definitions()
    app.extensions["cadreflow"] = engine
    app.extensions["cadreflow_config"] = config
    init_jobs(app, engine, jobs_config)  # background jobs (huey): web/jobs
    app.url_map.converters["int"] = StrictIntConverter  # before any route: ids beyond the database's are 404
    csrf.init_app(app)
    login_manager.init_app(app)
    for name in BLUEPRINTS:
        module = importlib.import_module(name)
        app.register_blueprint(module.bp)
        if hasattr(module, "init_app"):
            module.init_app(app)
    for hook in HOOKS:
        importlib.import_module(hook).init_app(app)
    if not app.debug and not testing:
        logging.basicConfig(level=logging.INFO)
        # transitions logs two INFO lines per fired event ("Finished processing state ...
        # callbacks"): noise in a server's log; the engine logs each event once itself.
        logging.getLogger("transitions").setLevel(logging.WARNING)
        warn_exposed_files(config.instance)
    return app


def engine() -> Engine:
    """The engine of the running app."""
    eng: Engine = current_app.extensions["cadreflow"]
    return eng
