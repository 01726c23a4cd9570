"""A published edition (mike, a real git repository): its company pages give their addresses in
the edition's folder (badge embed code, og:url), and nothing under docs/screenshots/ is published."""

from __future__ import annotations

from hrdd.siteurl import PLACEHOLDER
from tests.publish.conftest import Published
from tests.site.sitecheck import elements


def test_embed_code_and_og_url_name_the_editions_own_addresses(published: Published) -> None:
    """The 2025 edition lives in 2025/ on gh-pages: its company page's embed code and og:url point
    there (a published edition never changes, so the addresses stay valid)."""
    html = (published.tree / "2025" / "companies" / "mini-telecom" / "index.html").read_text(encoding="utf-8")
    page = f"{PLACEHOLDER}2025/companies/mini-telecom/"
    badge = f"{PLACEHOLDER}2025/badges/mini-telecom.svg"
    codes = [e.text for e in elements(html) if e.tag == "code" and e.text.startswith("<a ")]
    assert codes and codes[0].startswith(f'<a href="{page}"><img src="{badge}"')
    assert (published.tree / "2025" / "badges" / "mini-telecom.svg").is_file()
    og = [e.attrs["content"] for e in elements(html) if e.tag == "meta" and e.attrs.get("property") == "og:url"]
    assert og == [page]


def test_screenshots_are_not_published(published: Published) -> None:
    """The README's screenshots (docs/screenshots/ in the repository) are in no edition."""
    assert (published.repo / "docs" / "screenshots").is_dir()
    assert [p for p in published.tree.rglob("*") if "screenshots" in p.parts] == []
