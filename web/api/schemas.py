"""The JSON Schemas of the API, written once.

Request envelopes (``CREATE_CASE``, ``FIRE_EVENT``, ``RECUSAL_INPUT``) are what
``validation.check`` enforces AND what the OpenAPI document publishes. Response
schemas describe the answers (the schemathesis run checks every answer against
them). ``fieldschema`` turns definition fields into the schemas of ``data``.
Keys are api.md's; extra keys are additions, never renames.
"""

from __future__ import annotations

from typing import Any

from workflow.definition.schema import FIELD_TYPES

from .errors import CODES

MAX_ID = 2**31 - 1
Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: list[str], props: Schema, extra: bool = True) -> Schema:
    out: Schema = {"type": "object", "required": required, "properties": props}
    if not extra:
        out["additionalProperties"] = False
    return out


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


ID: Schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
TEXT: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
BOOL: Schema = {"type": "boolean"}
DATETIME: Schema = {"type": "string", "format": "date-time"}
NULLABLE_DATETIME: Schema = {"type": ["string", "null"], "format": "date-time"}

# --- request envelopes: validated by validation.check, published as they are -------------------

CREATE_CASE: Schema = {
    "type": "object",
    "title": "发起案件",
    "properties": {
        "definition": {"type": "string", "title": "流程", "minLength": 1, "maxLength": 64,
                       "description": "流程定义的 key（GET /definitions）"},
        "title": {"type": "string", "title": "标题", "minLength": 1, "maxLength": 200},
        "subject_id": {"type": ["integer", "null"], "title": "对象", "minimum": 1, "maximum": MAX_ID,
                       "description": "所涉干部的人员编号（POST /people）；"
                                      "流程的 start.subject 为 required 时必填"},
        "data": {"type": "object", "title": "发起时填写的内容",
                 "description": "字段见 GET /definitions/{key} 的 start.fields"},
        "comment": {"type": "string", "title": "意见", "maxLength": 5000},
    },
    "required": ["definition", "title"],
    "additionalProperties": False,
}

FIRE_EVENT: Schema = {
    "type": "object",
    "title": "办理事件",
    "properties": {
        "event": {"type": "string", "title": "事件", "minLength": 1, "maxLength": 64,
                  "description": "事件名（案件的 available_events 之一）"},
        "data": {"type": "object", "title": "填写的内容",
                 "description": "字段见 GET /definitions/{key} 中该事件的 fields"},
        "comment": {"type": "string", "title": "意见", "maxLength": 5000},
        "expected_version": {"type": "integer", "title": "案件版本", "minimum": 1, "maximum": MAX_ID,
                             "description": "读取案件时的 version；已被他人处理时答 409 stale_version"},
        "cc": {"type": "array", "title": "抄送", "maxItems": 20,
               "items": {"type": "string", "minLength": 1, "maxLength": 64},
               "description": "抄送人员的用户名：只读查阅本案件，记入全程记录并通知；须为有权知悉且未回避的人员"},
    },
    "required": ["event", "expected_version"],
    "additionalProperties": False,
}

RECUSAL_INPUT: Schema = {
    "type": "object",
    "title": "登记回避",
    "properties": {
        "username": {"type": "string", "title": "回避人员", "minLength": 1, "maxLength": 64},
        "reason": {"type": "string", "title": "回避事由", "minLength": 1, "maxLength": 2000},
    },
    "required": ["username", "reason"],
    "additionalProperties": False,
}

URGE_INPUT: Schema = {
    "type": "object",
    "title": "催办",
    "properties": {
        "username": {"type": "string", "title": "被催办人（当前办理人之一）", "minLength": 1, "maxLength": 64},
        "text": {"type": "string", "title": "催办内容", "minLength": 1, "maxLength": 500},
    },
    "required": ["username", "text"],
    "additionalProperties": False,
}

SIGNER_INPUT: Schema = {
    "type": "object",
    "title": "加签",
    "properties": {
        "username": {"type": "string", "title": "加签人员", "minLength": 1, "maxLength": 64},
        "reason": {"type": "string", "title": "加签理由", "minLength": 1, "maxLength": 1000},
        "event": {"type": "string", "title": "会签事件", "minLength": 1, "maxLength": 64,
                  "description": "本环节有多项会签时须指明"},
    },
    "required": ["username", "reason"],
    "additionalProperties": False,
}

WITHDRAW_INPUT: Schema = {
    "type": "object",
    "title": "撤回上一步",
    "properties": {
        "expected_version": {"type": "integer", "title": "版本号", "minimum": 1, "maximum": 2147483647},
        "comment": {"type": "string", "title": "撤回说明", "maxLength": 2000},
    },
    "required": ["expected_version"],
    "additionalProperties": False,
}

BALLOT_INPUT: Schema = {
    "type": "object",
    "title": "发起投票",
    "properties": {
        "kind": {"type": "string", "title": "类别", "enum": ["recommendation", "evaluation", "vote"],
                 "description": "recommendation 民主推荐、evaluation 民主测评、vote 表决"},
        "title": {"type": "string", "title": "标题", "minLength": 1, "maxLength": 200},
        "voters": {"type": "integer", "title": "应到人数", "minimum": 1, "maximum": 5000,
                   "description": "生成同样数量的一次性选票码；记名表决为成员人数"},
        "items": {"type": "array", "title": "投票事项", "minItems": 1, "maxItems": 100,
                  "items": {"type": "object", "description": "{key, label, options: [文字或 {label, person_id}], "
                                                             "max_choices, person_id}；测评、表决可省略 options"}},
        "named": {"type": "boolean", "title": "记名表决", "description": "true：成员用本人账号逐一表态，不用选票码"},
        "members": {"type": "array", "title": "表决成员", "maxItems": 200, "items": {"type": "string"},
                    "description": "记名表决的成员用户名，主要负责人列最后"},
        "deadline": {"type": "string", "title": "截止时间", "format": "date-time"},
    },
    "required": ["kind", "title", "items"],
    "additionalProperties": False,
}

VOTE_INPUT: Schema = {
    "type": "object",
    "title": "投票",
    "properties": {
        "code": {"type": "string", "title": "选票码", "minLength": 1, "maxLength": 64},
        "choices": {"type": "object", "title": "所选", "description": "{事项 key: [选项...]}；未列出的事项为弃权"},
    },
    "required": ["code", "choices"],
    "additionalProperties": False,
}

NAMED_VOTE_INPUT: Schema = {
    "type": "object",
    "title": "记名表决",
    "properties": {"choices": VOTE_INPUT["properties"]["choices"]},
    "required": ["choices"],
    "additionalProperties": False,
}

# POST /people: the envelope is an object; each key is checked by the engine (people.py) and
# documented by fieldschema.person_input_schema().
PERSON_ENVELOPE: Schema = {"type": "object", "title": "人员信息"}

# --- answers ---------------------------------------------------------------------------------

ERROR: Schema = obj(["error"], {"error": obj(["code", "message"], {
    "code": {"type": "string", "enum": list(CODES)},
    "message": TEXT,
    "fields": {"type": "object", "additionalProperties": TEXT},
}, extra=False)}, extra=False)

LINK: Schema = obj(["case_id", "definition", "relation"], {
    "case_id": ID, "definition": TEXT, "relation": TEXT, "state": TEXT, "state_label": TEXT})

CASE: Schema = obj(
    ["id", "definition", "definition_version", "title", "state", "state_label", "version", "subject_id",
     "data", "created_at", "updated_at", "due_at", "overdue", "links", "available_events"],
    {
        "id": ID, "definition": TEXT, "definition_version": INT, "definition_title": TEXT, "title": TEXT,
        "state": TEXT, "state_label": TEXT, "final": BOOL, "version": INT,
        "subject_id": {"type": ["integer", "null"]}, "data": {"type": "object"},
        "created_by": TEXT, "created_at": DATETIME, "updated_at": DATETIME, "state_entered_at": DATETIME,
        "due_at": NULLABLE_DATETIME, "overdue": BOOL, "links": array(ref("Link")),
        "available_events": {**array(TEXT), "description": "调用者此刻可以办理的事件"},
        "recused": {**array(TEXT), "description": "已登记回避的用户名"},
        "holders": {**array(TEXT), "description": "此刻可以推进案件的用户名（当前办理人）"},
        "warnings": {**array(TEXT), "description": "提示（不阻止办理），如任职回避提示；列表中的案件不含"},
    })


def page_of(item: str) -> Schema:
    return obj(["items", "total", "page", "per_page"], {
        "items": array(ref(item)), "total": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": 200}})


APPROVALS_WAITING: Schema = obj(["case", "approvals"], {
    "case": ref("Case"),
    "approvals": obj(["required", "given"], {
        "required": INT, "given": INT, "approvers": array(TEXT),
        "awaited": {**array(TEXT), "description": "尚未签署的人员（签署人来自案件字段时）"}}),
})

SIGNER_ADDED: Schema = obj(["case_id", "event", "username", "approvals"], {
    "case_id": INT, "event": TEXT, "username": TEXT,
    "approvals": obj(["required", "given"], {"required": INT, "given": INT, "approvers": array(TEXT),
                                             "awaited": array(TEXT)})})

HISTORY_EVENT: Schema = obj(
    ["seq", "event", "from", "to", "actor", "role", "at", "data", "comment", "hash", "prev_hash"],
    {
        "seq": {"type": "integer", "minimum": 1}, "type": TEXT,
        "event": {"type": ["string", "null"], "description": "事件名；回避、附件等记录为 null（见 type）"},
        "from": {"type": ["string", "null"]}, "to": {"type": ["string", "null"]}, "actor": TEXT,
        "actor_name": TEXT, "role": TEXT, "at": DATETIME, "data": {"type": "object"}, "comment": TEXT,
        "hash": TEXT, "prev_hash": TEXT, "sealed": BOOL,
        "on_behalf_of": {"type": "string", "description": "委托：受托人（actor）代其办理的委托人用户名；仅代办事件"},
        "on_behalf_of_name": {"type": "string", "description": "委托人姓名"},
    })

ATTACHMENT: Schema = obj(["id", "filename", "sha256", "size"], {
    "id": ID, "filename": TEXT, "sha256": TEXT, "size": INT, "content_type": TEXT, "uploaded_by": TEXT,
    "created_at": DATETIME})

RECUSAL: Schema = obj(["username", "reason", "recorded_by", "created_at"], {
    "username": TEXT, "reason": TEXT, "recorded_by": TEXT, "created_at": DATETIME})

URGE: Schema = obj(["case_id", "username", "text", "at"], {
    "case_id": ID, "username": TEXT, "text": TEXT, "at": DATETIME})

DOCUMENT: Schema = obj(["name", "title"], {"name": TEXT, "title": TEXT})

VERIFY: Schema = obj(["ok", "cases", "events", "problems"], {
    "ok": BOOL, "cases": INT, "events": INT, "people": {**INT, "description": "核验了变更记录链的干部人数"},
    "problems": array(obj(["case_id", "seq", "problem"], {
        "case_id": {"type": ["integer", "null"]}, "seq": {"type": ["integer", "null"]}, "problem": TEXT,
        "person_id": {"type": ["integer", "null"], "description": "干部信息的问题（变更记录链、照片）"}})),
})

DEFINITION_SUMMARY: Schema = obj(["key", "version", "title"], {
    "key": TEXT, "version": INT, "title": TEXT, "description": TEXT})

FIELD: Schema = obj(["name", "label", "type", "required"], {
    "name": TEXT, "label": TEXT, "type": {"type": "string", "enum": list(FIELD_TYPES)}, "required": BOOL,
    "help": TEXT, "choices": array(obj(["value", "label"], {"value": TEXT, "label": TEXT})),
    "min": {"type": "number"}, "max": {"type": "number"}, "min_length": INT, "max_length": INT,
    "role": TEXT, "multiple": BOOL, "min_items": INT, "max_items": INT, "not_future": BOOL,
    "columns": {**array(ref("Field")), "description": "表格（table）的各列：每行一个对象，键为列名"},
    "required_if": obj(["field", "in"], {"field": TEXT, "in": {"type": "array"}}),
    "required_for": {"type": "array", "items": TEXT, "description": "以这些角色发起时必填（required 为 false 时）"},
})

STATE: Schema = obj(["name", "label", "initial", "final"], {
    "name": TEXT, "label": TEXT, "initial": BOOL, "final": BOOL,
    "deadline_working_days": {"type": ["integer", "null"]}, "deadline_days": {"type": ["integer", "null"]},
    "deadline_months": {"type": ["integer", "null"]}, "help": TEXT})

EVENT_DEF: Schema = obj(["name", "label", "from", "to", "roles", "fields", "approvals"], {
    "name": TEXT, "label": TEXT, "from": array(TEXT), "to": TEXT, "roles": array(TEXT),
    "fields": array(ref("Field")),
    "approvals": {"type": ["integer", "null"],
                  "description": "需要几人签署；null 表示由 approvals_members 字段所列的全部人员签署"},
    "approvals_members": {"type": ["string", "null"]}, "kind": TEXT, "confirm": TEXT, "help": TEXT,
    "actors": {"type": ["string", "null"], "description": "只有该字段所列人员才能办理"},
    "distinct_from": array(TEXT), "once_per_actor": BOOL, "sealed_while": array(TEXT),
    "when": {"type": "object", "additionalProperties": array(TEXT)},
})

DEFINITION: Schema = obj(["key", "version", "title", "states", "events"], {
    "key": TEXT, "version": INT, "title": TEXT, "description": TEXT,
    "start": obj(["roles", "subject", "fields"], {
        "roles": array(TEXT), "subject": {"type": "string", "enum": ["required", "optional", "none"]},
        "fields": array(ref("Field"))}),
    "states": array(ref("State")), "events": array(ref("EventDefinition")),
    "documents": array(ref("Document")),
})

PERSON: Schema = obj(["id", "name", "gender", "birth_date"], {
    "id": ID, "name": TEXT, "gender": TEXT, "birth_date": {"type": "string", "format": "date"},
    "unit": TEXT, "current_post": TEXT, "created_at": DATETIME, "updated_at": DATETIME})

ME: Schema = obj(["username", "name", "roles"], {
    "username": TEXT, "name": TEXT, "roles": {**array(TEXT), "description": "角色（按字母排序）"}})

ORG: Schema = obj(["code", "name", "parent"], {
    "code": TEXT, "name": TEXT, "parent": {"type": ["string", "null"], "description": "上级组织编码"}}, extra=False)

ACCESS: Schema = obj(["at", "username", "action", "object", "case_id", "person_id", "detail"], {
    "seq": INT, "at": DATETIME, "username": TEXT,
    "action": {"type": "string", "enum": ["view", "download", "export"]},
    "object": {"type": "string", "enum": ["case", "person", "history_pdf", "document", "attachment", "export"]},
    "case_id": {"type": ["integer", "null"]}, "person_id": {"type": ["integer", "null"]}, "detail": TEXT,
    "address": TEXT})

BALLOT_ITEM: Schema = obj(["key", "label", "options", "max_choices"], {
    "key": TEXT, "label": TEXT, "options": array(TEXT), "max_choices": INT,
    "person_id": {"type": ["integer", "null"]}})

BALLOT: Schema = obj(["id", "case_id", "kind", "title", "status", "voters", "cast"], {
    "id": ID, "case_id": ID, "kind": {"type": "string", "enum": ["recommendation", "evaluation", "vote"]},
    "kind_label": TEXT, "title": TEXT, "status": {"type": "string", "enum": ["open", "closed"]},
    "voters": INT, "cast": {"type": "integer", "minimum": 0}, "named": BOOL, "members": array(TEXT),
    "voted": {**array(TEXT), "description": "记名表决：已表决的成员"},
    "items": array(ref("BallotItem")), "deadline": NULLABLE_DATETIME, "created_by": TEXT,
    "created_at": DATETIME, "closed_at": NULLABLE_DATETIME, "box_hash": TEXT,
    "printable": {**BOOL, "description": "尚无人投票，选票码仍可打印"},
    "tally": {"type": ["object", "null"], "description": "结束后的计票结果（同 POST /ballots/{id}/close）"}})

BALLOT_CREATED: Schema = obj(["id", "codes"], {
    "id": ID, "codes": {**array(TEXT), "description": "一次性选票码，只在此时给出一次"}, "ballot": ref("Ballot")})

TALLY: Schema = obj(["voters", "cast", "valid", "void", "items", "box_hash"], {
    "voters": INT, "cast": INT, "valid": INT, "void": INT,
    "items": {"type": "object", "description": "{事项: {选项: 票数}}"}, "box_hash": TEXT,
    "turnout": {"type": "number"},
    "details": {"type": "object", "description": "各事项的有效、作废、弃权、排名和得票率"},
    "turnout_rule": {"type": "object"}, "ballot_id": ID, "kind": TEXT, "title": TEXT, "named": BOOL,
    "members": INT})

RECEIPT: Schema = obj(["receipt"], {"receipt": TEXT})

NULLABLE_TEXT: Schema = {"type": ["string", "null"]}
JOB: Schema = obj(["id", "kind", "status", "progress", "total", "message", "result_url"], {
    "id": ID, "kind": {"type": "string", "enum": ["history_pdf", "roster_xlsx"]},
    "status": {"type": "string", "enum": ["queued", "running", "done", "failed"]},
    "progress": INT, "total": INT, "message": TEXT, "result_url": NULLABLE_TEXT,
    "url": {**TEXT, "description": "轮询此任务的地址（仅 202 应答）"}})

COMPONENTS: dict[str, Schema] = {
    "Org": ORG, "AccessEntry": ACCESS, "AccessList": page_of("AccessEntry"),
    "Me": ME, "Error": ERROR, "Link": LINK, "Case": CASE, "CaseList": page_of("Case"),
    "ApprovalsWaiting": APPROVALS_WAITING, "HistoryEvent": HISTORY_EVENT, "Attachment": ATTACHMENT,
    "Recusal": RECUSAL, "Urge": URGE, "UrgeInput": URGE_INPUT,
    "SignerInput": SIGNER_INPUT, "SignerAdded": SIGNER_ADDED, "WithdrawInput": WITHDRAW_INPUT,
    "Document": DOCUMENT, "VerifyReport": VERIFY,
    "DefinitionSummary": DEFINITION_SUMMARY, "Definition": DEFINITION, "Field": FIELD, "State": STATE,
    "EventDefinition": EVENT_DEF, "Person": PERSON, "PersonList": page_of("Person"),
    "CreateCase": CREATE_CASE, "FireEvent": FIRE_EVENT, "RecusalInput": RECUSAL_INPUT,
    "BallotInput": BALLOT_INPUT, "VoteInput": VOTE_INPUT, "NamedVoteInput": NAMED_VOTE_INPUT,
    "BallotItem": BALLOT_ITEM, "Ballot": BALLOT, "BallotCreated": BALLOT_CREATED, "Tally": TALLY,
    "Receipt": RECEIPT, "Job": JOB,
}
