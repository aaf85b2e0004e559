# ruff: noqa: E501  (a data table: one person per block, Chinese text counts double in ruff's width)
"""Demo users and people (fictional 江州市, a prefecture-level city, with 东湖区 and 西山县). Used only by web/demo.

Levels follow a 地级市: the heads of 市直部门 are 县处级正职, their deputies 县处级副职, the 科 inside
them 乡科级; a 区 or 县 is 县处级, its bureaus and 街道 乡科级 (``workflow/codes/rank_level.yaml``).
Every person carries what the 干部任免审批表 and the qualification rules read (domain-reference §5.4,
procedures.md "Person data the rules read"): unit and post, rank_level with post_since/rank_since,
grassroots_months, work_start_date, education as code-set labels, résumé, family, the 2023–2025 grades.
``enrich`` adds what ``People.create`` does not take: a generated photo for every person and a few
sanctions (active, expired and one without 影响期). Names, units and numbers are invented.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

PASSWORD = "demo12345"
CITY = "江州市"
BACHELOR, MASTER, PARTY_SCHOOL = "大学本科毕业", "硕士研究生毕业", "研究生班毕业"


def _family(spouse: tuple[str, str, str, str], child: tuple[str, str, str, str] | None,
            father: tuple[str, str, str, str], mother: tuple[str, str, str, str]) -> list[dict[str, str]]:
    rows = [("妻子" if spouse[0] == "妻" else "丈夫", *spouse[1:]), father, mother]
    if child is not None:
        rows.insert(1, child)
    out = []
    for rel, name_birth, status, work in [(r[0], r[1], r[2], r[3]) for r in rows]:
        name, birth = name_birth.split("|")
        out.append({"relation": rel, "name": name, "birth_date": birth.replace("-", "."), "political_status": status,
                    "work": work})
    return out


def _resume(lines: list[tuple[str, str, str]]) -> list[dict[str, str]]:
    return [{"start": s, "end": e, "text": t} for s, e, t in lines]


def _grades(g23: str, g24: str, g25: str) -> list[dict[str, Any]]:
    return [{"year": 2023, "grade": g23}, {"year": 2024, "grade": g24}, {"year": 2025, "grade": g25}]


def _person(name: str, gender: str, birth: str, native: str, party: str, work: str, unit: str, post: str,
            rank: tuple[str, str, str, int], edu: tuple[str, str, str], inservice: tuple[str, str, str] | None,
            resume: list[tuple[str, str, str]], family: list[dict[str, str]], grades: list[dict[str, Any]],
            rewards: str, **extra: Any) -> dict[str, Any]:
    """``rank``: (rank_level code, post_since, rank_since, grassroots_months)."""
    level, post_since, rank_since, grassroots = rank
    data: dict[str, Any] = {
        "name": name, "gender": gender, "birth_date": birth, "ethnicity": extra.pop("ethnicity", "汉族"),
        "native_place": native, "birthplace": extra.pop("birthplace", native), "party_join_date": party,
        "work_start_date": work, "health": "健康", "unit": unit, "current_post": post, "rank_level": level,
        "post_since": post_since, "rank_since": rank_since, "grassroots_months": grassroots,
        "political_status": "中共党员", "edu_fulltime_level": edu[0], "edu_fulltime_degree": edu[1],
        "edu_fulltime_school": edu[2], "resume": _resume(resume), "family": family,
        "annual_assessments": grades, "rewards_punishments": rewards,
    }
    if inservice:
        data.update(edu_inservice_level=inservice[0], edu_inservice_school=inservice[2])
        if inservice[1]:
            data["edu_inservice_degree"] = inservice[1]
    data.update(extra)
    return data


# 亲属回避 in the demo: 马骏's 外甥 is the demo user inspector3 (陈晨), recused on every case of 马骏 from its
# start (亲属回避（外甥）); his brother leads in the 拟任单位 of his selection (a 任职回避提示 on that case).
KIN_OF_MA_JUN = [
    {"relation": "外甥", "name": "陈晨", "birth_date": "1998.10", "political_status": "中共党员",
     "work": "中共江州市委组织部考察组干部", "username": "inspector3"},
    {"relation": "哥哥", "name": "马骁", "birth_date": "1975.08", "political_status": "中共党员",
     "work": "江州市水利局党组成员、总工程师"},
]

PEOPLE: list[dict[str, Any]] = [
    _person("李明", "男", "1982-05-12", "江苏南京", "2003-06-18", "2005-07-01", "江州市发展和改革委员会", "综合规划科科长",
            ("township_chief", "2019-12-01", "2019-12-01", 40),
            (BACHELOR, "经济学学士", "南京大学经济学院国际经济与贸易专业"), (MASTER, "管理学硕士", "南京大学商学院工商管理专业"),
            [("2001.09", "2005.07", "南京大学经济学院国际经济与贸易专业学习"),
             ("2005.07", "2011.03", "江州市发展计划委员会综合科科员、副主任科员"),
             ("2011.03", "2016.08", "江州市发展和改革委员会综合规划科副科长"),
             ("2016.08", "2019.12", "江州市东湖区发展和改革局局长（挂职）"),
             ("2019.12", "", "江州市发展和改革委员会综合规划科科长")],
            _family(("妻", "王静|1984-03", "中共党员", "江州市第一人民医院主治医师"),
                    ("女儿", "李思源|2011-09", "群众", "江州市实验小学学生"),
                    ("父亲", "李国华|1955-02", "中共党员", "江苏省南京市退休干部"),
                    ("母亲", "张秀英|1957-10", "群众", "江苏省南京市退休职工")),
            _grades("称职", "优秀", "优秀"), "2022年被评为江州市优秀共产党员；2024年获江苏省发展改革系统先进个人。",
            professional_title="高级经济师", specialty="宏观经济、规划编制", proposed_post="江州市发展和改革委员会副主任",
            proposed_removal="江州市发展和改革委员会综合规划科科长", id_number="320102198205121236",
            appointment_reason="工作需要，经民主推荐、考察和市委常委会讨论决定。"),
    _person("王芳", "女", "1985-08-20", "浙江杭州", "2006-05-04", "2008-07-01", "江州市财政局", "预算科科长",
            ("township_chief", "2020-03-01", "2020-03-01", 24),
            (MASTER, "经济学硕士", "上海财经大学公共经济与管理学院财政学专业"), None,
            [("2005.09", "2008.07", "上海财经大学财政学专业研究生学习"),
             ("2008.07", "2014.05", "江州市财政局预算科科员、副主任科员"),
             ("2014.05", "2016.05", "江州市西山县财政局副局长（挂职）"),
             ("2016.05", "2020.03", "江州市财政局预算科副科长"), ("2020.03", "", "江州市财政局预算科科长")],
            _family(("夫", "陈浩|1984-11", "中共党员", "国家税务总局江州市税务局第二税务分局副局长"),
                    ("儿子", "陈一鸣|2013-06", "群众", "江州市育才小学学生"),
                    ("父亲", "王德明|1958-04", "中共党员", "浙江省杭州市退休教师"),
                    ("母亲", "刘美华|1960-01", "群众", "浙江省杭州市退休职工")),
            _grades("优秀", "称职", "优秀"), "2023年获全省财政系统预算绩效管理先进个人。",
            professional_title="高级会计师", specialty="财政预算管理", proposed_post="江州市财政局副局长",
            proposed_removal="江州市财政局预算科科长"),
    _person("陈强", "男", "1980-11-03", "江苏扬州", "2001-12-20", "2003-07-01", "江州市东湖区人民政府", "副区长",
            ("county_deputy", "2017-09-01", "2017-09-01", 197),
            (BACHELOR, "工学学士", "河海大学水利水电工程专业"), (MASTER, "公共管理硕士", "南京大学政府管理学院公共管理专业"),
            [("1999.09", "2003.07", "河海大学水利水电工程专业学习"), ("2003.07", "2010.06", "江州市水利局科员、副科长"),
             ("2010.06", "2017.09", "江州市东湖区水务局局长"), ("2017.09", "", "江州市东湖区人民政府副区长")],
            _family(("妻", "赵敏|1982-07", "群众", "江州市东湖区第二中学教师"),
                    ("儿子", "陈子轩|2009-02", "共青团员", "江州市第一中学学生"),
                    ("父亲", "陈建军|1953-09", "中共党员", "江苏省扬州市退休干部"),
                    ("母亲", "孙桂兰|1955-12", "群众", "江苏省扬州市退休职工")),
            _grades("称职", "称职", "优秀"), "2020年在抗洪抢险中表现突出，记三等功一次。",
            professional_title="高级工程师", specialty="水利工程、城市管理", proposed_post="中共江州市东湖区委副书记"),
    _person("赵丽", "女", "1987-02-14", "江苏苏州", "2008-11-10", "2010-08-01", "江州市生态环境局", "办公室主任",
            ("township_chief", "2021-05-01", "2021-05-01", 36),
            (MASTER, "理学硕士", "南京大学环境学院环境科学专业"), None,
            [("2007.09", "2010.07", "南京大学环境科学专业研究生学习"), ("2010.08", "2013.08", "江州市东湖区环境保护局科员"),
             ("2013.08", "2016.04", "江州市环境保护局科员、副主任科员"),
             ("2016.04", "2021.05", "江州市生态环境局大气环境科副科长"), ("2021.05", "", "江州市生态环境局办公室主任")],
            _family(("夫", "周凯|1986-05", "中共党员", "江州市自然资源和规划局科长"), None,
                    ("父亲", "赵永福|1960-08", "群众", "江苏省苏州市个体经营者"),
                    ("母亲", "钱秀珍|1962-03", "群众", "江苏省苏州市退休职工")),
            _grades("优秀", "优秀", "称职"), "2024年获江州市三八红旗手称号。",
            specialty="环境管理、综合协调", proposed_post="江州市生态环境局副局长"),
    _person("刘洋", "男", "1983-07-09", "安徽合肥", "2004-06-01", "2006-07-01", "江州市交通运输局", "规划建设科科长",
            ("township_chief", "2019-06-01", "2019-06-01", 24),
            (BACHELOR, "工学学士", "东南大学交通运输工程专业"), (MASTER, "工程硕士", "东南大学交通学院交通运输工程专业"),
            [("2002.09", "2006.07", "东南大学交通运输工程专业学习"), ("2006.07", "2011.02", "江州市交通局工程科科员"),
             ("2011.02", "2013.02", "江州市西山县交通运输局副局长（挂职）"),
             ("2013.02", "2019.06", "江州市交通运输局规划建设科副科长"), ("2019.06", "", "江州市交通运输局规划建设科科长")],
            _family(("妻", "黄晓燕|1985-01", "中共党员", "江州市人民检察院检察官"),
                    ("女儿", "刘可欣|2012-10", "群众", "江州市实验小学学生"),
                    ("父亲", "刘长江|1956-06", "中共党员", "安徽省合肥市退休干部"),
                    ("母亲", "何玉梅|1958-09", "群众", "安徽省合肥市退休职工")),
            _grades("称职", "优秀", "称职"), "2026年在防汛抢险中表现突出，受到市委通报表扬。",
            professional_title="正高级工程师", specialty="交通规划、工程建设"),
    _person("孙静", "女", "1984-12-01", "山东济南", "2005-05-04", "2007-07-01", "中共江州市委办公室", "综合科科长",
            ("township_chief", "2021-01-01", "2021-01-01", 30),
            (BACHELOR, "文学学士", "山东大学文学院汉语言文学专业"), (PARTY_SCHOOL, "", "中共江苏省委党校法学理论专业"),
            [("2003.09", "2007.07", "山东大学汉语言文学专业学习"), ("2007.07", "2012.06", "中共江州市委办公室秘书科科员"),
             ("2012.06", "2014.12", "江州市西山县青山镇党委副书记（挂职）"),
             ("2014.12", "2021.01", "中共江州市委办公室综合科副科长"), ("2021.01", "", "中共江州市委办公室综合科科长")],
            _family(("夫", "马骁|1983-04", "中共党员", "江州日报社编辑"), ("儿子", "马天宇|2014-08", "群众", "江州市育才小学学生"),
                    ("父亲", "孙立国|1957-11", "中共党员", "山东省济南市退休干部"),
                    ("母亲", "韩淑芬|1959-05", "群众", "山东省济南市退休职工")),
            _grades("称职", "称职", "优秀"), "无", specialty="文字综合", proposed_post="中共江州市委办公室副主任"),
    _person("周涛", "男", "1979-04-22", "江苏无锡", "2000-06-25", "2001-08-01", "江州市西山县人民政府", "常务副县长",
            ("county_deputy", "2018-11-01", "2018-11-01", 200),
            (BACHELOR, "管理学学士", "南京农业大学土地资源管理专业"), (MASTER, "公共管理硕士", "苏州大学政治与公共管理学院"),
            [("1997.09", "2001.07", "南京农业大学土地资源管理专业学习"), ("2001.08", "2010.03", "江州市国土资源局科员、科长"),
             ("2010.03", "2018.11", "江州市西山县国土资源局局长"), ("2018.11", "", "江州市西山县人民政府常务副县长")],
            _family(("妻", "沈丽|1981-09", "中共党员", "西山县人民医院护士长"), ("女儿", "周雨桐|2007-03", "共青团员", "南京师范大学学生"),
                    ("父亲", "周福生|1950-01", "群众", "江苏省无锡市农民"), ("母亲", "陆阿娣|1952-07", "群众", "江苏省无锡市农民")),
            _grades("称职", "称职", "称职"), "2026年因产业园项目审批程序不规范受到问责，经容错纠错认定从轻处理。",
            specialty="国土资源管理、招商引资", proposed_post="中共江州市西山县委副书记"),
    _person("吴敏", "女", "1986-06-30", "江西南昌", "2007-12-01", "2009-07-01", "江州市教育局", "基础教育科副科长",
            ("principal_staff_2", "2017-08-01", "2022-08-01", 28),
            (MASTER, "教育学硕士", "华东师范大学教育学部教育学原理专业"), None,
            [("2006.09", "2009.06", "华东师范大学教育学原理专业研究生学习"), ("2009.07", "2014.09", "江州市教育局科员"),
             ("2014.09", "2017.01", "江州市东湖区教育局副局长（挂职）"), ("2017.01", "2017.08", "江州市教育局基础教育科主任科员"),
             ("2017.08", "", "江州市教育局基础教育科副科长（2022.08起任二级主任科员）")],
            _family(("夫", "郭明|1985-02", "群众", "江州市第三中学教师"), ("女儿", "郭小雨|2015-11", "群众", "江州市实验小学学生"),
                    ("父亲", "吴振华|1959-10", "中共党员", "江西省南昌市退休教师"),
                    ("母亲", "邓秀兰|1961-04", "群众", "江西省南昌市退休职工")),
            _grades("称职", "优秀", "称职"), "2026年7月因校外培训专项治理工作不实被诫勉。", specialty="基础教育管理"),
    _person("郑华", "男", "1981-09-17", "江苏常州", "2002-07-01", "2004-07-01", "江州市住房和城乡建设局", "副局长",
            ("county_deputy", "2019-09-01", "2019-09-01", 24),
            (BACHELOR, "工学学士", "同济大学土木工程学院土木工程专业"), None,
            [("2000.09", "2004.07", "同济大学土木工程专业学习"), ("2004.07", "2008.05", "江州市建设局科员"),
             ("2008.05", "2010.05", "江州市东湖区建设局副局长（挂职）"), ("2010.05", "2019.09", "江州市住房和城乡建设局城建科副科长、科长"),
             ("2019.09", "", "江州市住房和城乡建设局副局长")],
            _family(("妻", "许娟|1983-12", "群众", "江州某房地产开发有限公司财务经理"), ("儿子", "郑浩然|2010-05", "群众", "江州市第一中学学生"),
                    ("父亲", "郑大伟|1954-03", "中共党员", "江苏省常州市退休干部"),
                    ("母亲", "蒋秀芳|1956-08", "群众", "江苏省常州市退休职工")),
            _grades("称职", "称职", "称职"), "2023年受党内警告处分（已期满）；2026年任前考察中个人有关事项报告查核认定瞒报房产，终止考察。",
            professional_title="高级工程师", specialty="城乡建设管理", proposed_post="江州市住房和城乡建设局局长"),
    _person("黄磊", "男", "1988-03-05", "湖南长沙", "2009-06-01", "2011-08-01", "中共江州市东湖区东湖街道工作委员会", "书记",
            ("township_chief", "2024-01-01", "2024-01-01", 183),
            (BACHELOR, "法学学士", "湖南大学法学院法学专业"), None,
            [("2007.09", "2011.07", "湖南大学法学专业学习"), ("2011.08", "2019.06", "江州市东湖区司法局科员、副主任科员"),
             ("2019.06", "2024.01", "江州市东湖区东湖街道办事处副主任"), ("2024.01", "", "中共江州市东湖区东湖街道工作委员会书记")],
            _family(("妻", "杨柳|1989-07", "中共党员", "江州市东湖区人民法院法官助理"), None,
                    ("父亲", "黄建国|1962-02", "群众", "湖南省长沙市个体经营者"),
                    ("母亲", "罗春梅|1964-09", "群众", "湖南省长沙市退休职工")),
            _grades("称职", "称职", "基本称职"), "2026年6月因信访事项处置不力受到政务警告处分。", specialty="基层治理、法律事务"),
    _person("何婷", "女", "1990-10-18", "福建福州", "2011-05-04", "2013-07-01", "江州市商务局", "对外贸易科副科长",
            ("township_deputy", "2020-10-01", "2020-10-01", 24),
            (MASTER, "经济学硕士", "厦门大学经济学院国际贸易学专业"), None,
            [("2010.09", "2013.06", "厦门大学国际贸易学专业研究生学习"), ("2013.07", "2016.07", "江州市商务局科员"),
             ("2016.07", "2018.07", "江州市西山县商务局副局长（挂职）"), ("2018.07", "2020.10", "江州市商务局对外贸易科副主任科员"),
             ("2020.10", "", "江州市商务局对外贸易科副科长")],
            _family(("夫", "林涛|1989-03", "群众", "江州某外贸企业工程师"), None,
                    ("父亲", "何志强|1963-06", "中共党员", "福建省福州市退休干部"),
                    ("母亲", "陈丽珍|1965-12", "群众", "福建省福州市退休职工")),
            _grades("优秀", "称职", "优秀"), "2025年获全省商务系统招商引资先进个人。", specialty="对外贸易、招商引资",
            proposed_post="江州市商务局对外贸易科科长"),
    _person("钱伟", "男", "1981-04-16", "江苏镇江", "2002-06-01", "2003-08-01", "江州市农业农村局", "副局长",
            ("county_deputy", "2020-05-01", "2020-05-01", 60),
            (BACHELOR, "农学学士", "南京农业大学农学院农学专业"), None,
            [("1999.09", "2003.07", "南京农业大学农学专业学习"), ("2003.08", "2009.04", "江州市农业局科员、副主任科员"),
             ("2009.04", "2014.04", "江州市西山县青石镇副镇长"), ("2014.04", "2020.05", "江州市农业农村局种植业科科长"),
             ("2020.05", "", "江州市农业农村局副局长")],
            _family(("妻", "朱琳|1983-02", "中共党员", "江州市农业科学研究院研究员"), ("儿子", "钱昊|2010-09", "群众", "江州市第一中学学生"),
                    ("父亲", "钱国栋|1955-05", "中共党员", "江苏省镇江市退休干部"), ("母亲", "孔玉芳|1957-08", "群众", "江苏省镇江市退休职工")),
            _grades("称职", "优秀", "称职"), "2024年获全省农业农村系统先进工作者。", specialty="农业农村管理",
            proposed_post="江州市文化广电和旅游局副局长", proposed_removal="江州市农业农村局副局长"),
    _person("马骏", "男", "1978-01-25", "江苏南通", "1999-05-04", "2000-08-01", "江州市水利局", "副局长",
            ("county_deputy", "2020-07-01", "2020-07-01", 24),
            (BACHELOR, "工学学士", "扬州大学水利科学与工程学院水利水电工程专业"), (MASTER, "工程硕士", "河海大学水利水电学院"),
            [("1996.09", "2000.07", "扬州大学水利水电工程专业学习"), ("2000.08", "2004.03", "江州市水利局科员"),
             ("2004.03", "2006.03", "江州市西山县水利局副局长（挂职）"), ("2006.03", "2011.04", "江州市水利局工程科副科长、科长"),
             ("2011.04", "2020.07", "江州市水利局河湖管理科科长"), ("2020.07", "", "江州市水利局副局长")],
            _family(("妻", "顾红|1980-06", "中共党员", "江州市水文局科长"), ("儿子", "马振宇|2005-04", "共青团员", "河海大学学生"),
                    ("父亲", "马志成|1949-11", "中共党员", "江苏省南通市退休干部"), ("母亲", "曹美兰|1951-03", "群众", "江苏省南通市退休职工"))
            + KIN_OF_MA_JUN,
            _grades("称职", "称职", "称职"), "2025年9月因河道整治项目推进不力被诫勉（已期满）。", professional_title="高级工程师",
            specialty="水利工程管理", proposed_post="江州市水利局局长"),
]

# 处分、问责、组织处理、诫勉 of the demo (the register computes each 影响期 from its kind):
# active on the demo's dates (吴敏, 黄磊), expired (郑华), without period (刘洋).
SANCTIONS: dict[str, list[dict[str, str]]] = {
    "吴敏": [{"kind": "诫勉", "decided_on": "2026-07-15", "decided_by": "中共江州市纪律检查委员会",
             "reason": "校外培训专项治理工作不实、推进不力", "document_no": "江纪诫〔2026〕12号"}],
    "黄磊": [{"kind": "政务警告", "decided_on": "2026-06-10", "decided_by": "江州市东湖区监察委员会",
             "reason": "信访事项处置不力，造成不良影响", "document_no": "东监处〔2026〕3号"}],
    "郑华": [{"kind": "党纪警告", "decided_on": "2023-05-10", "decided_by": "中共江州市纪律检查委员会",
             "reason": "违规接受管理服务对象宴请", "document_no": "江纪处〔2023〕21号"}],
    "刘洋": [{"kind": "问责通报", "decided_on": "2025-11-03", "decided_by": "中共江州市委",
             "reason": "交通工程质量监管不到位", "document_no": "江委问〔2025〕5号"}],
}


def photo(name: str) -> bytes:
    """A small generated ID-style photo (JPEG, 3:4): a silhouette on a light background, colours from the name."""
    from PIL import Image
    from PIL import ImageDraw

    seed = hashlib.sha256(name.encode()).digest()
    image = Image.new("RGB", (120, 160), (200 + seed[0] % 40, 215 + seed[1] % 30, 235 + seed[2] % 20))
    draw = ImageDraw.Draw(image)
    suit = (40 + seed[3] % 60, 45 + seed[4] % 50, 60 + seed[5] % 60)
    skin = (225 + seed[6] % 20, 190 + seed[7] % 25, 160 + seed[8] % 25)
    draw.ellipse((22, 112, 98, 200), fill=suit)
    draw.rectangle((52, 96, 68, 118), fill=skin)
    draw.ellipse((38, 36, 82, 100), fill=skin)
    draw.chord((34, 28, 86, 76), 180, 360, fill=(30 + seed[9] % 30,) * 3)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def enrich(engine: Any, actor: Any, ids: dict[str, int]) -> int:
    """Give each demo person a photo and their sanctions, once (idempotent); returns how many records it added."""
    added = 0
    for name, pid in ids.items():
        person = engine.people.get(pid)
        if person.photo_id is None:
            engine.people.set_photo(pid, photo(name), actor)
            added += 1
        if SANCTIONS.get(name) and not engine.people.sanctions(pid):
            for sanction in SANCTIONS[name]:
                engine.people.add_sanction(pid, sanction, actor)
                added += 1
    return added
