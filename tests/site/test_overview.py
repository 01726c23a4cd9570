"""The company overview and its answers pages (hrdd.site.pages.overview): every indicator of the
overview links to the answers page that holds it, answers pages hold at most ANSWER_ROWS answers,
every answer is on exactly one of them, and narrative text stays inert."""

from __future__ import annotations

import posixpath

import markdown
import pytest

from hrdd.site.pages import overview
from hrdd.site.render import Site, render_pages
from tests.site.conftest import mini_card
from tests.site.sitecheck import elements


def _html(page: str) -> str:
    body = page.split("\n---\n", 1)[1] if page.startswith("---\n") else page
    return str(markdown.markdown(body, extensions=["attr_list", "admonition", "toc"]))


@pytest.mark.parametrize("limit", [1, 4, 200])
def test_answers_pages_hold_every_answer_once_and_the_overview_links_there(
    monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    """With a page size of 1, 4 or 200 answers: every answer row (a-<element>-<level>) is on
    exactly one answers page; a page holds more than the limit only when it holds one top-level
    indicator; each overview row links to the page with that indicator's section (i-<id>)."""
    monkeypatch.setattr(overview, "ANSWER_ROWS", limit)
    card = mini_card()
    pages = {p.path: _html(p.text) for p in render_pages(Site(card=card, site_name="Test"))}
    entry = card.entries[0]
    chunks = overview.answer_chunks(entry)
    answers = [overview.answers_page("mini-telecom", n) for n in range(1, len(chunks) + 1)]
    assert sorted(answers) == sorted(p for p in pages if p.startswith("companies/mini-telecom/answers"))
    assert (len(answers) > 1) == (limit < 200)
    seen: dict[str, str] = {}
    ids_on: dict[str, set[str]] = {}
    for path, chunk in zip(answers, chunks, strict=True):
        els = elements(pages[path])
        rows = [e.attrs["id"] for e in els if e.tag == "p" and e.attrs.get("id", "").startswith("a-")]
        assert len(rows) <= limit or len(chunk) == 1, (path, len(rows))
        for row in rows:
            assert row not in seen, (row, path, seen.get(row))
            seen[row] = path
        ids_on[path] = {e.attrs["id"] for e in els if "id" in e.attrs}
    want = {f"a-{es.element}-{es.level}" for es in entry.score.elements}
    assert set(seen) == want
    table = [e for e in elements(pages["companies/mini-telecom/index.md"]) if e.tag == "a"]
    links = [e.attrs["href"] for e in table if "#i-" in e.attrs.get("href", "")]
    assert links
    for href in links:
        target, fragment = href.split("#", 1)
        path = posixpath.normpath(posixpath.join("companies/mini-telecom/", target)) + ".md"
        assert fragment in ids_on[path], (href, path)


def test_narrative_text_is_inert_and_only_http_addresses_link() -> None:
    """hrdd.narrative's plain text: paragraphs and "- " lists; an http(s) address becomes a link
    piece, any other scheme stays text."""
    found = overview.blocks("First <b>bold</b> see https://example.org/a.\n\n- one\n- javascript:alert(1)")
    assert [b.kind for b in found] == ["p", "ul"]
    assert found[0].items[0] == [
        ("First <b>bold</b> see ", ""),
        ("https://example.org/a", "https://example.org/a"),
        (".", ""),
    ]
    assert found[1].items == [[("one", "")], [("javascript:alert(1)", "")]]
