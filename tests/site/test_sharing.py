"""Sharing a company page: the badge's embed code has the page's and the badge's real addresses
when site_url is set (and says what to set when it is not), and each company page carries Open
Graph and Twitter card tags (name, summary, total score) built from the data, escaped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hrdd.site.build import build_site
from hrdd.siteurl import PLACEHOLDER, edition_url
from tests.site.conftest import HOSTILE_NAME, make_project
from tests.site.sitecheck import elements


def _head_meta(html: str) -> dict[str, str]:
    """property or name -> content of the <meta> tags of a page's head."""
    head = html[: html.index("</head>")]
    found = {}
    for e in elements(head):
        if e.tag == "meta" and "content" in e.attrs:
            key = e.attrs.get("property") or e.attrs.get("name")
            if key:
                found[key] = e.attrs["content"]
    return found


def _embed_code(html: str) -> str:
    block = html[html.index('<div id="company-data"') :]
    block = block[: block.index("</div>")]
    codes = [e.text for e in elements(block) if e.tag == "code" and e.text.startswith("<a ")]
    return codes[0] if codes else ""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site tests' project (its mkdocs.yml has the demo's placeholder site_url)."""
    project = make_project(tmp_path_factory.mktemp("sharing") / "project")
    build_site(project, site_dir=project / "site")
    return project / "site"


def test_badge_embed_code_has_the_real_addresses(built: Path) -> None:
    """The embed code links the page's full address and shows the badge's, both under site_url."""
    html = (built / "companies" / "mini-telecom" / "index.html").read_text(encoding="utf-8")
    code = _embed_code(html)
    assert code.startswith(
        f'<a href="{PLACEHOLDER}companies/mini-telecom/"><img src="{PLACEHOLDER}badges/mini-telecom.svg"'
    )
    assert "COMPANY_PAGE_URL" not in html and "BADGE_URL" not in html
    assert (built / "badges" / "mini-telecom.svg").is_file()


def test_company_pages_carry_open_graph_and_twitter_card_tags(built: Path) -> None:
    """Title, a description with the total score, the score on its own and the canonical address.
    Twitter's card takes its title and description from the Open Graph tags (its documented
    fallback): they are not written twice."""
    html = (built / "companies" / "mini-telecom" / "index.html").read_text(encoding="utf-8")
    meta = _head_meta(html)
    name = "Mini Telecom (fictional)"
    assert meta["og:title"] == name
    assert "twitter:title" not in meta and "twitter:description" not in meta
    score = meta["twitter:data1"]
    assert re.fullmatch(r"\d+(\.\d+)? out of 100", score), score
    assert meta["twitter:label1"] == "Total score"
    assert meta["og:description"] == meta["description"]
    assert meta["og:description"].startswith(f"{name}: {score} in the 2025 independent assessment against ")
    assert len(meta["og:description"]) <= 200
    assert meta["og:url"] == f"{PLACEHOLDER}companies/mini-telecom/"
    assert meta["twitter:card"] == "summary" and meta["og:type"] == "website"
    # An earlier cycle's old address sends readers to the overview (hrdd.site.pages.earlier): a
    # link shared from it names the overview as the page, and shows no card of its own.
    earlier = (built / "companies" / "mini-telecom" / "2024" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{PLACEHOLDER}companies/mini-telecom/">' in earlier
    assert "og:title" not in _head_meta(earlier)
    # Other pages are not company pages: no card.
    assert "og:title" not in _head_meta((built / "ranking" / "index.html").read_text(encoding="utf-8"))


def test_share_tags_of_hostile_text_stay_inert(built: Path) -> None:
    """A company name full of markup is escaped in the tags: one <meta> each, nothing injected."""
    html = (built / "companies" / "hostile-co" / "index.html").read_text(encoding="utf-8")
    meta = _head_meta(html)
    assert meta["og:title"] == HOSTILE_NAME  # escaped once: the attribute reads as the text
    head = html[: html.index("</head>")]
    assert "<script>alert" not in head and "<img" not in head
    assert [e.tag for e in elements(head) if e.tag in ("script", "img", "iframe") and "alert" in str(e.attrs)] == []


def test_without_site_url_the_embed_code_says_what_to_set(tmp_path: Path) -> None:
    """No site_url: no embed code with made-up addresses, a sentence naming site_url and
    mkdocs.yml instead, and no og:url (the other tags stay)."""
    project = make_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(re.sub(r"^site_url:.*\n", "", config.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    build_site(project, site_dir=tmp_path / "site")
    html = (tmp_path / "site" / "companies" / "mini-telecom" / "index.html").read_text(encoding="utf-8")
    assert _embed_code(html) == ""
    note = next(e for e in elements(html) if e.attrs.get("class") == "hrdd-no-site-url")
    assert "site_url" in note.text and "mkdocs.yml" in note.text
    meta = _head_meta(html)
    assert "og:url" not in meta and meta["og:title"] == "Mini Telecom (fictional)"


def test_edition_url() -> None:
    """A published edition's pages live in its folder: mike's site_url, and so the embed code's."""
    assert edition_url("https://x.example/s", 2026) == "https://x.example/s/2026/"
    assert edition_url("https://x.example/s/") == "https://x.example/s/"
    assert edition_url("", 2026) == ""
