"""What a rebuild may take from the last one, so that ``hrdd serve`` shows an edit in seconds.

After a one-file edit almost every page and every data file is as before. ``Reuse`` remembers,
from one generation to the next, in the process that generates:

- each company's staged pages (``render.record_pages``), which are made from that company's
  assessments alone, given the site's settings and the frameworks; they are reused while its
  assessments' content keys are the same and nothing else they depend on changed. An
  assessment's content key (``Entry.key``) is its file's check cache key, which covers the
  file's bytes and everything its check and scores depend on: the same key means the same
  assessment and scores, without building the assessment (thousands of them) to compare.
  An assessment without one (checked without the cache) is rendered each time;
- where the last run wrote each data file and each assessment's piece of them
  (``hrdd.site.datawriter``), to copy instead of encoding again.

Every other page (the ranking, indicator pages, ...) is rendered each time. Any change to the
settings, the frameworks or the edition's frameworks starts again from nothing, and so does a
generation that fails half-way (``forget``). Nothing is keyed on an object's identity, so
nothing here depends on which objects live on from one generation to the next.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hrdd.models import Framework
from hrdd.site import CompanyRecord
from hrdd.site.changes import Publication
from hrdd.site.datawriter import Written
from hrdd.site.pages import overview
from hrdd.site.render import Site, record_pages

Staged = tuple[bytes, tuple[str, ...]]
"""A staged page and the digests of its detached blocks (``hrdd.site.splice``)."""


@dataclass(frozen=True, slots=True)
class _Context:
    """What every reused page and piece also depends on."""

    site_name: str
    directory_urls: bool
    publication: Publication | None
    detach_blocks: bool
    frameworks: tuple[Framework, ...]
    edition_frameworks: tuple[str, ...]
    repo_url: str = ""
    edit_uri: str = ""
    theme_key: str = ""
    """The project's page templates (an override changed in ``hrdd serve`` renders every page again)."""
    site_url: str = ""
    """Company pages write full addresses (badge embed code)."""


def _context(site: Site, detach_blocks: bool) -> _Context:
    return _Context(
        site_name=site.site_name,
        directory_urls=site.directory_urls,
        publication=site.publication,
        detach_blocks=detach_blocks,
        frameworks=site.card.frameworks,
        edition_frameworks=tuple(fw.key for fw in site.card.edition_frameworks()),
        repo_url=site.repo_url,
        edit_uri=site.edit_uri,
        theme_key=site.theme_key,
        site_url=site.site_url,
    )


def _record_key(record: CompanyRecord) -> tuple[str, ...] | None:
    """The content keys of a company's assessments; None if one has none (never reused)."""
    keys = tuple(e.key for e in record.entries)
    return None if None in keys else tuple(k for k in keys if k is not None)


def _reuse_key(site: Site, record: CompanyRecord) -> tuple[object, ...] | None:
    """``_record_key`` and the company's place in the ranking, which its overview shows and which
    other companies' scores move (hrdd.site.pages.overview.rank_of)."""
    key = _record_key(record)
    return None if key is None else (*key, overview.rank_of(site, record))


class Reuse:
    """The last generation's company pages and data files, for the next one (see above)."""

    def __init__(self) -> None:
        self._context: _Context | None = None
        self._pages: dict[str, tuple[tuple[object, ...], dict[str, Staged]]] = {}
        self._data: Written | None = None

    def start(self, site: Site, detach_blocks: bool) -> tuple[dict[str, Staged], Written | None]:
        """The staged pages and the data files of the last run that hold for ``site``."""
        context = _context(site, detach_blocks)
        if context != self._context:
            self.forget()
            self._context = context
            return {}, None
        pages: dict[str, Staged] = {}
        for record in site.card.companies:
            kept = self._pages.get(record.slug)
            if kept is not None and kept[0] == _reuse_key(site, record):
                pages.update(kept[1])
        return pages, self._data

    def wrote_data(self, data: Written | None) -> None:
        """The data files were written (the last run's are gone)."""
        self._data = data

    def finish(self, site: Site, staged: Mapping[str, Staged]) -> None:
        """Remember a generation that succeeded: ``staged`` holds its generated pages."""
        pages = {}
        for record in site.card.companies:
            paths, key = record_pages(record, site.directory_urls), _reuse_key(site, record)
            if key is not None and all(p in staged for p in paths):
                pages[record.slug] = (key, {p: staged[p] for p in paths})
        self._pages = pages

    def forget(self) -> None:
        self._context, self._pages, self._data = None, {}, None
