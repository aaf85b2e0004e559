"""Bearer tokens: from `cadreflow tokens create`, stored hashed, revocable, last use recorded; 401 otherwise."""

from __future__ import annotations

import hashlib

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from web import cli
from workflow import Engine
from workflow.persistence.models import ApiToken

from .conftest import ApiClient
from .conftest import error


def test_missing_or_bad_tokens_are_401(api: ApiClient) -> None:
    case = api.new_case()
    for headers in ({}, {"Authorization": "Basic b2ZmOng="}, {"Authorization": "Bearer"},
                    {"Authorization": "Bearer cfw_not-a-token"}, {"Authorization": "Bearer " + "x" * 5000},
                    {"Authorization": "bearer\tcfw_x"}, {"Authorization": "Bearer 令牌"}):
        resp = api.client.get(f"/api/v1/cases/{case.id}", headers=headers)
        assert resp.status_code == 401, headers
        assert error(resp)["code"] == "unauthorized"
        assert resp.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_and_inactive_user_are_401(api: ApiClient) -> None:
    token = api.engine.users.create_token("rev", note="一次性")
    headers = {"Authorization": f"Bearer {token}"}
    assert api.client.get("/api/v1/cases", headers=headers).status_code == 200
    record = next(t for t in api.engine.users.tokens("rev") if t.note == "一次性")
    assert record.last_used_at == api.engine.clock.now()
    api.engine.users.revoke_token(record.id)
    assert error(api.client.get("/api/v1/cases", headers=headers))["code"] == "unauthorized"
    api.engine.users.update("off", active=False)
    assert api.get("/cases", "officer").status_code == 401



def test_a_token_from_the_cli_opens_the_api_and_is_stored_hashed(
        api: ApiClient, db_url: str, tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADREFLOW_DATABASE_URL", db_url)
    monkeypatch.setenv("CADREFLOW_SECRET_KEY", "cli-test-secret")
    monkeypatch.setenv("CADREFLOW_INSTANCE", str(tmp_path))
    opened: list[Engine] = []

    def open_engine(sync: bool = True) -> Engine:  # the CLI exits after one command; a test must close
        eng = real_open_engine(sync)
        opened.append(eng)
        return eng

    real_open_engine = cli.open_engine
    monkeypatch.setattr(cli, "open_engine", open_engine)
    try:
        result = CliRunner().invoke(cli.main, ["tokens", "create", "i1", "--note", "接口对接"])
    finally:
        for eng in opened:
            eng.dispose()
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert "\n" not in token and token.startswith("cfw_")
    resp = api.client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200
    with api.engine.db.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(ApiToken.__table__))]
    assert hashlib.sha256(token.encode()).hexdigest() in {r["token_hash"] for r in rows}
    assert not any(token in str(value) for r in rows for value in r.values())
