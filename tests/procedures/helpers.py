"""Shared helpers for the procedure tests: users, people, a walker that reloads between steps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from workflow import Actor
from workflow import Engine
from workflow import GuardFailed
from workflow.types import CaseSnapshot
from workflow.types import FireResult

from ..conftest import add_users

ROLES = ("officer", "reviewer", "auditor", "admin", "recommender", "panelist", "inspector")

STAFF = {
    "off": ["officer"], "off2": ["officer"], "rev": ["reviewer"], "rev2": ["reviewer"], "rev3": ["reviewer"],
    "aud": ["auditor"], "adm": ["admin"], "rec": ["recommender"], "rec2": ["recommender"],
    "p1": ["panelist"], "p2": ["panelist"], "p3": ["panelist"], "p4": ["panelist"], "p5": ["panelist"],
    "i1": ["inspector"], "i2": ["inspector"], "i3": ["inspector"],
}

History = list[tuple[str | None, str | None, str | None, str]]


def staff(engine: Engine) -> dict[str, Actor]:
    return add_users(engine, STAFF)


def person(engine: Engine, actor: Actor, name: str = "李明", *, grades: Mapping[int, str] | None = None,
           **extra: Any) -> int:
    """A cadre with the 任免审批表 facts and (optionally) annual grades {year: grade}."""
    data: dict[str, Any] = {
        "name": name, "gender": "男", "birth_date": "1982-05-01", "ethnicity": "汉族", "native_place": "江苏南京",
        "unit": "市发展和改革委员会", "current_post": "综合规划处处长", "political_status": "中共党员",
        "annual_assessments": [{"year": y, "grade": g} for y, g in (grades or {2024: "优秀", 2025: "称职"}).items()],
    }
    data.update(extra)
    return engine.people.create(data, actor).id


class Walk:
    """Fires events on one case, reloading it from the database before every step."""

    def __init__(self, engine: Engine, case: CaseSnapshot) -> None:
        self.engine = engine
        self.case_id = case.id

    def case(self, viewer: Actor | None = None) -> CaseSnapshot:
        return self.engine.get_case(self.case_id, viewer)

    def fire(self, event: str, actor: Actor, data: Mapping[str, Any] | None = None,
             comment: str = "") -> FireResult:
        current = self.engine.get_case(self.case_id, actor)
        assert event in current.available_events, (
            f"{event} not available to {actor.username} in {current.state}: {self._why(event, actor)}")
        return self.engine.fire(self.case_id, event, actor, dict(data or {}), expected_version=current.version,
                                comment=comment)

    def _why(self, event: str, actor: Actor) -> str:
        blocked = dict(self.engine.actions(self.case_id, actor)[1])
        return blocked.get(event, "")

    def refused(self, event: str, actor: Actor, data: Mapping[str, Any] | None = None) -> str:
        """Fire and expect a guard refusal; return the joined Chinese message."""
        current = self.engine.get_case(self.case_id, actor)
        with pytest.raises(GuardFailed) as info:
            self.engine.fire(self.case_id, event, actor, dict(data or {}), expected_version=current.version)
        return "；".join(info.value.failures)

    def state(self) -> str:
        return self.engine.get_case(self.case_id).state


def history(engine: Engine, case_id: int) -> History:
    """(event, from, to, actor) of every case_started / transition / approval event, in order."""
    return [(e.event, e.from_state, e.to_state, e.actor) for e in engine.history(case_id)
            if e.type in ("case_started", "transition_fired", "approval_recorded")]


def inspection_steps(start: str = "2025-09-05") -> list[tuple[str, str, dict[str, Any]]]:
    """The main path of a 任前考察 case from plan to concluded (dates in 2025 unless told)."""
    return [
        ("form_team", "off", {"team": ["i1", "i2"], "team_leader": "i1", "plan_text": "任前考察工作方案"}),
        ("announce", "off", {"notice_date": start, "notice_scope": "所在单位机关", "notice_form": "张贴公告",
                             "supervision_phone": "12380"}),
        ("begin", "off", {"inspection_start_date": "2025-09-08"}),
        ("record_evaluation", "i2", {"evaluation_date": "2025-09-10", "talk_count": 30, "ballots_issued": 35,
                                     "ballots_returned": 35, "ballots_valid": 35, "votes_excellent": 28,
                                     "votes_competent": 7, "votes_basic": 0, "votes_incompetent": 0}),
        ("to_checks", "off", {}),
        ("record_checks", "off", {"archive_review": "通过", "personal_matters": "一致", "discipline_opinion": "无问题",
                                  "petition_check": "无", "integrity_conclusion": "廉洁自律情况良好。",
                                  "integrity_party_secretary": "王建国", "integrity_discipline_secretary": "陈立"}),
        ("material", "i1", {"material_text": "该同志政治立场坚定，工作实绩突出。" * 10,
                            "material_shortcomings": "基层一线工作经历偏少，有时工作方法不够细致。",
                            "appointment_suggestion": "建议按程序任用。"}),
        ("sign_material", "i1", {}),
        ("sign_material", "i2", {}),
        ("feedback", "i1", {"feedback_date": "2025-09-20", "feedback_leader": "单位党组书记",
                            "feedback_opinion": "无不同意见"}),
        ("report", "i1", {"report_date": "2025-09-22"}),
        ("conclude", "rev", {"meeting_date": "2025-09-25", "conclusion": "fit",
                             "meeting_opinion": "部务会研究同意考察组意见"}),
    ]


def conclude_inspection(engine: Engine, actors: Mapping[str, Actor], case_id: int) -> None:
    walk = Walk(engine, engine.get_case(case_id))
    for event, who, data in inspection_steps():
        walk.fire(event, actors[who], data)
