"""系统管理 › 节假日: a year's holidays and adjusted working days, set and removed by an administrator
in the store `cadreflow calendar` uses; bad input changes nothing; others are refused."""

from __future__ import annotations

from datetime import date

from workflow import Engine

from .helpers import post
from .helpers import text

PAGE = "/admin/holidays?year=2026"


def test_the_year_shows_the_schedule(client_for, web_engine: Engine) -> None:
    page = text(client_for("admin").get(PAGE))
    assert "2026年节假日与调休上班日" in page
    assert 'id="day-2026-10-01"' in page and "国庆节" in page  # a holiday on a weekday (the package)
    assert 'id="day-2026-01-04"' in page                     # 元旦调休: a Sunday at work
    assert 'id="day-2026-03-02"' not in page                 # an ordinary Monday is not listed
    assert "2026年共" in page and "个工作日" in page
    unknown = text(client_for("admin").get("/admin/holidays?year=2099"))
    assert "2099年的法定节假日安排尚未录入" in unknown


def test_set_and_remove_a_day(client_for, web_engine: Engine) -> None:
    admin = client_for("admin")
    r = post(admin, "/admin/holidays", {"day": "2026-03-02", "kind": "holiday", "name": "抗洪抢险临时停工"},
             page=PAGE)
    assert r.status_code == 303 and r.headers["Location"] == "/admin/holidays?year=2026"
    cal = web_engine.calendar.calendar()
    assert not cal.is_workday(date(2026, 3, 2)) and cal.holiday_name(date(2026, 3, 2)) == "抗洪抢险临时停工"
    page = text(admin.get(PAGE))
    assert "已设置：2026-03-02（星期一）为节假日，抗洪抢险临时停工" in page
    row = page.split('id="day-2026-03-02"', 1)[1].split("</tr>", 1)[0]
    assert "本系统设置" in row and "管理员" in row and "/admin/holidays/2026-03-02/remove" in row
    saturday = post(admin, "/admin/holidays", {"day": "2026-03-07", "kind": "workday", "name": "补班"}, page=PAGE)
    assert saturday.status_code == 303 and web_engine.calendar.calendar().is_workday(date(2026, 3, 7))
    gone = post(admin, "/admin/holidays/2026-03-02/remove", page=PAGE)
    assert gone.status_code == 303
    assert web_engine.calendar.calendar().is_workday(date(2026, 3, 2))  # the package's Monday again
    assert "已删除 2026-03-02 的设置" in text(admin.get(PAGE))
    again = post(admin, "/admin/holidays/2026-03-02/remove", page=PAGE)
    assert again.status_code == 303 and "没有在本系统设置过" in text(admin.get(PAGE))
    assert [d.day for d in web_engine.calendar.entered_days(2026)] == [date(2026, 3, 7)]


def test_bad_input_changes_nothing_and_says_why(client_for, web_engine: Engine) -> None:
    admin = client_for("admin")
    cases = [
        ({"day": "", "kind": "", "name": ""}, ["日期：此项为必填项", "类型：请选择“休（节假日）”或“班（调休上班）”",
                                               "名称或事由：此项为必填项"]),
        ({"day": "2026-02-30", "kind": "holiday", "name": "春节"}, ["日期：日期格式应为 YYYY-MM-DD，且为有效日期"]),
        ({"day": "2026-3-2", "kind": "holiday", "name": "春节"}, ["日期：日期格式应为 YYYY-MM-DD，且为有效日期"]),
        ({"day": "1999-10-01", "kind": "holiday", "name": "国庆节"}, ["日期：年份应在2004年至2100年之间"]),
        ({"day": "2026-03-02", "kind": "rest", "name": "x"}, ["类型：请选择"]),
        ({"day": "2026-03-02", "kind": "holiday", "name": "长" * 51}, ["名称或事由：不得超过50个字（现为51个字）"]),
    ]
    for data, messages in cases:
        r = post(admin, "/admin/holidays", data, page=PAGE)
        body = text(r)
        assert r.status_code == 422, data
        assert f"请修改以下{len(messages)}处" in body, data
        for m in messages:
            assert m in body, (data, m)
        if data["name"] and len(data["name"]) <= 50:
            assert f'value="{data["name"]}"' in body  # what was typed is kept
    assert web_engine.calendar.entered_days(2026) == [] and web_engine.calendar.entered_days(1999) == []
    assert admin.get("/admin/holidays?year=abc").status_code == 400
    assert admin.get("/admin/holidays?year=1900").status_code == 400
    assert post(admin, "/admin/holidays/2026-02-30/remove", page=PAGE).status_code == 303


def test_only_who_manages_the_system(client_for, web_engine: Engine) -> None:
    for who in ("officer", "reviewer", "auditor", "p1"):
        client = client_for(who)
        assert client.get(PAGE).status_code == 403, who
        refused = post(client, "/admin/holidays", {"day": "2026-03-02", "kind": "holiday", "name": "x"},
                       page="/cases")
        assert refused.status_code == 403, who
        assert post(client, "/admin/holidays/2026-01-04/remove", page="/cases").status_code == 403
    assert web_engine.calendar.entered_days(2026) == []
    no_token = client_for("admin").post("/admin/holidays", data={"day": "2026-03-02", "kind": "holiday", "name": "x"})
    assert no_token.status_code == 400 and web_engine.calendar.entered_days(2026) == []
    auditor = text(client_for("auditor").get("/admin/definitions"))
    assert "/admin/holidays" not in auditor and "/admin/users" not in auditor  # no tab that would refuse
    assert 'href="/admin/holidays"' in text(client_for("admin").get("/admin/users"))
