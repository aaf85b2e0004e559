"""The 干部名册 as an Excel workbook: export (write-only, streaming) and import (read-only, validated).

``export_roster(rows, columns)`` writes one sheet: a bold frozen header row, an
auto-filter over the table, widths from the header and the first rows, 年月
columns as real Excel dates shown ``yyyy.mm``, 公民身份号码 as text. A text
starting with ``=`` is stored as text, never as a formula.

``import_roster(data, columns, progress)`` returns ``(records, errors)``:
``records`` are the rows without errors (``RosterRecord(row, person)``, the
person in the representation of ``workflow.exchange.record``: ISO dates, empty
cells left out); ``errors`` are ``(row, column_label, message)`` with the Excel
row number (the header is row 1; 0 for the file itself) and a Chinese message.
Cells are checked for required values, 年月, 性别, code sets (``workflow.codes``),
the GB 11643 check character, the ID's birth date against 出生年月 and its sex
digit against 性别, and duplicate IDs within the file.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from itertools import chain
from itertools import islice
from typing import Any

from openpyxl import Workbook
from openpyxl import load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from ..codes import code_set
from .bundle import ZIP_ERRORS
from .idcard import InvalidIdNumber
from .idcard import birth_mismatch
from .idcard import gender_mismatch
from .idcard import parse_id_number
from .record import clean
from .record import loose_date

MAX_XLSX_BYTES = 50 * 2**20
MAX_XLSX_UNPACKED = 512 * 2**20
MAX_ERRORS = 5000
MONTH_FORMAT = "yyyy.mm"
RowError = tuple[int, str, str]


@dataclass(frozen=True)
class Column:
    """One roster column: ``kind`` is text, month, gender, code (with ``code_set``) or id_number.

    For a code column ``store`` says what the record keeps: the canonical ``label``,
    the ``code``, or the ``text`` as typed (checked only).
    """

    key: str
    label: str
    kind: str = "text"
    required: bool = False
    code_set: str = ""
    store: str = "label"
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class RosterRecord:
    row: int
    person: dict[str, Any] = field(default_factory=dict)


ROSTER_COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", required=True),
    Column("gender", "性别", "gender", required=True),
    Column("birth_date", "出生年月", "month", required=True, aliases=("出生日期",)),
    Column("ethnicity", "民族", "code", code_set="ethnicity"),
    Column("native_place", "籍贯"),
    Column("political_status", "政治面貌", "code", code_set="political_status"),
    Column("party_join_date", "入党时间", "month"),
    Column("work_start_date", "参加工作时间", "month"),
    Column("edu_fulltime_level", "全日制学历", "code", code_set="education", store="text"),
    Column("edu_fulltime_degree", "学位", "code", code_set="degree", store="text", aliases=("全日制学位",)),
    Column("edu_fulltime_school", "毕业院校系及专业"),
    Column("edu_inservice_level", "在职学历", "code", code_set="education", store="text"),
    Column("edu_inservice_degree", "在职学位", "code", code_set="degree", store="text"),
    Column("unit", "工作单位"),
    Column("current_post", "现任职务"),
    Column("rank_level", "职务层次/职级", "code", code_set="rank_level", store="code", aliases=("职务层次", "职级")),
    Column("post_since", "任现职务时间", "month"),
    Column("rank_since", "任现职级时间", "month"),
    Column("id_number", "公民身份号码", "id_number", aliases=("身份证号", "身份证号码")),
)

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _as_date(value: Any) -> date | None:
    """A date from a cell value: Excel dates, ``1975.03``, ``1975-03-12``, ``197503``, ``1975年3月``, serials."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and len(str(value)) not in (6, 8):
        try:
            serial = from_excel(value)
        except (ValueError, OverflowError, TypeError):
            return None
        return serial.date() if isinstance(serial, datetime) else None
    return loose_date(str(value))


def _display(column: Column, value: Any) -> Any:
    """The cell value to write: dates as ``date``, coded values as their label."""
    if value is None or value == "":
        return None
    if column.kind == "month":
        return _as_date(value) or clean(value)
    if column.kind == "code" and column.store == "code":
        codes = code_set(column.code_set)
        return codes.label(value) if value in codes else clean(value)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else clean(value)


def export_roster(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column] = ROSTER_COLUMNS) -> bytes:
    """The rows as an .xlsx workbook (bytes), one column per ``Column``, in write-only (streaming) mode."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("干部名册")
    stream = iter(rows)
    head = [[_display(c, row.get(c.key)) for c in columns] for row in islice(stream, 200)]
    for i, column in enumerate(columns):
        shown = (r[i].strftime("%Y.%m") if isinstance(r[i], date) else str(r[i]) for r in head if r[i] is not None)
        sample = [_width(text) for text in shown]
        letter = get_column_letter(i + 1)
        sheet.column_dimensions[letter].width = min(max([_width(column.label) + 4, *sample]) + 2, 60)
    sheet.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.label)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        header.append(cell)
    sheet.append(header)
    count = 0
    later = ([_display(c, row.get(c.key)) for c in columns] for row in stream)
    for values in chain(head, later):
        cells: list[Any] = []
        for value in values:
            if isinstance(value, date) or (isinstance(value, str) and value.startswith("=")):
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, date):
                    cell.number_format = MONTH_FORMAT
                else:
                    cell.data_type = "s"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _guard(data: bytes) -> str | None:
    if len(data) > MAX_XLSX_BYTES:
        return f"文件超过{MAX_XLSX_BYTES // 2**20} MB的大小上限"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except ZIP_ERRORS:
        return "不是有效的Excel（.xlsx）文件"
    if len(infos) > 10000 or sum(i.file_size for i in infos) > MAX_XLSX_UNPACKED:
        return "Excel文件解压后过大，拒绝读取"
    return None


def _squeeze(label: Any) -> str:
    """A header label without any whitespace (templates write 姓  名)."""
    return re.sub(r"\s+", "", str(label))


def _cell(column: Column, value: Any) -> tuple[Any, str | None]:
    """(value for the record, error message) of one cell; (None, None) for an empty optional cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ("此项为必填项" if column.required else None)
    if column.kind == "month":
        day = _as_date(value)
        return (day.isoformat(), None) if day else (None, f"应为年月（如1975.03），实为“{clean(value)}”")
    if column.kind == "id_number":
        if not isinstance(value, str):
            return None, "应以文本格式填写（数字格式会丢失末几位），请把此列设为文本后重新填写"
        try:
            return parse_id_number(value).number, None
        except InvalidIdNumber as exc:
            return None, str(exc)
    text = clean(value.date().isoformat() if isinstance(value, datetime) else value)
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if column.kind == "gender":
        return (text, None) if text in ("男", "女") else (None, f"应为“男”或“女”，实为“{text}”")
    if column.kind == "code":
        codes = code_set(column.code_set)
        code = codes.code_for(text)
        if code is None:
            return None, f"“{text}”不在{codes.title}代码中"
        return {"code": code, "label": codes.label(code)}.get(column.store, text), None
    return text, None


def _cross(person: dict[str, Any], labels: Mapping[str, str], row: int, seen: dict[str, int]) -> list[RowError]:
    number = person.get("id_number")
    if not number:
        return []
    label = labels.get("id_number", "公民身份号码")
    errors = []
    if number in seen:
        errors.append((row, label, f"与第{seen[number]}行的公民身份号码重复"))
    else:
        seen[number] = row
    parsed = parse_id_number(number)
    if person.get("birth_date"):
        why = birth_mismatch(parsed, date.fromisoformat(person["birth_date"]), month_only=True)
        if why:
            errors.append((row, label, why))
    why = gender_mismatch(parsed, str(person.get("gender", "")))
    if why:
        errors.append((row, label, why))
    return errors


def import_roster(data: bytes, columns: Sequence[Column] = ROSTER_COLUMNS,
                  progress: Callable[[int, int], None] | None = None) -> tuple[list[RosterRecord], list[RowError]]:
    """Read a 干部名册 workbook (first sheet, header in row 1) in read-only streaming mode."""
    problem = _guard(data)
    if problem:
        return [], [(0, "", problem)]
    with warnings.catch_warnings():
        # openpyxl warns about harmless quirks of other producers (WPS, old Excel): not the user's concern
        warnings.simplefilter("ignore", UserWarning)
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds (KeyError, InvalidFileException, ...) for a damaged file
            return [], [(0, "", "不是有效的Excel（.xlsx）文件")]
        try:
            return _read(book.worksheets[0], columns, progress)
        except Exception:  # read-only mode parses lazily: a damaged sheet fails here, in openpyxl, lxml or zipfile
            return [], [(0, "", "Excel文件已损坏，无法读完（请用Excel打开后另存为.xlsx再导入）")]
        finally:
            book.close()


def _read(sheet: Any, columns: Sequence[Column],
          progress: Callable[[int, int], None] | None) -> tuple[list[RosterRecord], list[RowError]]:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header or not any(v is not None for v in header):
        return [], [(1, "", "第1行应为表头（姓名、性别、出生年月……），实为空行")]
    names = {_squeeze(v): i for i, v in reversed(list(enumerate(header))) if v is not None}
    where: dict[str, int] = {}
    errors: list[RowError] = []
    for column in columns:
        index = next((names[n] for n in map(_squeeze, (column.label, *column.aliases)) if n in names), None)
        if index is not None:
            where[column.key] = index
        elif column.required:
            errors.append((1, column.label, f"缺少此列：第1行表头中没有“{column.label}”"))
    if errors:
        return [], errors
    total = max((sheet.max_row or 1) - 1, 0)
    labels = {c.key: c.label for c in columns}
    records: list[RosterRecord] = []
    seen: dict[str, int] = {}
    done = 0
    for row_number, values in enumerate(rows, start=2):
        if not any(v is not None and str(v).strip() for v in values):
            continue
        person: dict[str, Any] = {}
        row_errors: list[RowError] = []
        for column in columns:
            index = where.get(column.key)
            value, error = _cell(column, values[index] if index is not None and index < len(values) else None)
            if error:
                row_errors.append((row_number, column.label, error))
            elif value is not None:
                person[column.key] = value
        row_errors.extend(_cross(person, labels, row_number, seen))
        if row_errors:
            errors.extend(row_errors)
        else:
            records.append(RosterRecord(row_number, person))
        done += 1
        if progress and done % 500 == 0:
            progress(done, max(total, done))
        if len(errors) >= MAX_ERRORS:
            errors = errors[:MAX_ERRORS] + [(row_number, "", f"错误超过{MAX_ERRORS}条，其后的行未再检查")]
            break
    if progress:
        progress(done, max(total, done))
    return records, errors
