"""The site's pages, as Markdown files for MkDocs. Pure: a ``Scorecard`` in, ``Page`` strings out.

Every piece of data-driven content is a raw HTML block in which each string from a YAML file
went through ``esc`` (``html.escape``): raw HTML blocks are passed through by Markdown untouched,
so neither HTML nor Markdown syntax in an assessment can turn into markup, and MkDocs renders
raw HTML tables far faster than Markdown tables. Only fixed section headings are Markdown (they
feed the table of contents). Links between generated pages are relative URLs computed here,
because MkDocs does not rewrite links inside raw HTML. Only http(s) URLs become links.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import posixpath
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from hrdd.history import Comparison, compare_frameworks
from hrdd.load import version_key
from hrdd.models import (
    Category,
    Change,
    Element,
    Exclusion,
    Framework,
    Indicator,
)
from hrdd.score import ElementScore
from hrdd.sectors import competition_ranks, indicators_for, sector_name
from hrdd.site import CompanyRecord, Entry, Scorecard
from hrdd.site.changes import (
    EditionChanges,
    Publication,
    edition_changes,
)
from hrdd.site.charts import Bar, Series, bar_chart
from hrdd.site.data import (
    DATAPACKAGE_JSON,
    SCORECARD_JSON,
    TABLES,
    badge_path,
    company_json_path,
)
from hrdd.site.pages import company as company_view
from hrdd.site.pages import overview
from hrdd.site.pages.common import (
    ASSESSOR_LABEL,
    COMPANIES,
    GENERATED,
    HOME,
    INDICATORS,
    METHODOLOGY,
    RANKING,
    _answer_label,
    _categories_for,
    _modules_text,
    _ranked_on,
    _sector_value,
    fw_token,
)
from hrdd.site.pages.common import (
    CHANGELOG as CHANGELOG,
)
from hrdd.site.pages.common import (
    company_page as company_page,
)
from hrdd.site.pages.common import (
    esc as esc,
)
from hrdd.site.pages.common import (
    fw_name as fw_name,
)
from hrdd.site.pages.common import (
    safe_url as safe_url,
)
from hrdd.site.splice import detached
from hrdd.site.templates import collection_paused
from hrdd.site.templates import render as render_template

FEED = "changelog.xml"
"""The Atom feed of the changelog page (written by ``hrdd.site.feed``)."""
CORRECTIONS_JSON = "data/corrections.json"
"""A published edition's record of itself (``Publication``); only published editions have one."""
DOWNLOADS = "downloads.md"
ABOUT = "about.md"

HEADLINE_SIZE = 5
EXTERNAL_REL = "nofollow noopener"

SCOPE_LABEL = {
    "company": "the whole company (company-side levels)",
    "units": "each service or business unit (unit levels)",
    "both": "both sides: the mean of the company-side mean and the unit mean",
}
TOTAL_LABEL = {
    "mean_of_indicators": "the weighted mean of the top-level indicator scores",
    "mean_of_categories": "the mean of the category scores",
    "weighted_categories": "the weighted mean of the category scores",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    path: str
    """Path under the docs folder, e.g. ``companies/acme/index.md``."""
    text: str


# --- text and links ------------------------------------------------------------------------


def paragraphs(text: str, cls: str = "") -> str:
    """Text as ``<p>`` elements, one per line: YAML folded text (``>-``), the style our files use,
    keeps a line break only where the author left a blank line."""
    attr = f' class="{cls}"' if cls else ""
    return "".join(f"<p{attr}>{esc(line)}</p>" for line in text.splitlines() if line.strip())


def ext_link(url: str, text: str, cls: str = "") -> str:
    """An outbound link (evidence, company websites); plain text when the URL is not http(s)."""
    target = safe_url(url)
    class_attr = f' class="{cls}"' if cls else ""
    if target is None:
        return f"<span{class_attr}>{esc(text)}</span>"
    return f'<a{class_attr} href="{esc(target)}" rel="{EXTERNAL_REL}">{esc(text)}</a>'


def num(value: Decimal | None) -> str:
    return "n/a" if value is None else str(value)


def data_num(value: Decimal | None) -> str:
    """A number for a data attribute: empty when there is none."""
    return "" if value is None else str(value)


def page_url(path: str, directory_urls: bool) -> str:
    """The URL MkDocs gives a docs file, relative to the site root."""
    if not path.endswith(".md"):
        return path
    stem = path.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/" if stem.endswith("/index") else stem + "/"


@functools.lru_cache(maxsize=65536)  # a page links to the same few pages many times
def relative_url(from_path: str, to_path: str, directory_urls: bool, anchor: str = "") -> str:
    """A link from one docs file to another as a relative URL, as MkDocs would write it."""
    here = page_url(from_path, directory_urls)
    there = page_url(to_path, directory_urls)
    base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    rel = _relpath(there.rstrip("/"), base.rstrip("/"))
    if there.endswith("/") or not there:
        rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{anchor}" if anchor else "")


def _relpath(path: str, start: str) -> str:
    """``posixpath.relpath`` for two paths from the same root without ``..`` in them: the same
    answer without asking the file system for the working directory (a page links to thousands)."""
    to = [part for part in path.split("/") if part and part != "."]
    base = [part for part in start.split("/") if part and part != "."]
    common = 0
    for a, b in zip(to, base, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(base) - common) + to[common:]) or "."


def _div(cls: str, id_: str, attrs: str) -> str:
    return (
        "<div"
        + (f' id="{id_}"' if id_ else "")
        + (f' class="{cls}"' if cls else "")
        + (f" {attrs}" if attrs else "")
        + ">"
    )


def _no_blank_line(html: str) -> str:
    if "\n\n" in html:
        raise ValueError("a raw HTML block may not contain a blank line")
    return html


def block(*parts: str, cls: str = "", id_: str = "", attrs: str = "") -> str:
    """One raw HTML block: a div starting at the beginning of a line, with no blank line inside."""
    return _no_blank_line(_div(cls, id_, attrs) + "".join(parts) + "</div>")


def titled_block(title: str, *parts: str, cls: str = "", id_: str = "", attrs: str = "") -> str:
    """A raw HTML block whose title (the page's ``<h1>``) MkDocs sees and whose rest is detached.

    Material adds a title of its own to a page whose content has no ``<h1>``, so the title stays;
    the rest goes through MkDocs as a placeholder inside the div (``hrdd.site.splice``)."""
    rest = _no_blank_line("".join(parts))
    inside = f"\n\n{detached(rest)}\n\n" if rest else ""
    return _div(cls, id_, attrs) + _no_blank_line(title) + inside + "</div>"


def heading(level: int, text: str, anchor: str) -> str:
    """A Markdown heading with a fixed id. ``text`` is our own wording, never data."""
    return f"{'#' * level} {text} {{#{anchor}}}"


def front_matter(title: str | None, *, hide: Sequence[str] = (), boost: float | None = None) -> str:
    lines = ["---"]
    if title is not None:
        # Material prints meta.title into <title> and the header unescaped, so it gets the
        # escaped text; JSON quoting keeps the YAML valid whatever the text holds.
        lines.append(f"title: {json.dumps(esc(title), ensure_ascii=False)}")
    if hide:
        lines.append(f"hide: [{', '.join(hide)}]")
    if boost is not None:
        lines.append(f"search:\n  boost: {boost}")
    lines.append("---")
    return "\n".join(lines)


def document(front: str, *blocks: str) -> str:
    """A page: front matter, the note that it is generated, then the blocks."""
    return "\n\n".join(b for b in (front, GENERATED, *blocks) if b) + "\n"


def tag(text: str, kind: str) -> str:
    return f'<span class="hrdd-tag hrdd-tag--{kind}">{esc(text)}</span>'


def fictional_tag(entry_or_record: Entry | CompanyRecord) -> str:
    company = entry_or_record.facts.company if isinstance(entry_or_record, Entry) else entry_or_record.company
    return " " + tag("Fictional", "fictional") if company.fictional else ""


def self_tag(entry: Entry) -> str:
    return " " + tag("Self-assessment", "self") if entry.is_self else ""


def ungp_refs(numbers: Iterable[int]) -> str:
    found = list(numbers)
    if not found:
        return ""
    word = "Principle" if len(found) == 1 else "Principles"
    return f"UNGP {word} {', '.join(str(n) for n in found)}"


# --- the site's map ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Site:
    """What every page needs to know about the others."""

    card: Scorecard
    site_name: str = "Scorecard"
    directory_urls: bool = True
    publication: Publication | None = None
    """The record of a published edition (``hrdd publish``); None for a plain build."""
    repo_url: str = ""
    """``repo_url`` of mkdocs.yml: the scorecard's repository, where companies submit."""
    edit_uri: str = ""
    """``edit_uri`` of mkdocs.yml, relative to ``repo_url``: where a file of the repository is
    edited (``edit/main/`` on GitHub); company pages link their assessment's file with it."""
    theme_dir: str = ""
    """The project's ``theme.custom_dir`` (absolute), whose ``hrdd/`` templates override hrdd's;
    "" for none (``hrdd.site.templates``)."""
    theme_key: str = ""
    """The fingerprint of those templates' content (``hrdd.site.templates.fingerprint``)."""

    def edit_url(self, path: str) -> str:
        """The address where a file of the repository is edited, or "" when mkdocs.yml does not say."""
        if not self.repo_url or not self.edit_uri or self.edit_uri.startswith(("http://", "https://")):
            return ""
        return f"{self.repo_url.rstrip('/')}/{self.edit_uri.strip('/')}/{path}"

    @property
    def multi_framework(self) -> bool:
        return len(self.card.edition_frameworks()) > 1

    def indicator_page(self, fw: Framework, indicator_id: str) -> str | None:
        """The indicator's page; only the edition's frameworks have indicator pages."""
        if fw not in self.card.edition_frameworks():
            return None
        # "index" would collide with the index page of the folder.
        name = "index-indicator" if indicator_id == "index" else indicator_id
        return f"indicators/{fw_token(fw)}/{name}.md" if self.multi_framework else f"indicators/{name}.md"

    def link(self, here: str, there: str, anchor: str = "") -> str:
        return relative_url(here, there, self.directory_urls, anchor)

    def a(self, here: str, there: str, text: str, anchor: str = "", cls: str = "") -> str:
        class_attr = f' class="{cls}"' if cls else ""
        return f'<a{class_attr} href="{esc(self.link(here, there, anchor))}">{esc(text)}</a>'

    def company_cycle_page(self, record: CompanyRecord, cycle: int) -> str:
        return company_page(record.slug, None if cycle == record.latest_cycle else cycle)

    def indicator_link(self, here: str, fw: Framework, indicator_id: str, text: str | None = None) -> str:
        target = self.indicator_page(fw, indicator_id)
        label = text if text is not None else indicator_id
        if target is None:
            return self.a(here, METHODOLOGY, label, f"{fw_token(fw)}-{indicator_id}")
        return self.a(here, target, label)


def render_pages(site: Site, share: tuple[int, int] = (0, 1), skip: Collection[str] = ()) -> Iterator[Page]:
    """Every generated page of the site but those in ``skip``, one at a time (a company page
    runs to hundreds of kilobytes, and there are thousands); with ``share=(k, n)``, every
    n-th of them from the k-th (the build renders in n worker processes; each page is rendered
    by exactly one)."""
    k, n = share
    makers = [(path, make) for path, make in _page_makers(site) if path not in skip]
    return (Page(path=path, text=make()) for i, (path, make) in enumerate(makers) if i % n == k)


def record_pages(record: CompanyRecord) -> list[str]:
    """The pages made from one company's assessments alone: its page and one per earlier cycle.
    What else they depend on is the site's settings and the edition's frameworks (their
    indicator pages), never another company (``hrdd.site.incremental`` relies on it)."""
    return [
        company_page(record.slug),
        *(company_page(record.slug, cycle) for cycle in record.cycles[1:]),
        *overview.record_answers_pages(record),
    ]


def _page_makers(site: Site) -> list[tuple[str, Callable[[], str]]]:
    card = site.card
    makers: list[tuple[str, Callable[[], str]]] = [
        (HOME, functools.partial(home, site)),
        (RANKING, functools.partial(ranking, site)),
        (COMPANIES, functools.partial(companies_index, site)),
        (INDICATORS, functools.partial(indicators_index, site)),
        (METHODOLOGY, functools.partial(methodology, site)),
        (DOWNLOADS, functools.partial(downloads, site)),
        (CHANGELOG, lambda: changelog(site, edition_changes(card, site.publication))),
    ]
    for record in card.companies:
        latest, *others = record_pages(record)
        makers.append((latest, functools.partial(company, site, record)))
        earlier, answers = others[: len(record.cycles) - 1], others[len(record.cycles) - 1 :]
        for earlier_page, cycle in zip(earlier, record.cycles[1:], strict=True):
            makers.append((earlier_page, functools.partial(company_cycle, site, record, cycle)))
        for n, answers_page in enumerate(answers, start=1):
            makers.append((answers_page, functools.partial(company_answers, site, record, n)))
    for fw in card.edition_frameworks():
        for ind in fw.all_indicators():
            path = site.indicator_page(fw, ind.id)
            if path is not None:
                makers.append((path, functools.partial(indicator, site, fw, ind, path)))
    return makers


def footer_credit(card: Scorecard, project_copyright: str | None) -> str:
    """The footer line: the project's own copyright, then each framework's required attribution."""
    parts = [project_copyright] if project_copyright else []
    seen: list[str] = []
    for fw in card.shown_frameworks():
        if not fw.attribution_text or fw.attribution_text in seen:
            continue
        seen.append(fw.attribution_text)
        text = ext_link(fw.attribution_url, fw.attribution_text) if fw.attribution_url else esc(fw.attribution_text)
        parts.append(f'<span class="hrdd-attribution">{text}</span>')
    return " · ".join(parts)


# --- shared pieces -------------------------------------------------------------------------


def _ranked(entries: Iterable[Entry]) -> list[Entry]:
    """Highest total first; assessments without a total last; then by name."""
    return sorted(
        entries,
        key=lambda e: (e.score.total is None, -(e.score.total or 0), e.facts.company.name.casefold(), e.slug),
    )


def ranks(entries: Sequence[Entry]) -> list[int | None]:
    """Competition ranking (1, 2, 2, 4) of entries already in ranked order."""
    out: list[int | None] = []
    previous: Decimal | None = None
    for n, entry in enumerate(entries, start=1):
        total = entry.score.total
        if total is None:
            out.append(None)
        elif out and total == previous:
            out.append(out[-1])
        else:
            out.append(n)
        previous = total
    return out


def _th(text: str, *, sort: str = "", col: str = "", cls: str = "") -> str:
    attrs = ' scope="col"'
    if sort:
        attrs += f' data-sort="{sort}"'
    if col:
        attrs += f' data-col="{esc(col)}"'
    if cls:
        attrs += f' class="{cls}"'
    return f"<th{attrs}>{text}</th>"


def _num_td(value: Decimal | None, col: str = "") -> str:
    col_attr = f' data-col="{esc(col)}"' if col else ""
    return f'<td class="hrdd-num"{col_attr} data-value="{data_num(value)}">{num(value)}</td>'


def _company_cell(site: Site, here: str, entry: Entry, record_cycle_page: str) -> str:
    name = entry.facts.company.name
    return (
        f'<th scope="row">{site.a(here, record_cycle_page, name, cls="hrdd-company-link")}'
        f"{fictional_tag(entry)}{self_tag(entry)}</th>"
    )


def _row_attrs(entry: Entry) -> str:
    c = entry.facts.company
    return (
        f'data-company="{esc(c.slug)}" data-cycle="{entry.cycle}" data-sector="{esc(c.sector)}" '
        f'data-country="{esc(c.country)}" data-assessor="{entry.facts.assessor.type}" '
        f'data-total="{data_num(entry.score.total)}" data-fictional="{str(c.fictional).lower()}"'
    )


def _caption(text: str) -> str:
    return f"<caption>{esc(text)}</caption>"


def _date(value: str | None) -> str:
    return f'<time datetime="{esc(value)}">{esc(value)}</time>' if value else "not stated"


def _notice(title: str, body: str, kind: str = "note", id_: str = "") -> str:
    """A Material admonition written as raw HTML, so that its text stays escaped."""
    return block(f'<p class="admonition-title">{esc(title)}</p>{body}', cls=f"admonition {kind}", id_=id_)


# --- home ----------------------------------------------------------------------------------


def home(site: Site) -> str:
    card = site.card
    here = HOME
    edition = card.edition
    frameworks = card.edition_frameworks() or card.shown_frameworks()
    fw_links = ", ".join(site.a(here, METHODOLOGY, fw_name(fw), fw_token(fw)) for fw in frameworks)
    independent = [e for e in card.edition_entries() if not e.is_self]
    selfs = [e for e in card.edition_entries() if e.is_self]
    facts = (
        '<dl class="hrdd-facts">'
        f'<dt>Edition</dt><dd id="edition" data-edition="{edition or ""}">{edition or "none yet"}</dd>'
        f'<dt>Framework</dt><dd id="framework">{fw_links or "none"}</dd>'
        f'<dt>Companies</dt><dd id="company-count" data-independent="{len(independent)}" data-self="{len(selfs)}">'
        f"{len(independent)} assessed independently, {len(selfs)} self-assessment{'s' if len(selfs) != 1 else ''}"
        "</dd>"
        f'<dt>Last updated</dt><dd id="last-updated">{_date(card.updated)}</dd>'
        "</dl>"
    )
    lead = (
        '<p class="hrdd-lead">This scorecard rates what companies publicly show about how they meet their '
        "responsibility to respect human rights under the UN Guiding Principles on Business and Human "
        "Rights. Each company is assessed against the same published criteria, and every score can be "
        "traced to the answers and evidence behind it.</p>"
    )
    fictional = any(e.facts.company.fictional for e in card.entries)
    notice = (
        _notice(
            "Demonstration data",
            "<p>Companies marked <em>Fictional</em> do not exist; their data was invented to show how the "
            "scorecard works.</p>",
            id_="fictional-notice",
        )
        if fictional
        else ""
    )
    return document(
        front_matter(None, hide=("navigation",)),
        block(f"<h1>{esc(site.site_name)}</h1>", lead, facts, id_="home", cls="hrdd-home"),
        notice,
        heading(2, f"Headline ranking{f' {edition}' if edition else ''}", "headline"),
        _headline(site, independent),
        heading(2, "What a score means, and what it does not", "what-a-score-means"),
        block(_SCORE_MEANING, cls="hrdd-meaning"),
    )


_SCORE_MEANING = (
    "<p>A score measures how far a company's <strong>public disclosure</strong> meets the framework's "
    "elements: questions answered from documents anyone can read, as the assessor found them during the "
    "research period. Each answer earns points; points are averaged into indicator, category and total "
    "scores as the methodology describes.</p>"
    "<p>A score does <strong>not</strong> measure a company's actual human rights impact, whether abuses "
    "happened, or how safe its products are. A high score is not a certification or an endorsement, and a "
    "low score can mean that a company does things it does not disclose. Scores compare companies only "
    "within the same framework version. Self-assessments are the companies' own claims: they are shown "
    "separately and never ranked.</p>"
)


def _headline(site: Site, independent: Sequence[Entry]) -> str:
    here = HOME
    # Totals of different framework versions do not compare: with mixed versions the headline
    # ranks the version most companies answer (the newest on a tie) and says so.
    by_fw: dict[str, list[Entry]] = {}
    for e in independent:
        by_fw.setdefault(e.framework.key, []).append(e)
    main = max(by_fw.values(), key=lambda es: (len(es), version_key(es[0].framework.version)), default=[])
    # Across sectors only the core compares: a framework with sectors ranks its core score here.
    on_core = bool(main) and bool(main[0].framework.sectors)
    ranked = _ranked_on(main, _core_value) if on_core else _ranked(main)
    if not ranked:
        return block("<p>No independent assessment has been published yet.</p>", id_="headline-ranking")
    others = len(independent) - len(ranked)
    mixed = (
        f"<p>Ranked among the {len(ranked)} companies assessed on {esc(fw_name(ranked[0].framework))}; "
        f"{others} other{'s' if others != 1 else ''} answer{'' if others != 1 else 's'} another framework version "
        "and are ranked separately.</p>"
        if others
        else ""
    )
    top = ranked[:HEADLINE_SIZE]
    value = _core_value if on_core else _total_value
    top_ranks = competition_ranks([value(e) for e in ranked])[:HEADLINE_SIZE]
    col, label = ("core", "Core score") if on_core else ("total", "Total")
    rows = "".join(
        f'<tr {_row_attrs(e)} data-rank="{r or ""}"><td class="hrdd-num">{r or "–"}</td>'
        f"{_company_cell(site, here, e, company_page(e.slug))}{_num_td(value(e), col)}</tr>"
        for e, r in zip(top, top_ranks, strict=True)
    )
    what = "core score, which compares every sector" if on_core else "total score"
    table = (
        f'<table id="headline-table" data-ranking="{"core" if on_core else "total"}">'
        f"{_caption(f'Top {len(top)} of {len(ranked)} companies by {what}')}"
        f"<thead><tr>{_th('Rank')}{_th('Company')}{_th(label)}</tr></thead><tbody>{rows}</tbody></table>"
    )
    fw = top[0].framework
    chart = bar_chart(
        chart_id="chart-headline",
        title=f"{label if on_core else 'Total'} scores of the top {len(top)} companies",
        series=[Series(name=label if on_core else "Total score")],
        bars=[Bar(label=e.facts.company.name, values=(value(e),)) for e in top],
        scale_min=fw.scale_min,
        scale_max=fw.scale_max,
    )
    more = f"<p>{site.a(here, RANKING, 'See the full ranking', cls='hrdd-more')}</p>"
    return block(mixed, table, f'<figure class="hrdd-figure">{chart}</figure>', more, id_="headline-ranking")


# --- sectors -------------------------------------------------------------------------------
# A framework with sectors: the core score compares across sectors, the sector score within one.


def _total_value(entry: Entry) -> Decimal | None:
    return entry.score.total


def _core_value(entry: Entry) -> Decimal | None:
    return entry.score.core_total


def _sector_rows(
    site: Site,
    here: str,
    fw: Framework,
    ranked: Sequence[Entry],
    value: Callable[[Entry], Decimal | None],
    categories: Sequence[Category],
    with_sector: bool,
) -> str:
    """Rows of a sector framework's ranking table: ``ranked`` is in order of ``value``."""
    rank_values = competition_ranks([value(e) for e in ranked])
    rows = []
    for entry, rank in zip(ranked, rank_values, strict=True):
        a = entry.facts
        cells = f'<td class="hrdd-num" data-col="rank" data-value="{rank or ""}">{rank or "–"}</td>'
        cells += _company_cell(site, here, entry, company_page(entry.slug))
        if with_sector:
            cells += f'<td data-col="sector">{esc(sector_name(fw, a.company.sector))}</td>'
        cells += f'<td data-col="country">{esc(a.company.country)}</td>'
        cells += f'<td data-col="assessor">{esc(a.assessor.name)} ({ASSESSOR_LABEL[a.assessor.type]})</td>'
        cells += _num_td(entry.score.core_total, "core") + _num_td(entry.score.sector_total, "sector_total")
        cells += "".join(_num_td(entry.score.categories.get(c.id), c.id) for c in categories)
        rows.append(
            f'<tr {_row_attrs(entry)} data-core="{data_num(entry.score.core_total)}" data-rank="{rank or ""}">'
            f"{cells}</tr>"
        )
    return "".join(rows)


def _sector_ranking_tables(
    site: Site, here: str, fw: Framework, entries: Sequence[Entry], suffix: str, name: str
) -> tuple[list[str], list[str]]:
    """For a framework with sectors: the cross-sector ranking on the core score, then one ranking
    per sector on the sector score, each saying what it compares. (HTML parts, table ids.)"""
    edition = site.card.edition
    # No category columns across sectors: a category's score mixes in the sector's own indicators.
    core_categories: list[Category] = []
    core_count = sum(1 for ind in fw.indicators if fw.is_core(ind))

    def head(with_sector: bool, categories: Sequence[Category]) -> str:
        cells = _th("Rank", sort="number", col="rank") + _th("Company", sort="text", col="company")
        if with_sector:
            cells += _th("Sector", sort="text", col="sector")
        cells += _th("Country", sort="text", col="country") + _th("Assessor", sort="text", col="assessor")
        cells += _th("Core score", sort="number", col="core", cls="hrdd-num")
        cells += _th("Sector score", sort="number", col="sector_total", cls="hrdd-num")
        cells += "".join(_th(esc(c.title), sort="number", col=c.id, cls="hrdd-num") for c in categories)
        return f"<thead><tr>{cells}</tr></thead>"

    shown_name = f" {esc(name.strip())}" if name else ""  # esc trims the leading space
    core_id = f"ranking-independent{suffix}"
    ranked = _ranked_on(entries, _core_value)
    core_rows = _sector_rows(site, here, fw, ranked, _core_value, core_categories, True)
    parts = [
        f'<h3 id="across-sectors{suffix}">Across sectors{shown_name}: core score</h3>',
        f"<p>Every sector, compared on the {core_count} core indicators that every company answers. The sector "
        "score is shown for reference; it compares only within a sector.</p>",
        f'<table id="{core_id}" data-sortable data-filterable data-framework="{esc(fw.key)}" data-ranking="core">'
        f"{_caption(f'Independent assessments {edition}{name}, all sectors, ranked by core score')}"
        f"{head(True, core_categories)}<tbody>{core_rows}</tbody></table>",
    ]
    ids = [core_id]
    for sector in fw.sectors:
        members = [e for e in entries if e.facts.company.sector == sector.id]
        if not members:
            continue
        table_id = f"ranking-sector-{sector.id}{suffix}"
        categories = _categories_for(fw, sector.id)
        ranked = _ranked_on(members, _sector_value)
        rows = _sector_rows(site, here, fw, ranked, _sector_value, categories, False)
        parts += [
            f'<h3 id="sector-{esc(sector.id)}{suffix}">{esc(sector.name)}{shown_name}: sector score</h3>',
            f"<p>Only {esc(sector.name)} companies, compared on their sector score: "
            f"{esc(_modules_text(fw, sector.id))}.</p>",
            f'<table id="{esc(table_id)}" data-sortable data-filterable data-framework="{esc(fw.key)}" '
            f'data-ranking="sector" data-sector="{esc(sector.id)}">'
            f"{_caption(f'Independent assessments {edition}{name}, {sector.name} only, ranked by sector score')}"
            f"{head(False, categories)}<tbody>{rows}</tbody></table>",
        ]
        ids.append(table_id)
    return parts, ids


def _sector_ranking_notice(site: Site, here: str) -> str:
    """Said on the ranking page when an edition's framework has sectors."""
    if not any(fw.sectors for fw in site.card.edition_frameworks()):
        return ""
    return _notice(
        "Rankings by sector",
        "<p>Companies of different sectors answer different indicators: besides the common core, each sector "
        "answers the modules on its own salient risks. So the ranking <strong>across sectors</strong> compares "
        "the <strong>core score</strong> only, and each sector has its own ranking on the <strong>sector "
        "score</strong> (core and the sector's modules). Sector scores of different sectors are not compared. "
        f"{site.a(here, METHODOLOGY, 'What compares with what', _sectors_anchor(site))}.</p>",
        id_="sector-rankings",
    )


def _sectors_anchor(site: Site) -> str:
    fw = next((fw for fw in site.card.edition_frameworks() if fw.sectors), None)
    return f"{fw_token(fw)}-sectors" if fw is not None else ""


def _applies_text(fw: Framework, ind: Indicator) -> str:
    """Which companies answer an indicator of a framework with sectors."""
    module = fw.module_of(ind.id)
    excluded = set(ind.excluded.sectors)
    if ind.parent is not None and (family := fw.indicator(ind.parent)) is not None:
        excluded |= family.excluded.sectors
    if module is not None:
        names = [sector_name(fw, s) for s in module.sectors if s not in excluded]
        return f"{', '.join(names)} companies only (module: {module.title})"
    if not excluded:
        return "every sector (a core indicator)"
    others = [s.name for s in fw.sectors if s.id not in excluded]
    return f"{', '.join(others)} companies (not a core indicator: left out for some sectors)"


def _change_text(fw: Framework, change: Change) -> str:
    if change.change == "moved" and change.module:
        module = next((m for m in fw.modules if m.id == change.module), None)
        return f"moved into the module {module.title if module else change.module}"
    return change.change


def _sectors_method(site: Site, fw: Framework) -> list[str]:
    """The methodology of a framework with sectors: core, modules and what compares with what."""
    if not fw.sectors:
        return []
    here = METHODOLOGY
    t = fw_token(fw)
    core = [ind for ind in fw.indicators if fw.is_core(ind)]
    sector_rows = "".join(
        f'<tr data-sector="{esc(sector.id)}"><th scope="row">{esc(sector.name)} <code>{esc(sector.id)}</code></th>'
        f"<td>{paragraphs(sector.description)}</td><td>{esc(_modules_text(fw, sector.id))}</td>"
        f'<td class="hrdd-num">{len(indicators_for(fw, sector.id))}</td></tr>'
        for sector in fw.sectors
    )
    module_rows = "".join(
        f'<tr data-module="{esc(m.id)}"><th scope="row">{esc(m.title)} <code>{esc(m.id)}</code></th>'
        f"<td>{esc(', '.join(sector_name(fw, s) for s in m.sectors))}</td>"
        f"<td>{', '.join(site.indicator_link(here, fw, ind.id) for ind in fw.indicators if fw.module_of(ind.id) is m)}"
        f"</td><td>{paragraphs(m.description)}</td></tr>"
        for m in fw.modules
    )
    core_links = ", ".join(site.indicator_link(here, fw, ind.id) for ind in core)
    return [
        heading(3, "Sectors, core and modules", f"{t}-sectors"),
        block(
            f"<p>Companies of different sectors face different human rights risks, so {esc(fw_name(fw))} does not "
            "ask every company the same questions. The <strong>core</strong> is what every company answers, "
            f"whatever its sector: {len(core)} indicators ({core_links}). A <strong>module</strong> adds "
            "indicators on the salient risks of its sectors, answered only by companies of those sectors; an "
            "indicator may also be left out for a sector.</p>"
            "<ul>"
            f"<li>The <strong>core score</strong> is {esc(TOTAL_LABEL[fw.total])}, over the core indicators only. "
            "It compares companies of <em>every</em> sector: the ranking across sectors uses it.</li>"
            "<li>The <strong>sector score</strong> is the same, over every indicator that applies to the company: "
            "the core and its sector's modules. It compares companies of <em>one</em> sector: each sector's ranking "
            "uses it, and a company's page shows it beside the sector's average.</li>"
            "<li>Sector scores of companies in different sectors are not compared: they are totals over different "
            "indicators. An indicator's score compares among the companies it applies to; its page lists only "
            "them.</li>"
            "</ul>",
            f'<table id="{t}-sectors-table">{_caption(f"Sectors of {fw_name(fw)}")}<thead><tr>{_th("Sector")}'
            f"{_th('Which companies')}{_th('Sector score covers')}{_th('Indicators', cls='hrdd-num')}</tr></thead>"
            f"<tbody>{sector_rows}</tbody></table>",
            f'<table id="{t}-modules-table">{_caption(f"Modules of {fw_name(fw)}")}<thead><tr>{_th("Module")}'
            f"{_th('For sectors')}{_th('Indicators')}{_th('What it covers')}</tr></thead>"
            f"<tbody>{module_rows}</tbody></table>"
            if fw.modules
            else "",
            id_=f"{t}-sectors-method",
            cls="hrdd-wide",
        ),
    ]


# --- ranking -------------------------------------------------------------------------------


def _ranking_table(
    site: Site,
    here: str,
    fw: Framework,
    entries: Sequence[Entry],
    table_id: str,
    caption: str,
    mixed: bool = False,
) -> str:
    """One ranking table. ``mixed``: the entries answer several framework versions (the
    self-assessments of an edition, listed in one table): a Framework column and the totals,
    without category columns, which differ between versions."""
    ranked = _ranked(entries)
    is_self = bool(ranked) and ranked[0].is_self
    categories = () if mixed else fw.categories
    head = "" if is_self else _th("Rank", sort="number", col="rank")
    head += _th("Company", sort="text", col="company") + _th("Sector", sort="text", col="sector")
    head += _th("Country", sort="text", col="country") + _th("Assessor", sort="text", col="assessor")
    if mixed:
        head += _th("Framework", sort="text", col="framework")
    head += _th("Total", sort="number", col="total", cls="hrdd-num")
    head += "".join(_th(esc(c.title), sort="number", col=c.id, cls="hrdd-num") for c in categories)
    rows = []
    for entry, rank in zip(ranked, ranks(ranked), strict=True):
        a = entry.facts
        cells = "" if is_self else f'<td class="hrdd-num" data-col="rank" data-value="{rank or ""}">{rank or "–"}</td>'
        cells += _company_cell(site, here, entry, company_page(entry.slug))
        cells += (
            f'<td data-col="sector">{esc(sector_name(fw, a.company.sector))}</td>'
            f'<td data-col="country">{esc(a.company.country)}</td>'
        )
        cells += f'<td data-col="assessor">{esc(a.assessor.name)} ({ASSESSOR_LABEL[a.assessor.type]})</td>'
        if mixed:
            cells += f'<td data-col="framework">{esc(fw_name(entry.framework))}</td>'
        cells += _num_td(entry.score.total, "total")
        cells += "".join(_num_td(entry.score.categories.get(c.id), c.id) for c in categories)
        rank_attr = "" if is_self else f' data-rank="{rank or ""}"'
        rows.append(f"<tr {_row_attrs(entry)}{rank_attr}>{cells}</tr>")
    framework_attr = "" if mixed else f' data-framework="{esc(fw.key)}"'
    return (
        f'<table id="{table_id}" data-sortable data-filterable{framework_attr}>'
        f"{_caption(caption)}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _filters(entries: Sequence[Entry], table_ids: Sequence[str]) -> str:
    def select(key: str, label: str, every: str, values: Iterable[tuple[str, str]]) -> str:
        options = f'<option value="">{esc(every)}</option>' + "".join(
            f'<option value="{esc(v)}">{esc(t)}</option>' for v, t in values
        )
        return (
            f'<span class="hrdd-filter"><label for="filter-{key}">{esc(label)}</label>'
            f'<select id="filter-{key}" data-filter="{key}">{options}</select></span>'
        )

    sectors = sorted({e.facts.company.sector for e in entries}, key=str.casefold)
    names = {e.facts.company.sector: sector_name(e.framework, e.facts.company.sector) for e in entries}
    countries = sorted({e.facts.company.country for e in entries})
    assessors = [t for t in ("independent", "self") if any(e.facts.assessor.type == t for e in entries)]
    # Hidden until the script runs: without JavaScript the controls would do nothing.
    return (
        f'<form id="ranking-filters" class="hrdd-filters" data-tables="{" ".join(table_ids)}" '
        'aria-label="Filter the ranking" hidden>'
        + select("sector", "Sector", "All sectors", ((s, names[s]) for s in sectors))
        + select("country", "Country", "All countries", ((c, c) for c in countries))
        + select("assessor", "Assessor", "All assessors", ((t, ASSESSOR_LABEL[t]) for t in assessors))
        + '<p id="filter-status" class="hrdd-filter-status" role="status" aria-live="polite"></p>'
        "</form>"
    )


def ranking(site: Site) -> str:
    card = site.card
    here = RANKING
    edition = card.edition
    entries = card.edition_entries()
    frameworks = card.edition_frameworks()
    multi = len(frameworks) > 1
    sectored = any(fw.sectors for fw in frameworks)
    by_what = "core score across sectors and by sector score within each sector" if sectored else "total score"
    intro = block(
        f"<h1>Ranking{f' {edition}' if edition else ''}</h1>"
        f"<p>Companies assessed independently are ranked by {by_what}; equal scores share a rank. "
        "Category scores follow the total. Click a column heading to sort, and use the filters to narrow "
        "the list. Self-assessments are the companies' own claims: they are listed separately and "
        f"not ranked. How scores are computed: {site.a(here, METHODOLOGY, 'methodology')}.</p>",
        id_="ranking-intro",
    )
    if not entries:
        return document(
            front_matter("Ranking", hide=("navigation",)),
            intro,
            block("<p>No assessment has been published yet.</p>", id_="ranking-empty"),
        )
    independent_tables, self_tables, ids = [], [], []
    for fw in frameworks:
        suffix = f"-{fw_token(fw)}" if multi else ""
        of_fw = [e for e in entries if e.framework.key == fw.key]
        indep = [e for e in of_fw if not e.is_self]
        selfs = [e for e in of_fw if e.is_self]
        name = f" ({fw_name(fw)})" if multi else ""
        if indep and fw.sectors:
            parts, table_ids = _sector_ranking_tables(site, here, fw, indep, suffix, name)
            independent_tables.append("".join(parts))
            ids += table_ids
        elif indep:
            ids.append(f"ranking-independent{suffix}")
            independent_tables.append(
                _ranking_table(
                    site, here, fw, indep, ids[-1], f"Independent assessments {edition}{name}, ranked by total score"
                )
            )
        if selfs:
            self_tables.append(
                _ranking_table(site, here, fw, selfs, "ranking-self", f"Self-assessments {edition}{name}, not ranked")
            )
    # Self-assessments are not ranked, so versions need no tables of their own: one table, with
    # each one's framework version when they differ (issue 16).
    if len(self_tables) > 1:
        every_self = [e for e in entries if e.is_self]
        self_tables = [
            _ranking_table(
                site,
                here,
                every_self[0].framework,
                every_self,
                "ranking-self",
                f"Self-assessments {edition}, not ranked (framework versions differ: totals only)",
                mixed=True,
            )
        ]
    if self_tables:
        ids.append("ranking-self")
    blocks = [
        front_matter("Ranking", hide=("navigation",)),
        intro,
        _mixed_versions_notice(site, here),
        _sector_ranking_notice(site, here),
        block(_filters(entries, ids), id_="ranking-controls"),
        heading(2, "Independent assessments", "independent"),
        detached(
            block(
                *(independent_tables or ["<p>No independent assessment was published for this edition.</p>"]),
                cls="hrdd-wide",
                id_="independent-tables",
            )
        ),
        heading(2, "Self-assessments", "self-assessments"),
        detached(
            block(
                "<p>Published by the companies themselves and not checked by an independent assessor.</p>",
                *(self_tables or ["<p>No self-assessment was published for this edition.</p>"]),
                cls="hrdd-wide",
                id_="self-tables",
            )
        ),
    ]
    missing = [r for r in card.companies if edition not in r.cycles]
    if missing:
        items = "".join(
            f'<li data-company="{esc(r.slug)}">{site.a(here, company_page(r.slug), r.company.name)}'
            f"{fictional_tag(r)}: latest published assessment {r.latest_cycle}</li>"
            for r in missing
        )
        blocks += [
            heading(2, f"Not assessed in {edition}", "not-in-edition"),
            detached(block(f"<ul>{items}</ul>", id_="not-in-edition-list")),
        ]
    return document(*blocks)


# --- companies index -----------------------------------------------------------------------


def companies_index(site: Site) -> str:
    here = COMPANIES
    records = sorted(site.card.companies, key=lambda r: (r.company.name.casefold(), r.slug))
    # With sectors, the core score is the one that compares across the list.
    sectored = any(fw.sectors for fw in site.card.shown_frameworks())
    rows = []
    for r in records:
        e = r.primary(r.latest_cycle)
        c = r.company
        rows.append(
            f"<tr {_row_attrs(e)}>"
            f'<th scope="row">{site.a(here, company_page(r.slug), c.name, cls="hrdd-company-link")}'
            f"{fictional_tag(r)}</th>"
            f'<td data-col="sector">{esc(sector_name(e.framework, c.sector))}</td>'
            f'<td data-col="country">{esc(c.country)}</td>'
            f'<td class="hrdd-num" data-col="cycle" data-value="{e.cycle}">{e.cycle}</td>'
            f'<td data-col="assessor">{ASSESSOR_LABEL[e.facts.assessor.type]}</td>'
            f"{_num_td(e.score.total, 'total')}"
            f"{_num_td(e.score.core_total, 'core') if sectored else ''}</tr>"
        )
    head = (
        _th("Company", sort="text", col="company")
        + _th("Sector", sort="text", col="sector")
        + _th("Country", sort="text", col="country")
        + _th("Latest cycle", sort="number", col="cycle", cls="hrdd-num")
        + _th("Assessed by", sort="text", col="assessor")
        + _th("Total (sector score)" if sectored else "Total", sort="number", col="total", cls="hrdd-num")
        + (_th("Core score", sort="number", col="core", cls="hrdd-num") if sectored else "")
    )
    table = (
        f'<table id="companies-table" data-sortable>{_caption("Every company with a published assessment")}'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        if rows
        else "<p>No assessment has been published yet.</p>"
    )
    return document(
        front_matter("Companies"),
        block(
            "<h1>Companies</h1><p>Every company with a published assessment, with its latest total. A total "
            "from a self-assessment is the company's own claim."
            + (
                " A sector score compares only within its sector; the core score compares across sectors.</p>"
                if sectored
                else "</p>"
            ),
            id_="companies",
        ),
        # Not the h1: Material adds a title of its own to a page whose content has none.
        detached(block(table, id_="companies-list")),
    )


# --- company pages -------------------------------------------------------------------------


def company(site: Site, record: CompanyRecord) -> str:
    """A company's overview: its latest cycle without the answers (template ``hrdd/company.html``;
    the answers are on ``company_answers``'s page, hrdd.site.pages.overview says why)."""
    here = company_page(record.slug)
    cycle = record.latest_cycle
    primary = record.primary(cycle)
    other = record.self_assessment(cycle) if not primary.is_self else None
    extra = {
        "headline": overview.headline(site, here, record),
        "narrative": overview.narrative_sections(primary.assessment, primary.framework),
        "indicator_rows": overview.indicator_rows(
            site, here, primary, other, overview.previous_independent(record, cycle) if not primary.is_self else None
        ),
        "answers_href": site.link(here, overview.answers_page(record.slug)),
    }
    view = _company_view(site, record, cycle, with_answers=False)
    return render_template(site.theme_dir, site.theme_key, "company.html", {"page": view, "ov": extra})


def company_answers(site: Site, record: CompanyRecord, n: int = 1) -> str:
    """The ``n``-th page of a company's latest answers with their evidence
    (``hrdd/company_answers.html``; hrdd.site.pages.overview.answer_chunks pages them)."""
    here = overview.answers_page(record.slug, n)
    view = _company_view(site, record, record.latest_cycle, with_answers=False, here=here)
    primary = record.primary(record.latest_cycle)
    other = record.self_assessment(record.latest_cycle) if not primary.is_self else None
    chunks = overview.answer_chunks(primary)
    indicators = overview.chunk_indicators(site, here, primary, other, chunks[n - 1])
    view = dataclasses.replace(view, sections=dataclasses.replace(view.sections, indicators=indicators))
    extra = {
        "overview_href": site.link(here, company_page(record.slug)),
        "pages": overview.answers_pager(site, here, primary, chunks, n),
        "sources": overview.cited_sources(primary, chunks[n - 1]),
    }
    with collection_paused():  # its view model is thousands of objects (hrdd.site.templates)
        return render_template(site.theme_dir, site.theme_key, "company_answers.html", {"page": view, "ov": extra})


def company_cycle(site: Site, record: CompanyRecord, cycle: int) -> str:
    """The small page an earlier cycle keeps at its old address: its scores and answers in compact
    form, pointing to its own edition and the downloads (template ``hrdd/company_cycle.html``)."""
    here = company_page(record.slug, cycle)
    json_href = site.link(here, company_json_path(record.slug))
    return render_template(
        site.theme_dir,
        site.theme_key,
        "company_cycle.html",
        {
            "page": _company_view(site, record, cycle, with_answers=False),
            "earlier": overview.earlier_cycle(site, here, record, cycle, json_href),
        },
    )


def _company_view(
    site: Site, record: CompanyRecord, cycle: int, with_answers: bool = True, here: str = ""
) -> company_view.CompanyPage:
    latest = cycle == record.latest_cycle
    here = here or company_page(record.slug, None if latest else cycle)
    return company_view.CompanyPage(
        name=record.company.name,
        title=company_view.page_title(record, cycle),
        cycle=cycle,
        latest_cycle=record.latest_cycle,
        latest_href=company_view.latest_href(site, here, record),
        fictional=record.company.fictional,
        company=company_view.company_facts(record),
        sections=_cycle_sections(site, here, record, cycle, with_answers),
        reply=company_view.reply(site, here, record) if latest else None,
        history=company_view.history(site, here, record) if latest else None,
        data=company_view.company_data(site, here, record) if latest else None,
    )


def _cycle_sections(
    site: Site, here: str, record: CompanyRecord, cycle: int, with_answers: bool = True
) -> company_view.Sections:
    primary = record.primary(cycle)
    other = record.self_assessment(cycle) if not primary.is_self else None
    incidents = [(primary, i) for i in primary.assessment.incidents]
    if other is not None:
        incidents += [(other, i) for i in other.assessment.incidents]
    return company_view.Sections(
        heading=f"{cycle} self-assessment" if primary.is_self else f"{cycle} assessment",
        primary=company_view.assessment_facts(site, here, primary),
        other=company_view.assessment_facts(site, here, other) if other is not None else None,
        standing=company_view.standing(site, here, primary),
        scores=company_view.scores(primary, other),
        indicators=company_view.indicators(site, here, primary, other)
        if with_answers
        else company_view.Indicators(primary.assessment, None, primary.is_self, other is not None, []),
        disagreements=company_view.disagreements(disagreements(primary, other), primary, other)
        if other is not None
        else None,
        incidents=company_view.incidents(site, here, incidents),
    )


def disagreements(primary: Entry, other: Entry) -> list[tuple[str, str, str | None, str]]:
    """(element, level, independent answer, self answer) where both answered differently."""
    theirs = {(es.element, es.level): es for es in other.score.elements if es.answer is not None}
    found = []
    for es in primary.score.elements:
        mine = theirs.get((es.element, es.level))
        if mine is not None and mine.answer != es.answer:
            found.append((es.element, es.level, es.answer, mine.answer or ""))
    return found


# --- indicator pages -----------------------------------------------------------------------


def indicators_index(site: Site) -> str:
    here = INDICATORS
    parts = ["<h1>Indicators</h1><p>Every indicator of the framework, with the edition's scores.</p>"]
    frameworks = site.card.edition_frameworks()
    if not frameworks:
        parts.append(f"<p>No edition has been published yet; see the {site.a(here, METHODOLOGY, 'methodology')}.</p>")
    for fw in frameworks:
        entries = [e for e in site.card.edition_entries() if e.framework.key == fw.key and not e.is_self]
        rows = []
        for ind in fw.all_indicators():
            scores = [e.score.indicators[ind.id].score for e in entries]
            known = [s for s in scores if s is not None]
            average = (
                (sum(known, Decimal(0)) / len(known)).quantize(Decimal(1).scaleb(-fw.rounding.decimals))
                if known
                else None
            )
            category = next((c.title for c in fw.categories if c.id == ind.category), ind.category)
            indent = ' class="hrdd-sub"' if ind.parent else ""
            top = fw.indicator(ind.parent) if ind.parent else ind
            applies = f"<td>{esc(_applies_text(fw, top or ind))}</td>" if fw.sectors else ""
            rows.append(
                f'<tr data-indicator="{esc(ind.id)}" data-average="{data_num(average)}">'
                f'<th scope="row"{indent}>{site.indicator_link(here, fw, ind.id, f"{ind.id} · {ind.title}")}</th>'
                f"<td>{esc(category)}</td>{applies}{_num_td(average, 'average')}</tr>"
            )
        head = _th("Indicator", sort="text") + _th("Category", sort="text")
        head += _th("Applies to", sort="text") if fw.sectors else ""
        head += _th("Mean of independent scores", sort="number", cls="hrdd-num")
        parts.append(
            f'<table id="indicators-{fw_token(fw)}" data-sortable>'
            f"{_caption(f'Indicators of {fw_name(fw)}, edition {site.card.edition}')}"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    return document(front_matter("Indicators"), block(*parts, id_="indicators"))


def _indicator_facts(site: Site, here: str, fw: Framework, ind: Indicator) -> str:
    category = next((c for c in fw.categories if c.id == ind.category), None)
    facts = f"<dt>Framework</dt><dd>{site.a(here, METHODOLOGY, fw_name(fw), f'{fw_token(fw)}-{ind.id}')}</dd>"
    if category is not None:
        facts += f"<dt>Category</dt><dd>{esc(category.title)}</dd>"
    if ind.parent:
        facts += f"<dt>Part of</dt><dd>{site.indicator_link(here, fw, ind.parent)}</dd>"
    if fw.sectors:
        facts += f"<dt>Applies to</dt><dd>{esc(_applies_text(fw, ind))}</dd>"
    facts += f"<dt>Scored for</dt><dd>{esc(SCOPE_LABEL[ind.scope])}</dd>"
    facts += f"<dt>Weight</dt><dd>{esc(ind.weight)}</dd>"
    if ind.ungp:
        facts += f"<dt>UN Guiding Principles</dt><dd>{esc(ungp_refs(ind.ungp))}</dd>"
    return f'<dl class="hrdd-facts">{facts}</dl>'


def indicator(site: Site, fw: Framework, ind: Indicator, here: str) -> str:
    entries = [e for e in site.card.edition_entries() if e.framework.key == fw.key]
    # Only the companies the indicator applies to (a module's sectors, minus exclusions).
    entries = [e for e in entries if fw.indicator_applies_to_sector(ind, e.facts.company.sector)]
    entries = _ranked([e for e in entries if not e.is_self]) + _ranked([e for e in entries if e.is_self])
    head = block(
        f"<h1>{esc(ind.id)} · {esc(ind.title)}</h1>",
        _indicator_facts(site, here, fw, ind),
        id_="indicator",
        attrs=f'data-indicator="{esc(ind.id)}" data-framework="{esc(fw.key)}"',
    )
    blocks = [front_matter(f"{ind.id} · {ind.title}", boost=1.5), head]
    if ind.standard:
        blocks += [heading(2, "Standard", "standard"), block(paragraphs(ind.standard), id_="indicator-standard")]
    if ind.guidance:
        blocks += [heading(2, "Guidance", "guidance"), block(paragraphs(ind.guidance), id_="indicator-guidance")]
    if ind.is_family:
        subs = "".join(
            f"<li>{site.indicator_link(here, fw, s.id, f'{s.id} · {s.title}')}</li>" for s in ind.subindicators
        )
        blocks += [heading(2, "Sub-indicators", "subindicators"), block(f"<ul>{subs}</ul>", id_="subindicator-list")]
    else:
        blocks += [heading(2, "Elements", "elements"), block(_element_list(fw, ind), id_="element-list")]
    blocks += [
        heading(2, f"Scores {site.card.edition}", "scores"),
        detached(_indicator_scores(site, here, fw, ind, entries)),
    ]
    if not ind.is_family:
        blocks += [heading(2, "Answers", "answers"), _indicator_answers(site, here, fw, ind, entries)]
    return document(*blocks)


def _exclusion_text(fw: Framework, excl: Exclusion) -> str:
    if not excl:
        return ""
    names = [next((t.label for t in fw.company_types if t.id == c), c) for c in sorted(excl.company_types)]
    names += [kind.label if (kind := fw.level_kind(k)) else k for k in sorted(excl.level_kinds)]
    names += [f"{sector_name(fw, sector)} companies" for sector in sorted(excl.sectors)]
    return f"Not asked of: {', '.join(names)}."


def _element_list(fw: Framework, ind: Indicator) -> str:
    items = []
    for el in ind.elements:
        notes = [ungp_refs(el.ungp)] if el.ungp else []
        if el.reversed:
            notes.append("Reversed: this element asks about a harmful practice, so a yes scores low.")
        if el.excluded:
            notes.append(_exclusion_text(fw, el.excluded))
        items.append(
            f'<li id="el-{esc(el.id)}" data-element="{esc(el.id)}"><p><strong>{esc(el.id)}</strong> {esc(el.text)}</p>'
            + (f'<div class="hrdd-guidance">{paragraphs(el.guidance)}</div>' if el.guidance else "")
            + (f'<p class="hrdd-notes">{esc(" ".join(notes))}</p>' if notes else "")
            + "</li>"
        )
    return f'<ol class="hrdd-elements">{"".join(items)}</ol>'


def _indicator_scores(site: Site, here: str, fw: Framework, ind: Indicator, entries: Sequence[Entry]) -> str:
    if not entries:
        return block("<p>No assessment has been published for this edition.</p>", id_="indicator-scores")
    rows = []
    for e in entries:
        s = e.score.indicators[ind.id]
        page = company_page(e.slug)
        answers_at = overview.answers_page_of(e, ind.id)
        rows.append(
            f'<tr {_row_attrs(e)} data-score="{data_num(s.score)}">'
            f"{_company_cell(site, here, e, page)}"
            f'<td data-col="assessor">{ASSESSOR_LABEL[e.facts.assessor.type]}</td>'
            f"{_num_td(s.score, 'score')}"
            + ("" if ind.is_family else f"{_num_td(s.company_side, 'company_side')}{_num_td(s.unit_side, 'unit_side')}")
            + f"<td>{site.a(here, answers_at, 'answers and evidence', f'i-{ind.id}')}</td></tr>"
        )
    head = _th("Company", sort="text") + _th("Assessed by", sort="text") + _th("Score", sort="number", cls="hrdd-num")
    if not ind.is_family:
        head += _th("Company side", sort="number", cls="hrdd-num") + _th("Units", sort="number", cls="hrdd-num")
    head += _th("Details")
    return block(
        f'<table id="indicator-scores-table" data-sortable>'
        f"{_caption(f'Scores on {ind.id}, edition {site.card.edition}; self-assessments are labelled')}"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>",
        id_="indicator-scores",
        cls="hrdd-wide",
    )


def _indicator_answers(site: Site, here: str, fw: Framework, ind: Indicator, entries: Sequence[Entry]) -> str:
    if not entries:
        return ""
    head = _th("Company") + _th("Level") + "".join(_th(esc(el.id)) for el in ind.elements)
    rows = []
    # A cell is the same for every company giving the same answer, but for its link: the
    # parts around the link are made once per answer (a thousand companies share a few).
    # Escaping the URL and the anchor apart gives the same text: neither has white space at
    # the join.
    parts: dict[tuple[str, str, str | None, str], tuple[str, str]] = {}

    def cell_parts(el: Element, lv_id: str, es: ElementScore) -> tuple[str, str]:
        key = (el.id, lv_id, es.answer, data_num(es.points))
        found = parts.get(key)
        if found is None:
            found = parts[key] = (
                f'<td data-element="{esc(el.id)}" data-answer="{esc(es.answer or "")}" '
                f'data-points="{key[3]}"><a href="',
                f'{esc(f"#a-{el.id}-{lv_id}")}">{esc(_answer_label(fw, es.answer))}</a></td>',
            )
        return found

    for e in entries:
        by_key = e.points
        # The company page's URL once; each answer links to its own row there.
        page_url = esc(site.link(here, overview.answers_page_of(e, ind.id)))
        for lv in e.facts.levels:
            if not any((el.id, lv.id) in by_key for el in ind.elements):
                continue
            cells = []
            for el in ind.elements:
                es = by_key.get((el.id, lv.id))
                if es is None:
                    cells.append('<td class="hrdd-na">not asked</td>')
                    continue
                before, after = cell_parts(el, lv.id, es)
                cells.append(before + page_url + after)
            rows.append(
                f'<tr data-company="{esc(e.slug)}" data-assessor="{e.facts.assessor.type}" '
                f'data-level="{esc(lv.id)}"><th scope="row">{esc(e.facts.company.name)}{self_tag(e)}</th>'
                f"<td>{esc(lv.name)}</td>{''.join(cells)}</tr>"
            )
    return detached(
        block(
            "<p>Each company's answer to each element, by level. Follow an answer to see its evidence.</p>",
            f'<table id="indicator-answers-table">{_caption(f"Answers on {ind.id} by company and level")}'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>",
            id_="indicator-answers",
            cls="hrdd-wide",
        )
    )


# --- methodology ---------------------------------------------------------------------------


def methodology(site: Site) -> str:
    blocks = [
        front_matter("Methodology"),
        block(
            "<h1>Methodology</h1><p>How every score on this site is computed, generated from the framework "
            "files themselves. The scoring code applies exactly these rules.</p>",
            id_="methodology",
        ),
    ]
    blocks += _framework_versions(site)
    for fw in site.card.shown_frameworks():
        blocks += _framework_method(site, fw)
    return document(*blocks)


def _mixed_versions_notice(site: Site, here: str) -> str:
    """Said wherever an edition's assessments answer several framework versions."""
    if not site.multi_framework:
        return ""
    entries = site.card.edition_entries()
    counts = []
    for fw in site.card.edition_frameworks():
        n = sum(1 for e in entries if e.framework.key == fw.key)
        counts.append(f"{fw_name(fw)} ({n} assessment{'s' if n != 1 else ''})")
    return _notice(
        "Mixed framework versions",
        f"<p>The {site.card.edition} assessments answer {esc(' and '.join(counts))}. Totals on different versions "
        "are not comparable (indicators were added, changed or removed between them), so each version is ranked "
        "in its own table and no total is ranked or subtracted across versions. "
        f"{site.a(here, METHODOLOGY, 'How versions compare', 'framework-versions')}.</p>",
        id_="mixed-versions",
    )


def _previous_version(frameworks: Sequence[Framework], fw: Framework) -> Framework | None:
    older = [o for o in frameworks if o.id == fw.id and version_key(o.version) < version_key(fw.version)]
    return max(older, key=lambda o: version_key(o.version)) if older else None


def _framework_versions(site: Site) -> list[str]:
    here = METHODOLOGY
    card = site.card
    shown = card.shown_frameworks()
    in_edition = {fw.key for fw in card.edition_frameworks()}
    rows = []
    for fw in shown:
        entries = [e for e in card.entries if e.framework.key == fw.key]
        cycles = ", ".join(str(c) for c in sorted({e.cycle for e in entries}))
        used = (
            f"{cycles} ({len(entries)} assessment{'s' if len(entries) != 1 else ''})"
            if entries
            else "no published assessment"
        )
        previous = _previous_version(shown, fw)
        compare = (
            esc(comparability_text(compare_frameworks(previous, fw), previous, fw))
            if previous is not None
            else "The first version used on this site."
        )
        if fw.changelog:
            compare += " " + site.a(here, METHODOLOGY, "Changelog", f"{fw_token(fw)}-changelog")
        rows.append(
            f'<tr data-framework="{esc(fw.key)}" data-in-edition="{str(fw.key in in_edition).lower()}">'
            f'<th scope="row">{site.a(here, METHODOLOGY, fw_name(fw), fw_token(fw))}</th>'
            f"<td>{_date(fw.released)}</td><td>{esc(used)}</td><td>{compare}</td></tr>"
        )
    head = _th("Version") + _th("Released") + _th("Used by") + _th("Compared with the previous version")
    return [
        heading(2, "Framework versions", "framework-versions"),
        _mixed_versions_notice(site, here),
        block(
            f'<table id="framework-versions-table">{_caption("Framework versions used on this site")}'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>",
            "<p>Scores compare only within one framework version. A newer version's changelog says, indicator by "
            "indicator, what changed: a <em>renamed</em> indicator keeps its meaning and compares under its new id; a "
            "<em>changed</em> or <em>added</em> one does not compare with earlier versions; a <em>removed</em> one "
            "drops out. So:</p><ul>"
            "<li>a company's change between cycles on different versions is measured only on the indicators that "
            "compare, with the total recomputed over those indicators, and its page names the indicators left out;</li>"
            "<li>when one edition's assessments answer different versions, each version is ranked in its own table: "
            "a total over a different set of indicators is a different measure.</li></ul>",
            id_="framework-versions-list",
            cls="hrdd-wide",
        ),
    ]


COMPARABLE_LABEL = {
    "renamed": "yes, under the new id",
    "changed": "no",
    "added": "no (new indicator)",
    "removed": "no (dropped)",
    "moved": "yes, for companies of the module's sectors",
}


def _framework_method(site: Site, fw: Framework) -> list[str]:
    t = fw_token(fw)
    about = []
    if fw.publisher:
        about.append(f"<dt>Publisher</dt><dd>{esc(fw.publisher)}</dd>")
    if fw.released:
        about.append(f"<dt>Released</dt><dd>{_date(fw.released)}</dd>")
    if fw.licence:
        about.append(f"<dt>Licence</dt><dd>{esc(fw.licence)}</dd>")
    if fw.attribution_text:
        credit = ext_link(fw.attribution_url, fw.attribution_text) if fw.attribution_url else esc(fw.attribution_text)
        about.append(f"<dt>Credit</dt><dd>{credit}</dd>")
    return [
        block(
            f'<h2 id="{t}">{esc(fw_name(fw))}</h2>',
            paragraphs(fw.summary),
            f'<dl class="hrdd-facts">{"".join(about)}</dl>' if about else "",
            attrs=f'data-framework="{esc(fw.key)}"',
        ),
        heading(3, "Answer scale", f"{t}-answers"),
        _answer_scale(fw),
        heading(3, "Levels and scopes", f"{t}-levels"),
        _levels_and_scopes(fw),
        heading(3, "How scores are combined", f"{t}-aggregation"),
        _aggregation(fw),
        *_sectors_method(site, fw),
        heading(3, "Categories, indicators and elements", f"{t}-indicators"),
        block(*(_category_method(site, fw, cat) for cat in fw.categories), attrs=f'data-framework="{esc(fw.key)}"'),
        *_changelog(fw),
    ]


def _points(value: Decimal | None) -> str:
    return "left out (N/A)" if value is None else str(value)


def _answer_scale(fw: Framework) -> str:
    rows = "".join(
        f'<tr data-answer="{esc(o.id)}" data-points="{data_num(o.points)}" '
        f'data-reversed-points="{data_num(o.reversed_points)}">'
        f'<th scope="row">{esc(o.label)} <code>{esc(o.id)}</code></th>'
        f'<td class="hrdd-num">{_points(o.points)}</td><td class="hrdd-num">{_points(o.reversed_points)}</td>'
        f"<td>{'yes' if o.meets_requirement else 'no'}</td><td>{'yes' if o.needs_evidence else 'no'}</td>"
        f"<td>{paragraphs(o.description)}</td></tr>"
        for o in fw.answers
    )
    head = (
        _th("Answer")
        + _th("Points", cls="hrdd-num")
        + _th("Points on reversed elements", cls="hrdd-num")
        + _th("Meets a requirement")
        + _th("Needs evidence")
        + _th("Meaning")
    )
    return block(
        f"<p>Scores run from {fw.scale_min} to {fw.scale_max}. Each element is answered at each level it applies "
        "to, and the answer earns the points below. Reversed elements ask about a harmful practice, so they use "
        "the reversed points.</p>",
        f'<table id="{fw_token(fw)}-answer-table">{_caption(f"Answer scale of {fw_name(fw)}")}'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>",
    )


def _levels_and_scopes(fw: Framework) -> str:
    kinds = "".join(
        f'<tr><th scope="row">{esc(k.label)} <code>{esc(k.id)}</code></th>'
        f"<td>{'company side' if k.side == 'company' else 'unit'}</td>"
        f"<td>{esc(k.combine_as or '')}</td><td>{paragraphs(k.description)}</td></tr>"
        for k in fw.level_kinds
    )
    types = "".join(
        f"<li><strong>{esc(c.label)}</strong> <code>{esc(c.id)}</code>{paragraphs(c.description)}</li>"
        for c in fw.company_types
    )
    return block(
        "<p>A company is assessed at several levels: the company as a whole and, where the framework asks, each "
        "service or business unit. An indicator's scope says which levels it is scored on: company-side levels, "
        "unit levels, or both (the mean of the company-side mean and the unit mean). Levels that share a "
        "<em>combined as</em> name are averaged into one level first.</p>",
        f"<table>{_caption('Level kinds')}<thead><tr>{_th('Level kind')}{_th('Side')}{_th('Combined as')}"
        f"{_th('Description')}</tr></thead><tbody>{kinds}</tbody></table>",
        (f"<p>Company types, used to leave out elements that do not apply:</p><ul>{types}</ul>" if types else ""),
    )


def _aggregation(fw: Framework) -> str:
    r = fw.rounding
    when = (
        "every intermediate result (level, indicator, family, category) is rounded before it is used in the next step"
        if r.at == "every_stage"
        else "only the reported numbers are rounded; intermediate results keep full precision"
        if r.at == "final"
        else "no score is rounded (the published scores are unrounded); pages show them to that many places"
    )
    mode = "half up (0.5 rounds away from zero)" if r.mode == "half_up" else "half to even (banker's rounding)"
    cats = "".join(
        f'<tr data-category="{esc(c.id)}" data-weight="{esc(c.weight)}"><th scope="row">{esc(c.title)}</th>'
        f'<td class="hrdd-num">{esc(c.weight)}</td>'
        f'<td class="hrdd-num">{sum(1 for i in fw.indicators if i.category == c.id)}</td></tr>'
        for c in fw.categories
    )
    return block(
        "<ol>"
        "<li>An answer earns the points of the answer scale; N/A answers are left out of every mean.</li>"
        "<li>A level's score on an indicator is the mean of its element points, or for a staged indicator the share "
        "of stages it completes.</li>"
        "<li>An indicator's score is the mean over its scope's levels (see above).</li>"
        + (
            f'<li id="{fw_token(fw)}-flat-levels">The scores of '
            f"{esc(', '.join(i.id for i in fw.all_indicators() if i.id in fw.flat_levels))} are instead the plain "
            "mean of every level they are answered at, each level counted once (no sides, no combined levels).</li>"
            if fw.flat_levels
            else ""
        )
        + "<li>A family's score is the weighted mean of its sub-indicators; a category's score is the weighted mean of "
        "its indicators.</li>"
        f"<li>The total is {esc(TOTAL_LABEL[fw.total])}.</li>"
        "</ol>",
        f'<p id="{fw_token(fw)}-rounding" data-decimals="{r.decimals}" data-mode="{r.mode}" data-at="{r.at}">'
        f"Rounding: {r.decimals} decimal places, {esc(mode)}; {esc(when)}.</p>",
        f"<table>{_caption('Category weights')}<thead><tr>{_th('Category')}{_th('Weight', cls='hrdd-num')}"
        f"{_th('Indicators', cls='hrdd-num')}</tr></thead><tbody>{cats}</tbody></table>",
    )


def _category_method(site: Site, fw: Framework, cat: Category) -> str:
    members = [ind for ind in fw.indicators if ind.category == cat.id]
    return (
        f'<section class="hrdd-method-category" id="{fw_token(fw)}-cat-{esc(cat.id)}" data-category="{esc(cat.id)}">'
        f"<h4>{esc(cat.title)} <code>{esc(cat.id)}</code></h4>{paragraphs(cat.description)}"
        + "".join(_indicator_method(site, fw, ind) for ind in members)
        + "</section>"
    )


def _indicator_method(site: Site, fw: Framework, ind: Indicator) -> str:
    here = METHODOLOGY
    notes = [f"Scored for {SCOPE_LABEL[ind.scope]}.", f"Weight {ind.weight}."]
    if ind.ungp:
        notes.append(ungp_refs(ind.ungp) + ".")
    if ind.excluded:
        notes.append(_exclusion_text(fw, ind.excluded))
    if fw.sectors and ind.parent is None:
        notes.append(f"Applies to {_applies_text(fw, ind)}.")
    stages = ""
    if ind.method == "staged":
        items = "".join(
            f"<li>{esc(s.label)}: {'all of' if s.join == 'all' else 'any of'} {esc(', '.join(s.requires))}</li>"
            for s in ind.stages
        )
        stages = f"<p>Staged: the score is the share of stages completed, in order.</p><ol>{items}</ol>"
    page = site.indicator_page(fw, ind.id)
    link = f" {site.a(here, page, 'Scores and answers')}" if page else ""
    inner = (
        "".join(_indicator_method(site, fw, sub) for sub in ind.subindicators)
        if ind.is_family
        else _element_list(fw, ind)
    )
    return (
        f'<div class="hrdd-method-indicator" id="{fw_token(fw)}-{esc(ind.id)}" data-indicator="{esc(ind.id)}">'
        f"<h5>{esc(ind.id)} · {esc(ind.title)}</h5>"
        + (f'<div class="hrdd-standard">{paragraphs(ind.standard)}</div>' if ind.standard else "")
        + (f'<div class="hrdd-guidance">{paragraphs(ind.guidance)}</div>' if ind.guidance else "")
        + f'<p class="hrdd-notes">{esc(" ".join(notes))}{link}</p>{stages}{inner}</div>'
    )


def _changelog(fw: Framework) -> list[str]:
    if not fw.changelog:
        return []
    rows = "".join(
        f'<tr data-indicator="{esc(c.indicator)}" data-change="{esc(c.change)}">'
        f'<th scope="row">{esc(c.indicator)}</th><td>{esc(_change_text(fw, c))}</td><td>{esc(c.from_id or "")}</td>'
        f"<td>{esc(c.since or '')}</td><td>{esc(COMPARABLE_LABEL.get(c.change, ''))}</td><td>{esc(c.note)}</td></tr>"
        for c in fw.changelog
    )
    head = _th("Indicator") + _th("Change") + _th("From") + _th("Since") + _th("Comparable with earlier versions")
    head += _th("Note")
    return [
        heading(3, "Changes from earlier versions", f"{fw_token(fw)}-changelog"),
        block(
            f"<table>{_caption(f'Changelog of {fw_name(fw)}')}<thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        ),
    ]


# --- what changed --------------------------------------------------------------------------


def _short(commit: str) -> str:
    return commit[:12]


def _corrections(changes: EditionChanges) -> str:
    pub = changes.publication
    if pub is None:
        return block(
            "<p>This is a preview build, not a published edition. A published edition keeps a record of "
            "when it was published and of every correction made to it afterwards, shown here.</p>",
            id_="changelog-corrections",
            attrs='data-count="0" data-published=""',
        )
    first = f"<p>First published on {_date(pub.published)} (from commit <code>{esc(_short(pub.commit))}</code>).</p>"
    if not pub.corrections:
        return block(
            first,
            "<p>No correction since.</p>",
            id_="changelog-corrections",
            attrs=f'data-count="0" data-published="{esc(pub.published)}"',
        )
    rows = "".join(
        f'<tr data-date="{esc(c.date)}"><th scope="row">{_date(c.date)}</th><td>{esc(c.reason)}</td>'
        f"<td><code>{esc(_short(c.commit))}</code></td></tr>"
        for c in pub.corrections
    )
    n = len(pub.corrections)
    return block(
        first,
        f"<p>Republished {'once' if n == 1 else f'{n} times'} since, with the correction{'s' if n != 1 else ''} "
        "below. Every page of this edition shows the corrected data.</p>",
        f'<table id="corrections-table">{_caption("Corrections to this edition, oldest first")}'
        f"<thead><tr>{_th('Date')}{_th('Reason')}{_th('Built from commit')}</tr></thead><tbody>{rows}</tbody></table>",
        id_="changelog-corrections",
        attrs=f'data-count="{n}" data-published="{esc(pub.published)}"',
    )


def _additions(changes: EditionChanges) -> str:
    """Contributions by companies merged after the edition was published (``hrdd publish
    --merged``): listed apart from corrections, since the findings did not change."""
    additions = changes.additions
    if not additions:
        said = (
            "No addition since the edition was published."
            if changes.publication is not None
            else "This is a preview build, not a published edition."
        )
        return block(
            f"<p>{said} Self-assessments and replies that companies add to a published edition are listed "
            "here, apart from corrections: they do not change the findings.</p>",
            id_="changelog-additions",
            attrs='data-count="0"',
        )
    rows = "".join(
        f'<tr data-date="{esc(a.date)}" data-commit="{esc(a.commit)}"><th scope="row">{_date(a.date)}</th>'
        f"<td><ul>{''.join(f'<li>{esc(item)}</li>' for item in a.items)}</ul></td>"
        f"<td><code>{esc(_short(a.commit))}</code></td></tr>"
        for a in additions
    )
    return block(
        "<p>Added by the companies after the edition was published; the findings did not change.</p>",
        f'<table id="additions-table">{_caption("Additions to this edition, oldest first")}'
        f"<thead><tr>{_th('Date')}{_th('Added')}{_th('Built from commit')}</tr></thead><tbody>{rows}</tbody></table>",
        id_="changelog-additions",
        attrs=f'data-count="{len(additions)}"',
    )


def _new_companies(site: Site, here: str, changes: EditionChanges) -> str:
    if not changes.new:
        return block(f"<p>No company was assessed for the first time in {changes.edition}.</p>", id_="changelog-new")
    items = "".join(
        f'<li data-company="{esc(c.record.slug)}" data-total="{data_num(c.entry.score.total)}">'
        f"{site.a(here, company_page(c.record.slug), c.record.company.name)}{fictional_tag(c.record)}"
        f"{self_tag(c.entry)}: {num(c.entry.score.total)} on {esc(fw_name(c.entry.framework))}</li>"
        for c in changes.new
    )
    return block(f'<ul id="new-companies-list">{items}</ul>', id_="changelog-new")


def _score_changes(site: Site, here: str, changes: EditionChanges) -> str:
    again = [c for c in changes.companies if not c.is_new]
    if not again:
        return block("<p>No company was assessed before this edition's cycle.</p>", id_="changelog-scores")
    rows = []
    for c in again:
        page = company_page(c.record.slug)
        since = c.since
        name = f"{site.a(here, page, c.record.company.name)}{fictional_tag(c.record)}{self_tag(c.entry)}"
        if since is None:
            kind = "self-assessment" if c.entry.is_self else "independent assessment"
            rows.append(
                f'<tr data-company="{esc(c.record.slug)}" data-delta="" data-measured="none">'
                f'<th scope="row">{name}</th><td>no earlier {kind}</td>'
                f"{_num_td(c.entry.score.total)}<td>–</td><td></td></tr>"
            )
            continue
        text, delta = company_view.history_change_cell(since)
        measured = "totals" if since.same_version else "comparable-indicators"
        basis = (
            f"all of {esc(fw_name(since.after.framework))}"
            if since.same_version
            else f"{len(since.compared)} comparable indicators "
            f"({esc(fw_name(since.before.framework))} to {esc(fw_name(since.after.framework))}; "
            f"{site.a(here, page, 'which ones', 'history')})"
        )
        rows.append(
            f'<tr data-company="{esc(c.record.slug)}" data-delta="{data_num(delta)}" data-measured="{measured}" '
            f'data-compared="{esc(" ".join(since.compared))}" '
            f'data-not-compared="{esc(" ".join(since.not_compared))}">'
            f'<th scope="row">{name}</th><td>{since.before.cycle}: {num(since.before.score.total)}</td>'
            f'{_num_td(c.entry.score.total)}<td class="hrdd-num" data-value="{data_num(delta)}">{esc(text)}</td>'
            f"<td>{basis}</td></tr>"
        )
    head = _th("Company") + _th("Previous assessment") + _th(f"{changes.edition}", cls="hrdd-num")
    head += _th("Change", cls="hrdd-num") + _th("Measured on")
    return block(
        "<p>Each company against its previous assessment of the same kind. Where the framework version changed, "
        "the totals do not compare: the change is measured only on the indicators that stayed comparable, and "
        "the company's page names them.</p>",
        f'<table id="score-changes-table" data-sortable>{_caption("Score changes by company")}'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>",
        id_="changelog-scores",
        cls="hrdd-wide",
    )


def comparability_text(comparison: Comparison, old: Framework, new: Framework) -> str:
    """One sentence: what of ``old`` stays comparable in ``new``, from ``new``'s changelog."""
    renamed = [f"{i} (was {o})" for i, o in comparison.comparable.items() if i != o]
    top = {i.id for i in new.indicators}
    comparable = [i for i in comparison.comparable if i in top]
    not_comparable = [f"{i} ({why})" for i, why in comparison.not_comparable.items() if i in top]
    parts = [f"{len(comparable)} of {len(top)} indicators of {fw_name(new)} compare with {fw_name(old)}"]
    if renamed:
        parts.append(f"renamed: {', '.join(renamed)}")
    if not_comparable:
        parts.append(f"not comparable: {', '.join(not_comparable)}")
    old_top = {i.id for i in old.indicators}
    removed = [i for i in comparison.removed if i in old_top]
    if removed:
        parts.append(f"removed: {', '.join(removed)}")
    return "; ".join(parts) + "."


def _framework_changes(site: Site, here: str, changes: EditionChanges) -> str:
    items = "".join(
        f'<li data-framework="{esc(fc.framework.key)}" data-previous="{esc(fc.previous.key)}">'
        f"{esc(comparability_text(fc.comparison, fc.previous, fc.framework))} "
        f"{site.a(here, METHODOLOGY, 'Changelog', f'{fw_token(fc.framework)}-changelog')}</li>"
        for fc in changes.frameworks
    )
    return block(
        f"<p>Assessments in {changes.edition} answer a newer framework version than those of "
        f"{changes.previous_cycle}:</p><ul>{items}</ul>",
        id_="changelog-frameworks",
    )


def changelog(site: Site, changes: EditionChanges) -> str:
    here = CHANGELOG
    edition = changes.edition
    previous = changes.previous_cycle
    since = f" since the previous cycle ({previous})" if previous else ""
    feed = f'<a href="{esc(site.link(here, FEED))}" type="application/atom+xml">Atom feed</a>'
    intro = block(
        f"<h1>What changed{f' in {edition}' if edition else ''}</h1>",
        (
            f"<p>What is new in the {edition} edition{since}: companies assessed for the first time, how each "
            "company's score changed (measured only on indicators that stayed comparable between framework "
            "versions), and every correction made to this edition after it was published. Also available as an "
            f"{feed}.</p>"
            if edition
            else "<p>No assessment has been published yet.</p>"
        ),
        id_="changelog",
        attrs=f'data-edition="{edition or ""}" data-previous-cycle="{previous or ""}"',
    )
    blocks = [front_matter("What changed", hide=("navigation",)), intro]
    if edition is None:
        return document(*blocks)
    blocks += [
        heading(2, "Corrections", "corrections"),
        _corrections(changes),
        heading(2, "Additions by companies", "additions"),
        _additions(changes),
        heading(2, "New companies", "new-companies"),
        _new_companies(site, here, changes),
        heading(2, f"Score changes since {previous}" if previous else "Score changes", "score-changes"),
        _score_changes(site, here, changes),
    ]
    if changes.not_reassessed:
        items = "".join(
            f'<li data-company="{esc(r.slug)}">{site.a(here, company_page(r.slug), r.company.name)}'
            f"{fictional_tag(r)}: latest published assessment {r.latest_cycle}</li>"
            for r in changes.not_reassessed
        )
        blocks += [
            heading(2, f"Not assessed again in {edition}", "not-reassessed"),
            block(f"<ul>{items}</ul>", id_="changelog-not-reassessed"),
        ]
    if changes.frameworks:
        blocks += [
            heading(2, "Framework versions", "framework-changes"),
            _framework_changes(site, here, changes),
        ]
    return document(*blocks)


# --- downloads -----------------------------------------------------------------------------


def downloads(site: Site) -> str:
    here = DOWNLOADS
    files = [(t.path, t.title, t.description, "CSV") for t in TABLES]
    files.append(
        (SCORECARD_JSON, "Full dataset", "Every published assessment with scores, answers and evidence.", "JSON")
    )
    files.append((DATAPACKAGE_JSON, "Data package", "Frictionless description of the files above.", "JSON"))
    files.append((FEED, "What changed", "This edition's changes and corrections as an Atom feed.", "Atom"))
    if site.publication is not None:
        files.append(
            (CORRECTIONS_JSON, "Publication record", "When this edition was published and every correction.", "JSON")
        )
    rows = "".join(
        f'<tr data-file="{esc(path)}"><th scope="row">{site.a(here, path, title)}</th><td>{fmt}</td>'
        f"<td>{esc(description)}</td></tr>"
        for path, title, description, fmt in files
    )
    company_rows = "".join(
        f'<tr data-company="{esc(r.slug)}"><th scope="row">{site.a(here, company_page(r.slug), r.company.name)}'
        f"{fictional_tag(r)}</th>"
        f"<td>{site.a(here, company_json_path(r.slug), 'JSON')}</td>"
        f'<td><img class="hrdd-badge" src="{esc(site.link(here, badge_path(r.slug)))}" '
        f'alt="{esc(r.company.name)} score badge"> {site.a(here, badge_path(r.slug), "SVG")}</td></tr>'
        for r in site.card.companies
    )
    return document(
        front_matter("Downloads"),
        block(
            "<h1>Downloads</h1><p>The whole published dataset, free to reuse. Drafts and assessments under review "
            "are not included. Numbers are the same as on the pages and as <code>hrdd score --format json</code> "
            "prints.</p>",
            f'<table id="downloads-table">{_caption("Dataset files")}<thead><tr>{_th("File")}{_th("Format")}'
            f"{_th('Contents')}</tr></thead><tbody>{rows}</tbody></table>",
            id_="downloads",
        ),
        heading(2, "By company", "by-company"),
        block(
            "<p>One JSON file per company with every published assessment, and an SVG badge with its latest score "
            "for embedding (a self-assessed score says so on the badge).</p>",
            f'<table id="company-downloads">{_caption("Files by company")}<thead><tr>{_th("Company")}{_th("Data")}'
            f"{_th('Badge')}</tr></thead><tbody>{company_rows}</tbody></table>"
            if company_rows
            else "<p>No company yet.</p>",
            id_="company-files",
        ),
    )
