"""Legacy .lrm: the GB18030 quoted record with its .pic photo."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from workflow.exchange.lrm import FIELDS
from workflow.exchange.lrm import parse_lrm
from workflow.exchange.record import Problem

SAMPLES = Path(__file__).parent / "samples"
LI = {
    "name": "李红", "gender": "女", "birth_date": "1982-09-01", "ethnicity": "回族", "native_place": "江苏扬州",
    "party_join_date": "2005-06-01", "health": "健康", "birthplace": "江苏扬州", "work_start_date": "2004-07-01",
    "edu_fulltime_level": "大学", "edu_fulltime_degree": "文学学士",
    "edu_fulltime_school": "南京师范大学文学院汉语言文学专业",
    "edu_inservice_level": "研究生", "edu_inservice_school": "中央党校经济管理专业", "specialty": "文字综合",
    "resume": [{"start": "2000.09", "end": "2004.07", "text": "南京师范大学文学院汉语言文学专业学习"},
               {"start": "2004.07", "end": "2012.03", "text": "江州市委办公室科员、副主任科员"},
               {"start": "2012.03", "end": "", "text": "江州市委办公室综合科科长"}],
    "rewards_punishments": "无",
    "annual_assessments": [{"year": 2023, "grade": "优秀"}, {"year": 2024, "grade": "称职"}],
    "family": [{"relation": "丈夫", "name": "周凯", "birth_date": "1981.05", "political_status": "中共党员",
                "work": "江州市自然资源和规划局科长"},
               {"relation": "儿子", "name": "周一鸣", "birth_date": "2010.06", "political_status": "群众",
                "work": "江州市育才小学学生"}],
    "current_post": "江州市委办公室综合科科长", "proposed_post": "江州市委办公室副主任",
    "appointment_reason": "工作需要",
}


def _record(values: list[str]) -> bytes:
    return (",".join(f'"{v}"' for v in values) + "\r\n").encode("gb18030")


def test_the_field_table_is_one_position_per_field() -> None:
    assert [i for i, _, _ in FIELDS] == list(range(33))


def test_golden_legacy_sample_with_photo() -> None:
    data = (SAMPLES / "李红.lrm").read_bytes()
    photo = (SAMPLES / "李红.pic").read_bytes()
    assert data.decode("gb18030").startswith('"李红","女","1982.09"')
    parsed = parse_lrm(data, photo, "李红.lrm")
    assert parsed.problems == []
    assert parsed.person == LI
    assert parsed.photo == photo
    assert (parsed.reporting_unit, parsed.age_on, parsed.filled_by, parsed.filled_on) == (
        "中共江州市委组织部", date(2026, 11, 25), "陈干事", date(2026, 11, 20))


def test_problems_in_a_legacy_record() -> None:
    values = ["王五", "男", "1975年3月", "汉族", "", "200108；民建", "", "", "1997.7"] + [""] * 24
    values[20:25] = ["妻子@女儿", "赵六@王七", "1976.01@2001", "", ""]
    parsed = parse_lrm(_record(values), b"GIF89a", "王五.lrm")
    assert parsed.problems == [
        Problem("birth_date", "出生年月：应为6位或8位数字的年月（如197503），实为“1975年3月”"),
        Problem("work_start_date", "参加工作时间：应为6位或8位数字的年月（如197503），实为“1997.7”"),
        Problem("family", "家庭主要成员及重要社会关系：第2项的出生年月应为6位或8位数字的年月（如197503），实为“2001”"),
        Problem("photo", "照片：应为JPEG（或PNG）图片"),
    ]
    assert parsed.person["party_join_date"] == "2001-08-01" and parsed.person["political_status"] == "民建会员"
    assert parsed.photo is None


def test_not_an_lrm_record() -> None:
    cases = {
        b"<Person/>": "文件：不是LRM格式：应为一条以英文双引号括起、逗号分隔的记录",
        _record(["张三", "男"]): "文件：LRM记录应有32至33个字段，实为2个",
        b'"\xff\xff\xff","x"': "文件：无法按GB2312/GBK（或UTF-8）编码读取",
    }
    for data, message in cases.items():
        assert [p.message for p in parse_lrm(data, None).problems] == [message]


def test_utf8_legacy_file_and_missing_last_field() -> None:
    values = ["张三", "男", "197001", "汉族"] + [""] * 28
    parsed = parse_lrm(",".join(f'"{v}"' for v in values).encode("utf-8"), None)
    assert parsed.problems == []
    assert parsed.person == {"name": "张三", "gender": "男", "birth_date": "1970-01-01", "ethnicity": "汉族"}
    assert parsed.filled_on is None
