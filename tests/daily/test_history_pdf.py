"""The case-history PDF prints a delegate's step as 「张三（代李四）」 and a copy's names, and verify-pdf
finds its embedded events (with on_behalf_of) equal to their hashes and to the pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from documents import render_history
from documents.signing import certificate_of
from documents.verify_pdf import check_pdf
from workflow import Engine

from ..documents.pdfcheck import text
from .helpers import DEFS
from .helpers import USERS
from .helpers import day
from .helpers import signing

NAMES = {"i1": "李四", "io": "张三", "i3": "考察三"}


@pytest.fixture
def signed(make_engine: Any, signing_key: Path) -> Engine:
    eng: Engine = make_engine(DEFS, signing_pkcs12=signing_key)
    return eng


def test_history_pdf_shows_the_delegate_and_the_delegator(signed: Engine) -> None:
    for username, roles in USERS.items():
        signed.users.add(username, roles, "x", name=NAMES.get(username, username))
    a = {u: signed.users.get(u).actor() for u in USERS}
    case = signing(signed, a)
    signed.delegations.create(a["i1"], "io", day(0), day(1), ["cosign"])
    signed.fire(case.id, "sign", a["io"], {}, case.version, cc=["i3"])
    pdf = render_history(signed, case.id, a["aud"])
    body = text(pdf)
    assert "办理人：张三（代李四）" in body
    assert "抄送人员：考察三" in body
    result = check_pdf(pdf, certificate_of(signed.settings), signed)
    assert result.ok, result.problems
