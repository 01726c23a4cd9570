"""Accessibility: axe-core, run offline in Chromium, finds no serious or critical violation on
every kind of page the demo builds (and the ranking's compare view), at phone width (390 px) and
desktop width (1280 px), in the light and the dark palette, with the navigation as a reader finds
it: closed at phone width, and then the drawer opened."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, ViewportSize

from tests.browser.conftest import Scheme, Served, Tab

pytestmark = pytest.mark.browser

# Every kind of page the demo builds: the URL paths of the kind, and the page checked for it.
# test_every_built_page_is_of_a_checked_kind holds this table to the built site, so a new kind of
# page fails there until it is added here (and so checked).
KINDS: dict[str, tuple[str, str]] = {
    "home": (r"", ""),
    "ranking": (r"ranking/", "ranking/"),
    "companies": (r"companies/", "companies/"),
    # Tessaline's page has everything a company page can show: a self-assessment beside the
    # independent one, disagreements, incidents, history.
    "company": (r"companies/[^/]+/", "companies/tessaline/"),
    "answers": (r"companies/[^/]+/answers/", "companies/tessaline/answers/"),
    "indicators": (r"indicators/", "indicators/"),
    "indicator": (r"indicators/[^/]+/", "indicators/PC1/"),
    "methodology": (r"methodology/", "methodology/"),
    "changelog": (r"changelog/", "changelog/"),
    "downloads": (r"downloads/", "downloads/"),
    "submit": (r"submit/", "submit/"),
    "about": (r"about/", "about/"),
    "not-found": (r"404\.html", "404.html"),
}
PAGES = {name: sample for name, (_, sample) in KINDS.items()}
# Views a page turns into when a reader acts on it: the ranking with two companies compared.
VIEWS = {**PAGES, "compare": PAGES["ranking"]}
WIDTHS: dict[int, ViewportSize] = {390: {"width": 390, "height": 844}, 1280: {"width": 1280, "height": 900}}
# Material's palettes, chosen by prefers-color-scheme (mkdocs.yml), and the scheme each sets.
PALETTES: dict[Scheme, str] = {"light": "default", "dark": "slate"}
BLOCKING = ("serious", "critical")

# Only the colour rules depend on the palette: the dark palette is checked with them alone, the
# light one with every rule.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
# axe's contrast check costs a few milliseconds per text node. The company and methodology pages
# have thousands, nearly all in per-category sections that repeat the first one's markup (on
# Tessaline's page the first has disagreement rows too). The palette checks take the first section
# and leave the others to one check with every rule but the colour ones: about four times faster.
REPEATED = {
    "answers": "#indicator-details > section ~ section",
    "methodology": ".hrdd-method-category ~ .hrdd-method-category",
}
DRAWER = ".md-sidebar--primary"

_axe = Axe()


def report(violations: list[dict[str, Any]]) -> str:
    """One line per violation and one per element it found, readable in a test failure."""
    lines = []
    for v in violations:
        lines.append(f"{v['impact']}: {v['id']}: {v['help']} ({len(v['nodes'])} elements) {v['helpUrl']}")
        for node in v["nodes"][:10]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {' > '.join(map(str, node['target']))}: {summary}")
    return "\n".join(lines)


def blocking(response: dict[str, Any]) -> list[dict[str, Any]]:
    return [v for v in response["violations"] if v["impact"] in BLOCKING]


def kind_of(path: str) -> list[str]:
    """The kinds whose URL pattern matches a page's URL path (exactly one for every page)."""
    return [name for name, (pattern, _) in KINDS.items() if re.fullmatch(pattern, path)]


def test_every_built_page_is_of_a_checked_kind(demo: Served) -> None:
    """Every HTML page of the built demo is of exactly one kind of the table the axe checks take
    their pages from, and every kind's sample page is one of them."""
    pages = demo.pages()
    unmatched = {path: kind_of(path) for path in pages if len(kind_of(path)) != 1}
    assert not unmatched, f"pages of no kind or of several (add the kind to KINDS): {unmatched}"
    for name, (pattern, sample) in KINDS.items():
        assert sample in pages and re.fullmatch(pattern, sample), name


def _check(page: Page, name: str, palette: Scheme, *, include: str | None = None) -> list[dict[str, Any]]:
    """axe's blocking violations on the open page: every rule in the light palette, the colour
    rules in the dark one; the repeated sections left to test_repeated_sections_..."""
    context: dict[str, Any] = {}
    if include:
        context["include"] = [[include]]
    if name in REPEATED:
        context["exclude"] = [[REPEATED[name]]]
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if palette != "light":
        options["runOnly"] = {"type": "rule", "values": COLOUR_RULES}
    return blocking(_axe.run(page, context=context or None, options=options).response)


def _compare_two(page: Page) -> None:
    """Pick the first two companies of the compare form, as a reader does, and wait for the table."""
    boxes = page.locator("#compare-form input[type=checkbox]")
    assert boxes.count() >= 2
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.locator("#compare-table").wait_for()


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", VIEWS)
def test_no_serious_violation(demo: Served, tab: Callable[..., Tab], name: str, width: int, palette: Scheme) -> None:
    """axe-core reports no serious or critical violation on the page as loaded (at 390 px with the
    drawer closed, as a reader opens it) and, at 390 px, in the navigation drawer once opened."""
    opened = tab(demo, color_scheme=palette)
    opened.page.set_viewport_size(WIDTHS[width])
    page = opened.goto(VIEWS[name])
    assert page.locator("body").get_attribute("data-md-color-scheme") == PALETTES[palette]
    if name == "compare":
        _compare_two(page)
    where = f"{VIEWS[name] or 'home'} ({name}) at {width} px, {palette}"
    found = _check(page, name, palette)
    assert not found, f"{where}:\n{report(found)}"
    if width < 1220:  # Material's drawer breakpoint (76.25em): below it the navigation is a drawer
        page.locator('label.md-header__button[for="__drawer"]').click()
        page.locator(".md-nav--primary").first.wait_for(state="visible")
        found = _check(page, "drawer", palette, include=DRAWER)
        assert not found, f"{where}, drawer open:\n{report(found)}"


@pytest.mark.parametrize("name", REPEATED)
def test_repeated_sections_have_no_serious_violation(demo: Served, tab: Callable[..., Tab], name: str) -> None:
    """The repeated sections that the palette checks leave out have no serious or critical
    violation under every rule but the colour ones."""
    page = tab(demo).goto(PAGES[name])
    assert page.locator(REPEATED[name]).count() > 1
    options = {"resultTypes": ["violations"], "rules": {rule: {"enabled": False} for rule in COLOUR_RULES}}
    found = blocking(_axe.run(page, context={"include": [[REPEATED[name]]]}, options=options).response)
    assert not found, f"{PAGES[name]}:\n{report(found)}"
