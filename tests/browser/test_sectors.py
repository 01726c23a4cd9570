"""Rankings by sector in a real browser, on the fair fixture (tests/fixtures/sectors): what a
reader sees says what each ranking compares (the core across sectors, the sector score within a
sector), and a company page names both scores, its sector's average and its place.

Numbers are worked out by hand in tests/unit/test_sectors.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hrdd.site.build import BuildResult, build_site
from tests.browser.conftest import Served, Tab, copy_project
from tests.conftest import FIXTURES

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def sectored(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path, BuildResult], Served]) -> Served:
    """The fair fixture (a framework with sectors and modules) built and served."""
    base = tmp_path_factory.mktemp("sectored")
    project = copy_project(FIXTURES / "sectors", base / "project")
    result = build_site(project, site_dir=base / "site")
    assert result.card.edition == 2026, result.summary()
    return serve(base / "site", result)


def test_ranking_labels_say_what_each_ranking_compares(sectored: Served, tab: Callable[..., Tab]) -> None:
    """The cross-sector table is labelled as a ranking by core score over all sectors, with the
    core column before the sector column; each sector's table as that sector only, by sector score."""
    page = tab(sectored).goto("ranking/")
    assert page.locator("#across-sectors").inner_text() == "Across sectors: core score"
    assert page.locator("#ranking-independent caption").inner_text() == (
        "Independent assessments 2026, all sectors, ranked by core score"
    )
    headers = page.locator("#ranking-independent thead th").all_inner_texts()
    assert headers.index("Core score") < headers.index("Sector score")
    assert page.locator("#sector-ict").inner_text() == "ICT platforms and telecommunications: sector score"
    assert page.locator("#ranking-sector-ict caption").inner_text() == (
        "Independent assessments 2026, ICT platforms and telecommunications only, ranked by sector score"
    )
    assert page.locator("#ranking-sector-ict tbody tr").evaluate_all("rows => rows.map(r => r.dataset.company)") == [
        "telco",
        "chat",
    ]
    assert "compares the core score only" in page.locator("#sector-rankings").inner_text()


def test_sector_filter_shows_sector_names_and_filters_every_table(sectored: Served, tab: Callable[..., Tab]) -> None:
    """The sector filter lists sectors by name; choosing one keeps only its rows in every table."""
    page = tab(sectored).goto("ranking/")
    options = page.locator("#filter-sector option").all_inner_texts()
    assert options == ["All sectors", "Apparel and footwear", "ICT platforms and telecommunications", "Mining"]
    page.select_option("#filter-sector", "ict")
    visible = page.locator("#ranking-independent tbody tr:visible").evaluate_all(
        "rows => rows.map(r => r.dataset.company)"
    )
    assert visible == ["chat", "telco"]
    assert page.locator("#ranking-sector-apparel tbody tr:visible").count() == 0


def test_company_page_shows_core_sector_average_and_place(sectored: Served, tab: Callable[..., Tab]) -> None:
    """Telco's page: core 43.75 (compares across sectors), sector 54.17 (within ICT), the ICT
    average 52.09 and place 1 of 2; no indicator of the apparel module."""
    page = tab(sectored).goto("companies/telco/")
    standing = page.locator("#sector-standing").inner_text()
    for text in (
        "Core score",
        "43.75",
        "compares with companies of every sector",
        "Sector score",
        "54.17",
        "compares only within ICT platforms and telecommunications",
        "Sector average",
        "52.09",
        "Place in sector",
        "1 of 2",
    ):
        assert text in standing
    assert page.locator("#i-AP1").count() == 0
    assert page.locator("#i-G1").count() == 1
