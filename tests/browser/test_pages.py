"""The demo site in a real browser: pages load, and nothing goes wrong on them."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.browser.conftest import Served, Tab

pytestmark = pytest.mark.browser

# Company and indicator pages are many pages from a few templates, and a company page takes about
# a second to load on two cores: one of each kind is visited here (the static scan in tests/site
# covers every file). Every other page is visited.
GENERATED = re.compile(r"^(companies|indicators)/[^/]+/")
SAMPLES = [
    "companies/paxtel/",  # an independent assessment with an earlier cycle
    "companies/paxtel/answers/",  # a company's answers with their evidence
    "companies/tessaline/",  # an independent assessment and a self-assessment of the same cycle
    "indicators/PC1/",  # an indicator with elements
    "indicators/GD4/",  # a family of sub-indicators
    "indicators/GD4a/",  # a sub-indicator
]


def test_pages_load_cleanly(demo: Served, tab: Callable[..., Tab]) -> None:
    """Every page but the generated company and indicator pages, and one page of each of their
    kinds, loads with HTTP 200, without a console error or an uncaught exception, and without a
    request to another host (the ``tab`` fixture blocks such requests and fails the test)."""
    t = tab(demo)
    pages = [p for p in demo.pages() if not GENERATED.match(p)] + SAMPLES
    assert {"", "ranking/", "methodology/", "404.html"} <= set(pages)
    for path in pages:
        t.goto(path)
    assert t.problems() == []
