"""The world of the need-to-know tests: a city department with a district and a county under it,
users of every role in each, and cases of the district in three procedures, each twice: as is,
and with its participants and some organization users recused.

  江州市委组织部 (root)
  ├── 东湖区委组织部 (donghu)   the cases, their subjects and the scenario users
  └── 西山县委组织部 (xishan)   a sibling: sees nothing of donghu
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

from workflow import Actor
from workflow import Engine

from ..documents.scenario_data import PERSON
from ..documents.scenario_data import USERS
from ..documents.scenarios import collective_interview
from ..documents.scenarios import daily_inspection
from ..documents.scenarios import signed_recommendation
from ..web.helpers import PASSWORD_HASH

ORGS = (("donghu", "东湖区委组织部", None), ("xishan", "西山县委组织部", None))
ROLES = ("officer", "reviewer", "auditor", "admin", "recommender", "panelist", "inspector")
SHORT = {"officer": "off", "reviewer": "rev", "auditor": "aud", "admin": "adm", "recommender": "rec",
         "panelist": "pan", "inspector": "ins"}
# Users outside the scenario: every role in the parent (root) and the sibling (xishan), and in
# donghu the roles the scenario has no idle user of (an admin, a recommender, a panelist and an
# inspector whom no case names).
EXTRA = {f"{SHORT[r]}_{o}": (r, org) for r in ROLES for o, org in (("root", "root"), ("xs", "xishan"))}
EXTRA.update({"adm_dh": ("admin", "donghu"), "rec_dh": ("recommender", "donghu"),
              "pan_dh": ("panelist", "donghu"), "ins_dh": ("inspector", "donghu")})
# Recused on every "_R" case (recorded by off2): officer, reviewer, auditor and every participant.
RECUSED = ("off", "rev1", "aud", "rec", "p1", "i1")
NAMES = ("林文博", "周海涛", "陈思远", "李明轩", "王子健", "赵一鸣")
KINDS = {"REC": (signed_recommendation, "signed_recommendation_form"),
         "INT": (collective_interview, "interview_record"),
         "INS": (lambda e, a, p: daily_inspection(e, a, p, file=False), "daily_inspection_record")}
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a1f2c0e30000000049454e44ae426082")


@dataclass
class World:
    actors: dict[str, Actor]
    cases: dict[str, int] = field(default_factory=dict)  # REC, INT, INS, REC_R, INT_R, INS_R
    people: dict[str, int] = field(default_factory=dict)  # the subject of each case, by the same keys
    attachments: dict[str, int] = field(default_factory=dict)
    forms: dict[str, str] = field(default_factory=dict)  # one form each case has

    def key_of_case(self, case_id: int) -> str:
        return next(k for k, v in self.cases.items() if v == case_id)

    def key_of_person(self, person_id: int) -> str:
        return next(k for k, v in self.people.items() if v == person_id)


def build(engine: Engine) -> World:
    for code, name, parent in ORGS:
        engine.orgs.add(code, name, parent)
    for username, (name, roles, unit) in USERS.items():
        engine.users.add(username, roles, PASSWORD_HASH, name=name, unit=unit, org="donghu")
    for username, (role, org) in EXTRA.items():
        engine.users.add(username, [role], PASSWORD_HASH, name=username, unit="", org=org)
    world = World({u.username: u.actor() for u in engine.users.all()})
    a = world.actors
    for i, key in enumerate(("REC", "INT", "INS", "REC_R", "INT_R", "INS_R")):
        walk, form = KINDS[key[:3]]
        person = engine.people.create({**PERSON, "name": NAMES[i], "id_number": ""}, a["off"])
        case_id = walk(engine, a, person)
        world.cases[key], world.people[key], world.forms[key] = case_id, person.id, form
        world.attachments[key] = engine.add_attachment(case_id, "照片.png", PNG, a["off2"]).id
        if key.endswith("_R"):
            for username in RECUSED:
                engine.add_recusal(case_id, username, "近亲属关系", a["off2"])
    return world


ALL = {"REC", "INT", "INS", "REC_R", "INT_R", "INS_R"}
PLAIN = {"REC", "INT", "INS"}
# The cases each user sees: the organization's officers and reviewers and the auditors of it and
# above see them all (but a recused one not the case recused on); the participants only the case
# that names them; the parent's officers and reviewers, the sibling, administrators, and the
# recommenders, panelists and inspectors no case names see nothing.
SEES_CASES: dict[str, set[str]] = {
    "off": PLAIN, "off2": ALL, "rev1": PLAIN, "rev2": ALL, "aud": PLAIN, "aud_root": ALL,
    "rec": {"REC"}, "p1": {"INT"}, "p2": {"INT", "INT_R"}, "p3": {"INT", "INT_R"}, "p4": {"INT", "INT_R"},
    "p5": {"INT", "INT_R"}, "i1": {"INS"}, "i2": set(),
    **{u: set() for u in EXTRA if u != "aud_root"},
}
# The people each user reads: the whole record by organization (recusal is of a case, not of the
# record), the part a participant's work needs for the subjects of the cases that name them.
WHOLE: dict[str, set[str]] = {u: ALL for u in ("off", "off2", "rev1", "rev2", "aud", "aud_root")}
PART: dict[str, set[str]] = {u: SEES_CASES[u] for u in ("rec", "p1", "p2", "p3", "p4", "p5", "i1")}
