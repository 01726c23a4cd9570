"""Projects for the site tests: the mini fixture, and a writable copy with the site configuration
and extra assessments (a self-assessment, an earlier cycle, hostile text, unpublished files)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from hrdd.site import Scorecard, collect
from hrdd.validate import Validator
from tests.conftest import MINI_PROJECT, REPO

HOSTILE_NAME = '<script>alert(1)</script> "><img src=x onerror=alert(1)> **bold** [x](javascript:alert(1))'
HOSTILE_TEXT = "<iframe src=https://evil.example></iframe> `code` <b onmouseover=alert(1)>x</b> &amp; {{ jinja }}"
ATTRIBUTION = "Mini framework by the hrdd test suite, CC BY 4.0."

MINI_2025 = (MINI_PROJECT / "assessments" / "mini-telecom" / "2025.yaml").read_text(encoding="utf-8")


def mini_card() -> Scorecard:
    """The fixture project, validated and collected."""
    validator = Validator(MINI_PROJECT / "frameworks", MINI_PROJECT / "assessments")
    report = validator.check_paths([MINI_PROJECT / "frameworks", MINI_PROJECT / "assessments"])
    assert report.ok, report.problems
    frameworks = [f.framework for f in report.files if f.framework is not None and f.kind == "framework"]
    return collect(report.assessments(), frameworks)


def _variant(
    *, slug: str, name: str, cycle: int = 2025, assessor: str = "independent", status: str = "published"
) -> str:
    text = MINI_2025
    first = text.splitlines()[0]
    company = (
        f"company: {{name: {json.dumps(name)}, slug: {slug}, sector: Telecommunications, country: DE, "
        "type: telecom, fictional: true}"
    )
    text = text.replace(first, company)
    text = text.replace("cycle: 2025", f"cycle: {cycle}")
    if cycle != 2025:
        text = text.replace(
            "research_start: 2025-01-01, research_end: 2025-03-31, published: 2025-06-01",
            f"research_start: {cycle}-01-01, research_end: {cycle}-03-31, published: {cycle}-06-01",
        )
    text = text.replace(
        "assessor: {type: independent, name: Test NGO}", f"assessor: {{type: {assessor}, name: Test NGO}}"
    )
    return text.replace("status: published", f"status: {status}")


def write_assessment(project: Path, slug: str, filename: str, text: str) -> Path:
    path = project / "assessments" / slug / filename
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_project(dest: Path) -> Path:
    """A copy of the mini project with the repository's site configuration and extra files."""
    shutil.copytree(MINI_PROJECT, dest)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(REPO / "docs", dest / "docs")
    framework = dest / "frameworks" / "mini" / "1.0.yaml"
    framework.write_text(
        framework.read_text(encoding="utf-8").replace(
            "title: Mini test framework\n",
            f'title: Mini test framework\nattribution: {{text: "{ATTRIBUTION}", url: "https://example.org/licence"}}\n',
        ),
        encoding="utf-8",
    )
    mini = "Mini Telecom (fictional)"
    # The company's own view: more generous on A1.1 and B2.1.
    self_text = _variant(slug="mini-telecom", name=mini, assessor="self").replace(
        "opco: {answer: partial, evidence: [{source: s1}]}", 'opco: {answer: "yes", evidence: [{source: s1}]}', 1
    )
    write_assessment(dest, "mini-telecom", "2025-self.yaml", self_text)
    earlier = _variant(slug="mini-telecom", name=mini, cycle=2024).replace(
        'group: {answer: "yes", evidence: [{source: s1, quote: "We commit."}]}', 'group: {answer: "no"}'
    )
    write_assessment(dest, "mini-telecom", "2024.yaml", earlier)
    hostile = _variant(slug="hostile-co", name=HOSTILE_NAME).replace(
        "comment: Search has no accounts.", f"comment: {json.dumps(HOSTILE_TEXT)}"
    )
    hostile = hostile.replace('quote: "We commit."', f"quote: {json.dumps(HOSTILE_TEXT)}")
    hostile = hostile.replace("title: Policy,", f"title: {json.dumps(HOSTILE_NAME)},")
    write_assessment(dest, "hostile-co", "2025.yaml", hostile)
    write_assessment(dest, "draftco", "2025.yaml", _variant(slug="draftco", name="Draftco Secret", status="draft"))
    write_assessment(
        dest, "reviewco", "2025.yaml", _variant(slug="reviewco", name="Reviewco Pending", status="under_review")
    )
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")
