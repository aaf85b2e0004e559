"""Sealing is the same on every channel: while a collective interview is being scored, each
panelist's scores and comment are read by that panelist and by those who read sealed entries
(auditors) only, on the case page, in the API's history, in the history PDF (pages and API) and in
an export; once scoring closes, everyone who sees the case reads them."""

from __future__ import annotations

import json
from pathlib import Path

from documents.export import run_export
from tests.pdfs import pdf_text

from ..documents.scenario_data import fire
from .conftest import Site

DIMS = ("score_political", "score_capability", "score_commitment", "score_conduct", "score_integrity")
COMMENT = {"p1": "甲评语回答切题层次清楚", "p2": "乙评语思路开阔表达准确"}


def _scoring(site: Site) -> int:
    """The INT subject's second interview, scored so far by p1 and p2 (p3, p4, p5 not yet)."""
    eng, a, w = site.engine, site.world.actors, site.world
    case = eng.start_case("collective_interview", a["off"], title="第二次面谈", subject_id=w.people["INT"],
                          data={"purpose": "复核"})
    fire(eng, case.id, "schedule", a["off"], {
        "panel": ["p1", "p2", "p3", "p4", "p5"], "chair": "p1", "recorder": "off",
        "interview_time": "2026-11-20T09:30:00+08:00", "place": "第三会议室", "duration_minutes": 60,
        "outline": "一、岗位认识；二、主要实绩。"})
    fire(eng, case.id, "begin_interview", a["off"], {"held_at": "2026-11-20T09:30:00+08:00"})
    for user in ("p1", "p2"):
        fire(eng, case.id, "score", a[user], {**dict.fromkeys(DIMS, 90), "score_comment": COMMENT[user]})
    return case.id


def _channels(site: Site, user: str, case_id: int, tmp: Path) -> dict[str, str]:
    """What ``user`` reads of the case on each channel, as text."""
    export_dir = tmp / f"export-{user}"
    run_export(site.engine, [case_id], False, None, export_dir, 1, site.world.actors[user])
    [entry] = json.loads((export_dir / "manifest.json").read_text(encoding="utf-8"))["cases"]
    return {
        "page": site.page(user).get(f"/cases/{case_id}").get_data(as_text=True),
        "api": json.dumps(site.api(user, f"/cases/{case_id}/history").get_json(), ensure_ascii=False),
        "api pdf": pdf_text(site.api(user, f"/cases/{case_id}/history.pdf").data),
        "page pdf": pdf_text(site.page(user).get(f"/cases/{case_id}/history.pdf").data),
        "export": pdf_text((export_dir / entry["file"]).read_bytes()),
    }


def test_sealed_on_every_channel_and_open_once_scoring_closes(site: Site, tmp_path: Path) -> None:
    case_id = _scoring(site)
    readers = {"p1": {"p1"}, "p2": {"p2"}, "p3": set(), "off": set(), "rev1": set(), "aud": {"p1", "p2"},
               "aud_root": {"p1", "p2"}}
    wrong = []
    for user, sees in readers.items():
        for channel, text in _channels(site, user, case_id, tmp_path).items():
            read = {p for p, comment in COMMENT.items() if comment in text}
            if read != sees:
                wrong.append(f"{user} {channel}: reads {sorted(read)}, expected {sorted(sees)}")
    assert wrong == []
    for user in ("p3", "p4", "p5"):
        fire(site.engine, case_id, "score", site.world.actors[user],
             {**dict.fromkeys(DIMS, 80), "score_comment": "同意"})
    fire(site.engine, case_id, "close_scoring", site.world.actors["off"])
    for user in ("p3", "off", "rev1"):
        for channel, text in _channels(site, user, case_id, tmp_path / "closed").items():
            if not all(comment in text for comment in COMMENT.values()):
                wrong.append(f"{user} {channel}: scores still hidden after scoring closed")
    assert wrong == []
