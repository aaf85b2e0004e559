"""Forms filled from ballots: 民主推荐情况统计表 (selection_appointment, after ``recommend``).

The table comes from the tally of the case's last closed 推荐 ballot (every candidate's votes,
rate and rank, turnout against 应到 and the participation rule, the box hash); a recommendation
counted on paper prints the figures typed into ``recommend`` instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..filters import percent
from ..present import BLANK
from .inputs import Form
from .inputs import FormInputs
from .inputs import base_context

_RECOMMEND = ("recommendation_form", "recommendation_date", "participants_expected", "participants_present",
              "subject_votes", "subject_rank", "other_candidates", "target_post", "target_unit")


def _candidates(tally: Mapping[str, Any], subject_id: int | None) -> list[dict[str, Any]]:
    rows = []
    for key, d in (tally.get("details") or {}).items():
        people = d.get("people") or {}
        for r in d.get("ranking") or []:
            rows.append({"item": d.get("label", key), "rank": r["rank"], "name": r["option"], "votes": r["votes"],
                         "rate": percent(r["votes"], tally.get("cast") or 0),
                         "subject": subject_id is not None and people.get(r["option"]) == subject_id})
    return rows


def recommendation_stats(inputs: FormInputs) -> dict[str, Any]:
    """民主推荐情况统计表: participation, each candidate's votes, rate and rank, from the tally."""
    tallies = inputs.tallies("recommendation")
    tally = tallies[-1] if tallies else None
    subject = inputs.subject
    rule = (tally or {}).get("turnout_rule") or {}
    expected = tally["voters"] if tally else inputs.get("participants_expected", 0)
    present = tally["cast"] if tally else inputs.get("participants_present", 0)
    if tally:
        candidates = _candidates(tally, subject.id if subject else None)
    else:
        candidates = [{"item": "", "rank": inputs.get("subject_rank", BLANK), "votes": inputs.get("subject_votes", 0),
                       "name": subject.name if subject else BLANK, "subject": True,
                       "rate": percent(inputs.get("subject_votes", 0) or 0, present or 0)}]
    return {
        **base_context(inputs, "民主推荐情况统计表"),
        "post": f"{inputs.get('target_unit')}{inputs.get('target_post')}" or BLANK,
        "method": inputs.shown("recommendation_form"),
        "date": inputs.shown("recommendation_date"),
        "expected": expected, "present": present, "turnout": percent(present or 0, expected or 0),
        "rule": rule.get("rule", ""), "rule_met": rule.get("met"),
        "valid": tally["valid"] if tally else BLANK, "void": tally["void"] if tally else BLANK,
        "candidates": candidates, "others": "" if tally else str(inputs.get("other_candidates")),
        "box_hash": tally.get("box_hash", "") if tally else "", "title": tally.get("title", "") if tally else "",
        "counted_by": "网上无记名投票，系统计票" if tally else "纸质推荐票，人工计票",
    }


FORMS = (
    Form("recommendation_stats", "民主推荐情况统计表", "recommendation_stats.html", "1", recommendation_stats,
         fields=_RECOMMEND, ballots=("recommendation",)),
)
