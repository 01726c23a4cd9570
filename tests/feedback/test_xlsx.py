"""The spreadsheet round trip: a workbook for the company, filled in with openpyxl as a company
would, read back into the feedback file (or the self-assessment) with every problem at its cell."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from tests.conftest import MINI_PROJECT

EXPECTED = Path(__file__).parent / "expected"
ASSESSMENT = "assessments/mini-telecom/2025.yaml"
FEEDBACK = "assessments/mini-telecom/2025-feedback.yaml"
HOSTILE_COMMENT = '=HYPERLINK("https://evil.example","click")'


def _compare(name: str, text: str) -> None:
    expected = EXPECTED / name
    if os.environ.get("HRDD_UPDATE_EXPECTED"):
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The mini project with its 2025 assessment made preliminary, and comments that a
    spreadsheet program would take for formulas."""
    dest = tmp_path / "project"
    shutil.copytree(MINI_PROJECT, dest)
    path = dest / ASSESSMENT
    text = path.read_text(encoding="utf-8")
    text = text.replace("status: published", "status: preliminary").replace(", published: 2025-06-01", "")
    text = text.replace("comment: Search has no accounts.", f"comment: '{HOSTILE_COMMENT}'")
    text = text.replace("comment: Not relevant to the operating company.", "comment: '@SUM(1+1)*cmd|'' /C calc''!A0'")
    path.write_text(text, encoding="utf-8")
    return dest


def _export(hrdd, project: Path, *extra: str) -> Path:  # type: ignore[no-untyped-def]
    run = hrdd("export", "xlsx", ASSESSMENT, "--out", "out/company.xlsx", *extra, cwd=project)
    assert run.code == 0, run
    return project / "out" / "company.xlsx"


def _row(sheet: Worksheet, element: str, level: str) -> int:
    found = [c.row for c in sheet["A"] if c.value == element and sheet.cell(row=c.row, column=2).value == level]
    assert len(found) == 1, (element, level, found)
    return int(found[0])


def _fill(sheet: Worksheet, element: str, level: str, *values: str | None) -> None:
    r = _row(sheet, element, level)
    for column, value in zip("IJKL", values, strict=False):
        sheet[f"{column}{r}"] = value


def test_round_trip_gives_exactly_the_expected_feedback_file(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    """Export, fill the company's columns (a moved row, a deleted row, a formula, a cell with
    a newline, Chinese and Arabic text), import: the formula is refused at its cell and nothing
    is written; with the formula replaced by text, the feedback file is exactly the expected one."""
    workbook = _export(hrdd, project)
    book = load_workbook(workbook)
    sheet = book["Feedback"]
    _fill(
        sheet,
        "A1.1",
        "opco",
        "disagree",
        "The policy covers the operating company.\nSee section 2.",
        "https://example.org/mini/report",
        "本政策适用于所有子公司。",
    )
    _fill(sheet, "A1.2", "group", "Disagree ", "تنطبق هذه السياسة على جميع الشركات التابعة", "s1", "We commit.")
    _fill(sheet, "B1.1", "group", "agree")
    _fill(sheet, "A2.1", "search", "disagree", "=1+2")
    # The company moves a row to the bottom and deletes another.
    moved = _row(sheet, "A1.2", "group")
    sheet.move_range(f"A{moved}:L{moved}", rows=sheet.max_row + 2 - moved)
    sheet.delete_rows(_row(sheet, "B1.2", "opco"))
    book.save(workbook)

    run = hrdd("import", "xlsx", "out/company.xlsx", "--feedback-for", ASSESSMENT, cwd=project)
    formula_cell = f"J{_row(load_workbook(workbook)['Feedback'], 'A2.1', 'search')}"
    assert (run.code, run.out) == (
        1,
        f"Feedback!{formula_cell}: holds a formula (=1+2); formulas are not read: type the text itself\n",
    ), run
    assert not (project / FEEDBACK).exists()

    book = load_workbook(workbook)
    book["Feedback"][formula_cell] = "Three, not two."
    book.save(workbook)
    run = hrdd("import", "xlsx", "out/company.xlsx", "--feedback-for", ASSESSMENT, cwd=project)
    assert run.code == 0, run
    assert run.out == (
        f"wrote {FEEDBACK}: 4 item(s) added, 0 replaced, 0 already there\n"
        "1 row(s) had been moved; they were matched by element and level\n"
        "1 exported row(s) were deleted from the workbook: B1.2 at opco\n"
    )
    _compare("round-trip-feedback.yaml", (project / FEEDBACK).read_text(encoding="utf-8"))
    assert hrdd("validate", cwd=project).code == 0

    # The same workbook again changes nothing; a changed item needs --force.
    again = hrdd("import", "xlsx", "out/company.xlsx", "--feedback-for", ASSESSMENT, cwd=project)
    assert (again.code, again.out.splitlines()[0]) == (
        0,
        f"wrote {FEEDBACK}: 0 item(s) added, 0 replaced, 4 already there",
    ), again
    book = load_workbook(workbook)
    _fill(book["Feedback"], "B1.1", "group", "disagree", "On reflection, no.")
    book.save(workbook)
    before = (project / FEEDBACK).read_bytes()
    refused = hrdd("import", "xlsx", "out/company.xlsx", "--feedback-for", ASSESSMENT, cwd=project)
    assert refused.code == 2, refused
    assert "already has different feedback for B1.1 at group; add --force" in refused.err
    assert (project / FEEDBACK).read_bytes() == before
    forced = hrdd("import", "xlsx", "out/company.xlsx", "--feedback-for", ASSESSMENT, "--force", cwd=project)
    assert forced.code == 0, forced
    assert "reason: On reflection, no." in (project / FEEDBACK).read_text(encoding="utf-8")


def test_every_problem_of_a_returned_workbook_names_its_sheet_and_cell(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    """Unknown positions, reasons missing, evidence that is neither a link nor a source id, a
    quote without a source, rows added for unknown elements or twice: each one at its cell."""
    workbook = _export(hrdd, project)
    book = load_workbook(workbook)
    sheet = book["Feedback"]
    _fill(sheet, "A1.1", "group", "maybe")
    _fill(sheet, "A1.1", "opco", "disagree", None, "javascript:alert(1)")
    _fill(sheet, "A1.2", "group", None, "A reason without a position")
    _fill(sheet, "A1.2", "opco", "agree", None, None, "A quote without its source")
    last = sheet.max_row
    sheet[f"A{last + 1}"], sheet[f"B{last + 1}"], sheet[f"I{last + 1}"] = "Z9.9", "group", "agree"
    sheet[f"A{last + 2}"], sheet[f"B{last + 2}"], sheet[f"I{last + 2}"] = "A1.1", "group", "agree"
    sheet["M5"] = "stray"
    book.save(workbook)
    run = hrdd("import", "xlsx", "out/company.xlsx", "--feedback-for", ASSESSMENT, cwd=project)
    assert run.code == 1, run
    _compare("workbook-problems.txt", run.out)
    assert run.err == "hrdd: error: 8 problems in company.xlsx; nothing was written\n"
    assert not (project / FEEDBACK).exists()


def test_exported_workbook_locks_lists_and_neutralises(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    """Drop-down lists for the position, the assessor's columns locked and the company's open,
    an instructions sheet, the sources on their own sheet, and text that starts like a formula
    stored as text (no formula anywhere in the file)."""
    workbook = _export(hrdd, project)
    book = load_workbook(workbook)
    assert book.sheetnames == ["Instructions", "Feedback", "Sources", "hrdd"]
    assert book["hrdd"].sheet_state == "veryHidden"
    sheet = book["Feedback"]
    assert sheet.protection.sheet
    rows = sheet.max_row
    [listed] = sheet.data_validations.dataValidation
    assert (listed.type, listed.formula1, str(listed.sqref)) == ("list", '"agree,disagree"', f"I2:I{rows}")
    r = _row(sheet, "A2.2", "search")
    assert [sheet.cell(row=r, column=c).protection.locked for c in range(1, 13)] == [True] * 8 + [False] * 4
    comment = sheet[f"H{r}"]
    assert (comment.value, comment.data_type, comment.quotePrefix) == (HOSTILE_COMMENT, "s", True)
    other = sheet[f"H{_row(sheet, 'B2.1', 'opco')}"]
    assert (other.data_type, other.quotePrefix) == ("s", True)
    assert [[c.value for c in row] for row in book["Sources"].iter_rows(max_col=4)] == [
        ["Id", "Title", "Publisher", "Link"],
        ["s1", "Policy", None, "https://example.org/policy"],
    ]
    assert "Your position: agree, or disagree" in "\n".join(str(c.value) for c in book["Instructions"]["A"])
    with zipfile.ZipFile(workbook) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml and b"<f " not in xml
    # Read back, the neutralised assessor's cell is data: no formula reported.
    book["Feedback"][f"I{r}"] = "agree"
    book.save(workbook)
    run = hrdd("import", "xlsx", "out/company.xlsx", "--feedback-for", ASSESSMENT, cwd=project)
    assert run.code == 0, run


def test_export_never_overwrites_without_force(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    """An existing workbook is left as it is unless --force is given."""
    out = project / "out" / "company.xlsx"
    out.parent.mkdir()
    out.write_bytes(b"the company's copy")
    run = hrdd("export", "xlsx", ASSESSMENT, "--out", "out/company.xlsx", cwd=project)
    assert run.code == 2, run
    assert out.read_bytes() == b"the company's copy"
    assert _export(hrdd, project, "--force").stat().st_size > 1000


def test_a_workbook_for_another_assessment_is_refused(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    """The workbook records what it was exported for; importing it for another cycle is refused."""
    _export(hrdd, project)
    other = project / "assessments" / "mini-telecom" / "2024.yaml"
    other.write_text(
        (project / ASSESSMENT).read_text(encoding="utf-8").replace("cycle: 2025", "cycle: 2024"), encoding="utf-8"
    )
    run = hrdd("import", "xlsx", "out/company.xlsx", "--feedback-for", str(other.relative_to(project)), cwd=project)
    assert (run.code, run.out) == (
        1,
        "hrdd!B3: the workbook was exported with cycle '2025', not '2024': "
        "import it for the assessment it was exported from\n",
    ), run


def test_self_assessment_round_trip(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    """--self: the company answers in the workbook; the answers go into its self-assessment,
    which stays valid; an answer it already gave is replaced only with --force."""
    source = project / ASSESSMENT
    self_path = project / "assessments" / "mini-telecom" / "2025-self.yaml"
    text = source.read_text(encoding="utf-8").replace("type: independent", "type: self")
    self_path.write_text(text.replace("status: preliminary", "status: draft"), encoding="utf-8")
    shown = str(self_path.relative_to(project))
    run = hrdd("export", "xlsx", shown, "--self", "--out", "self.xlsx", cwd=project)
    assert run.code == 0, run
    book = load_workbook(project / "self.xlsx")
    sheet = book["Answers"]
    [listed] = sheet.data_validations.dataValidation
    assert listed.formula1 == '"yes,partial,no,no_disclosure,not_applicable"'
    r = _row(sheet, "A1.2", "group")
    sheet[f"F{r}"], sheet[f"G{r}"], sheet[f"H{r}"] = "yes", "https://example.org/mini/new", "Zweite Zeile\n第二行"
    book.save(project / "self.xlsx")
    refused = hrdd("import", "xlsx", "self.xlsx", "--self", shown, cwd=project)
    assert refused.code == 2 and "already answers A1.2 at group differently" in refused.err, refused
    run = hrdd("import", "xlsx", "self.xlsx", "--self", shown, "--force", cwd=project)
    assert run.code == 0, run
    assert run.out.startswith(f"wrote {shown}: 0 item(s) added, 1 replaced, ")
    assert hrdd("validate", shown, cwd=project).code == 0
    _compare("self-assessment.yaml", self_path.read_text(encoding="utf-8"))


def test_a_file_that_is_not_a_workbook_is_refused(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    """A CSV (or anything else) named .xlsx is refused with a message, not a traceback."""
    (project / "returned.xlsx").write_text("Element,Level\nA1.1,group\n", encoding="utf-8")
    run = hrdd("import", "xlsx", "returned.xlsx", "--feedback-for", ASSESSMENT, cwd=project)
    assert run.code == 1, run
    assert "is not an .xlsx workbook" in run.err
    assert not (project / FEEDBACK).exists()
