"""`hrdd check-changes`: a pull request's check reads what it changed and what that depends on,
not the whole project, and previews the scores and rank against the published data (issue 16)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import MINI_PROJECT

HEADER = "company,cycle,assessor_type,framework,framework_version,company_name,total\n"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test project on main, with 20 more companies (copies of mini-telecom) that a pull
    request's check must not read, and a branch adding mini-telecom's self-assessment."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "scorecard"
    shutil.copytree(MINI_PROJECT, root)
    independent = (root / "assessments/mini-telecom/2025.yaml").read_text(encoding="utf-8")
    for n in range(20):
        folder = root / "assessments" / f"other-{n}"
        folder.mkdir()
        # Other companies: another slug and another name (one company has one folder).
        other = independent.replace("slug: mini-telecom", f"slug: other-{n}")
        other = other.replace("name: Mini Telecom (fictional)", f"name: Other {n} (fictional)")
        (folder / "2025.yaml").write_text(other, "utf-8")
    _git(root, "init", "--quiet", "--initial-branch=main")
    _git(root, "add", "--all")
    _git(root, "commit", "--quiet", "-m", "base")
    _git(root, "switch", "--quiet", "--create", "submission")
    own = independent.replace("{type: independent, name: Test NGO}", "{type: self, name: Mini Telecom}")
    own = own.replace(
        "opco: {answer: partial, evidence: [{source: s1}]}", 'opco: {answer: "yes", evidence: [{source: s1}]}'
    )
    (root / "assessments/mini-telecom/2025-self.yaml").write_text(own, encoding="utf-8")
    _git(root, "add", "--all")
    _git(root, "commit", "--quiet", "-m", "Mini Telecom: self-assessment 2025")
    return root


def test_only_the_change_and_its_twin_are_checked(hrdd, repo: Path) -> None:  # type: ignore[no-untyped-def]
    """The self-assessment and the independent assessment it is compared with: 2 files of 22."""
    run = hrdd("check-changes", "--no-cache", "--base", "main", cwd=repo)
    assert run.code == 0, run
    lines = run.out.splitlines()
    assert lines[0] == "checked assessments/mini-telecom/2025-self.yaml and 1 file(s) it depends on"
    assert lines[1] == "score preview (no published scorecard to rank against):"
    assert lines[2].startswith("  Mini Telecom (fictional) 2025 self-assessment (mini 1.0): total ")
    assert lines[2].endswith("; the independent assessment: 56.25; self-assessments are not ranked")


def test_an_independent_change_is_ranked_against_the_published_totals(hrdd, repo: Path) -> None:  # type: ignore[no-untyped-def]
    """A reply merged into the independent assessment: its total, and its rank among the
    published independent totals of the same cycle and version (equal totals share a rank)."""
    path = repo / "assessments/mini-telecom/2025.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'group: {answer: "no"}', 'group: {answer: "no", reply: {text: "We disagree."}}', 1
        ),
        "utf-8",
    )
    _git(repo, "commit", "--quiet", "--all", "-m", "reply")
    totals = repo.parent / "totals.csv"
    totals.write_text(
        HEADER
        + "a,2025,independent,mini,1.0,A,80\n"
        + "b,2025,independent,mini,1.0,B,56.25\n"
        + "c,2025,independent,mini,1.0,C,10\n"
        + "d,2025,self,mini,1.0,D,99\n"
        + "e,2024,independent,mini,1.0,E,99\n"
        + "mini-telecom,2025,independent,mini,1.0,Mini,1\n",
        encoding="utf-8",
    )
    run = hrdd("check-changes", "--no-cache", "--base", "main", "--published", str(totals), cwd=repo)
    assert run.code == 0, run
    assert run.out.splitlines()[-1] == (
        "  Mini Telecom (fictional) 2025 independent assessment (mini 1.0): total 56.25 (A 58.33, B 54.17); "
        "rank 2 of 4 in the published 2025 ranking"
    )


def test_problems_are_reported_with_the_twin(hrdd, repo: Path) -> None:  # type: ignore[no-untyped-def]
    """A problem that needs the other assessment of the cycle (another framework version) is found."""
    newer = repo / "frameworks/mini/1.1.yaml"
    newer.write_text(
        (repo / "frameworks/mini/1.0.yaml").read_text("utf-8").replace('version: "1.0"', 'version: "1.1"'), "utf-8"
    )
    _git(repo, "add", "--all")
    _git(repo, "commit", "--quiet", "-m", "framework 1.1")
    _git(repo, "switch", "--quiet", "main")
    _git(repo, "merge", "--quiet", "--ff-only", "submission")
    _git(repo, "switch", "--quiet", "-c", "second")
    own = repo / "assessments/mini-telecom/2025-self.yaml"
    own.write_text(own.read_text("utf-8").replace('version: "1.0"', 'version: "1.1"'), "utf-8")
    _git(repo, "commit", "--quiet", "--all", "-m", "move to 1.1")
    run = hrdd("check-changes", "--no-cache", "--base", "main", cwd=repo)
    assert run.code == 1, run
    assert "this self-assessment mini 1.1; answer the same version" in run.out
    assert "checked assessments/mini-telecom/2025-self.yaml and 1 file(s) it depends on" in run.out


def test_a_framework_change_checks_everything(hrdd, repo: Path) -> None:  # type: ignore[no-untyped-def]
    path = repo / "frameworks/mini/1.0.yaml"
    path.write_text(path.read_text("utf-8") + "\n", "utf-8")
    _git(repo, "commit", "--quiet", "--all", "-m", "framework edit")
    run = hrdd("check-changes", "--no-cache", "--base", "main", cwd=repo)
    assert run.code == 0, run
    assert run.out.splitlines()[0] == "full check (frameworks/mini/1.0.yaml changed): 23 files"
