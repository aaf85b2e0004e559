"""Reports across cases. 谁推荐谁负责: every signed recommendation by its recommender, with its outcome."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

from sqlalchemy import select

from ..definition import DefinitionRegistry
from ..persistence.db import Database
from ..persistence.tables import cases_t
from ..persistence.tables import people_t
from ..persistence.tables import users_t
from ..persistence.visibility import case_conditions
from ..policy import Policy
from ..types import Actor

OUTCOMES = {"included": "纳入人选范围", "not_included": "不予纳入", "withdrawn": "已撤回"}


@dataclass(frozen=True)
class RecommendationLine:
    case_id: int
    title: str
    subject: str
    state: str
    state_label: str
    created_at: str


@dataclass
class RecommenderReport:
    username: str
    name: str
    lines: list[RecommendationLine] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for line in self.lines if line.state == state)

    @property
    def in_progress(self) -> int:
        return sum(1 for line in self.lines if line.state not in OUTCOMES)


def recommendations_by_recommender(db: Database, registry: DefinitionRegistry, policy: Policy, viewer: Actor,
                                   definition: str = "signed_recommendation") -> list[RecommenderReport]:
    """Every case of ``definition`` that ``viewer`` may see, grouped by the user named in its
    ``recommender`` field.

    Streams the cases (one pass, ordered by id); the recommender stays on the case
    forever, so the report also shows recommendations later withdrawn.
    """
    policy.require(viewer, "read_reports")
    names: dict[str, str] = {}
    out: dict[str, RecommenderReport] = {}
    stmt = (select(cases_t.c.id, cases_t.c.title, cases_t.c.state, cases_t.c.data, cases_t.c.created_at,
                   cases_t.c.definition_version, people_t.c.name.label("subject"))
            .outerjoin(people_t, people_t.c.id == cases_t.c.subject_id)
            .where(cases_t.c.definition_key == definition).order_by(cases_t.c.id))
    with db.read() as conn:
        stmt = stmt.where(*case_conditions(conn, policy.case_visibility(viewer)))
        names = {r.username: r.name for r in conn.execute(select(users_t.c.username, users_t.c.name))}
        for r in conn.execution_options(stream_results=True, yield_per=500).execute(stmt):
            who = str((r.data or {}).get("recommender") or "")
            d = registry.get(definition, r.definition_version)
            report = out.setdefault(who, RecommenderReport(who, names.get(who, who or "（未指定）")))
            report.lines.append(RecommendationLine(r.id, r.title, r.subject or "", r.state, d.state_label(r.state),
                                                   r.created_at.isoformat()))
    return sorted(out.values(), key=lambda rep: (-len(rep.lines), rep.username))
