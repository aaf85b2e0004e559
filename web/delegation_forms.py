"""The forms of 委托 (the delegation page); web/forms.py is full. The engine checks every value
(``workflow/delegations.py``); these forms carry CSRF and keep what was typed."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField

from .forms import CheckboxListField


class DelegationForm(FlaskForm):
    to = StringField("受托人（用户名）", render_kw={"maxlength": 64, "autocomplete": "off"},
                     description="须具有与您相同的角色；受托人只能代您办理其本人有权查阅的案件，回避和职责分离规定同样适用")
    starts_on = StringField("开始日期", render_kw={"type": "date"})
    ends_on = StringField("结束日期", render_kw={"type": "date"}, description="含当日（北京时间）")
    definitions = CheckboxListField("委托事项", validate_choice=False)


class RevokeForm(FlaskForm):
    """A revoke button (CSRF only)."""
