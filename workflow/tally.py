"""Counting a closed ballot, the ballot-box hash, and reading figures out of a tally. Pure functions.

Rules (api.md, procedures.md): an item on which a ballot chooses more options than allowed is
void on that ballot; an item left blank is an abstention; a ballot whose every item is void is
a void ballot, any other cast ballot is valid (a blank one too: it abstains). Per item,
``valid`` counts the ballots that marked it within the limit. Rates are fractions: ``rate``
of the ballots cast, ``share`` of the item's valid ballots. Ranking is by votes, ties sharing
a rank (1, 1, 3).

The box hash is SHA-256 over the canonical JSON of every ballot's choices, sorted by that
encoding: anyone holding the box recomputes it, and it does not depend on arrival order.

``lookup`` gives one figure of a tally by a path a definition names (see ``PATHS``), for the
case's case, with ``subject_id`` the case's person: the guard ``ballot_tally`` compares typed
figures with it, and the event forms take it as their defaults.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from .audit import canonical

PATHS = ("voters", "cast", "valid", "void", "turnout", "item.valid", "item.void", "item.abstain", "option:<选项>",
         "subject.votes", "subject.rank", "others", "candidates", "stances", "members")


def box_hash(ballot_id: int, contents: Sequence[Mapping[str, Any]]) -> str:
    ballots = sorted(canonical(dict(c)).decode("utf-8") for c in contents)
    return hashlib.sha256(canonical({"ballot": ballot_id, "ballots": ballots})).hexdigest()


def _fraction(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _ranking(counts: Mapping[str, int], cast: int, valid: int) -> list[dict[str, Any]]:
    ordered = sorted(counts.items(), key=lambda kv: -kv[1])
    out, rank = [], 0
    for i, (option, votes) in enumerate(ordered):
        if i == 0 or votes != ordered[i - 1][1]:
            rank = i + 1
        out.append({"option": option, "votes": votes, "rank": rank, "rate": _fraction(votes, cast),
                    "share": _fraction(votes, valid)})
    return out


def count(ballot_id: int, items: Sequence[Mapping[str, Any]], voters: int, contents: Sequence[Mapping[str, Any]],
          named: Sequence[tuple[str, Mapping[str, Any]]] = ()) -> dict[str, Any]:
    """The tally of ``contents`` (each a {item key: [options]}); ``named`` (username, choices) in members' order."""
    cast = len(contents)
    counts = {i["key"]: dict.fromkeys(i["options"], 0) for i in items}
    stats = {i["key"]: {"valid": 0, "void": 0, "abstain": 0} for i in items}
    void = 0
    for c in contents:
        void_items = 0
        for item in items:
            chosen = c.get(item["key"]) or []
            s = stats[item["key"]]
            if len(chosen) > item["max_choices"]:
                s["void"] += 1
                void_items += 1
            elif not chosen:
                s["abstain"] += 1
            else:
                s["valid"] += 1
                for option in chosen:
                    counts[item["key"]][option] += 1
        if items and void_items == len(items):
            void += 1
    details = {}
    for item in items:
        key = item["key"]
        details[key] = {"label": item["label"], "max_choices": item["max_choices"], "person_id": item.get("person_id"),
                        "people": {o: p for o, p in zip(item["options"], item.get("people") or [], strict=False)
                                   if p is not None},
                        **stats[key], "ranking": _ranking(counts[key], cast, stats[key]["valid"])}
        if named:
            details[key]["stances"] = [{"username": who, "stance": (choices.get(key) or [""])[0]}
                                       for who, choices in named
                                       if len(choices.get(key) or []) == 1]
    return {"voters": voters, "cast": cast, "valid": cast - void, "void": void, "turnout": _fraction(cast, voters),
            "items": counts, "details": details, "box_hash": box_hash(ballot_id, contents)}


def subject_item(tally: Mapping[str, Any], subject_id: int | None) -> str | None:
    """The item about the case's person (its ``person_id``), or the only item."""
    details: Mapping[str, Any] = tally.get("details") or {}
    for key, d in details.items():
        if subject_id is not None and d.get("person_id") == subject_id:
            return str(key)
    return next(iter(details)) if len(details) == 1 else None


def _subject_option(tally: Mapping[str, Any], subject_id: int | None) -> tuple[str, str] | None:
    """(item, option) of the candidate who is the case's person."""
    for key, d in (tally.get("details") or {}).items():
        for option, person in (d.get("people") or {}).items():
            if subject_id is not None and person == subject_id:
                return str(key), str(option)
    return None


def lookup(tally: Mapping[str, Any], path: str, subject_id: int | None) -> Any:
    """The figure ``path`` names (``PATHS``), or None when the tally has none for this case."""
    if path in ("voters", "cast", "valid", "void", "turnout", "members"):
        return tally.get(path)
    details: Mapping[str, Any] = tally.get("details") or {}
    if path.startswith("subject.") or path in ("others", "candidates"):
        found = _subject_option(tally, subject_id)
        key = found[0] if found else subject_item(tally, subject_id)
        if key is None:
            return None
        ranking = details[key]["ranking"]
        if path == "candidates":
            people = details[key].get("people") or {}
            return [{"person_id": people[r["option"]], "votes": r["votes"]} for r in ranking if r["option"] in people]
        if path == "others":
            return "；".join(f"{r['option']}{r['votes']}票" for r in ranking if not found or r["option"] != found[1])
        if found is None:
            return None
        entry = next(r for r in ranking if r["option"] == found[1])
        return entry["votes"] if path == "subject.votes" else entry["rank"]
    key = subject_item(tally, subject_id)
    if key is None:
        return None
    if path.startswith("item."):
        return details[key].get(path[len("item."):])
    if path.startswith("option:"):
        return (tally.get("items") or {}).get(key, {}).get(path[len("option:"):])
    if path == "stances":
        return details[key].get("stances")
    return None


def known_path(path: str) -> bool:
    return path in PATHS or (path.startswith("option:") and len(path) > len("option:"))


GUARD = "ballot_tally"  # ties an event's figures to a closed ballot (workflow/extensions/guards_ballots.py)


def mapping(params: Mapping[str, Any]) -> dict[str, str]:
    """{field: tally path} of a ``ballot_tally`` condition's parameters."""
    fields, paths = params.get("fields") or [], params.get("tally") or []
    return {str(f): str(p) for f, p in zip(fields, paths, strict=False)}
