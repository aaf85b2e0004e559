"""Guards of the 任职资格 and of 破格/越级 提拔 (procedures.md "Extensions": selection_appointment).

``qualifications`` checks one 基本资格 per condition (工龄, 基层工作经历, 任下级职务年限, 文化程度),
so every number sits in the YAML next to its own ``rule:`` and ``source:`` and the refusal names the
figures ("任乡科级正职2年7个月……，应满3年"). ``target_rank_step`` enforces 逐级提拔 (a 越级 must be
declared, 越两级 never passes), ``exceptional_allowed`` refuses 破格 in 试用期 or within months of the
last promotion, ``recorded_when`` asks for the higher department's consent when a case is 破格.

Levels are the ``rank_level`` code set (workflow/codes): the 领导职务 ladder is its ``post`` group in
``order``; a 职级 stands for the 领导职务层次 of its ``equivalent`` (一级主任科员 — 乡科级正职), one
without (科员) for the rung below the ladder. Periods are whole calendar months: three years from
2023-03-01 are complete on 2026-03-01, not on 2026-02-28.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from datetime import date
from typing import Any

from ..codes import CodeItem
from ..codes import code_set
from . import Param
from . import guard
from .context import GuardContext
from .guards_common import add_months
from .guards_common import as_date
from .guards_common import as_int
from .guards_procedures import checked_people

RANKS = "rank_level"
EDUCATION = ("edu_fulltime_level", "edu_inservice_level")
CHECKS = ("work_years", "grassroots_years", "lower_post_years", "education")


# --- figures ---------------------------------------------------------------------------------------

def whole_months(start: date, end: date) -> int:
    """The whole calendar months from ``start`` to ``end`` (0 when ``end`` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def years_months(months: int) -> str:
    """2年7个月, 3年, 7个月; 不满1个月 for 0."""
    years, rest = divmod(months, 12)
    if not months:
        return "不满1个月"
    return (f"{years}年" if years else "") + (f"{rest}个月" if rest else "")


# --- levels ----------------------------------------------------------------------------------------

def ladder() -> list[CodeItem]:
    """The 领导职务层次 from the lowest (乡科级副职) up."""
    return sorted((i for i in code_set(RANKS) if i.group == "post"), key=lambda i: i.order or 0)


def post_level(code: Any) -> CodeItem | None:
    """The 领导职务层次 a rank_level code stands for (a 职级 through its equivalent); None if none."""
    ranks = code_set(RANKS)
    if not isinstance(code, str) or code not in ranks:
        return None
    item = ranks.item(code)
    if item.group == "post":
        return item
    return ranks.item(item.equivalent) if item.equivalent in ranks else None


def rung(code: Any) -> int:
    """The index of a code's level on the ladder; -1 below it (科员 or a 职级 without equivalent)."""
    level = post_level(code)
    return -1 if level is None else [i.code for i in ladder()].index(level.code)


def rank_text(code: str) -> str:
    """一级主任科员（对应乡科级正职）, 乡科级正职."""
    ranks = code_set(RANKS)
    if code not in ranks:
        return code
    level = post_level(code)
    label = ranks.label(code)
    return label if level is None or level.code == code else f"{label}（对应{level.label}）"


def _unknown_codes(p: Mapping[str, Any]) -> list[str]:
    ranks = code_set(RANKS)
    return [c for key in ("targets", "from_ranks") for c in p.get(key) or [] if c not in ranks]


# --- qualifications --------------------------------------------------------------------------------

def _first_date(person: Mapping[str, Any], names: list[str]) -> tuple[str, date] | None:
    for name in names:
        day = as_date(person.get(name))
        if day is not None:
            return name, day
    return None


def _work_years(ctx: GuardContext, p: Mapping[str, Any], person: Mapping[str, Any], day: date) -> str | None:
    start = as_date(person.get("work_start_date"))
    if start is None:
        return f"未填写{ctx.person_label('work_start_date')}，无法核对工龄"
    months = whole_months(start, day)
    if months >= p["min_years"] * 12:
        return None
    return (f"工龄{years_months(months)}（{ctx.person_label('work_start_date')}{start.isoformat()}，"
            f"计至{day.isoformat()}），应满{p['min_years']}年")


def _grassroots_years(ctx: GuardContext, p: Mapping[str, Any], person: Mapping[str, Any], day: date) -> str | None:
    months = as_int(person.get("grassroots_months"))
    if months is None:
        return f"未填写{ctx.person_label('grassroots_months')}，无法核对基层工作经历"
    if months >= p["min_years"] * 12:
        return None
    had = f"基层工作经历{years_months(months)}" if months else "无基层工作经历"
    return f"{had}（{ctx.person_label('grassroots_months')}：{months}），应满{p['min_years']}年"


def _lower_post_years(ctx: GuardContext, p: Mapping[str, Any], person: Mapping[str, Any], day: date) -> str | None:
    current = str(person.get(RANKS))
    found = _first_date(person, p["since"])
    if found is None:
        return f"未填写{'、'.join(ctx.person_label(n) for n in p['since'])}，无法核对任职年限"
    name, since = found
    months = whole_months(since, day)
    if months >= p["min_years"] * 12:
        return None
    return (f"任{rank_text(current)}{years_months(months)}（{ctx.person_label(name)}{since.isoformat()}，"
            f"计至{day.isoformat()}），应满{p['min_years']}年")


def _education_rank(label: Any) -> tuple[int, str] | None:
    """(category, label): 1 研究生 … 3 大学专科 … 9 其他, by the GB/T 4658 code's first digit; a 肄业
    (left without completing) does not reach its own category."""
    codes = code_set("education")
    code = codes.code_for(label) if isinstance(label, str) else None
    if code is None:
        return None
    text = codes.label(code)
    return int(code[0]) + (1 if text.endswith("肄业") else 0), text


def _education(ctx: GuardContext, p: Mapping[str, Any], person: Mapping[str, Any], day: date) -> str | None:
    codes = code_set("education")
    if p.get("at_least") not in codes:
        return f"规则参数 at_least 应为学历代码，实际为“{p.get('at_least')}”"
    need = int(str(p["at_least"])[0])
    held = {name: _education_rank(person.get(name)) for name in EDUCATION}
    known = [r for r in held.values() if r is not None]
    if not known:
        return f"未填写{'、'.join(ctx.person_label(n) for n in EDUCATION)}，无法核对文化程度"
    if min(r[0] for r in known) <= need:
        return None
    shown = "，".join(f"{ctx.person_label(n)}{r[1] if r else '未填写'}" for n, r in held.items())
    return f"{shown}，应为{codes.label(p['at_least'])}以上"


_CHECK_FNS: dict[str, Callable[[GuardContext, Mapping[str, Any], Mapping[str, Any], date], str | None]] = {
    "work_years": _work_years, "grassroots_years": _grassroots_years, "lower_post_years": _lower_post_years,
    "education": _education,
}


def _waived(ctx: GuardContext, p: Mapping[str, Any]) -> bool:
    if not p["waivable"] or not p.get("waived_by") or not p.get("exceptional"):
        return False
    return ctx.value(p["exceptional"]) in p["waiving"] and ctx.value(p["waived_by"]) not in (None, "")


def _applies(p: Mapping[str, Any], target: str, current: Any) -> bool:
    """Whether the rule concerns this promotion: the target in ``targets``, the current level in
    ``from_ranks``; a 任下级职务年限 rule only for the step just above the current level."""
    if current and rung(target) <= rung(current):
        return False  # not a promotion (平级交流): 提拔 rules do not apply
    if p.get("targets") and target not in p["targets"]:
        return False
    level = post_level(current)
    mine = {str(current)} | ({level.code} if level else set())
    if p.get("from_ranks") and not mine & set(p["from_ranks"]):
        return False
    return p["check"] != "lower_post_years" or rung(target) == rung(current) + 1


@guard("qualifications", check=Param("str", choices=CHECKS), target=Param("field"),
       as_of=Param("field", required=False), targets=Param("str_list", required=False),
       from_ranks=Param("str_list", required=False), min_years=Param("int", required=False, default=0, min=0),
       at_least=Param("str", required=False), since=Param("str_list", required=False,
                                                         default=["rank_since", "post_since"]),
       exceptional=Param("field", required=False), waived_by=Param("field", required=False),
       waiving=Param("str_list", required=False, default=["破格"]),
       waivable=Param("bool", required=False, default=True), each=Param("field", required=False))
def qualifications(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """One 基本资格 of the case's person for the rank in ``target``, on the date in ``as_of`` (default today).

    ``check``: ``work_years`` (工龄 from work_start_date ≥ ``min_years``), ``grassroots_years``
    (grassroots_months ≥ 12 × ``min_years``), ``lower_post_years`` (years since the first recorded of
    ``since`` — 任现职级时间, else 任现职务时间 — ≥ ``min_years``, only when the target is the level just
    above the current one), ``education`` (the better of 全日制/在职教育学历 at least the code ``at_least``).
    The rule applies only to a promotion whose target is in ``targets`` and whose current level (or a
    职级's equivalent) is in ``from_ranks``, when given. A missing record refuses: the record must be
    kept. When ``exceptional`` is one of ``waiving`` (破格) and ``waived_by`` (the higher department's
    consent) is recorded, a ``waivable`` rule passes.

    With ``each`` (the 差额 list of 考察对象, a table of ``person_id`` rows) every person listed is
    checked too, each refusal prefixed with the name. The consent waives the rule for the case's
    person only: it is the person the 破格 was declared and reported for.
    """
    if ctx.person is None:
        return "本案件未指定干部"
    unknown = _unknown_codes(p)
    if unknown:
        return f"规则参数中的“{'、'.join(unknown)}”不是职务层次/职级代码"
    target = ctx.value(p["target"])
    if not isinstance(target, str) or not target:
        return f"未填写{ctx.field_label(p['target'])}"
    found = []
    for prefix, person, _marks in checked_people(ctx, p.get("each")):
        problem = _qualification(ctx, p, person, target, person is ctx.person)
        if problem:
            found.append(prefix + problem)
    return "；".join(found) or None


def _qualification(ctx: GuardContext, p: Mapping[str, Any], person: Mapping[str, Any], target: str,
                   own: bool) -> str | None:
    current = person.get(RANKS)
    if not current and p["check"] == "lower_post_years":
        return f"未填写{ctx.person_label(RANKS)}，无法核对任职年限"
    if not _applies(p, target, current) or (own and _waived(ctx, p)):
        return None
    day = as_date(ctx.value(p["as_of"])) if p.get("as_of") else ctx.today
    if day is None:
        return f"未填写{ctx.field_label(p['as_of'])}"
    return _CHECK_FNS[p["check"]](ctx, p, person, day)


# --- 逐级提拔 --------------------------------------------------------------------------------------

@guard("target_rank_step", target=Param("field"), exceptional=Param("field"),
       value=Param("str", required=False, default="越级"), max_skip=Param("int", required=False, default=1, min=0),
       each=Param("field", required=False))
def target_rank_step(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """逐级提拔: a target more than one level above the person's is a 越级, which ``exceptional`` must
    declare (``value``); skipping more than ``max_skip`` levels never passes; declaring 越级 for a
    one-level step is refused too (the record would be wrong). Non-promotions pass.

    With ``each`` every person of the 差额 list is checked too; the declaration is the case's
    person's, so another candidate who would skip a level is refused."""
    if ctx.person is None:
        return "本案件未指定干部"
    target = ctx.value(p["target"])
    if not isinstance(target, str) or not target:
        return f"未填写{ctx.field_label(p['target'])}"
    if target not in code_set(RANKS) or code_set(RANKS).item(target).group != "post":
        return None  # a 职级, not a 领导职务: 逐级提拔 of posts does not apply
    found = []
    for prefix, person, _marks in checked_people(ctx, p.get("each")):
        problem = _rank_step(ctx, p, person, target, person is ctx.person)
        if problem:
            found.append(prefix + problem)
    return "；".join(found) or None


def _rank_step(ctx: GuardContext, p: Mapping[str, Any], person: Mapping[str, Any], target: str,
               own: bool) -> str | None:
    current = person.get(RANKS)
    if not current:
        return f"未填写{ctx.person_label(RANKS)}，无法核对是否逐级提拔"
    steps = ladder()
    skipped = steps[rung(current) + 1:rung(target)]
    declared = own and ctx.value(p["exceptional"]) == p["value"]
    where = f"现任{rank_text(str(current))}，拟任{code_set(RANKS).label(target)}"
    names = "、".join(i.label for i in skipped)
    if len(skipped) > p["max_skip"]:
        return f"{where}，越过{names}{len(skipped)}级"
    if skipped and not declared:
        return (f"{where}，越过{names}，属越级提拔，须在{ctx.field_label(p['exceptional'])}中选择“{p['value']}”"
                "并报上级组织（人事）部门同意")
    if not skipped and declared:
        return f"{where}，未越过任何层级，不属越级提拔"
    return None


# --- 破格 ------------------------------------------------------------------------------------------

@guard("exceptional_allowed", exceptional=Param("field"),
       values=Param("str_list", required=False, default=["破格", "越级"]),
       as_of=Param("field", required=False), months=Param("int", required=False, default=12, min=1),
       since=Param("str_list", required=False, default=["rank_since"]),
       probation_definitions=Param("str_list", required=False, default=["selection_appointment"]),
       probation_states=Param("str_list", required=False, default=["probation"]))
def exceptional_allowed(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """No 破格 (``exceptional`` in ``values``) for a person in 试用期 — another case of theirs among
    ``probation_definitions`` is in one of ``probation_states`` — or promoted less than ``months`` ago
    (the first recorded of ``since``, 任现职级时间, to ``as_of``, default today). Other cases pass."""
    if ctx.value(p["exceptional"]) not in p["values"]:
        return None
    person = ctx.person
    if person is None:
        return "本案件未指定干部"
    problems = [f"案件#{c.case_id}“{c.title}”处于{c.state_label}" for c in ctx.person_cases
                if c.definition in p["probation_definitions"] and c.state in p["probation_states"]]
    day = as_date(ctx.value(p["as_of"])) if p.get("as_of") else ctx.today
    if day is None:
        return f"未填写{ctx.field_label(p['as_of'])}"
    found = _first_date(person, p["since"])
    if found is None:
        problems.append(f"未填写{'、'.join(ctx.person_label(n) for n in p['since'])}，无法核对提拔任职时间")
    else:
        name, since = found
        months = whole_months(since, day)
        if months < p["months"]:
            problems.append(f"{ctx.person_label(name)}{since.isoformat()}，至{day.isoformat()}提拔任职"
                            f"{years_months(months)}，不满{p['months']}个月")
    return "；".join(problems) or None


@guard("recorded_when", field=Param("field"), values=Param("str_list"), fields=Param("fields"))
def recorded_when(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """When ``field`` holds one of ``values``, every one of ``fields`` is recorded on the case."""
    value = ctx.value(p["field"])
    if value not in p["values"]:
        return None
    missing = [ctx.field_label(f) for f in p["fields"] if ctx.value(f) in (None, "", [])]
    if not missing:
        return None
    return f"{ctx.field_label(p['field'])}为“{value}”，缺少{len(missing)}项：{'、'.join(missing)}"
