"""The password rule, and hashing (werkzeug's scrypt), for the pages and the CLI alike.

A password has at least ``MIN_LENGTH`` (10) characters and is refused when zxcvbn finds
it in its common-password list (the passwords of public leaks, with l33t and reversed
variants), or rates it too guessable (score below 3: a name and a year, a keyboard walk,
repeats), or it contains the user name. zxcvbn works offline: nothing leaves the machine.
"""

from __future__ import annotations

from typing import Any

from werkzeug.security import generate_password_hash
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 200
ZXCVBN_MAX = 72  # zxcvbn refuses longer input; the first 72 characters decide
MIN_SCORE = 3


def password_problem(password: str, username: str = "", label: str = "新密码") -> str:
    """Why ``password`` is not acceptable, in Chinese naming the field and the rule; "" when it is."""
    if len(password) < MIN_LENGTH:
        return f"{label}：至少{MIN_LENGTH}位（现为{len(password)}位）"
    if len(password) > MAX_LENGTH:
        return f"{label}：不得超过{MAX_LENGTH}位"
    if not password.strip():
        return f"{label}：不能全是空格"
    if username and username.lower() in password.lower():
        return f"{label}：不能包含用户名"
    result: dict[str, Any] = zxcvbn(password[:ZXCVBN_MAX], user_inputs=[username] if username else [])
    whole = [m for m in result["sequence"] if m.get("pattern") == "dictionary"
             and m.get("dictionary_name") == "passwords" and m["i"] == 0 and m["j"] >= len(password[:ZXCVBN_MAX]) - 1]
    if whole:
        return f"{label}：属于常见密码，容易被猜中，请另选一个"
    if int(result["score"]) < MIN_SCORE:
        return f"{label}：过于简单，容易被猜中（如常见单词、姓名加年份、键盘顺序或重复字符），请加长或混合使用"
    return ""


def hash_password(password: str) -> str:
    return generate_password_hash(password)
