"""The companies index (``companies/index.md``) as a view model for ``hrdd/companies.html``:
every company with a published assessment, by name, with its latest total."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from hrdd.sectors import sector_name
from hrdd.site.pages.common import ASSESSOR_LABEL, COMPANIES, company_page
from hrdd.site.pages.ranking import CompanyRow, company_row

if TYPE_CHECKING:
    from hrdd.site.context import Site


@dataclass(frozen=True, slots=True)
class CompanyItem:
    row: CompanyRow
    """The data attributes: of the latest cycle's assessment (the independent one when there is one)."""
    name: str
    href: str
    fictional: bool
    sector: str
    """The sector's name."""
    country: str
    cycle: int
    assessor_label: str
    total: Decimal | None
    core: Decimal | None


@dataclass(frozen=True, slots=True)
class CompaniesPage:
    sectored: bool
    """A framework with sectors is shown: the core score, which compares across the list, too."""
    companies: list[CompanyItem]


def companies_page(site: Site) -> CompaniesPage:
    here = COMPANIES
    records = sorted(site.card.companies, key=lambda r: (r.company.name.casefold(), r.slug))
    items = []
    for r in records:
        e = r.primary(r.latest_cycle)
        c = r.company
        items.append(
            CompanyItem(
                row=company_row(site, here, e),
                name=c.name,
                href=site.link(here, company_page(r.slug)),
                fictional=c.fictional,
                sector=sector_name(e.framework, c.sector),
                country=c.country,
                cycle=e.cycle,
                assessor_label=ASSESSOR_LABEL[e.facts.assessor.type],
                total=e.score.total,
                core=e.score.core_total,
            )
        )
    return CompaniesPage(sectored=any(fw.sectors for fw in site.card.shown_frameworks()), companies=items)
