"""The last active user whose roles grant ``manage_users`` (asked of the policy) can be neither
deactivated nor stripped of that capability, whichever channel asks (workflow/users.py)."""

from __future__ import annotations

import pytest

from workflow import Engine
from workflow import ValidationFailed

from ..conftest import add_users


def test_the_last_administrator_cannot_be_deactivated_or_lose_the_role(engine: Engine) -> None:
    add_users(engine, {"adm": ["admin"], "off": ["officer"]})
    with pytest.raises(ValidationFailed) as info:
        engine.users.update("adm", active=False)
    assert set(info.value.fields) == {"active"}
    assert "最后一位能够管理用户和令牌的在用账户" in info.value.fields["active"]
    with pytest.raises(ValidationFailed) as info:
        engine.users.update("adm", roles=["officer"])
    assert set(info.value.fields) == {"roles"} and "不能取消" in info.value.fields["roles"]
    with pytest.raises(ValidationFailed):
        engine.users.revoke("adm", "admin")
    assert engine.users.get("adm").active and engine.users.get("adm").roles == ("admin",)
    engine.users.update("adm", roles=["admin", "officer"], name="管理员")  # keeping the capability is fine
    engine.users.update("off", active=False)  # others are not concerned


def test_with_a_second_active_administrator_either_may_go(engine: Engine) -> None:
    add_users(engine, {"adm": ["admin"], "adm2": ["admin", "officer"]})
    engine.users.update("adm", active=False)
    with pytest.raises(ValidationFailed):
        engine.users.revoke("adm2", "admin")  # now adm2 is the last active one
    engine.users.update("adm", active=True)
    assert engine.users.revoke("adm2", "admin").roles == ("officer",)


def test_an_inactive_administrator_does_not_count(engine: Engine) -> None:
    add_users(engine, {"adm": ["admin"], "old": ["admin"]})
    engine.users.update("old", active=False)
    with pytest.raises(ValidationFailed):
        engine.users.update("adm", active=False)


def test_grant_and_revoke(engine: Engine) -> None:
    add_users(engine, {"adm": ["admin"], "off": ["officer"]})
    assert engine.users.grant("off", "reviewer").roles == ("officer", "reviewer")
    assert engine.users.revoke("off", "officer").roles == ("reviewer",)
    for call, message in ((lambda: engine.users.grant("off", "nonsense"), "没有这种角色"),
                          (lambda: engine.users.revoke("off", "officer"), "没有角色 officer"),
                          (lambda: engine.users.revoke("off", "reviewer"), "至少要保留一个角色")):
        with pytest.raises(ValidationFailed) as info:
            call()
        assert message in info.value.fields["roles"]


def test_changes_that_end_sessions(engine: Engine) -> None:
    add_users(engine, {"adm": ["admin"], "off": ["officer"]})
    user = engine.users.get("off")
    for change in ({"password_hash": "other"}, {"roles": ["officer", "reviewer"]}, {"active": False}):
        engine.users.update("off", active=True) if change != {"active": False} else None
        engine.sessions.start(user.id)
        engine.users.update("off", **change)  # type: ignore[arg-type]
        assert engine.sessions.open_count(user.id) == 0, change
    engine.users.update("off", active=True)
    engine.sessions.start(user.id)
    engine.users.update("off", name="新名字", unit="新单位", password_hash="other")  # nothing that matters
    assert engine.sessions.open_count(user.id) == 1
