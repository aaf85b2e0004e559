"""Ballots over HTTP for the ballot bench and the fault tests: open one, cast votes on fresh connections."""

from __future__ import annotations

import http.client
import json
from typing import Any

from .load import make_cases
from .serve import Client

OPTIONS = ("同意", "不同意", "缓议")


def open_ballot(client: Client, voters: int, title: str = "表决") -> tuple[int, list[str]]:
    """A named-less 表决 ballot of ``voters`` codes on a fresh case: (ballot id, codes)."""
    case_id = make_cases(client, 1, title)[0][0]
    status, body = client.post(f"/cases/{case_id}/ballots", {
        "kind": "vote", "title": title, "voters": voters, "items": [{"key": "q", "label": "议题", "max_choices": 1}]})
    if status != 201:
        raise RuntimeError(f"POST ballots answered {status}: {body}")
    return int(body["id"]), list(body["codes"])


def choice_for(i: int) -> dict[str, list[str]]:
    """The i-th voter's choices: mostly 同意, some 不同意 and 缓议, every 17th blank."""
    return {} if i % 17 == 0 else {"q": [OPTIONS[0 if i % 5 else (i // 5) % 3]]}


def cast(host: str, code: str, choices: dict[str, Any], timeout: float = 30.0) -> tuple[int | None, Any]:
    """POST /api/v1/vote on its own connection: (status, body), or (None, error) when the connection broke."""
    conn = http.client.HTTPConnection(host, timeout=timeout)
    try:
        conn.request("POST", "/api/v1/vote", body=json.dumps({"code": code, "choices": choices}).encode(),
                     headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, json.loads(data) if data else None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return None, repr(exc)
    finally:
        conn.close()
