"""Writing an assessment as a workbook (``hrdd export xlsx``); ``hrdd.xlsx`` describes the layout."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from hrdd.errors import UsageError
from hrdd.models import Assessment, Framework, Source
from hrdd.xlsx import (
    ANSWERS,
    FEEDBACK,
    INSTRUCTIONS,
    META,
    POSITIONS,
    SOURCES,
    Kind,
    columns_for,
    rows_for,
    self_values,
    sheet_for,
)

_RISKY_START = ("=", "+", "-", "@", "\t", "\r")


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
                values.update(self_values(answer))
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
