# ruff: noqa: E501  (demo data is mostly Chinese; ruff counts each character double)
"""The demo's organizations (分级管理): the city department at the root, a district and a county
under it, each with its own cadres and cases (see web/demo/users.yaml for their users)."""

from __future__ import annotations

from typing import Any

from workflow import Engine

from .data import _family
from .data import _grades
from .data import _person
from .runner import Demo

CITY = "中共江州市委组织部"
ORGS = (("donghu", "中共东湖区委组织部"), ("xishan", "中共西山县委组织部"))
# (organization, the officer who registers them, the person)
PEOPLE: list[tuple[str, str, dict[str, Any]]] = [
    ("donghu", "dh_officer1", _person(
        "邹海峰", "男", "1984-09-03", "江西九江", "2006-05-20", "2007-08-01", "东湖区人民政府办公室", "副主任",
        ("township_deputy", "2021-09-01", "2021-09-01", 36), ("大学", "法学学士", "江西财经大学法学院法学专业"), None,
        [("2003.09", "2007.07", "江西财经大学法学院法学专业学习"), ("2007.08", "2015.06", "东湖区人民政府办公室科员、副主任科员"),
         ("2015.06", "2021.09", "东湖区人民政府办公室秘书科科长"), ("2021.09", "", "东湖区人民政府办公室副主任")],
        _family(("妻", "黄晓梅|1986-04", "群众", "东湖区第二小学教师"), ("儿子", "邹子轩|2014-10", "群众", "东湖区第二小学学生"),
                ("父亲", "邹国强|1958-07", "中共党员", "江西省九江市退休干部"), ("母亲", "刘翠兰|1960-02", "群众", "江西省九江市退休职工")),
        _grades("称职", "优秀", "称职"), "2023年被评为东湖区优秀公务员。")),
    ("donghu", "dh_officer1", _person(
        "苏婉清", "女", "1987-02-14", "湖北武汉", "2008-06-01", "2010-07-01", "东湖区东湖街道", "党工委副书记",
        ("township_deputy", "2022-01-01", "2022-01-01", 120), ("研究生", "管理学硕士", "武汉大学政治与公共管理学院行政管理专业"), None,
        [("2007.09", "2010.06", "武汉大学行政管理专业研究生学习"), ("2010.07", "2016.03", "东湖区民政局科员"),
         ("2016.03", "2022.01", "东湖区东湖街道党工委委员、办事处副主任"), ("2022.01", "", "东湖区东湖街道党工委副书记")],
        _family(("夫", "魏明|1985-09", "中共党员", "江州市第三人民医院医师"), None,
                ("父亲", "苏建华|1960-03", "中共党员", "湖北省武汉市退休教师"), ("母亲", "陈玉珍|1962-08", "群众", "湖北省武汉市退休职工")),
        _grades("优秀", "称职", "优秀"), "2024年被评为江州市优秀社区工作者。")),
    ("xishan", "xs_officer1", _person(
        "龙建军", "男", "1980-11-22", "湖南湘西", "2002-07-01", "2003-08-01", "西山县农业农村局", "局长",
        ("township_chief", "2019-08-01", "2019-08-01", 160), ("大学", "农学学士", "湖南农业大学农学院农学专业"), ("研究生", "农业推广硕士", "湖南农业大学农业推广专业"),
        [("1999.09", "2003.07", "湖南农业大学农学专业学习"), ("2003.08", "2012.05", "西山县农业局技术员、股长"),
         ("2012.05", "2019.08", "西山县青石镇党委副书记、镇长"), ("2019.08", "", "西山县农业农村局党组书记、局长")],
        _family(("妻", "杨春燕|1982-01", "中共党员", "西山县人民医院护士长"), ("女儿", "龙欣怡|2008-05", "共青团员", "西山县第一中学学生"),
                ("父亲", "龙光明|1952-12", "群众", "湖南省湘西州务农"), ("母亲", "石秀英|1955-06", "群众", "湖南省湘西州务农")),
        _grades("优秀", "优秀", "称职"), "2022年获全省农业农村系统先进工作者。", ethnicity="苗族")),
    ("xishan", "xs_officer1", _person(
        "田雨萱", "女", "1989-06-30", "湖南张家界", "2010-05-04", "2012-08-01", "西山县青石镇", "镇长",
        ("township_chief", "2023-02-01", "2023-02-01", 58), ("大学", "工学学士", "中南大学土木工程学院土木工程专业"), None,
        [("2008.09", "2012.07", "中南大学土木工程专业学习"), ("2012.08", "2018.04", "西山县住房和城乡建设局科员"),
         ("2018.04", "2023.02", "西山县青石镇党委委员、副镇长"), ("2023.02", "", "西山县青石镇党委副书记、镇长")],
        _family(("夫", "覃志勇|1988-03", "中共党员", "西山县交通运输局工程师"), None,
                ("父亲", "田德文|1963-09", "中共党员", "湖南省张家界市退休干部"), ("母亲", "向桂花|1965-04", "群众", "湖南省张家界市退休职工")),
        _grades("称职", "称职", "优秀"), "2025年被评为西山县乡村振兴先进个人。", ethnicity="土家族")),
]


def organizations(engine: Engine) -> int:
    """The city at the root (renamed from the default), the district and the county; how many were added."""
    if engine.orgs.get("root").name != CITY:
        engine.orgs.rename("root", CITY)
    codes = {o.code for o in engine.orgs.all()}
    for code, name in ORGS:
        if code not in codes:
            engine.orgs.add(code, name)
    return len([c for c, _ in ORGS if c not in codes])


def people(d: Demo) -> int:
    """The district's and the county's cadres, each registered by that organization's officer."""
    added = 0
    for _org, officer, data in PEOPLE:
        viewer = d.actors[officer]
        found, _ = d.engine.people.search(data["name"], limit=50, viewer=viewer)
        match = next((p for p in found if p.name == data["name"]), None)
        if match is None:
            match = d.engine.people.create(data, viewer)
            added += 1
        d.people[data["name"]] = match.id
    return added


def _record(who: str, kind: str, day: str, text: str) -> tuple[str, str, dict[str, Any]]:
    return ("record", who, {"record_kind": kind, "record_date": day, "record_content": text})


def cases(d: Demo) -> None:
    """A daily inspection filed and one in progress in each of the district and the county."""
    if (cid := d.open("daily_inspection", "邹海峰同志2026年度日常考察", "邹海峰", "dh_officer1", {"period": "2026年度"})):
        d.run(cid, [_record("dh_officer1", "谈心谈话", "2026-04-16", "围绕区政府办文办会工作谈心，该同志对文稿质量要求严格。"),
                    _record("dh_officer1", "列席会议", "2026-06-11", "列席区政府常务会议，该同志会务组织周密、协调有力。"),
                    _record("dh_officer1", "信访监测", "2026-09-30", "经查询，未收到反映该同志的信访举报。"),
                    ("analyze", "dh_officer1", {"analysis_text": "该同志政治素质好，综合协调能力强，工作细致，群众评价较好。"}),
                    ("file", "dh_reviewer1", {"evaluation": "日常表现好。", "tags": ["担当作为"], "grade": "好"})])
    if (cid := d.open("daily_inspection", "苏婉清同志2026年度日常考察", "苏婉清", "dh_officer1", {"period": "2026年度"})):
        d.run(cid, [_record("dh_officer1", "调研走访", "2026-10-21", "走访东湖街道5个社区，居民反映该同志经常深入网格、解决问题实在。")])
    if (cid := d.open("daily_inspection", "龙建军同志2026年度日常考察", "龙建军", "xs_officer1", {"period": "2026年度"})):
        d.run(cid, [_record("xs_officer1", "调研走访", "2026-05-19", "走访3个乡镇农业产业基地，该同志推动茶叶产业提质增效成效明显。"),
                    _record("xs_officer1", "个人事项监测", "2026-06-30", "个人有关事项报告抽查结果一致。"),
                    _record("xs_officer1", "列席会议", "2026-08-14", "列席县农业农村局党组会，该同志部署秋收工作重点突出、责任明确。"),
                    ("analyze", "xs_officer1", {"analysis_text": "该同志熟悉农业农村工作，推动产业发展思路清晰、办法实在。"}),
                    ("file", "xs_reviewer1", {"evaluation": "日常表现好，可进一步使用。", "tags": ["担当作为"], "grade": "好"})])
    if (cid := d.open("daily_inspection", "田雨萱同志2026年度日常考察", "田雨萱", "xs_officer1", {"period": "2026年度"})):
        d.run(cid, [_record("xs_officer1", "谈心谈话", "2026-11-03", "该同志谈及乡村振兴项目推进中的困难，提出的解决办法切实可行。")])
