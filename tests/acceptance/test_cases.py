"""Every folder under tests/cases is one case: a small project and the exact expected output.

* ``invalid/<case>/``: ``hrdd validate`` exits 1 and prints exactly ``expected.txt``.
* ``valid/<case>/``: ``hrdd validate`` exits 0 and prints exactly ``expected.txt``.

A case without its own ``frameworks/`` folder is checked against the test framework in
tests/fixtures/project/frameworks. Add a case by adding a folder; to (re)write an
``expected.txt`` after a deliberate change, run with HRDD_UPDATE_EXPECTED=1 and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import MINI_FRAMEWORKS, REPO

CASES = REPO / "tests" / "cases"


def _cases(kind: str) -> list[Path]:
    return sorted(p for p in (CASES / kind).iterdir() if p.is_dir())


def _run_case(hrdd, case: Path):  # type: ignore[no-untyped-def]
    args = ["validate"]
    if not (case / "frameworks").is_dir():
        args += ["--frameworks", os.path.relpath(MINI_FRAMEWORKS, case), "assessments"]
    return hrdd(*args, cwd=case)


def _compare(case: Path, out: str) -> None:
    expected_file = case / "expected.txt"
    if os.environ.get("HRDD_UPDATE_EXPECTED"):
        expected_file.write_text(out, encoding="utf-8")
    assert out == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", _cases("invalid"), ids=lambda p: p.name)
def test_invalid_case_reports_exact_problems(hrdd, case: Path) -> None:  # type: ignore[no-untyped-def]
    """An invalid file fails validation with every problem, each at its line and column."""
    run = _run_case(hrdd, case)
    assert run.code == 1, run
    _compare(case, run.out)


@pytest.mark.parametrize("case", _cases("valid"), ids=lambda p: p.name)
def test_valid_case_passes(hrdd, case: Path) -> None:  # type: ignore[no-untyped-def]
    """A valid file passes validation and says so."""
    run = _run_case(hrdd, case)
    assert run.code == 0, run
    _compare(case, run.out)
