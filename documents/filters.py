"""Formatting helpers for official documents, registered as Jinja2 filters.

Every formatting rule a form needs lives here (Chinese dates, ages, résumé lines,
ratios, numbers in Chinese), so templates only call filters and never format
anything themselves. Each function is pure and unit-tested on its own.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from collections.abc import Mapping
from datetime import date
from datetime import datetime
from typing import Any

from workflow.clock import SHANGHAI

DIGITS = "〇一二三四五六七八九"
EMPTY_DATE = "    年  月  日"


_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?\s*(?:[-./]?\s*(\d{1,2})\s*日?)?\s*$")


def _as_date(value: Any) -> date | None:
    """A date from a date, a datetime (in Beijing time) or a text; None when blank.

    Texts may be ISO (``2026-11-25``) or month-level as people write them on forms
    (``2001-09``, ``2001.09``, ``2001年9月``; the day is then the 1st).

    Raises:
        ValueError: a text that is not a date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment: datetime = value.astimezone(SHANGHAI) if value.tzinfo is not None else value
        return moment.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        m = _DATE_TEXT.match(value)
        if m is None:
            raise ValueError(f"not a date: {value!r}")
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    raise TypeError(f"not a date: {value!r}")


def _try_date(value: Any) -> tuple[date | None, str]:
    """(the date, or None with the text itself when it is not a date)."""
    try:
        return _as_date(value), ""
    except ValueError:
        return None, str(value).strip()


def cn_date(value: Any, blank: str = EMPTY_DATE) -> str:
    """2026-11-25 -> 2026年11月25日 (GB/T 9704 成文日期: no leading zeros). Blank -> a fill-in line;
    a text that is not a date is printed as it is."""
    d, raw = _try_date(value)
    if d is None:
        return raw or blank
    return f"{d.year}年{d.month}月{d.day}日"


def cn_month(value: Any, blank: str = "") -> str:
    """2026-11-25 -> 2026年11月."""
    d, raw = _try_date(value)
    return (raw or blank) if d is None else f"{d.year}年{d.month}月"


def dot_month(value: Any, blank: str = "") -> str:
    """1975-03-08 (or 1975-03, 1975.3, 1975年3月) -> 1975.03, the 年月 notation of the 干部任免审批表.

    A text that is not a date (至今) is printed as it is."""
    d, raw = _try_date(value)
    return (raw or blank) if d is None else f"{d.year}.{d.month:02d}"


def cn_datetime(value: datetime) -> str:
    """An instant in Beijing time: 2026-11-25 10:00:00 -> 2026年11月25日 10:00:00."""
    local = value.astimezone(SHANGHAI)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M:%S}"


def iso_local(value: datetime) -> str:
    """An instant as ISO text in Beijing time with its offset: 2026-11-25 10:00:00+08:00."""
    return value.astimezone(SHANGHAI).isoformat(sep=" ", timespec="seconds")


def age(birth: Any, on: Any) -> int:
    """Full years of age on a day (the 计算年龄时间 of the form)."""
    b = _as_date(birth)
    d = _as_date(on)
    if b is None or d is None:
        raise ValueError("age needs a birth date and a reference date")
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day))


def birth_with_age(birth: Any, on: Any) -> str:
    """出生年月（岁）: 1975.03（51岁）."""
    return f"{dot_month(birth)}（{age(birth, on)}岁）"


def resume_line(item: Mapping[str, Any]) -> str:
    """One 简历 line: 起止年月 then 单位及职务; an open period ends with a dash only.

    ``{"start": "2004-07", "end": "2008-09", "text": "某县某局科员"}`` ->
    ``2004.07--2008.09  某县某局科员``.
    """
    start = dot_month(item.get("start"))
    end = dot_month(item.get("end"))
    period = f"{start}--{end}" if end else f"{start}--"
    return f"{period:<16}  {item.get('text', '')}"


def period_of(item: Mapping[str, Any]) -> str:
    """The 起止年月 part of a résumé line (for a two-column layout)."""
    start = dot_month(item.get("start"))
    end = dot_month(item.get("end"))
    return f"{start}--{end}" if end else f"{start}--"


def cn_number(n: int) -> str:
    """Small integers in Chinese: 3 -> 三, 12 -> 十二, 21 -> 二十一 (0..99)."""
    if not 0 <= n < 100:
        return str(n)
    if n < 10:
        return "零" if n == 0 else DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else DIGITS[tens]
    return f"{head}十{DIGITS[ones] if ones else ''}"


def cn_ordinal(n: int) -> str:
    """第N: 3 -> 第三."""
    return f"第{cn_number(n)}"


def percent(part: Any, whole: Any, digits: int = 1) -> str:
    """part / whole as a percentage text; a dash when whole is zero."""
    try:
        p, w = float(part), float(whole)
    except (TypeError, ValueError):
        return "—"
    if w == 0:
        return "—"
    return f"{100 * p / w:.{digits}f}%"


def yes_no(value: Any) -> str:
    """A boolean as 是/否."""
    return "是" if value else "否"


def short_hash(value: str, n: int = 16) -> str:
    """The first n hex digits of a hash, for running headers."""
    return value[:n]


def mask_id(value: str) -> str:
    """A 公民身份号码 with the birth date and sequence hidden: 110101********123X."""
    if not value or len(value) < 10:
        return value
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def join_cn(values: Any, sep: str = "、") -> str:
    """A list as Chinese enumerated text; a scalar as itself."""
    if values is None:
        return ""
    if isinstance(values, list | tuple):
        return sep.join(str(v) for v in values)
    return str(values)


def b64(text: str) -> str:
    """UTF-8 text as base64, for data: URLs (an SVG diagram in an <img>)."""
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


FILTERS: dict[str, Callable[..., Any]] = {
    "cn_date": cn_date,
    "cn_month": cn_month,
    "dot_month": dot_month,
    "cn_datetime": cn_datetime,
    "iso_local": iso_local,
    "age": age,
    "birth_with_age": birth_with_age,
    "resume_line": resume_line,
    "period_of": period_of,
    "cn_number": cn_number,
    "cn_ordinal": cn_ordinal,
    "percent": percent,
    "yes_no": yes_no,
    "b64": b64,
    "short_hash": short_hash,
    "mask_id": mask_id,
    "join_cn": join_cn,
}
