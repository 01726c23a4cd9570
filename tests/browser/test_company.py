"""Company pages show the numbers of `hrdd score --format json`, and Tessaline's page marks exactly
the answers where its self-assessment differs from the independent assessment."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import EDITION, Served, Tab
from tests.browser.expected import Filed, Key, _framework, applying, filed, number
from tests.conftest import REPO
from tests.site.answers_shown import says, shown_answers

pytestmark = pytest.mark.browser


@dataclass
class Shown:
    """The numbers one company page shows for the assessment it leads with (and the company's
    self-assessment of the same cycle, where there is one)."""

    total: float | None = None
    categories: dict[str, float | None] = field(default_factory=dict)
    indicators: dict[str, float | None] = field(default_factory=dict)
    elements: dict[tuple[str, str], tuple[str | None, float | None]] = field(default_factory=dict)
    self_categories: dict[str, float | None] = field(default_factory=dict)
    self_indicators: dict[str, float | None] = field(default_factory=dict)
    self_answers: dict[tuple[str, str], str] = field(default_factory=dict)


class _StartTags(HTMLParser):
    """Every start tag with its attributes: all the data attributes need (and much faster than
    tests.site.sitecheck's collector, which also gathers every element's text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def start_tags(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _StartTags()
    parser.feed(html)
    parser.close()
    return parser.tags


def shown_in_html(html: str, cycle: int) -> Shown:
    """What the page's data attributes say, read from the built HTML."""
    shown = Shown()
    for tag, a in start_tags(html):
        if a.get("id") == "score-summary":
            shown.total = number(a["data-total"])
        elif tag == "tr" and "data-category" in a and "data-score" in a:
            shown.categories[a["data-category"]] = number(a["data-score"])
            if "data-self-score" in a:
                shown.self_categories[a["data-category"]] = number(a["data-self-score"])
        elif tag in ("section", "tr") and "data-indicator" in a and "data-score" in a:
            # The answers page's sections, the overview's indicator table, an earlier cycle's
            # compact table: all of them must say the same.
            score = number(a["data-score"])
            assert shown.indicators.setdefault(a["data-indicator"], score) == score, a
            if "data-self-score" in a:
                shown.self_indicators[a["data-indicator"]] = number(a["data-self-score"])
        elif tag == "span" and a.get("id", "").startswith("a-"):
            # An earlier cycle's compact answers carry the answer and points as data.
            shown.elements[(a["data-element"], a["data-level"])] = (a["data-answer"] or None, number(a["data-points"]))
        elif tag == "p" and "data-self-answer" in a:
            # The answers page: its answers are read from their text (answers_shown_as below).
            shown.self_answers[a["id"]] = a["data-self-answer"]
    assert f'id="scores-{cycle}"' in html, f"the page does not show cycle {cycle}"
    return shown


def answers_shown_as(html: str, score: dict[str, Any]) -> dict[tuple[str, str], tuple[str | None, float | None]]:
    """(element, level) -> (answer id, points) of the answers an answers page shows, read from
    their text (tests.site.answers_shown): the label must be the framework's label of the answer
    `hrdd score` gives, so the id of that answer stands for it."""
    fw = _framework(score["framework"]["id"], score["framework"]["version"])
    labels: dict[str | None, str] = {None: "Not answered", **{a.id: a.label for a in fw.answers}}
    answers = expected(score).elements
    by_anchor = {f"a-{el}-{lv}": (el, lv) for el, lv in answers}
    found: dict[tuple[str, str], tuple[str | None, float | None]] = {}
    for anchor, (lead, points) in shown_answers(html).items():
        key = by_anchor.get(anchor)
        assert key is not None, anchor
        want = answers[key][0]
        found[key] = (want if says(lead, labels[want]) else f"shown as {lead!r}", points)
    return found


def expected(score: dict[str, Any]) -> Shown:
    """The same numbers from one entry of `hrdd score --format json`, for the categories and
    indicators that apply to the company's sector (a page shows no other sector's module)."""
    categories, indicators = applying(score)
    return Shown(
        total=score["total"],
        categories={"total": score["total"], **{c: v for c, v in score["categories"].items() if c in categories}},
        indicators={i: s["score"] for i, s in score["indicators"].items() if i in indicators},
        elements={
            (el, lv): (v["answer"], v["points"])
            for i, s in score["indicators"].items()
            if i in indicators
            for el, by_level in s.get("elements", {}).items()
            for lv, v in by_level.items()
        },
    )


def is_latest(files: Sequence[Filed], f: Filed) -> bool:
    return f.cycle == max(g.cycle for g in files if g.slug == f.slug and g.published and g.cycle <= EDITION)


def pages_of(f: Filed) -> list[str]:
    """The URL paths of the pages that show the latest cycle's assessment: the company's overview
    and its answers page."""
    return [f"companies/{f.slug}/", f"companies/{f.slug}/answers/"]


def answer_labels(framework_id: str, version: str) -> dict[str | None, str]:
    return {None: "Not answered", **{a.id: a.label for a in _framework(framework_id, version).answers}}


def shown_earlier(html: str, cycle: int) -> tuple[float | None, dict[str, tuple[str, float | None]]]:
    """An earlier cycle on the overview: its total (the history table's row) and the text of its
    column of the earlier answers (answer and points) by element and level, shortened labels
    spelled out as the table's legend says."""
    total = None
    for tag, a in start_tags(html):
        if tag == "tr" and a.get("data-cycle") == str(cycle) and a.get("data-assessor") == "independent":
            total = number(a["data-total"])
    columns = re.findall(r'<th scope="col" id="earlier-(\d+)">', html)
    n = columns.index(str(cycle))
    legend = {short: label for label, short in re.findall(r'<abbr title="([^"]+)">([^<]+)</abbr>', html)}
    cells = {}
    for m in re.finditer(r'<tr id="p-([^"]+)"><th>[^<]*</th>((?:<td>[^<]*</td>)+)</tr>', html):
        text = re.findall(r"<td>([^<]*)</td>", m.group(2))[n]
        if text:
            answer, _, points = text.rpartition(" ")
            if not re.fullmatch(r"-?[0-9.]+", points):  # an answer without points (N/A)
                answer, points = text, ""
            cells[m.group(1)] = (legend.get(answer, answer), number(points))
    return total, cells


def on_site() -> Iterator[Filed]:
    """Every published independent assessment the site shows (self-assessments are checked with
    the independent assessment of their cycle, on the same page)."""
    files = filed(REPO)
    yield from (f for f in files if f.published and f.cycle <= EDITION and f.assessor == "independent")


def test_every_company_page_shows_the_cli_numbers(demo: Served, scores: dict[Key, dict[str, Any]]) -> None:
    """For every published assessment on the site, the page's total, category, indicator and
    element-level data (answer and points) equal `hrdd score --format json` for that company and
    cycle (an earlier cycle: its total and its answers with their points, on the overview); where
    the company also assessed itself, the self-assessment columns equal its own `hrdd score`
    numbers. Read from the built HTML: a browser adds nothing to data attributes."""
    files = filed(REPO)
    checked = 0
    for f in on_site():
        want = expected(scores[(f.slug, f.cycle, "independent")])
        if not is_latest(files, f):
            # An earlier cycle: its total and every answer with its points, on the overview.
            total, cells = shown_earlier(demo.html(f"companies/{f.slug}/"), f.cycle)
            fw = scores[(f.slug, f.cycle, "independent")]["framework"]
            labels = answer_labels(fw["id"], fw["version"])
            assert total == want.total, f.path
            assert cells == {f"{el}-{lv}": (labels[a], points) for (el, lv), (a, points) in want.elements.items()}, (
                f.path
            )
            checked += 1
            continue
        html = "".join(demo.html(path) for path in pages_of(f))
        shown = shown_in_html(html, f.cycle)
        shown.elements.update(answers_shown_as(html, scores[(f.slug, f.cycle, "independent")]))
        assert (shown.total, shown.categories) == (want.total, want.categories), f.path
        assert shown.indicators == want.indicators, f.path
        assert shown.elements == want.elements, f.path
        own: Key = (f.slug, f.cycle, "self")
        if own in scores and scores[own]["status"] == "published":
            mine = expected(scores[own])
            assert shown.self_categories == mine.categories, f.path
            assert shown.self_indicators == mine.indicators, f.path
            assert shown.self_answers == {
                f"a-{k[0]}-{k[1]}": a for k, (a, _) in mine.elements.items() if k in shown.elements
            }
        checked += 1
    assert checked == 18  # 9 companies, 2 published cycles each in the 2025 edition


# The numbers as a reader sees them: the text of the cells, not the data attributes.
VISIBLE_JS = """(cycle) => ({
  core: document.querySelector(`#scores-${cycle} tbody tr[data-kind='core'] td[data-col='assessment']`)?.innerText,
  categories: Object.fromEntries([...document.querySelectorAll(`#scores-${cycle} tbody tr[data-category]`)].map(
    tr => [tr.dataset.category, tr.querySelector("td[data-col='assessment']").innerText])),
  indicators: Object.fromEntries([...document.querySelectorAll("#indicator-details section[data-indicator]")].map(
    s => [s.dataset.indicator, s.querySelector(":scope > :is(h4, h5, h6)").innerText.split(" ").pop()])),
  elements: [...document.querySelectorAll("#indicator-details p[id^='a-']")].map(
    p => [p.id, p.querySelector("b").innerText]),
})"""


@pytest.mark.parametrize("slug", ["tessaline", "bluefinch", "paxtel"])
def test_company_page_in_browser_shows_the_cli_numbers(
    demo: Served, tab: Callable[..., Tab], scores: dict[Key, dict[str, Any]], slug: str
) -> None:
    """In the browser, the visible total, category and indicator scores and every element's points
    on a company page are the numbers of `hrdd score --format json`."""
    browser = tab(demo)
    page = browser.goto(f"companies/{slug}/")
    score = scores[(slug, EDITION, "independent")]
    want = expected(score)
    seen = page.evaluate(VISIBLE_JS, EDITION)
    name = page.locator("h1").first.inner_text()
    answers = browser.goto(f"companies/{slug}/answers/").evaluate(VISIBLE_JS, EDITION)
    seen.update(indicators=answers["indicators"], elements=answers["elements"])
    assert {k: number(v) for k, v in seen["categories"].items()} == want.categories
    assert number(seen["core"]) == score["core_total"]  # the core score, for a framework with sectors
    assert {k: number(v) for k, v in seen["indicators"].items()} == want.indicators
    points = {anchor: re.fullmatch(r".*, (?:(\S+) points|not scored)\.", lead) for anchor, lead in seen["elements"]}
    assert all(points.values()), seen["elements"]
    assert {anchor: number(m and m[1]) for anchor, m in points.items()} == {
        f"a-{el}-{lv}": p for (el, lv), (_, p) in want.elements.items()
    }
    assert name == score["company"]["name"]


def yaml_disagreements() -> set[tuple[str, str]]:
    """(element, level) where Tessaline's 2025 self-assessment answers differently from the
    independent assessment, straight from the two YAML files."""
    by_name = {f.path.name: f for f in filed(REPO) if f.slug == "tessaline"}
    independent, own = by_name["2025.yaml"].answers(), by_name["2025-self.yaml"].answers()
    return {key for key, answer in independent.items() if key in own and own[key] != answer}


def _marked(page: Page, selector: str) -> set[tuple[str, str]]:
    """(element, level) of the answers ``selector`` finds: from the anchor a-<element>-<level>
    and the element's block (e-<element>) around it, or from the rows' data attributes."""
    pairs = page.locator(selector).evaluate_all(
        """rows => rows.map(r => r.dataset.element ? [r.dataset.element, r.dataset.level]
            : [r.closest("div[id^='e-']").id.slice(2), r.id.slice(r.closest("div[id^='e-']").id.length + 1)])"""
    )
    return {(el, lv) for el, lv in pairs}


def test_disagreements_are_where_the_yaml_answers_differ(demo: Served, tab: Callable[..., Tab]) -> None:
    """On Tessaline's 2025 page, the list of disagreements, its count and the highlighted answer
    rows are exactly the elements and levels where the two YAML files give different answers; each
    highlighted row is visible, says "Differs" and carries the coloured edge."""
    browser = tab(demo)
    page = browser.goto("companies/tessaline/")
    differ = yaml_disagreements()
    assert differ  # the demo's self-assessment is more generous than the independent one
    assert _marked(page, "#disagreement-list tbody tr") == differ
    assert page.locator("#disagreement-list").get_attribute("data-count") == str(len(differ))
    marked = set(
        page.locator("#indicator-summary tr[data-self-differs]").evaluate_all("rs => rs.map(r => r.dataset.indicator)")
    )
    page = browser.goto("companies/tessaline/answers/")
    # The overview's indicator table marks the indicators those answers belong to.
    holding = page.locator("#indicator-details [data-disagree]").evaluate_all(
        "rs => rs.map(r => r.closest('section[data-indicator]').dataset.indicator)"
    )
    assert marked and set(holding) <= marked, (holding, marked)
    assert _marked(page, "#indicator-details [data-disagree]") == differ
    assert _marked(page, "#indicator-details [data-self-answer]:not([data-disagree])").isdisjoint(differ)
    # The self-assessment's answer follows the answer it differs from (after its evidence), and
    # says so.
    looks = page.locator("#indicator-details [data-disagree]").evaluate_all(
        """rows => rows.map(r => ({
            visible: r.checkVisibility(),
            differs: (() => { let n = r.nextElementSibling;
                              while (n && !n.id && !n.innerText.startsWith("Differs")) n = n.nextElementSibling;
                              return !!n && !n.id; })(),
            edge: getComputedStyle(r).boxShadow !== "none",
        }))"""
    )
    assert looks and all(look == {"visible": True, "differs": True, "edge": True} for look in looks), looks


def test_disagreement_links_lead_to_the_answer(demo: Served, tab: Callable[..., Tab]) -> None:
    """Following a link in the list of disagreements brings its highlighted answer row into view."""
    page = tab(demo).goto("companies/tessaline/")
    page.locator("#disagreement-list summary").click()  # the list is folded on the overview
    link = page.locator("#disagreement-list tbody tr a").last
    target = link.get_attribute("href")
    assert target is not None and target.startswith("answers/#a-")
    link.click()
    page.wait_for_url("**/answers/#a-*")
    fragment = target.split("#", 1)[1]
    row = page.locator(f"[id='{fragment}']")
    assert page.evaluate("location.hash") == "#" + fragment
    assert row.get_attribute("data-disagree") is not None
    assert row.evaluate("r => { const b = r.getBoundingClientRect(); return b.top >= 0 && b.top < innerHeight; }")


def test_answers_page_shows_each_elements_question(demo: Served, tab: Callable[..., Tab]) -> None:
    """The answers page does not write the elements' questions out (issue #21 item 9);
    scorecard.js puts them in from the published elements table: each element's block then
    opens with its id and the framework's own text of the question, read through the CSV's
    quoting (commas, quotes) as written."""
    page = tab(demo).goto("companies/tessaline/answers/")
    page.wait_for_selector("#indicator-details div[id^='e-'][data-question]")
    shown = page.evaluate(
        """() => [...document.querySelectorAll("#indicator-details div[id^='e-']")].map(
            e => [e.id.slice(2), e.hasAttribute("data-question"), e.firstElementChild.textContent])"""
    )
    details = page.locator("#indicator-details")
    fw = _framework(details.get_attribute("data-framework") or "", details.get_attribute("data-version") or "")
    assert len(shown) > 50
    for element, filled, text in shown:
        question = fw.element(element).text
        assert filled and " ".join(text.split()).startswith(f"{element} {' '.join(question.split())}"), (element, text)
    assert any("," in fw.element(element).text for element, _, _ in shown)  # a quoted CSV cell
