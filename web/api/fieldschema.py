"""JSON Schema for the ``data`` of each start and event, generated from the definitions.

A definition's fields (``FieldDef``, the type vocabulary of api.md) are the one
description of what an event takes: the engine validates with them (fields.py) and
this module turns them into the schemas the OpenAPI document publishes, one per
(definition, event). The schemas describe the canonical JSON forms; the engine also
accepts a few lenient spellings (numbers as text, "是/否") that need no advertising.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from workflow.definition.schema import FieldDef
from workflow.definition.schema import ProcessDefinition
from workflow.extensions.actions_common import required_for
from workflow.fields import DEFAULT_MAX
from workflow.people import GRADES
from workflow.people import LISTS
from workflow.people import PERSON_FIELDS

from .schemas import MAX_ID
from .schemas import Schema


def _value_schema(f: FieldDef) -> Schema:
    t = f.type
    if t in ("text", "textarea"):
        s: Schema = {"type": "string", "maxLength": f.max_length or DEFAULT_MAX[t]}
        if f.min_length:
            s["minLength"] = f.min_length
        return s
    if t in ("integer", "number"):
        s = {"type": t}
        if f.min is not None:
            s["minimum"] = int(f.min) if t == "integer" and float(f.min).is_integer() else f.min
        if f.max is not None:
            s["maximum"] = int(f.max) if t == "integer" and float(f.max).is_integer() else f.max
        return s
    if t == "date":
        return {"type": "string", "format": "date", "description": "YYYY-MM-DD"}
    if t == "datetime":
        return {"type": "string", "format": "date-time", "description": "ISO 8601，须带时区"}
    if t == "boolean":
        return {"type": "boolean"}
    if t == "choice":
        return {"type": "string", "enum": [c.value for c in f.choices]}
    if t == "multichoice":
        return {"type": "array", "items": {"type": "string", "enum": [c.value for c in f.choices]},
                "uniqueItems": True}
    if t == "person":
        return {"type": "integer", "minimum": 1, "maximum": MAX_ID, "description": "人员编号"}
    if t == "file":
        one = {"type": "integer", "minimum": 1, "maximum": MAX_ID, "description": "本案件的附件编号"}
        return {"type": "array", "items": one} if f.multiple else one
    if t == "user":
        name: Schema = {"type": "string", "minLength": 1, "maxLength": 64, "description": "用户名"}
        if f.multiple:
            s = {"type": "array", "items": name, "uniqueItems": True}
            if f.min_items:
                s["minItems"] = f.min_items
            return s
        return name
    if t == "table":
        row: Schema = {"type": "object", "properties": {c.name: field_schema(c) for c in f.columns},
                       "additionalProperties": False}
        needed = [c.name for c in f.columns if c.required and c.type != "boolean"]
        if needed:
            row["required"] = needed
        s = {"type": "array", "items": row, "maxItems": f.row_limit}
        if f.min_items or f.required:
            s["minItems"] = max(f.min_items or 0, 1 if f.required else 0)
        return s
    return {}


def field_schema(f: FieldDef) -> Schema:
    s = _value_schema(f)
    s["title"] = f.label
    notes = [f.help] if f.help else []
    if f.role:
        notes.append(f"须具有角色 {f.role}")
    if f.not_future:
        notes.append("不得晚于今天")
    if f.required_if:
        other, values = f.required_if
        notes.append(f"当 {other} 为 {'、'.join(map(str, values))} 时必填")
    if notes:
        s["description"] = "；".join(n for n in [s.get("description", ""), *notes] if n)
    return s


def data_schema(fields: Iterable[FieldDef], title: str) -> Schema:
    fields = list(fields)
    s: Schema = {
        "type": "object", "title": title,
        "properties": {f.name: field_schema(f) for f in fields},
        "additionalProperties": False,
    }
    required = [f.name for f in fields if f.required and f.type != "boolean"]
    if required:
        s["required"] = required
    return s


def schema_name(d: ProcessDefinition, event: str | None) -> str:
    """Component name of a data schema: ``<key>.v<version>.<event>`` (``start`` for opening)."""
    return f"{d.key}.v{d.version}.{event or 'start'}"


def definition_components(definitions: Iterable[ProcessDefinition]) -> dict[str, Schema]:
    """A data schema per (definition version, start or event); one per trigger name."""
    out: dict[str, Schema] = {}
    for d in definitions:
        start = data_schema(d.start.fields, f"{d.title}：发起")
        for name, roles in required_for(d.start).items():
            prop = start["properties"].get(name)
            if prop is not None and roles:
                prop["x-required-for"] = roles
                prop["description"] = "；".join(
                    n for n in [prop.get("description", ""), f"以 {'、'.join(roles)} 角色发起时必填"] if n)
        out[schema_name(d, None)] = start
        for trigger in dict.fromkeys(t.trigger for t in d.transitions):
            variants = {t.fields: t for t in d.transitions_named(trigger)}
            schemas = [data_schema(t.fields, f"{d.title}：{t.label}") for t in variants.values()]
            # The same trigger from different states may take different fields.
            out[schema_name(d, trigger)] = schemas[0] if len(schemas) == 1 else {
                "anyOf": schemas, "title": schemas[0]["title"]}
    return out


def person_input_schema() -> Schema:
    """POST /people: every scalar fact of PERSON_FIELDS and the lists (resume, family, assessments)."""
    s = data_schema(PERSON_FIELDS, "人员信息")
    for key, (label, columns) in LISTS.items():
        item: Schema = {"type": "object", "properties": {}, "additionalProperties": False}
        for col, col_label in columns.items():
            item["properties"][col] = ({"type": "integer", "title": col_label} if col == "year"
                                       else {"type": "string", "maxLength": 200, "title": col_label})
        if key == "annual_assessments":
            item["properties"]["grade"]["enum"] = list(GRADES)
            item["required"] = ["year", "grade"]
        s["properties"][key] = {"type": "array", "title": label, "maxItems": 100, "items": item}
    return s


def api_field(f: FieldDef) -> dict[str, Any]:
    """FIELD of api.md."""
    return f.to_api()
