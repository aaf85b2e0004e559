"""The Core tables of the models, named once: what the SQL of every module reads and writes."""

from __future__ import annotations

from .ballot_models import Ballot
from .ballot_models import BallotCode
from .ballot_models import BallotContent
from .ballot_models import BallotReceipt
from .ballot_models import BallotSlips
from .ballot_models import NamedVote
from .daily_models import CaseCopy
from .daily_models import Delegation
from .job_models import Job
from .models import AccessHead
from .models import AccessLog
from .models import ApiToken
from .models import Attachment
from .models import Blob
from .models import CalendarDay
from .models import CalendarYear
from .models import Case
from .models import CaseEvent
from .models import CaseLedger
from .models import CaseLink
from .models import CaseReader
from .models import Counter
from .models import DefinitionVersion
from .models import DocumentLog
from .models import LedgerHead
from .models import LoginFailure
from .models import Organization
from .models import Recusal
from .models import User
from .models import UserSession
from .models import table
from .notice_models import CaseHolder
from .notice_models import Notification
from .people_models import Person
from .people_models import PersonHistory
from .people_models import PersonMark
from .people_models import PersonPhoto
from .people_models import PersonSanction
from .stay_models import CaseStay

access_t = table(AccessLog)
access_head_t = table(AccessHead)
att_t = table(Attachment)
ballots_t = table(Ballot)
box_t = table(BallotContent)
codes_t = table(BallotCode)
named_votes_t = table(NamedVote)
receipts_t = table(BallotReceipt)
slips_t = table(BallotSlips)
blobs_t = table(Blob)
cases_t = table(Case)
counters_t = table(Counter)
days_t = table(CalendarDay)
defs_t = table(DefinitionVersion)
doclog_t = table(DocumentLog)
events_t = table(CaseEvent)
failures_t = table(LoginFailure)
head_t = table(LedgerHead)
ledger_t = table(CaseLedger)
links_t = table(CaseLink)
holders_t = table(CaseHolder)
notices_t = table(Notification)
marks_t = table(PersonMark)
orgs_t = table(Organization)
people_t = table(Person)
person_history_t = table(PersonHistory)
photos_t = table(PersonPhoto)
sanctions_t = table(PersonSanction)
readers_t = table(CaseReader)
recusals_t = table(Recusal)
tokens_t = table(ApiToken)
users_t = table(User)
sessions_t = table(UserSession)
years_t = table(CalendarYear)
jobs_t = table(Job)
copies_t = table(CaseCopy)
delegations_t = table(Delegation)
stays_t = table(CaseStay)
