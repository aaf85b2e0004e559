"""系统管理 › 节假日 (blueprint ``holidays``): the working-day calendar deadlines are counted on.

A year's 法定节假日 and 调休上班日 come from the chinesecalendar package or an imported State Council
schedule (`cadreflow calendar import`); here an administrator sees a year and sets or removes single
days, in the same store as `cadreflow calendar set` (engine.calendar). Invalid input changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms import StringField

from workflow.calendar_store import EnteredDay
from workflow.clock import SHANGHAI

from .. import engine
from ..auth import capability_required
from ..forms import choices
from ..params import query_int
from .present import user_names

bp = Blueprint("holidays", __name__, url_prefix="/admin/holidays")
FIRST_YEAR, LAST_YEAR = 2004, 2100  # the package's schedules start in 2004
KINDS = (("holiday", "休（节假日）"), ("workday", "班（调休上班）"))
WEEKDAYS = "一二三四五六日"
NAME_MAX = 50


class DayForm(FlaskForm):  # type: ignore[misc]
    day = StringField("日期", render_kw={"type": "date", "min": f"{FIRST_YEAR}-01-01", "max": f"{LAST_YEAR}-12-31"})
    kind = RadioField("类型", choices=choices(KINDS), validate_choice=False)
    name = StringField("名称或事由", description=f"如“春节”“国庆节调休上班”，不超过{NAME_MAX}个字",
                       render_kw={"maxlength": NAME_MAX})


class RemoveForm(FlaskForm):  # type: ignore[misc]
    """Only the CSRF token: which day is in the URL."""


@dataclass(frozen=True)
class Row:
    day: date
    weekday: str
    workday: bool
    name: str
    entered: EnteredDay | None


@bp.get("")
@capability_required("manage_users")
def index() -> ResponseReturnValue:
    return _page(query_int("year", _this_year(), FIRST_YEAR, LAST_YEAR, "年份"), DayForm(formdata=None))


@bp.post("")
@capability_required("manage_users")
def add() -> ResponseReturnValue:
    form = DayForm()
    form.validate_on_submit()  # the CSRF token (a bad one never gets here: CSRFProtect answers 400)
    day = _check(form)
    if day is None:
        return _page(_this_year(), form, status=422)
    workday = form.kind.data == "workday"
    name = (form.name.data or "").strip()
    had = {e.day: e for e in engine().calendar.entered_days(day.year)}.get(day)
    engine().calendar.set_day(day, workday, name, current_user.actor().username)
    what = "调休上班日" if workday else "节假日"
    done = "更改" if had else "设置"
    flash(f"已{done}：{day.isoformat()}（星期{WEEKDAYS[day.weekday()]}）为{what}，{name}", "success")
    return redirect(url_for("holidays.index", year=day.year), code=303)


@bp.post("/<day>/remove")
@capability_required("manage_users")
def remove(day: str) -> ResponseReturnValue:
    form = RemoveForm()
    try:
        when = date.fromisoformat(day)
    except ValueError:
        when = None
    if when is None or not form.validate_on_submit():
        flash("未能删除：日期无效或表单已过期，请刷新页面后重试", "error")
        return redirect(url_for("holidays.index"), code=303)
    if engine().calendar.clear_day(when):
        flash(f"已删除 {when.isoformat()} 的设置，该日恢复按全年安排计算", "success")
    else:
        flash(f"{when.isoformat()} 没有在本系统设置过，无需删除", "warning")
    return redirect(url_for("holidays.index", year=when.year), code=303)


def _check(form: DayForm) -> date | None:
    """The day to set, or None with every field's error (in Chinese, naming the rule) on the form."""
    raw = (form.day.data or "").strip()
    day = None
    if not raw:
        form.day.errors = ["此项为必填项"]
    else:
        try:
            day = date.fromisoformat(raw) if len(raw) == 10 else None
        except ValueError:
            day = None
        if day is None:
            form.day.errors = ["日期格式应为 YYYY-MM-DD，且为有效日期"]
        elif not FIRST_YEAR <= day.year <= LAST_YEAR:
            form.day.errors = [f"年份应在{FIRST_YEAR}年至{LAST_YEAR}年之间"]
            day = None
    if form.kind.data not in dict(KINDS):
        form.kind.errors = ["请选择“休（节假日）”或“班（调休上班）”"]
    name = (form.name.data or "").strip()
    if not name:
        form.name.errors = ["此项为必填项"]
    elif len(name) > NAME_MAX:
        form.name.errors = [f"不得超过{NAME_MAX}个字（现为{len(name)}个字）"]
    return day if not (form.day.errors or form.kind.errors or form.name.errors) else None


def _page(year: int, form: DayForm, status: int = 200) -> ResponseReturnValue:
    cal = engine().calendar.calendar()
    entered = {e.day: e for e in engine().calendar.entered_days(year)}
    known = cal.knows_year(year)
    rows = [Row(d, WEEKDAYS[d.weekday()], work, name, entered.get(d))
            for d, work, name in (cal.year_days(year) if known else _entered_only(entered))
            if d in entered or work == (d.weekday() >= 5)]  # set here, or unlike an ordinary week
    workdays = sum(1 for d, work, _ in cal.year_days(year) if work) if known else None
    errors = [f"{f.label.text}：{e}" for f in (form.day, form.kind, form.name) for e in f.errors]
    return render_template("admin/holidays.html", year=year, rows=rows, known=known, workdays=workdays,
                           form=form, remove_form=RemoveForm(formdata=None), names=user_names(),
                           errors=errors, years=(year - 1, year + 1),
                           first=FIRST_YEAR, last=LAST_YEAR), status


def _entered_only(entered: dict[date, EnteredDay]) -> list[tuple[date, bool, str]]:
    return [(d, e.workday, e.name) for d, e in sorted(entered.items())]


def _this_year() -> int:
    return engine().clock.now().astimezone(SHANGHAI).year
