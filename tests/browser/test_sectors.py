"""Rankings by sector in a real browser, on the fair fixture (tests/fixtures/sectors) and on the
bundled demo (ungp-core 2.0): what a reader sees says what each ranking compares (the core across
sectors, the sector score within a sector), and a company page names both scores, its sector's
average and its place, and shows no indicator of another sector's module.

Numbers on the fixture are worked out by hand in tests/unit/test_sectors.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hrdd.site.build import BuildResult, build_site
from hrdd.validate import load_framework
from tests.browser.conftest import EDITION, Served, Tab, copy_project
from tests.browser.expected import Key
from tests.conftest import FIXTURES, REPO

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
    # The answers moved from the overview to the company's answers page (issue #21).
    answers = tab(sectored).goto("companies/telco/answers/")
    assert answers.locator("#i-AP1").count() == 0
    assert answers.locator("#i-G1").count() == 1


# --- the bundled demo ------------------------------------------------------------------------


def _module_indicators(scores: dict[Key, dict[str, Any]], slug: str) -> tuple[str, set[str], set[str]]:
    """(sector, indicators of the company's own modules, indicators of other sectors' modules),
    from the company's framework file and its `hrdd score` sector."""
    score = scores[(slug, EDITION, "independent")]
    fw = load_framework(REPO / "frameworks" / score["framework"]["id"] / f"{score['framework']['version']}.yaml")
    own: set[str] = set()
    others: set[str] = set()
    for ind in fw.indicators:
        module = fw.module_of(ind.id)
        if module is not None:
            (own if score["sector"] in module.sectors else others).add(ind.id)
    return score["sector"], own, others


@pytest.mark.parametrize("slug", ["kettleby", "halvard-mining"])
def test_demo_apparel_and_mining_pages_show_their_modules_not_government_demands(
    demo: Served, tab: Callable[..., Tab], scores: dict[Key, dict[str, Any]], slug: str
) -> None:
    """Kettleby (apparel) and Halvard (extractives) are no longer scored on the government-demand
    indicators written for platforms: their pages show their own sector's module and no indicator
    of another sector's module, and their sector and core scores are those of `hrdd score`."""
    sector, own, others = _module_indicators(scores, slug)
    assert own and any(i.startswith("GD") for i in others)
    browser = tab(demo)
    # The indicators' sections are on the answers page; the overview keeps the sector standing.
    answers = browser.goto(f"companies/{slug}/answers/")
    shown = set(
        answers.locator("#indicator-details section[data-indicator]").evaluate_all(
            "ss => ss.map(s => s.dataset.indicator)"
        )
    )
    assert own <= shown
    assert not shown & others
    page = browser.goto(f"companies/{slug}/")
    standing = page.locator("#sector-standing")
    score = scores[(slug, EDITION, "independent")]
    assert standing.get_attribute("data-sector") == sector
    assert float(standing.get_attribute("data-core") or "nan") == score["core_total"]
    assert float(standing.get_attribute("data-sector-score") or "nan") == score["sector_total"]


def test_demo_ranking_across_sectors_is_on_the_core(demo: Served, tab: Callable[..., Tab]) -> None:
    """On the demo's ranking page the cross-sector table is labelled and ranked on the core score,
    and every sector with companies has its own table labelled with its name and the sector score."""
    page = tab(demo).goto("ranking/")
    assert page.locator("#ranking-independent caption").inner_text() == (
        f"Independent assessments {EDITION}, all sectors, ranked by core score"
    )
    assert page.locator("#ranking-independent").get_attribute("data-ranking") == "core"
    labels = page.locator("table[data-ranking='sector'] caption").all_inner_texts()
    assert labels == [
        f"Independent assessments {EDITION}, {name} only, ranked by sector score"
        for name in (
            "ICT platforms and telecommunications",
            "Apparel and footwear",
            "Extractives",
            "Agricultural products",
        )
    ]
