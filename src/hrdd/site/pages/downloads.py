"""The Downloads page (``downloads.md``), as a view model for ``hrdd/downloads.html``: the
dataset's files, then each company's JSON file and badge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hrdd.site.data import DATAPACKAGE_JSON, SCORECARD_JSON, TABLES, badge_path, company_json_path, compression
from hrdd.site.licence import sources
from hrdd.site.pages.changes import FEED
from hrdd.site.pages.common import company_page

if TYPE_CHECKING:
    from hrdd.site.context import Site

DOWNLOADS = "downloads.md"
CORRECTIONS_JSON = "data/corrections.json"
"""A published edition's record of itself (``Publication``); only published editions have one."""


@dataclass(frozen=True, slots=True)
class DataFile:
    path: str
    href: str
    title: str
    description: str
    format: str
    compression: str | None
    """gzip or bzip2 when published compressed (``hrdd.site.data.compression``)."""


@dataclass(frozen=True, slots=True)
class CompanyFiles:
    slug: str
    name: str
    fictional: bool
    page_href: str
    json_href: str
    badge_href: str


@dataclass(frozen=True, slots=True)
class Licence:
    """The data's licence (``extra.data_licence`` of mkdocs.yml)."""

    name: str
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Credit:
    """A credit the data carries: a framework's required attribution."""

    text: str
    url: str


@dataclass(frozen=True, slots=True)
class DownloadsPage:
    files: list[DataFile]
    companies: list[CompanyFiles]
    licence: Licence | None
    """None when mkdocs.yml sets no licence for the data."""
    credits: list[Credit]


def downloads_page(site: Site) -> DownloadsPage:
    here = DOWNLOADS
    files = [(t.path, t.title, t.description, "CSV") for t in TABLES]
    files.append(
        (
            SCORECARD_JSON,
            "Full dataset",
            "Every published assessment of every cycle with scores, answers, comments, evidence quotes, "
            "sources and incidents, once.",
            "JSON",
        )
    )
    files.append((DATAPACKAGE_JSON, "Data package", "Frictionless description of the CSV tables above.", "JSON"))
    files.append((FEED, "What changed", "This edition's changes and corrections as an Atom feed.", "Atom"))
    if site.publication is not None:
        files.append(
            (CORRECTIONS_JSON, "Publication record", "When this edition was published and every correction.", "JSON")
        )
    return DownloadsPage(
        files=[
            DataFile(path, site.link(here, path), title, text, fmt, compression(path))
            for path, title, text, fmt in files
        ],
        companies=[
            CompanyFiles(
                slug=r.slug,
                name=r.company.name,
                fictional=r.company.fictional,
                page_href=site.link(here, company_page(r.slug)),
                json_href=site.link(here, company_json_path(r.slug)),
                badge_href=site.link(here, badge_path(r.slug)),
            )
            for r in site.card.companies
        ],
        licence=None if (lic := site.data_licence) is None else Licence(lic.name, lic.title, lic.path),
        credits=[Credit(s["title"], s.get("path", "")) for s in sources(site.card)],
    )
