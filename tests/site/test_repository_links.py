"""Where a company submits, on the built site: mkdocs.yml's repo_url and edit_uri (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hrdd.placeholders import REPOSITORY
from hrdd.site.build import build_site, with_repository
from tests.site.conftest import make_project
from tests.site.sitecheck import elements


def test_hand_written_pages_get_the_scorecards_repository() -> None:
    page = f"git clone {REPOSITORY}.git scorecard\n".encode()
    assert with_repository("submit.md", page, "https://github.com/ngo/scorecard/") == (
        b"git clone https://github.com/ngo/scorecard.git scorecard\n"
    )
    # The placeholder itself, no repo_url, or a file that is not a page: left as it is.
    assert with_repository("submit.md", page, REPOSITORY) == page
    assert with_repository("submit.md", page, "") == page
    assert with_repository("logo.svg", page, "https://github.com/ngo/scorecard") == page


@pytest.mark.slow
def test_the_built_site_says_where_to_submit(tmp_path: Path) -> None:
    """A scorecard with its own repo_url: the Submit page shows its clone URL, every company page
    links its assessment's file for editing, and the header's repository link asks nothing of
    another host (no data-md-component="source", which makes Material call api.github.com)."""
    project = make_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(REPOSITORY, "https://github.com/ngo/scorecard"), encoding="utf-8"
    )
    build_site(project)
    site = project / "site"
    submit = (site / "submit" / "index.html").read_text(encoding="utf-8")
    assert "https://github.com/ngo/scorecard.git" in submit and REPOSITORY not in submit
    company = (site / "companies" / "mini-telecom" / "index.html").read_text(encoding="utf-8")
    links = [e.attrs.get("href") for e in elements(company) if e.tag == "a"]
    assert "https://github.com/ngo/scorecard/edit/main/assessments/mini-telecom/2025.yaml" in links
    assert "https://github.com/ngo/scorecard" in links
    assert 'data-md-component="source"' not in company
