"""A project with no assessments yet builds a site that says so, rather than failing or
pretending: a new NGO can preview its site before publishing anything."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hrdd.site.build import build_site


@pytest.mark.slow
def test_empty_assessments_folder_builds_a_site_saying_nothing_is_published(project: Path) -> None:
    shutil.rmtree(project / "assessments")
    (project / "assessments").mkdir()
    result = build_site(project)
    assert result.card.entries == ()
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert 'data-edition=""' in home
    assert "none yet" in home
    ranking = (project / "site" / "ranking" / "index.html").read_text(encoding="utf-8")
    assert "No assessment has been published yet." in ranking
