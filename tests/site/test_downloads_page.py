"""The Downloads page: it names the data's licence and credits, and lists exactly the data files
the build publishes (compressed ones as such)."""

from __future__ import annotations

import posixpath
from pathlib import Path

from hrdd.site.build import build_site
from hrdd.site.render import Site, render_pages
from tests.site.conftest import ATTRIBUTION, make_project, mini_card
from tests.site.sitecheck import elements

PAGE = "downloads/index.html"


def _published(site: Path) -> set[str]:
    """Every data file of a built site: the data folder, the badges and the feed."""
    found = {p.relative_to(site).as_posix() for d in ("data", "badges") for p in (site / d).rglob("*") if p.is_file()}
    return found | ({"changelog.xml"} if (site / "changelog.xml").is_file() else set())


def test_downloads_page_names_the_licence_and_lists_every_published_file(tmp_path: Path) -> None:
    """The demo's mkdocs.yml sets CC-BY-4.0: the page names and links it, credits the framework's
    attribution, and links every file under data/ and badges/ and the feed, no other and no
    missing one; the compressed ones are marked as such (gzip, or bzip2 for the full dataset's
    JSON, with how to read it)."""
    project = make_project(tmp_path / "project")
    site = tmp_path / "site"
    build_site(project, site_dir=site)
    html = (site / PAGE).read_text(encoding="utf-8")
    found = elements(html)
    licence = next(e for e in found if e.tag == "div" and e.attrs.get("id") == "data-licence")
    assert licence.attrs["data-licence"] == "CC-BY-4.0"
    assert "Creative Commons Attribution 4.0 International" in licence.text and "CC-BY-4.0" in licence.text
    assert any(e.tag == "a" and e.attrs.get("href") == "https://creativecommons.org/licenses/by/4.0/" for e in found)
    credits = next(e for e in found if e.tag == "ul" and e.attrs.get("id") == "data-credits")
    assert credits.text == ATTRIBUTION
    linked = {
        posixpath.normpath(posixpath.join(posixpath.dirname(PAGE), e.attrs["href"]))
        for e in found
        if e.tag == "a" and "href" in e.attrs and "//" not in e.attrs["href"]
    }
    listed = {p for p in linked if p.startswith(("data/", "badges/")) or p == "changelog.xml"}
    published = _published(site)
    assert any(p.endswith(".gz") for p in published)
    assert listed == published
    rows = {e.attrs["data-file"]: e.text for e in found if e.tag == "tr" and "data-file" in e.attrs}
    assert rows and all(("gzip-compressed" in text) == path.endswith(".gz") for path, text in rows.items())
    assert all(("bzip2-compressed" in text) == path.endswith(".bz2") for path, text in rows.items())
    # Each file is compressed as its row says (gzip and bzip2 magic numbers), the full dataset bzip2.
    magic = {".gz": b"\x1f\x8b", ".bz2": b"BZh"}
    for path in rows:
        head = (site / path).read_bytes()[:3] if (site / path).is_file() else b""
        for suffix, start in magic.items():
            assert head.startswith(start) == path.endswith(suffix), path
    assert "data/scorecard.json.bz2" in rows and 'bz2.open("scorecard.json.bz2")' in html


def test_without_a_licence_the_page_says_so_and_claims_no_reuse_terms() -> None:
    """A project whose mkdocs.yml sets no data licence: the page says none is stated."""
    page = {p.path: p.text for p in render_pages(Site(card=mini_card()))}["downloads.md"]
    assert "has not stated a licence" in page and "free to reuse" not in page
    assert 'data-licence=""' in page
