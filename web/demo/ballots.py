"""Demo ballots: a closed 民主测评 with its 民主测评结果统计表, an open 民主推荐 with printable codes.

Called from the demo loader after the case scripts (``demo_ballots(demo)``); idempotent like them:
each case is opened once by procedure and title, so a second run adds nothing. The 测评 is voted
through the engine as the phones would (codes from the sealed slips), closed, and its tally
recorded by the inspector with the figures the ballot fills in.
"""

from __future__ import annotations

from typing import Any

from .cases import _inspection
from .cases import _selection
from .runner import Demo

EVALUATION_TITLE = "孙静同志任前考察（网上民主测评）"
RECOMMENDATION_TITLE = "何婷同志拟任市商务局副局长（网上会议推荐）"
GRADES = ("优秀",) * 16 + ("称职",) * 6 + ("基本称职",)


def _evaluation(d: Demo) -> None:
    cid = d.open("pre_appointment_inspection", EVALUATION_TITLE, "孙静",
                 data={"proposed_post": "中共江州市委办公室副主任"})
    if cid is None:
        return
    d.run(cid, _inspection("2026-11-02", "2026-11-04", ("", "", "", ""))[:3])
    officer, inspector = d.actors["officer1"], d.actors["inspector2"]
    subject = d.people["孙静"]
    ballot, _ = d.engine.ballots.create(cid, officer, {
        "kind": "evaluation", "title": "孙静同志民主测评", "voters": 25,
        "items": [{"key": "sunjing", "label": "孙静", "person_id": subject}]})
    _, codes = d.engine.ballots.slips(ballot.id, officer)
    for code, grade in zip(codes, GRADES, strict=False):
        d.engine.ballots.vote(code, {"sunjing": [grade]})
    d.engine.ballots.vote(codes[len(GRADES)], {})  # one blank: an abstention
    d.engine.ballots.close(ballot.id, officer)
    figures: dict[str, Any] = d.engine.ballots.defaults(cid, inspector)["record_evaluation"]
    d.run(cid, [("record_evaluation", "inspector2", {
        **figures, "evaluation_date": "2026-11-06", "talk_count": 24,
        "talk_summary": "谈话对象普遍认为该同志政治素质好、文字综合能力强。"})])


def _recommendation(d: Demo) -> None:
    # 何婷 is a 副科: 副局长 (县处级副职) skips 正科, a 越级 promotion, reported to and approved by the
    # provincial department before the recommendation goes on.
    cid = d.open("selection_appointment", RECOMMENDATION_TITLE, "何婷",
                 data={**_selection("江州市商务局副局长", "江州市商务局"), "exceptional": "越级",
                       "exceptional_reason": "招商引资和对外贸易工作实绩特别显著，因工作特殊需要越级提拔。"})
    if cid is None:
        return
    d.run(cid, [("approve_plan", "reviewer2", {"plan_summary": "职位1名；在商务系统范围内个别提拔；会议推荐产生人选。",
                                               "plan_approved_on": "2026-11-10", "reported_to_leaders": True}),
                ("approve_exceptional", "officer1", {"exceptional_approved_on": "2026-11-12",
                                                     "exceptional_approval_doc": "省委组干函〔2026〕57号"})])
    d.engine.ballots.create(cid, d.actors["officer1"], {
        "kind": "recommendation", "title": "市商务局副局长人选会议推荐", "voters": 40,
        "items": [{"key": "post", "label": "市商务局副局长（限推1人）", "max_choices": 1,
                   "options": [{"label": "何婷", "person_id": d.people["何婷"]},
                               {"label": "黄磊", "person_id": d.people["黄磊"]}, "其他人选"]}]})


def demo_ballots(d: Demo) -> None:
    _evaluation(d)
    _recommendation(d)
