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
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from hrdd.models import (
    Framework,
    Indicator,
)
from hrdd.site import CompanyRecord, Entry, Scorecard
from hrdd.site.changes import (
    EditionChanges,
    Publication,
    edition_changes,
)
from hrdd.site.data import company_json_path
from hrdd.site.licence import DataLicence
from hrdd.site.pages import changes as changes_view
from hrdd.site.pages import companies as companies_view
from hrdd.site.pages import company as company_view
from hrdd.site.pages import downloads as downloads_view
from hrdd.site.pages import footer as footer_view
from hrdd.site.pages import home as home_view
from hrdd.site.pages import indicator as indicator_view
from hrdd.site.pages import methodology as methodology_view
from hrdd.site.pages import overview
from hrdd.site.pages import ranking as ranking_view
from hrdd.site.pages.changes import FEED as FEED
from hrdd.site.pages.changes import comparability_text as comparability_text
from hrdd.site.pages.common import (
    CHANGELOG as CHANGELOG,
)
from hrdd.site.pages.common import (
    COMPANIES,
    GENERATED,
    HOME,
    INDICATORS,
    METHODOLOGY,
    RANKING,
    fw_token,
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
from hrdd.site.pages.downloads import CORRECTIONS_JSON as CORRECTIONS_JSON
from hrdd.site.pages.downloads import DOWNLOADS as DOWNLOADS
from hrdd.site.pages.ranking import ranked as _ranked
from hrdd.site.pages.ranking import ranks as ranks
from hrdd.site.splice import detached
from hrdd.site.templates import collection_paused
from hrdd.site.templates import render as render_template

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
    data_licence: DataLicence | None = None
    """``extra.data_licence`` of mkdocs.yml (``hrdd.site.licence``): the Downloads page names it."""
    site_url: str = ""
    """The full address of this site's root, ending in ``/``: ``site_url`` of mkdocs.yml, plus
    the edition's folder on a published edition (``hrdd.siteurl.edition_url``); "" without one."""

    def address(self, path: str) -> str:
        """The full address of a docs file (a page or a download), or "" without ``site_url``."""
        return self.site_url + page_url(path, self.directory_urls) if self.site_url else ""

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


def footer_credit(card: Scorecard, project_copyright: str | None, theme_dir: str = "", theme_key: str = "") -> str:
    """The footer line: the project's own copyright, then each framework's required attribution
    (template ``hrdd/footer_credit.html``)."""
    credit = footer_view.footer_credit(card, project_copyright)
    return render_template(theme_dir, theme_key, "footer_credit.html", {"credit": credit})


# --- shared pieces -------------------------------------------------------------------------


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
    """The home page (template ``hrdd/home.html``)."""
    return render_template(site.theme_dir, site.theme_key, "home.html", {"page": home_view.home_page(site)})


# --- sectors -------------------------------------------------------------------------------
# A framework with sectors: the core score compares across sectors, the sector score within one.


# --- ranking -------------------------------------------------------------------------------


def ranking(site: Site) -> str:
    """The ranking page (template ``hrdd/ranking.html``)."""
    return render_template(site.theme_dir, site.theme_key, "ranking.html", {"page": ranking_view.ranking_page(site)})


# --- companies index -----------------------------------------------------------------------


def companies_index(site: Site) -> str:
    """The companies index (template ``hrdd/companies.html``)."""
    return render_template(
        site.theme_dir, site.theme_key, "companies.html", {"page": companies_view.companies_page(site)}
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
        share=company_view.share(record, cycle),
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


def changelog(site: Site, changes: EditionChanges) -> str:
    """The edition's What changed page (template ``hrdd/changes.html``)."""
    return render_template(
        site.theme_dir, site.theme_key, "changes.html", {"page": changes_view.changes_page(site, changes)}
    )


# --- downloads -----------------------------------------------------------------------------


def downloads(site: Site) -> str:
    """The Downloads page (template ``hrdd/downloads.html``)."""
    return render_template(
        site.theme_dir, site.theme_key, "downloads.html", {"page": downloads_view.downloads_page(site)}
    )
