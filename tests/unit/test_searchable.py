"""The stand-in of a detached block: what Material's search indexes of the block, and no more."""

from __future__ import annotations

import re

import pytest
from material.plugins.search.plugin import Parser  # type: ignore[import-untyped]

from hrdd.site.searchable import stand_in, without_excluded

BLOCK = (
    '<div id="incident-list"><p data-search-exclude>Serious allegations recorded.</p>'
    '<article class="hrdd-incident" id="incident-x"><h3>Meetings ended in Kestrania</h3>'
    "<p data-search-exclude>Date: <time>2023-06-04</time></p>"
    '<h4>Allegation</h4><div class="hrdd-allegation"><p>Hosts in <strong>Dorvala</strong> were cut off.</p></div>'
    '<ul class="hrdd-evidence-list" data-search-exclude><li><blockquote><p>We commit.</p>'
    "</blockquote></li></ul>"
    '<dl class="hrdd-facts"><dt>Country</dt><dd>NL</dd></dl>'
    '<table><tbody><tr data-x="1"><td data-search-exclude>Yes</td><td><div class="hrdd-reply">'
    "<span>Company's reply:</span> <p>We disagree.</p></div></td></tr></tbody></table>"
    "<img src=x.png alt=chart></article></div>"
)


def _indexed(html: str) -> str:
    """The words Material's search indexer takes from ``html`` (tags and white space aside)."""
    parser = Parser()
    parser.feed(html)
    parser.close()
    text = " ".join("".join(section.text) for section in parser.data if not section.is_excluded())
    return " ".join(re.sub(r"<[^>]*>", " ", text).split())


def test_the_stand_in_holds_what_search_indexes_of_the_block() -> None:
    """Material's indexer finds the same words in the stand-in as in the whole block: the
    excluded elements are gone, the rest is kept, and a term and its description stay two words."""
    standin = stand_in(BLOCK)
    # The same text but for white space, which Material leaves out between block elements.
    assert _indexed(standin).replace(" ", "") == _indexed(BLOCK).replace(" ", "")
    assert "KestraniaAllegation" in _indexed(BLOCK) and "Kestrania Allegation" in _indexed(standin)
    assert "We commit" not in standin and "Serious" not in standin and "Yes" not in standin
    assert "Country NL" in standin and "Dorvala" in standin and "We disagree." in standin
    assert len(standin) < len(BLOCK) / 2


def test_a_block_search_leaves_out_has_no_stand_in() -> None:
    assert stand_in('<div id="scores" data-search-exclude><table><tr><td>1</td></tr></table></div>') == ""
    assert stand_in('<div><table><tr><td data-search-exclude="true">1</td></tr></table> <img src="x"></div>') == ""


@pytest.mark.parametrize(
    "text",
    [
        "<p>say data-search-exclude here</p>",
        '<p title="a data-search-exclude b">kept</p>',
        '<p data-search-excluded="x">kept</p>',
    ],
)
def test_the_word_in_text_or_an_attribute_value_excludes_nothing(text: str) -> None:
    """Assessment text may hold the attribute's name: only the attribute on a tag excludes."""
    assert without_excluded(text) == text


def test_an_excluded_element_ends_at_its_own_end_tag() -> None:
    html = "<div><ul data-search-exclude><li><ul><li>a</li></ul>b</li></ul><p>c</p></div>"
    assert without_excluded(html) == "<div> <p>c</p></div>"


def test_an_element_never_closed_runs_to_the_end_as_the_html_parser_reads_it() -> None:
    assert without_excluded("<div>a<ul data-search-exclude><li>b</li>") == "a".join(["<div>", " "])


def test_markup_the_stand_in_cannot_read_simply_is_kept_whole() -> None:
    """A heading with an id starts an entry of its own, so its surroundings count: kept as they are."""
    block = '<div><section><h3 id="x">Title</h3><p>text</p></section><p data-search-exclude>no</p></div>'
    assert stand_in(block) == '<div><div><section><h3 id="x">Title</h3><p>text</p></section> </div></div>'
