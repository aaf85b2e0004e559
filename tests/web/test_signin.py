"""Sign-in: growing delays per existing account, a per-address limit for offices behind one proxy,
X-Forwarded-* trusted only for CADREFLOW_TRUSTED_PROXIES hops, Secure cookies and HSTS by default,
and a disabled account told so only after the right password.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from flask import Flask

from web import create_app
from web.config import AppConfig
from workflow import Engine
from workflow import FixedClock

from .helpers import PASSWORD
from .helpers import login
from .helpers import make_app
from .helpers import text


def app_with(web_engine: Engine, tmp_path: Path, **changes: object) -> Flask:
    config = AppConfig(instance=tmp_path, database_url=web_engine.settings.database_url,
                       secret_key="test-secret-0123456789")
    return make_app(web_engine, tmp_path, CADREFLOW_CONFIG=dataclasses.replace(config, **changes))


def test_an_account_waits_longer_after_each_failure(app: Flask, clock: FixedClock) -> None:
    client = app.test_client()
    assert [login(client, "officer", "bad").status_code for _ in range(2)] == [401, 401]
    third = login(client, "officer", "bad")
    assert third.status_code == 401
    assert "用户名或密码错误" in text(third)
    assert "请于 2026-11-25 10:01:00（北京时间）后再试（还需等待1分钟）" in text(third)
    waiting = login(client, "officer")  # even the right password waits
    assert waiting.status_code == 429 and "还需等待1分钟" in text(waiting)
    assert login(app.test_client(), "reviewer").status_code == 303  # other accounts are not affected
    waits = []
    for _ in range(6):
        clock.advance(minutes=15)
        waits.append(text(login(client, "officer", "bad")).split("还需等待")[1].split("）")[0])
    assert waits == ["2分钟", "4分钟", "8分钟", "15分钟", "15分钟", "15分钟"]  # doubling, up to 15 minutes
    clock.advance(minutes=15)
    assert login(client, "officer").status_code == 303
    other = app.test_client()
    assert [login(other, "officer", "bad").status_code for _ in range(3)] == [401, 401, 401]  # count cleared
    assert "还需等待1分钟" in text(login(other, "officer")) and login(other, "officer").status_code == 429


def test_names_that_do_not_exist_are_never_locked(app: Flask, web_engine: Engine) -> None:
    client = app.test_client()
    for _ in range(30):
        response = login(client, "nobody", "bad")
        assert response.status_code == 401 and text(response).count("用户名或密码错误") == 1
        assert "登录失败次数过多" not in text(response)
    assert login(client, "officer").status_code == 303  # and the address is not locked by 30 failures


def test_the_address_limit_stops_a_sweep(web_engine: Engine, tmp_path: Path) -> None:
    app = app_with(web_engine, tmp_path, signin_address_limit=5)
    client = app.test_client()
    assert [login(client, f"ghost{i}", "bad").status_code for i in range(5)] == [401] * 5
    locked = login(client, "officer")
    assert locked.status_code == 429 and "2026-11-25 10:15:00" in text(locked)
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert login(elsewhere, "officer").status_code == 303


def test_the_default_address_limit_suits_an_office_behind_one_proxy(app: Flask) -> None:
    assert app.extensions["cadreflow_config"].signin_address_limit == 200


@pytest.mark.parametrize(("proxies", "separate"), [(0, False), (1, True)])
def test_forwarded_addresses_are_trusted_only_with_trusted_proxies(web_engine: Engine, tmp_path: Path,
                                                                   proxies: int, separate: bool) -> None:
    app = app_with(web_engine, tmp_path, signin_address_limit=3, trusted_proxies=proxies)
    client = app.test_client()
    for i in range(3):
        client.environ_base["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{i}"
        assert login(client, f"ghost{i}", "bad").status_code == 401
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "192.0.2.99"
    # with 0 proxies the header is ignored: all four came from one address, which is now locked
    assert login(client, "officer").status_code == (303 if separate else 429)


def test_a_disabled_account_is_told_so_only_after_the_right_password(app: Flask, web_engine: Engine) -> None:
    web_engine.users.update("officer", active=False)
    right = login(app.test_client(), "officer")
    assert right.status_code == 403 and "该账户已停用，请联系系统管理员" in text(right)
    wrong = login(app.test_client(), "officer", "wrong-password")
    assert wrong.status_code == 401 and "用户名或密码错误" in text(wrong) and "停用" not in text(wrong)


def _production(web_engine: Engine, tmp_path: Path, **extra: object) -> Flask:
    config = AppConfig(instance=tmp_path, database_url=web_engine.settings.database_url, secret_key="s" * 32)
    return create_app({"CADREFLOW_CONFIG": dataclasses.replace(config, **extra)}, engine=web_engine)


def _cookie_and_hsts(app: Flask) -> tuple[bool, bool]:
    client = app.test_client()
    page = client.get("/login")
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/login", data={"username": "officer", "password": PASSWORD, "csrf_token": token})
    return "Secure" in response.headers.get("Set-Cookie", ""), "Strict-Transport-Security" in response.headers


def test_secure_cookies_and_hsts_are_the_default_outside_debug_demo_and_testing(web_engine: Engine,
                                                                               tmp_path: Path) -> None:
    assert _cookie_and_hsts(_production(web_engine, tmp_path)) == (True, True)
    assert _cookie_and_hsts(_production(web_engine, tmp_path, demo=True)) == (False, False)
    assert _cookie_and_hsts(_production(web_engine, tmp_path, https=False)) == (False, False)
    assert _cookie_and_hsts(make_app(web_engine, tmp_path)) == (False, False)  # testing
    debug = create_app({"CADREFLOW_CONFIG": AppConfig(tmp_path, web_engine.settings.database_url, "s" * 32),
                        "DEBUG": True}, engine=web_engine)
    assert _cookie_and_hsts(debug) == (False, False)


def test_https_and_demo_and_proxies_come_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                              tmp_path: Path) -> None:
    from web.config import ConfigError
    from web.config import load_config

    assert (load_config(tmp_path).https, load_config(tmp_path).demo, load_config(tmp_path).trusted_proxies) == (
        None, False, 0)
    monkeypatch.setenv("CADREFLOW_HTTPS", "0")
    monkeypatch.setenv("CADREFLOW_DEMO", "1")
    monkeypatch.setenv("CADREFLOW_TRUSTED_PROXIES", "2")
    monkeypatch.setenv("CADREFLOW_SIGNIN_ADDRESS_LIMIT", "500")
    config = load_config(tmp_path)
    assert (config.https, config.demo, config.trusted_proxies, config.signin_address_limit) == (False, True, 2, 500)
    monkeypatch.setenv("CADREFLOW_TRUSTED_PROXIES", "-1")
    with pytest.raises(ConfigError, match="CADREFLOW_TRUSTED_PROXIES"):
        load_config(tmp_path)
