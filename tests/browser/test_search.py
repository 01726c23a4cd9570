"""Material's search, offline: the index is the site's own search/search_index.json, searched in a
web worker; typing a company name or an indicator title finds its page."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator

from tests.browser.conftest import Served, Tab, search_for

pytestmark = pytest.mark.browser


def paths(links: Locator) -> list[str]:
    """The URL paths of search result links (without Material's ?h= highlight query)."""
    return [urlsplit(href).path for href in links.evaluate_all("links => links.map(a => a.href)")]


def test_search_finds_a_company(demo: Served, tab: Callable[..., Tab]) -> None:
    """Typing a company's name on the home page lists its page first, and the result opens it."""
    page = tab(demo).goto("")
    links = search_for(page, "Tessaline")
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
    assert paths(search_for(page, indicator.title))[0] == "/indicators/GE1/"
