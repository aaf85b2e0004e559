"""The formatting filters of official documents, each on its own."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime

import pytest

from documents import filters


def test_cn_date_has_no_leading_zeros_and_reads_every_date_form() -> None:
    assert filters.cn_date(date(2026, 11, 5)) == "2026年11月5日"
    assert filters.cn_date("2026-03-05") == "2026年3月5日"
    assert filters.cn_date(datetime(2026, 11, 24, 17, 0, tzinfo=UTC)) == "2026年11月25日"  # Beijing time
    assert filters.cn_date(None) == filters.EMPTY_DATE
    assert filters.cn_date("", blank="") == ""


def test_months_and_ages() -> None:
    assert filters.dot_month("1978-03-15") == "1978.03"
    assert filters.cn_month("2026-11") == "2026年11月"
    assert filters.age("1978-03-15", date(2026, 3, 14)) == 47
    assert filters.age("1978-03-15", date(2026, 3, 15)) == 48
    assert filters.birth_with_age("1978-03-15", date(2026, 11, 25)) == "1978.03（48岁）"
    with pytest.raises(ValueError):
        filters.age(None, date(2026, 1, 1))


def test_resume_lines() -> None:
    assert filters.resume_line({"start": "2004-07", "end": "2008-09", "text": "某县某局科员"}) == \
        "2004.07--2008.09  某县某局科员"
    assert filters.resume_line({"start": "2018-01", "end": "", "text": "处长"}).startswith("2018.01--  ")
    assert filters.period_of({"start": "2018-01", "end": ""}) == "2018.01--"


def test_numbers_ratios_and_small_helpers() -> None:
    assert [filters.cn_number(n) for n in (0, 3, 10, 12, 21, 99)] == ["零", "三", "十", "十二", "二十一", "九十九"]
    assert filters.cn_ordinal(3) == "第三"
    assert filters.percent(41, 57) == "71.9%"
    assert filters.percent(1, 0) == "—"
    assert filters.yes_no(True) == "是" and filters.yes_no(False) == "否"
    assert filters.mask_id("330203197803150016") == "330203********0016"
    assert filters.join_cn(["甲", "乙"]) == "甲、乙"
    assert filters.cn_datetime(datetime(2026, 11, 25, 2, 0, tzinfo=UTC)) == "2026年11月25日 10:00:00"
    assert filters.b64("图") == "5Zu+"


def test_month_texts_as_people_write_them() -> None:
    assert filters.dot_month("2001.09") == "2001.09"
    assert filters.dot_month("2001.9") == "2001.09"
    assert filters.dot_month("2001年9月") == "2001.09"
    assert filters.dot_month("至今") == "至今"
    assert filters.cn_date("2001-09") == "2001年9月1日"
    assert filters.period_of({"start": "2001.09", "end": "2005.07"}) == "2001.09--2005.07"
    with pytest.raises(ValueError):
        filters.age("不详", date(2026, 1, 1))
