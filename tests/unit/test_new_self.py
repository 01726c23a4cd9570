"""`hrdd new --self` starts from the independent assessment of the same company and cycle, and
the placeholders `hrdd new` writes are refused by validation in anything but a draft (issue 16)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hrdd import placeholders
from hrdd.yamlio import read_yaml
from tests.conftest import MINI_PROJECT


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The test project with a newer framework version (1.1) beside the 1.0 that the
    independent assessment of mini-telecom 2025 answers."""
    dest = tmp_path / "project"
    shutil.copytree(MINI_PROJECT, dest)
    newer = dest / "frameworks" / "mini" / "1.1.yaml"
    newer.write_text(
        (dest / "frameworks" / "mini" / "1.0.yaml")
        .read_text(encoding="utf-8")
        .replace('version: "1.0"', 'version: "1.1"'),
        encoding="utf-8",
    )
    return dest


def _submitted(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "status: draft" in text
    path.write_text(text.replace("status: draft", "status: submitted", 1), encoding="utf-8")


def test_new_self_starts_from_the_independent_assessment(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    """Framework version, company facts, levels and sources come from the independent
    assessment (1.0, although 1.1 is the latest); the draft is valid as written."""
    run = hrdd("new", "--self", "--slug", "mini-telecom", "--year", "2025", cwd=project)
    assert run.code == 0, run
    assert run.out == (
        "wrote assessments/mini-telecom/2025-self.yaml from assessments/mini-telecom/2025.yaml; "
        "fill it in, then run: hrdd validate assessments/mini-telecom/2025-self.yaml\n"
    )
    target = project / "assessments" / "mini-telecom" / "2025-self.yaml"
    data = read_yaml(target).data
    independent = read_yaml(project / "assessments" / "mini-telecom" / "2025.yaml").data
    assert data["framework"] == {"id": "mini", "version": "1.0"}
    assert data["company"] == independent["company"]
    assert data["levels"] == independent["levels"]
    assert data["sources"] == independent["sources"]
    assert data["assessor"] == {"type": "self", "name": "Mini Telecom (fictional)"}
    assert set(data["answers"]) == set(independent["answers"])
    for element, by_level in data["answers"].items():
        assert set(by_level) == set(independent["answers"][element]), element
        assert all(answer == {"answer": "no_disclosure"} for answer in by_level.values())
    assert hrdd("validate", "assessments/mini-telecom/2025-self.yaml", cwd=project).code == 0


def test_new_self_prefill_marks_each_copied_answer(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    """--prefill copies answers and evidence, each marked TO CONFIRM; a draft may keep the
    marks, a submitted file is refused at each one, located."""
    run = hrdd("new", "--self", "--prefill", "--slug", "mini-telecom", "--year", "2025", cwd=project)
    assert run.code == 0, run
    target = project / "assessments" / "mini-telecom" / "2025-self.yaml"
    data = read_yaml(target).data
    independent = read_yaml(project / "assessments" / "mini-telecom" / "2025.yaml").data
    copied = data["answers"]["A1.1"]["group"]
    assert copied["answer"] == independent["answers"]["A1.1"]["group"]["answer"]
    assert copied["evidence"] == independent["answers"]["A1.1"]["group"]["evidence"]
    assert copied["comment"] == placeholders.PREFILLED_COMMENT
    assert hrdd("validate", "assessments/mini-telecom/2025-self.yaml", cwd=project).code == 0
    _submitted(target)
    run = hrdd("validate", "assessments/mini-telecom/2025-self.yaml", cwd=project)
    assert run.code == 1, run
    marked = [line for line in run.out.splitlines() if "not yet confirmed or contested" in line]
    expected = sum(len(by_level) for by_level in independent["answers"].values())
    assert len(marked) == expected
    doc = read_yaml(target)
    line, col = doc.locate(("answers", "A1.1", "group", "comment"))
    assert (
        f"assessments/mini-telecom/2025-self.yaml:{line}:{col}: element A1.1: the answer at level 'group' was "
        "copied from the independent assessment and is not yet confirmed or contested; replace the comment "
        "with your own (only a draft may keep it)"
    ) in marked


def test_prefill_needs_an_independent_assessment(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    run = hrdd("new", "--self", "--prefill", "--company", "Other", "--year", "2025", cwd=project)
    assert (run.code, run.err) == (
        2,
        "hrdd: error: --prefill copies the answers of the independent assessment "
        "assessments/other/2025.yaml, which does not exist; leave out --prefill\n",
    )
    assert not (project / "assessments" / "other").exists()


def test_new_self_without_independent_uses_latest_and_placeholders(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    """Without an independent assessment: the latest version and placeholders, which pass as a
    draft and are refused, each located, once the file is submitted."""
    run = hrdd("new", "--self", "--company", "Other Co", "--year", "2025", "--framework", "mini", cwd=project)
    assert run.code == 0, run
    target = project / "assessments" / "other-co" / "2025-self.yaml"
    data = read_yaml(target).data
    assert data["framework"]["version"] == "1.1"
    assert (data["company"]["sector"], data["company"]["country"]) == (placeholders.SECTOR, placeholders.COUNTRY)
    assert hrdd("validate", "assessments/other-co/2025-self.yaml", cwd=project).code == 0
    _submitted(target)
    run = hrdd("validate", "assessments/other-co/2025-self.yaml", cwd=project)
    assert run.code == 1, run
    doc = read_yaml(target)
    for field, value in (("sector", placeholders.SECTOR), ("country", placeholders.COUNTRY)):
        line, col = doc.locate(("company", field))
        assert (
            f"assessments/other-co/2025-self.yaml:{line}:{col}: company.{field} is {value!r}, the placeholder for "
            "a value not known yet (hrdd new writes it); give the real value (only a draft may keep it)"
        ) in run.out.splitlines()


def test_new_self_explicit_version_notes_the_difference(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    """Asking for another version than the independent assessment's is allowed, and said."""
    run = hrdd("new", "--self", "--slug", "mini-telecom", "--year", "2025", "--framework-version", "1.1", cwd=project)
    assert run.code == 0, run
    assert run.err == (
        "hrdd: note: the independent assessment answers mini 1.0, this file mini 1.1: the two are compared "
        "on the indicators comparable across both versions only\n"
    )
