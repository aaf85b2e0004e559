"""The API fixtures (tests/api/conftest.py) for the ballot tests."""

from ..api.conftest import api  # noqa: F401
from ..api.conftest import real_api  # noqa: F401
