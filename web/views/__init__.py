"""The HTML pages, one blueprint per area (inbox, cases, actions, files, people, audit, admin).

Views stay thin: read the request, call the engine, render or redirect. What a page
shows is prepared by ``present`` (pure formatting of engine snapshots).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request

from .. import params


@dataclass(frozen=True)
class Page:
    """Pagination of a list: which page, how many per page, the total."""

    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_number() -> int:
    """The list's ``page`` parameter (web.params: strict, 400 when it is not 1..100000)."""
    return params.page_number()


def page_url_args(**changes: object) -> dict[str, object]:
    """The current query string with some keys changed (for pagination and sort links)."""
    args: dict[str, object] = {k: v for k, v in request.args.items() if v != ""}
    args.update(changes)
    return {k: v for k, v in args.items() if v is not None}
