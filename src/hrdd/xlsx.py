"""Assessments as spreadsheets for companies that work in Excel, not in git.

``export_workbook`` writes a workbook for one assessment: one row per element and level, the
assessor's columns locked and the company's open, with drop-down lists for closed choices, an
instructions sheet and the sources on their own sheet. Two kinds:

* ``feedback``: the independent assessment, with empty columns for the company's position,
  reason and evidence; ``read_feedback`` turns the returned workbook into the feedback file
  ``<cycle>-feedback.yaml`` (``hrdd.feedback``);
* ``self``: a self-assessment to fill in (answer, evidence, comment per row);
  ``read_self_assessment`` writes the answers back into the self-assessment's YAML.

A workbook is untrusted both ways. On the way out, text starting with ``=``, ``+``, ``-``, ``@``,
a tab or CR is stored as a string with Excel's quote prefix, so it cannot become a formula when
the company opens the file. On the way back, rows are matched by their element and level, not
their position (a row may be moved, deleted or added); a cell holding a formula is reported,
its cached value never used; every problem is named by sheet and cell (``Feedback!I37: ...``).
"""

from __future__ import annotations

import bisect
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from hrdd.errors import HrddError, UsageError
from hrdd.models import Answer, Assessment, Framework, Source

Kind = Literal["feedback", "self"]

INSTRUCTIONS = "Instructions"
FEEDBACK = "Feedback"
ANSWERS = "Answers"
SOURCES = "Sources"
META = "hrdd"
"""A very hidden sheet: what the workbook was exported for, and the rows in exported order."""

MAX_TEXT = 20000
"""The schemas' limit on free text."""

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
"""Largest workbook read back: an exported workbook of a large assessment is well under 1 MB."""

_URL = re.compile(r"^https?://[^\s\"<>]+$")
_RISKY_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    name: str
    width: int
    company: bool = False
    """Filled in by the company: unlocked, and read back on import."""


_KEY = (Column("Element", "element", 10), Column("Level", "level", 12), Column("Level name", "level_name", 22))
_QUESTION = (Column("Question", "question", 50), Column("What earns yes or partial", "guidance", 50))
FEEDBACK_COLUMNS = (
    *_KEY,
    *_QUESTION,
    Column("Assessor's answer", "answer", 14),
    Column("Assessor's evidence", "assessor_evidence", 50),
    Column("Assessor's comment", "comment", 40),
    Column("Your position", "position", 14, company=True),
    Column("Your reason", "reason", 50, company=True),
    Column("Your evidence: a link, or a source id from the Sources sheet", "evidence", 36, company=True),
    Column("Quote from your evidence", "quote", 50, company=True),
)
SELF_COLUMNS = (
    *_KEY,
    *_QUESTION,
    Column("Your answer", "answer", 16, company=True),
    Column("Your evidence: a link, or a source id from the Sources sheet", "evidence", 36, company=True),
    Column("Quote from your evidence", "quote", 50, company=True),
    Column("Your comment", "comment", 50, company=True),
)
POSITIONS = ("agree", "disagree")


def columns_for(kind: Kind) -> tuple[Column, ...]:
    return FEEDBACK_COLUMNS if kind == "feedback" else SELF_COLUMNS


def sheet_for(kind: Kind) -> str:
    return FEEDBACK if kind == "feedback" else ANSWERS


# --- export --------------------------------------------------------------------------------


def rows_for(assessment: Assessment, framework: Framework, kind: Kind) -> list[tuple[str, str]]:
    """(element, level) of every row: the answers the assessment gives (feedback), or every
    element and level that applies (self-assessment), in framework order."""
    keys = []
    for element in framework.elements():
        for level in assessment.levels:
            answered = level.id in assessment.answers.get(element.id, {})
            if answered or (
                kind == "self"
                and framework.applies(element, assessment.company.type, level.kind, assessment.company.sector)
            ):
                keys.append((element.id, level.id))
    return keys


def export_workbook(assessment: Assessment, framework: Framework, out: Path, *, kind: Kind, force: bool = False) -> int:
    """Write the workbook for ``assessment`` to ``out`` (never over an existing file unless
    ``force``); returns the number of rows."""
    if kind == "feedback" and assessment.is_self_assessment:
        raise UsageError("feedback is on an independent assessment; for a self-assessment use --self")
    if kind == "self" and not assessment.is_self_assessment:
        raise UsageError("--self exports a self-assessment (<cycle>-self.yaml, e.g. from hrdd new --self)")
    if out.exists() and not force:
        raise UsageError(f"{out} exists; choose another --out or add --force to replace it")
    keys = rows_for(assessment, framework, kind)
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = INSTRUCTIONS
    _instructions(first, assessment, framework, kind)
    _rows_sheet(book.create_sheet(sheet_for(kind)), assessment, framework, kind, keys)
    _sources_sheet(book.create_sheet(SOURCES), assessment.sources)
    _meta_sheet(book.create_sheet(META), assessment, framework, kind, keys)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}-", suffix=".xlsx", dir=out.parent)
    os.close(fd)
    try:
        book.save(tmp)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return len(keys)


def put(cell: Any, value: str | int | None) -> None:
    """Set a cell to data that stays data: text that a spreadsheet program would read as a
    formula (or that CSV-style injection relies on) is stored as a string with Excel's quote
    prefix; characters that are illegal in the file format are replaced."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    cell.value = value
    if isinstance(value, str) and value.startswith(_RISKY_START):
        cell.data_type = "s"  # openpyxl took "=..." for a formula
        cell.quotePrefix = True


_HEAD_FONT = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDDDDD")
_OPEN_FILL = PatternFill("solid", fgColor="FFF8DC")
_WRAP = Alignment(wrap_text=True, vertical="top")
_OPEN = Protection(locked=False)


def _protect(sheet: Worksheet) -> None:
    # No password: the lock is there so that the assessor's columns are not changed by mistake.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False
    sheet.protection.sort = False


def _instructions(sheet: Worksheet, a: Assessment, fw: Framework, kind: Kind) -> None:
    lines: list[str]
    if kind == "feedback":
        lines = [
            f"Feedback on the assessment of {a.company.name} ({a.cycle}) by {a.assessor.name}",
            f"Framework: {fw.title} {fw.version}. Status: {a.status}: not for publication.",
            "",
            f"The {FEEDBACK} sheet has one row per element and level the assessment answers. The grey "
            "columns are the assessor's and are locked; fill in the yellow ones where you want to comment.",
            "Your position: agree, or disagree (choose from the list). Leave it empty for no comment.",
            "Your reason: why you disagree (needed when you disagree), in your own words.",
            f"Your evidence: a link (https://...) to a public document, or the id of a source on the {SOURCES} "
            "sheet; Quote: the passage that supports your position.",
            "Rows are matched by their Element and Level: you may sort, move or delete rows, but do not edit "
            "those two columns and do not add rows for elements or levels that are not listed.",
            "Type text, not formulas: a cell holding a formula is refused.",
            "The assessor will record a response to each comment: accepted (the answer changes) or not "
            "accepted (with the reason). Both are published with the assessment.",
        ]
    else:
        lines = [
            f"Self-assessment of {a.company.name} ({a.cycle}) against {fw.title} {fw.version}",
            "",
            f"The {ANSWERS} sheet has one row per element and level to answer. Fill in the yellow columns.",
            "Your answer: choose from the list. Your evidence: a link (https://...) to a public document, or the "
            f"id of a source on the {SOURCES} sheet; Quote: the passage that supports the answer.",
            "Rows are matched by their Element and Level: you may sort or move rows, but do not edit those "
            "two columns. Type text, not formulas: a cell holding a formula is refused.",
        ]
    lines += ["", "Answers:"]
    lines += [f"{o.id}: {o.label}" + (f". {o.description}" if o.description else "") for o in fw.answers]
    for n, line in enumerate(lines, start=1):
        cell = sheet.cell(row=n, column=1)
        put(cell, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 120
    _protect(sheet)


def _evidence_text(a: Assessment, evidence: Sequence[Any]) -> str:
    parts = []
    for ev in evidence:
        quote = f": {ev.quote}" if ev.quote else ""
        parts.append(f"{ev.source}{quote}")
    return "\n".join(parts)


def _rows_sheet(sheet: Worksheet, a: Assessment, fw: Framework, kind: Kind, keys: list[tuple[str, str]]) -> None:
    columns = columns_for(kind)
    levels = {lv.id: lv for lv in a.levels}
    for c, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=c)
        put(cell, column.header)
        cell.font = _HEAD_FONT
        cell.fill = _HEAD_FILL
        cell.alignment = _WRAP
        sheet.column_dimensions[get_column_letter(c)].width = column.width
    for r, (element_id, level_id) in enumerate(keys, start=2):
        element = fw.element(element_id)
        assert element is not None
        answer = a.answers.get(element_id, {}).get(level_id)
        values: dict[str, str] = {
            "element": element_id,
            "level": level_id,
            "level_name": levels[level_id].name,
            "question": element.text,
            "guidance": element.guidance,
        }
        if answer is not None:
            values["answer"] = answer.answer
            values["comment"] = answer.comment
            if kind == "feedback":
                values["assessor_evidence"] = _evidence_text(a, answer.evidence)
            else:
                values.update(_self_values(answer))
        for c, column in enumerate(columns, start=1):
            cell = sheet.cell(row=r, column=c)
            put(cell, values.get(column.name) or None)
            cell.alignment = _WRAP
            if column.company:
                cell.protection = _OPEN
                cell.fill = _OPEN_FILL
    last = len(keys) + 1
    choice_column = "position" if kind == "feedback" else "answer"
    choices = POSITIONS if kind == "feedback" else tuple(o.id for o in fw.answers)
    letter = get_column_letter(next(n for n, c in enumerate(columns, start=1) if c.name == choice_column))
    listed = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not in the list",
        error="Choose one of: " + ", ".join(choices),
    )
    sheet.add_data_validation(listed)
    if last >= 2:
        listed.add(f"{letter}2:{letter}{last}")
    sheet.freeze_panes = "D2"
    _protect(sheet)


def _self_values(answer: Answer) -> dict[str, str]:
    """The self-assessment columns of an answer as exported (its first evidence only)."""
    first = answer.evidence[0] if answer.evidence else None
    return {
        "answer": answer.answer,
        "evidence": first.source if first else "",
        "quote": first.quote if first else "",
        "comment": answer.comment,
    }


def _sources_sheet(sheet: Worksheet, sources: Sequence[Source]) -> None:
    headers = ("Id", "Title", "Publisher", "Link", "Archived copy")
    for c, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=c)
        put(cell, header)
        cell.font = _HEAD_FONT
        cell.fill = _HEAD_FILL
    for r, s in enumerate(sources, start=2):
        for c, value in enumerate((s.id, s.title, s.publisher, s.url, s.archive_url), start=1):
            put(sheet.cell(row=r, column=c), value or None)
    for letter, width in zip("ABCDE", (8, 50, 30, 50, 50), strict=True):
        sheet.column_dimensions[letter].width = width
    _protect(sheet)


def _meta_sheet(sheet: Worksheet, a: Assessment, fw: Framework, kind: Kind, keys: list[tuple[str, str]]) -> None:
    for r, row in enumerate(
        (("kind", kind), ("company", a.company.slug), ("cycle", str(a.cycle)), ("framework", fw.key)), start=1
    ):
        for c, value in enumerate(row, start=1):
            put(sheet.cell(row=r, column=c), value)
    for r, (element_id, level_id) in enumerate(keys, start=5):
        put(sheet.cell(row=r, column=1), element_id)
        put(sheet.cell(row=r, column=2), level_id)
    sheet.sheet_state = "veryHidden"
    _protect(sheet)


# --- import --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class CellProblem:
    """One problem in a returned workbook, at one cell."""

    sheet: str
    row: int
    column: int
    message: str

    @property
    def cell(self) -> str:
        return f"{get_column_letter(self.column)}{self.row}" if self.column else str(self.row)

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}: {self.message}"


class WorkbookError(HrddError):
    """A returned workbook has problems; every one is listed, each at its sheet and cell."""

    def __init__(self, path: Path, problems: list[CellProblem]) -> None:
        self.path = path
        self.problems = sorted(problems)
        count = len(self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in {path.name}; nothing was written"
            if count
            else f"{path.name} could not be read"
        )

    def details(self) -> str:
        return "".join(f"{p}\n" for p in self.problems)


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
    size = path.stat().st_size
    if size > MAX_WORKBOOK_BYTES:
        raise HrddError(f"{path} is {size:,} bytes, over the limit of {MAX_WORKBOOK_BYTES:,}: not a returned workbook")
    try:
        book = load_workbook(path, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise HrddError(f"{path} is not an .xlsx workbook ({exc}); save it as an Excel workbook (.xlsx)") from exc
    except Exception as exc:  # whatever a malformed file makes openpyxl raise is the file's fault
        raise HrddError(f"{path} cannot be read as an .xlsx workbook ({type(exc).__name__}: {exc})") from exc
    problems: list[CellProblem] = []
    sheet_name = sheet_for(kind)
    if META not in book.sheetnames or sheet_name not in book.sheetnames:
        wanted = sheet_name if sheet_name not in book.sheetnames else META
        raise HrddError(
            f"{path.name} has no sheet {wanted!r}: it is not a workbook from hrdd export xlsx"
            f"{' --self' if kind == 'self' else ''}; export one for this assessment"
        )
    exported = _check_meta(book[META], assessment, framework, kind, problems)
    sheet = book[sheet_name]
    columns = columns_for(kind)
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


class _Evidence:
    """Turns the company's evidence cells into source ids: an assessment source id as it is,
    a link to a new source (the same link, the same source) numbered c1, c2, ..."""

    def __init__(self, existing: Sequence[Source], taken: set[str], own: Sequence[tuple[str, str]] = ()) -> None:
        self.by_url: dict[str, str] = {s.url: s.id for s in existing}
        self.by_url.update({url: sid for sid, url in own})
        self.ids = {s.id for s in existing}
        self.taken = set(taken) | self.ids | {sid for sid, _ in own}
        self.new: list[tuple[str, str]] = []

    def source_for(self, text: str) -> str | None:
        if text in self.ids:
            return text
        if not _URL.match(text):
            return None
        if text not in self.by_url:
            n = 1
            while f"c{n}" in self.taken:
                n += 1
            self.taken.add(f"c{n}")
            self.by_url[text] = f"c{n}"
            self.new.append((f"c{n}", text))
        return self.by_url[text]


def _evidence_problem(row: Row, sheet: str, problems: list[CellProblem]) -> None:
    problems.append(
        CellProblem(
            sheet,
            row.row,
            row.cells["evidence"],
            f"{row.values['evidence'][:60]!r} is neither a link (http:// or https://) nor a source id from the "
            f"{SOURCES} sheet",
        )
    )


# --- feedback ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Imported:
    path: Path
    added: int
    replaced: int
    unchanged: int
    missing: list[tuple[str, str]]
    moved: int

    def summary(self) -> str:
        lines = [
            f"wrote {self.path}: {self.added} item(s) added, {self.replaced} replaced, {self.unchanged} already there"
        ]
        if self.moved:
            lines.append(f"{self.moved} row(s) had been moved; they were matched by element and level")
        if self.missing:
            shown = ", ".join(f"{e} at {lv}" for e, lv in self.missing[:10])
            more = f" and {len(self.missing) - 10} more" if len(self.missing) > 10 else ""
            lines.append(f"{len(self.missing)} exported row(s) were deleted from the workbook: {shown}{more}")
        return "\n".join(lines)


def _yaml() -> YAML:
    yaml = YAML()  # round trip, YAML 1.2, as hrdd.yamlio reads it
    yaml.width = 4096
    yaml.brace_single_entry_mapping_in_flow_sequence = True  # keep [{source: s1}] as written
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _scalar(text: str) -> str:
    return LiteralScalarString(text) if "\n" in text else text


def feedback_items(returned: Returned, evidence: _Evidence, sheet: str) -> tuple[list[CommentedMap], list[CellProblem]]:
    """The feedback items of the returned rows (rows without a position are no feedback)."""
    problems: list[CellProblem] = []
    items = []
    for row in returned.rows:
        if row.has_formula:
            continue
        v = row.values
        position = v["position"].lower()
        if not position:
            if any(v[name] for name in ("reason", "evidence", "quote")):
                problems.append(
                    CellProblem(
                        sheet,
                        row.row,
                        row.cells["position"],
                        "fill in your position (agree or disagree), or clear this row's reason and evidence",
                    )
                )
            continue
        if position not in POSITIONS:
            problems.append(
                CellProblem(
                    sheet,
                    row.row,
                    row.cells["position"],
                    f"{v['position'][:40]!r} is not a position; choose agree or disagree",
                )
            )
            continue
        if position == "disagree" and not v["reason"]:
            problems.append(CellProblem(sheet, row.row, row.cells["reason"], "you disagree: give your reason here"))
        item = CommentedMap()
        item["element"] = row.element
        item["level"] = row.level
        item["position"] = position
        if v["reason"]:
            item["reason"] = _scalar(v["reason"])
        if v["evidence"]:
            source = evidence.source_for(v["evidence"])
            if source is None:
                _evidence_problem(row, sheet, problems)
            else:
                entry = CommentedMap()
                entry["source"] = source
                if v["quote"]:
                    entry["quote"] = _scalar(v["quote"])
                item["evidence"] = CommentedSeq([entry])
        elif v["quote"]:
            problems.append(
                CellProblem(
                    sheet, row.row, row.cells["evidence"], "a quote needs its source: add the link or source id"
                )
            )
        items.append(item)
    return items, problems


def _plain(value: Any) -> Any:
    """ruamel.yaml data as plain data, for comparing."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, str) else value


def import_feedback(
    workbook: Path,
    assessment: Assessment,
    framework: Framework,
    *,
    force: bool = False,
    check: Callable[[Path, bytes], list[str]] | None = None,
) -> Imported:
    """Read a returned feedback workbook into ``<cycle>-feedback.yaml`` beside the assessment.

    Items already in the feedback file are kept; one the workbook changes is replaced only
    with ``force`` (its response with it). ``check`` validates the text before it is written
    (``hrdd.feedback.check_feedback_file``) and returns its problems."""
    from hrdd.load import feedback_path

    assert assessment.path is not None
    if assessment.status == "published":
        raise UsageError(
            f"{assessment.path} is published: feedback comes before publication (status: preliminary); "
            "after it, the company replies (reply: under an answer)"
        )
    target = feedback_path(assessment.path)
    returned = read_workbook(workbook, assessment, framework, "feedback")
    yaml = _yaml()
    if target.exists():
        try:
            data = yaml.load(target.read_text(encoding="utf-8"))
        except Exception as exc:  # any YAML error: the file is to be fixed first
            raise HrddError(f"{target} cannot be read ({exc}); fix it first (hrdd validate {target})") from exc
        if not isinstance(data, dict) or not isinstance(data.get("items", []), list):
            raise UsageError(f"{target} is not a feedback file; fix or move it first")
    else:
        data = CommentedMap()
        data["company"] = assessment.company.slug
        data["cycle"] = assessment.cycle
        data.yaml_set_start_comment(
            "yaml-language-server: $schema=../../schema/feedback.schema.json\n"
            f"Feedback from {assessment.company.name} on {assessment.path.name}, imported by hrdd import xlsx.\n"
            "Add a response to each item: accepted (old_answer, new_answer) or not_accepted (reason)."
        )
    own = [(str(s["id"]), str(s["url"])) for s in data.get("sources", []) if isinstance(s, dict)]
    evidence = _Evidence(assessment.sources, {sid for sid, _ in own}, own)
    items, problems = feedback_items(returned, evidence, FEEDBACK)
    if problems or returned.problems:
        raise WorkbookError(workbook, returned.problems + problems)
    if not items and not target.exists():
        raise UsageError(f"{workbook} has no feedback (no row has a position); nothing was written")
    existing = data.setdefault("items", CommentedSeq())
    at = {(str(i.get("element")), str(i.get("level"))): n for n, i in enumerate(existing) if isinstance(i, dict)}
    conflicts = []
    added = replaced = unchanged = 0
    for item in items:
        key = (item["element"], item["level"])
        if key not in at:
            existing.append(item)
            added += 1
            continue
        old = existing[at[key]]
        company_part = {k: v for k, v in _plain(old).items() if k != "response"}
        if company_part == _plain(item):
            unchanged += 1
        elif force:
            existing[at[key]] = item
            replaced += 1
        else:
            conflicts.append(f"{key[0]} at {key[1]}")
    if conflicts:
        raise UsageError(
            f"{target} already has different feedback for {', '.join(conflicts)}; "
            "add --force to replace it (and the responses to it)"
        )
    if evidence.new:
        sources = data.setdefault("sources", CommentedSeq())
        for sid, url in evidence.new:
            source = CommentedMap()
            source["id"] = sid
            source["url"] = url
            source["title"] = url
            sources.append(source)
        if "sources" in data and list(data).index("sources") > list(data).index("items"):
            data.move_to_end("items")
    _write_checked(yaml, data, target, check)
    return Imported(
        path=target, added=added, replaced=replaced, unchanged=unchanged, missing=returned.missing, moved=returned.moved
    )


def _write_checked(yaml: YAML, data: Any, target: Path, check: Callable[[Path, bytes], list[str]] | None) -> None:
    import io

    buffer = io.StringIO()
    yaml.dump(data, buffer)
    raw = buffer.getvalue().encode("utf-8")
    if check is not None:
        found = check(target, raw)
        if found:
            raise HrddError(f"the result would not be valid; nothing was written to {target}:\n" + "\n".join(found))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# --- self-assessment -------------------------------------------------------------------------


def import_self_assessment(
    workbook: Path,
    assessment: Assessment,
    framework: Framework,
    *,
    force: bool = False,
    check: Callable[[Path, bytes], list[str]] | None = None,
) -> Imported:
    """Write the answers of a returned self-assessment workbook into the self-assessment's
    file (comments and order kept). An answer the file already gives, other than the
    framework's initial one, is changed only with ``force``."""
    assert assessment.path is not None
    target = assessment.path
    returned = read_workbook(workbook, assessment, framework, "self")
    yaml = _yaml()
    yaml.preserve_quotes = True
    data = yaml.load(target.read_text(encoding="utf-8"))
    answer_ids = [o.id for o in framework.answers]
    initial = {o.id for o in framework.answers if o.initial}
    evidence = _Evidence(assessment.sources, set())
    problems: list[CellProblem] = []
    conflicts: list[str] = []
    added = replaced = unchanged = 0
    answers = data.setdefault("answers", CommentedMap())
    for row in returned.rows:
        if row.has_formula:
            continue
        v = row.values
        if not v["answer"]:
            if any(v[name] for name in ("evidence", "quote", "comment")):
                problems.append(
                    CellProblem(ANSWERS, row.row, row.cells["answer"], "fill in your answer, or clear this row")
                )
            continue
        if v["answer"] not in answer_ids:
            problems.append(
                CellProblem(
                    ANSWERS,
                    row.row,
                    row.cells["answer"],
                    f"{v['answer'][:40]!r} is not an answer; choose one of: {', '.join(answer_ids)}",
                )
            )
            continue
        known = assessment.answers.get(row.element, {}).get(row.level)
        if known is not None and _self_values(known) == {k: v[k] for k in ("answer", "evidence", "quote", "comment")}:
            unchanged += 1  # as exported: the file keeps everything the workbook does not show
            continue
        if known is not None and known.answer not in initial and not force:
            conflicts.append(f"{row.element} at {row.level}")
            continue
        ev_list = None
        if v["evidence"]:
            source = evidence.source_for(v["evidence"])
            if source is None:
                _evidence_problem(row, ANSWERS, problems)
                continue
            ev = CommentedMap()
            ev["source"] = source
            if v["quote"]:
                ev["quote"] = _scalar(v["quote"])
            ev_list = CommentedSeq([ev])
        elif v["quote"]:
            problems.append(
                CellProblem(
                    ANSWERS, row.row, row.cells["evidence"], "a quote needs its source: add the link or source id"
                )
            )
            continue
        by_level = answers.setdefault(row.element, CommentedMap())
        entry = by_level.get(row.level)
        if entry is None:
            entry = by_level[row.level] = CommentedMap()
            added += 1
        else:
            replaced += 1
        # Only what the workbook shows changes; a reply, locators or further evidence stay.
        entry["answer"] = v["answer"]
        shown = _self_values(known) if known is not None else {"evidence": "", "quote": "", "comment": ""}
        if (v["evidence"], v["quote"]) != (shown["evidence"], shown["quote"]):
            if ev_list is None:
                entry.pop("evidence", None)
            else:
                entry["evidence"] = ev_list
        if v["comment"] != shown["comment"]:
            if v["comment"]:
                entry["comment"] = _scalar(v["comment"])
            else:
                entry.pop("comment", None)
    if problems or returned.problems:
        raise WorkbookError(workbook, returned.problems + problems)
    if conflicts:
        raise UsageError(
            f"{target} already answers {', '.join(conflicts)} differently; add --force to replace those answers"
        )
    if evidence.new:
        sources = data.setdefault("sources", CommentedSeq())
        for sid, url in evidence.new:
            added_source = CommentedMap()
            added_source["id"] = sid
            added_source["url"] = url
            added_source["title"] = url
            sources.append(added_source)
    _write_checked(yaml, data, target, check)
    return Imported(
        path=target, added=added, replaced=replaced, unchanged=unchanged, missing=returned.missing, moved=returned.moved
    )
