"""Navigation: every section of the site (the ``nav`` of ``mkdocs.yml``) is reachable from every
kind of page without search, at desktop width (the tabs in the header) and at phone width (the
drawer), and the company pages stay out of the navigation (ENGINEERING.md: a navigation listing
every company makes the build quadratic in the number of pages)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urljoin

import pytest
from mkdocs.utils.yaml import yaml_load
from playwright.sync_api import Locator, Page

from tests.browser.conftest import Served, Tab
from tests.conftest import REPO

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

# One page of each kind: the generated ones hide Material's sidebar (home, ranking, What changed,
# company pages), the others keep it.
PAGES = [
    "",
    "ranking/",
    "companies/",
    "companies/tessaline/",
    "indicators/PC1/",
    "changelog/",
    "methodology/",
    "downloads/",
    "about/",
]


def _sections() -> list[tuple[str, str]]:
    """(title, URL path) of each entry of the demo's ``nav``, read from mkdocs.yml."""
    with (REPO / "mkdocs.yml").open(encoding="utf-8") as handle:
        nav = yaml_load(handle)["nav"]
    sections = []
    for item in nav:
        ((title, doc),) = item.items()
        path = doc.removesuffix("index.md").removesuffix(".md")
        sections.append((title, path if not path or path.endswith("/") else path + "/"))
    return sections


SECTIONS = _sections()


def _open_drawer(page: Page) -> None:
    page.locator('label.md-header__button[for="__drawer"]').click()
    page.locator(".md-nav--primary").first.wait_for(state="visible")


def _tab_links(page: Page) -> Locator:
    return page.locator(".md-tabs__link")


def _drawer_links(page: Page) -> Locator:
    # The drawer's top level only: the entries of the page's own table of contents are nested.
    return page.locator(".md-nav--primary > .md-nav__list > .md-nav__item > .md-nav__link")


def _visible_targets(site: Served, page: Page, links: Locator) -> dict[str, str]:
    """Visible link text -> URL path of the link's target."""
    found = {}
    for link in links.all():
        if not link.is_visible():
            continue
        href = urljoin(page.url, link.get_attribute("href") or "")
        found[link.inner_text().strip()] = href.removeprefix(site.url)
    return found


def test_the_sections_are_the_whole_navigation() -> None:
    """The test checks every section of the site: Ranking, Companies, Indicators, What changed,
    Methodology, Downloads, Submit and About besides Home."""
    titles = {title for title, _ in SECTIONS}
    assert {"Home", "Ranking", "Companies", "Indicators", "What changed", "Methodology", "Downloads", "About"} <= titles
    assert any(title.startswith("Submit") for title in titles)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_every_section_is_visible_from_every_kind_of_page(demo: Served, tab: Callable[..., Tab], width: str) -> None:
    """At 1280 px each section is a visible tab in the header; at 390 px each is a visible entry
    of the drawer once it is opened; on every kind of page, each link pointing at its section."""
    t = tab(demo)
    t.page.set_viewport_size(DESKTOP if width == "desktop" else PHONE)  # type: ignore[arg-type]
    expected = dict(SECTIONS)
    for path in PAGES:
        page = t.goto(path)
        if width == "phone":
            assert _visible_targets(demo, page, _tab_links(page)) == {}, f"{path}: tabs shown on a phone"
            _open_drawer(page)
            found = _visible_targets(demo, page, _drawer_links(page))
        else:
            found = _visible_targets(demo, page, _tab_links(page))
        assert found == expected, f"{path} at {width} width"


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_each_section_link_leads_to_its_page_from_the_home_page(
    demo: Served, tab: Callable[..., Tab], width: str
) -> None:
    """Following each section's link from the home page (a tab at 1280 px, the drawer at 390 px)
    opens that section's page."""
    t = tab(demo)
    t.page.set_viewport_size(DESKTOP if width == "desktop" else PHONE)  # type: ignore[arg-type]
    for title, target in SECTIONS:
        page = t.goto("")
        if width == "phone":
            _open_drawer(page)
            link = _drawer_links(page).filter(has_text=title).first
        else:
            link = _tab_links(page).filter(has_text=title).first
        link.click()
        page.wait_for_url(demo.url + target)
        assert page.locator("article h1").first.is_visible(), title


def test_company_pages_stay_out_of_the_navigation(demo: Served, tab: Callable[..., Tab]) -> None:
    """Neither the tabs nor the drawer of any page link to a company's own page: companies are
    reached through the ranking and the companies index."""
    t = tab(demo)
    for path in ("", "companies/", "companies/tessaline/"):
        page = t.goto(path)
        hrefs = page.eval_on_selector_all(
            ".md-tabs a, .md-nav--primary a", "els => els.map(a => new URL(a.href).pathname)"
        )
        assert hrefs, path
        assert [h for h in hrefs if "/companies/" in h and not h.endswith("/companies/")] == [], path


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_chrome_icons_are_drawn_from_the_sprite(demo: Served, tab: Callable[..., Tab], width: str) -> None:
    """The header's and the drawer's icons (logo, menu, search, colour scheme, repository) are
    one file every page refers to (assets/hrdd/icons.svg): each visible one is drawn, its shape
    read from that file (a reference that did not load draws an empty box)."""
    t = tab(demo)
    t.page.set_viewport_size(DESKTOP if width == "desktop" else PHONE)  # type: ignore[arg-type]
    for path in ("", "companies/tessaline/"):
        page = t.goto(path)
        if width == "phone":
            _open_drawer(page)
        drawn = page.eval_on_selector_all(
            ".md-header use, .md-nav--primary use",
            """uses => uses.filter(u => u.closest("svg").getBoundingClientRect().width > 0).map(u => {
                const box = u.getBBox();
                return [u.getAttribute("href").split("#")[1], box.width > 1 && box.height > 1];
            })""",
        )
        names = {name for name, _ in drawn}
        assert {"logo", "search", "repo"} <= names and ({"menu"} <= names or width == "desktop"), (path, drawn)
        assert all(ok for _, ok in drawn), (path, drawn)
