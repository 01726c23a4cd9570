"""MkDocs on several CPUs: one build split over forked worker processes, writing what one build writes.

A scorecard of a thousand companies has three thousand company pages, and MkDocs builds pages
one after the other (Markdown, then Material's template: a few milliseconds each). Each of those
pages stands alone: it is generated, out of the navigation, links only with raw HTML (which
MkDocs does not follow) and is linked to only by raw HTML. So each worker runs the whole MkDocs
build, reading every file, the navigation and the hand-written pages like one build does, but
renders only its share of these pages (``shardable``); the first worker also renders every
other page and writes the theme's files. Then:

- the detached blocks (``hrdd.site.splice``) are spliced into each page by the worker that
  built it, which then compacts the page's whitespace (``hrdd.site.compact``; a plain build
  compacts its pages after MkDocs, the same way);
- the other workers' pages are moved into the site folder (they built into folders of their own);
- the search index is Material's, with the entries of every page in MkDocs' order, as one
  build writes it (each worker's search plugin saw only its own pages).

Link and anchor checks still cover every page: a hand-written page is read by every worker and
checked against the pages that worker read; warnings from every worker are reported, once each.

This relies on private internals of MkDocs and Material, all used through
``hrdd.site.mkdocs_private`` (pinned to the versions it was written for, and checked); without
them, with a plugin that is not known to be safe (a plugin may keep state across pages), with
one CPU, or when asked (``split=False``: ``hrdd build --no-split``), it is one plain MkDocs build.
tests/site/test_shards.py compares a split build with a plain one, file by file.

``rebuild`` uses the same internals for ``hrdd serve``: after an edit, a dirty MkDocs build of
only the pages that changed (and, if one of them is in the navigation, of every page that shows
it), with the search index merged from what the builds before saw.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mkdocs.commands.build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from hrdd.errors import BuildError
from hrdd.parallel import cpu_count, fork_context, run_forked
from hrdd.site import mkdocs_private
from hrdd.site.compact import compact, compact_files, html_files
from hrdd.site.mkdocs_private import Selection
from hrdd.site.splice import built_file, only, splice

SAFE_PLUGINS = frozenset({"material/search", "mike"})
"""Plugins known to give the same pages when each worker sees only some of them: Material's
search (whose index is merged here) and mike (which only configures the version selector).
Not MkDocs' own search plugin (other themes): its index is built differently."""

MIN_PAGES = 300
"""Pages per worker: below that, starting a worker costs more than it saves."""

SEARCH_INDEX = "search/search_index.json"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


@contextmanager
def mkdocs_messages() -> Iterator[list[str]]:
    """Collect MkDocs' warnings and errors so that a failed build can report them."""
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


@dataclass(slots=True)
class Indexed:
    """What a build saw of each page it built, for a later ``rebuild``: its search index
    entries (Material's search plugin), and its title (which the navigation shows)."""

    entries: dict[str, list[Any]] = field(default_factory=dict)
    titles: dict[str, str | None] = field(default_factory=dict)

    def update(self, other: Indexed) -> None:
        self.entries.update(other.entries)
        self.titles.update(other.titles)


@dataclass(slots=True)
class _Shard:
    """What one worker did."""

    error: str | None = None
    messages: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    """Every documentation page, in the order MkDocs builds them."""
    built: list[str] = field(default_factory=list)
    """The pages this worker built (docs paths)."""
    indexed: Indexed = field(default_factory=Indexed)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Job:
    configs: tuple[MkDocsConfig, ...]
    shard_of: Mapping[str, int]
    detached: Mapping[str, tuple[str, ...]]
    directory_urls: bool
    serve_url: str | None


def workers_for(config: MkDocsConfig, shardable: Collection[str]) -> int:
    """How many workers to split the build over (1: a plain build)."""
    if not set(config.plugins) <= SAFE_PLUGINS or not mkdocs_private.usable():
        return 1
    return max(1, min(cpu_count(), len(shardable) // MIN_PAGES))


def build(
    config_for: Callable[[Path], MkDocsConfig],
    site_dir: Path,
    *,
    detached: Mapping[str, tuple[str, ...]],
    directory_urls: bool,
    shardable: Collection[str],
    serve_url: str | None = None,
    indexed: Indexed | None = None,
    split: bool = True,
) -> int:
    """Build the site into ``site_dir`` with MkDocs and splice the detached blocks back in;
    returns the number of processes that built it.

    ``config_for(folder)`` gives the MkDocs configuration of a build into ``folder``;
    ``shardable`` names generated pages (docs paths) that link and are linked to by raw HTML
    only; those that are not in the navigation may be built by any worker. ``serve_url``: the
    build is for ``hrdd serve`` (as MkDocs' own ``serve_url``). ``indexed``, if given,
    receives what the build saw of each page (for ``rebuild``). Without ``split``, one plain
    MkDocs build, with no private internals (and no ``indexed``).
    Raises ``BuildError`` with MkDocs' messages if the build fails."""
    config = config_for(site_dir)
    # Without a nav setting every page is in the navigation, whose titles each page shows.
    listed = nav_pages(config.nav) if config.nav is not None else None
    shardable = [] if listed is None else [page for page in shardable if page not in listed]
    workers = workers_for(config, shardable) if split else 1
    context = fork_context() if workers > 1 else None
    if context is None:
        if split and indexed is not None and mkdocs_private.usable():
            with mkdocs_private.patched(keep_entries=_keep_entries(indexed)):
                _run(config, serve_url)
        else:
            _run(config, serve_url)
        _finish_pages(site_dir, detached, directory_urls)
        return 1
    scratch = [
        Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-shard-", dir=site_dir.parent)) for _ in range(workers - 1)
    ]
    try:
        configs = (config, *(config_for(folder) for folder in scratch))
        shard_of = {page: i % workers for i, page in enumerate(sorted(shardable))}
        job = _Job(
            configs=configs, shard_of=shard_of, detached=detached, directory_urls=directory_urls, serve_url=serve_url
        )
        shards = run_forked([functools.partial(_build_shard, job, n) for n in range(workers)], workers, context)
        messages = list(dict.fromkeys(m for s in shards for m in s.messages))
        errors = [s.error for s in shards if s.error is not None]
        if errors:
            raise BuildError(f"MkDocs could not build the site: {errors[0]}", "\n".join(messages))
        for folder, shard in zip(scratch, shards[1:], strict=True):
            for page in shard.built:
                built = built_file(page, directory_urls)
                (site_dir / built).parent.mkdir(parents=True, exist_ok=True)
                os.replace(folder / built, site_dir / built)
        seen = Indexed()
        for shard in shards:
            seen.update(shard.indexed)
        _write_search_index(site_dir, shards[0].order, seen.entries)
        if indexed is not None:
            indexed.update(seen)
    finally:
        for folder in scratch:
            shutil.rmtree(folder, ignore_errors=True)
    return workers


def _finish_pages(
    folder: Path,
    blocks: Mapping[str, tuple[str, ...]],
    directory_urls: bool,
    written: Collection[Path] | None = None,
) -> None:
    """Splice the detached blocks into the pages MkDocs built in ``folder``, and compact every
    page written there (``hrdd.site.compact``): a page with blocks is read and written once.
    ``written``: the HTML files this build wrote (a dirty rebuild); by default every HTML file
    in ``folder`` (a build cleans its folder first)."""
    spliced = set(splice(folder, blocks, directory_urls, finish=compact))
    compact_files(p for p in (html_files(folder) if written is None else written) if p not in spliced)


def nav_pages(nav: object) -> set[str]:
    """Every page the ``nav`` setting lists."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        nav = list(nav.values())
    if isinstance(nav, list):
        return {page for item in nav for page in nav_pages(item)}
    return set()


def _write_search_index(site_dir: Path, order: list[str], entries: Mapping[str, list[Any]]) -> None:
    """Material's search index with the entries of every page, in MkDocs' page order."""
    index = site_dir / SEARCH_INDEX
    if not index.is_file():
        return  # no search plugin
    data = json.loads(index.read_bytes())
    data["docs"] = [entry for page in order for entry in entries.get(page, ())]
    # As Material's search plugin writes it.
    index.write_bytes(json.dumps(data, separators=(",", ":"), default=str).encode("utf-8"))


def _run(config: MkDocsConfig, serve_url: str | None, *, dirty: bool = False) -> None:
    with mkdocs_messages() as messages:
        try:
            mkdocs_build.build(config, serve_url=serve_url, dirty=dirty)
        except MkDocsException as exc:
            raise BuildError(f"MkDocs could not build the site: {exc}", "\n".join(messages)) from exc


def _keep_entries(indexed: Indexed) -> Callable[[str, list[Any], str | None], None]:
    """Keep each page's search index entries and title in ``indexed`` (``mkdocs_private.patched``)."""

    def keep(page: str, entries: list[Any], title: str | None) -> None:
        indexed.entries[page] = entries
        indexed.titles[page] = title

    return keep


class _NoDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


class _TitlesChanged(Exception):
    """A page in the navigation has a new title: every page shows it."""


def rebuild(
    config: MkDocsConfig,
    site_dir: Path,
    *,
    changed: Collection[str],
    detached: Mapping[str, tuple[str, ...]],
    directory_urls: bool,
    shardable: Collection[str],
    serve_url: str | None,
    indexed: Indexed,
) -> bool:
    """Build again, into the ``site_dir`` of a build with the same configuration and files
    (``indexed``: what the builds before saw; updated), only the pages that may have changed,
    then splice them.

    A page's output depends on its own source, the configuration and the titles of the pages
    in the navigation. So the pages in ``changed`` are built; if one of them is in the
    navigation, so is every page but the ``shardable`` ones out of it (their sources are read
    again anyway, for their titles). Returns False when this cannot be done safely: the same
    conditions as splitting a build, or a title in the navigation changed (nothing was written
    then); then build the whole site."""
    if config.nav is None or not set(config.plugins) <= SAFE_PLUGINS or not mkdocs_private.usable():
        return False
    listed = nav_pages(config.nav)
    if not listed <= indexed.titles.keys():
        return False  # the builds before did not see every page in the navigation
    if any(page in listed for page in changed):
        wanted = {page for page in indexed.titles if page in changed or page not in shardable or page in listed}
    else:
        wanted = set(changed)
    order: list[str] = []
    built: list[str] = []

    def was_read(uri: str, title: str | None) -> None:
        if uri in listed and title != indexed.titles[uri]:
            raise _TitlesChanged(uri)

    def seen(uri: str, was_built: bool) -> None:
        order.append(uri)
        if was_built:
            built.append(uri)

    select = Selection(
        read=wanted.__contains__,
        build=wanted.__contains__,
        read_title=listed.__contains__,  # its title, for the navigation
        was_read=was_read,
        seen=seen,
    )
    quiet = _NoDirtyWarning()
    logging.getLogger("mkdocs").addFilter(quiet)
    try:
        # Dirty: MkDocs keeps the site folder and copies only static files that changed.
        with mkdocs_private.patched(select, _keep_entries(indexed)):
            _run(config, serve_url, dirty=True)
    except _TitlesChanged:
        return False
    finally:
        logging.getLogger("mkdocs").removeFilter(quiet)
    # The pages built, the theme's own pages (404.html: every build writes it) and hand-written
    # HTML files copied again.
    written = [site_dir / built_file(page, directory_urls) for page in built]
    written += [site_dir / name for name in config.theme.static_templates if name.endswith(".html")]
    written += [site_dir / path for path in changed if path.endswith(".html")]
    _finish_pages(site_dir, only(detached, built), directory_urls, [p for p in written if p.is_file()])
    _write_search_index(site_dir, order, indexed.entries)
    return True


def _build_shard(job: _Job, number: int) -> _Shard:
    """In a forked worker: the whole MkDocs build, rendering only this worker's pages."""
    config = job.configs[number]
    if number:
        # The theme's own pages (404.html, the sitemap of every page, the icons) are the first
        # worker's to write; the others' would be thrown away with their folders.
        config.theme.static_templates = set()
    shard = _Shard()

    def mine(uri: str) -> bool:
        return job.shard_of.get(uri, 0) == number

    def seen(uri: str, built: bool) -> None:
        shard.order.append(uri)
        if built:
            shard.built.append(uri)

    select = Selection(
        # Every worker reads the pages that are not shared out (the navigation shows their titles).
        read=lambda uri: uri not in job.shard_of or mine(uri),
        build=mine,
        seen=seen,
    )
    # A forked worker's own copies of these modules: the parent's are untouched.
    with mkdocs_private.patched(select, _keep_entries(shard.indexed)), mkdocs_messages() as messages:
        try:
            mkdocs_build.build(config, serve_url=job.serve_url)
        except MkDocsException as exc:
            shard.error = str(exc)
    shard.messages = messages
    if shard.error is None:
        _finish_pages(Path(config.site_dir), only(job.detached, shard.built), job.directory_urls)
    return shard
