"""The ranking page in a real browser: complete without JavaScript, sorted by clicking a heading,
filtered by sector, country and assessor type. Expected rows come from the YAML files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import EDITION, Served, Tab
from tests.browser.expected import Filed, Key, in_edition, number
from tests.conftest import REPO

pytestmark = pytest.mark.browser

TABLES = "#ranking-independent, #ranking-self"

# Every row of both ranking tables with what the tests compare; "shown" is what a reader sees.
ROWS_JS = """(selector) => [...document.querySelectorAll(selector)].flatMap(table =>
  [...table.tBodies[0].rows].map(row => ({
    table: table.id,
    company: row.dataset.company,
    assessor: row.dataset.assessor,
    shown: !row.hidden && row.offsetParent !== null,
    rank: row.dataset.rank ?? null,
    cells: Object.fromEntries([...row.querySelectorAll("td[data-col]")].map(td => [td.dataset.col, td.dataset.value])),
    texts: Object.fromEntries([...row.querySelectorAll("td[data-col]")].map(td => [td.dataset.col, td.textContent])),
  })))"""


def rows(page: Page, selector: str = TABLES) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.evaluate(ROWS_JS, selector)
    return found


def expected_rows() -> list[Filed]:
    return in_edition(REPO, EDITION)


def test_tables_hold_every_published_assessment_without_javascript(demo: Served, tab: Callable[..., Tab]) -> None:
    """With JavaScript off, the independent table lists exactly the edition's published independent
    assessments and the self-assessment table exactly its published self-assessments (so no draft,
    no assessment under review and no other cycle); the filters, which need the script, are hidden."""
    page = tab(demo, javascript=False).goto("ranking/")
    found = rows(page)
    expected = expected_rows()
    assert {(r["company"], r["assessor"]) for r in found if r["table"] == "ranking-independent"} == {
        (f.slug, "independent") for f in expected if f.assessor == "independent"
    }
    assert {(r["company"], r["assessor"]) for r in found if r["table"] == "ranking-self"} == {
        (f.slug, "self") for f in expected if f.assessor == "self"
    }
    assert all(r["shown"] for r in found)
    assert page.locator("#ranking-filters").is_hidden()


def test_independent_rows_are_ranked_by_total(
    demo: Served, tab: Callable[..., Tab], scores: dict[Key, dict[str, Any]]
) -> None:
    """As served, the independent table (across sectors) runs from the highest core score of
    `hrdd score` down, with competition ranks (equal scores share a rank); the self-assessment
    table has no rank column."""
    page = tab(demo).goto("ranking/")
    independent = rows(page, "#ranking-independent")
    totals = [scores[(r["company"], EDITION, "independent")]["core_total"] for r in independent]
    assert totals == sorted(totals, reverse=True)
    ranks = [int(r["rank"]) for r in independent]
    assert ranks == [1 + sum(1 for t in totals if t > total) for total in totals]
    assert page.locator("#ranking-self th[data-col='rank'], #ranking-self td[data-col='rank']").count() == 0


def _column(found: list[dict[str, Any]], col: str) -> list[float | None]:
    return [number(r["cells"][col]) for r in found]


def _ordered(values: list[float | None], descending: bool) -> bool:
    known = [v for v in values if v is not None]
    missing_last = values == known + [None] * (len(values) - len(known))
    return missing_last and known == sorted(known, reverse=descending)


@pytest.mark.parametrize(
    ("table", "col"),
    [
        ("#ranking-independent", "core"),
        ("#ranking-independent", "sector_total"),
        ("#ranking-sector-ict", "PC"),
        ("#ranking-sector-ict", "RA"),
    ],
    ids=["core", "sector-score", "category", "category-with-n/a"],
)
def test_clicking_a_heading_sorts_both_ways(demo: Served, tab: Callable[..., Tab], table: str, col: str) -> None:
    """Clicking a number column's heading sorts the rows high to low, clicking again low to high;
    a row without a score ("n/a") stays last both ways, each row keeps its own numbers, and the
    heading says how it is sorted (aria-sort)."""
    page = tab(demo).goto("ranking/")
    before = {r["company"]: r["cells"] for r in rows(page, table)}
    heading = page.locator(f"{table} thead th[data-col='{col}']")
    for descending in (True, False):
        heading.get_by_role("button").click()
        found = rows(page, table)
        assert _ordered(_column(found, col), descending), _column(found, col)
        assert {r["company"]: r["cells"] for r in found} == before
        assert all(number(r["texts"][col]) == number(r["cells"][col]) for r in found)
        assert heading.get_attribute("aria-sort") == ("descending" if descending else "ascending")


def _attribute(f: Filed, key: str) -> str:
    return f.assessor if key == "assessor" else str(f.company[key])


@pytest.mark.parametrize("key", ["sector", "country", "assessor"])
def test_filter_shows_only_matching_rows(demo: Served, tab: Callable[..., Tab], key: str) -> None:
    """Choosing each value of a filter shows exactly the assessments (of both tables) that the YAML
    files give that value, hides the others, and says how many are shown; "all" shows every row."""
    page = tab(demo).goto("ranking/")
    select = page.locator(f"#filter-{key}")
    values = [v for v in select.locator("option").evaluate_all("os => os.map(o => o.value)") if v]
    expected = expected_rows()
    assert sorted(values) == sorted({_attribute(f, key) for f in expected})
    for value in values:
        select.select_option(value)
        shown = {(r["company"], r["assessor"]) for r in rows(page) if r["shown"]}
        assert shown == {(f.slug, f.assessor) for f in expected if _attribute(f, key) == value}, value
        assert page.locator("#filter-status").text_content() == f"Showing {len(shown)} of {len(expected)} assessments."
    select.select_option("")
    assert all(r["shown"] for r in rows(page))


def test_filters_combine(demo: Served, tab: Callable[..., Tab]) -> None:
    """Filters narrow together: ICT companies that assessed themselves are only the published
    self-assessments in that sector."""
    page = tab(demo).goto("ranking/")
    page.locator("#filter-sector").select_option("ict")
    page.locator("#filter-assessor").select_option("self")
    shown = {(r["table"], r["company"]) for r in rows(page) if r["shown"]}
    expected = {
        ("ranking-self", f.slug) for f in expected_rows() if f.assessor == "self" and f.company["sector"] == "ict"
    }
    assert shown == expected
    assert expected  # the demo has one (Tessaline); without it this test would prove nothing
