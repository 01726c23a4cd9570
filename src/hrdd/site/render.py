"""The site's pages, as Markdown files for MkDocs. Pure: a ``Scorecard`` in, ``Page`` strings out.

Every page is rendered from a Jinja2 template of hrdd's theme layer (hrdd.site.templates; a
scorecard overrides any of them under its ``theme.custom_dir``) with a view model of
hrdd.site.pages: plain data, escaped by the templates' autoescaping (hrdd.site.escaping). Data
goes into raw HTML blocks, which Markdown passes through untouched, so neither HTML nor Markdown
syntax in an assessment can turn into markup, and MkDocs renders raw HTML tables far faster than
Markdown tables. Only fixed section headings are Markdown (they
feed the table of contents). Links between generated pages are relative URLs computed here,
because MkDocs does not rewrite links inside raw HTML. Only http(s) URLs become links.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from hrdd.models import (
    Framework,
    Indicator,
)
from hrdd.site import CompanyRecord, Entry, Scorecard
from hrdd.site.changes import (
    EditionChanges,
    edition_changes,
)
from hrdd.site.context import Site as Site
from hrdd.site.context import _relpath as _relpath
from hrdd.site.context import data_num as data_num
from hrdd.site.context import num as num
from hrdd.site.context import page_url as page_url
from hrdd.site.context import relative_url as relative_url
from hrdd.site.data import ELEMENTS
from hrdd.site.pages import answers as answers_view
from hrdd.site.pages import changes as changes_view
from hrdd.site.pages import companies as companies_view
from hrdd.site.pages import company as company_view
from hrdd.site.pages import downloads as downloads_view
from hrdd.site.pages import earlier as earlier_view
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
    HOME,
    INDICATORS,
    METHODOLOGY,
    RANKING,
)
from hrdd.site.pages.common import (
    company_page as company_page,
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
from hrdd.site.templates import collection_paused
from hrdd.site.templates import render as render_template


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    path: str
    """Path under the docs folder, e.g. ``companies/acme/index.md``."""
    text: str


def render_pages(site: Site, share: tuple[int, int] = (0, 1), skip: Collection[str] = ()) -> Iterator[Page]:
    """Every generated page of the site but those in ``skip``, one at a time (a company page
    runs to hundreds of kilobytes, and there are thousands); with ``share=(k, n)``, every
    n-th of them from the k-th (the build renders in n worker processes; each page is rendered
    by exactly one)."""
    k, n = share
    makers = [(path, make) for path, make in _page_makers(site) if path not in skip]
    return (Page(path=path, text=make()) for i, (path, make) in enumerate(makers) if i % n == k)


def record_pages(record: CompanyRecord, directory_urls: bool = True) -> list[str]:
    """The pages made from one company's assessments alone: its overview, the small file that
    answers at each earlier cycle's old address (``hrdd.site.pages.earlier``), its answers pages.
    What else they depend on is the site's settings and the edition's frameworks (their
    indicator pages), never another company (``hrdd.site.incremental`` relies on it)."""
    return [
        company_page(record.slug),
        *(earlier_view.stub_path(record.slug, cycle, directory_urls) for cycle in record.cycles[1:]),
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
        latest, *others = record_pages(record, site.directory_urls)
        makers.append((latest, functools.partial(company, site, record)))
        earlier, answers = others[: len(record.cycles) - 1], others[len(record.cycles) - 1 :]
        for earlier_page, cycle in zip(earlier, record.cycles[1:], strict=True):
            makers.append((earlier_page, functools.partial(company_cycle, site, record, cycle)))
        for n, answers_page in enumerate(answers, start=1):
            makers.append((answers_page, functools.partial(company_answers, site, record, n)))
    records = {record.slug: record for record in card.companies}
    found: dict[tuple[str, int], Mapping[str, Decimal | None]] = {}

    def measured_from(entry: Entry) -> Mapping[str, Decimal | None]:
        # A company's change on every indicator page, measured as its overview measures it: found
        # once per company (and process) for this build's pages, not once per page and company.
        key = (entry.slug, entry.cycle)
        if key not in found:
            previous = overview.previous_independent(records[entry.slug], entry.cycle)
            found[key] = overview.previous_scores(previous, entry)
        return found[key]

    for fw in card.edition_frameworks():
        for ind in fw.all_indicators():
            path = site.indicator_page(fw, ind.id)
            if path is not None:
                makers.append((path, functools.partial(indicator, site, fw, ind, path, measured_from)))
    return makers


def footer_credit(card: Scorecard, project_copyright: str | None, theme_dir: str = "", theme_key: str = "") -> str:
    """The footer line: the project's own copyright, then each framework's required attribution
    (template ``hrdd/footer_credit.html``)."""
    credit = footer_view.footer_credit(card, project_copyright)
    return render_template(theme_dir, theme_key, "footer_credit.html", {"credit": credit})


# --- shared pieces -------------------------------------------------------------------------


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
    rows = overview.indicator_rows(
        site, here, primary, other, overview.previous_independent(record, cycle) if not primary.is_self else None
    )
    extra = {
        "headline": overview.headline(site, here, record),
        "narrative": overview.narrative_sections(primary.assessment, primary.framework),
        "indicator_rows": rows,
        "with_change": overview.any_change(rows),
        "replies": overview.replies(site, here, primary) if not primary.is_self else [],
        "answers_href": site.link(here, overview.answers_page(record.slug)),
        "earlier": earlier_view.earlier(site, here, record),
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
        "levels": answers_view.level_labels(primary),
        # The elements' questions, filled in by scorecard.js from the published table rather than
        # written out on every company's page (issue #21 item 9).
        "elements_href": site.link(here, ELEMENTS.path),
    }
    with collection_paused():  # its view model is thousands of objects (hrdd.site.templates)
        return render_template(site.theme_dir, site.theme_key, "company_answers.html", {"page": view, "ov": extra})


def company_cycle(site: Site, record: CompanyRecord, cycle: int) -> str:
    """The small file an earlier cycle keeps at its old address: it sends the reader to the
    overview's table of earlier answers (template ``hrdd/company_cycle.html``)."""
    return render_template(
        site.theme_dir, site.theme_key, "company_cycle.html", {"stub": earlier_view.stub(site, record, cycle)}
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


def indicator(site: Site, fw: Framework, ind: Indicator, here: str, measured_from: indicator_view.MeasuredFrom) -> str:
    """An indicator's page (template ``hrdd/indicator.html``)."""
    entries = [e for e in site.card.edition_entries() if e.framework.key == fw.key]
    # Only the companies the indicator applies to (a module's sectors, minus exclusions).
    entries = [e for e in entries if fw.indicator_applies_to_sector(ind, e.facts.company.sector)]
    entries = _ranked([e for e in entries if not e.is_self]) + _ranked([e for e in entries if e.is_self])
    page = indicator_view.indicator(site, fw, ind, here, entries, measured_from)
    return render_template(site.theme_dir, site.theme_key, "indicator.html", {"page": page})


# --- methodology ---------------------------------------------------------------------------


def methodology(site: Site) -> str:
    """The methodology page (template ``hrdd/methodology.html``)."""
    page = methodology_view.methodology(site, comparability_text)
    return render_template(site.theme_dir, site.theme_key, "methodology.html", {"page": page})


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
