"""Pure codecs of the cadre record: 干部任免审批表 files (LRMX, legacy LRM), bundles of them, Excel rosters.

Nothing here touches the database or the web layer: every reader returns plain
data and a list of problems (Chinese messages), every writer returns bytes.

* ``lrmx.parse_lrmx`` / ``lrmx.to_lrmx`` — the 3.x XML exchange file
* ``lrm.parse_lrm`` — the older quoted-CSV file with its ``.pic`` photo
* ``bundle.read_bundle`` — a file, a folder or a ``.zip`` of those
* ``roster_xlsx.export_roster`` / ``roster_xlsx.import_roster`` — the 干部名册 workbook
* ``idcard.parse_id_number`` — the GB 11643 公民身份号码 check
"""

from .record import Parsed
from .record import Problem

__all__ = ["Parsed", "Problem"]
