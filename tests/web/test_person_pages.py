"""The person pages: the record with its history, photo and 影响期; editing; the import page's preview."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image

from workflow import Engine

from .helpers import actor
from .helpers import post
from .helpers import text

SAMPLES = Path(__file__).parent.parent / "exchange" / "samples"
FULL = {"name": "张三", "gender": "男", "birth_date": "1980-05-01", "unit": "某县人民政府", "current_post": "副县长",
        "ethnicity": "汉族", "resume": [{"start": "2002.07", "end": "", "text": "某县人民政府副县长"}],
        "family": [{"relation": "妻子", "name": "李四", "birth_date": "1981.02", "political_status": "群众",
                    "work": "某县中学教师"}]}


def _person(engine: Engine) -> int:
    return engine.people.create(FULL, actor(engine, "officer")).id


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 40), (10, 120, 10)).save(out, "JPEG")
    return out.getvalue()


def test_the_person_page_shows_history_sanctions_and_photo(client_for, web_engine: Engine) -> None:
    pid = _person(web_engine)
    off = actor(web_engine, "officer")
    web_engine.people.add_sanction(pid, {"kind": "诫勉", "decided_on": "2026-08-01", "decided_by": "县纪委",
                                         "reason": "工作不实"}, off)
    web_engine.people.add_sanction(pid, {"kind": "政务警告", "decided_on": "2025-01-10", "decided_by": "县监委",
                                         "reason": "迟报"}, off)
    web_engine.people.set_photo(pid, _jpeg(), off)
    client = client_for("officer")
    page = text(client.get(f"/people/{pid}"))
    assert "影响期内（至2027-02-01）" in page and "已期满" in page
    assert f'src="/people/{pid}/photo"' in page and "变更记录" in page and "（4条" in page
    assert "编辑信息" in page and "下载任免审批表（LRMX）" in page
    assert client.get(f"/people/{pid}/photo").data == _jpeg()
    assert client.get(f"/people/{pid}.lrmx").data.startswith(b"<?xml")


def test_editing_saves_only_the_changes_and_refuses_a_stale_form(client_for, web_engine: Engine) -> None:
    pid = _person(web_engine)
    client = client_for("officer")
    form = text(client.get(f"/people/{pid}/edit"))
    assert 'value="副县长"' in form and 'value="李四"' in form
    data = {"name": "张三", "gender": "男", "birth_date": "1980-05-01", "unit": "某县人民政府",
            "current_post": "县长", "ethnicity": "汉族", "expected_version": "1",
            "resume-0-start": "2002.07", "resume-0-end": "", "resume-0-text": "某县人民政府副县长",
            "family-0-relation": "妻子", "family-0-name": "李四", "family-0-birth_date": "1981.02",
            "family-0-political_status": "群众", "family-0-work": "某县中学教师"}
    resp = post(client, f"/people/{pid}/edit", data, page=f"/people/{pid}/edit")
    assert resp.status_code == 303
    last = web_engine.people.history(pid)[-1]
    assert last.changes == {"current_post": {"old": "副县长", "new": "县长"}}
    resp = post(client, f"/people/{pid}/edit", {**data, "current_post": "书记"}, page=f"/people/{pid}/edit")
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/people/{pid}/edit")
    assert "已被他人修改" in text(client.get(resp.headers["Location"]))
    assert web_engine.people.get(pid).current_post == "县长"
    bad = post(client, f"/people/{pid}/edit", {**data, "expected_version": "2", "ethnicity": "火星族"},
               page=f"/people/{pid}/edit")
    assert bad.status_code == 422 and "不是民族代码集中的代码或名称" in text(bad)


def test_photo_and_sanction_forms_refuse_with_the_reason(client_for, web_engine: Engine) -> None:
    pid = _person(web_engine)
    client = client_for("officer")
    token_page = f"/people/{pid}"
    resp = post(client, f"/people/{pid}/photo", {"photo": (io.BytesIO(b"%PDF-1.4"), "p.jpg")}, page=token_page,
                content_type="multipart/form-data")
    assert resp.status_code == 303 and "应为JPEG或PNG图片" in text(client.get(token_page))
    resp = post(client, f"/people/{pid}/sanctions", {"kind": "党纪严重警告", "decided_on": "2026-05-20",
                                                     "decided_by": "县纪委", "reason": "违规"}, page=token_page)
    assert resp.status_code == 303
    assert "影响期2026-05-20至2027-11-20" in text(client.get(token_page))
    resp = post(client, f"/people/{pid}/assessments", {"year": "2025", "grade": "优秀"}, page=token_page)
    assert "已录入2025年度考核结果：优秀" in text(client.get(token_page))


def test_a_panelist_reads_only_their_part_and_a_stranger_nothing(client_for, web_engine: Engine) -> None:
    pid = _person(web_engine)
    off = actor(web_engine, "officer")
    case = web_engine.start_case("review", off, title="面谈", subject_id=pid, data={"summary": "s"})
    web_engine.fire(case.id, "submit", off, {"panel": ["p1", "p2"], "team": ["i1", "i2"],
                                             "notice_date": "2026-11-20"}, case.version)
    panelist = client_for("p1")
    page = text(panelist.get(f"/people/{pid}"))
    assert "张三" in page and "李四" not in page and "处分、问责" not in page and "编辑信息" not in page
    for path in (f"/people/{pid}/photo", f"/people/{pid}.lrmx", f"/people/{pid}/edit"):
        assert panelist.get(path).status_code in (403, 404), path
    stranger = client_for("p3")
    assert stranger.get(f"/people/{pid}").status_code == 404


def test_the_import_page_previews_every_problem_then_imports_on_confirmation(client_for, web_engine: Engine,
                                                                          ) -> None:
    client = client_for("officer")
    bundle = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(bundle, "w") as z:
        z.writestr("张明远.lrmx", (SAMPLES / "张明远.lrmx").read_bytes())
        z.writestr("问题表.lrmx", (SAMPLES / "问题表.lrmx").read_bytes())
    resp = post(client, "/people/import", {"file": (io.BytesIO(bundle.getvalue()), "表.zip")},
                page="/people/import", content_type="multipart/form-data")
    page = text(resp)
    assert resp.status_code == 200 and "将新建 <strong>1</strong> 人" in page
    assert "表.zip/问题表.lrmx" in page and "出生年月" in page and "新建" in page
    assert web_engine.people.search("")[1] == 0
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page)
    assert token
    resp = post(client, "/people/import/confirm", {"token": token.group(1)}, page="/people/import")
    assert resp.status_code == 303 and web_engine.people.search("")[1] == 0  # problems, not partial
    resp = post(client, "/people/import/confirm", {"token": token.group(1), "partial": "y"}, page="/people/import")
    assert resp.status_code == 303 and [p.name for p in web_engine.people.search("")[0]] == ["张明远"]
    assert "导入完成：新建1人" in text(client.get(resp.headers["Location"]))
    again = post(client, "/people/import/confirm", {"token": token.group(1)}, page="/people/import")
    assert "已失效" in text(client.get(again.headers["Location"]))


def test_family_username_column_on_the_edit_form_and_the_page(client_for, web_engine: Engine) -> None:
    """亲属回避: the family table takes a 系统用户 column; the page shows it and a 称谓 the table does not know."""
    pid = _person(web_engine)
    client = client_for("officer")
    form = text(client.get(f"/people/{pid}/edit"))
    assert "系统用户（如为本系统用户）" in form and 'name="family-0-username"' in form
    data = {"name": "张三", "gender": "男", "birth_date": "1980-05-01", "unit": "某县人民政府",
            "current_post": "副县长", "ethnicity": "汉族", "expected_version": "1",
            "resume-0-start": "2002.07", "resume-0-end": "", "resume-0-text": "某县人民政府副县长",
            "family-0-relation": "妻子", "family-0-name": "李四", "family-0-birth_date": "1981.02",
            "family-0-political_status": "群众", "family-0-work": "某县中学教师", "family-0-username": "p1",
            "family-1-relation": "干亲", "family-1-name": "王五"}
    bad = post(client, f"/people/{pid}/edit", {**data, "family-0-username": "nobody"}, page=f"/people/{pid}/edit")
    assert bad.status_code == 422 and "第1项的系统用户“nobody”不存在或已停用" in text(bad)
    resp = post(client, f"/people/{pid}/edit", data, page=f"/people/{pid}/edit")
    assert resp.status_code == 303
    family = web_engine.people.get(pid).profile["family"]
    assert family[0]["username"] == "p1" and "username" not in family[1]
    page = text(client.get(f"/people/{pid}"))
    assert "<td>p1</td>" in page and "第2项称谓“干亲”不在亲属关系表中" in page
