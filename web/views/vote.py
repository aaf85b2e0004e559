"""The phone page for voting (blueprint ``vote``): ``/vote``, no account, the code is the credential.

Three steps on one URL: enter (or scan: the slip's QR opens ``/vote?code=...``) a code; see the
ballot; submit and see the receipt. The form carries a CSRF token like every form. Choosing
more options than an item allows is refused here before anything is cast (the page's script
warns as boxes are ticked; this view checks again), so a voter corrects it instead of voiding
the item. An unknown, used or closed-ballot code gets its Chinese message and changes nothing;
failed codes are counted per address (web/throttle.py). Nothing of the request is logged.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import render_template
from flask import request
from flask.typing import ResponseReturnValue

from workflow import PermissionDenied
from workflow import TransitionNotAllowed
from workflow import ValidationFailed
from workflow.ballots.codes import grouped
from workflow.ballots.codes import normalize
from workflow.ballots.views import VoterBallot

from .. import engine
from ..throttle import vote_failed
from ..throttle import vote_locked

bp = Blueprint("vote", __name__)


def _render(status: int = 200, **ctx: Any) -> ResponseReturnValue:
    resp = render_template("vote/page.html", **ctx)
    return resp, status, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _open(code: str) -> tuple[VoterBallot | None, str, int]:
    try:
        return engine().ballots.ballot_for_code(code), "", 200
    except PermissionDenied as exc:
        vote_failed(request.remote_addr or "-")
        return None, exc.message, 403
    except TransitionNotAllowed as exc:
        return None, exc.message, 409


@bp.route("/vote", methods=["GET", "POST"])
def page() -> ResponseReturnValue:
    address = request.remote_addr or "-"
    typed = (request.form.get("code") if request.method == "POST" else request.args.get("code")) or ""
    if not typed:
        return _render()
    locked = vote_locked(address)
    if locked:
        return _render(429, code=typed, error=locked)
    if normalize(typed) is None:
        vote_failed(address)
        return _render(403, code=typed, error="选票码格式不对：应为16位字母和数字（可带短横线），请核对后重新输入")
    ballot, error, status = _open(typed)
    if ballot is None:
        return _render(status, code=typed, error=error)
    code = grouped(normalize(typed) or "")
    if request.method == "GET" or request.form.get("step") != "cast":
        return _render(code=code, ballot=ballot, chosen={})
    chosen = {i["key"]: request.form.getlist(f"item-{i['key']}") for i in ballot.items}
    over = [i for i in ballot.items if len(chosen[i["key"]]) > i["max_choices"]]
    if over:
        problems = [f"“{i['label']}”最多选{i['max_choices']}项，您选了{len(chosen[i['key']])}项" for i in over]
        return _render(422, code=code, ballot=ballot, chosen=chosen, problems=problems)
    try:
        receipt = engine().ballots.vote(code, {k: v for k, v in chosen.items() if v})
    except PermissionDenied as exc:
        vote_failed(address)
        return _render(403, code=code, error=exc.message)
    except TransitionNotAllowed as exc:
        return _render(409, code=code, error=exc.message)
    except ValidationFailed as exc:
        return _render(422, code=code, ballot=ballot, chosen=chosen, problems=list(exc.fields.values()))
    return _render(201, receipt=receipt, title=ballot.title)
