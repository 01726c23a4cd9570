"""The hostile corpus (tests/hostile) built into a site and loaded page by page in Chromium: no
script from the data runs, no markup from it reaches the DOM, and its text shows as text.

Scripts would show themselves by calling ``alert`` and friends (trapped by the ``tab`` fixture's
init script) or by opening a dialog; ``onerror``, ``onload`` and ``ontoggle`` handlers fire by
themselves during load. Handlers that need a user (``onmouseover``, ``onclick``) are caught by
looking for any ``on*`` attribute at all.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import EDITION, HOSTILE_PROJECT, Served, Tab, open_tab, search_for
from tests.browser.expected import Filed, filed, in_edition
from tests.site.sitecheck import elements

pytestmark = pytest.mark.browser

# Markup that no page of ours contains, so its presence means that the data injected it.
INJECTED_JS = """() => {
  const found = [];
  const say = (el, what) => found.push(`${what}: ${el.outerHTML.slice(0, 120)}`);
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith("on")) say(el, `event handler ${attr.name}`);
      if (["srcdoc", "formaction"].includes(attr.name)) say(el, attr.name);
    }
  }
  // Material's search results fold a page's further matches into details.md-search-result__more;
  // the company overview folds long lists in its own <details class="hrdd-more"> (with no
  // attribute from the data); any other details element would be injected.
  const never = "iframe, frame, object, embed, applet, base, math, " +
    "details:not(.md-search-result__more):not(.hrdd-more), textarea, marquee, " +
    "body meta, body link, body style, img[src='x'], meta[http-equiv]";
  for (const el of document.querySelectorAll(never)) say(el, "element");
  // Material's header has the search and palette forms; the ranking has its filters.
  const forms = "form:not(.md-search__form):not(#ranking-filters):not(#compare-form):not([data-md-component=palette])";
  for (const el of document.querySelectorAll(forms)) say(el, "form");
  for (const a of document.querySelectorAll("a[href], area[href]")) {
    if (!["http:", "https:"].includes(a.protocol)) say(a, `link to ${a.protocol}`);
  }
  return found;
}"""

# Every script element of a page: its source path, or the text of an inline script.
SCRIPTS_JS = "() => [...document.scripts].map(s => s.src ? 'src ' + new URL(s.src).pathname : s.text)"

# A page of the demo site (benign data, same templates) at each folder depth: its scripts are the
# only scripts a hostile page may have. Inline scripts name paths relative to the page's depth.
BENIGN = {0: "", 1: "about/", 2: "companies/paxtel/", 3: "companies/paxtel/answers/"}

MARKERS = ("DRAFTMARKER", "REVIEWMARKER")


def benign_counterpart(path: str) -> str:
    return path if path == "404.html" else BENIGN[path.count("/")]


@dataclass(frozen=True)
class Visit:
    """What one page of the hostile site did and held when loaded."""

    calls: list[str]
    injected: list[str]
    scripts: list[str]


@dataclass(frozen=True)
class Visits:
    pages: dict[str, Visit]
    problems: list[str]
    """Console errors, uncaught exceptions, dialogs and requests to other hosts, on any page."""
    benign_scripts: dict[str, list[str]]


@pytest.fixture(scope="module")
def visits(browser: Browser, hostile: Served, demo: Served) -> Iterator[Visits]:
    """Every page of the hostile site loaded once, for the tests below to question."""
    t, benign_tab = open_tab(browser, hostile), open_tab(browser, demo)
    pages = {}
    for path in hostile.pages():
        page = t.goto(path)
        try:
            pages[path] = Visit(
                calls=t.trapped_calls(), injected=page.evaluate(INJECTED_JS), scripts=page.evaluate(SCRIPTS_JS)
            )
        except PlaywrightError as exc:
            # Injected markup can navigate by itself (<meta http-equiv=refresh>, a script).
            pages[path] = Visit(calls=[], injected=[f"the page did not stay put: {exc.message}"], scripts=[])
    benign = {p: benign_tab.goto(p).evaluate(SCRIPTS_JS) for p in {benign_counterpart(p) for p in pages}}
    yield Visits(pages=pages, problems=t.problems() + benign_tab.problems(), benign_scripts=benign)
    t.context.close()
    benign_tab.context.close()


def test_no_script_from_the_data_runs(visits: Visits) -> None:
    """On every page of the hostile site, nothing called alert, confirm, prompt or print, no dialog
    opened, no console error or uncaught exception happened, and nothing was requested from another
    host."""
    assert len(visits.pages) >= 15
    assert {p: v.calls for p, v in visits.pages.items() if v.calls} == {}
    assert visits.problems == []


def test_no_markup_from_the_data_reaches_the_page(visits: Visits) -> None:
    """No page of the hostile site has an event-handler attribute, an element our templates never
    write (iframe, object, base, details, textarea, math, a stray form, meta, link or style), an
    ``<img src=x>``, or a link to anything but http(s)."""
    assert {p: v.injected for p, v in visits.pages.items() if v.injected} == {}


def test_pages_have_only_the_themes_scripts(visits: Visits) -> None:
    """Every page of the hostile site has exactly the script elements of a demo page at the same
    depth: Material's and ours, none from the data."""
    different = {}
    for path, visit in visits.pages.items():
        benign = visits.benign_scripts[benign_counterpart(path)]
        if visit.scripts != benign:
            different[path] = [s[:100] for s in visit.scripts if s not in benign]
    assert different == {}


# --- the text is there, as text ------------------------------------------------------------

TEXT_KEYS = {"name", "sector", "description", "website", "summary", "title", "publisher", "quote", "locator"}
TEXT_KEYS |= {"comment", "text", "allegation", "contact"}


def free_text(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every free-text value of an assessment with where it is, e.g. (("summary",), "...")."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and key in TEXT_KEYS:
                yield (*path, key), value
            else:
                yield from free_text(value, (*path, key))
    elif isinstance(data, list):
        for n, value in enumerate(data):
            yield from free_text(value, (*path, n))


def _all(where: tuple[str | int, ...]) -> bool:
    return True


def _self_shown(where: tuple[str | int, ...]) -> bool:
    # Beside the independent assessment, a self-assessment's answers list sources by title only
    # (no quote, no locator), and its own level names are not used.
    return where[0] not in ("levels", "company") and where[-1] not in ("quote", "locator", "publisher")


def _earlier(where: tuple[str | int, ...]) -> bool:
    # An earlier cycle is on the overview: who assessed in the history table, its answers in the
    # table of earlier answers (its summary, comments, evidence and incidents are in that cycle's
    # own edition and in the full dataset).
    return where == ("assessor", "name")


# Page -> the files whose text it shows, and which of their text.
SHOWN = {
    "companies/hostile-co/": [
        ("hostile-co/2025.yaml", _all),
        ("hostile-co/2025-self.yaml", _self_shown),
        ("hostile-co/2024.yaml", _earlier),
    ],
    "companies/rtl-emoji/": [("rtl-emoji/2025.yaml", _all)],
    "companies/edge-co/": [("edge-co/2025.yaml", _all)],
}


def _flat(text: str) -> str:
    # The pages turn every run of white space (line breaks included) into one space.
    return " ".join(text.split())


def _corpus(name: str) -> Filed:
    path = HOSTILE_PROJECT / "assessments" / name
    return next(f for f in filed(HOSTILE_PROJECT) if f.path == path)


@pytest.mark.parametrize("path", SHOWN)
def test_hostile_text_is_shown_as_text(hostile: Served, tab: Callable[..., Tab], path: str) -> None:
    """Every free-text field the company page shows is in the page's visible text exactly as written
    in the YAML (HTML, Markdown, template syntax, right-to-left text and emoji alike)."""
    opened = tab(hostile)
    # A company's latest assessment: its overview and its answers page (the folded lists open).
    paths = [path, path + "answers/"]
    visible = ""
    for shown_at in paths:
        page = opened.goto(shown_at)
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        visible += " " + _flat(page.locator("body").inner_text())
    missing = []
    for name, shown in SHOWN[path]:
        for where, value in free_text(_corpus(name).data):
            if shown(where):
                missing += [f"{name} {where}: {line!r}" for line in value.splitlines() if _flat(line) not in visible]
    assert missing == [], "\n".join(missing)


def test_an_earlier_cycles_redirect_names_the_company_as_text(hostile: Served) -> None:
    """The file at an earlier cycle's old address (not a page: it sends the reader to the
    overview) has the company's name as text in its title and its one paragraph, and no other
    markup than its own."""
    assert hostile.redirects() == ["companies/hostile-co/2024/"]
    text = (hostile.root / "companies/hostile-co/2024/index.html").read_text(encoding="utf-8")
    name = _corpus("hostile-co/2025.yaml").company["name"]  # the company as its latest assessment has it
    tags = sorted({e.tag for e in elements(text)})
    assert tags == ["a", "body", "head", "html", "link", "meta", "p", "script", "title"]
    titles = [e.text for e in elements(text) if e.tag == "title"]
    assert titles == [f"{_flat(name)}: 2024 assessment"]


def test_page_title_is_the_name_as_text(hostile: Served, tab: Callable[..., Tab]) -> None:
    """The company page's title (the window title, which the name could try to close with
    ``</title>``) is the company's name as written, then the site's name."""
    page = tab(hostile).goto("companies/hostile-co/")
    name = _flat(_corpus("hostile-co/2025.yaml").company["name"])
    assert page.title().startswith(f"{name} - "), page.title()


def test_links_keep_their_whole_url(hostile: Served, tab: Callable[..., Tab]) -> None:
    """Each http(s) URL of the corpus, quotes, backticks, entities and template syntax included, is the
    complete href of a link on the company page: no character of it escaped the attribute."""
    page = tab(hostile).goto("companies/hostile-co/")
    hrefs = set(page.locator("a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))"))
    urls = {
        value
        for name in ("hostile-co/2025.yaml", "hostile-co/2025-self.yaml")
        for value in _strings(_corpus(name).data)
        if re.match(r"https?://", value)
    }
    assert urls
    assert urls - hrefs == set()


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def test_search_results_show_hostile_text_as_text(hostile: Served, tab: Callable[..., Tab]) -> None:
    """Material's search lists the hostile company with its name as text: the search index is data
    for the page too, and rendering a result must not run or inject anything."""
    t = tab(hostile)
    page = t.goto("")
    first = search_for(page, "Hostile").first
    assert urlsplit(first.get_attribute("href") or "").path.endswith("/companies/hostile-co/")
    assert '<script>alert("name")</script>' in first.inner_text()
    assert page.evaluate(INJECTED_JS) == []
    assert t.trapped_calls() == []


def test_unpublished_assessments_appear_nowhere(hostile: Served, tab: Callable[..., Tab]) -> None:
    """The corpus's draft and under-review assessments (of the edition's own cycle) are in no
    ranking row, and their marker words are in no file of the built site: no page, search index,
    data file or badge."""
    page = tab(hostile).goto("ranking/")
    ranked = set(
        page.locator("#ranking-independent tbody tr, #ranking-self tbody tr").evaluate_all(
            "rows => rows.map(r => r.dataset.company)"
        )
    )
    assert ranked == {f.slug for f in in_edition(HOSTILE_PROJECT, EDITION)}
    leaked = [
        f"{p.relative_to(hostile.root)}: {m}"
        for p in sorted(Path(hostile.root).rglob("*"))
        if p.is_file()
        for m in MARKERS
        if m.encode() in p.read_bytes()
    ]
    assert leaked == []


def test_ranking_filters_on_hostile_values(hostile: Served, tab: Callable[..., Tab]) -> None:
    """Each sector of the corpus (markup, quotes, right-to-left text, emoji) is a filter option that
    shows exactly that sector's rows: the value survives attribute escaping both in the option and
    in the rows, so the comparison in scorecard.js still matches."""
    page = tab(hostile).goto("ranking/")
    published = in_edition(HOSTILE_PROJECT, EDITION)
    sectors = {str(f.company["sector"]) for f in published}
    select = page.locator("#filter-sector")
    assert set(select.locator("option").evaluate_all("os => os.map(o => o.value)")) - {""} == sectors
    for sector in sectors:
        select.select_option(sector)
        shown = page.locator("#ranking-independent tbody tr:not([hidden]), #ranking-self tbody tr:not([hidden])")
        found = shown.evaluate_all("rows => rows.map(r => [r.dataset.company, r.dataset.assessor])")
        assert sorted(map(tuple, found)) == sorted(
            (f.slug, f.assessor) for f in published if f.company["sector"] == sector
        )


# --- interaction: handlers fired, links hovered and clicked, search used, badges opened -------

# Every event an attribute or a script could wait for, dispatched to every element of the page.
# Default actions (following a link, submitting a form) are prevented from the window, first, so
# that the page stays put; handlers on the elements still run.
FIRE_JS = """() => {
  const kinds = ["mouseover", "mouseenter", "mousemove", "mousedown", "mouseup", "click", "dblclick",
    "contextmenu", "auxclick", "pointerover", "pointerenter", "pointerdown", "pointerup", "focus", "focusin",
    "blur", "focusout", "keydown", "keypress", "keyup", "input", "change", "toggle", "wheel", "copy", "cut",
    "paste", "drag", "dragstart", "drop", "animationstart", "animationend", "transitionend", "scroll",
    "beforeinput", "select", "invalid", "search"];
  for (const kind of ["click", "auxclick", "submit", "dblclick", "contextmenu"]) {
    window.addEventListener(kind, e => e.preventDefault(), true);
  }
  let fired = 0;
  for (const el of document.querySelectorAll("main *, header *, footer *, nav *")) {
    for (const kind of kinds) {
      const init = { bubbles: true, cancelable: true, composed: true };
      const event = /mouse|click|contextmenu/.test(kind) ? new MouseEvent(kind, init)
        : /pointer/.test(kind) ? new PointerEvent(kind, init)
        : /key/.test(kind) ? new KeyboardEvent(kind, { ...init, key: "Enter" })
        : /focus|blur/.test(kind) ? new FocusEvent(kind, init)
        : new Event(kind, init);
      el.dispatchEvent(event);
      fired += 1;
    }
  }
  return fired;
}"""

# Pages whose text is the hostile data's, where handlers and links are tried.
INTERACTIVE = [*SHOWN, "", "ranking/", "companies/"]


@pytest.mark.parametrize("path", INTERACTIVE)
def test_firing_every_handler_runs_no_script_from_the_data(hostile: Served, tab: Callable[..., Tab], path: str) -> None:
    """Every element of the page receives every kind of event a handler could wait for (mouse,
    pointer, keyboard, focus, input, toggle, clipboard, drag, animation): nothing calls alert and
    friends, and no markup appears that was not there (the page's own scripts react to events
    with the data in hand, which is where an injection would happen)."""
    t = tab(hostile)
    page = t.goto(path)
    assert page.evaluate(FIRE_JS) > 1000
    assert t.trapped_calls() == []
    assert page.evaluate(INJECTED_JS) == []


def _links(page: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = page.locator("main a[href]").evaluate_all(
        "links => links.map(a => [a.getAttribute('href'), a.href])"
    )
    return found


HOVERED, CLICKED = 25, 8
"""Links hovered and clicked per page (the first ones, in page order and in URL order): every kind
of link a company page has (sources, archives, indicators, cycles, methodology), at a bearable cost."""


@pytest.mark.parametrize("path", list(SHOWN))
def test_hovering_and_clicking_every_link_runs_nothing(hostile: Served, tab: Callable[..., Tab], path: str) -> None:
    """The links of a hostile company page (the first ``HOVERED``) are hovered (title tooltips,
    Material's link previews); links to pages of the site (the first ``CLICKED``) are clicked and
    the page each opens is checked like the first: no trapped call, no injected markup. Links to
    other hosts are only hovered (the test browser blocks other hosts; their scheme is checked by
    the scan above)."""
    t = tab(hostile)
    page = t.goto(path)
    origin = hostile.url
    visible = page.locator("main a[href]:visible")
    for n in range(min(visible.count(), HOVERED)):
        visible.nth(n).hover()
    assert t.trapped_calls() == [] and page.evaluate(INJECTED_JS) == []
    internal = sorted({absolute for _, absolute in _links(page) if absolute.startswith(origin)})[:CLICKED]
    assert internal, "the page links to no page of the site"
    for url in internal:
        page = t.goto(path)
        page.evaluate(
            "url => { const a = [...document.querySelectorAll('main a[href]')].find(a => a.href === url);"
            " a.setAttribute('data-hrdd-test', 'target'); }",
            url,
        )
        link = page.locator('main a[data-hrdd-test="target"]').first
        same_page = url.split("#")[0] == page.url.split("#")[0]
        with contextlib.nullcontext() if same_page else page.expect_navigation(wait_until="load"):
            if link.is_visible():
                link.click()
            else:  # inside a closed section: follow it as a keyboard user would
                link.evaluate("a => a.click()")
        assert t.trapped_calls() == [], url
        assert page.evaluate(INJECTED_JS) == [], url


@pytest.mark.parametrize("query", ["script", "onerror", "Hostile", "edge"])
def test_search_and_its_highlighted_landing_page_stay_inert(
    hostile: Served, tab: Callable[..., Tab], query: str
) -> None:
    """Material's search with a hostile word: the result list holds no injected markup, and the
    page a result opens, with the word highlighted (``?h=``: Material wraps each match in a mark
    element), runs nothing and gains no markup but the marks."""
    t = tab(hostile)
    page = t.goto("")
    results = search_for(page, query)
    assert page.evaluate(INJECTED_JS) == []
    assert t.trapped_calls() == []
    results.first.click()
    page.wait_for_load_state("load")
    assert "h=" in page.url, page.url
    page.wait_for_timeout(300)  # the highlight is applied after load
    assert t.trapped_calls() == [], page.url
    assert page.evaluate(INJECTED_JS) == [], page.url


BADGE_JS = """() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    if (["script", "foreignObject", "iframe", "a"].includes(el.localName)) found.push(el.localName);
    for (const attr of el.attributes) if (attr.name.startsWith("on") || /href/.test(attr.name)) found.push(attr.name);
  }
  return found;
}"""


def test_badges_opened_alone_run_nothing(hostile: Served, tab: Callable[..., Tab]) -> None:
    """Each company's SVG badge, opened on its own as a document (as a link to it does), holds no
    script, foreign object, link or event attribute, and runs nothing; its text is the company's."""
    t = tab(hostile)
    badges = sorted((Path(hostile.root) / "badges").glob("*.svg"))
    assert len(badges) >= 3
    for badge in badges:
        page = t.goto(f"badges/{badge.name}")
        assert page.evaluate(BADGE_JS) == [], badge.name
        assert page.evaluate("() => window.__hrddCalls ? window.__hrddCalls.length : 0") == 0, badge.name
