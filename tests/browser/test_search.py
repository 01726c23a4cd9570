"""Material's search, offline: the index is the site's own search/search_index.json, searched in a
web worker; typing a company name or an indicator title finds its page."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page

from tests.browser.conftest import Served, Tab, search_for

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
