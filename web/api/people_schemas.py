"""The JSON Schemas of the person record's endpoints (requests validated with them, answers described).

Kept beside ``schemas`` (the case envelopes): the OpenAPI document merges ``COMPONENTS``.
"""

from __future__ import annotations

from workflow.people import GRADES
from workflow.sanctions import kinds

from .schemas import BOOL
from .schemas import DATETIME
from .schemas import ID
from .schemas import INT
from .schemas import MAX_ID
from .schemas import TEXT
from .schemas import Schema
from .schemas import array
from .schemas import obj

DATE: Schema = {"type": "string", "format": "date"}
NULLABLE_DATE: Schema = {"type": ["string", "null"], "format": "date"}
VERSION: Schema = {"type": "integer", "title": "版本", "minimum": 1, "maximum": MAX_ID,
                   "description": "读取人员信息时的 version；已被他人修改时答 409 stale_version"}

# PATCH /people/{id}: the version, then any facts of PersonInput (null or "" clears a field).
PERSON_PATCH: Schema = {"type": "object", "title": "修改人员信息", "properties": {"expected_version": VERSION},
                        "required": ["expected_version"]}

TRANSFER_INPUT: Schema = {
    "type": "object", "title": "调整干部管理权限",
    "properties": {
        "managing_org": {"type": "string", "title": "移交给（组织编码）", "minLength": 1, "maxLength": 32},
        "reason": {"type": "string", "title": "调整理由", "minLength": 1, "maxLength": 500},
        "expected_version": {"type": "integer", "minimum": 1, "maximum": 2147483647},
    },
    "required": ["managing_org", "reason"], "additionalProperties": False,
}
TRANSFERRED: Schema = {"type": "object", "required": ["id", "managing_org", "managing_org_name"], "properties": {
    "id": {"type": "integer"}, "managing_org": {"type": "string"}, "managing_org_name": {"type": "string"}}}

ASSESSMENT_INPUT: Schema = {
    "type": "object", "title": "年度考核结果",
    "properties": {
        "year": {"type": "integer", "title": "年度", "minimum": 1950, "maximum": 2200},
        "grade": {"type": "string", "title": "等次", "enum": list(GRADES)},
        "reason": {"type": "string", "title": "更正理由", "maxLength": 2000,
                   "description": "该年度已有结果时必填：更正理由记入变更记录"},
    },
    "required": ["year", "grade"], "additionalProperties": False,
}

SANCTION_INPUT: Schema = {
    "type": "object", "title": "处分、问责、组织处理、诫勉",
    "properties": {
        "kind": {"type": "string", "title": "类别", "enum": [k.kind for k in kinds()],
                 "description": "GET /sanction-kinds 所列的类别；影响期按类别计算"},
        "decided_on": {**DATE, "title": "决定日期",
                       "description": "处分批准或决定生效之日（YYYY-MM-DD），不得晚于今天"},
        "decided_by": {"type": "string", "title": "决定机关", "minLength": 1, "maxLength": 200},
        "reason": {"type": "string", "title": "事由", "minLength": 1, "maxLength": 2000},
        "document_no": {"type": "string", "title": "决定文号", "maxLength": 100},
    },
    "required": ["kind", "decided_on", "decided_by", "reason"], "additionalProperties": False,
}

PERSON: Schema = obj(["id", "version", "name", "gender", "birth_date", "managing_org"], {
    "id": ID, "version": INT, "name": TEXT, "gender": TEXT, "birth_date": DATE, "unit": TEXT,
    "current_post": TEXT, "managing_org": {**TEXT, "description": "管理组织的编码（干部管理权限）"},
    "photo": {"type": ["integer", "null"], "description": "照片编号（GET /people/{id}/photo）；参与者看不到"},
    "created_at": DATETIME, "updated_at": DATETIME,
    "kinship_warnings": {"type": "array", "items": TEXT,
                         "description": "家庭成员中称谓不在亲属关系表的各项（不据此自动回避）；参与者看不到"}})

HISTORY_ENTRY: Schema = obj(["seq", "at", "actor", "changes", "hash", "prev_hash"], {
    "seq": {"type": "integer", "minimum": 1}, "at": DATETIME, "actor": TEXT, "actor_name": TEXT,
    "kind": {**TEXT, "description": "created 登记、updated 修改、imported 导入、assessment 年度考核、"
                                    "sanction 处分记录、mark 标记、photo 照片、appointment 任职、baseline 建立记录链"},
    "changes": {"type": "object", "description": "字段: {old, new}；处分记录为 sanction:编号，标记为 mark:编号",
                "additionalProperties": obj(["old", "new"], {"old": {}, "new": {}})},
    "note": TEXT, "case_id": {"type": ["integer", "null"]}, "hash": TEXT, "prev_hash": TEXT})

SANCTION: Schema = obj(["id", "kind", "effect_until"], {
    "id": ID, "kind": TEXT, "label": TEXT, "months": {"type": ["integer", "null"]}, "decided_on": DATE,
    "decided_by": TEXT, "reason": TEXT, "document_no": TEXT,
    "effect_until": {**NULLABLE_DATE,
                     "description": "影响期的最后一天（当天仍在影响期内）；null 表示无影响期或无截止日期"},
    "active": {**BOOL, "description": "今天是否仍在影响期内"}, "case_id": {"type": ["integer", "null"]},
    "recorded_by": TEXT, "recorded_at": DATETIME})

SANCTION_KIND: Schema = obj(["kind", "label", "months", "source"], {
    "kind": TEXT, "label": TEXT,
    "months": {"type": ["integer", "null"], "description": "影响期月数；0 无影响期，null 无截止"},
    "source": TEXT, "category": TEXT, "blocks": TEXT, "tag": TEXT})

ASSESSMENT: Schema = obj(["year", "grade"], {"year": INT, "grade": TEXT, "corrected": BOOL, "version": INT})

IMPORT_REPORT: Schema = obj(["created", "updated", "errors"], {
    "created": INT, "updated": INT, "unchanged": INT,
    "written": {**BOOL, "description": "是否已写入（有错误且未给 partial=true 时为 false）"},
    "errors": array(obj(["file", "row", "field", "message"], {
        "file": TEXT, "row": {"type": ["integer", "null"], "description": "Excel 行号；表格文件以外为 null"},
        "field": TEXT, "message": TEXT})),
    "items": array(obj(["file", "name", "action"], {
        "file": TEXT, "row": {"type": ["integer", "null"]}, "name": TEXT,
        "action": {"type": "string", "enum": ["create", "update", "unchanged"]},
        "person_id": {"type": ["integer", "null"]}, "fields": array(TEXT)})),
})

CODE_ITEM: Schema = obj(["code", "label"], {"code": TEXT, "label": TEXT, "aliases": array(TEXT)})

COMPONENTS: dict[str, Schema] = {
    "Person": PERSON, "PersonPatch": PERSON_PATCH, "PersonHistoryEntry": HISTORY_ENTRY,
    "TransferInput": TRANSFER_INPUT, "Transferred": TRANSFERRED,
    "AssessmentInput": ASSESSMENT_INPUT, "Assessment": ASSESSMENT, "SanctionInput": SANCTION_INPUT,
    "Sanction": SANCTION, "SanctionKind": SANCTION_KIND, "ImportReport": IMPORT_REPORT, "CodeItem": CODE_ITEM,
}
