"""Pages: links, escaping of untrusted text, and the numbers they show, on the mini fixture."""

from __future__ import annotations

import dataclasses
import html
import json
import posixpath
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import markdown
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from hrdd.models import Incident, IncidentAssessment, IncidentResponse, Reply
from hrdd.report import score_to_dict
from hrdd.site import Scorecard
from hrdd.site.escaping import escape_html
from hrdd.site.render import (
    Site,
    _relpath,
    ranks,
    relative_url,
    render_pages,
    safe_url,
)
from hrdd.site.templates import environment
from tests.site.answers_shown import expected_answers, shown_answers
from tests.site.conftest import HOSTILE_NAME, HOSTILE_TEXT, mini_card
from tests.site.sitecheck import elements

MD_EXTENSIONS = ["attr_list", "admonition", "toc"]


def _pages(card: Scorecard) -> dict[str, str]:
    return {p.path: p.text for p in render_pages(Site(card=card, site_name="Test scorecard"))}


def _html(page: str) -> str:
    """The page as MkDocs would turn it into HTML: front matter off, Markdown with the site's extensions."""
    body = page.split("\n---\n", 1)[1] if page.startswith("---\n") else page
    return markdown.markdown(body, extensions=MD_EXTENSIONS)


@pytest.mark.parametrize(
    ("here", "there", "anchor", "directory_urls", "expected"),
    [
        ("index.md", "ranking.md", "", True, "ranking/"),
        ("ranking.md", "index.md", "", True, "../"),
        ("index.md", "index.md", "", True, "./"),
        ("companies/acme/index.md", "companies/acme/2024.md", "", True, "2024/"),
        ("companies/acme/2024.md", "companies/acme/index.md", "scores", True, "../#scores"),
        ("companies/acme/index.md", "data/companies/acme.json", "", True, "../../data/companies/acme.json"),
        ("ranking.md", "methodology.md", "mini-1-0-A1", True, "../methodology/#mini-1-0-A1"),
        ("companies/acme/index.md", "ranking.md", "", False, "../../ranking.html"),
        ("index.md", "companies/index.md", "", False, "companies/index.html"),
    ],
)
def test_relative_urls_match_mkdocs(here: str, there: str, anchor: str, directory_urls: bool, expected: str) -> None:
    """Links inside raw HTML are not rewritten by MkDocs, so they are computed as it would."""
    assert relative_url(here, there, directory_urls, anchor) == expected


_SEGMENT = st.sampled_from(["a", "b", "index", "companies", "x.md", ".", ""])
_RELATIVE = st.lists(_SEGMENT, max_size=5).map("/".join).filter(lambda path: not path.startswith("/"))


@given(_RELATIVE, _RELATIVE)
def test_relative_paths_are_posixpaths(path: str, start: str) -> None:
    """Links are computed without the file system, as posixpath.relpath computes them with it."""
    assert _relpath(path, start) == posixpath.relpath(path or ".", start or ".")


@given(st.text() | st.text(alphabet=" \t\n\u00a0\u2028\x1c&<>\"'ab-", max_size=12))
def test_escape_html_escapes_and_joins_lines_like_html_escape(text: str) -> None:
    """escape_html skips the work for plain text (the common case); it must give what it always gave."""
    assert escape_html(text) == html.escape(" ".join(text.split()), quote=True)
    assert "\n" not in escape_html(text) and "<" not in escape_html(text)


def _macro(name: str) -> Any:
    """A macro of hrdd's own macros.html (no project override), as the templates call it."""
    return getattr(environment().get_template("macros.html").module, name)


def ext_link(url: str, text: str) -> str:
    return str(_macro("ext_link")(url, text))


def test_escape_html_of_numbers_is_their_text() -> None:
    """Numbers that are equal may print differently; each prints as itself (the cache is keyed by text)."""
    printed = [escape_html(Decimal("1.0")), escape_html(Decimal("1.00")), escape_html(1), escape_html(True)]
    assert printed == ["1.0", "1.00", "1", "True"]


def test_paragraphs_one_per_line_escaped() -> None:
    paragraphs = _macro("paragraphs")
    assert str(paragraphs("a <b>\nc & d\n\n  \ne")) == "<p>a &lt;b&gt;</p><p>c &amp; d</p><p>e</p>"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/x",
        "vbscript:msgbox(1)",
        "https://example.org/a b",
        "https://example.org/\x00",
        "",
    ],
)
def test_only_http_urls_become_links(url: str) -> None:
    """Anything but an absolute http(s) URL is shown as text, never as an href."""
    assert safe_url(url) is None
    assert ext_link(url, "T") == "<span>T</span>"


def test_outbound_links_are_escaped_and_nofollow() -> None:
    assert ext_link('https://example.org/a?b=1&c="2"', "<T>") == (
        '<a href="https://example.org/a?b=1&amp;c=&quot;2&quot;" rel="nofollow noopener">&lt;T&gt;</a>'
    )


def test_front_matter_title_is_escaped_json() -> None:
    """Material prints meta.title unescaped into <title>; it gets escaped text, quoted as JSON for YAML."""
    text = str(_macro("front_matter")('A "B" </title><script>', hide=("navigation",)))
    assert text == '---\ntitle: "A &quot;B&quot; &lt;/title&gt;&lt;script&gt;"\nhide: [navigation]\n---'
    assert yaml.safe_load(text.strip("-\n"))["title"] == "A &quot;B&quot; &lt;/title&gt;&lt;script&gt;"


def test_ranks_share_ties_and_skip() -> None:
    totals = ("9", "8", "8", "7", "")
    entries = [SimpleNamespace(score=SimpleNamespace(total=Decimal(t) if t else None)) for t in totals]
    assert ranks(entries) == [1, 2, 2, 4, None]  # type: ignore[arg-type]


def test_pages_of_the_mini_project() -> None:
    """The fixed pages, one page per company and one per indicator (families and sub-indicators)."""
    assert list(_pages(mini_card())) == [
        "index.md",
        "ranking.md",
        "companies/index.md",
        "indicators/index.md",
        "methodology.md",
        "downloads.md",
        "changelog.md",
        "companies/mini-telecom/index.md",
        "companies/mini-telecom/answers.md",
        "indicators/A1.md",
        "indicators/A2.md",
        "indicators/A3.md",
        "indicators/A3a.md",
        "indicators/A3b.md",
        "indicators/B1.md",
        "indicators/B2.md",
    ]


def test_company_page_numbers_equal_the_scores() -> None:
    """Total, categories, indicators and element points on the page are the scoring engine's."""
    card = mini_card()
    entry = card.entries[0]
    expected = score_to_dict(entry.score, entry.assessment, entry.framework)
    els = elements(_html(_pages(card)["companies/mini-telecom/index.md"]))
    summary = next(e for e in els if e.attrs.get("id") == "score-summary")
    assert float(summary.attrs["data-total"]) == expected["total"] == 56.25
    rows = [e for e in els if e.tag == "tr" and "data-category" in e.attrs]
    categories = {e.attrs["data-category"]: e.attrs["data-score"] for e in rows}
    assert categories == {"total": "56.25", "A": "58.33", "B": "54.17"}
    # The overview's indicator table and the answers page show the same indicator scores.
    overview = {
        e.attrs["data-indicator"]: e.attrs["data-score"]
        for e in els
        if e.tag == "tr" and "data-score" in e.attrs and "data-indicator" in e.attrs
    }
    els = elements(_html(_pages(card)["companies/mini-telecom/answers.md"]))
    sections = [e for e in els if e.tag == "section" and "data-indicator" in e.attrs]
    indicators = {e.attrs["data-indicator"]: e.attrs["data-score"] for e in sections}
    assert {k: float(v) for k, v in indicators.items()} == {k: v["score"] for k, v in expected["indicators"].items()}
    assert overview == indicators
    # Each answer's points as the page writes them (tests.site.answers_shown).
    points = {
        anchor: shown
        for anchor, (_, shown) in shown_answers(_html(_pages(card)["companies/mini-telecom/answers.md"])).items()
    }
    assert points == {anchor: want for anchor, (_, want) in expected_answers(expected).items()}


def _hostile_card() -> Scorecard:
    """The mini assessment with hostile text in every free-text field and non-http URLs."""
    card = mini_card()
    entry = card.entries[0]
    a = entry.assessment
    bad_url = "javascript:alert(1)"
    source = dataclasses.replace(
        a.sources[0], url=bad_url, title=HOSTILE_NAME, publisher=HOSTILE_TEXT, archive_url="data:text/html,x"
    )
    answers = {k: dict(v) for k, v in a.answers.items()}
    answers["A1.1"]["group"] = dataclasses.replace(
        answers["A1.1"]["group"],
        comment=HOSTILE_TEXT,
        evidence=(dataclasses.replace(answers["A1.1"]["group"].evidence[0], quote=HOSTILE_TEXT, locator=HOSTILE_NAME),),
        reply=Reply(text=HOSTILE_TEXT, date="2025-07-01", evidence=answers["A1.1"]["group"].evidence),
    )
    incident = Incident(
        id="i1",
        title=HOSTILE_NAME,
        date="2025-01-01",
        allegation=HOSTILE_TEXT,
        sources=("s1",),
        indicators=("A1",),
        response=IncidentResponse(text=HOSTILE_TEXT, date="2025-02-01", sources=("s1",)),
        assessment=IncidentAssessment(rating="partial", comment=HOSTILE_TEXT),
    )
    hostile = dataclasses.replace(
        a,
        company=dataclasses.replace(
            a.company, name=HOSTILE_NAME, sector=HOSTILE_NAME, website=bad_url, description=HOSTILE_TEXT
        ),
        assessor=dataclasses.replace(a.assessor, name=HOSTILE_NAME, url=bad_url),
        summary=HOSTILE_TEXT,
        sources=(source,),
        answers=answers,
        incidents=(incident,),
    )
    return dataclasses.replace(card, entries=(entry.with_assessment(hostile),))


def test_hostile_text_stays_inert_on_every_page() -> None:
    """No script, no event handler, no non-http link, and no Markdown markup from assessment text."""
    pages = _pages(_hostile_card())
    for path, page in pages.items():
        els = elements(_html(page))
        assert [e.tag for e in els if e.tag in ("script", "iframe", "object", "embed", "style")] == [], path
        # The only images are our own badges.
        assert [e.attrs for e in els if e.tag == "img" and "badges/" not in e.attrs["src"]] == [], path
        assert [n for e in els for n in e.attrs if n.startswith("on")] == [], path
        links = [v for e in els for n, v in e.attrs.items() if n in ("href", "src")]
        assert [v for v in links if ":" in v.split("/")[0] and not v.startswith(("http:", "https:"))] == [], path
        # **bold** and `code` from the data did not become Markdown markup.
        assert [e.text for e in els if e.tag in ("strong", "code") and e.text in ("bold", "code")] == [], path
    company = _html(pages["companies/mini-telecom/index.md"])
    texts = " ".join(e.text for e in elements(company))
    assert "<script>alert(1)</script>" in texts and "<iframe src=https://evil.example></iframe>" in texts


def test_hostile_title_in_front_matter() -> None:
    page = _pages(_hostile_card())["companies/mini-telecom/index.md"]
    meta = yaml.safe_load(page.split("---\n")[1])
    assert "<" not in meta["title"] and meta["title"].startswith("&lt;script&gt;")


def test_attribution_is_the_footer_credit() -> None:
    from hrdd.site.render import footer_credit

    card = mini_card()
    fw = dataclasses.replace(card.frameworks[0], attribution_text="<Credit>", attribution_url="https://example.org/l")
    credit = footer_credit(dataclasses.replace(card, frameworks=(fw,)), "© Us")
    assert credit == (
        '© Us · <span class="hrdd-attribution"><a href="https://example.org/l" rel="nofollow noopener">'
        "&lt;Credit&gt;</a></span>"
    )


def test_drafts_never_reach_a_page() -> None:
    """collect() keeps only published assessments; the rest are counted, not shown."""
    card = mini_card()
    entry = card.entries[0]
    from hrdd.site import collect

    draft = dataclasses.replace(
        entry.assessment, status="draft", company=dataclasses.replace(entry.assessment.company, name="Secret Draft")
    )
    new = collect([(entry.assessment, entry.framework), (draft, entry.framework)], card.frameworks)
    assert new.withheld == 1
    assert not any("Secret Draft" in text for text in _pages(new).values())


def test_self_assessments_are_labelled_and_not_ranked() -> None:
    card = mini_card()
    entry = card.entries[0]
    own = dataclasses.replace(
        entry.assessment, assessor=dataclasses.replace(entry.assessment.assessor, type="self", name="Mini itself")
    )
    from hrdd.site import collect

    both = collect([(entry.assessment, entry.framework), (own, entry.framework)], card.frameworks)
    ranking = elements(_html(_pages(both)["ranking.md"]))
    rows = [e for e in ranking if e.tag == "tr" and "data-assessor" in e.attrs]
    got = [(r.attrs["data-assessor"], r.attrs.get("data-rank")) for r in rows]
    assert got == [("independent", "1"), ("self", None)]
    self_table = next(e for e in ranking if e.attrs.get("id") == "ranking-self")
    assert "Self-assessment" in self_table.text and "Rank" not in self_table.text


def test_json_of_page_text_is_stable() -> None:
    """Rendering is deterministic: the same input gives the same pages."""
    assert json.dumps(_pages(mini_card())) == json.dumps(_pages(mini_card()))


def test_methodology_lists_every_category_indicator_element_and_answer() -> None:
    """The methodology page is generated from the framework and leaves nothing out."""
    card = mini_card()
    fw = card.frameworks[0]
    els = elements(_html(_pages(card)["methodology.md"]))
    shown = {
        (e.tag, a, e.attrs[a])
        for e in els
        for a in ("data-category", "data-indicator", "data-element", "data-answer")
        if a in e.attrs
    }
    assert {c.id for c in fw.categories} <= {v for _, a, v in shown if a == "data-category"}
    assert {i.id for i in fw.all_indicators()} == {v for _, a, v in shown if a == "data-indicator"}
    assert set(fw.element_ids()) == {v for _, a, v in shown if a == "data-element"}
    scale = {
        e.attrs["data-answer"]: (e.attrs["data-points"], e.attrs["data-reversed-points"])
        for e in els
        if e.tag == "tr" and "data-answer" in e.attrs
    }
    assert scale == {
        "yes": ("100", "0"),
        "partial": ("50", "50"),
        "no": ("0", "100"),
        "no_disclosure": ("0", "100"),
        "not_applicable": ("", ""),
    }
    rounding = next(e for e in els if e.attrs.get("id") == "mini-1-0-rounding")
    assert (rounding.attrs["data-decimals"], rounding.attrs["data-mode"], rounding.attrs["data-at"]) == (
        "2",
        "half_up",
        "every_stage",
    )


def test_a_company_with_only_a_self_assessment_is_shown_as_such() -> None:
    card = mini_card()
    entry = card.entries[0]
    own = dataclasses.replace(entry.assessment, assessor=dataclasses.replace(entry.assessment.assessor, type="self"))
    from hrdd.site import collect

    only_self = collect([(own, entry.framework)], card.frameworks)
    els = elements(_html(_pages(only_self)["companies/mini-telecom/index.md"]))
    ids = {e.attrs.get("id") for e in els}
    assert "self-notice-2025" in ids and "fictional-notice" in ids
    ranking = elements(_html(_pages(only_self)["ranking.md"]))
    assert [e.attrs.get("id") for e in ranking if e.tag == "table"] == ["ranking-self"]


def test_self_assessments_on_different_versions_share_one_table() -> None:
    """Self-assessments are not ranked, so they are listed in one table even when they answer
    different framework versions: totals and each one's version, no category columns (issue 16)."""
    card = mini_card()
    entry = card.entries[0]
    newer = dataclasses.replace(entry.framework, version="1.1")
    own = dataclasses.replace(
        entry.assessment, assessor=dataclasses.replace(entry.assessment.assessor, type="self", name="Mini itself")
    )
    other = dataclasses.replace(
        own,
        company=dataclasses.replace(own.company, slug="other-telecom", name="Other Telecom"),
        framework_version="1.1",
    )
    from hrdd.site import collect

    mixed = collect(
        [(entry.assessment, entry.framework), (own, entry.framework), (other, newer)], [entry.framework, newer]
    )
    ranking = elements(_html(_pages(mixed)["ranking.md"]))
    assert [e.attrs.get("id") for e in ranking if e.tag == "table" and "self" in e.attrs.get("id", "")] == [
        "ranking-self"
    ]
    rows = [e for e in ranking if e.tag == "tr" and e.attrs.get("data-assessor") == "self"]
    assert len(rows) == 2
    cells = [e.text for e in ranking if e.tag == "td" and e.attrs.get("data-col") == "framework"]
    assert sorted(cells) == ["Mini test framework 1.0", "Mini test framework 1.1"]


def test_company_page_says_how_to_reply() -> None:
    """Every company page names the file to add replies to (linked to where the repository
    edits it, from mkdocs.yml's repo_url and edit_uri) and the self-assessment file to create,
    with the command that starts it (issue 16)."""
    card = mini_card()
    site = Site(card=card, site_name="Test", repo_url="https://github.com/example/scorecard/", edit_uri="edit/main/")
    pages = {p.path: p.text for p in render_pages(site)}
    els = elements(_html(pages["companies/mini-telecom/index.md"]))
    reply = next(e for e in els if e.attrs.get("id") == "reply-here")
    assert reply.attrs["data-reply-file"] == "assessments/mini-telecom/2025.yaml"
    assert reply.attrs["data-self-file"] == "assessments/mini-telecom/2025-self.yaml"
    assert "hrdd new --self --slug mini-telecom --year 2025" in reply.text
    links = [e.attrs["href"] for e in els if e.tag == "a" and "edit/main" in e.attrs.get("href", "")]
    assert links == ["https://github.com/example/scorecard/edit/main/assessments/mini-telecom/2025.yaml"]
    # Without a repository in mkdocs.yml, the files and the command are still named.
    plain = elements(_html(_pages(card)["companies/mini-telecom/index.md"]))
    assert not [e for e in plain if e.tag == "a" and "edit/main" in e.attrs.get("href", "")]
    assert any(e.attrs.get("id") == "reply-here" for e in plain)
