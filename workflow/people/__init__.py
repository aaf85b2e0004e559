"""People (cadres): the facts of the 干部任免审批表, their versioned history, grades, sanctions and photo.

* ``fields``  the person schema (``PERSON_FIELDS``, ``LISTS``) and its validation, code sets included
* ``chain``   the one write path (``Writer.write``) and the hash chain of the history
* ``records`` the changes a record takes (facts, sanctions, marks, photo), on the caller's connection
* ``views``   what is handed out, and what each viewer may see of it (``seen``)
* ``service`` ``People``: what ``engine.people`` offers
* ``kinship`` 亲属关系 (kinship.yaml): who of the family list 回避 concerns, 任职回避 hints
* ``exchange`` importing and exporting LRMX/LRM files and Excel rosters
"""

from .chain import PersonStale
from .fields import CODED
from .fields import GRADES
from .fields import LABELS
from .fields import LISTS
from .fields import OPTIONAL_COLUMNS
from .fields import PERSON_FIELDS
from .fields import SCALARS
from .kinship import family_warnings
from .kinship import kinship_category
from .service import People
from .views import HistoryEntry
from .views import MarkView
from .views import PersonView
from .views import SanctionView
from .views import mark_views
from .views import person_view
from .views import seen

__all__ = ["CODED", "GRADES", "HistoryEntry", "LABELS", "LISTS", "MarkView", "OPTIONAL_COLUMNS", "PERSON_FIELDS",
           "People", "PersonStale", "PersonView", "SCALARS", "SanctionView", "family_warnings", "kinship_category",
           "mark_views", "person_view", "seen"]
