"""The ranking page (``ranking.md``) as a view model for ``hrdd/ranking.html``: every ranking
table of the edition (by total, or for a framework with sectors by core score across sectors and
by sector score within each), the filters, the self-assessments and the companies not assessed
in the edition. Also the company rows the home page and the companies index share."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from hrdd.models import Category, Framework
from hrdd.sectors import competition_ranks, sector_name
from hrdd.site import Entry
from hrdd.site.data import company_json_path
from hrdd.site.movement import Movement, Place, average, movements
from hrdd.site.pages.common import (
    ASSESSOR_LABEL,
    METHODOLOGY,
    RANKING,
    _categories_for,
    _modules_text,
    _ranked_on,
    _sector_value,
    company_page,
    fw_name,
    fw_token,
)
from hrdd.site.pages.methodology import MixedVersions, mixed_versions

if TYPE_CHECKING:
    from hrdd.site.context import Site


# --- ordering ------------------------------------------------------------------------------


def ranked(entries: Iterable[Entry]) -> list[Entry]:
    """Highest total first; assessments without a total last; then by name."""
    return sorted(
        entries,
        key=lambda e: (e.score.total is None, -(e.score.total or 0), e.facts.company.name.casefold(), e.slug),
    )


def ranks(entries: Sequence[Entry]) -> list[int | None]:
    """Competition ranking (1, 2, 2, 4) of entries already in ranked order, on their totals."""
    return competition_ranks([e.score.total for e in entries])


def total_value(entry: Entry) -> Decimal | None:
    return entry.score.total


def core_value(entry: Entry) -> Decimal | None:
    return entry.score.core_total


# --- a company in a table --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CompanyRow:
    """What every table row about a company carries: its data attributes and its name cell
    (``ranking/macros.html``: ``row_attrs`` and ``company_cell``)."""

    slug: str
    cycle: int
    sector: str
    country: str
    assessor_type: str
    total: Decimal | None
    fictional: bool
    is_self: bool
    name: str
    href: str


def company_row(site: Site, here: str, entry: Entry) -> CompanyRow:
    c = entry.facts.company
    return CompanyRow(
        slug=c.slug,
        cycle=entry.cycle,
        sector=c.sector,
        country=c.country,
        assessor_type=entry.facts.assessor.type,
        total=entry.score.total,
        fictional=c.fictional,
        is_self=entry.is_self,
        name=c.name,
        href=site.link(here, company_page(entry.slug)),
    )


# --- the ranking page ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Row:
    company: CompanyRow
    rank: int | None
    sector: str
    """The sector's name."""
    country: str
    assessor: str
    assessor_label: str
    framework: str
    """The framework's name (a table of several framework versions only)."""
    total: Decimal | None
    core: Decimal | None
    sector_score: Decimal | None
    categories: list[Decimal | None]
    movement: Movement | None = None
    """Against the previous edition's ranking of the same scope (independent assessments only)."""
    rank_change: str = ""
    """The places gained since the previous edition as text (+2, -1, 0; "–" when unknown)."""
    score_change: str = ""
    """The score change since the previous edition as text; "–" when unknown or not comparable."""


@dataclass(frozen=True, slots=True)
class Table:
    """A ranking by total (``ranking/table.html``); self-assessments are listed, not ranked."""

    id: str
    caption: str
    framework: str
    """The framework's key; "" for a table of several framework versions (``mixed``)."""
    is_self: bool
    mixed: bool
    columns: list[Column]
    rows: list[Row]
    since: int | None = None
    """The previous edition, which the rank and score changes are against (None: no change columns)."""
    averages: list[Average] | None = None
    """Each sector's averages (independent assessments); None for the self-assessments."""


@dataclass(frozen=True, slots=True)
class Average:
    """A sector's mean scores in a ranking: of the total (or the sector score) and each category."""

    sector: str
    name: str
    count: int
    value: Decimal | None
    categories: list[Decimal | None]


@dataclass(frozen=True, slots=True)
class SectorTable:
    """A ranking of a framework with sectors (``ranking/sector_table.html``): across sectors on
    the core score (``sector`` is "") or within one sector on the sector score."""

    id: str
    heading_id: str
    heading: str
    intro: str
    caption: str
    framework: str
    sector: str
    columns: list[Column]
    rows: list[Row]
    since: int | None = None
    """The previous edition, which the rank and score changes are against (None: no change columns)."""
    averages: list[Average] | None = None
    """Each sector's averages (across sectors, of the core score) or the sector's own."""


@dataclass(frozen=True, slots=True)
class SectorTables:
    """The rankings of one framework with sectors: across sectors, then each sector's."""

    core_count: int
    tables: list[SectorTable]


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    text: str


@dataclass(frozen=True, slots=True)
class Filter:
    key: str
    label: str
    every: str
    options: list[Option]


@dataclass(frozen=True, slots=True)
class Missing:
    """A company with no assessment in the edition."""

    slug: str
    name: str
    href: str
    fictional: bool
    latest_cycle: int


@dataclass(frozen=True, slots=True)
class Comparable:
    """A company the compare view offers: its published data file holds the scores it shows."""

    slug: str
    name: str
    href: str
    json_href: str


@dataclass(frozen=True, slots=True)
class Compare:
    """The compare view: the edition's independently assessed companies, side by side in the
    browser from their published JSON files (``hrdd.site.data``)."""

    edition: int | None
    companies: list[Comparable]
    categories: list[Column]
    """The categories compared (of the edition's frameworks), by id and title."""
    indicators: list[Column]
    """The indicators compared, by id and "id title"."""


@dataclass(frozen=True, slots=True)
class RankingPage:
    edition: int | None
    by_what: str
    methodology_href: str
    empty: bool
    mixed_versions: MixedVersions | None
    sectors_href: str | None
    """The methodology's section on sectors, when an edition's framework has sectors (a notice)."""
    table_ids: list[str]
    filters: list[Filter]
    independent: list[Table | SectorTables]
    selfs: list[Table]
    missing: list[Missing]
    since: int | None = None
    """The previous edition, which rank and score changes are against (None: the first edition)."""
    compare: Compare | None = None


def previous_edition(site: Site) -> int | None:
    """The latest cycle before the edition with a published assessment: the previous edition."""
    edition = site.card.edition
    earlier = {e.cycle for e in site.card.entries if edition is not None and e.cycle < edition}
    return max(earlier, default=None)


def _moved(
    site: Site,
    fw: Framework,
    in_order: Sequence[Entry],
    value: Callable[[Entry], Decimal | None],
    sector: str = "",
) -> dict[str, Movement]:
    """The ranking ``in_order`` (by ``value``) against the rankings the previous edition published
    of the same scope: its independent assessments on the framework (one ranking per framework
    version, as that edition ranked them); for a sector's ranking, that sector's, when the
    previous edition ranked by sector."""
    since = previous_edition(site)
    then = [
        e
        for e in site.card.entries
        if since is not None and e.cycle == since and not e.is_self and e.framework.id == fw.id
        if not sector or (e.framework.sectors and e.facts.company.sector == sector)
    ]
    before = None
    if then:
        versions: dict[str, list[Entry]] = {}
        for e in then:
            versions.setdefault(e.framework.key, []).append(e)
        before = [
            [Place(e.slug, value(e), e.framework.key) for e in _ranked_on(group, value)] for group in versions.values()
        ]
    return movements([Place(e.slug, value(e), e.framework.key) for e in in_order], before)


def _averages(
    fw: Framework,
    entries: Sequence[Entry],
    value: Callable[[Entry], Decimal | None],
    categories: Sequence[Category],
) -> list[Average]:
    """Each sector's mean of ``value`` and of each category, sectors by name."""
    decimals = fw.rounding.decimals
    sectors = sorted({e.facts.company.sector for e in entries}, key=lambda s: sector_name(fw, s).casefold())
    out = []
    for sector in sectors:
        members = [e for e in entries if e.facts.company.sector == sector]
        out.append(
            Average(
                sector=sector,
                name=sector_name(fw, sector),
                count=len(members),
                value=average((value(e) for e in members), decimals),
                categories=[average((e.score.categories.get(c.id) for e in members), decimals) for c in categories],
            )
        )
    return out


def signed(value: Decimal | int | None) -> str:
    """A change as text: +2, -1.5, 0; "–" for none."""
    if value is None:
        return "–"
    return f"+{value}" if value > 0 else str(value)


def _row(
    site: Site,
    here: str,
    fw: Framework,
    entry: Entry,
    rank: int | None,
    categories: Sequence[Category],
    framework: str = "",
    movement: Movement | None = None,
) -> Row:
    a = entry.facts
    score = entry.score
    return Row(
        company=company_row(site, here, entry),
        rank=rank,
        sector=sector_name(fw, a.company.sector),
        country=a.company.country,
        assessor=a.assessor.name,
        assessor_label=ASSESSOR_LABEL[a.assessor.type],
        framework=framework,
        total=score.total,
        core=score.core_total,
        sector_score=score.sector_total,
        categories=[score.categories.get(c.id) for c in categories],
        movement=movement,
        rank_change=signed(movement.rank_change) if movement is not None else "",
        score_change=signed(movement.value_change) if movement is not None else "",
    )


def _table(
    site: Site,
    here: str,
    fw: Framework,
    entries: Sequence[Entry],
    table_id: str,
    caption: str,
    mixed: bool = False,
) -> Table:
    """One ranking table. ``mixed``: the entries answer several framework versions (the
    self-assessments of an edition, listed in one table): a Framework column and the totals,
    without category columns, which differ between versions."""
    in_order = ranked(entries)
    is_self = bool(in_order) and in_order[0].is_self
    categories = () if mixed else fw.categories
    moved = {} if is_self else _moved(site, fw, in_order, total_value)
    rows = [
        _row(site, here, fw, e, rank, categories, fw_name(e.framework) if mixed else "", moved.get(e.slug))
        for e, rank in zip(in_order, ranks(in_order), strict=True)
    ]
    return Table(
        id=table_id,
        caption=caption,
        framework="" if mixed else fw.key,
        is_self=is_self,
        mixed=mixed,
        columns=[Column(c.id, c.title) for c in categories],
        rows=rows,
        since=None if is_self else previous_edition(site),
        averages=None if is_self else _averages(fw, in_order, total_value, categories),
    )


def _sector_rows(
    site: Site,
    here: str,
    fw: Framework,
    entries: Sequence[Entry],
    value: Callable[[Entry], Decimal | None],
    categories: Sequence[Category],
    sector: str = "",
) -> list[Row]:
    in_order = _ranked_on(entries, value)
    rank_values = competition_ranks([value(e) for e in in_order])
    moved = _moved(site, fw, in_order, value, sector)
    return [
        _row(site, here, fw, e, rank, categories, movement=moved.get(e.slug))
        for e, rank in zip(in_order, rank_values, strict=True)
    ]


def _sector_tables(
    site: Site, here: str, fw: Framework, entries: Sequence[Entry], suffix: str, name: str
) -> SectorTables:
    """For a framework with sectors: the cross-sector ranking on the core score, then one ranking
    per sector on the sector score, each saying what it compares."""
    edition = site.card.edition
    shown_name = f" {name.strip()}" if name else ""
    # No category columns across sectors: a category's score mixes in the sector's own indicators.
    tables = [
        SectorTable(
            id=f"ranking-independent{suffix}",
            heading_id=f"across-sectors{suffix}",
            heading=f"Across sectors{shown_name}: core score",
            intro="",
            caption=f"Independent assessments {edition}{name}, all sectors, ranked by core score",
            framework=fw.key,
            sector="",
            columns=[],
            rows=_sector_rows(site, here, fw, entries, core_value, ()),
            since=previous_edition(site),
            averages=_averages(fw, entries, core_value, ()),
        )
    ]
    for sector in fw.sectors:
        members = [e for e in entries if e.facts.company.sector == sector.id]
        if not members:
            continue
        categories = _categories_for(fw, sector.id)
        tables.append(
            SectorTable(
                id=f"ranking-sector-{sector.id}{suffix}",
                heading_id=f"sector-{sector.id}{suffix}",
                heading=f"{sector.name}{shown_name}: sector score",
                intro=f"Only {sector.name} companies, compared on their sector score: {_modules_text(fw, sector.id)}.",
                caption=f"Independent assessments {edition}{name}, {sector.name} only, ranked by sector score",
                framework=fw.key,
                sector=sector.id,
                columns=[Column(c.id, c.title) for c in categories],
                rows=_sector_rows(site, here, fw, members, _sector_value, categories, sector.id),
                since=previous_edition(site),
                averages=_averages(fw, members, _sector_value, categories),
            )
        )
    return SectorTables(core_count=sum(1 for ind in fw.indicators if fw.is_core(ind)), tables=tables)


def _filters(entries: Sequence[Entry]) -> list[Filter]:
    sectors = sorted({e.facts.company.sector for e in entries}, key=str.casefold)
    names = {e.facts.company.sector: sector_name(e.framework, e.facts.company.sector) for e in entries}
    countries = sorted({e.facts.company.country for e in entries})
    assessors = [t for t in ("independent", "self") if any(e.facts.assessor.type == t for e in entries)]
    return [
        Filter("sector", "Sector", "All sectors", [Option(s, names[s]) for s in sectors]),
        Filter("country", "Country", "All countries", [Option(c, c) for c in countries]),
        Filter("assessor", "Assessor", "All assessors", [Option(t, ASSESSOR_LABEL[t]) for t in assessors]),
    ]


def _sectors_href(site: Site, here: str) -> str | None:
    fw = next((fw for fw in site.card.edition_frameworks() if fw.sectors), None)
    return None if fw is None else site.link(here, METHODOLOGY, f"{fw_token(fw)}-sectors")


def _unique(columns: Iterable[Column]) -> list[Column]:
    """The first of each id (frameworks of an edition may share categories and indicators)."""
    seen: dict[str, Column] = {}
    for c in columns:
        seen.setdefault(c.id, c)
    return list(seen.values())


def ranking_page(site: Site) -> RankingPage:
    card = site.card
    here = RANKING
    edition = card.edition
    entries = card.edition_entries()
    frameworks = card.edition_frameworks()
    multi = len(frameworks) > 1
    sectored = any(fw.sectors for fw in frameworks)
    independent: list[Table | SectorTables] = []
    selfs: list[Table] = []
    ids: list[str] = []
    for fw in frameworks:
        suffix = f"-{fw_token(fw)}" if multi else ""
        of_fw = [e for e in entries if e.framework.key == fw.key]
        indep = [e for e in of_fw if not e.is_self]
        own = [e for e in of_fw if e.is_self]
        name = f" ({fw_name(fw)})" if multi else ""
        if indep and fw.sectors:
            group = _sector_tables(site, here, fw, indep, suffix, name)
            independent.append(group)
            ids += [t.id for t in group.tables]
        elif indep:
            ids.append(f"ranking-independent{suffix}")
            caption = f"Independent assessments {edition}{name}, ranked by total score"
            independent.append(_table(site, here, fw, indep, ids[-1], caption))
        if own:
            selfs.append(_table(site, here, fw, own, "ranking-self", f"Self-assessments {edition}{name}, not ranked"))
    # Self-assessments are not ranked, so versions need no tables of their own: one table, with
    # each one's framework version when they differ (issue 16).
    if len(selfs) > 1:
        every_self = [e for e in entries if e.is_self]
        caption = f"Self-assessments {edition}, not ranked (framework versions differ: totals only)"
        selfs = [_table(site, here, every_self[0].framework, every_self, "ranking-self", caption, mixed=True)]
    if selfs:
        ids.append("ranking-self")
    compared = sorted((e for e in entries if not e.is_self), key=lambda e: (e.facts.company.name.casefold(), e.slug))
    return RankingPage(
        since=previous_edition(site),
        compare=Compare(
            edition=edition,
            companies=[
                Comparable(
                    e.slug,
                    e.facts.company.name,
                    site.link(here, company_page(e.slug)),
                    site.link(here, company_json_path(e.slug)),
                )
                for e in compared
            ],
            categories=_unique(Column(c.id, c.title) for fw in frameworks for c in fw.categories),
            indicators=_unique(Column(i.id, f"{i.id} {i.title}") for fw in frameworks for i in fw.all_indicators()),
        )
        if len(compared) >= 2
        else None,
        edition=edition,
        by_what="core score across sectors and by sector score within each sector" if sectored else "total score",
        methodology_href=site.link(here, METHODOLOGY),
        empty=not entries,
        mixed_versions=mixed_versions(site, here),
        sectors_href=_sectors_href(site, here) if sectored else None,
        table_ids=ids,
        filters=_filters(entries),
        independent=independent,
        selfs=selfs,
        missing=[
            Missing(r.slug, r.company.name, site.link(here, company_page(r.slug)), r.company.fictional, r.latest_cycle)
            for r in card.companies
            if edition not in r.cycles
        ],
    )
