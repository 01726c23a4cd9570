"""The company overview a person reads in minutes (issue #21 items 2 and 4), measured in Chromium:
its height at 1280 x 800, its printed length with link addresses, the answers as cards at 390 px
with chart text of at least 12 px, and every answer reachable from the overview in one click."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import yaml
from playwright.sync_api import ViewportSize

from tests.browser.conftest import Served, Tab
from tests.conftest import REPO

pytestmark = pytest.mark.browser

SCREEN: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
MAX_SCREENS = 8
MAX_PRINTED_PAGES = 6


def _companies(demo: Served) -> list[str]:
    """Every company of the demo site, from the built pages (the overview is companies/<slug>/)."""
    return sorted(
        p.split("/")[1] for p in demo.pages() if p.startswith("companies/") and p.count("/") == 2 and p != "companies/"
    )


def _pdf_pages(pdf: bytes) -> int:
    # Each page is one "/Type /Page" object; the page tree is "/Type /Pages".
    return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")


def test_every_overview_is_at_most_eight_screens_at_1280(demo: Served, tab: Callable[..., Tab]) -> None:
    """At 1280 x 800 each demo company's overview is at most 8 screen heights tall."""
    companies = _companies(demo)
    assert len(companies) == 9
    page = tab(demo).page
    page.set_viewport_size(SCREEN)
    heights = {}
    for slug in companies:
        page.goto(demo.url + f"companies/{slug}/", wait_until="load")
        heights[slug] = page.evaluate("document.documentElement.scrollHeight")
    assert all(h <= MAX_SCREENS * SCREEN["height"] for h in heights.values()), heights


def test_every_overview_prints_in_six_a4_pages_with_link_addresses(demo: Served, tab: Callable[..., Tab]) -> None:
    """Printed to A4, each demo company's overview takes at most 6 pages, and an outbound link
    shows its address after its text."""
    page = tab(demo).page
    pages = {}
    for slug in _companies(demo):
        page.goto(demo.url + f"companies/{slug}/", wait_until="load")
        pages[slug] = _pdf_pages(page.pdf(format="A4"))
    assert all(1 <= n <= MAX_PRINTED_PAGES for n in pages.values()), pages
    page.emulate_media(media="print")
    shown = page.locator("#company a[href^='http']").first.evaluate(
        "a => getComputedStyle(a, '::after').content.includes(a.getAttribute('href'))"
    )
    assert shown


def test_overview_opens_with_the_headline_and_key_findings(demo: Served, tab: Callable[..., Tab]) -> None:
    """Meridian Meet's overview starts with its total, rank and change, then its key findings and
    recommendations, before the scores; their text is the assessment's (escaped, not markup)."""
    page = tab(demo).goto("companies/meridian-meet/")
    order = page.evaluate(
        """() => ['overview-summary', 'key-findings', 'recommendations', 'score-summary', 'indicator-summary']
            .map(id => document.getElementById(id).getBoundingClientRect().top + scrollY)"""
    )
    assert order == sorted(order), order
    summary = page.locator("#overview-summary")
    assert summary.get_attribute("data-total") and summary.get_attribute("data-rank")
    data = yaml.safe_load((REPO / "assessments" / "meridian-meet" / "2025.yaml").read_text(encoding="utf-8"))
    shown = page.locator("#key-findings").inner_text()
    assert data["key_findings"] and all(
        " ".join(text.split()) in " ".join(shown.split()) for text in data["key_findings"]
    )


def test_each_indicator_of_the_overview_links_to_its_answers(demo: Served, tab: Callable[..., Tab]) -> None:
    """Every row of the overview's indicator table links to an answers page where an element with
    the indicator's id (i-<indicator>) exists: every answer is one click from the overview."""
    browser = tab(demo)
    page = browser.goto("companies/tessaline/")
    links = page.locator("#indicator-summary tbody tr[data-indicator] th a").evaluate_all(
        "as => as.map(a => [a.closest('tr').dataset.indicator, a.href])"
    )
    assert len(links) > 20
    targets: dict[str, set[str]] = {}
    for indicator, href in links:
        url, fragment = href.split("#", 1)
        assert fragment == f"i-{indicator}"
        targets.setdefault(url, set()).add(fragment)
    for url, fragments in targets.items():
        page.goto(url, wait_until="load")
        found = page.evaluate("ids => ids.filter(id => document.getElementById(id) !== null)", sorted(fragments))
        assert set(found) == fragments, url


def test_answers_read_as_cards_at_390_px(demo: Served, tab: Callable[..., Tab]) -> None:
    """At 390 px, the answers page does not scroll sideways, every element's block (a card: its
    question, then each answer with its comment, evidence, self-assessment and reply) and each
    of its parts lies within the viewport, the parts stacked one under another, and the chart
    text on the overview is at least 12 px."""
    page = tab(demo).page
    page.set_viewport_size(PHONE)
    page.goto(demo.url + "companies/tessaline/answers/", wait_until="load")
    # The questions are in (scorecard.js, from data/elements.csv): the longest text of a card.
    page.wait_for_selector("#indicator-details div[id^='e-'][data-question]")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    boxes = page.evaluate(
        """() => [...document.querySelectorAll("#indicator-details div[id^='e-'], #indicator-details div[id^='e-'] *")]
            .map(e => { const b = e.getBoundingClientRect();
                        return [e.closest("div[id^='e-']").id, b.left, b.right]; })"""
    )
    assert len(boxes) > 500
    outside = [b for b in boxes if b[1] < 0 or b[2] > PHONE["width"]]
    assert outside == [], outside[:5]
    # A card: its parts are stacked (each starts below the one before), not side by side.
    stacked = page.evaluate(
        """() => [...document.querySelectorAll("#indicator-details div[id^='e-']")].every(card => {
                   const tops = [...card.children].map(c => c.getBoundingClientRect().top);
                   return tops.every((t, i) => i === 0 || t > tops[i - 1]); })"""
    )
    assert stacked
    page.goto(demo.url + "companies/tessaline/", wait_until="load")
    # The text's font size in the SVG's units, times the scale the SVG is drawn at.
    sizes = page.evaluate(
        """() => [...document.querySelectorAll("figure svg text")].map(t => {
            const svg = t.ownerSVGElement;
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return parseFloat(getComputedStyle(t).fontSize) * scale;
        })"""
    )
    assert sizes and min(sizes) >= 12, min(sizes or [0])


def test_an_earlier_cycles_address_leads_to_its_answers_on_the_overview(demo: Served, tab: Callable[..., Tab]) -> None:
    """The 2024 address of a company still answers: it opens the overview at the 2024 column of
    the earlier answers, and a cited 2024 answer (``#a-<element>-<level>``) at that answer's row,
    shown (the browser opens the closed details around it). The row holds the 2024 answer."""
    opened = tab(demo)
    page = opened.goto("companies/paxtel/2024/")
    page.wait_for_url("**/companies/paxtel/#earlier-2024")
    assert page.locator("#earlier-table th#earlier-2024").count() == 1
    row = page.locator("#earlier-table tbody tr").nth(3)
    target = row.get_attribute("id") or ""
    assert target.startswith("p-")
    page = opened.goto(f"companies/paxtel/2024/#a-{target[2:]}")
    page.wait_for_url(f"**/companies/paxtel/#{target}")
    assert page.locator("#earlier").evaluate("d => d.open")
    assert page.locator(f"[id='{target}']").is_visible()
    # Compact: the earlier answers carry no evidence (quotes, cited sources), which stays in that
    # cycle's own edition and the downloads.
    table = page.locator("#earlier").inner_html()
    assert "<q>" not in table and "#src-" not in table and "<blockquote" not in table
