"""加签 and 撤回上一步 from the case page (forms, CSRF, messages in Chinese)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from workflow import Engine

from .helpers import actor
from .helpers import add_web_users
from .helpers import post
from .helpers import signed_in_clients
from .helpers import text

DEFS = Path(__file__).resolve().parent.parent / "definitions" / "countersign"


@pytest.fixture
def eng(make_engine: Any) -> Engine:
    e: Engine = make_engine(DEFS)
    add_web_users(e)
    return e


@pytest.fixture
def client_of(eng: Engine, tmp_path: Path) -> Any:
    return signed_in_clients(eng, tmp_path)


def in_review(eng: Engine) -> Any:
    off = actor(eng, "officer")
    case = eng.start_case("cosign", off, title="会签", data={"summary": "摘要"})
    return eng.fire(case.id, "submit", off, {"team": ["i1", "i2"]}, case.version).case


def test_withdraw_button_and_add_signer_form(eng: Engine, client_of: Any) -> None:
    case = in_review(eng)
    officer = client_of("officer")
    url = f"/cases/{case.id}"
    page = text(officer.get(url))
    assert 'id="withdraw"' in page and "撤回“提交”" in page and 'class="secondary"' in page
    assert 'id="add-signer"' in page and 'name="signer-username"' in page
    r = post(officer, f"{url}/signers", {"signer-username": "reviewer2", "signer-reason": "请分管领导会签"}, page=url)
    assert r.status_code == 303 and "已加签：周部长" in text(officer.get(r.headers["Location"]))
    assert eng.approval_status(case.id)[0][2].awaited == ("reviewer2",)
    r = post(officer, f"{url}/signers", {"signer-username": "i1", "signer-reason": "理由"}, page=url)
    assert "没有该角色" in text(officer.get(r.headers["Location"]))
    page = text(client_of("reviewer").get(url))
    assert 'id="withdraw"' not in page          # not the reviewer's step
    version = eng.get_case(case.id).version
    r = post(officer, f"{url}/withdraw", {"withdraw-expected_version": str(version)}, page=url)
    assert r.status_code == 303
    page = text(officer.get(r.headers["Location"]))
    assert "已撤回上一步" in page and "撤回上一步：提交" in page
    assert eng.get_case(case.id).state == "draft" and eng.verify().ok
    r = post(officer, f"{url}/withdraw", {"withdraw-expected_version": str(version + 1)}, page=url)
    assert "已经撤回" in text(officer.get(r.headers["Location"]))
    assert post(client_of("p1"), f"{url}/withdraw", {"withdraw-expected_version": "1"}).status_code == 404
