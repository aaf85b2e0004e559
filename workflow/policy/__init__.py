"""The one policy: who may see and do what, read from ``definitions/roles.yaml``.

``Policy.can(actor, capability, case)`` and ``Policy.require(...)`` answer every
question the pages, the API, the CLI and the documents ask; ``may_see`` is the
visibility rule of a case, ``sees_sealed`` the reading of sealed entries, and
``policy.acting.check_actor`` who may fire an event. Nothing outside this
package and the YAML names a role.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from ..definition.schema import ProcessDefinition
from ..errors import CaseNotFound
from ..errors import PermissionDenied
from ..types import Actor
from .roles import RoleCatalog

RECUSAL_SOURCE = "《党政领导干部选拔任用工作条例》第五十三条"
COPY_ONLY = "本案件系抄送给您查阅，只能查阅，不能办理"
# Capabilities exercised on one case: refused to a recused user, checked against the case's procedure.
ON_CASE = frozenset({"act", "add_attachments", "issue_documents", "record_recusals", "declare_recusal",
                     "add_signers"})


@dataclass(frozen=True)
class CaseScope:
    """What the policy reads about one case."""

    id: int
    definition: ProcessDefinition
    state: str
    final: bool
    recused: frozenset[str] = frozenset()
    created_by: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)
    org_id: int = 0
    org_path: str = ""
    readers: frozenset[str] = frozenset()  # the users the case names (recommender, panel, team)
    copied: frozenset[str] = frozenset()  # the users the case was copied to (抄送: read only)


@dataclass(frozen=True)
class Visibility:
    """Which cases (or people) one viewer sees, for a query to turn into SQL.

    ``everything`` is the engine's own view (no viewer). Otherwise a case is visible when
    it belongs to one of ``org_ids``, or to an organization under one of ``subtrees`` (paths),
    or names ``participant`` among its readers; and never when ``recused`` is recused on it.
    """

    everything: bool = False
    org_ids: tuple[int, ...] = ()
    subtrees: tuple[str, ...] = ()
    participant: str | None = None
    recused: str | None = None

    @property
    def nothing(self) -> bool:
        return not (self.everything or self.org_ids or self.subtrees or self.participant)


class Policy:
    def __init__(self, catalog: RoleCatalog) -> None:
        self.catalog = catalog
        self._order = {r.name: i for i, r in enumerate(catalog.roles)}
        self._with: dict[tuple[frozenset[str], str], list[str]] = {}  # the catalog never changes

    # --- roles --------------------------------------------------------------------------------------

    def role_label(self, role: str) -> str:
        return self.catalog.label(role)

    def roles_text(self, roles: Iterable[str]) -> str:
        return "、".join(self.role_label(r) for r in roles)

    def unknown_roles(self, roles: Iterable[str]) -> list[str]:
        return [r for r in roles if self.catalog.get(r) is None]

    def _roles_with(self, actor: Actor, capability: str) -> list[str]:
        key = (frozenset(actor.roles), capability)
        found = self._with.get(key)
        if found is None:
            found = [r for r in actor.roles if (role := self.catalog.get(r)) and capability in role.capabilities]
            found = self._with[key] = sorted(found, key=self._order.__getitem__)
        return list(found)

    def has(self, actor: Actor | None, capability: str) -> bool:
        return actor is not None and bool(self._roles_with(actor, capability))

    def read_only(self, actor: Actor) -> bool:
        """True when none of the actor's roles may change anything (an auditor, or no role at all)."""
        return all((role := self.catalog.get(r)) is None or role.read_only for r in actor.roles)

    def acting_roles(self, actor: Actor) -> frozenset[str]:
        """The actor's roles that may act on cases (the business roles)."""
        return frozenset(self._roles_with(actor, "act"))

    # --- cases --------------------------------------------------------------------------------------

    def _scopes(self, actor: Actor, capability: str) -> set[str]:
        return {role.scope for r in self._roles_with(actor, capability) if (role := self.catalog.get(r))}

    def may_see(self, actor: Actor | None, case: CaseScope) -> bool:
        """Whether ``actor`` may read ``case`` at all (everyone else gets 404).

        Organization roles see their organization's cases, subtree roles (auditors) also those
        of every organization under theirs, participation roles only the cases that name them;
        a recused user sees the case no more. A user the case was copied to (抄送) reads it too,
        read-only (``may_work_on``); copies widen single-case reads and the 抄送 list only, never the
        lists, counts and statistics (``case_visibility``).
        """
        if actor is None:
            return True
        if actor.username in case.recused:
            return False
        scopes = self._scopes(actor, "read_cases")
        return self._sees(actor, case, scopes) or (bool(scopes) and actor.username in case.copied)

    def _sees(self, actor: Actor, case: CaseScope, scopes: set[str]) -> bool:
        return (("organization" in scopes and case.org_id == actor.org_id)
                or ("subtree" in scopes and bool(actor.org_path) and case.org_path.startswith(actor.org_path))
                or ("participation" in scopes and actor.username in case.readers))

    def may_work_on(self, actor: Actor, case: CaseScope) -> bool:
        """Whether ``actor`` sees ``case`` in their own right, not only by a copy (抄送 is read-only)."""
        return actor.username not in case.recused and self._sees(actor, case, self._scopes(actor, "read_cases"))

    def copy_refusal(self, who: Actor, case: CaseScope) -> str | None:
        """Why ``who`` may not be copied a case (抄送), or None. Need-to-know: only a user who reads cases,
        is not recused, and belongs to the case's organization or one above it (干部管理权限)."""
        if who.username in case.recused:
            return f"{who.display}已回避本案件，不能抄送（回避制度，{RECUSAL_SOURCE}）"
        if not self._scopes(who, "read_cases"):
            return f"{who.display}的角色不能查阅案件，不能抄送"
        if not (self.may_see(who, case) or (bool(who.org_path) and case.org_path.startswith(who.org_path))):
            return f"{who.display}不在本案件所属组织或其上级组织，无权知悉本案件（干部管理权限），不能抄送"
        return None

    def delegation_refusal(self, delegator: Actor, delegate: Actor) -> str | None:
        """Why ``delegator`` may not delegate to ``delegate`` (委托), or None: both act on cases and the
        delegate holds every role the delegator acts in."""
        own = self.acting_roles(delegator)
        if not own or self.read_only(delegator):
            return "您的角色不能办理案件，无可委托的事项"
        missing = sorted(own - self.acting_roles(delegate), key=self._order.__getitem__)
        if missing:
            return f"受托人须具有与委托人相同的角色（{delegate.display}没有：{self.roles_text(missing)}）"
        return None

    def case_visibility(self, actor: Actor | None) -> Visibility:
        """``may_see`` as a description a list query turns into SQL (the same rule, for many cases)."""
        if actor is None:
            return Visibility(everything=True)
        scopes = self._scopes(actor, "read_cases")
        return Visibility(org_ids=(actor.org_id,) if "organization" in scopes else (),
                          subtrees=(actor.org_path,) if "subtree" in scopes and actor.org_path else (),
                          participant=actor.username if "participation" in scopes else None,
                          recused=actor.username)

    def people_visibility(self, actor: Actor | None) -> Visibility:
        """Which people ``actor`` reads: those their organization manages (subtree roles: and below),
        and for participation roles the subjects of the cases that name them."""
        if actor is None:
            return Visibility(everything=True)
        scopes = self._scopes(actor, "read_people")
        return Visibility(org_ids=(actor.org_id,) if "organization" in scopes else (),
                          subtrees=(actor.org_path,) if "subtree" in scopes and actor.org_path else (),
                          participant=actor.username if "participation" in scopes else None)

    def reads_whole_record(self, actor: Actor | None, org_id: int, org_path: str) -> bool:
        """Whether ``actor`` reads a person's whole record (family, marks, sanctions), or only the part
        their work on a case needs (participation)."""
        if actor is None:
            return True
        scopes = self._scopes(actor, "read_people")
        return (("organization" in scopes and org_id == actor.org_id)
                or ("subtree" in scopes and bool(actor.org_path) and org_path.startswith(actor.org_path)))

    def sees_org(self, actor: Actor, org_id: int, org_path: str) -> bool:
        """Whether ``actor`` sees an organization: administrators see them all (they place users in
        them), subtree roles their own and those under it, everyone else their own."""
        if self.has(actor, "manage_users"):
            return True
        if any(self._scopes(actor, cap) & {"subtree"} for cap in ("read_cases", "read_people")):
            return bool(actor.org_path) and org_path.startswith(actor.org_path)
        return org_id == actor.org_id

    def sees_sealed(self, actor: Actor | None) -> bool:
        """Whether ``actor`` reads entries that are sealed from the others (scores while scoring)."""
        return self.has(actor, "read_sealed")

    def can(self, actor: Actor, capability: str, case: CaseScope | None = None) -> bool:
        try:
            self.require(actor, capability, case)
        except (PermissionDenied, CaseNotFound):
            return False
        return True

    def require(self, actor: Actor, capability: str, case: CaseScope | None = None) -> str:
        """The role in which ``actor`` may do ``capability`` (on ``case``), or PermissionDenied saying why.

        A case the actor may not see raises CaseNotFound: a refusal would confirm that it exists.
        """
        if case is not None and not self.may_see(actor, case):
            raise CaseNotFound(case.id)
        if case is not None and capability in ON_CASE and not self.may_work_on(actor, case) \
                and actor.username not in case.recused:
            raise PermissionDenied(COPY_ONLY)
        roles = self._roles_with(actor, capability)
        if case is not None and capability in ON_CASE:
            involved = _roles_of(case.definition)
            if capability != "record_recusals":
                roles = [r for r in roles if r in involved] or ([] if capability == "add_attachments" else roles)
        if not roles:
            raise PermissionDenied(self._refusal(actor, capability))
        if case is not None and capability in ON_CASE:
            if actor.username in case.recused and capability != "declare_recusal":
                raise PermissionDenied(f"您已回避本案件，不能办理（回避制度，{RECUSAL_SOURCE}）")
            if case.final and capability == "add_attachments":
                raise PermissionDenied("案件已办结，不能再添加附件")
        return roles[0]

    def _refusal(self, actor: Actor, capability: str) -> str:
        what = self.catalog.capability_labels.get(capability, capability)
        read_only = [r for r in actor.roles if (role := self.catalog.get(r)) and role.read_only]
        if read_only and self.read_only(actor):
            return f"{self.roles_text(sorted(read_only))}为只读角色，不能{what}"
        return f"您的角色不能{what}"

    def start_roles(self, actor: Actor, d: ProcessDefinition) -> str:
        """The role in which ``actor`` opens a case of ``d``, or PermissionDenied."""
        self.require(actor, "start_cases")
        role = next((r for r in d.start.roles if r in self.acting_roles(actor)), None)
        if role is None:
            raise PermissionDenied(f"“{d.title}”须由{self.roles_text(d.start.roles)}发起")
        return role

    def may_start_any(self, actor: Actor, definitions: Iterable[ProcessDefinition]) -> bool:
        return self.has(actor, "start_cases") and any(
            set(d.start.roles) & self.acting_roles(actor) for d in definitions)


def _roles_of(d: ProcessDefinition) -> frozenset[str]:
    """Every role the procedure gives something to do."""
    return frozenset({r for t in d.transitions for r in t.roles} | set(d.start.roles))


def scope_of(row: Any, d: ProcessDefinition, recused: frozenset[str], org_path: str = "",
             readers: frozenset[str] = frozenset(), copied: frozenset[str] = frozenset()) -> CaseScope:
    """The policy's view of a case row or snapshot."""
    return CaseScope(row.id, d, row.state, bool(row.final), recused, getattr(row, "created_by", ""),
                     getattr(row, "data", None) or {}, getattr(row, "org_id", 0), org_path, readers, copied)


__all__ = ["COPY_ONLY", "CaseScope", "Policy", "RECUSAL_SOURCE", "RoleCatalog", "Visibility", "scope_of"]
