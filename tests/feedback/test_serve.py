"""`hrdd serve` shows an edited feedback file: the company's reused pages do not hide it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.feedback.test_publication import FEEDBACK
from tests.site.conftest import make_project
from tests.site.test_incremental import _site_builder, _tree


@pytest.mark.slow
def test_a_rebuild_after_a_feedback_edit_writes_what_a_whole_build_writes(tmp_path: Path) -> None:
    """Adding a feedback file beside a published assessment while serving gives the pages a
    build from nothing gives (its company page with the feedback)."""
    project = make_project(tmp_path / "project")
    builder = _site_builder(project, tmp_path / "serve")
    builder()
    (project / "assessments" / "mini-telecom" / "2025-feedback.yaml").write_text(FEEDBACK, encoding="utf-8")
    builder()
    page = (tmp_path / "serve" / "site" / "companies" / "mini-telecom" / "index.html").read_text(encoding="utf-8")
    assert "the company commented on 3 answers; 1 was changed." in page
    fresh = _site_builder(project, tmp_path / "fresh")
    fresh()
    assert _tree(tmp_path / "serve" / "site") == _tree(tmp_path / "fresh" / "site")
