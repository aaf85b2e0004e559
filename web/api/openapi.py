"""The OpenAPI 3.1 document at /api/v1/openapi.json, assembled from the code's own schemas.

Envelopes come from ``schemas`` (the dicts requests are validated with), the data of
every start and event from the loaded definitions (``fieldschema``), so the document
cannot drift from what the API enforces. It is built once per definition registry.
"""

from __future__ import annotations

import copy
from typing import Any

from flask import current_app

from workflow.codes import names as code_set_names
from workflow.definition import DefinitionRegistry
from workflow.definition.schema import ProcessDefinition
from workflow.files import ALLOWED

from .. import engine
from .blueprint import bp
from .cases import DEFAULT_PER_PAGE
from .cases import MAX_PAGE
from .cases import MAX_PER_PAGE
from .delegations import delegation_paths
from .fieldschema import definition_components
from .fieldschema import person_input_schema
from .fieldschema import schema_name
from .files import DOCUMENT_NAME
from .notifications import NOTIFICATIONS
from .openapi_parts import answer
from .openapi_parts import operation
from .openapi_parts import path_param
from .openapi_parts import query_param
from .people_schemas import COMPONENTS as PEOPLE_COMPONENTS
from .schemas import COMPONENTS
from .schemas import CREATE_CASE
from .schemas import FIRE_EVENT
from .schemas import ID
from .schemas import Schema
from .schemas import array
from .schemas import ref
from .stats import PARAMS as STATS_PARAMS
from .stats import STATS

DESCRIPTION = """干部选拔任用、考察与容错纠错工作流的 JSON 接口。

认证：`Authorization: Bearer <令牌>`，令牌由 `cadreflow tokens create 用户名` 生成。

每个错误的应答都是 `{"error": {"code", "message", "fields"}}`；`fields` 只在 `validation_failed` 时出现。

办理一个流程：`GET /definitions/{key}` 查看状态、事件及各事件的字段；`POST /cases` 发起；
`GET /cases/{id}` 的 `available_events` 是调用者此刻可以办理的事件；`POST /cases/{id}/events`
办理，带上读取时的 `version` 作为 `expected_version`。各事件 `data` 的结构见 components.schemas
中名为 `<流程>.v<版本>.<事件>` 的 schema（发起时为 `<流程>.v<版本>.start`）。"""


CASE_ID = path_param("case_id", ID, "案件编号")
PAGING = [
    query_param("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}, "页码"),
    query_param("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                        "default": DEFAULT_PER_PAGE}, "每页条数"),
]
BINARY: Schema = {"type": "string", "format": "binary"}
TEXT_SCHEMA: Schema = {"type": "string"}
PDF = {"description": "PDF", "content": {"application/pdf": {"schema": BINARY}}}
JOB_ACCEPTED = {"description": "已转为后台任务：按 Location（或 url）轮询，完成后从 result_url 下载",
                "content": {"application/json": {"schema": ref("Job")}}}


def _variant(envelope: Schema, key_name: str, key: str, data_ref: str, title: str) -> Schema:
    """The envelope narrowed to one definition or event, with that one's data schema."""
    out = copy.deepcopy(envelope)
    out["title"] = title
    out["properties"][key_name] = {**out["properties"][key_name], "const": key}
    out["properties"]["data"] = {**ref(data_ref), "description": out["properties"]["data"]["description"]}
    return out


def _create_body(latest: list[ProcessDefinition]) -> Schema:
    variants = [_variant(CREATE_CASE, "definition", d.key, schema_name(d, None), f"发起“{d.title}”")
                for d in latest]
    return {"anyOf": variants} if variants else CREATE_CASE


def _event_body(versions: list[ProcessDefinition]) -> Schema:
    variants = []
    for d in versions:
        for trigger in dict.fromkeys(t.trigger for t in d.transitions):
            label = d.transitions_named(trigger)[0].label
            variants.append(_variant(FIRE_EVENT, "event", trigger, schema_name(d, trigger),
                                     f"“{d.title}”（版本{d.version}）：{label}"))
    return {"anyOf": variants} if variants else FIRE_EVENT


def _definition_paths(registry: DefinitionRegistry) -> dict[str, Any]:
    keys = [d.key for d in registry.latest()]
    key_param = path_param("key", {"type": "string", "enum": keys} if keys else {"type": "string"},
                      "流程定义的 key")
    version = query_param("version", {"type": "integer", "minimum": 1, "maximum": 10_000},
                     "版本（默认最新；旧版本案件按其 definition_version 查询）")
    return {
        "/openapi.json": {"get": operation("openapi", "本文档（OpenAPI 3.1）", "文档",
                                     {200: answer({"type": "object"}, "OpenAPI 文档")}, (), public=True)},
        "/me": {"get": operation("getMe", "当前用户（令牌所属用户）", "用户",
                           {200: answer(ref("Me"), "用户名、姓名、角色")}, ())},
        "/definitions": {"get": operation("listDefinitions", "流程定义列表", "流程定义",
                                    {200: answer(array(ref("DefinitionSummary")), "各流程的最新版本")}, ())},
        "/definitions/{key}": {"get": operation("getDefinition", "流程定义：状态、事件及其字段", "流程定义",
                                          {200: answer(ref("Definition"), "流程定义")}, (400, 404),
                                          params=[key_param, version])},
        "/audit/verify": {"get": operation("verify", "核验全部记录链（监督检查人员、系统管理员）", "核验",
                                     {200: answer(ref("VerifyReport"), "核验结果")}, (403,))},
        "/audit/access": {"get": operation(
            "listAccess", "查阅登记（监督检查人员、系统管理员）：谁在何时查阅、下载或导出了什么", "核验",
            {200: answer(ref("AccessList"), "查阅登记，按时间倒序")}, (400, 403),
            params=[query_param("case_id", ID, "案件编号"), query_param("person_id", ID, "人员编号"),
                    query_param("username", {"type": "string", "maxLength": 64}, "查阅人用户名"), *PAGING])},
        "/orgs": {"get": operation("listOrgs", "调用者可见的组织（上级在前）", "用户",
                             {200: answer(array(ref("Org")), "组织列表")}, ())},
    }


def _people_paths() -> dict[str, Any]:
    q = query_param("q", {"type": "string", "maxLength": 50}, "姓名或单位中的文字")
    org = query_param("managing_org", {"type": "string", "maxLength": 32}, "管理组织的编码")
    pid = path_param("person_id", ID, "人员编号")
    tag = "人员"
    person = answer(ref("Person"), "人员（参与者只见其工作所需的部分）")
    multipart = {"multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {**BINARY, "description": ".lrmx、.lrm（附同名 .pic 时请打包为 .zip）、.zip 或 .xlsx（干部名册）"}}}}}
    photo_body = {"multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {**BINARY, "description": "JPEG 或 PNG（按内容判断），不超过2 MB"}}}}}
    images = {"image/jpeg": {"schema": BINARY}, "image/png": {"schema": BINARY}}
    flag = {"type": "boolean"}
    return {
        "/people": {
            "get": operation("searchPeople", "查找人员", tag, {200: answer(ref("PersonList"), "人员列表")},
                       (400,), params=[q, org, *PAGING]),
            "post": operation("createPerson", "登记人员（干部任免审批表的各项）", tag,
                        {201: answer(ref("Person"), "已登记的人员")}, (403, 413, 422),
                        body={"application/json": {"schema": ref("PersonInput")}}),
        },
        "/people/{person_id}": {
            "get": operation("getPerson", "人员", tag, {200: person}, (404,), params=[pid]),
            "patch": operation("patchPerson", "修改人员信息（带 expected_version；每项修改记入变更记录）", tag,
                         {200: person}, (403, 404, 409, 413, 422), params=[pid],
                         body={"application/json": {"schema": {"allOf": [ref("PersonPatch"), {
                             "type": "object", "description": "其余各项同 PersonInput；null 或空字符串清除该项",
                             "properties": ref("PersonInput")}]}}}),
        },
        "/people/{person_id}/history": {"get": operation(
            "getPersonHistory", "人员信息的变更记录（哈希链）", tag,
            {200: answer(array(ref("PersonHistoryEntry")), "按顺序的全部变更")}, (404,), params=[pid])},
        "/people/{person_id}/transfer": {"post": operation(
            "transferPerson", "调整干部管理权限：移交其他组织管理（记入变更记录）", tag,
            {200: answer(ref("Transferred"), "已移交；此后由新的管理组织查阅")}, (403, 404, 409, 413, 422),
            params=[pid], body={"application/json": {"schema": ref("TransferInput")}})},
        "/people/{person_id}/assessments": {"post": operation(
            "addAssessment", "录入年度考核结果（已有该年度的须填更正理由）", tag,
            {201: answer(ref("Assessment"), "已录入"), 200: answer(ref("Assessment"), "已更正")},
            (403, 404, 413, 422), params=[pid], body={"application/json": {"schema": ref("AssessmentInput")}})},
        "/people/{person_id}/sanctions": {
            "get": operation("listSanctions", "处分、问责、组织处理、诫勉记录", tag,
                       {200: answer(array(ref("Sanction")), "记录")}, (404,), params=[pid]),
            "post": operation("addSanction", "登记处分、问责、组织处理或诫勉（影响期按类别计算）", tag,
                        {201: answer(ref("Sanction"), "已登记")}, (403, 404, 413, 422), params=[pid],
                        body={"application/json": {"schema": ref("SanctionInput")}}),
        },
        "/sanction-kinds": {"get": operation("listSanctionKinds", "处分类别及影响期（月）和依据", tag,
                                       {200: answer(array(ref("SanctionKind")), "类别")}, ())},
        "/code-sets/{name}": {"get": operation(
            "getCodeSet", "代码集（民族、政治面貌、学历、学位、职务层次/职级）", tag,
            {200: answer(array(ref("CodeItem")), "代码与名称")}, (404,),
            params=[path_param("name", {"type": "string", "enum": list(code_set_names())}, "代码集名称")])},
        "/people/{person_id}/photo": {
            "get": operation("getPhoto", "照片", tag, {200: {"description": "照片", "content": images}}, (404,),
                       params=[pid]),
            "put": operation("putPhoto", "上传照片", tag, {200: person}, (400, 403, 404, 413, 422), params=[pid],
                       body=photo_body),
            "delete": operation("deletePhoto", "删除照片（记入变更记录）", tag, {204: {"description": "已删除"}},
                          (403, 404), params=[pid]),
        },
        "/people/{person_id}.lrmx": {"get": operation(
            "getPersonLrmx", "干部任免审批表（LRMX，UTF-8 XML，根元素 Person）", tag,
            {200: {"description": "LRMX", "content": {"application/xml": {"schema": BINARY}}}}, (404,),
            params=[pid])},
        "/people.xlsx": {"get": operation(
            "getPeopleXlsx", "干部名册（Excel）：与 GET /people 相同的查询", tag,
            {200: {"description": "Excel 工作簿", "content": {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": BINARY}}},
             202: JOB_ACCEPTED}, (400, 403), params=[q, org])},
        "/people/import": {"post": operation(
            "importPeople", "导入干部任免审批表或干部名册；有任何错误时不写入（partial=true 时写入无误的）", tag,
            {200: answer(ref("ImportReport"), "导入结果")}, (400, 403, 413, 422),
            params=[query_param("partial", flag, "true：有错误时仍导入无误的部分"),
                    query_param("dry_run", flag, "true：只检查并列出将要新建和修改的人员，不写入"),
                    query_param("managing_org", {"type": "string", "maxLength": 32},
                                "新建人员的管理组织（默认本组织）")],
            body=multipart)},
    }


def _case_paths(registry: DefinitionRegistry) -> dict[str, Any]:
    case = answer(ref("Case"), "案件（available_events 为调用者此刻可办理的事件）")
    waiting = answer(ref("ApprovalsWaiting"), "会签事件已记录本人签署，仍在等待其他人签署")
    filters = [
        query_param("definition", {"type": "string", "maxLength": 64}, "流程定义的 key"),
        query_param("state", {"type": "string", "maxLength": 64}, "状态名"),
        query_param("overdue", {"type": "boolean"}, "true：只列逾期的；false：只列未逾期的"),
        query_param("subject_id", ID, "所涉人员编号"), *PAGING]
    recusal = {"application/json": {"schema": ref("RecusalInput")}}
    return {
        "/cases": {
            "get": operation("listCases", "案件列表", "案件", {200: answer(ref("CaseList"), "一页案件")}, (400,),
                       params=filters),
            "post": operation("createCase", "发起案件（处于初始状态）", "案件", {201: case}, (403, 404, 413, 422),
                        body={"application/json": {"schema": _create_body(registry.latest())}}),
        },
        "/cases/{case_id}": {"get": operation("getCase", "案件", "案件", {200: case}, (404,), params=[CASE_ID])},
        "/cases/{case_id}/events": {"post": operation(
            "fireEvent", "办理事件", "案件", {200: answer(ref("Case"), "办理后的案件"), 202: waiting},
            (403, 404, 409, 413, 422, 429), params=[CASE_ID],
            body={"application/json": {"schema": _event_body(registry.versions())}})},
        "/cases/{case_id}/history": {"get": operation(
            "getHistory", "全程记录（哈希链）", "案件",
            {200: answer(array(ref("HistoryEvent")), "按顺序的全部事件")}, (404,), params=[CASE_ID])},
        "/cases/{case_id}/recusals": {
            "get": operation("listRecusals", "回避登记", "案件", {200: answer(array(ref("Recusal")), "回避登记")},
                       (404,), params=[CASE_ID]),
            "post": operation("addRecusal", "登记回避：被回避人员不能再办理本案件，也不能被列入其评分组、考察组",
                        "案件", {201: answer(ref("Recusal"), "已登记")}, (403, 404, 413, 422),
                        params=[CASE_ID], body=recusal),
        },
        "/cases/{case_id}/urge": {"post": operation(
            "urgeHolder", "催办：提醒当前办理人之一（记入全程记录；每位办理人每天一次）", "案件",
            {201: answer(ref("Urge"), "已催办")}, (404, 409, 413, 422, 429), params=[CASE_ID],
            body={"application/json": {"schema": ref("UrgeInput")}})},
        "/cases/{case_id}/signers": {"post": operation(
            "addSigner", "加签：为本环节进行中的会签增加一名签署人（应签署人数加一；记入全程记录）", "案件",
            {201: answer(ref("SignerAdded"), "已加签")}, (403, 404, 409, 413, 422), params=[CASE_ID],
            body={"application/json": {"schema": ref("SignerInput")}})},
        "/cases/{case_id}/withdraw": {"post": operation(
            "withdrawStep", "撤回本人的上一步：下一办理人尚未办理时退回办理前的环节和内容（记入全程记录）", "案件",
            {200: case}, (403, 404, 409, 413, 422), params=[CASE_ID],
            body={"application/json": {"schema": ref("WithdrawInput")}})},
    }


def _file_paths() -> dict[str, Any]:
    files = {t: {"schema": BINARY} for t in ALLOWED}
    upload = {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"],
        "properties": {"file": {**BINARY, "description": "PDF、JPEG、PNG、DOCX 或 OFD，不超过20 MiB"}}}}}
    name = path_param("name", {"type": "string", "pattern": DOCUMENT_NAME.pattern}, "文书名")
    tag = "附件与文书"
    return {
        "/cases/{case_id}/history.pdf": {"get": operation(
            "getHistoryPdf", "全程记录 PDF；事件较多时 202 并返回后台任务", tag, {200: PDF, 202: JOB_ACCEPTED}, (404,),
            params=[CASE_ID])},
        "/cases/{case_id}/documents": {"get": operation(
            "listDocuments", "此刻可生成的文书", tag, {200: answer(array(ref("Document")), "文书")},
            (404,), params=[CASE_ID])},
        "/cases/{case_id}/documents/{name}.pdf": {"get": operation(
            "getDocumentPdf", "文书 PDF（生成并记入全程记录）", tag, {200: PDF}, (403, 404),
            params=[CASE_ID, name])},
        "/cases/{case_id}/attachments": {
            "get": operation("listAttachments", "附件列表", tag, {200: answer(array(ref("Attachment")), "附件")},
                       (404,), params=[CASE_ID]),
            "post": operation("uploadAttachment", "上传附件（按内容识别类型）", tag,
                        {201: answer(ref("Attachment"), "已保存的附件")}, (403, 404, 413, 422, 429),
                        params=[CASE_ID], body=upload),
        },
        "/cases/{case_id}/attachments/{attachment_id}": {"get": operation(
            "getAttachment", "下载附件（原样）", tag, {200: {"description": "附件内容", "content": files}},
            (404,), params=[CASE_ID, path_param("attachment_id", ID, "附件编号")])},
    }


def _ballot_paths() -> dict[str, Any]:
    ballot = path_param("ballot_id", ID, "投票编号")
    tag = "投票"
    one = answer(ref("Ballot"), "投票（status、应到 voters、已投 cast）")
    receipt = {201: answer(ref("Receipt"), "已计入；回执号在结束后公布的回执列表中")}
    return {
        "/cases/{case_id}/ballots": {
            "get": operation("listBallots", "案件的投票", tag, {200: answer(array(ref("Ballot")), "投票")}, (404,),
                       params=[CASE_ID]),
            "post": operation("createBallot", "发起投票（民主推荐、民主测评、表决；干部科工作人员）", tag,
                        {201: answer(ref("BallotCreated"), "投票及其一次性选票码（只给出这一次）")},
                        (403, 404, 409, 413, 422), params=[CASE_ID],
                        body={"application/json": {"schema": ref("BallotInput")}}),
        },
        "/ballots/{ballot_id}": {"get": operation("getBallot", "投票", tag, {200: one}, (404,), params=[ballot])},
        "/ballots/{ballot_id}/codes.pdf": {"get": operation(
            "getBallotCodesPdf", "选票码打印页（每张一码及二维码；尚无人投票时）", tag, {200: PDF}, (403, 404, 409),
            params=[ballot])},
        "/ballots/{ballot_id}/close": {"post": operation(
            "closeBallot", "结束投票并计票（计票结果和票箱哈希记入案件全程记录）", tag,
            {200: answer(ref("Tally"), "计票结果")}, (403, 404, 409), params=[ballot])},
        "/ballots/{ballot_id}/receipts": {"get": operation(
            "getBallotReceipts", "全部回执号（结束后公布）", tag, {200: answer(array(TEXT_SCHEMA), "回执号")},
            (404, 409), params=[ballot])},
        "/ballots/{ballot_id}/votes": {"post": operation(
            "castNamedVote", "记名表决：成员用本人账号表态", tag, receipt, (403, 404, 409, 413, 422),
            params=[ballot], body={"application/json": {"schema": ref("NamedVoteInput")}})},
        "/vote": {"post": operation(
            "vote", "投票（无需令牌：一次性选票码即凭证）", tag, receipt, (403, 409, 413, 422, 429),
            body={"application/json": {"schema": ref("VoteInput")}}, public=True)},
    }


def _notification_paths() -> dict[str, Any]:
    unread = query_param("unread", {"type": "boolean"}, "只列未读消息")
    nid = path_param("notification_id", ID, "消息编号")
    return {
        "/notifications": {"get": operation("listNotifications", "消息通知（最新的在前）与未读条数", "消息通知",
                                      {200: answer(NOTIFICATIONS, "消息与未读条数")}, (400,), params=[unread])},
        "/notifications/{notification_id}/read": {"post": operation(
            "readNotification", "标为已读（他人的消息：404）", "消息通知", {204: {"description": "已读"}}, (404,),
            params=[nid])},
    }


def _job_paths() -> dict[str, Any]:
    job_id = path_param("job_id", ID, "任务编号")
    tag = "后台任务"
    return {
        "/jobs": {"get": operation("listJobs", "我的后台任务（最近50个）", tag,
                                   {200: answer(array(ref("Job")), "任务")}, ())},
        "/jobs/{job_id}": {"get": operation("getJob", "后台任务的状态与进度（仅申请人可见）", tag,
                                      {200: answer(ref("Job"), "任务")}, (404,), params=[job_id])},
        "/jobs/{job_id}/result": {"get": operation(
            "getJobResult", "下载后台任务生成的文件（仅申请人；下载时重新核对查阅权限并登记）", tag,
            {200: {"description": "文件", "content": {"application/octet-stream": {"schema": BINARY}}}}, (403, 404),
            params=[job_id])},
    }


def _paths(registry: DefinitionRegistry) -> dict[str, Any]:
    return {**_definition_paths(registry), **_people_paths(), **_case_paths(registry), **_file_paths(),
            **_ballot_paths(), **_notification_paths(), **_job_paths(), **_stats_paths(), **delegation_paths()}


def _stats_paths() -> dict[str, Any]:
    return {"/stats": {"get": operation(
        "getStats", "统计分析（只统计调用者有权查阅的案件；干部科工作人员、审批领导、监督检查人员）", "统计",
        {200: answer(STATS, "按流程和状态、逾期、按管理单位、按月的案件数，各状态用时（工作日）")}, (400, 403, 404),
        params=[query_param(name, schema, text) for name, schema, text in STATS_PARAMS])}}


def build(registry: DefinitionRegistry) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "cadreflow JSON API", "version": "1", "description": DESCRIPTION},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": _paths(registry),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "cadreflow tokens create 用户名"}},
            "schemas": {**COMPONENTS, **PEOPLE_COMPONENTS, "PersonInput": person_input_schema(),
                        **definition_components(registry.versions())},
        },
    }


def document() -> dict[str, Any]:
    """The document for the running app's registry (cached while the registry stays the same)."""
    registry = engine().registry
    cached = current_app.extensions.get("cadreflow_openapi")
    if cached is None or cached[0] is not registry:
        cached = (registry, build(registry))
        current_app.extensions["cadreflow_openapi"] = cached
    doc: dict[str, Any] = cached[1]
    return doc


@bp.get("/openapi.json")
def openapi_document() -> Any:
    return document()
