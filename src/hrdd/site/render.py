"""The site's pages, as Markdown files for MkDocs. Pure: a ``Scorecard`` in, ``Page`` strings out.

Every piece of data-driven content is a raw HTML block in which each string from a YAML file
went through ``esc`` (``html.escape``): raw HTML blocks are passed through by Markdown untouched,
so neither HTML nor Markdown syntax in an assessment can turn into markup, and MkDocs renders
raw HTML tables far faster than Markdown tables. Only fixed section headings are Markdown (they
feed the table of contents). Links between generated pages are relative URLs computed here,
because MkDocs does not rewrite links inside raw HTML. Only http(s) URLs become links.
"""

from __future__ import annotations

import functools
import json
import posixpath
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from hrdd.history import Comparison
from hrdd.load import version_key
from hrdd.models import (
    Category,
    Framework,
    Indicator,
)
from hrdd.sectors import competition_ranks, sector_name
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
from hrdd.site.pages import indicator as indicator_view
from hrdd.site.pages import methodology as methodology_view
from hrdd.site.pages.common import (
    ASSESSOR_LABEL,
    COMPANIES,
    GENERATED,
    HOME,
    INDICATORS,
    METHODOLOGY,
    RANKING,
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
from hrdd.site.templates import render as render_template

FEED = "changelog.xml"
"""The Atom feed of the changelog page (written by ``hrdd.site.feed``)."""
CORRECTIONS_JSON = "data/corrections.json"
"""A published edition's record of itself (``Publication``); only published editions have one."""
DOWNLOADS = "downloads.md"
ABOUT = "about.md"

HEADLINE_SIZE = 5
EXTERNAL_REL = "nofollow noopener"

COPE_LABEL = {
    "company": "the whole company (company-side levels)",
    "units": "each service or business unit (unit levels)",
    "both": "both sides: the mean of the company-side mean and the unit mean",
}
OTAL_LABEL = {
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
    return [company_page(record.slug), *(company_page(record.slug, cycle) for cycle in record.cycles[1:])]


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
        latest, *earlier = record_pages(record)
        makers.append((latest, functools.partial(company, site, record)))
        for earlier_page, cycle in zip(earlier, record.cycles[1:], strict=True):
            makers.append((earlier_page, functools.partial(company_cycle, site, record, cycle)))
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
    """A company's page: its latest cycle (template ``hrdd/company.html``)."""
    return render_template(
        site.theme_dir, site.theme_key, "company.html", {"page": _company_view(site, record, record.latest_cycle)}
    )


def company_cycle(site: Site, record: CompanyRecord, cycle: int) -> str:
    """The page of a company's earlier cycle (template ``hrdd/company_cycle.html``)."""
    return render_template(
        site.theme_dir, site.theme_key, "company_cycle.html", {"page": _company_view(site, record, cycle)}
    )


def _company_view(site: Site, record: CompanyRecord, cycle: int) -> company_view.CompanyPage:
    latest = cycle == record.latest_cycle
    here = company_page(record.slug, None if latest else cycle)
    return company_view.CompanyPage(
        name=record.company.name,
        title=company_view.page_title(record, cycle),
        cycle=cycle,
        latest_cycle=record.latest_cycle,
        latest_href=company_view.latest_href(site, here, record),
        fictional=record.company.fictional,
        company=company_view.company_facts(record),
        sections=_cycle_sections(site, here, record, cycle),
        reply=company_view.reply(site, here, record) if latest else None,
        history=company_view.history(site, here, record) if latest else None,
        data=company_view.company_data(site, here, record) if latest else None,
    )


def _cycle_sections(site: Site, here: str, record: CompanyRecord, cycle: int) -> company_view.Sections:
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
        indicators=company_view.indicators(site, here, primary, other),
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
    """The indicators index (template ``hrdd/indicators_index.html``)."""
    return render_template(
        site.theme_dir, site.theme_key, "indicators_index.html", {"page": indicator_view.indicators_index(site)}
    )


def indicator(site: Site, fw: Framework, ind: Indicator, here: str) -> str:
    """An indicator's page (template ``hrdd/indicator.html``)."""
    entries = [e for e in site.card.edition_entries() if e.framework.key == fw.key]
    # Only the companies the indicator applies to (a module's sectors, minus exclusions).
    entries = [e for e in entries if fw.indicator_applies_to_sector(ind, e.facts.company.sector)]
    entries = _ranked([e for e in entries if not e.is_self]) + _ranked([e for e in entries if e.is_self])
    page = indicator_view.indicator(site, fw, ind, here, entries)
    return render_template(site.theme_dir, site.theme_key, "indicator.html", {"page": page})


# --- methodology ---------------------------------------------------------------------------


def methodology(site: Site) -> str:
    """The methodology page (template ``hrdd/methodology.html``)."""
    page = methodology_view.methodology(site, comparability_text)
    return render_template(site.theme_dir, site.theme_key, "methodology.html", {"page": page})


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


OMPARABLE_LABEL = {
    "renamed": "yes, under the new id",
    "changed": "no",
    "added": "no (new indicator)",
    "removed": "no (dropped)",
    "moved": "yes, for companies of the module's sectors",
}


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
