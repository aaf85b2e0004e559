"""Firing events from the page: PRG, per-field errors, rule errors, stale pages, confirmation, CSRF."""

from __future__ import annotations

from tests.pdfs import pdf_text
from tests.pdfs import tiny_pdf
from workflow import Engine

from .helpers import actor
from .helpers import person
from .helpers import post
from .helpers import review_case
from .helpers import text

SUBMIT = {"submit-panel": ["p1", "p2"], "submit-team": ["i1", "i2"], "submit-notice_date": "2026-11-20",
          "submit-expected_version": "1", "submit-event_comment": "请审核"}


def test_fire_redirects_and_moves_the_case(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine)
    client = client_for("officer")
    response = post(client, f"/cases/{case_id}/events/submit", SUBMIT)
    assert response.status_code == 303 and response.headers["Location"] == f"/cases/{case_id}"
    case = web_engine.get_case(case_id)
    assert case.state == "submitted" and case.data["panel"] == ["p1", "p2"]
    assert web_engine.history(case_id)[-1].comment == "请审核"
    page = text(client.get(f"/cases/{case_id}"))
    assert "已办理“提交”，案件现处于“已提交”" in page


def test_field_errors_come_back_in_chinese_on_the_form(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine)
    data = {**SUBMIT, "submit-notice_date": "2026-13-40", "submit-team": []}
    response = post(client_for("officer"), f"/cases/{case_id}/events/submit", data)
    body = text(response)
    assert response.status_code == 422
    assert "日期格式应为 YYYY-MM-DD，且为有效日期" in body
    assert "此项为必填项" in body
    assert 'value="2026-13-40"' in body  # what the user typed is kept
    assert 'aria-invalid="true"' in body
    assert web_engine.get_case(case_id).state == "draft"


def test_rule_failures_are_shown_with_their_source(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine)
    response = post(client_for("officer"), f"/cases/{case_id}/events/submit",
                    {**SUBMIT, "submit-panel": ["p1"]})
    body = text(response)
    assert response.status_code == 422
    assert "评分组不少于2人（《测试规则》第一条）：实际1人" in body


def test_stale_page_keeps_the_input_and_says_what_changed(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine)
    client = client_for("officer")
    web_engine.fire(case_id, "submit", actor(web_engine, "officer"),
                    {"panel": ["p1", "p2"], "team": ["i1"], "notice_date": "2026-11-20"}, 1)
    response = post(client, f"/cases/{case_id}/events/withdraw",
                    {"withdraw-reason": "不再需要", "withdraw-expected_version": "1",
                     "withdraw-confirm_irreversible": "y"})
    assert response.status_code == 409
    page = text(response)
    assert "您已在其他窗口办理了此案件" in page  # the same user, in another tab
    assert "不再需要" in page and "按最新情况重新提交" in page
    assert 'name="withdraw-expected_version" type="hidden" value="2"' in response.get_data(as_text=True)
    assert web_engine.get_case(case_id).state == "submitted"  # no lost update


def test_irreversible_event_needs_the_confirmation_box(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine)
    client = client_for("officer")
    data = {"withdraw-reason": "人选调整", "withdraw-expected_version": "1"}
    refused = post(client, f"/cases/{case_id}/events/withdraw", data)
    assert refused.status_code == 422 and "请勾选确认后再提交" in text(refused)
    assert web_engine.get_case(case_id).state == "draft"
    done = post(client, f"/cases/{case_id}/events/withdraw", {**data, "withdraw-confirm_irreversible": "y"})
    assert done.status_code == 303 and web_engine.get_case(case_id).state == "withdrawn"


def test_event_not_possible_now_is_flashed(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine)
    client = client_for("reviewer")
    response = post(client, f"/cases/{case_id}/events/decide", {"decide-expected_version": "1"})
    assert response.status_code == 303
    assert "不能办理此项" in text(client.get(response.headers["Location"]))


def test_permission_denied_is_shown(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine, upto="meeting")
    officer = client_for("officer")
    version = str(web_engine.get_case(case_id).version)
    response = post(officer, f"/cases/{case_id}/events/return", {"return-return_reason": "x",
                                                                 "return-expected_version": version})
    assert response.status_code == 403 and "须由部务会成员/审批领导办理" in text(response)


def test_recused_user_cannot_act_or_read(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine)
    web_engine.add_recusal(case_id, "officer", "本人亲属", actor(web_engine, "reviewer"))
    officer = client_for("officer")
    response = post(officer, f"/cases/{case_id}/events/submit", SUBMIT)
    assert response.status_code == 404 and web_engine.get_case(case_id).state == "draft"
    assert officer.get(f"/cases/{case_id}").status_code == 404
    assert officer.get(f"/cases/{case_id}/history.pdf").status_code == 404


def test_post_without_csrf_is_refused(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine)
    client = client_for("officer")
    for url, data in ((f"/cases/{case_id}/events/submit", SUBMIT), (f"/cases/{case_id}/recusals", {}),
                      ("/cases/new?definition=review", {"title": "x", "summary": "y"})):
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert "安全令牌" in text(response)
    bad_token = client.post(f"/cases/{case_id}/events/submit", data={**SUBMIT, "csrf_token": "forged"})
    assert bad_token.status_code == 400
    assert web_engine.get_case(case_id).state == "draft"


def test_multi_approval_from_the_page(client_for, web_engine: Engine) -> None:
    case_id = review_case(web_engine, upto="signing")
    version = web_engine.get_case(case_id).version
    first = client_for("i1")
    response = post(first, f"/cases/{case_id}/events/sign", {"sign-expected_version": str(version)})
    assert response.status_code == 303
    assert "尚待其余人员签署" in text(first.get(f"/cases/{case_id}"))
    assert web_engine.get_case(case_id).state == "signing"
    response = post(client_for("i2"), f"/cases/{case_id}/events/sign",
                    {"sign-expected_version": str(version + 1)})
    assert response.status_code == 303 and web_engine.get_case(case_id).state == "approved"


def test_recusal_and_attachment_from_the_page(client_for, web_engine: Engine) -> None:
    import io

    case_id = review_case(web_engine)
    client = client_for("officer")
    r = post(client, f"/cases/{case_id}/recusals", {"recusal-username": "p3", "recusal-reason": "同学关系"})
    assert r.status_code == 303 and web_engine.get_case(case_id).recused == ("p3",)
    pdf = tiny_pdf("材料")
    r = post(client, f"/cases/{case_id}/attachments", {"upload-file": (io.BytesIO(pdf), "材料.pdf")},
             content_type="multipart/form-data")
    assert r.status_code == 303
    [att] = web_engine.attachments(case_id)
    assert att.filename == "材料.pdf"
    download = client.get(f"/cases/{case_id}/attachments/{att.id}")
    assert download.mimetype == "application/pdf" and download.data.startswith(b"%PDF-")
    assert "查阅人：王干部（officer）" in pdf_text(download.data)  # handed out with the reader's watermark
    bad = post(client, f"/cases/{case_id}/attachments", {"upload-file": (io.BytesIO(b"MZ\x90"), "a.exe")},
               content_type="multipart/form-data")
    assert bad.status_code == 422  # the refusal is shown at the upload form, not flashed off-screen
    assert 'id="upload-errors"' in bad.get_data(as_text=True) and "只接受 PDF" in text(bad)


def test_every_field_type_round_trips(client_for, web_engine: Engine) -> None:
    import io

    off = actor(web_engine, "officer")
    pid = person(web_engine, "李四")
    case = web_engine.start_case("forms_demo", off, title="表单", subject_id=pid, data={"owner": "officer"})
    client = client_for("officer")
    page = text(client.get(f"/cases/{case.id}"))
    assert 'type="datetime-local"' in page and 'type="file"' in page and 'type="number"' in page
    assert 'name="record-topics" type="checkbox"' in page and "李四" in page
    data = {"record-material": (io.BytesIO(tiny_pdf("纪要")), "会议纪要.pdf"),
            "record-held_at": "2026-11-24T09:30",
            "record-topics": ["人事", "其他"], "record-ratio": "0.75", "record-other_person": str(pid),
            "record-urgent": "y", "record-expected_version": str(case.version)}
    r = post(client, f"/cases/{case.id}/events/record", data, content_type="multipart/form-data")
    assert r.status_code == 303, text(r)
    stored = web_engine.get_case(case.id).data
    assert stored["held_at"] == "2026-11-24T09:30:00+08:00" and stored["topics"] == ["人事", "其他"]
    assert stored["ratio"] == 0.75 and stored["other_person"] == pid and stored["urgent"] is True
    assert isinstance(stored["material"], int)
    page = text(client.get(f"/cases/{case.id}"))
    assert "会议纪要.pdf" in page and "人事、其他" in page and "2026年11月24日 09:30" in page
    # a wrong value comes back per field, and the uploaded file can be picked again
    bad = post(client, f"/cases/{case.id}/events/record",
               {"record-held_at": "", "record-topics": ["人事"], "record-ratio": "2",
                "record-expected_version": str(case.version + 1)}, content_type="multipart/form-data")
    body = text(bad)
    assert bad.status_code == 422 and "不得大于1" in body and "或选择已上传的附件" in body
