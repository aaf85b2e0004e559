"""Ballots: define one on a case, print its slips, vote (with a code, or by name), close, receipts.

``POST /vote`` is the one endpoint without a token: the one-time code is the credential. It
is protected by the codes themselves (80 random bits each; a guess hits one of N codes with
probability N / 2^80) and by counting failed codes per client address: after
``VOTE_FAILURES`` unknown or used codes in 15 minutes the address is refused (429) for 15
minutes; successful votes are not counted, so a meeting room behind one address is never
locked out. It is CSRF-exempt like the rest of the API: it reads no cookie, so a forged
cross-site request carries no more authority than its sender already has. Nothing of a
vote's body is logged.
"""

from __future__ import annotations

from typing import Any

from flask import Response
from flask import jsonify
from flask import request
from flask import url_for

from workflow import PermissionDenied
from workflow.ballots.views import BallotView

from .. import engine
from ..throttle import vote_failed
from ..throttle import vote_locked
from .auth import current_actor
from .blueprint import bp
from .cases import ID
from .errors import ApiError
from .files import _pdf
from .files import _render
from .schemas import BALLOT_INPUT
from .schemas import NAMED_VOTE_INPUT
from .schemas import VOTE_INPUT
from .serialize import iso
from .validation import json_body


def ballot_json(b: BallotView) -> dict[str, Any]:
    return {
        "id": b.id, "case_id": b.case_id, "kind": b.kind, "kind_label": b.kind_label, "title": b.title,
        "status": b.status, "voters": b.voters, "cast": b.cast, "named": b.named, "members": list(b.members),
        "voted": sorted(b.voted),
        "items": [{k: i.get(k) for k in ("key", "label", "options", "max_choices", "person_id")} for i in b.items],
        "deadline": iso(b.deadline), "created_by": b.created_by, "created_at": iso(b.created_at),
        "closed_at": iso(b.closed_at), "box_hash": b.box_hash, "printable": b.printable, "tally": b.tally,
    }


@bp.post(f"/cases/<{ID}:case_id>/ballots")
def create_ballot(case_id: int) -> Any:
    body = json_body(BALLOT_INPUT)
    view, codes = engine().ballots.create(case_id, current_actor(), body)
    resp = jsonify({"id": view.id, "codes": codes, "ballot": ballot_json(view)})
    resp.status_code = 201
    resp.headers["Location"] = url_for(".get_ballot", ballot_id=view.id)
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get(f"/cases/<{ID}:case_id>/ballots")
def list_ballots(case_id: int) -> Any:
    return jsonify([ballot_json(b) for b in engine().ballots.of_case(case_id, current_actor())])


@bp.get(f"/ballots/<{ID}:ballot_id>")
def get_ballot(ballot_id: int) -> Any:
    return ballot_json(engine().ballots.get(ballot_id, current_actor()))


@bp.get(f"/ballots/<{ID}:ballot_id>/codes.pdf")
def ballot_codes_pdf(ballot_id: int) -> Any:
    eng, actor = engine(), current_actor()
    vote_url = url_for("vote.page", _external=True)

    def render(_: Any) -> bytes:
        from documents.slips import render_slips

        return render_slips(eng, ballot_id, actor, vote_url, request.remote_addr or "")

    return _pdf(_render(render), f"选票码-投票{ballot_id}.pdf")


@bp.post(f"/ballots/<{ID}:ballot_id>/close")
def close_ballot(ballot_id: int) -> Any:
    return jsonify(engine().ballots.close(ballot_id, current_actor()))


@bp.get(f"/ballots/<{ID}:ballot_id>/receipts")
def ballot_receipts(ballot_id: int) -> Any:
    return jsonify(engine().ballots.receipts(ballot_id, current_actor()))


@bp.post(f"/ballots/<{ID}:ballot_id>/votes")
def named_vote(ballot_id: int) -> Any:
    body = json_body(NAMED_VOTE_INPUT)
    receipt = engine().ballots.vote_named(ballot_id, current_actor(), body["choices"])
    return _receipt(receipt)


@bp.post("/vote")
def vote() -> Any:
    """No token: the code is the credential (see the module docstring)."""
    address = request.remote_addr or "-"
    locked = vote_locked(address)
    if locked:
        raise ApiError("too_many_requests", locked)
    body = json_body(VOTE_INPUT)
    try:
        receipt = engine().ballots.vote(body["code"], body["choices"])
    except PermissionDenied:
        vote_failed(address)
        raise
    return _receipt(receipt)


def _receipt(receipt: str) -> Response:
    resp = jsonify({"receipt": receipt})
    resp.status_code = 201
    resp.headers["Cache-Control"] = "no-store"
    return resp
