"""WTForms for the pages: static forms, and event forms generated from a definition's fields.

Generated fields only collect what the user typed; the engine validates and answers
with per-field Chinese messages, which ``attach_errors`` puts back on the form. So no
generated field carries WTForms validators (their messages would be English).
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField
from wtforms import Field
from wtforms import FieldList
from wtforms import Form
from wtforms import FormField
from wtforms import HiddenField
from wtforms import PasswordField
from wtforms import SelectChoice
from wtforms import SelectField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import EqualTo
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput
from wtforms.widgets import ListWidget

from workflow.definition.schema import FieldDef
from workflow.people import LISTS
from workflow.people import OPTIONAL_COLUMNS
from workflow.people import PERSON_FIELDS

from .params import parse_int
from .table_forms import cell_input
from .table_forms import pad_tables
from .table_forms import table_field
from .table_forms import table_summary
from .table_forms import table_value

Options = list[tuple[str, str]]
VERSION = "expected_version"
COMMENT = "event_comment"
CONFIRM = "confirm_irreversible"
LIST_ROWS = {"resume": 8, "family": 6, "annual_assessments": 3}
AUTO: Any = object()  # bind to the request's form data (Flask-WTF's default); None: an unbound form


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes (works without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


@dataclass
class FieldOptions:
    """Choices the page offers for person, user and file fields."""

    users_by_role: dict[str, Options] = dc_field(default_factory=dict)
    all_users: Options = dc_field(default_factory=list)
    people: Options = dc_field(default_factory=list)
    attachments: Options = dc_field(default_factory=list)

    def users(self, role: str | None) -> Options:
        return self.users_by_role.get(role, []) if role else self.all_users


def choices(pairs: Sequence[tuple[str, str]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms options."""
    return [SelectChoice(value, label) for value, label in pairs]


def length_hint(f: FieldDef) -> str:
    """The length rule the definition sets for a text field, announced before it is typed."""
    if f.type not in ("text", "textarea"):
        return ""
    low, high = f.min_length, f.max_length
    if low and high:
        return f"{low}至{high}个字"
    if low:
        return f"不少于{low}个字"
    return f"不超过{high}个字" if high else ""


def _kw(f: FieldDef, **extra: Any) -> dict[str, Any]:
    render: dict[str, Any] = {**extra}
    if f.required:
        render["aria-required"] = "true"
    hint = length_hint(f)
    if hint:  # web/static/js/forms.js shows a live count against these
        render["data-count"] = "1"
        if f.min_length:
            render["data-minlength"] = str(f.min_length)
    help_text = f"{f.help}（{hint}）" if f.help and hint else (f.help or hint)
    return {"label": f.label, "description": help_text, "render_kw": render}


def make_field(f: FieldDef, options: FieldOptions) -> Field:
    """One unbound WTForms field for a definition field."""
    t = f.type
    if t == "textarea":
        return TextAreaField(**_kw(f, rows=4, maxlength=f.max_length or 20000))
    if t in ("integer", "number"):
        extra: dict[str, Any] = {"type": "number", "step": "1" if t == "integer" else "any"}
        extra.update({k: f"{v:g}" for k, v in (("min", f.min), ("max", f.max)) if v is not None})
        return StringField(**_kw(f, **extra))
    if t == "date":
        return StringField(**_kw(f, type="date"))
    if t == "datetime":
        return StringField(**_kw(f, type="datetime-local"))
    if t == "boolean":
        return BooleanField(**_kw(f))
    if t in ("choice", "multichoice"):
        pairs = [(c.value, c.label) for c in f.choices]
        if t == "multichoice":
            return CheckboxListField(choices=choices(pairs), validate_choice=False, **_kw(f))
        return SelectField(choices=choices([("", "请选择")] + pairs), validate_choice=False, **_kw(f))
    if t in ("person", "user"):
        pool = options.people if t == "person" else options.users(f.role)
        if f.multiple:
            return CheckboxListField(choices=choices(pool), validate_choice=False, **_kw(f))
        return SelectField(choices=choices([("", "请选择")] + pool), validate_choice=False, **_kw(f))
    if t == "file":
        return (MultipleFileField if f.multiple else FileField)(**_kw(f))
    if t == "table":
        return table_field(f, [make_field(c, options) for c in f.columns], _kw(f))
    return StringField(**_kw(f, maxlength=f.max_length or 500))


def event_form(fields: Sequence[FieldDef], options: FieldOptions, *, prefix: str, confirm: str = "",
               formdata: Any = AUTO, comment: bool = True) -> FlaskForm:
    """The form of one event: its fields, the case version, a comment, a confirmation box."""
    attrs: dict[str, Any] = {f.name: make_field(f, options) for f in fields}
    for f in fields:
        if f.type == "file" and options.attachments:
            attrs[f"{f.name}__existing"] = SelectField(
                "或选择已上传的附件", choices=choices([("", "（不选）")] + options.attachments),
                validate_choice=False)
    attrs[VERSION] = HiddenField()
    if comment:
        attrs[COMMENT] = TextAreaField("意见或说明", render_kw={"rows": 2, "maxlength": 5000})
    if confirm:
        attrs[CONFIRM] = BooleanField(confirm)
    cls = type("EventForm", (FlaskForm,), attrs)
    return pad_tables(_bind(cls, formdata, prefix=prefix), fields)


def _bind(cls: type[FlaskForm], formdata: Any, **kwargs: Any) -> FlaskForm:
    return cls(**kwargs) if formdata is AUTO else cls(formdata=formdata, **kwargs)


def form_values(form: FlaskForm, fields: Sequence[FieldDef]) -> dict[str, Any]:
    """What the user typed, as the engine takes it (file fields are left to the view)."""
    out: dict[str, Any] = {}
    for f in fields:
        if f.type == "file":
            continue
        if f.type == "table":
            out[f.name] = table_value(form[f.name], f)
            continue
        value = form[f.name].data
        if f.type == "boolean":
            out[f.name] = bool(value)
        elif isinstance(value, list):
            out[f.name] = [v for v in value if v]
        elif value is None:
            continue
        elif f.type == "datetime":
            out[f.name] = _with_offset(str(value).strip())
        else:
            out[f.name] = str(value).strip() if f.type != "textarea" else str(value)
    return out


def _with_offset(value: str) -> str:
    """``datetime-local`` sends no offset; the procedures happen in Beijing time."""
    if value and len(value) in (16, 19) and "T" in value:
        return value + ":00+08:00" if len(value) == 16 else value + "+08:00"
    return value


def attach_errors(form: FlaskForm, errors: Mapping[str, str], labels: Mapping[str, str]) -> list[str]:
    """Put the engine's per-field messages on the fields; return those no field shows."""
    rest = []
    for name, message in errors.items():
        label = labels.get(name.partition("-")[0], "")
        short = message[len(label) + 1:] if label and message.startswith(label + "：") else message
        target = cell_input(form, name)
        if target is not None:
            target.errors = [short]
        elif name in form and not table_summary(form, name, errors):
            form[name].errors = [short]
        elif name not in form:
            rest.append(message)
    return rest

# --- static forms ------------------------------------------------------------------------------------


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[InputRequired("请输入用户名"), Length(max=64)],
                           render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField("密码", validators=[InputRequired("请输入密码"), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})


class PostForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class AttachmentForm(FlaskForm):
    file = FileField("上传附件", render_kw={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.ofd"})


class RecusalForm(FlaskForm):
    username = SelectField("回避人员", validate_choice=False)
    reason = TextAreaField("回避事由", render_kw={"rows": 2, "maxlength": 2000})


class UrgeForm(FlaskForm):
    username = SelectField("催办对象", validate_choice=False)
    text = TextAreaField("催办内容", render_kw={"rows": 2, "maxlength": 500})


class SignerForm(FlaskForm):
    username = SelectField("加签人员", validate_choice=False)
    reason = TextAreaField("加签理由", render_kw={"rows": 2, "maxlength": 1000})


class WithdrawForm(FlaskForm):
    expected_version = HiddenField()
    comment = TextAreaField("撤回说明（可不填）", render_kw={"rows": 2, "maxlength": 2000})


ROLE_FIELD_HELP = "可多选；监督检查人员只读，系统管理员不办理案件"
ORG_FIELD_HELP = "决定其查阅范围：本组织管理的干部和案件（监督检查人员另含下级组织）"


class UserForm(FlaskForm):
    username = StringField("用户名", validators=[InputRequired("请输入用户名"), Length(max=64)])
    name = StringField("姓名", validators=[Length(max=100, message="姓名不得超过100个字")])
    unit = StringField("单位", validators=[Length(max=200, message="单位不得超过200个字")])
    roles = CheckboxListField("角色", validate_choice=False, description=ROLE_FIELD_HELP)
    org = SelectField("所属组织", validate_choice=False, description=ORG_FIELD_HELP)
    password = PasswordField("初始密码", validators=[InputRequired("请设置初始密码")],
                             description="至少10位，不能是常见密码", render_kw={"autocomplete": "new-password"})


class UserEditForm(FlaskForm):
    name = StringField("姓名", validators=[Length(max=100, message="姓名不得超过100个字")])
    unit = StringField("单位", validators=[Length(max=200, message="单位不得超过200个字")])
    email = StringField("电子邮箱", validators=[Length(max=254, message="电子邮箱不得超过254个字符")],
                        description="配置了邮件服务器时，消息通知也发到此邮箱；可不填")
    roles = CheckboxListField("角色", validate_choice=False, description=ROLE_FIELD_HELP)
    org = SelectField("所属组织", validate_choice=False, description=ORG_FIELD_HELP)
    active = BooleanField("启用（停用后该用户不能登录，已登录的会话立即失效）")
    confirm_deactivate = BooleanField("我已确认：停用该用户（其全部登录立即失效）")


class PasswordForm(FlaskForm):
    password = PasswordField("新密码", validators=[InputRequired("请输入新密码")],
                             description="至少10位，不能是常见密码", render_kw={"autocomplete": "new-password"})
    again = PasswordField("再次输入", validators=[EqualTo("password", message="两次输入的密码不一致")],
                          render_kw={"autocomplete": "new-password"})


class ChangePasswordForm(PasswordForm):
    """修改密码: the signed-in user's own password."""

    old = PasswordField("原密码", validators=[InputRequired("请输入原密码"), Length(max=200)],
                        render_kw={"autocomplete": "current-password"})


class RevokeForm(FlaskForm):
    confirm = BooleanField("确认吊销")


class OrgForm(FlaskForm):
    code = StringField("组织编码", validators=[InputRequired("请输入组织编码"), Length(max=32)],
                       description="2至32位英文字母、数字或 _ . -，如 donghu；建成后不能更改")
    name = StringField("组织名称", validators=[InputRequired("请输入组织名称"), Length(max=100)])
    parent = SelectField("上级组织", validate_choice=False)


class OrgRenameForm(FlaskForm):
    name = StringField("组织名称", validators=[InputRequired("请输入组织名称"), Length(max=100)])


class TokenForm(FlaskForm):
    username = SelectField("用户", validate_choice=False)
    note = StringField("用途备注", validators=[Length(max=200, message="备注不得超过200个字")])


class StartForm(FlaskForm):
    title = StringField("案件标题", render_kw={"maxlength": 200, "aria-required": "true"})
    subject_id = SelectField("所涉干部", validate_choice=False)


def start_form(fields: Sequence[FieldDef], options: FieldOptions, formdata: Any = AUTO) -> FlaskForm:
    attrs: dict[str, Any] = {f.name: make_field(f, options) for f in fields}
    attrs[COMMENT] = TextAreaField("说明", render_kw={"rows": 2, "maxlength": 5000})
    cls = type("CaseStartForm", (StartForm,), attrs)
    return pad_tables(_bind(cls, formdata), fields)


def person_form(formdata: Any = AUTO, data: Mapping[str, Any] | None = None,
                lists: Sequence[str] = tuple(LISTS)) -> FlaskForm:
    """The 干部任免审批表 facts (PERSON_FIELDS) and its tables (résumé, family, assessments), optionally
    filled with ``data`` (the edit page: every stored row plus two blank ones)."""
    attrs: dict[str, Any] = {f.name: make_field(f, FieldOptions()) for f in PERSON_FIELDS}
    for key in lists:
        label, columns = LISTS[key]
        row = type(f"{key}_row", (Form,), {c: StringField(text) for c, text in columns.items()})
        rows = len((data or {}).get(key) or [])
        attrs[key] = FieldList(FormField(row), label=label, min_entries=max(LIST_ROWS.get(key, 3), rows + 2))
    if data is not None:
        attrs[VERSION] = HiddenField()
    cls = type("PersonForm", (FlaskForm,), attrs)
    if data is None:
        return _bind(cls, formdata)
    shown = {k: ("" if v is None else str(v)) for k, v in data.items() if k not in LISTS}
    shown.update({k: [{c: str(r.get(c, "")) for c in LISTS[k][1]} for r in data.get(k) or []] for k in lists})
    return cls(formdata=None, data=shown) if formdata is None else _bind(cls, formdata)


def person_values(form: FlaskForm, lists: Sequence[str] = tuple(LISTS)) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in PERSON_FIELDS:
        value = form[f.name].data
        if isinstance(value, str) and value.strip():
            out[f.name] = value.strip()
    for key in lists:
        rows = []
        for entry in form[key].entries:
            row = {k: (v or "").strip() for k, v in entry.data.items()}
            row = {k: v for k, v in row.items() if v or k not in OPTIONAL_COLUMNS.get(key, ())}
            if any(row.values()):
                year = parse_int(row.get("year", ""), 1900, 2100, "年度")[0]
                if key == "annual_assessments" and year is not None:
                    rows.append({**row, "year": year})
                else:
                    rows.append(row)
        if rows:
            out[key] = rows
    return out


def keep_unknown_choices(form: FlaskForm, data: Mapping[str, Any]) -> None:
    """A stored value a choice field does not offer (a label outside its code set, kept from before) stays
    selectable, so editing another field does not clear it."""
    for f in PERSON_FIELDS:
        value = data.get(f.name)
        if f.type == "choice" and isinstance(value, str) and value and value not in {c.value for c in f.choices}:
            form[f.name].choices = [*form[f.name].choices, SelectChoice(value, f"{value}（不在代码集中，请更正）")]


class PhotoForm(FlaskForm):
    photo = FileField("照片（JPEG或PNG，不超过2 MB）", render_kw={"accept": ".jpg,.jpeg,.png"})


class AssessmentForm(FlaskForm):
    year = StringField("年度", render_kw={"type": "number", "min": "1950", "step": "1"})
    grade = SelectField("等次", validate_choice=False)
    reason = StringField("更正理由（已有该年度结果时必填）", render_kw={"maxlength": 2000})


class SanctionForm(FlaskForm):
    kind = SelectField("类别", validate_choice=False)
    decided_on = StringField("决定日期", render_kw={"type": "date"})
    decided_by = StringField("决定机关", render_kw={"maxlength": 200})
    document_no = StringField("决定文号", render_kw={"maxlength": 100})
    reason = TextAreaField("事由", render_kw={"rows": 2, "maxlength": 2000})


class TransferForm(FlaskForm):
    managing_org = SelectField("移交给", validate_choice=False)
    reason = StringField("调整理由", render_kw={"maxlength": 500},
                         description="如：交流到西山县任职；提拔为市管干部。移交后本组织不再查阅其信息")


class ImportForm(FlaskForm):
    file = FileField("文件（.lrmx、.lrm、.zip 或 .xlsx）", render_kw={"accept": ".lrmx,.lrm,.zip,.xlsx"})


class ImportConfirmForm(FlaskForm):
    token = HiddenField()
    partial = BooleanField("有错误的文件或行不导入，只导入无误的部分")


class VerifyPdfForm(FlaskForm):
    file = FileField("出具的 PDF（不超过20 MB）", render_kw={"accept": ".pdf,application/pdf"})
