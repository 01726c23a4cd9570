"""Material's search, offline: the index is the site's own search/search_index.json, searched in a
web worker; typing a company name or an indicator title finds its page, and so does text from the
company pages' detached blocks (incidents, replies, assessors, country, sector: hrdd.site.searchable)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page

from tests.browser.conftest import Served, Tab, search_for
from tests.conftest import REPO
from tests.searchcases import Case, Data, pages_showing

pytestmark = pytest.mark.browser


def paths(links: Locator) -> list[str]:
    """The URL paths of search result links (without Material's ?h= highlight query)."""
    return [urlsplit(href).path for href in links.evaluate_all("links => links.map(a => a.href)")]


FIRST_RESULT_JS = """(path) => {
  const first = document.querySelector(".md-search-result__item > a.md-search-result__link");
  return first !== null && new URL(first.href).pathname === path;
}"""


def results_led_by(page: Page, query: str, path: str) -> Locator:
    """The results of ``query`` once its first result is ``path`` (fails after the timeout if it
    never is). Results are shown while the query is typed, for each prefix of it: the first
    ones shown may be for "Gov", not the whole title."""
    links = search_for(page, query)
    page.wait_for_function(FIRST_RESULT_JS, arg=path)
    return links


def test_search_finds_a_company(demo: Served, tab: Callable[..., Tab]) -> None:
    """Typing a company's name on the home page lists its page first, and the result opens it."""
    page = tab(demo).goto("")
    links = results_led_by(page, "Tessaline", "/companies/tessaline/")
    assert paths(links)[0] == "/companies/tessaline/"
    links.first.click()
    page.wait_for_url("**/companies/tessaline/**")
    assert page.locator("h1").first.inner_text() == "Tessaline Telecom"


def test_search_finds_an_indicator(demo: Served, tab: Callable[..., Tab]) -> None:
    """Typing an indicator's title lists the indicator's page first."""
    framework = demo.result.card.edition_frameworks()[0]
    indicator = framework.indicator("GE1")
    assert indicator is not None
    page = tab(demo).goto("ranking/")
    assert paths(results_led_by(page, indicator.title, "/indicators/GE1/"))[0] == "/indicators/GE1/"


# --- what readers look for, taken from the data (issue #21 item 6) ---------------------------

RESULTS_INCLUDE_JS = """(paths) => {
  const links = [...document.querySelectorAll(".md-search-result__list a.md-search-result__link")];
  if (links.some(a => paths.includes(new URL(a.href).pathname))) return true;
  // Material shows the results ten at a time, more as the list is scrolled.
  if (links.length > 0) links[links.length - 1].scrollIntoView();
  return false;
}"""


def found_among_results(site: Served, tab: Callable[..., Tab], case: Case) -> None:
    """Type ``case.query`` into the search box and wait until one of the company's pages that show
    it is among the results (fails after Playwright's timeout if none ever is)."""
    shown = pages_showing(site.root, case.company, case.query)
    assert shown, f"{case.what} {case.query!r} is on no page of {case.company}"
    page = tab(site).goto("")
    search_for(page, case.query)
    page.wait_for_function(RESULTS_INCLUDE_JS, arg=shown)


@pytest.mark.parametrize("what", ["incident text", "company reply", "assessor name", "country", "sector"])
def test_search_finds_what_readers_look_for(demo: Served, tab: Callable[..., Tab], what: str) -> None:
    """A word of an incident's allegation or of a company's reply (one found in no other company's
    data), an assessor's name, a country and a sector, each read from the demo data and typed into
    the search box, list a page of the company that shows it."""
    case = next(c for c in Data(REPO, demo.result.card).cases() if c.what == what)
    found_among_results(demo, tab, case)


def test_search_finds_a_key_finding(demo: Served, tab: Callable[..., Tab]) -> None:
    """A word of a company's key finding lists a page of the company showing it."""
    case = Data(REPO, demo.result.card).key_finding_case()
    if not pages_showing(demo.root, case.company, case.text):
        pytest.skip(
            "key findings are on no page yet (#21 item 2, the company overview): "
            "remove this skip once the overview shows them"
        )
    found_among_results(demo, tab, case)
