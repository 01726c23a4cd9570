"""The published gh-pages branch in a real browser: Material's version selector lists both
editions and switches between them; an older edition shows the outdated-edition notice.

Debian's Chromium drives the test (ENGINEERING.md); without it the test is skipped, except in
CI (``CI`` set), where a missing browser is a failure rather than a silently skipped check."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.publish.conftest import Published

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser_page(playwright: Any) -> Iterator[object]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with tempfile.TemporaryDirectory(prefix="hrdd-chromium-") as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield context.new_page()
        finally:
            context.close()


def test_version_selector_lists_both_editions_and_switches(published: Published, browser_page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(browser_page, Page)
    page = browser_page
    page.goto(published.url)  # the root redirects to latest/, which redirects to 2025/
    page.wait_for_url(f"{published.url}2025/")
    selector = page.locator(".md-version")
    expect(selector).to_be_visible()
    expect(page.locator(".md-version__current")).to_contain_text("2025 edition")
    links = page.locator(".md-version__link")
    expect(links).to_have_count(2)
    expect(links.nth(0)).to_contain_text("2025 edition")
    expect(links.nth(0).locator(".md-version__alias")).to_have_text("latest")
    expect(links.nth(1)).to_have_text("2024 edition")
    # The latest edition is current: no outdated notice.
    expect(page.locator('[data-md-component="outdated"]')).to_be_hidden()

    page.locator(".md-version__current").focus()  # opens the list, as a keyboard user would
    page.locator(".md-version__link", has_text="2024 edition").click()
    page.wait_for_url(f"{published.url}2024/**")
    expect(page.locator("#edition")).to_have_attribute("data-edition", "2024")
    expect(page.locator(".md-version__current")).to_contain_text("2024 edition")
    notice = page.locator('[data-md-component="outdated"]')
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("This is the 2024 edition of the scorecard")

    page.locator(".md-version__current").focus()  # opens the list, as a keyboard user would
    page.locator(".md-version__link", has_text="2025 edition").click()
    page.wait_for_url(f"{published.url}2025/**")
    expect(page.locator("#edition")).to_have_attribute("data-edition", "2025")


def test_the_outdated_notice_leads_to_the_latest_edition(published: Published, browser_page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(browser_page, Page)
    page = browser_page
    page.goto(f"{published.url}2024/companies/mini-telecom/")
    notice = page.locator('[data-md-component="outdated"]')
    expect(notice).to_be_visible()
    notice.get_by_role("link", name="See the latest edition.").click()
    page.wait_for_url(f"{published.url}2025/")
    expect(page.locator("#edition")).to_have_attribute("data-edition", "2025")


def test_the_edition_selector_keeps_the_reader_on_the_same_company(published: Published, browser_page: object) -> None:
    """On a company's page, choosing another edition opens the same company's page in that
    edition (Material looks the page up in that edition's sitemap.xml, which lists company pages
    now that site_url is set), keeping the fragment; then back again."""
    from playwright.sync_api import Page, expect

    assert isinstance(browser_page, Page)
    page = browser_page
    page.goto(f"{published.url}2025/companies/mini-telecom/#history")
    expect(page.locator(".md-version__current")).to_contain_text("2025 edition")
    page.locator(".md-version__current").focus()
    page.locator(".md-version__link", has_text="2024 edition").click()
    page.wait_for_url(f"{published.url}2024/companies/mini-telecom/#history")
    expect(page.locator("#company")).to_have_attribute("data-company", "mini-telecom")
    expect(page.locator("#company")).to_have_attribute("data-latest-cycle", "2024")
    page.locator(".md-version__current").focus()
    page.locator(".md-version__link", has_text="2025 edition").click()
    page.wait_for_url(f"{published.url}2025/companies/mini-telecom/#history")
    expect(page.locator("#company")).to_have_attribute("data-latest-cycle", "2025")


def test_a_company_missing_from_the_other_edition_leads_to_its_home(published: Published, browser_page: object) -> None:
    """A company first assessed in 2025 has no page in the 2024 edition: the selector opens that
    edition's home page rather than a missing page."""
    from playwright.sync_api import Page, expect

    assert isinstance(browser_page, Page)
    page = browser_page
    page.goto(f"{published.url}2025/companies/hostile-co/")
    page.locator(".md-version__current").focus()
    page.locator(".md-version__link", has_text="2024 edition").click()
    page.wait_for_url(f"{published.url}2024/")
    expect(page.locator("#edition")).to_have_attribute("data-edition", "2024")
