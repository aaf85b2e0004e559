"""People (cadres): the facts of the 干部任免审批表, their versioned history, grades, sanctions and photo.

* ``fields``  the person schema (``PERSON_FIELDS``, ``LISTS``) and its validation, code sets included
* ``chain``   the one write path (``Writer.write``) and the hash chain of the history
* ``records`` the changes a record takes (facts, sanctions, marks, photo), on the caller's connection
* ``views``   what is handed out, and what each viewer may see of it (``seen``)
* ``service`` ``People``: what ``engine.people`` offers
* ``exchange`` importing and exporting LRMX/LRM files and Excel rosters
"""

from .chain import PersonStale
from .fields import CODED
from .fields import GRADES
from .fields import LABELS
from .fields import LISTS
from .fields import PERSON_FIELDS
from .fields import SCALARS
from .service import People
from .views import HistoryEntry
from .views import MarkView
from .views import PersonView
from .views import SanctionView
from .views import mark_views
from .views import person_view
from .views import seen

__all__ = ["CODED", "GRADES", "HistoryEntry", "LABELS", "LISTS", "MarkView", "PERSON_FIELDS", "People",
           "PersonStale", "PersonView", "SCALARS", "SanctionView", "mark_views", "person_view", "seen"]
