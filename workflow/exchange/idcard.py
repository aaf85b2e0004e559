"""公民身份号码 (GB 11643-1999): the check character, the birth date and the sex it encodes.

An 18-character number is 6 address digits, 8 birth-date digits (YYYYMMDD), 3
sequence digits (odd for men, even for women) and a check character computed
with ISO 7064 MOD 11-2: weights 2^(17-i) mod 11, the remainder indexing
``10X98765432``. Old 15-digit numbers are refused (the form asks for 18).

    >>> parse_id_number("11010519491231002X").birth_date
    datetime.date(1949, 12, 31)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"\d{17}[\dX]")


class InvalidIdNumber(ValueError):
    """The text is not a valid 公民身份号码; the message (Chinese) says why."""


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: date
    gender: str

    @property
    def birth_text(self) -> str:
        return f"{self.birth_date.year}年{self.birth_date.month:02d}月{self.birth_date.day:02d}日"


def check_char(first17: str) -> str:
    """The check character of the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("check_char needs exactly 17 digits")
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def parse_id_number(text: str) -> IdNumber:
    """The number with its birth date and sex; ``InvalidIdNumber`` with a Chinese message otherwise."""
    number = text.strip().upper() if isinstance(text, str) else ""
    if len(number) == 15 and number.isdigit():
        raise InvalidIdNumber("应为18位的公民身份号码（15位的旧号码请换成18位）")
    if len(number) != 18 or not _SHAPE.fullmatch(number):
        raise InvalidIdNumber(f"应为18位：前17位是数字，最后一位是数字或X，实为“{text.strip()}”")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber(f"第7至14位的出生日期{number[6:14]}不是有效的日期") from None
    if born.year < 1900:
        raise InvalidIdNumber(f"第7至14位的出生日期{number[6:14]}早于1900年")
    expected = check_char(number[:17])
    if number[17] != expected:
        raise InvalidIdNumber(f"校验位不符：按前17位计算应为“{expected}”，实为“{number[17]}”")
    return IdNumber(number=number, birth_date=born, gender="男" if int(number[16]) % 2 else "女")


def birth_mismatch(id_number: IdNumber, birth: date, *, month_only: bool) -> str | None:
    """Why the ID's birth date disagrees with 出生年月 (compared to the month when the form holds only a month)."""
    theirs = id_number.birth_date
    same = (theirs.year, theirs.month) == (birth.year, birth.month) if month_only else theirs == birth
    if same:
        return None
    shown = f"{birth.year}.{birth.month:02d}" if month_only else birth.isoformat()
    return f"其中的出生日期（{id_number.birth_text}）与出生年月（{shown}）不符"


def gender_mismatch(id_number: IdNumber, gender: str) -> str | None:
    """Why the ID's sex digit disagrees with 性别 (None when they agree or 性别 is not 男/女)."""
    if gender not in ("男", "女") or gender == id_number.gender:
        return None
    return f"第17位表示性别为{id_number.gender}，与性别“{gender}”不符"
