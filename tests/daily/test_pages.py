"""委托 and 抄送 pages: delegate with the form, revoke with the button, errors on the form, the
auditors' read-only list, 「张三（代李四）」 in the case history, the cc field and the 抄送 list."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from workflow import Engine

from ..web.helpers import PASSWORD_HASH
from ..web.helpers import csrf_token
from ..web.helpers import signed_in_clients
from ..web.helpers import text
from .helpers import DEFS
from .helpers import USERS
from .helpers import day
from .helpers import signing

NAMES = {"i1": "李四", "io": "张三", "i2": "王五", "aud": "赵监督", "i3": "考察三", "off": "王干部"}


@pytest.fixture
def eng(make_engine: Any) -> Engine:
    e: Engine = make_engine(DEFS)
    for username, roles in USERS.items():
        e.users.add(username, roles, PASSWORD_HASH, name=NAMES.get(username, username))
    return e


@pytest.fixture
def clients(eng: Engine, tmp_path: Path) -> Any:
    return signed_in_clients(eng, tmp_path)


def actors(eng: Engine) -> dict[str, Any]:
    return {u: eng.users.get(u).actor() for u in USERS}


def form_post(client: FlaskClient, url: str, data: dict[str, Any], page: str) -> Any:
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page)})


def test_delegate_with_the_form_act_and_see_both_names_then_revoke(eng: Engine, clients: Any) -> None:
    i1, io = clients("i1"), clients("io")
    page = text(i1.get("/delegations"))
    assert "新建委托" in page and 'value="cosign"' in page
    resp = form_post(i1, "/delegations", {"to": "io", "starts_on": day(0), "ends_on": day(3),
                                          "definitions": ["cosign"]}, "/delegations")
    assert resp.status_code == 303
    listed = text(i1.get("/delegations"))
    assert "张三（io）" in listed and "生效中" in listed and "撤销委托" in listed
    assert "不再代办" in text(io.get("/delegations"))
    case = signing(eng, actors(eng))
    shown = text(io.get(f"/cases/{case.id}"))
    assert f'action="/cases/{case.id}/events/sign"' in shown
    resp = form_post(io, f"/cases/{case.id}/events/sign", {"sign-expected_version": case.version},
                     f"/cases/{case.id}")
    assert resp.status_code == 303, text(resp)
    history = text(io.get(f"/cases/{case.id}"))
    assert "张三（代李四）" in history
    d_id = eng.delegations.mine(actors(eng)["i1"])[0].id
    resp = form_post(i1, f"/delegations/{d_id}/revoke", {}, "/delegations")
    assert resp.status_code == 303
    assert "已撤销" in text(i1.get("/delegations"))


def test_form_errors_name_the_field_and_the_rule(eng: Engine, clients: Any) -> None:
    i1 = clients("i1")
    resp = form_post(i1, "/delegations", {"to": "i1", "starts_on": day(2), "ends_on": day(1)}, "/delegations")
    assert resp.status_code == 422
    page = text(resp)
    assert "不能委托给自己" in page and "不得早于开始日期" in page and "至少选择一项流程" in page
    assert eng.delegations.mine(actors(eng)["i1"]) == []


def test_auditors_read_every_delegation_others_may_not(eng: Engine, clients: Any) -> None:
    eng.delegations.create(actors(eng)["i1"], "io", day(0), day(1), ["cosign"])
    page = text(clients("aud").get("/audit/delegations"))
    assert "李四（i1）" in page and "张三（io）" in page and "撤销委托" not in page
    assert clients("i2").get("/audit/delegations").status_code == 403
    assert "新建委托" not in text(clients("aud").get("/delegations"))


def test_cc_from_the_event_form_and_the_copies_list(eng: Engine, clients: Any) -> None:
    off, i3 = clients("off"), clients("i3")
    case = eng.start_case("cosign", actors(eng)["off"], title="抄送页面", data={"summary": "摘要"})
    page = text(off.get(f"/cases/{case.id}"))
    assert 'name="submit-event_cc"' in page
    bad = form_post(off, f"/cases/{case.id}/events/submit", {"submit-expected_version": case.version,
                                                              "submit-team": ["i1"], "submit-event_cc": "aud2"},
                    f"/cases/{case.id}")
    assert bad.status_code == 422 and "抄送：用户不存在或已停用（aud2）" in text(bad)
    assert i3.get(f"/cases/{case.id}").status_code == 404
    resp = form_post(off, f"/cases/{case.id}/events/submit", {"submit-expected_version": case.version,
                                                               "submit-team": ["i1"], "submit-event_cc": "i3"},
                     f"/cases/{case.id}")
    assert resp.status_code == 303, text(resp)
    shown = text(i3.get(f"/cases/{case.id}"))
    assert "抄送人员" in shown and "考察三" in shown
    assert not re.search(r'action="/cases/\d+/events/', shown)  # read only
    listed = text(i3.get("/copies"))
    assert "抄送页面" in listed and f'href="/cases/{case.id}"' in listed
