"""Integers from requests, parsed strictly: the one place pages read a number from a query, a form or a path.

``str.isdigit()`` accepts "²" and other Unicode digits, which ``int()`` then
refuses with a ValueError (a 500); a long run of ASCII digits overflows the
database's integer columns (another 500). Every integer a page reads from a
request goes through this module instead: ASCII digits only, at most
``MAX_DIGITS`` of them, within a stated range.

- a query parameter that is not such an integer answers **400** with a Chinese
  message naming the parameter and the rule (``query_int``);
- a form field answers **422**: the caller puts the message on the field
  (``parse_int`` returns it, ``form_int`` sets it on a WTForms field);
- a path segment (``<int:...>``) beyond the range is no route: **404**
  (``StrictIntConverter``, registered as the app's ``int`` converter).
"""

from __future__ import annotations

from typing import Any

from flask import request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter
from werkzeug.routing import Map

DB_INT_MAX = 2**31 - 1  # the largest id a database integer column holds (PostgreSQL ``integer``)
MAX_DIGITS = 12


class BadQuery(BadRequest):
    """A query parameter that is not what the page accepts (400, the Chinese message shown)."""


def parse_int(raw: object, low: int, high: int, label: str) -> tuple[int | None, str]:
    """``(value, "")`` for an ASCII-digit integer within ``low..high``, else ``(None, message)``.

    Args:
        raw: what the request carried (a string; anything else is refused).
        low: the smallest value accepted.
        high: the largest value accepted.
        label: the Chinese name of the field or parameter, for the message.

    Returns:
        The value and an empty message, or None and the message naming the field and the rule.
    """
    text = raw if isinstance(raw, str) else ""
    if text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS and low <= int(text) <= high:
        return int(text), ""
    return None, f"{label}：应为{low}至{high}的整数"


def query_int(name: str, default: int, low: int, high: int, label: str) -> int:
    """The integer query parameter ``name`` (``default`` when absent or empty); BadQuery (400) otherwise."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    value, message = parse_int(raw, low, high, label)
    if value is None:
        raise BadQuery(description=f"查询参数 {name}（{message}）")
    return value


def optional_query_int(name: str, low: int, high: int, label: str) -> int | None:
    """Like ``query_int`` but None when the parameter is absent or empty."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    return query_int(name, low, low, high, label)


def form_int(field: Any, low: int, high: int, label: str, *, required: bool = False) -> int | None:
    """The integer in a WTForms field, None when empty; an invalid value puts the message on the field.

    Callers check ``field.errors`` (or the returned None with a non-empty field) and answer 422.
    """
    raw = field.data
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        if required:
            field.errors = [f"{label}：必须填写"]
        return None
    value, message = parse_int(raw, low, high, label)
    if value is None:
        field.errors = [message.split("：", 1)[1]]
    return value


def page_number(high: int = 100_000) -> int:
    """The ``page`` query parameter of a list (1 when absent); 400 when it is not 1..``high``."""
    return query_int("page", 1, 1, high, "页码")


class StrictIntConverter(IntegerConverter):
    """``<int:...>`` for ids: ASCII digits, at most ``DB_INT_MAX`` unless the rule says otherwise."""

    regex = r"[0-9]+"

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=DB_INT_MAX if max is None else max,
                         signed=signed)
