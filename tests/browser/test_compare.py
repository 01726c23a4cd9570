"""The ranking's compare view in a real browser (issue 21 item 5): two to four companies picked,
their scores side by side from the published JSON, equal to `hrdd score --format json`; with
scripts off, a paragraph says what it compares and links each company's data file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import EDITION, Scheme, Served, Tab
from tests.browser.expected import Key, in_edition, number
from tests.browser.test_axe import _axe, blocking, report
from tests.conftest import REPO

pytestmark = pytest.mark.browser

CELLS_JS = """() => Object.fromEntries([...document.querySelectorAll("#compare-table tbody tr")].map(tr =>
  [tr.dataset.key,
   Object.fromEntries([...tr.querySelectorAll("td")].map(td => [td.dataset.company, td.textContent]))]))"""


def _independent() -> list[str]:
    return sorted(f.slug for f in in_edition(REPO, EDITION) if f.assessor == "independent")


def test_compare_view_numbers_equal_hrdd_score(
    demo: Served, tab: Callable[..., Tab], scores: dict[Key, dict[str, Any]]
) -> None:
    """Picking three companies shows, for each, its total, core and sector scores and every
    category and indicator score exactly as `hrdd score --format json` gives them."""
    t = tab(demo)
    page = t.goto("ranking/")
    picked = _independent()[:3]
    for slug in picked:
        page.locator(f"#compare-form input[value='{slug}']").check()
    page.locator("#compare-table").wait_for()
    shown: dict[str, dict[str, str]] = page.evaluate(CELLS_JS)
    for slug in picked:
        expected = scores[(slug, EDITION, "independent")]
        assert number(shown["total"][slug]) == expected["total"]
        assert number(shown["core_total"][slug]) == expected["core_total"]
        assert number(shown["sector_total"][slug]) == expected["sector_total"]
        for cat, value in expected["categories"].items():
            assert number(shown[f"category:{cat}"][slug]) == value, (slug, cat)
        for ind, data in expected["indicators"].items():
            assert number(shown[f"indicator:{ind}"][slug]) == data["score"], (slug, ind)
    assert "Comparing 3 companies" in page.locator("#compare-status").inner_text()
    # Rows are named as the page names what it compares: titles, not ids.
    for key in [k for k in shown if k.startswith(("category:", "indicator:"))][:5]:
        title = page.locator(f"#compare-table tr[data-key='{key}'] th").inner_text()
        assert title == page.locator(f".hrdd-compare-labels [data-key='{key}']").text_content()
        assert title != key.split(":", 1)[1]
    assert not t.problems()


def test_compare_view_takes_four_companies_at_most(demo: Served, tab: Callable[..., Tab]) -> None:
    """A fifth pick is refused and said so; the table keeps four companies."""
    t = tab(demo)
    page = t.goto("ranking/")
    for slug in _independent()[:5]:
        page.locator(f"#compare-form input[value='{slug}']").click()
    assert page.locator("#compare-form input:checked").count() == 4
    assert "at most" in page.locator("#compare-status").inner_text()
    assert not t.problems()


def test_without_scripts_the_compare_view_lists_what_it_compares(demo: Served, tab: Callable[..., Tab]) -> None:
    """Scripts off: the form stays hidden and the paragraph links the data file of every
    independently assessed company of the edition, each of which the site serves."""
    t = tab(demo, javascript=False)
    page = t.goto("ranking/")
    assert page.locator("#compare-form").is_hidden()
    links = page.locator("#compare-fallback a[data-company]")
    assert sorted(links.evaluate_all("as => as.map(a => a.dataset.company)")) == _independent()
    for href in links.evaluate_all("as => as.map(a => a.href)"):
        response = page.request.get(href)
        assert response.ok and response.json()["company"]["slug"] in href


@pytest.mark.parametrize("palette", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_compare_view_has_no_serious_axe_violation(
    demo: Served, tab: Callable[..., Tab], palette: Scheme, width: int
) -> None:
    """axe-core finds no serious or critical violation in the compare view with two companies
    compared, at both widths, in either palette."""
    t = tab(demo, color_scheme=palette)
    t.page.set_viewport_size({"width": width, "height": 900})
    page = t.goto("ranking/")
    for slug in _independent()[:2]:
        page.locator(f"#compare-form input[value='{slug}']").check()
    page.locator("#compare-table").wait_for()
    found = blocking(_axe.run(page, context={"include": [["#compare-view"]]}).response)
    assert not found, report(found)
