"""专项考察 (since v2): the team leader takes back a draft report before anyone signs; a member takes
back their signature while the others have not all signed (撤回上一步)."""

from __future__ import annotations

import pytest

from workflow import Engine
from workflow import TransitionNotAllowed

from .helpers import person
from .helpers import staff
from .test_inspections import REPORT
from .test_inspections import TEAM
from .test_inspections import special


def test_draft_and_signature_withdrawn_on_the_shipped_procedure(engine: Engine) -> None:
    a = staff(engine)
    walk = special(engine, a, person(engine, a["off"]))
    assert engine.get_case(walk.case_id).definition_version == 3
    walk.fire("form_team", a["off"], TEAM)
    walk.fire("begin", a["off"], {"began_on": "2026-08-03"})
    walk.fire("record", a["i2"], {"finding_kind": "个别谈话", "finding_date": "2026-08-04",
                                  "finding_content": "同乡镇干部群众谈话12人，普遍反映靠前指挥。"})
    walk.fire("draft_report", a["i1"], REPORT)
    back = engine.withdraw(walk.case_id, a["i1"], walk.case().version, "报告需修改").case
    assert back.state == "investigating" and "report_text" not in back.data
    walk.fire("draft_report", a["i1"], REPORT)
    walk.fire("sign_report", a["i2"])
    with pytest.raises(TransitionNotAllowed, match="其他人员"):
        engine.withdraw(walk.case_id, a["i1"], walk.case().version)      # i2 signed since
    case = engine.withdraw(walk.case_id, a["i2"], walk.case().version).case
    assert case.state == "signing" and set(case.holders) >= {"i1", "i2"}
    walk.fire("sign_report", a["i2"])
    walk.fire("sign_report", a["i1"])
    assert walk.case().state == "reported"
    assert engine.verify().ok
