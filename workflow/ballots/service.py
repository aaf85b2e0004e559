"""The ballot service: define a ballot on a case, vote with a code or by name, close and count.

Defining and closing a ballot are recorded in the case's history (``ballot_opened``,
``ballot_closed`` with the tally and the box hash), each in the transaction that does it, like
every change of a case. Who may define, print and close is the policy's ``manage_ballots`` on
the case (a case the caller may not see answers 404, as its ballots do); who may vote on a
named ballot, ``cast_named_votes`` and being listed among its members. An anonymous vote needs
no account: its code is the credential (see the package docstring for what is stored).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection

from ..commands import events
from ..commands.base import CaseCommand
from ..definition.schema import ProcessDefinition
from ..errors import NotFound
from ..errors import PermissionDenied
from ..errors import TransitionNotAllowed
from ..errors import ValidationFailed
from ..extensions import ratio_text
from ..persistence import ballots as store
from ..persistence import cases as case_store
from ..tally import GUARD
from ..tally import count
from ..tally import lookup
from ..tally import mapping
from ..types import Actor
from . import codes as codec
from .spec import ballot_spec
from .spec import clean_choices
from .views import BallotView
from .views import VoterBallot
from .views import view_of

UNKNOWN_CODE = "选票码无效：没有这个选票码，请核对后重新输入"
USED_CODE = "此选票码已经使用过，每个选票码只能投票一次"
CLOSED = "本次投票已经结束，不能再投票"
PAST_DEADLINE = "本次投票已过截止时间，不能再投票"


def _not_found(ballot_id: int) -> NotFound:
    return NotFound(f"投票不存在：{ballot_id}")


@dataclass(frozen=True)
class Ballots(CaseCommand):

    # --- officer --------------------------------------------------------------------------------

    def create(self, case_id: int, actor: Actor, raw: Mapping[str, Any]) -> tuple[BallotView, list[str]]:
        """A new ballot on the case and its one-time codes (shown this once; named ballots have none)."""
        now = self.clock.now()
        if not isinstance(raw, Mapping):
            raise ValidationFailed({"ballot": "投票：应为对象"})
        with self.db.write() as conn:
            row = case_store.lock_case(conn, case_id)
            scope = self.reader.scope(conn, row, row.recused_names)
            role = self.policy.require(actor, "manage_ballots", scope)
            spec = ballot_spec(raw, now)
            if row.final:
                raise TransitionNotAllowed("案件已办结，不能再发起投票")
            if spec["named"]:
                self._check_members(conn, spec["members"], row.recused_names)
            ballot_id = store.insert_ballot(conn, {**spec, "case_id": case_id, "status": "open",
                                                   "created_by": actor.username, "created_at": now})
            plain: list[str] = []
            if not spec["named"]:
                while len(plain) < spec["voters"]:
                    plain = list(dict.fromkeys([*plain, codec.new_code()]))
                store.insert_codes(conn, ballot_id, [codec.code_hash(self.key, c) for c in plain])
                store.put_slips(conn, ballot_id, codec.seal(self.key, ballot_id, plain))
            items = [{k: i[k] for k in ("key", "label", "options", "max_choices")} for i in spec["items"]]
            events.record(conn, self.key, row, "ballot_opened", actor, role, now, {
                "ballot_id": ballot_id, "kind": spec["kind"], "title": spec["title"], "voters": spec["voters"],
                "named": spec["named"], "members": spec["members"], "items": items,
                "deadline": spec["deadline"].isoformat() if spec["deadline"] else None})
            ballot = store.load(conn, ballot_id)
        return view_of(ballot, 0, printable=bool(plain)), [codec.grouped(c) for c in plain]

    def _check_members(self, conn: Connection, members: list[str], recused: frozenset[str]) -> None:
        problems = []
        for username in members:
            roles = case_store.user_roles(conn, username)
            if roles is None:
                problems.append(f"用户{username}不存在")
            elif username in recused:
                problems.append(f"{username}已登记回避")
            elif not self.policy.has(Actor(username, roles=roles), "cast_named_votes"):
                problems.append(f"{username}不能参加表决")
        if problems:
            raise ValidationFailed({"members": "表决成员：" + "；".join(problems)})

    def slips(self, ballot_id: int, actor: Actor) -> tuple[BallotView, list[str]]:
        """The codes to print, while no vote has been cast (afterwards they exist only as hashes)."""
        with self.db.read() as conn:
            ballot = self._visible(conn, ballot_id, actor, "manage_ballots")
            if ballot.named:
                raise NotFound("记名表决没有选票码")
            sealed = store.slips(conn, ballot_id) if ballot.status == "open" else None
            if sealed is None:
                raise TransitionNotAllowed("投票已经开始或已结束，选票码不再提供打印（选票码只保存其哈希值）")
            view = view_of(ballot, 0, printable=True)
        return view, [codec.grouped(c) for c in codec.unseal(self.key, ballot_id, sealed)]

    def close(self, ballot_id: int, actor: Actor) -> dict[str, Any]:
        """Close the ballot and count it; the tally goes into the case's history. Refused twice."""
        now = self.clock.now()
        with self.db.write() as conn:
            ballot = store.load(conn, ballot_id, lock="update")
            if ballot is None:
                raise _not_found(ballot_id)
            row = case_store.lock_case(conn, ballot.case_id)
            scope = self.reader.scope(conn, row, row.recused_names)
            if not self.policy.may_see(actor, scope):
                raise _not_found(ballot_id)
            role = self.policy.require(actor, "manage_ballots", scope)
            if ballot.status != "open":
                raise TransitionNotAllowed("该投票已经结束计票，不能重复结束")
            named = store.named_votes(conn, ballot_id) if ballot.named else {}
            contents = list(named.values()) if ballot.named else store.contents(conn, ballot_id)
            tally = count(ballot_id, ballot.items, ballot.voters, contents,
                          [(m, named[m]) for m in ballot.members if m in named])
            tally = {"ballot_id": ballot_id, "kind": ballot.kind, "title": ballot.title, "named": bool(ballot.named),
                     **tally, **self._turnout_rule(scope.definition, ballot.kind, tally)}
            if ballot.named:
                tally["members"] = ballot.voters
            else:
                used = store.used_count(conn, [ballot_id])[ballot_id]
                if used != tally["cast"]:  # one transaction marks a code and casts its ballot: never happens
                    raise RuntimeError(f"ballot {ballot_id}: {used} codes used, {tally['cast']} ballots in the box")
                store.reshuffle(conn, ballot_id, lambda: codec.new_token(16))
            store.drop_slips(conn, ballot_id)
            store.close(conn, ballot_id, actor.username, now, tally)
            events.record(conn, self.key, row, "ballot_closed", actor, role, now, tally)
        return tally

    def _turnout_rule(self, d: ProcessDefinition, kind: str, tally: Mapping[str, Any]) -> dict[str, Any]:
        """The participation rule of the definition's event that takes this kind of ballot, if it has one:
        a ``ratio_at_least`` whose part and whole are the fields that take ``cast`` and ``voters``."""
        for t in d.transitions:
            for g in t.conditions:
                if g.name != GUARD or g.params.get("kind") != kind:
                    continue
                fields = mapping(g.params)
                for r in t.conditions:
                    if (r.name == "ratio_at_least" and fields.get(r.params.get("part", "")) == "cast"
                            and fields.get(r.params.get("whole", "")) == "voters"):
                        num, den = r.params["ratio"]
                        rule = r.rule.replace("{ratio}", ratio_text(r.params["ratio"]))
                        met = tally["cast"] * den >= tally["voters"] * num
                        return {"turnout_rule": {"rule": rule, "source": r.source, "ratio": [num, den], "met": met}}
        return {}

    # --- voters ---------------------------------------------------------------------------------

    def ballot_for_code(self, code: object) -> VoterBallot:
        """The ballot a code opens, checked as a vote would be (forbidden, not_allowed); changes nothing."""
        with self.db.read() as conn:
            ballot = self._open_for(conn, code)
        return VoterBallot(ballot.title, ballot.kind, tuple(dict(i) for i in ballot.items))

    def _open_for(self, conn: Connection, code: object, lock: str = "") -> Any:
        plain = codec.normalize(code)
        found = store.code(conn, codec.code_hash(self.key, plain)) if plain else None
        if found is None:
            raise PermissionDenied(UNKNOWN_CODE)
        ballot = store.load(conn, found.ballot_id, lock=lock)
        assert ballot is not None
        self._check_open(ballot)
        if found.used:
            raise PermissionDenied(USED_CODE)
        return ballot

    def _check_open(self, ballot: Any) -> None:
        if ballot.status != "open":
            raise TransitionNotAllowed(CLOSED)
        if ballot.deadline is not None and self.clock.now() >= ballot.deadline:
            raise TransitionNotAllowed(PAST_DEADLINE)

    def vote(self, code: object, choices: object) -> str:
        """Cast the ballot of a one-time code; its receipt. Nothing changes on any refusal."""
        with self.db.write() as conn:
            ballot = self._open_for(conn, code, lock="share")
            clean, _ = clean_choices(ballot.items, choices)
            plain = codec.normalize(code)
            assert plain is not None
            if not store.spend(conn, codec.code_hash(self.key, plain)):
                raise PermissionDenied(USED_CODE)
            store.drop_slips(conn, ballot.id)
            receipt = codec.new_token()
            store.cast(conn, ballot.id, codec.new_token(16), clean, receipt)
        return receipt

    def vote_named(self, ballot_id: int, actor: Actor, choices: object) -> str:
        """A member's own vote on a named ballot (逐一表态); refused twice, and for over-choosing."""
        with self.db.write() as conn:
            ballot = self._visible(conn, ballot_id, actor, "cast_named_votes", lock="share")
            if not ballot.named:
                raise PermissionDenied("本次投票为无记名投票，请使用选票码投票")
            if actor.username not in (ballot.members or ()):
                raise PermissionDenied("您不是本次表决的成员")
            self._check_open(ballot)
            clean, over = clean_choices(ballot.items, choices)
            if over:
                labels = {i["key"]: i["label"] for i in ballot.items}
                raise ValidationFailed({f"choices.{k}": f"“{labels[k]}”：选择的选项超过限选数" for k in over})
            receipt = codec.new_token()
            if not store.add_named_vote(conn, ballot_id, actor.username, clean, receipt, self.clock.now()):
                raise PermissionDenied("您已经表决过，不能重复表决")
        return receipt

    # --- readers --------------------------------------------------------------------------------

    def _visible(self, conn: Connection, ballot_id: int, actor: Actor | None, capability: str = "",
                 lock: str = "") -> Any:
        ballot = store.load(conn, ballot_id, lock=lock)
        if ballot is None:
            raise _not_found(ballot_id)
        row = case_store.load_case(conn, ballot.case_id)
        scope = self.reader.scope(conn, row, case_store.recused(conn, row.id))
        if actor is not None and not self.policy.may_see(actor, scope):
            raise _not_found(ballot_id)
        if capability and actor is not None:
            self.policy.require(actor, capability, scope)
        return ballot

    def get(self, ballot_id: int, viewer: Actor | None) -> BallotView:
        with self.db.read() as conn:
            ballot = self._visible(conn, ballot_id, viewer)
            return self._view(conn, ballot)

    def _view(self, conn: Connection, ballot: Any) -> BallotView:
        cast = store.used_count(conn, [ballot.id])[ballot.id]
        voted = frozenset(store.named_votes(conn, ballot.id)) if ballot.named else frozenset()
        printable = ballot.status == "open" and not ballot.named and store.slips(conn, ballot.id) is not None
        return view_of(ballot, cast, printable, voted)

    def of_case(self, case_id: int, viewer: Actor | None) -> list[BallotView]:
        with self.db.read() as conn:
            self.reader.load_visible(conn, case_id, viewer)
            return [self._view(conn, b) for b in store.of_case(conn, case_id)]

    def receipts(self, ballot_id: int, viewer: Actor | None) -> list[str]:
        with self.db.read() as conn:
            ballot = self._visible(conn, ballot_id, viewer)
            if ballot.status != "closed":
                raise TransitionNotAllowed("投票结束后方公布回执")
            return store.receipts(conn, ballot_id)

    def defaults(self, case_id: int, viewer: Actor | None) -> dict[str, dict[str, Any]]:
        """{event: {field: figure}} the case's closed ballots give the events of its current state."""
        out: dict[str, dict[str, Any]] = {}
        with self.db.read() as conn:
            row = self.reader.load_visible(conn, case_id, viewer)
            d = self.reader.definition(row)
            for t in self.registry.machine(d).moves_from(row.state):
                for g in t.conditions:
                    if g.name != GUARD:
                        continue
                    ballot = store.closed_of_kind(conn, case_id, str(g.params.get("kind")))
                    if ballot is None or not ballot.tally:
                        continue
                    figures = {f: lookup(ballot.tally, p, row.subject_id) for f, p in mapping(g.params).items()}
                    out.setdefault(t.trigger, {}).update({f: v for f, v in figures.items() if v is not None})
        return out
