"""The home page (``index.md``) as a view model for ``hrdd/home.html``: the edition's facts and
the headline ranking (the top companies, as a table and a chart)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from markupsafe import Markup

from hrdd.load import version_key
from hrdd.sectors import competition_ranks
from hrdd.site import Entry
from hrdd.site.charts import Bar, Series, bar_chart
from hrdd.site.pages.common import HOME, METHODOLOGY, RANKING, _ranked_on, fw_name, fw_token
from hrdd.site.pages.ranking import CompanyRow, company_row, core_value, ranked, total_value

if TYPE_CHECKING:
    from hrdd.site.context import Site

HEADLINE_SIZE = 5


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    text: str


@dataclass(frozen=True, slots=True)
class HeadlineRow:
    company: CompanyRow
    rank: int | None
    value: Decimal | None


@dataclass(frozen=True, slots=True)
class Headline:
    """The top of the ranking; with mixed framework versions, of the version most companies answer."""

    on_core: bool
    """A framework with sectors: ranked on the core score, which compares every sector."""
    ranked: int
    framework: str
    others: int
    """Independent assessments on other framework versions, ranked apart."""
    column: str
    label: str
    caption: str
    rows: list[HeadlineRow]
    chart: Markup
    """The SVG bar chart, drawn (and escaped) by hrdd.site.charts."""
    ranking_href: str


@dataclass(frozen=True, slots=True)
class HomePage:
    site_name: str
    edition: int | None
    frameworks: list[Link]
    independent: int
    selfs: int
    updated: str | None
    fictional: bool
    headline: Headline | None


def _headline(site: Site, independent: Sequence[Entry]) -> Headline | None:
    here = HOME
    # Totals of different framework versions do not compare: with mixed versions the headline
    # ranks the version most companies answer (the newest on a tie) and says so.
    by_fw: dict[str, list[Entry]] = {}
    for e in independent:
        by_fw.setdefault(e.framework.key, []).append(e)
    main = max(by_fw.values(), key=lambda es: (len(es), version_key(es[0].framework.version)), default=[])
    # Across sectors only the core compares: a framework with sectors ranks its core score here.
    on_core = bool(main) and bool(main[0].framework.sectors)
    in_order = _ranked_on(main, core_value) if on_core else ranked(main)
    if not in_order:
        return None
    top = in_order[:HEADLINE_SIZE]
    value = core_value if on_core else total_value
    top_ranks = competition_ranks([value(e) for e in in_order])[:HEADLINE_SIZE]
    label = "Core score" if on_core else "Total"
    what = "core score, which compares every sector" if on_core else "total score"
    fw = top[0].framework
    chart = bar_chart(
        chart_id="chart-headline",
        title=f"{label} scores of the top {len(top)} companies",
        series=[Series(name=label if on_core else "Total score")],
        bars=[Bar(label=e.facts.company.name, values=(value(e),)) for e in top],
        scale_min=fw.scale_min,
        scale_max=fw.scale_max,
    )
    return Headline(
        on_core=on_core,
        ranked=len(in_order),
        framework=fw_name(in_order[0].framework),
        others=len(independent) - len(in_order),
        column="core" if on_core else "total",
        label=label,
        caption=f"Top {len(top)} of {len(in_order)} companies by {what}",
        rows=[HeadlineRow(company_row(site, here, e), r, value(e)) for e, r in zip(top, top_ranks, strict=True)],
        chart=Markup(chart),  # the one place the headline chart's SVG is marked safe: charts.py escapes its text
        ranking_href=site.link(here, RANKING),
    )


def home_page(site: Site) -> HomePage:
    card = site.card
    here = HOME
    frameworks = card.edition_frameworks() or card.shown_frameworks()
    independent = [e for e in card.edition_entries() if not e.is_self]
    selfs = [e for e in card.edition_entries() if e.is_self]
    return HomePage(
        site_name=site.site_name,
        edition=card.edition,
        frameworks=[Link(site.link(here, METHODOLOGY, fw_token(fw)), fw_name(fw)) for fw in frameworks],
        independent=len(independent),
        selfs=len(selfs),
        updated=card.updated,
        fictional=any(e.facts.company.fictional for e in card.entries),
        headline=_headline(site, independent),
    )
