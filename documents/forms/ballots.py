"""Forms filled from ballots: 民主推荐情况统计表 (selection_appointment, after ``recommend``).

The table comes from the tally of the case's last closed 推荐 ballot (every candidate's votes,
rate and rank, turnout against 应到 and the participation rule, the box hash); a recommendation
counted on paper prints the figures typed into ``recommend`` instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..filters import cn_date
from ..filters import percent
from ..present import BLANK
from ..present import person_name
from .inputs import Form
from .inputs import FormInputs
from .inputs import base_context

_RECOMMEND = ("recommendations", "recommendation_ballot", "target_post", "target_unit")
_ROUND_LABELS = {"meeting": "会议推荐", "talks": "谈话调研推荐"}

def _candidates(tally: Mapping[str, Any], subject_id: int | None) -> list[dict[str, Any]]:
    rows = []
    for key, d in (tally.get("details") or {}).items():
        people = d.get("people") or {}
        for r in d.get("ranking") or []:
            rows.append({"item": d.get("label", key), "rank": r["rank"], "name": r["option"], "votes": r["votes"],
                         "rate": percent(r["votes"], tally.get("cast") or 0),
                         "subject": subject_id is not None and people.get(r["option"]) == subject_id})
    return rows


def _typed(entry: Mapping[str, Any], subject: Any, names: Mapping[str, str]) -> list[dict[str, Any]]:
    """The candidate rows typed into one round (a paper count), by votes; equal votes share a rank."""
    present = entry.get("participants_present") or 0
    rows = [r for r in entry.get("candidates") or [] if isinstance(r, Mapping)]
    votes = [r.get("votes") or 0 for r in rows]
    ranked = sorted(rows, key=lambda r: -(r.get("votes") or 0))
    return [{"item": "", "rank": 1 + sum(v > (r.get("votes") or 0) for v in votes), "votes": r.get("votes") or 0,
             "name": person_name(int(r.get("person_id") or 0), names),
             "subject": subject is not None and r.get("person_id") == subject.id,
             "rate": percent(r.get("votes") or 0, present)} for r in ranked]


def _round(entry: Mapping[str, Any], tally: Mapping[str, Any] | None, subject: Any,
           names: Mapping[str, str]) -> dict[str, Any]:
    rule = (tally or {}).get("turnout_rule") or {}
    expected = tally["voters"] if tally else entry.get("participants_expected") or 0
    present = tally["cast"] if tally else entry.get("participants_present") or 0
    method = entry.get("method") or entry.get("recommendation_form") or ""
    return {
        "method": _ROUND_LABELS.get(method, method) or BLANK, "date": cn_date(entry.get("recommendation_date")),
        "expected": expected, "present": present, "turnout": percent(present, expected),
        "rule": rule.get("rule", ""), "rule_met": rule.get("met"),
        "valid": tally["valid"] if tally else entry.get("ballots_valid", BLANK),
        "void": tally["void"] if tally else BLANK,
        "candidates": _candidates(tally, subject.id if subject else None) if tally else _typed(entry, subject, names),
        "box_hash": tally.get("box_hash", "") if tally else "", "title": tally.get("title", "") if tally else "",
        "counted_by": "网上无记名投票，系统计票" if tally else "纸质推荐票，人工计票",
    }


def recommendation_stats(inputs: FormInputs) -> dict[str, Any]:
    """民主推荐情况统计表: each round (谈话调研推荐, 会议推荐) with participation and every candidate's
    votes, rate and rank — from the tally of a closed 推荐 ballot where the round was voted online.

    (Version 2 cases kept one round in top-level fields this form no longer reads: it prints no round.)
    """
    tallies = list(inputs.tallies("recommendation"))
    subject = inputs.subject
    data = inputs.data
    entries = [e for e in (data.get("recommendations") or []) if isinstance(e, Mapping)]
    rounds = []
    for entry in entries:  # a round voted online carries its ballot's figures (the ballot_tally rule)
        tally = next((t for t in reversed(tallies) if t.get("voters") == entry.get("participants_expected")
                      and t.get("cast") == entry.get("participants_present")), None) if data.get(
            "recommendation_ballot") else None
        rounds.append(_round(entry, tally, subject, inputs.names))
    return {
        **base_context(inputs, "民主推荐情况统计表"),
        "post": f"{inputs.get('target_unit')}{inputs.get('target_post')}" or BLANK,
        "rounds": rounds,
    }

FORMS = (
    Form("recommendation_stats", "民主推荐情况统计表", "recommendation_stats.html", "1", recommendation_stats,
         fields=_RECOMMEND, ballots=("recommendation",)),
)
