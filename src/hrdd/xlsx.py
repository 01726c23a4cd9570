"""Assessments as spreadsheets for companies that work in Excel, not in git: what such a
workbook holds (sheets, columns, rows) and the problems found in a returned one.

``export_workbook`` writes a workbook for one assessment: one row per element and level, the
assessor's columns locked and the company's open, with drop-down lists for closed choices, an
instructions sheet and the sources on their own sheet. Two kinds:

* ``feedback``: the independent assessment, with empty columns for the company's position,
  reason and evidence; ``import_feedback`` turns the returned workbook into the feedback file
  ``<cycle>-feedback.yaml`` (``hrdd.feedback``);
* ``self``: a self-assessment to fill in (answer, evidence, comment per row);
  ``import_self_assessment`` writes the answers back into the self-assessment's YAML.

A workbook is untrusted both ways. On the way out, text starting with ``=``, ``+``, ``-``, ``@``,
a tab or CR is stored as a string with Excel's quote prefix, so it cannot become a formula when
the company opens the file. On the way back, rows are matched by their element and level, not
their position (a row may be moved, deleted or added); a cell holding a formula is reported,
its cached value never used; every problem is named by sheet and cell (``Feedback!I37: ...``).

The steps live in their own modules: ``xlsx_export`` writes a workbook, ``xlsx_read`` reads a
returned one, ``xlsx_import`` turns what was read into a feedback file or a self-assessment.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from openpyxl.utils import get_column_letter

from hrdd.errors import HrddError
from hrdd.models import Answer, Assessment, Framework

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


# --- problems in a returned workbook -----------------------------------------------------------


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


def self_values(answer: Answer) -> dict[str, str]:
    """The self-assessment columns of an answer as exported (its first evidence only)."""
    first = answer.evidence[0] if answer.evidence else None
    return {
        "answer": answer.answer,
        "evidence": first.source if first else "",
        "quote": first.quote if first else "",
        "comment": answer.comment,
    }
