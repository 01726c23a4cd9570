"""Reading a returned workbook back: the company's rows, matched by element and level, every
problem named by sheet and cell (``hrdd.xlsx`` describes the layout)."""

from __future__ import annotations

import bisect
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from hrdd.errors import HrddError
from hrdd.models import Assessment, Framework
from hrdd.xlsx import (
    MAX_TEXT,
    MAX_WORKBOOK_BYTES,
    META,
    CellProblem,
    Column,
    Kind,
    WorkbookError,
    columns_for,
    sheet_for,
)


@dataclass(slots=True)
class Row:
    """The company's columns of one returned row, as text."""

    element: str
    level: str
    row: int
    values: dict[str, str]
    cells: dict[str, int]
    """Column number of each company column (for messages)."""
    has_formula: bool = False
    """A cell of the row held a formula (reported already): its other checks would only be noise."""


@dataclass(slots=True)
class Returned:
    """What a returned workbook holds."""

    rows: list[Row] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)
    """Exported rows that are no longer in the workbook (deleted by the company)."""
    moved: int = 0
    """Rows found at another position than the one they were exported at."""
    problems: list[CellProblem] = field(default_factory=list)
    """Problems in rows (raised with the importer's own, so that every one is listed at once)."""


def _text(cell: Cell | MergedCell, problems: list[CellProblem], sheet: str) -> str:
    """A cell's value as text; formulas are reported, never evaluated or trusted."""
    value = cell.value
    if cell.data_type == "f" or (value is not None and not isinstance(value, (str, int, float, date, datetime))):
        shown = str(value if isinstance(value, str) else getattr(value, "text", "") or "a formula")
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        problems.append(
            CellProblem(
                sheet,
                cell.row or 0,
                cell.column or 0,
                f"holds a formula ({shown}); formulas are not read: type the text itself",
            )
        )
        return ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def read_workbook(path: Path, assessment: Assessment, framework: Framework, kind: Kind) -> Returned:
    """The company's rows of a returned workbook, or ``WorkbookError`` with every problem."""
    book = _open(path, kind)
    problems: list[CellProblem] = []
    sheet_name = sheet_for(kind)
    exported = _check_meta(book[META], assessment, framework, kind, problems)
    sheet = book[sheet_name]
    columns = columns_for(kind)
    _check_headers(sheet, columns, sheet_name, problems)
    if problems:
        raise WorkbookError(path, problems)
    position = {key: n for n, key in enumerate(exported, start=2)}
    returned = Returned()
    seen: dict[tuple[str, str], int] = {}
    for cells in sheet.iter_rows(min_row=2, max_col=max(len(columns), sheet.max_column)):
        texts = [_text(cell, problems, sheet_name) for cell in cells]
        if not any(texts):
            continue
        r = cells[0].row or 0
        extra = [(c, t) for c, t in enumerate(texts[len(columns) :], start=len(columns) + 1) if t]
        for c, _ in extra:
            problems.append(CellProblem(sheet_name, r, c, "is outside the exported columns; move it or clear it"))
        key = (texts[0], texts[1])
        if key not in position:
            problems.append(
                CellProblem(
                    sheet_name,
                    r,
                    1,
                    f"no row for element {key[0]!r} at level {key[1]!r} was exported; rows are matched by "
                    "their Element and Level: comment on the exported rows, and do not edit those two columns",
                )
            )
            continue
        if key in seen:
            problems.append(
                CellProblem(
                    sheet_name,
                    r,
                    1,
                    f"element {key[0]} at level {key[1]} is also in row {seen[key]}; "
                    "keep one row per element and level",
                )
            )
            continue
        seen[key] = r
        values = {}
        numbers = {}
        for c, column in enumerate(columns, start=1):
            if column.company:
                values[column.name] = texts[c - 1]
                numbers[column.name] = c
                if len(texts[c - 1]) > MAX_TEXT:
                    problems.append(
                        CellProblem(
                            sheet_name, r, c, f"is {len(texts[c - 1])} characters long, over the limit of {MAX_TEXT}"
                        )
                    )
        returned.rows.append(
            Row(
                element=key[0],
                level=key[1],
                row=r,
                values=values,
                cells=numbers,
                has_formula=any(cell.data_type == "f" for cell in cells),
            )
        )
    returned.missing = [key for key in exported if key not in seen]
    order = [position[(row.element, row.level)] for row in returned.rows]
    returned.moved = len(order) - _longest_increasing(order)
    # Exported order, whatever order the company left the rows in: the same file either way.
    returned.rows.sort(key=lambda row: position[(row.element, row.level)])
    returned.problems = problems
    return returned


def _open(path: Path, kind: Kind) -> Workbook:
    """The workbook at ``path``, checked to be one that hrdd exported (its sheets are there)."""
    size = path.stat().st_size
    if size > MAX_WORKBOOK_BYTES:
        raise HrddError(f"{path} is {size:,} bytes, over the limit of {MAX_WORKBOOK_BYTES:,}: not a returned workbook")
    try:
        book = load_workbook(path, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise HrddError(f"{path} is not an .xlsx workbook ({exc}); save it as an Excel workbook (.xlsx)") from exc
    except Exception as exc:  # whatever a malformed file makes openpyxl raise is the file's fault
        raise HrddError(f"{path} cannot be read as an .xlsx workbook ({type(exc).__name__}: {exc})") from exc
    sheet_name = sheet_for(kind)
    if META not in book.sheetnames or sheet_name not in book.sheetnames:
        wanted = sheet_name if sheet_name not in book.sheetnames else META
        raise HrddError(
            f"{path.name} has no sheet {wanted!r}: it is not a workbook from hrdd export xlsx"
            f"{' --self' if kind == 'self' else ''}; export one for this assessment"
        )
    return book


def _check_headers(sheet: Worksheet, columns: Sequence[Column], sheet_name: str, problems: list[CellProblem]) -> None:
    for c, column in enumerate(columns, start=1):
        header = sheet.cell(row=1, column=c)
        if _text(header, problems, sheet_name) != column.header:
            problems.append(
                CellProblem(
                    sheet_name,
                    1,
                    c,
                    f"expected the column {column.header!r} here; keep the columns as they were exported",
                )
            )


def _longest_increasing(values: list[int]) -> int:
    """Length of the longest increasing subsequence: the rows that kept their order, so that
    the others are the fewest rows that were moved (a deleted row moves none)."""
    tails: list[int] = []
    for value in values:
        n = bisect.bisect_left(tails, value)
        if n == len(tails):
            tails.append(value)
        else:
            tails[n] = value
    return len(tails)


def _check_meta(
    sheet: Worksheet, a: Assessment, fw: Framework, kind: Kind, problems: list[CellProblem]
) -> list[tuple[str, str]]:
    expected = (("kind", kind), ("company", a.company.slug), ("cycle", str(a.cycle)), ("framework", fw.key))
    for r, (name, value) in enumerate(expected, start=1):
        found = _text(sheet.cell(row=r, column=2), problems, META)
        if found != value:
            problems.append(
                CellProblem(
                    META,
                    r,
                    2,
                    f"the workbook was exported with {name} {found!r}, not {value!r}: "
                    "import it for the assessment it was exported from",
                )
            )
    keys = []
    for r in range(5, sheet.max_row + 1):
        element = _text(sheet.cell(row=r, column=1), problems, META)
        level = _text(sheet.cell(row=r, column=2), problems, META)
        if element and level:
            keys.append((element, level))
    return keys
