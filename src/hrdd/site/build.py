"""Where the site is written: the one module of ``hrdd.site`` that touches files and runs MkDocs.

``build_site``, in order:

1. Read the few settings the pages need from the project's ``mkdocs.yml``.
2. Validate every framework and assessment. Any problem stops the build and every problem is
   reported: an invalid assessment never just drops out of the ranking.
3. Keep the published assessments and score them (``hrdd.site.collect``).
4. Stage the docs: the project's hand-written ``docs/`` plus the generated pages, in
   ``.hrdd-cache/docs`` (gitignored). Generation is plain Python writing files, with no MkDocs
   plugin or hook, so the staged tree builds the same with any engine that reads ``mkdocs.yml``.
   The data files (CSV, JSON, badges: hundreds of megabytes at scale) go to
   ``.hrdd-cache/downloads``; the stage holds empty files of the same names, so that MkDocs
   knows them and checks links to them without copying them.
5. Run a strict MkDocs build (``docs_dir`` pointed at the stage) into a new folder beside the
   site, split over worker processes for a large scorecard (``hrdd.site.shards``), splice the
   pages' detached blocks back in (``hrdd.site.splice``), compact the pages' whitespace
   (``hrdd.site.compact``) and put the data files in place.
6. Swap it in. A failed build leaves the previous site exactly as it was.

The plain path (``plain``: ``hrdd build --no-split``) stages every page whole with the data
files and its own configuration (``hrdd.site.staged``), and runs one ordinary MkDocs build of
it: no worker processes, no splicing, no private internals; only its pages' whitespace is
compacted afterwards. The fast path gives the same pages.

``hrdd publish`` (``hrdd.publish``) runs the same build with the edition's publication record
and commits the result to the gh-pages branch; only such a build keeps Material's version
selector (``extra.version``), because only a site deployed with mike has a ``versions.json``.

Builds are reproducible: the date MkDocs puts in the sitemap (and the gzip header of
``sitemap.xml.gz``) comes from SOURCE_DATE_EPOCH, which is set from the data when it is not set.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, cast

import jinja2
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from hrdd import limits
from hrdd.errors import BuildError, UsageError
from hrdd.models import Framework
from hrdd.parallel import cpu_count, fork_context, run_forked
from hrdd.placeholders import REPOSITORY
from hrdd.project import Project, display_path
from hrdd.report import format_problems
from hrdd.site import Scorecard, Stored, atomic, collect, shards, staged
from hrdd.site.changes import Publication, edition_changes
from hrdd.site.data import compress_file, compress_text, compression, data_file_pieces, data_files, dump_json
from hrdd.site.datawriter import Written, write_data_files
from hrdd.site.feed import atom_feed, feed_url
from hrdd.site.incremental import Reuse
from hrdd.site.licence import DataLicence, from_extra
from hrdd.site.render import CORRECTIONS_JSON, FEED, Site, footer_credit, render_pages
from hrdd.site.shards import mkdocs_messages
from hrdd.site.splice import BlockStore, StoredBlocks, attached, built_file
from hrdd.site.templates import fingerprint
from hrdd.site.theme import project_templates, theme_overrides
from hrdd.siteurl import edition_url
from hrdd.validate import Report, Validator


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """What the generated pages need from ``mkdocs.yml``."""

    site_name: str
    directory_urls: bool
    copyright: str | None
    repo_url: str = ""
    edit_uri: str = ""
    data_licence: DataLicence | None = None
    site_url: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Generated:
    """The staged docs tree (path -> bytes) and what it was made from."""

    card: Scorecard
    tree: Mapping[str, bytes]
    credit: str
    detached: Mapping[str, tuple[str, ...]]
    """The blocks kept out of MkDocs, by page (see hrdd.site.splice); empty when none were."""
    pages: frozenset[str]
    """The generated pages (hand-written ones are in ``tree`` too)."""
    downloads: Path | None = None
    """Where the data files were written, when not in ``tree`` (which then holds empty files of
    the same names, so that MkDocs knows them: ``place_downloads`` puts the real ones in)."""
    data: tuple[str, ...] = ()
    """The data files in ``downloads``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildResult:
    site_dir: Path
    card: Scorecard
    pages: int
    seconds: float
    processes: int = 1
    """How many processes MkDocs' build was split over (``hrdd.site.shards``)."""
    site_url: str = ""
    """``mkdocs.yml``'s ``site_url``; empty when it is not set (``hrdd build`` warns)."""

    def summary(self) -> str:
        entries = self.card.entries
        selfs = sum(1 for e in entries if e.is_self)
        withheld = self.card.withheld
        unpublished = f"; {withheld} not published, left out" if withheld else ""
        return (
            f"built {display_path(self.site_dir)}: {self.pages} pages from {len(entries)} published "
            f"assessment{'s' if len(entries) != 1 else ''} ({len(entries) - selfs} independent, {selfs} self"
            f"{unpublished}), edition {self.card.edition or 'none'}, in {self.seconds:.1f} s"
        )


# --- 1. settings ---------------------------------------------------------------------------


def read_settings(project: Project, docs_dir: Path) -> Settings:
    # MkDocs insists that docs_dir exists, even to read the configuration.
    docs_dir.mkdir(parents=True, exist_ok=True)
    config = load_mkdocs_config(project, docs_dir=docs_dir)
    return Settings(
        site_name=str(config.site_name),
        directory_urls=bool(config.use_directory_urls),
        copyright=config.copyright,
        repo_url=str(config.repo_url or ""),
        edit_uri=str(config.edit_uri or ""),
        data_licence=from_extra(config.extra, display_path(project.config)),
        site_url=str(config.site_url or ""),
    )


def load_mkdocs_config(project: Project, **overrides: object) -> MkDocsConfig:
    if not project.config.is_file():
        raise BuildError(f"no mkdocs.yml in {display_path(project.root)}; a scorecard project needs one")
    try:
        options: dict[str, Any] = theme_overrides(project.config, project.cache)
    except MkDocsException as exc:  # mkdocs.yml is not YAML MkDocs can read
        raise BuildError(f"{display_path(project.config)} is not a valid MkDocs configuration: {exc}") from exc
    # Absolute: MkDocs resolves relative paths against mkdocs.yml, not the working directory.
    options.update({k: str(v.resolve()) if isinstance(v, Path) else v for k, v in overrides.items()})
    with mkdocs_messages() as messages:
        try:
            config = load_config(config_file=str(project.config), **options)
        except MkDocsException as exc:
            raise BuildError(
                f"{display_path(project.config)} is not a valid MkDocs configuration: {exc}", "\n".join(messages)
            ) from exc
    markup = list(limits.markup_in_settings(config, project.config.read_text(encoding="utf-8", errors="replace")))
    if markup:
        shown = display_path(project.config)
        raise BuildError(
            f"{shown} has settings the theme would print as HTML; the site was not built",
            "\n".join(f"{shown}:{line}:1: {message}" for line, message in markup),
        )
    return config


# --- 2 and 3. validate, collect, render ----------------------------------------------------


def validate_project(project: Project) -> tuple[Report, list[Framework]]:
    validator = Validator(frameworks_dir=project.frameworks, assessments_dir=project.assessments)
    # Every file of the folder, read or reported (hrdd.layout): none is skipped in silence.
    framework_results = (
        list(validator.check_paths([project.frameworks], progress=False).files) if project.frameworks.is_dir() else []
    )
    if not any(r.framework for r in framework_results) and not any(r.problems for r in framework_results):
        raise BuildError(f"no framework found in {display_path(project.frameworks)}")
    # Scored while checking: in parallel, and replayed from the cache for unchanged files.
    assessments = (
        validator.check_paths([project.assessments], cache_dir=project.check_cache, score=True)
        if project.assessments.is_dir()
        else Report(files=())
    )
    report = Report(files=(*framework_results, *assessments.files))
    frameworks = [r.framework for r in framework_results if r.framework is not None]
    return report, frameworks


def scorecard(project: Project, edition: int | None = None) -> Scorecard:
    """The scorecard a build of ``edition`` shows, validated and scored, without building
    anything (``BuildError`` listing every problem, as a build would)."""
    report, frameworks = validate_project(project)
    _fail_on_problems(report)
    return collect(
        stored_assessments(report), frameworks, source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH"), edition=edition
    )


def _fail_on_problems(report: Report) -> None:
    if not report.problems:
        return
    bad = sorted({p.path for p in report.problems})
    count = len(report.problems)
    raise BuildError(
        f"{count} problem{'s' if count != 1 else ''} in {', '.join(bad)}: the site was not built "
        "(the previous site is unchanged)",
        format_problems(report, "text"),
    )


def generate(
    project: Project,
    settings: Settings,
    edition: int | None = None,
    publication: Publication | None = None,
    *,
    detach_blocks: bool = True,
    downloads: Path | None = None,
    blocks: Path | None = None,
    reuse: Reuse | None = None,
) -> Generated:
    """Validate, score and render: the whole staged docs tree, in memory (its pages' detached
    blocks in a block store on disk).

    With ``detach_blocks``, the pages' bulk is staged as placeholders and returned apart, to be
    spliced into the built pages (``hrdd.site.splice``); without, pages are staged whole.
    With ``downloads``, the data files (hundreds of megabytes at scale) are written into that
    folder (replaced) instead of the tree, and never pass through MkDocs. The detached
    blocks are kept in ``blocks`` (default ``.hrdd-cache/blocks``), one site's worth. With
    ``reuse`` (``hrdd serve``), unchanged company pages and data are taken from the last
    generation (``hrdd.site.incremental``)."""
    report, frameworks = validate_project(project)
    _fail_on_problems(report)
    card = collect(stored_assessments(report), frameworks, source_date_epoch=given_epoch(), edition=edition)
    if publication is not None and publication.edition != card.edition:
        raise BuildError(f"the publication record is for edition {publication.edition}, not {card.edition}")
    site = Site(
        card=card,
        site_name=settings.site_name,
        directory_urls=settings.directory_urls,
        publication=publication,
        repo_url=settings.repo_url,
        edit_uri=settings.edit_uri,
        theme_dir=(theme_dir := project_templates(project.config)),
        theme_key=fingerprint(theme_dir),
        data_licence=settings.data_licence,
        site_url=edition_url(settings.site_url, publication.edition if publication is not None else None),
    )
    try:
        return _generate(project, settings, site, detach_blocks, downloads, blocks, reuse)
    except BaseException:
        if reuse is not None:
            reuse.forget()  # it may name files and blocks this run replaced
        raise


def stored_assessments(report: Report) -> list[tuple[Stored, Framework]]:
    """The valid assessments, with their facts and scores but not their models: the pages
    that need a whole assessment build it when they are rendered (in worker processes), so that
    no process holds thousands of them."""
    stored = []
    for f in report.files:
        if f.kind != "assessment" or f.problems or f.framework is None:
            continue
        facts, load = f.facts(), f.loader()
        if facts is not None and load is not None:
            stored.append((Stored(facts=facts, load=load, score=f.score, key=f.key), f.framework))
    return stored


def _generate(
    project: Project,
    settings: Settings,
    site: Site,
    detach_blocks: bool,
    downloads: Path | None,
    blocks: Path | None,
    reuse: Reuse | None,
) -> Generated:
    card, publication = site.card, site.publication
    tree: dict[str, bytes] = {}
    detached: dict[str, tuple[str, ...]] = {}
    reused, last_data = reuse.start(site, detach_blocks) if reuse is not None else ({}, None)
    store = BlockStore(blocks or project.cache / "blocks")
    job = _RenderJob(
        site, settings.site_name, detach_blocks, downloads, store, frozenset(reused), last_data, settings.data_licence
    )
    parts, data, written = _render(job)
    if reuse is not None:
        reuse.wrote_data(written)
    parts.append([(path, content, digests) for path, (content, digests) in reused.items()])
    for part in parts:
        for path, content, digests in part:
            tree[path] = content
            if digests:
                detached[path] = digests
    store.keep_only({d for digests in detached.values() for d in digests})
    pages = frozenset(tree)
    if reuse is not None:
        reuse.finish(site, {path: (tree[path], detached.get(path, ())) for path in pages})
    for path, content, _ in data:
        tree[path] = content
    folder = f"{publication.edition}/" if publication is not None else ""  # mike's folder of the edition
    self_url = feed_url(settings.site_url, folder)
    tree[FEED] = atom_feed(site, edition_changes(card, publication), self_url=self_url).encode("utf-8")
    if publication is not None:
        tree[CORRECTIONS_JSON] = dump_json(publication.to_dict()).encode("utf-8")
    generated_paths = set(tree)
    clashes = []
    for path, content in _read_tree(project.docs).items():
        if path in generated_paths:
            clashes.append(path)
        tree[path] = with_repository(path, content, settings.repo_url)
    if clashes:
        listed = ", ".join(display_path(project.docs / c) for c in sorted(clashes))
        raise BuildError(f"hand-written files would hide generated pages: {listed}; rename or remove them")
    return Generated(
        card=card,
        tree=dict(sorted(tree.items())),
        credit=footer_credit(card, settings.copyright, site.theme_dir, site.theme_key),
        detached=StoredBlocks(store, detached),
        pages=pages,
        downloads=downloads,
        data=tuple(path for path, _, _ in data) if downloads is not None else (),
    )


def place_downloads(generated: Generated, site_dir: Path) -> None:
    """Put the data files written apart (``generate(downloads=...)``) into a built site, in place
    of the empty files MkDocs copied: hard links when the file system allows, else copies."""
    if generated.downloads is None:
        return
    for path in generated.data:
        source, target = generated.downloads / path, site_dir / path
        target.unlink(missing_ok=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        if compression(path):
            source = compressed_download(generated.downloads, path)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)


def compressed_download(downloads: Path, path: str) -> Path:
    """The compressed copy of a download written as text (``hrdd.site.data.compress_file``), kept
    beside the downloads folder and made again only when the text file is another one (the
    data writer links a file it did not change, so its inode, size and time stay the same)."""
    source = downloads / path
    kept = downloads.with_name(f"{downloads.name}-gz") / path
    stamp = kept.with_name(kept.name + ".of")
    state = source.stat()
    made_from = f"{state.st_ino}:{state.st_size}:{state.st_mtime_ns}"
    if kept.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == made_from:
        return kept
    kept.parent.mkdir(parents=True, exist_ok=True)
    partial = kept.with_name(kept.name + ".partial")
    compress_file(path, source, partial)
    partial.replace(kept)
    stamp.write_text(made_from, encoding="utf-8")
    return kept


# --- rendering in worker processes ----------------------------------------------------------

PARALLEL_MIN_PAGES = 200
"""Published assessments (about a page each) per worker: below that, rendering stays in this
process (starting workers would cost more than it saves)."""

_Rendered = list[tuple[str, bytes, tuple[str, ...]]]
"""Staged files: path, content, digests of the detached blocks (in the job's block store)."""


@dataclass(frozen=True, slots=True)
class _RenderJob:
    site: Site
    title: str
    detach_blocks: bool
    downloads: Path | None
    store: BlockStore
    skip: frozenset[str] = frozenset()
    """Pages not to render (the last generation's are reused)."""
    last_data: Written | None = None
    """The last generation's data files, to copy unchanged pieces from (``hrdd.site.datawriter``)."""
    licence: DataLicence | None = None


def _render(job: _RenderJob) -> tuple[list[_Rendered], _Rendered, Written | None]:
    """The generated pages in parts, and the data files; with several CPUs and a large scorecard,
    rendered by forked worker processes (the scorecard is in their memory from the start, and
    the pages' bulk goes to the block store, so only small staged pages travel back). Which
    process renders a page changes nothing in it."""
    workers = min(cpu_count(), 1 + len(job.site.card.entries) // PARALLEL_MIN_PAGES)
    context = fork_context() if workers > 1 else None
    if context is None:
        return [_render_share((0, 1), job)], *_render_data(job)
    shares = [(k, workers * 2) for k in range(workers * 2)]  # smaller parts balance the load
    jobs: list[Callable[[], _Rendered | tuple[_Rendered, Written | None]]] = [
        functools.partial(_render_data, job),  # first: the longest single task
        *(functools.partial(_render_share, share, job) for share in shares),
    ]
    data, *pages = run_forked(jobs, workers, context)
    return cast(list[_Rendered], pages), *cast(tuple[_Rendered, Written | None], data)


def _render_share(share: tuple[int, int], job: _RenderJob) -> _Rendered:
    rendered: _Rendered = []
    for page in render_pages(job.site, share, job.skip):
        if job.detach_blocks:
            text, digests = job.store.detach(page.text)
        else:
            text, digests = attached(page.text), ()
        rendered.append((page.path, text.encode("utf-8"), digests))
    return rendered


def _render_data(job: _RenderJob) -> tuple[_Rendered, Written | None]:
    """The data files; with ``downloads``, written there (the folder is replaced: the last site
    may still link the old files), and staged as empty files."""
    downloads = job.downloads
    if downloads is None:
        texts = data_files(job.site.card, title=job.title, licence=job.licence)
        encoded = (
            (path, compress_text(path, text) if compression(path) else text.encode("utf-8"))
            for path, text in texts.items()
        )
        return [(path, content, ()) for path, content in encoded], None
    fresh = downloads.with_name(f"{downloads.name}-new")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    pieces = data_file_pieces(job.site.card, title=job.title, licence=job.licence)
    written = write_data_files(fresh, pieces, job.last_data)
    shutil.rmtree(downloads, ignore_errors=True)
    fresh.rename(downloads)
    # A whole build compresses here, while other processes render pages, rather than after
    # MkDocs in the main process (place_downloads then finds each copy made). A rebuild of hrdd
    # serve (last_data) leaves it to place_downloads: the edited page is shown before it.
    if job.last_data is None:
        for path in written.files:
            if compression(path):
                compressed_download(downloads, path)
    return [(path, b"", ()) for path in written.files], written.moved(downloads)


def with_repository(path: str, content: bytes, repo_url: str) -> bytes:
    """A hand-written page with the placeholder repository address (``REPOSITORY``, as in the
    demo's mkdocs.yml) replaced by mkdocs.yml's ``repo_url``: the Submit page shows the real
    clone URL of whichever scorecard builds it."""
    if not path.endswith(".md") or not repo_url or repo_url.rstrip("/") == REPOSITORY:
        return content
    return content.replace(REPOSITORY.encode("utf-8"), repo_url.rstrip("/").encode("utf-8"))


def _read_tree(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- 4. stage ------------------------------------------------------------------------------


def sync_tree(folder: Path, tree: Mapping[str, bytes], previous: Mapping[str, bytes] | None = None) -> list[str]:
    """Make ``folder`` hold exactly ``tree``, touching only files that change (so that a live
    server rebuilds only when something did, and MkDocs' dirty build sees what changed).
    ``previous``: the tree this function last put there, to skip reading the folder (a file
    with the same bytes there is taken as unchanged: compared in memory, which is immediate for
    a page reused whole). Returns the paths written or removed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    if previous is None:
        present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    else:
        present = set(previous)
    for path in sorted(present - tree.keys()):
        (folder / path).unlink(missing_ok=True)  # gone already if an earlier sync failed half-way
        changed.append(path)
    for path, content in tree.items():
        target = folder / path
        if previous is not None and previous.get(path) == content:
            continue
        # Same size first: most changed files change size, and reading is the cost at scale.
        if path in present and target.stat().st_size == len(content) and target.read_bytes() == content:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        changed.append(path)
    if previous is None or present - tree.keys():
        for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
            if not any(sub.iterdir()):
                sub.rmdir()
    return changed


# --- 5 and 6. build and swap ---------------------------------------------------------------


def epoch_for(card: Scorecard) -> str:
    """SOURCE_DATE_EPOCH for MkDocs: as given, else midnight UTC of the data's last update."""
    given = given_epoch()
    if given is not None:
        return given
    day = card.updated or next((fw.released for fw in card.frameworks if fw.released), None)
    if day is None:
        return "0"
    moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), dt.UTC)
    # MkDocs writes it into sitemap.xml.gz, whose header holds 0 to 2**32 - 1 seconds: a date before
    # 1970 (hrdd.limits accepts dates from 1900) counts as 1970.
    return str(min(max(int(moment.timestamp()), 0), 2**32 - 1))


def given_epoch() -> str | None:
    """SOURCE_DATE_EPOCH when set; a usage error when it is not a time the build can write."""
    given = os.environ.get("SOURCE_DATE_EPOCH")
    if given is not None and (not given.isdigit() or int(given) >= 2**32):
        raise UsageError(
            f"SOURCE_DATE_EPOCH={given[:40]!r} is not a number of seconds from 0 to {2**32 - 1}; fix or unset it"
        )
    return given


@contextmanager
def source_date_epoch(value: str) -> Iterator[None]:
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = value
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def site_extra(config: MkDocsConfig, card: Scorecard, *, versioned: bool) -> dict[str, Any]:
    """``extra`` for the theme: the edition (named by the outdated-edition notice), and the version
    selector only on a versioned site; elsewhere Material would request a ``versions.json`` that
    does not exist, on every page."""
    extra = {k: v for k, v in dict(config.extra).items() if versioned or k != "version"}
    extra["edition"] = card.edition
    return extra


def run_mkdocs(
    project: Project,
    docs_dir: Path,
    out_dir: Path,
    generated: Generated,
    settings: Settings,
    *,
    versioned: bool = False,
    serve_url: str | None = None,
    indexed: shards.Indexed | None = None,
    split: bool = True,
) -> int:
    """A MkDocs build of the staged docs into ``out_dir``, with the detached blocks spliced back
    in; split over worker processes when the scorecard is large (``hrdd.site.shards``). Strict,
    except for ``hrdd serve`` (``serve_url``), which shows warnings and keeps serving.
    ``indexed`` receives what MkDocs saw of each page (for ``rebuild_mkdocs``). Without
    ``split``, one ordinary MkDocs build (no worker processes, no private internals).
    Returns the number of processes that built it."""
    return shards.build(
        functools.partial(_mkdocs_config, project, docs_dir, generated, versioned, serve_url),
        out_dir,
        detached=generated.detached,
        directory_urls=settings.directory_urls,
        shardable=generated.pages,
        serve_url=serve_url,
        indexed=indexed,
        split=split,
    )


def rebuild_mkdocs(
    project: Project,
    docs_dir: Path,
    out_dir: Path,
    generated: Generated,
    settings: Settings,
    *,
    changed: Collection[str],
    serve_url: str,
    indexed: shards.Indexed,
) -> bool:
    """For ``hrdd serve``: build again into ``out_dir``, built before by ``run_mkdocs`` from the
    same configuration and the same set of staged files, only the pages that may have changed
    since (``changed``: the staged files that changed; see ``shards.rebuild``).
    False if it could not: then ``run_mkdocs``."""
    return shards.rebuild(
        _mkdocs_config(project, docs_dir, generated, False, serve_url, out_dir),
        out_dir,
        changed=changed,
        detached=generated.detached,
        directory_urls=settings.directory_urls,
        shardable=generated.pages,
        serve_url=serve_url,
        indexed=indexed,
    )


def _mkdocs_config(
    project: Project, docs_dir: Path, generated: Generated, versioned: bool, serve_url: str | None, site_dir: Path
) -> MkDocsConfig:
    config = load_mkdocs_config(project, docs_dir=docs_dir, site_dir=site_dir, strict=serve_url is None)
    config["copyright"] = generated.credit
    config["extra"] = site_extra(config, generated.card, versioned=versioned)
    if serve_url is not None:
        config["site_url"] = serve_url
    keep_compiled_templates(config, project.cache / "compiled")
    return config


def keep_compiled_templates(config: MkDocsConfig, folder: Path) -> None:
    """Let the theme's Jinja2 environment keep its compiled templates in a folder under
    ``folder``: each MkDocs process of each build (and each ``hrdd serve`` rebuild) compiles
    Material's templates otherwise, about 0.3 s of CPU. Jinja2's own bytecode cache: an entry
    is keyed by the template's file and used only while its source is the same (a checksum) and
    for the same Jinja2 and Python; the folder is named after the MkDocs, Material and Jinja2
    versions, which make the environment the templates are compiled for. The pages are the
    same with or without it (tests/site/test_build.py)."""
    versions = "-".join(f"{name}-{metadata.version(name)}" for name in ("mkdocs", "mkdocs-material", "jinja2"))
    cache = folder / versions
    theme = config.theme
    make_env = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        cache.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache))
        return env

    setattr(theme, "get_env", get_env)  # noqa: B010 - the method of this configuration's theme only


def _write_stage_config(project: Project, stage: Path, generated: Generated, *, versioned: bool) -> None:
    """The plain path's staged tree gets its own configuration (``hrdd.site.staged``)."""
    config = _mkdocs_config(project, stage, generated, versioned, None, project.cache / "site")
    overrides = theme_overrides(project.config, project.cache)
    staged.write_config(project.config, stage, overrides, copyright=generated.credit, extra=dict(config.extra))


def _check_site_dir(project: Project, site_dir: Path) -> None:
    target = site_dir.resolve()
    protected = [project.root, project.docs, project.frameworks, project.assessments, project.cache]
    for folder in protected:
        folder = folder.resolve()
        if target == folder or folder.is_relative_to(target):
            raise BuildError(
                f"refusing to build into {display_path(site_dir)}: it would replace {display_path(folder)}"
            )
    for folder in protected[1:]:
        if target.is_relative_to(folder.resolve()):
            raise BuildError(f"refusing to build into {display_path(site_dir)}: it is inside {display_path(folder)}")
    if site_dir.exists() and not site_dir.is_dir():
        raise BuildError(f"{display_path(site_dir)} exists and is not a folder")


def build_site(
    project_root: Path,
    *,
    site_dir: Path | None = None,
    frameworks_dir: Path | None = None,
    edition: int | None = None,
    publication: Publication | None = None,
    use_cache: bool = True,
    detach_blocks: bool = True,
    plain: bool = False,
) -> BuildResult:
    """Build the site; with ``publication`` (from ``hrdd publish``), the site of a published,
    versioned edition: its record of corrections and Material's version selector included.

    With ``plain`` (``hrdd build --no-split``), the plain path: a staged docs tree that is a
    complete site on its own (every page whole, the data files in it: nothing is put in after
    MkDocs, whose pages only have their whitespace compacted; its own ``.hrdd-cache/mkdocs.yml``
    beside it) and one ordinary MkDocs build of it.
    The fast path gives the same pages (tests/site/test_shards.py)."""
    started = time.monotonic()
    project = Project.at(project_root, frameworks_dir, use_cache=use_cache)
    site_dir = site_dir or project.root / "site"
    _check_site_dir(project, site_dir)
    # One build at a time per project: builds share .hrdd-cache (hrdd.site.atomic).
    with atomic.project_lock(project.cache, display_path(project.cache)):
        atomic.remove_strays(site_dir)
        # Made first: an output folder that cannot be written fails before any work is done.
        new = atomic.new_site_folder(site_dir)
        try:
            stage = project.cache / "docs"
            stage.mkdir(parents=True, exist_ok=True)
            settings = read_settings(project, stage)
            generated = generate(
                project,
                settings,
                edition,
                publication,
                detach_blocks=detach_blocks and not plain,
                downloads=None if plain else project.cache / "downloads",  # plain: the data files staged too
            )
            sync_tree(stage, generated.tree)
            if plain:
                _write_stage_config(project, stage, generated, versioned=publication is not None)
            else:  # the fast path's stage is not a site on its own: no configuration says it is
                (project.cache / staged.CONFIG).unlink(missing_ok=True)
            with source_date_epoch(epoch_for(generated.card)):
                processes = run_mkdocs(
                    project, stage, new, generated, settings, versioned=publication is not None, split=not plain
                )
            place_downloads(generated, new)
            # The pages MkDocs wrote, not the staged .md files: mkdocs.yml may exclude some.
            pages = sum(
                1
                for p in generated.tree
                if p.endswith(".md") and (new / built_file(p, settings.directory_urls)).is_file()
            )
            atomic.pause("built")
            atomic.swap(new, site_dir)
        finally:
            if new.exists():
                shutil.rmtree(new, ignore_errors=True)
    return BuildResult(
        site_dir=site_dir,
        card=generated.card,
        pages=pages,
        seconds=time.monotonic() - started,
        processes=processes,
        site_url=settings.site_url,
    )
