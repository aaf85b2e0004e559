"""The JSON API under ``/api/v1`` (../shared/docs/api.md is its contract).

One blueprint, ``bp``, authenticated by Bearer tokens (never cookies, hence
CSRF-exempt), over the same engine calls the pages use. The modules each own one
area: ``auth`` (tokens), ``errors`` (the error envelope), ``validation`` and
``schemas`` (the JSON Schemas requests are checked against and the OpenAPI
document is built from), ``fieldschema`` (definition fields as JSON Schema),
``serialize`` (snapshots to JSON), and the endpoints in ``cases``, ``files``,
``people``, ``definitions`` and ``openapi``.
"""

from __future__ import annotations

from flask import Flask

from . import audit  # noqa: F401  (each endpoint module registers its routes on bp)
from . import auth  # noqa: F401
from . import ballots  # noqa: F401
from . import cases  # noqa: F401
from . import definitions  # noqa: F401
from . import delegations  # noqa: F401
from . import errors
from . import files  # noqa: F401
from . import jobs  # noqa: F401
from . import notifications  # noqa: F401
from . import openapi  # noqa: F401
from . import people  # noqa: F401
from . import people_files  # noqa: F401
from . import stats  # noqa: F401
from .blueprint import bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    """App-level hooks: JSON errors for every path under /api/, even unrouted ones."""
    errors.install(app)
