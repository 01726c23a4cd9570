"""The hrdd command: help, exit codes, output formats, and never overwriting a file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from hrdd import cli
from tests.conftest import MINI_PROJECT, REPO


def _commands() -> list[str]:
    return sorted(cli.command_names())


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of the test project."""
    dest = tmp_path / "project"
    shutil.copytree(MINI_PROJECT, dest)
    return dest


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help(hrdd, command: str) -> None:  # type: ignore[no-untyped-def]
    """--help works for every command and documents the exit codes."""
    with pytest.raises(SystemExit) as info:
        hrdd(command, "--help")
    assert info.value.code == 0


def test_every_command_is_in_the_readme() -> None:
    """The README documents every command."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [c for c in _commands() if f"hrdd {c}" not in readme]
    assert missing == []


def test_validate_ok(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    run = hrdd("validate", cwd=project)
    assert (run.code, run.out) == (0, "2 files checked, no problems\n"), run


def test_validate_missing_path_is_usage_error(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    run = hrdd("validate", "nowhere.yaml", cwd=project)
    assert (run.code, run.err) == (2, "hrdd: error: no such file or folder: nowhere.yaml\n"), run


def test_validate_empty_folder_is_usage_error(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    (project / "empty").mkdir()
    run = hrdd("validate", "empty", cwd=project)
    assert (run.code, run.err) == (2, "hrdd: error: no .yaml files found in empty\n"), run


def _break(project: Path) -> Path:
    target = project / "assessments" / "mini-telecom" / "2025.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("status: published", "status: finished"))
    return target


def test_validate_json_format(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    _break(project)
    run = hrdd("validate", "--format", "json", cwd=project)
    assert run.code == 1
    assert json.loads(run.out) == {
        "ok": False,
        "files_checked": 2,
        "problem_count": 1,
        "problems": [
            {
                "path": "assessments/mini-telecom/2025.yaml",
                "line": 5,
                "col": 9,
                "code": "schema.enum",
                "message": "status: 'finished' is not allowed; use one of: "
                "draft, submitted, under_review, preliminary, published",
            }
        ],
    }


def test_validate_github_format_escapes_properties(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    _break(project)
    run = hrdd("validate", "--format", "github", cwd=project)
    first = run.out.splitlines()[0]
    assert first == (
        "::error file=assessments/mini-telecom/2025.yaml,line=5,col=9,title=hrdd schema.enum::"
        "status: 'finished' is not allowed; use one of: draft, submitted, under_review, preliminary, published"
    )


def test_score_refuses_invalid_files(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    """No scores are printed while any file is invalid; the problems go to stderr."""
    _break(project)
    run = hrdd("score", cwd=project)
    assert run.code == 1 and run.out == ""
    assert "status: 'finished' is not allowed" in run.err


def test_score_table(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    run = hrdd("score", cwd=project)
    assert run.code == 0, run
    assert run.out.splitlines() == [
        "company                   cycle  assessor     status     framework  total      A      B",
        "------------------------  -----  -----------  ---------  ---------  -----  -----  -----",
        "Mini Telecom (fictional)  2025   independent  published  mini@1.0   56.25  58.33  54.17",
    ]


def test_score_json_has_every_level(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    run = hrdd("score", "--format", "json", cwd=project)
    (entry,) = json.loads(run.out)
    assert entry["total"] == 56.25
    assert entry["categories"] == {"A": 58.33, "B": 54.17}
    a2 = entry["indicators"]["A2"]
    assert a2["levels"] == {"search": 100.0, "pre": 50.0, "post": 50.0}
    assert a2["elements"]["A2.2"]["search"] == {"answer": "not_applicable", "points": None}
    assert entry["indicators"]["A3"] == {"score": 37.5, "category": "A", "subindicators": ["A3a", "A3b"]}
    assert entry["indicators"]["A3b"]["family"] == "A3"
    assert entry["coverage"] == {"applicable": 32, "answered": 32, "not_applicable": 2, "with_evidence": 20}


def test_score_csv(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    lines = hrdd("score", "--format", "csv", cwd=project).out.splitlines()
    assert lines[:4] == [
        "company,cycle,assessor_type,framework,level,id,score",
        "mini-telecom,2025,independent,mini@1.0,total,total,56.25",
        "mini-telecom,2025,independent,mini@1.0,category,A,58.33",
        "mini-telecom,2025,independent,mini@1.0,category,B,54.17",
    ]
    assert len(lines) == 4 + 7  # A1, A2, A3 (family), A3a, A3b, B1, B2


def test_new_writes_valid_draft_with_every_element(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    run = hrdd("new", "--company", "Acme Vidéo, Inc.", "--year", "2026", "--framework", "mini", cwd=project)
    assert run.code == 0, run
    target = project / "assessments" / "acme-video-inc" / "2026.yaml"
    text = target.read_text(encoding="utf-8")
    modeline = text.splitlines()[0].removeprefix("# yaml-language-server: $schema=")
    assert (target.parent / modeline).resolve() == (REPO / "schema" / "assessment.schema.json").resolve()
    for element in ("A1.1", "A1.2", "B1.4", "B2.1"):
        assert f'  "{element}":\n    "group":\n      answer: no_disclosure\n' in text
    assert "# A1.2: Does the company use side channels?" in text
    assert hrdd("validate", str(target.relative_to(project)), cwd=project).code == 0


def test_new_refuses_to_overwrite(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    target = project / "assessments" / "mini-telecom" / "2025.yaml"
    before = target.read_bytes()
    run = hrdd("new", "--company", "Mini Telecom", "--slug", "mini-telecom", "--year", "2025", "--framework", "mini",
               cwd=project)  # fmt: skip
    assert run.code == 2
    assert run.err == (
        "hrdd: error: assessments/mini-telecom/2025.yaml already exists; hrdd new never overwrites a file "
        "(choose --out)\n"
    )
    assert target.read_bytes() == before


def test_new_self_assessment_file_name(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    run = hrdd("new", "--company", "Mini Telecom", "--year", "2025", "--self", "--framework", "mini", cwd=project)
    assert run.code == 0, run
    assert hrdd("validate", "assessments/mini-telecom/2025-self.yaml", cwd=project).code == 0


def test_new_unknown_framework(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    run = hrdd("new", "--company", "X", "--year", "2025", "--framework", "nope", cwd=project)
    assert (run.code, run.err) == (2, "hrdd: error: framework 'nope' not found in frameworks (available: mini)\n")


def test_bad_year_is_usage_error(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as info:
        hrdd("new", "--company", "X", "--year", "26", cwd=project)
    assert info.value.code == 2


def test_internal_error_has_no_traceback(hrdd, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A bug becomes one message and exit 3, not a traceback."""

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(cli, "format_problems", boom)
    monkeypatch.delenv("HRDD_DEBUG", raising=False)
    run = hrdd("validate", cwd=project)
    assert run.code == 3
    assert run.err.startswith("hrdd: internal error: RuntimeError: unexpected\n")
    assert "Traceback" not in run.err


def test_symlink_in_assessments_is_refused_and_named(hrdd, project: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A link pointing outside the project is never followed; the link itself is reported."""
    outside = tmp_path / "secret.yaml"
    outside.write_text("password: hunter2\n", encoding="utf-8")
    (project / "assessments" / "mini-telecom" / "2026.yaml").symlink_to(outside)
    run = hrdd("validate", cwd=project)
    assert run.code == 1, run
    assert run.out.splitlines()[0] == (
        "assessments/mini-telecom/2026.yaml:1:1: symbolic links are not read; replace it with the file itself"
    )
    assert "hunter2" not in run.out + run.err


def test_dangling_symlink_is_reported_not_crashing(hrdd, project: Path) -> None:  # type: ignore[no-untyped-def]
    (project / "assessments" / "mini-telecom" / "2027.yaml").symlink_to(project / "missing.yaml")
    run = hrdd("validate", cwd=project)
    assert run.code == 1, run
    assert "assessments/mini-telecom/2027.yaml:1:1: symbolic links are not read" in run.out


def test_unchanged_files_are_replayed_and_edited_files_checked_again(project: Path, hrdd: Any) -> None:
    first = hrdd("validate", "--project", str(project), cwd=project)
    assert first.code == 0, first
    entries = list((project / ".hrdd-cache" / "checks").rglob("*"))
    assert any(p.is_file() for p in entries), "the first run keeps its results"
    scores = hrdd("score", "--project", str(project), "--format", "json", cwd=project)
    again = hrdd("score", "--project", str(project), "--format", "json", cwd=project)
    uncached = hrdd("score", "--project", str(project), "--format", "json", "--no-cache", cwd=project)
    assert scores.code == again.code == uncached.code == 0, scores
    assert scores.out == again.out == uncached.out

    assessment = project / "assessments" / "mini-telecom" / "2025.yaml"
    text = assessment.read_text(encoding="utf-8")
    assessment.write_text(text.replace("cycle: 2025", "cycle: 1999", 1), encoding="utf-8")
    edited = hrdd("validate", "--project", str(project), cwd=project)
    assert edited.code == 1, edited
    assert "2025.yaml" in edited.out and "1999" in edited.out
    assert hrdd("validate", "--project", str(project), "--no-cache", cwd=project).out == edited.out


def test_new_refuses_a_framework_id_that_is_a_path(hrdd, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`hrdd new --framework ../assessments` is a usage error: a framework id is never a path, so no
    other folder is read or listed."""
    run = hrdd(
        "new", "--company", "X", "--year", "2026", "--framework", "../assessments", "--out", str(tmp_path / "x.yaml")
    )
    assert run.code == 2, run
    assert "'../assessments' is not a framework id" in run.err, run
    assert not (tmp_path / "x.yaml").exists()
