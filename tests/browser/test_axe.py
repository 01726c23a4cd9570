"""Accessibility: axe-core, run offline in Chromium, finds no serious or critical violation on the
site's main pages, in the light and the dark palette."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ViewportSize

from tests.browser.conftest import Scheme, Served, Tab

pytestmark = pytest.mark.browser

PAGES = {
    "home": "",
    "ranking": "ranking/",
    # Tessaline's page has everything a company page can show: a self-assessment beside the
    # independent one, disagreements, incidents, history.
    "company": "companies/tessaline/",
    "answers": "companies/tessaline/answers/",
    "earlier-cycle": "companies/paxtel/2024/",
    "indicator": "indicators/PC1/",
    "methodology": "methodology/",
    "downloads": "downloads/",
    "submit": "submit/",
    "about": "about/",
}
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
    "answers": ".hrdd-category ~ .hrdd-category",
    "methodology": ".hrdd-method-category ~ .hrdd-method-category",
}

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


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_violation(demo: Served, tab: Callable[..., Tab], name: str, palette: Scheme) -> None:
    """axe-core reports no serious or critical violation on the page: under every rule in the
    light palette, under the colour rules in the dark one."""
    page = tab(demo, color_scheme=palette).goto(PAGES[name])
    assert page.locator("body").get_attribute("data-md-color-scheme") == PALETTES[palette]
    context = {"exclude": [[REPEATED[name]]]} if name in REPEATED else None
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if palette != "light":
        options["runOnly"] = {"type": "rule", "values": COLOUR_RULES}
    found = blocking(_axe.run(page, context=context, options=options).response)
    assert not found, f"{PAGES[name] or 'home'} ({palette}):\n{report(found)}"


COMPANY_KINDS = ("company", "answers", "earlier-cycle")
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("name", COMPANY_KINDS)
def test_company_pages_at_phone_width(demo: Served, tab: Callable[..., Tab], name: str, palette: Scheme) -> None:
    """At 390 px (the answers as cards, the overview's tables stacked), the company page kinds have
    no serious or critical violation: every rule in the light palette, the colour rules in the dark."""
    opened = tab(demo, color_scheme=palette)
    opened.page.set_viewport_size(PHONE)
    page = opened.goto(PAGES[name])
    context = {"exclude": [[REPEATED[name]]]} if name in REPEATED else None
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if palette != "light":
        options["runOnly"] = {"type": "rule", "values": COLOUR_RULES}
    found = blocking(_axe.run(page, context=context, options=options).response)
    assert not found, f"{PAGES[name]} at 390 px ({palette}):\n{report(found)}"


@pytest.mark.parametrize("name", REPEATED)
def test_repeated_sections_have_no_serious_violation(demo: Served, tab: Callable[..., Tab], name: str) -> None:
    """The repeated sections that the palette checks leave out have no serious or critical
    violation under every rule but the colour ones."""
    page = tab(demo).goto(PAGES[name])
    assert page.locator(REPEATED[name]).count() > 1
    options = {"resultTypes": ["violations"], "rules": {rule: {"enabled": False} for rule in COLOUR_RULES}}
    found = blocking(_axe.run(page, context={"include": [[REPEATED[name]]]}, options=options).response)
    assert not found, f"{PAGES[name]}:\n{report(found)}"
