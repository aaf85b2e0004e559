"""LRMX/LRM/zip/xlsx through the API into the database and back out: golden samples, matching,
all-or-nothing imports with every problem listed, the roster export."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl import load_workbook

from workflow.exchange.lrmx import parse_lrmx

from .conftest import ApiClient
from .conftest import error
from .conftest import multipart

SAMPLES = Path(__file__).parent.parent / "exchange" / "samples"
ZHANG = SAMPLES / "张明远.lrmx"


def upload(api: ApiClient, name: str, content: bytes, query: str = "", who: str = "officer") -> Any:
    return api.post(f"/people/import{query}", who, **multipart(name, content))


def bundle(*files: tuple[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files:
            z.writestr(name, data)
    return out.getvalue()


def roster(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "性别", "出生年月", "民族", "政治面貌", "工作单位", "现任职务", "职务层次/职级",
                  "公民身份号码"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_lrmx_sample_into_the_database_and_back_out(api: ApiClient) -> None:
    resp = upload(api, "张明远.lrmx", ZHANG.read_bytes())
    report = resp.get_json()
    assert resp.status_code == 200 and (report["created"], report["updated"], report["errors"]) == (1, 0, [])
    person = api.get("/people?q=张明远").get_json()["items"][0]
    assert person["birth_date"] == "1978-05-01" and person["photo"] is not None
    assert person["edu_fulltime_level"] == "大学本科教育"  # the alias 大学 stored as the code set's label
    assert [f["relation"] for f in person["family"]][:2] == ["妻子", "女儿"]
    assert len(person["resume"]) == 4 and "其间" in person["resume"][2]["text"]  # the multi-line entry
    assert person["annual_assessments"][-1] == {"year": 2024, "grade": "优秀"}
    history = api.get(f"/people/{person['id']}/history").get_json()
    assert [h["kind"] for h in history] == ["imported"] and "张明远.lrmx" in history[0]["note"]
    exported = api.get(f"/people/{person['id']}.lrmx")
    assert exported.status_code == 200 and exported.data.startswith(b"<?xml")
    parsed = parse_lrmx(exported.data)
    assert parsed.ok and parsed.photo == api.get(f"/people/{person['id']}/photo").data
    again = {k: v for k, v in parsed.person.items()}
    stored = {k: v for k, v in person.items() if k in again}
    assert again == stored
    # the same file again changes nothing; a changed one updates the match and says so in its history
    assert upload(api, "张明远.lrmx", ZHANG.read_bytes()).get_json()["created"] == 0
    changed = ZHANG.read_bytes().replace("高级经济师".encode(), "正高级经济师".encode())
    report = upload(api, "张明远（新）.lrmx", changed).get_json()
    assert (report["created"], report["updated"]) == (0, 1)
    history = api.get(f"/people/{person['id']}/history").get_json()
    assert history[-1]["changes"] == {"professional_title": {"old": "高级经济师", "new": "正高级经济师"}}
    assert api.engine.verify().ok


def test_a_legacy_lrm_with_its_pic_in_a_zip(api: ApiClient) -> None:
    data = bundle(("李红.lrm", (SAMPLES / "李红.lrm").read_bytes()), ("李红.pic", (SAMPLES / "李红.pic").read_bytes()))
    report = upload(api, "材料.zip", data).get_json()
    assert (report["created"], report["errors"]) == (1, [])
    person = api.get("/people?q=李红").get_json()["items"][0]
    assert person["photo"] is not None and person["gender"] == "女"
    assert api.get(f"/people/{person['id']}/photo").data == (SAMPLES / "李红.pic").read_bytes()


def test_with_any_error_nothing_is_written_unless_partial(api: ApiClient) -> None:
    data = bundle(("张明远.lrmx", ZHANG.read_bytes()), ("问题表.lrmx", (SAMPLES / "问题表.lrmx").read_bytes()))
    report = upload(api, "两份.zip", data).get_json()
    assert report["written"] is False and report["created"] == 1
    assert api.get("/people").get_json()["total"] == 0
    fields = {(e["file"], e["field"]) for e in report["errors"]}
    assert ("两份.zip/问题表.lrmx", "birth_date") in fields and ("两份.zip/问题表.lrmx", "resume") in fields
    assert all(e["message"] for e in report["errors"]) and all(e["row"] is None for e in report["errors"])
    report = upload(api, "两份.zip", data, "?partial=true").get_json()
    assert report["written"] is True and report["created"] == 1
    assert [p["name"] for p in api.get("/people").get_json()["items"]] == ["张明远"]


def test_dry_run_previews_without_writing(api: ApiClient) -> None:
    report = upload(api, "张明远.lrmx", ZHANG.read_bytes(), "?dry_run=true").get_json()
    assert report["written"] is False and report["items"][0]["action"] == "create"
    assert "professional_title" in report["items"][0]["fields"]
    assert api.get("/people").get_json()["total"] == 0


def test_an_excel_roster_with_errors_row_by_row(api: ApiClient) -> None:
    data = roster([
        ["王一", "男", "1980.05", "汉族", "中共党员", "某县财政局", "局长", "正处级", "320102198005010013"],
        ["赵二", "未知", "1981.13", "火星族", "中共党员", "某县教育局", "局长", "县处级正职", ""],
        ["钱三", "女", "1982.07", "回族", "群众", "某县水利局", "副局长", "副处级", ""],
    ])
    report = upload(api, "名册.xlsx", data).get_json()
    assert report["written"] is False and api.get("/people").get_json()["total"] == 0
    errors = [(e["row"], e["field"]) for e in report["errors"]]
    assert (3, "gender") in errors and (3, "birth_date") in errors and (3, "ethnicity") in errors
    assert all(row == 3 for row, _ in errors) and all("：" in e["message"] for e in report["errors"])
    report = upload(api, "名册.xlsx", data, "?partial=true").get_json()
    assert (report["created"], report["written"]) == (2, True)
    people = {p["name"]: p for p in api.get("/people").get_json()["items"]}
    assert set(people) == {"王一", "钱三"} and people["王一"]["rank_level"] == "county_chief"
    assert people["钱三"]["managing_org"] == "root"


def test_matching_by_id_number_then_name_and_birth_month(api: ApiClient) -> None:
    first = roster([["王一", "男", "1980.05", "汉族", "中共党员", "某县财政局", "局长", "", "320102198005010013"],
                    ["钱三", "女", "1982.07", "回族", "群众", "某县水利局", "副局长", "", ""]])
    assert upload(api, "a.xlsx", first).get_json()["created"] == 2
    second = roster([["王一（曾用名）", "男", "1980.05", "汉族", "中共党员", "某县财政局", "局长", "",
                      "320102198005010013"],
                     ["钱三", "女", "1982.07", "回族", "群众", "某县水利局", "局长", "", ""],
                     ["钱三", "女", "1983.07", "回族", "群众", "某县水利局", "科长", "", ""]])
    report = upload(api, "b.xlsx", second).get_json()
    assert (report["created"], report["updated"]) == (1, 2), report
    names = sorted(p["name"] for p in api.get("/people").get_json()["items"])
    assert names == ["王一（曾用名）", "钱三", "钱三"]


def test_the_roster_export_is_what_the_list_shows(api: ApiClient) -> None:
    upload(api, "a.xlsx", roster([["王一", "男", "1980.05", "汉族", "中共党员", "某县财政局", "局长", "正处级", ""],
                                  ["钱三", "女", "1982.07", "回族", "群众", "某县水利局", "副局长", "", ""]]))
    resp = api.get("/people.xlsx?q=王")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(resp.data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert len(rows) == 2 and rows[1][header.index("姓名")] == "王一"
    assert rows[1][header.index("职务层次/职级")] == "县处级正职"
    assert error(api.get("/people.xlsx", "panelist"))["code"] == "forbidden"
    assert api.get("/people.xlsx", "auditor").status_code == 200


def test_import_refusals(api: ApiClient) -> None:
    resp = api.post("/people/import", json={})
    assert resp.status_code == 400
    resp = upload(api, "x.lrmx", ZHANG.read_bytes(), who="auditor")
    assert resp.status_code == 403
    resp = upload(api, "x.lrmx", ZHANG.read_bytes(), "?managing_org=nowhere")
    assert error(resp)["code"] == "validation_failed"
    report = upload(api, "x.pdf", b"%PDF-1.4").get_json()
    assert report["errors"] and report["written"] is False


def test_a_reimport_keeps_which_relatives_are_users(api: ApiClient) -> None:
    """A file has no 系统用户 column: the import keeps the username of the item with the same 称谓 and 姓名,
    so 亲属回避 still knows the relative after the family list is replaced."""
    upload(api, "张明远.lrmx", ZHANG.read_bytes())
    person = api.get("/people?q=张明远").get_json()["items"][0]
    family = [dict(f) for f in person["family"]]
    assert family[0]["relation"] == "妻子" and "username" not in family[0]
    family[0]["username"] = "i2"
    resp = api.client.patch(f"/api/v1/people/{person['id']}", headers=api.auth("officer"),
                            json={"expected_version": person["version"], "family": family})
    assert resp.status_code == 200, resp.get_json()
    changed = ZHANG.read_bytes().replace("高级经济师".encode(), "正高级经济师".encode())
    assert upload(api, "张明远（新）.lrmx", changed).get_json()["updated"] == 1
    again = api.get(f"/people/{person['id']}").get_json()
    assert again["family"][0]["username"] == "i2"
    history = api.get(f"/people/{person['id']}/history").get_json()
    assert history[-1]["changes"] == {"professional_title": {"old": "高级经济师", "new": "正高级经济师"}}
