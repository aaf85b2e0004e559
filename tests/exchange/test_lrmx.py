"""LRMX: golden samples, every problem at once, hostile input, and the write/read round trip."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from workflow.codes import code_set
from workflow.exchange.idcard import check_char
from workflow.exchange.lrmx import PERSON_KEYS
from workflow.exchange.lrmx import parse_lrmx
from workflow.exchange.lrmx import to_lrmx
from workflow.exchange.record import GRADES
from workflow.exchange.record import MAX_FILE_BYTES
from workflow.exchange.record import Problem

SAMPLES = Path(__file__).parent / "samples"
PHOTO = (SAMPLES / "photo.jpg").read_bytes()
# The children of <Person> in the 3.2.1.6 template (xvchaoqun/owip src/main/resources/xml/adform/rm.xml).
TEMPLATE_ORDER = """XingMing XingBie ChuShengNianYue MinZu JiGuan ChuShengDi RuDangShiJian CanJiaGongZuoShiJian
JianKangZhuangKuang ZhuanYeJiShuZhiWu ShuXiZhuanYeYouHeZhuanChang QuanRiZhiJiaoYu_XueLi QuanRiZhiJiaoYu_XueWei
QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi ZaiZhiJiaoYu_XueLi ZaiZhiJiaoYu_XueWei
ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi XianRenZhiWu NiRenZhiWu NiMianZhiWu JianLi
JiangChengQingKuang NianDuKaoHeJieGuo RenMianLiYou JiaTingChengYuan ChengBaoDanWei JiSuanNianLingShiJian
TianBiaoShiJian TianBiaoRen ShenFenZheng ZhaoPian Version""".split()

ZHANG = {
    "name": "张明远", "gender": "男", "birth_date": "1978-05-01", "ethnicity": "汉族", "native_place": "江苏南京",
    "birthplace": "江苏南京", "party_join_date": "1999-06-01", "work_start_date": "2000-07-01", "health": "健康",
    "professional_title": "高级经济师", "specialty": "宏观经济、规划编制", "edu_fulltime_level": "大学",
    "edu_fulltime_degree": "经济学学士", "edu_fulltime_school": "南京大学经济学院国际经济与贸易专业",
    "edu_inservice_level": "研究生", "edu_inservice_degree": "管理学硕士",
    "edu_inservice_school": "中共江苏省委党校经济管理专业\n南京大学商学院",
    "current_post": "江州市发展和改革委员会综合规划处处长", "proposed_post": "江州市发展和改革委员会副主任",
    "proposed_removal": "江州市发展和改革委员会综合规划处处长",
    "resume": [
        {"start": "1996.09", "end": "2000.07", "text": "南京大学经济学院国际经济与贸易专业学习"},
        {"start": "2000.07", "end": "2006.03", "text": "江州市发展计划委员会综合处科员、副主任科员"},
        {"start": "2006.03", "end": "2012.08",
         "text": "江州市发展和改革委员会综合规划处副处长\n"
                 "（其间：2008.09--2011.07 在中共江苏省委党校经济管理专业在职研究生学习）"},
        {"start": "2012.08", "end": "", "text": "江州市发展和改革委员会综合规划处处长"},
    ],
    "rewards_punishments": "2022年被评为江州市优秀共产党员。",
    "annual_assessments": [{"year": 2022, "grade": "称职"}, {"year": 2023, "grade": "优秀"},
                           {"year": 2024, "grade": "优秀"}],
    "appointment_reason": "工作需要。",
    "family": [
        {"relation": "妻子", "name": "王静", "birth_date": "1980.03", "political_status": "中共党员",
         "work": "江州市第一人民医院主治医师"},
        {"relation": "女儿", "name": "张思源", "birth_date": "2008.09", "political_status": "共青团员",
         "work": "江州市第一中学学生"},
        {"relation": "父亲", "name": "张国华", "birth_date": "1952.02", "political_status": "中共党员",
         "work": "江苏省南京市退休干部"},
        {"relation": "母亲", "name": "李秀英", "birth_date": "", "political_status": "群众", "work": "已去世"},
    ],
    "id_number": "32010219780512003X",
}


def test_golden_sample_reads_completely() -> None:
    parsed = parse_lrmx((SAMPLES / "张明远.lrmx").read_bytes(), "张明远.lrmx")
    assert parsed.problems == []
    assert parsed.person == ZHANG
    assert parsed.photo == PHOTO
    assert (parsed.reporting_unit, parsed.filled_by) == ("中共江州市委组织部", "陈干事")
    assert (parsed.age_on, parsed.filled_on) == (date(2026, 11, 25), date(2026, 11, 20))
    assert parsed.extra == {"NianDuKaoHeJieGuo": "2022年度考核称职；2023年度考核优秀；2024年度考核优秀。",
                            "Version": "3.2.1.6"}


def test_written_file_has_the_template_order_and_reads_back() -> None:
    data = to_lrmx(ZHANG, PHOTO, reporting_unit="中共江州市委组织部", age_on=date(2026, 11, 25),
                   filled_on=date(2026, 11, 20), filled_by="陈干事")
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Person>')
    root = ET.fromstring(data)
    assert [child.tag for child in root] == TEMPLATE_ORDER
    assert root.findtext("ChuShengNianYue") == "197805" and root.findtext("JiSuanNianLingShiJian") == "20261125"
    assert [i.findtext("ChuShengRiQi") for i in root.iter("Item")] == ["198003", "200809", "195202", ""]
    assert root.findtext("JianLi", "").splitlines()[2:4] == [
        "2006.03--2012.08  江州市发展和改革委员会综合规划处副处长",
        "                  （其间：2008.09--2011.07 在中共江苏省委党校经济管理专业在职研究生学习）"]
    again = parse_lrmx(data)
    assert again.problems == [] and again.person == ZHANG and again.photo == PHOTO
    assert (again.reporting_unit, again.age_on, again.filled_on, again.filled_by) == (
        "中共江州市委组织部", date(2026, 11, 25), date(2026, 11, 20), "陈干事")


def test_every_problem_is_reported_at_once() -> None:
    parsed = parse_lrmx((SAMPLES / "问题表.lrmx").read_bytes())
    assert parsed.problems == [
        Problem("birth_date", "出生年月：应为6位或8位数字的年月（如197503），实为“1975年3月”"),
        Problem("party_join_date", "入党时间：应为6位或8位数字的年月（如197503），实为“1998.13”"),
        Problem("work_start_date", "参加工作时间：不是有效的年月，实为“199713”"),
        Problem("resume", "简历：第1行应以起止年月开头（如“1997.07--2001.09  某单位科员”），"
                          "实为“某县财政局科员（缺少起止年月）”"),
        Problem("family",
                "家庭主要成员及重要社会关系：第1项的出生年月应为6位或8位数字的年月（如197503），实为“1976年1月”"),
        Problem("age_on", "计算年龄时间：应为6位或8位数字的年月（如197503），实为“2026”"),
        Problem("photo", "照片：不是有效的Base64编码"),
        Problem("gender", "性别：应为“男”或“女”，实为“未知”"),
        Problem("ethnicity", "民族：“火星族”不在民族代码（GB/T 3304）中"),
        Problem("id_number", "公民身份号码：校验位不符：按前17位计算应为“1”，实为“6”"),
    ]


def _person_xml(body: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?><Person>{body}</Person>'.encode()


def test_id_number_is_checked_against_birth_month_and_sex() -> None:
    parsed = parse_lrmx(_person_xml("<XingMing>甲</XingMing><XingBie>女</XingBie><ChuShengNianYue>197806"
                                    "</ChuShengNianYue><ShenFenZheng>32010219780512003X</ShenFenZheng>"))
    assert [p.message for p in parsed.problems] == [
        "公民身份号码：其中的出生日期（1978年05月12日）与出生年月（1978.06）不符",
        "公民身份号码：第17位表示性别为男，与性别“女”不符"]
    exact = parse_lrmx(_person_xml("<XingMing>甲</XingMing><XingBie>男</XingBie><ChuShengNianYue>19780513"
                                   "</ChuShengNianYue><ShenFenZheng>32010219780512003X</ShenFenZheng>"))
    assert exact.person["birth_date"] == "1978-05-13"
    assert [p.message for p in exact.problems] == [
        "公民身份号码：其中的出生日期（1978年05月12日）与出生年月（1978-05-13）不符"]


def test_missing_required_facts_and_party_forms() -> None:
    parsed = parse_lrmx(_person_xml("<RuDangShiJian>200108；民建</RuDangShiJian><MinZu>回</MinZu>"))
    assert [p.message for p in parsed.problems] == [
        "姓名：此项为必填项", "性别：此项为必填项", "出生年月：此项为必填项"]
    assert parsed.person == {"party_join_date": "2001-08-01", "political_status": "民建会员", "ethnicity": "回族"}
    only_party = parse_lrmx(_person_xml("<RuDangShiJian>九三学社</RuDangShiJian>"))
    assert only_party.person == {"political_status": "九三学社社员"}


def test_malformed_and_hostile_input_gives_one_clean_problem() -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
                      for i in range(1, 10))
            + ']><Person><XingMing>&lol9;</XingMing></Person>').encode()
    external = (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                b"<Person><XingMing>&x;</XingMing></Person>")
    cases = {
        b"<Person><XingMing>\xe5\xbc\xa0</Person>": "文件：不是格式正确的XML（第1行第22列附近出错）",
        b"": "文件：不是格式正确的XML（第1行第1列附近出错）",
        b"<Root><XingMing>x</XingMing></Root>": "文件：根元素应为Person（干部任免审批表LRMX），实为“Root”",
        bomb: "文件：含有DTD或实体声明，出于安全原因不予读取",
        external: "文件：含有DTD或实体声明，出于安全原因不予读取",
        "<Person><XingMing>张</XingMing></Person>".encode("gbk"): "文件：应为UTF-8编码的XML（干部任免审批表LRMX文件）",
        b"<Person>" + b" " * MAX_FILE_BYTES + b"</Person>": "文件：超过8 MB的大小上限（实为8.0 MB）",
    }
    for data, message in cases.items():
        parsed = parse_lrmx(data)
        assert [p.message for p in parsed.problems] == [message], data[:60]
        assert parsed.person == {}


def test_declared_gbk_is_accepted_and_unknown_tags_are_kept_aside() -> None:
    data = ('<?xml version="1.0" encoding="GBK"?><Person><XingMing>张三</XingMing><XingBie>男</XingBie>'
            "<ChuShengNianYue>197001</ChuShengNianYue><DaoLingNianYue>203001</DaoLingNianYue>"
            "<ZhengZhiMianMao>中国共产党党员</ZhengZhiMianMao></Person>").encode("gbk")
    parsed = parse_lrmx(data)
    assert parsed.problems == []
    assert parsed.person == {"name": "张三", "gender": "男", "birth_date": "1970-01-01", "political_status": "中共党员"}
    assert parsed.extra == {"DaoLingNianYue": "203001"}


# --- the round trip over the representation documented in workflow.exchange.record ---

_CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp"))
TRICKY = ["（其间：2001.09--2003.07 在职学习）", "]]>", "<![CDATA[x]]>", "a & b; &amp;", "2003.01--2004.02 某职",
          "１９９７．０７—", "至", "--", "\"引号\" '单引号'", "𠀀𠀁 扩展B区"]
line = st.one_of(st.text(_CHARS, min_size=1, max_size=12).map(str.strip).filter(bool), st.sampled_from(TRICKY))
text = st.lists(line, min_size=1, max_size=3).map("\n".join)
continuation = line.filter(lambda s: not s[0].isdigit())
month = st.dates(date(1900, 1, 1), date(2099, 12, 28))
dotted = month.map(lambda d: f"{d.year:04d}.{d.month:02d}")


@st.composite
def resume_entry(draw: Any) -> dict[str, str]:
    first = draw(st.one_of(st.just(""), line.filter(lambda s: not s.startswith("至今"))))
    more = draw(st.lists(continuation, max_size=2)) if first else []
    return {"start": draw(dotted), "end": draw(st.one_of(st.just(""), dotted)), "text": "\n".join([first, *more])}


member = st.fixed_dictionaries({
    "relation": st.one_of(st.just(""), line), "name": line, "birth_date": st.one_of(st.just(""), dotted),
    "political_status": st.one_of(st.just(""), line), "work": st.one_of(st.just(""), line)})
school = st.lists(line, min_size=1, max_size=2, unique=True).map("\n".join)
PLAIN_KEYS = [k for k in PERSON_KEYS if k not in {
    "name", "gender", "birth_date", "party_join_date", "work_start_date", "ethnicity", "resume",
    "annual_assessments", "family", "edu_fulltime_school", "edu_inservice_school", "id_number"}]


@st.composite
def person(draw: Any) -> dict[str, Any]:
    born = draw(month)
    gender = draw(st.sampled_from(["男", "女"]))
    p: dict[str, Any] = {"name": draw(line), "gender": gender, "birth_date": born.replace(day=1).isoformat()}
    for key in PLAIN_KEYS:
        if draw(st.booleans()):
            p[key] = draw(text)
    for key in ("party_join_date", "work_start_date"):
        if draw(st.booleans()):
            p[key] = draw(month).replace(day=1).isoformat()
    if draw(st.booleans()):
        p["ethnicity"] = draw(st.sampled_from([i.label for i in code_set("ethnicity")]))
    for key in ("edu_fulltime_school", "edu_inservice_school"):
        if draw(st.booleans()):
            p[key] = draw(school)
    for key, strategy in (("resume", resume_entry()), ("family", member)):
        items = draw(st.lists(strategy, max_size=4))
        if items:
            p[key] = items
    grades = draw(st.lists(st.fixed_dictionaries({"year": st.integers(1950, 2099),
                                                  "grade": st.sampled_from(GRADES)}), max_size=4))
    if grades:
        p["annual_assessments"] = grades
    if draw(st.booleans()):
        odd = draw(st.integers(0, 4)) * 2 + (1 if gender == "男" else 0)
        first17 = f"320102{born:%Y%m%d}{draw(st.integers(0, 99)):02d}{odd}"
        p["id_number"] = first17 + check_char(first17)
    return p


@settings(max_examples=300, deadline=None)
@given(person(), st.one_of(st.none(), st.binary(max_size=64).map(lambda b: b"\xff\xd8\xff" + b)))
def test_round_trip(p: dict[str, Any], photo: bytes | None) -> None:
    parsed = parse_lrmx(to_lrmx(p, photo))
    assert parsed.problems == []
    assert parsed.person == p
    assert parsed.photo == photo


def test_round_trip_keeps_characters_that_need_escaping() -> None:
    p = {"name": "A&B <C> \"D\" 'E'", "gender": "女", "birth_date": "1980-02-01", "current_post": "]]> &amp; <![CDATA[",
         "resume": [{"start": "1999.09", "end": "", "text": "x < y & z\n（其间：<学习>）"}]}
    data = to_lrmx(p)
    assert b"&lt;C&gt;" in data and re.search(rb"<XingMing>A&amp;B", data)
    assert parse_lrmx(data).person == p
