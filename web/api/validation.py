"""Reading request bodies and query strings, and checking them against JSON Schemas.

The request envelopes are JSON Schema dicts (``schemas.py``); the same dicts go
into the OpenAPI document, so what is documented is what is enforced. This module
implements the small subset of JSON Schema those dicts use and refuses any other
keyword, so a schema can never promise a check that is not made.

Wrong JSON types are 400 ``bad_request``; a missing, unknown or out-of-range key is
422 ``validation_failed`` with a Chinese message per key. Bodies are strict UTF-8
JSON: NaN, Infinity, NUL characters and lone surrogates are refused (the databases
cannot store them), as is nesting deeper than ``MAX_DEPTH``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask import request

from ..params import parse_int
from .errors import ApiError

MAX_JSON_BODY = 2 * 1024 * 1024
MAX_DEPTH = 32
SUPPORTED = frozenset({
    "type", "properties", "required", "additionalProperties", "minLength", "maxLength", "minimum",
    "maximum", "items", "minItems", "maxItems", "enum", "title", "description", "examples", "format",
})
TYPE_NAMES = {"string": "文本", "integer": "整数", "number": "数字", "boolean": "true 或 false",
              "object": "对象", "array": "列表", "null": "null"}


def _is(value: Any, type_: str) -> bool:
    if type_ == "string":
        return isinstance(value, str)
    if type_ == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_ == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if type_ == "boolean":
        return isinstance(value, bool)
    if type_ == "object":
        return isinstance(value, dict)
    if type_ == "array":
        return isinstance(value, list)
    if type_ == "null":
        return value is None
    raise ValueError(f"unsupported JSON Schema type {type_!r}")


def assert_supported(schema: Mapping[str, Any]) -> None:
    """Raise ValueError if ``schema`` uses a keyword this validator does not enforce."""
    unknown = set(schema) - SUPPORTED
    if unknown:
        raise ValueError(f"unsupported JSON Schema keywords {sorted(unknown)}")
    for sub in (schema.get("properties") or {}).values():
        assert_supported(sub)
    if isinstance(schema.get("items"), Mapping):
        assert_supported(schema["items"])


def _type_error(schema: Mapping[str, Any], value: Any, path: str) -> str | None:
    types = schema.get("type")
    if types is None:
        return None
    types = [types] if isinstance(types, str) else list(types)
    if any(_is(value, t) for t in types):
        return None
    wanted = "或".join(TYPE_NAMES[t] for t in types)
    return f"请求体格式有误：{path or '请求体'} 应为{wanted}"


def _constraint(schema: Mapping[str, Any], value: Any) -> str | None:
    """The first constraint ``value`` breaks (its type already checked), in Chinese."""
    if "enum" in schema and value not in schema["enum"]:
        return "不在可选范围内（可选：" + "、".join(map(str, schema["enum"])) + "）"
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            return "此项为必填项" if schema["minLength"] == 1 else f"不得少于{schema['minLength']}个字"
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            return f"不得超过{schema['maxLength']}个字（现有{len(value)}个）"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            return f"不得小于{schema['minimum']}"
        if "maximum" in schema and value > schema["maximum"]:
            return f"不得大于{schema['maximum']}"
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            return f"至少{schema['minItems']}项"
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            return f"至多{schema['maxItems']}项"
    return None


def check(schema: Mapping[str, Any], value: Any) -> None:
    """Check a request body against an envelope schema; raise ApiError (400 or 422)."""
    problem = _type_error(schema, value, "")
    if problem:
        raise ApiError("bad_request", problem)
    if not isinstance(value, dict):
        return
    props: Mapping[str, Any] = schema.get("properties") or {}
    for key, sub in props.items():
        if key in value:
            problem = _type_error(sub, value[key], key)
            if problem:
                raise ApiError("bad_request", problem)
            items = sub.get("items")
            if isinstance(items, Mapping) and isinstance(value[key], list):
                for i, item in enumerate(value[key]):
                    problem = _type_error(items, item, f"{key}[{i}]")
                    if problem:
                        raise ApiError("bad_request", problem)
    fields: dict[str, str] = {}
    for key in value:
        if key not in props and schema.get("additionalProperties") is False:
            fields[str(key)] = f"没有“{key}”这一项（可用：{'、'.join(props)}）"
    for key in schema.get("required") or ():
        if key not in value or value[key] is None:
            fields[key] = f"{props.get(key, {}).get('title', key)}：此项为必填项"
    for key, sub in props.items():
        if key in fields or value.get(key) is None:
            continue
        problem = _constraint(sub, value[key])
        if problem:
            fields[key] = f"{sub.get('title', key)}：{problem}"
    if fields:
        raise ApiError("validation_failed", "提交的内容有误，请按提示修改", fields)


# --- reading the request ------------------------------------------------------------------------

def _reject_constant(name: str) -> Any:
    raise ValueError(f"JSON 中不允许 {name}")


def _finite_float(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError("数字超出范围")
    return number


def _clean(value: Any) -> None:
    """Refuse strings the databases cannot hold, and nesting deeper than MAX_DEPTH."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ApiError("bad_request", f"请求体格式有误：嵌套超过{MAX_DEPTH}层")
        if isinstance(item, str):
            _clean_text(item)
        elif isinstance(item, dict):
            for k, v in item.items():
                _clean_text(k)
                stack.append((v, depth + 1))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


def _clean_text(text: str) -> None:
    if "\x00" in text:
        raise ApiError("bad_request", "请求体格式有误：文本中不能含有空字符 \\u0000")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ApiError("bad_request", "请求体格式有误：文本中含有无效的 Unicode 代理字符") from None


def clean_text(text: str) -> str:
    """A query or path text, refused (400) if the databases could not hold it."""
    _clean_text(text)
    return text


def json_body(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The request's JSON body, checked against ``schema`` (an object schema)."""
    if request.mimetype != "application/json" and not request.mimetype.endswith("+json"):
        raise ApiError("bad_request", "请求体应为 JSON，Content-Type 须为 application/json")
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ApiError("bad_request", "请求体须为 UTF-8 编码的 JSON")
    if request.content_length is not None and request.content_length > MAX_JSON_BODY:
        raise ApiError("too_large", "JSON 请求体不得超过2 MiB")
    raw = request.get_data(cache=True)
    if len(raw) > MAX_JSON_BODY:
        raise ApiError("too_large", "JSON 请求体不得超过2 MiB")
    try:
        text = raw.decode("utf-8-sig")
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        if isinstance(exc, json.JSONDecodeError):
            reason = f"第{exc.lineno}行第{exc.colno}列：{exc.msg}"
        elif isinstance(exc, RecursionError):
            reason = "嵌套过深"
        elif isinstance(exc, UnicodeDecodeError):
            reason = "不是 UTF-8 编码"
        else:
            reason = str(exc)
        raise ApiError("bad_request", f"请求体不是有效的 JSON（{reason}）") from None
    _clean(value)
    check(schema, value)
    return value  # type: ignore[no-any-return]


def query_int(name: str, default: int, low: int, high: int, label: str) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    value, _ = parse_int(raw, low, high, label)
    if value is None:
        raise ApiError("bad_request", f"{label} {name} 应为{low}至{high}的整数")
    return value


def query_text(name: str, max_length: int = 200) -> str | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if len(raw) > max_length:
        raise ApiError("bad_request", f"查询参数 {name} 不得超过{max_length}个字")
    return clean_text(raw)


def query_bool(name: str, label: str) -> bool | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if raw.lower() in ("true", "1"):
        return True
    if raw.lower() in ("false", "0"):
        return False
    raise ApiError("bad_request", f"{label} {name} 只能是 true 或 false")
