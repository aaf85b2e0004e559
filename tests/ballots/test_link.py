"""A closed ballot feeds the event that records it (defaults, and a guard when figures differ), the forms
print the tally, and named votes record each member's stance."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from documents import render_form
from documents.archival import read_archive_xmp
from documents.issue import issuer
from documents.signing import certificate_of
from documents.slips import render_slips
from documents.verify_pdf import PdfCheck
from documents.verify_pdf import check_signature
from workflow import Engine
from workflow import GuardFailed
from workflow import PermissionDenied
from workflow import ValidationFailed

from ..api.conftest import ApiClient
from ..api.conftest import make_app
from ..conftest import add_users
from ..documents.test_archival import assert_pdfa
from ..web.helpers import add_web_users
from .helpers import RECOMMEND
from .helpers import evaluation_ballot
from .helpers import in_recommendation
from .helpers import investigating
from .helpers import recommendation_ballot

HERE = Path(__file__).parent


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def cast_all(api: ApiClient, codes: list[str], choices: list[dict[str, list[str]]]) -> None:
    for code, chosen in zip(codes, choices, strict=False):
        assert api.post("/vote", None, json={"code": code, "choices": chosen}).status_code == 201


def test_the_evaluation_tally_fills_record_evaluation_and_its_form(real_api: ApiClient) -> None:
    eng = real_api.engine
    case_id, subject = investigating(real_api)
    ballot = real_api.post(f"/cases/{case_id}/ballots", json=evaluation_ballot(subject, voters=6)).get_json()
    cast_all(real_api, ballot["codes"], [{"zs": ["优秀"]}] * 3 + [{"zs": ["称职"]}, {}])
    tally = real_api.post(f"/ballots/{ballot['id']}/close").get_json()
    inspector = real_api.actor("inspector")
    defaults = eng.ballots.defaults(case_id, inspector)["record_evaluation"]
    assert defaults == {"ballots_issued": 6, "ballots_returned": 5, "ballots_valid": 4, "votes_excellent": 3,
                        "votes_competent": 1, "votes_basic": 0, "votes_incompetent": 0}
    typed = {**defaults, "evaluation_date": "2026-11-24", "talk_count": 12}
    case = eng.get_case(case_id)
    with pytest.raises(GuardFailed, match="票箱哈希"):
        eng.fire(case_id, "record_evaluation", inspector, {**typed, "votes_excellent": 2, "votes_competent": 2},
                 case.version)
    case = eng.fire(case_id, "record_evaluation", inspector, typed, case.version).case
    assert case.data["evaluation_ballot"]["box_hash"] == tally["box_hash"]
    pdf = render_form(eng, case_id, "democratic_evaluation_stats", real_api.actor("officer"))
    text = text_of(pdf)
    assert "民主测评结果统计表" in text and tally["box_hash"][:16] in text.replace("\n", "")


def test_the_recommendation_tally_fills_recommend_and_the_new_form(real_api: ApiClient) -> None:
    eng = real_api.engine
    case_id, subject = in_recommendation(real_api)
    ballot = real_api.post(f"/cases/{case_id}/ballots", json=recommendation_ballot(subject, voters=6)).get_json()
    cast_all(real_api, ballot["codes"], [{"post": ["张三"]}] * 3 + [{"post": ["李四"]}, {"post": ["张三", "李四"]}])
    tally = real_api.post(f"/ballots/{ballot['id']}/close").get_json()
    assert tally["turnout_rule"]["met"] is True and "三分之二" in tally["turnout_rule"]["rule"]
    officer = real_api.actor("officer")
    defaults = eng.ballots.defaults(case_id, officer)["recommend"]
    assert defaults == {"participants_expected": 6, "participants_present": 5,
                        "candidates": [{"person_id": subject, "votes": 3}]}
    case = eng.get_case(case_id)
    with pytest.raises(GuardFailed, match="推荐人选及得票填写为4票，计票结果为3票"):
        eng.fire(case_id, "recommend", officer,
                 {**RECOMMEND, **defaults, "candidates": [{"person_id": subject, "votes": 4}]}, case.version)
    eng.fire(case_id, "recommend", officer, {**RECOMMEND, **defaults}, case.version)
    text = text_of(render_form(eng, case_id, "recommendation_stats", officer)).replace("\n", "")
    assert "民主推荐情况统计表" in text and "张三" in text and "李四" in text and tally["box_hash"][:16] in text


def test_without_a_ballot_the_paper_figures_are_taken_as_typed(real_api: ApiClient) -> None:
    eng = real_api.engine
    case_id, subject = in_recommendation(real_api)
    officer = real_api.actor("officer")
    assert eng.ballots.defaults(case_id, officer) == {}
    figures = {"participants_expected": 30, "participants_present": 25,
               "candidates": [{"person_id": subject, "votes": 20}]}
    eng.fire(case_id, "recommend", officer, {**RECOMMEND, **figures}, eng.get_case(case_id).version)
    text = text_of(render_form(eng, case_id, "recommendation_stats", officer))
    assert "纸质推荐票" in text


def test_slips_carry_a_qr_per_code_and_the_viewer_watermark_until_voting_starts(real_api: ApiClient) -> None:
    eng = real_api.engine
    case_id, subject = investigating(real_api)
    ballot = real_api.post(f"/cases/{case_id}/ballots", json=evaluation_ballot(subject, voters=9)).get_json()
    officer = real_api.actor("officer")
    pdf = render_slips(eng, ballot["id"], officer, "https://cadre.example/vote")
    text = text_of(pdf)
    assert all(code in text for code in ballot["codes"])
    assert officer.username in text  # the watermark names its reader
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    resp = real_api.get(f"/ballots/{ballot['id']}/codes.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    real_api.post("/vote", None, json={"code": ballot["codes"][0], "choices": {}})
    later = real_api.get(f"/ballots/{ballot['id']}/codes.pdf")
    assert later.status_code == 409 and "不再提供打印" in later.get_json()["error"]["message"]


def test_a_named_vote_records_each_members_stance_and_feeds_the_decision(make_engine: object, tmp_path: Path
                                                                        ) -> None:
    eng: Engine = make_engine(HERE / "definitions")  # type: ignore[operator]
    a = add_users(eng, {"off": ["officer"], "r1": ["reviewer"], "r2": ["reviewer"], "r3": ["reviewer"],
                        "i1": ["inspector"]})
    api = ApiClient(make_app(eng, tmp_path), eng)
    case = eng.start_case("meeting", a["off"], title="部务会", data={"topic": "干部任免"})
    spec = {"kind": "vote", "title": "任免表决", "named": True, "members": ["r2", "r3", "r1"],
            "items": [{"key": "zs", "label": "张三任副局长"}]}
    with pytest.raises(ValidationFailed) as refused:
        eng.ballots.create(case.id, a["off"], {**spec, "members": ["r2", "i1"]})
    assert "i1不能参加表决" in refused.value.fields["members"]
    view, codes = eng.ballots.create(case.id, a["off"], spec)
    assert codes == []
    assert eng.ballots.vote_named(view.id, a["r1"], {"zs": ["同意"]})
    with pytest.raises(PermissionDenied, match="已经表决"):
        eng.ballots.vote_named(view.id, a["r1"], {"zs": ["不同意"]})
    with pytest.raises(PermissionDenied, match="不能参加记名表决"):
        eng.ballots.vote_named(view.id, a["off"], {"zs": ["同意"]})
    token = eng.users.create_token("r2")
    resp = api.client.post(f"/api/v1/ballots/{view.id}/votes", json={"choices": {"zs": ["缓议"]}},
                           headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 201 and resp.get_json()["receipt"]
    eng.ballots.vote_named(view.id, a["r3"], {"zs": ["同意"]})
    tally = eng.ballots.close(view.id, a["off"])
    assert tally["details"]["zs"]["stances"] == [  # in the members' order: the secretary, listed last, last
        {"username": "r2", "stance": "缓议"}, {"username": "r3", "stance": "同意"},
        {"username": "r1", "stance": "同意"}]
    assert tally["turnout_rule"]["met"] is True
    defaults = eng.ballots.defaults(case.id, a["r1"])["decide"]
    assert defaults == {"members_total": 3, "members_present": 3, "votes_for": 2, "votes_against": 0,
                        "votes_postpone": 1}
    done = eng.fire(case.id, "decide", a["r1"], defaults, eng.get_case(case.id).version).case
    assert done.state == "decided" and done.data["vote_ballot"]["box_hash"] == tally["box_hash"]


def test_slips_are_issued_like_every_pdf_signed_pdfa_with_the_archive_xmp(make_engine: Any, signing_key: Path,
                                                                         tmp_path: Path) -> None:
    eng: Engine = make_engine(signing_pkcs12=signing_key)
    api = ApiClient(make_app(eng, tmp_path), eng)
    add_web_users(eng)
    case_id, subject = investigating(api)
    ballot = api.post(f"/cases/{case_id}/ballots", json=evaluation_ballot(subject, voters=3)).get_json()
    pdf = render_slips(eng, ballot["id"], api.actor("officer"), "https://cadre.example/vote")
    result = PdfCheck()
    check_signature(pdf, certificate_of(eng.settings), result)
    assert not result.problems and result.passed
    assert_pdfa(pdf)
    assert read_archive_xmp(pdf) == {"case": str(case_id), "form": "ballot_slips", "templateVersion": "1",
                                     "issuer": issuer(eng, eng.get_case(case_id).org_id)}
