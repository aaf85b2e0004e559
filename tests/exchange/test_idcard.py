"""GB 11643-1999: the check character, the birth date and the sex digit of a 公民身份号码."""

from __future__ import annotations

from datetime import date

import pytest

from workflow.exchange.idcard import InvalidIdNumber
from workflow.exchange.idcard import birth_mismatch
from workflow.exchange.idcard import check_char
from workflow.exchange.idcard import gender_mismatch
from workflow.exchange.idcard import parse_id_number


def test_a_published_example_number_is_valid() -> None:
    number = parse_id_number("11010519491231002x")
    assert number.number == "11010519491231002X"
    assert number.birth_date == date(1949, 12, 31) and number.gender == "女"
    assert check_char("32010219780512003") == "X" and check_char("32010519820916004") == "7"


@pytest.mark.parametrize(("text", "message"), [
    ("320102197503010016", "校验位不符：按前17位计算应为“1”，实为“6”"),
    ("320102197502300011", "第7至14位的出生日期19750230不是有效的日期"),
    ("32010219750301001", "应为18位：前17位是数字，最后一位是数字或X，实为“32010219750301001”"),
    ("320102750301001", "应为18位的公民身份号码（15位的旧号码请换成18位）"),
    ("32010218750301001X", "第7至14位的出生日期18750301早于1900年"),
])
def test_invalid_numbers_say_why(text: str, message: str) -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(text)
    assert str(caught.value) == message


def test_birth_and_sex_cross_checks() -> None:
    number = parse_id_number("32010219780512003X")
    assert birth_mismatch(number, date(1978, 5, 1), month_only=True) is None
    assert birth_mismatch(number, date(1978, 5, 1), month_only=False) == (
        "其中的出生日期（1978年05月12日）与出生年月（1978-05-01）不符")
    assert birth_mismatch(number, date(1978, 6, 1), month_only=True) == (
        "其中的出生日期（1978年05月12日）与出生年月（1978.06）不符")
    assert gender_mismatch(number, "男") is None
    assert gender_mismatch(number, "女") == "第17位表示性别为男，与性别“女”不符"
