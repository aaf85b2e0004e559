"""Issuing a form: availability from the definition, the history event, the SHA-256 lookup."""

from __future__ import annotations

import hashlib

import pytest

from documents import available_documents
from documents import render_form
from workflow import Engine
from workflow.errors import CaseNotFound
from workflow.errors import NotFound

from .scenarios import PERSON
from .scenarios import add_users
from .scenarios import fire


def _recommendation(engine: Engine) -> tuple[dict[str, object], int]:
    a = add_users(engine)
    person = engine.people.create(PERSON, a["rec"])  # the recommender registers whom they recommend
    case = engine.start_case("signed_recommendation", a["rec"], title="署名推荐", subject_id=person.id,
                             data={"recommender": "rec"})
    return a, case.id


SUBMIT = {
    "recommender_post": "市发展改革委党组书记、主任", "relationship": "同事", "acquaintance": "很了解",
    "direction": "非定向", "merit_virtue": "政治立场坚定，坚决执行上级决策部署，敢于担当、善于攻坚。",
    "merit_ability": "统筹协调能力强，业务熟悉。", "merit_diligence": "工作勤勉，长期坚守一线。",
    "merit_performance": "牵头完成预算绩效管理改革。",
    "typical_examples": "2024年牵头推进零基预算改革，压减一般性支出。",
    "shortcomings": "对年轻干部传帮带还需加强。", "integrity_status": "未发现问题。", "pledge": True,
}


def test_a_form_is_available_only_after_its_event(engine: Engine) -> None:
    a, case_id = _recommendation(engine)
    assert available_documents(engine, case_id, a["off"]) == []
    with pytest.raises(NotFound, match="还不能出具"):
        render_form(engine, case_id, "signed_recommendation_form", a["off"])  # type: ignore[arg-type]
    fire(engine, case_id, "submit", a["rec"], SUBMIT)  # type: ignore[arg-type]
    assert available_documents(engine, case_id, a["off"]) == [("signed_recommendation_form", "领导干部署名推荐表")]
    fire(engine, case_id, "register", a["off"], {"received_on": "2026-11-24"})  # type: ignore[arg-type]
    assert [n for n, _ in available_documents(engine, case_id, a["off"])] == ["signed_recommendation_form",
                                                                    "registration_receipt"]


def test_a_form_the_definition_does_not_list_is_not_found(engine: Engine) -> None:
    a, case_id = _recommendation(engine)
    with pytest.raises(NotFound, match="不出具"):
        render_form(engine, case_id, "appointment_approval_form", a["off"])  # type: ignore[arg-type]
    with pytest.raises(NotFound, match="文书不存在"):
        render_form(engine, case_id, "no_such_form", a["off"])  # type: ignore[arg-type]


def test_issuing_records_template_version_and_the_sha256_of_the_pdf(engine: Engine) -> None:
    a, case_id = _recommendation(engine)
    fire(engine, case_id, "submit", a["rec"], SUBMIT)  # type: ignore[arg-type]
    before = engine.history(case_id, a["aud"])  # type: ignore[arg-type]
    pdf = render_form(engine, case_id, "signed_recommendation_form", a["off"])  # type: ignore[arg-type]
    digest = hashlib.sha256(pdf).hexdigest()
    after = engine.history(case_id, a["aud"])  # type: ignore[arg-type]
    assert len(after) == len(before) + 1
    issued = after[-1]
    assert issued.type == "document_issued" and issued.actor == "off"
    assert issued.data == {"document": "signed_recommendation_form", "title": "领导干部署名推荐表",
                           "template_version": "1", "sha256": digest}
    found = engine.find_document(digest)
    assert [(c, n, v, by) for c, n, v, by, _ in found] == [(case_id, "signed_recommendation_form", "1", "off")]
    assert engine.verify().ok


def test_an_auditor_reading_a_form_changes_nothing_but_is_logged(engine: Engine) -> None:
    a, case_id = _recommendation(engine)
    fire(engine, case_id, "submit", a["rec"], SUBMIT)  # type: ignore[arg-type]
    before = engine.history(case_id, a["aud"])  # type: ignore[arg-type]
    pdf = render_form(engine, case_id, "signed_recommendation_form", a["aud"])  # type: ignore[arg-type]
    assert engine.history(case_id, a["aud"]) == before  # type: ignore[arg-type]
    assert engine.find_document(hashlib.sha256(pdf).hexdigest())[0][3] == "aud"


def test_a_recused_user_cannot_issue_the_forms_of_the_case(engine: Engine) -> None:
    """回避: a recused user can neither see a case nor issue its forms (it is not found for them)."""
    a, case_id = _recommendation(engine)
    fire(engine, case_id, "submit", a["rec"], SUBMIT)  # type: ignore[arg-type]
    other = engine.users.add("off_other", ["officer"], "x", name="另一干部").actor()
    engine.add_recusal(case_id, "off", "系被推荐人的配偶", other)
    with pytest.raises(CaseNotFound):
        render_form(engine, case_id, "signed_recommendation_form", a["off"])  # type: ignore[arg-type]
    assert render_form(engine, case_id, "signed_recommendation_form", other)[:5] == b"%PDF-"


def test_one_issued_copy_while_the_case_is_unchanged_and_each_copy_kept(engine: Engine) -> None:
    a, case_id = _recommendation(engine)
    fire(engine, case_id, "submit", a["rec"], SUBMIT)  # type: ignore[arg-type]
    first = render_form(engine, case_id, "signed_recommendation_form", a["off"])  # type: ignore[arg-type]
    events = len(engine.history(case_id))
    again = render_form(engine, case_id, "signed_recommendation_form", a["off"])  # type: ignore[arg-type]
    assert again == first and len(engine.history(case_id)) == events  # the same copy, nothing new recorded
    seq = engine.history(case_id)[-1].seq
    assert engine.issued(case_id, seq, a["aud"]) == ("领导干部署名推荐表", first)  # type: ignore[arg-type]
    fire(engine, case_id, "register", a["off"], {"received_on": "2026-11-24"})  # type: ignore[arg-type]
    later = render_form(engine, case_id, "signed_recommendation_form", a["off"])  # type: ignore[arg-type]
    assert later != first and len(engine.history(case_id)) == events + 2  # the registration and a new issue
    assert engine.issued(case_id, seq, a["off"])[1] == first  # type: ignore[arg-type]  # the first stays kept
    with pytest.raises(NotFound):
        engine.issued(case_id, seq - 1, a["off"])  # type: ignore[arg-type]  # that event issued nothing
    with pytest.raises(CaseNotFound):
        engine.issued(case_id, seq, a["p1"])  # type: ignore[arg-type]  # a panelist not named on it
    assert engine.verify().ok
