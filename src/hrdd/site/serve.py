"""``hrdd serve``: the site with live reload, rebuilt whenever a data file changes.

The same pipeline as ``hrdd build`` (validate, render, stage, MkDocs, splice the detached blocks
back in: ``hrdd.site.splice``), served by MkDocs' own live-reload server
(``mkdocs.livereload.LiveReloadServer``) with hrdd's builder in place of MkDocs': MkDocs' server
would build the staged pages but has no step to splice into them. The server watches the
project's frameworks/, assessments/ and docs/, mkdocs.yml and its theme.custom_dir; on a change the
builder regenerates the staged tree if the data changed (writing only files whose content
changed; the data files apart, as ``hrdd build`` does), rebuilds with MkDocs, splices, puts the
data files in place, and the browser reloads. After an edit only what changed is done again:
the last generation's company pages and data are reused (``hrdd.site.incremental``) and MkDocs
builds only the changed pages (``SiteBuilder``). An invalid file is reported
and the last good pages stay up until it is fixed. No MkDocs plugin or hook is involved.
Rebuilds run in a child process forked before the server's threads start (``ForkedBuilder``),
so that they may use worker processes like ``hrdd build``.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing.context
import multiprocessing.process
import os
import signal
import sys
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import cast

from mkdocs.livereload import LiveReloadServer

from hrdd.errors import BuildError
from hrdd.load import is_feedback_file
from hrdd.parallel import fork_context
from hrdd.project import Project
from hrdd.site.build import (
    Generated,
    Settings,
    epoch_for,
    generate,
    place_downloads,
    read_settings,
    rebuild_mkdocs,
    run_mkdocs,
    source_date_epoch,
    sync_tree,
)
from hrdd.site.incremental import Reuse
from hrdd.site.shards import Indexed
from hrdd.site.theme import user_theme

Snapshot = dict[str, tuple[int, int]]


def snapshot(folders: Iterable[Path]) -> Snapshot:
    """Every file under the folders with its modification time and size."""
    found: Snapshot = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


def _stderr(message: str) -> None:
    sys.stderr.write(message if message.endswith("\n") else message + "\n")
    sys.stderr.flush()


class Regenerator:
    """Regenerates the staged docs when the project's data changes."""

    def __init__(
        self,
        project: Project,
        settings: Settings,
        stage: Path,
        report: Callable[[str], None] = _stderr,
        generated: Generated | None = None,
        downloads: Path | None = None,
        blocks: Path | None = None,
        reuse: Reuse | None = None,
    ) -> None:
        self.project = project
        self.settings = settings
        self.stage = stage
        self.downloads = downloads
        """Where the data files are written (see ``generate``); None: staged with the pages."""
        self.blocks = blocks
        """Where the detached blocks are kept (see ``generate``); None: the build's store."""
        self.reuse = reuse
        """What a generation may take from the last one (``hrdd.site.incremental``)."""
        self.report = report
        self.last = snapshot(project.data_folders())
        self.generated = generated
        """The last good generation: what the staged tree holds, and its detached blocks."""

    def check(self) -> list[str]:
        """Regenerate if any file changed since the last check; the staged files that changed."""
        now = snapshot(self.project.data_folders())
        if now == self.last:
            return []
        if self.reuse is not None and any(
            is_feedback_file(Path(p))
            for p in now.keys() ^ self.last.keys() | {p for p in now if now[p] != self.last.get(p)}
        ):
            # A company page shows the feedback on its assessment, which the reused pages' key
            # (the assessment's scores) does not cover.
            self.reuse.forget()
        self.last = now
        try:
            generated = generate(
                self.project, self.settings, downloads=self.downloads, blocks=self.blocks, reuse=self.reuse
            )
        except BuildError as exc:
            self.report(f"{exc.details}hrdd: {exc}\nhrdd: keeping the last good pages until this is fixed")
            return []
        previous = self.generated.tree if self.generated is not None else None
        changed = sync_tree(self.stage, generated.tree, previous)
        self.generated = generated
        self.report(f"hrdd: regenerated the pages ({len(changed)} files changed)")
        return changed


class SiteBuilder:
    """What the live-reload server calls on every change: regenerate if the data changed,
    then build the staged tree with MkDocs into ``site_dir`` and splice the blocks back in.

    After the first build, when the same files are staged and nothing else MkDocs reads
    changed (mkdocs.yml, the theme, the footer), only the pages that changed are built again
    (``build.rebuild_mkdocs``); otherwise the whole site."""

    def __init__(self, regenerator: Regenerator, site_dir: Path, serve_url: str) -> None:
        self.regenerator = regenerator
        self.site_dir = site_dir
        self.serve_url = serve_url
        self.pending: set[str] = set()
        """Staged files changed since the site was last built."""
        self.indexed = Indexed()
        """What MkDocs saw of each page the site holds (``shards.rebuild``)."""
        self.built: tuple[object, ...] | None = None
        """What the site was last built from, besides the pages (None: build it whole)."""

    def _basis(self, generated: Generated) -> tuple[object, ...]:
        """What every page of the site depends on, besides its own staged file."""
        project = self.regenerator.project
        custom_dir = user_theme(project.config)[1] if project.config.is_file() else None
        theme = [custom_dir] if custom_dir is not None and custom_dir.is_dir() else []
        config = project.config.stat() if project.config.is_file() else None
        mkdocs_yml = None if config is None else (config.st_mtime_ns, config.st_size)
        return (mkdocs_yml, snapshot(theme), generated.credit, generated.card.edition, frozenset(generated.tree))

    def __call__(self) -> None:
        r = self.regenerator
        try:
            self.pending.update(r.check())
        except BaseException:
            self.built = None  # what changed is not known: build the whole site next time
            raise
        generated = r.generated
        if generated is None:
            return  # nothing good to show yet; the problems were reported
        basis = self._basis(generated)
        partial = basis == self.built
        if partial and not self.pending:
            return  # the site shows the last good pages already
        self.built = None  # until this build succeeds
        with source_date_epoch(epoch_for(generated.card)):
            if not partial or not self._rebuild(generated):
                self.indexed = Indexed()
                run_mkdocs(
                    r.project,
                    r.stage,
                    self.site_dir,
                    generated,
                    r.settings,
                    serve_url=self.serve_url,
                    indexed=self.indexed,
                )
        place_downloads(generated, self.site_dir)
        self.pending.clear()
        self.built = basis

    def _rebuild(self, generated: Generated) -> bool:
        r = self.regenerator
        # The data files in the site are hard links into the downloads folder: MkDocs copying
        # a staged (empty) stand-in over one would empty the real file. A dirty build copies a
        # file only if it is newer than the copy in the site, so the stand-ins are dated 1970.
        for path in generated.data:
            os.utime(r.stage / path, ns=(0, 0))
        return rebuild_mkdocs(
            r.project,
            r.stage,
            self.site_dir,
            generated,
            r.settings,
            changed=self.pending,
            serve_url=self.serve_url,
            indexed=self.indexed,
        )


class ForkedBuilder:
    """The builder, run in a child process forked before the server starts its threads.

    A process with other threads running must not fork (hrdd.parallel.fork_context), and the
    live-reload server runs threads; so, in the server's process, every rebuild would render
    and build in one process. The child has no other thread: its rebuilds use worker
    processes like ``hrdd build``. It keeps the builder's state (the last good generation) and
    builds on request; without fork (or with threads already running), the builder runs here.
    """

    def __init__(self, builder: Callable[[], None]) -> None:
        self.builder = builder
        self.process: multiprocessing.process.BaseProcess | None = None
        context = fork_context()
        if context is None:
            return
        fork = cast(multiprocessing.context.ForkContext, context)  # fork_context gives only fork
        self.connection, child = fork.Pipe()
        self.process = fork.Process(target=_build_on_request, args=(builder, child), name="hrdd-builder")
        self.process.start()
        child.close()

    def __call__(self) -> None:
        if self.process is None:
            self.builder()
            return
        self.connection.send(True)
        failure = self.connection.recv()
        if failure is not None:
            raise BuildError(f"the rebuild failed: {failure}")

    def close(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(OSError):
            self.connection.send(False)
        self.process.join(timeout=5)
        if self.process.is_alive():  # in the middle of a rebuild: stop it
            self.process.terminate()
            self.process.join()


def _build_on_request(builder: Callable[[], None], connection: Connection) -> None:
    # Ctrl-C reaches the whole process group; the server's process stops this one (close()).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        while connection.recv():
            try:
                builder()
            except Exception as exc:  # noqa: BLE001 - reported to the server, which keeps serving
                connection.send(f"{type(exc).__name__}: {exc}")
            else:
                connection.send(None)
    except EOFError:
        pass  # the server's process is gone


def _show_mkdocs_log() -> logging.Handler:
    # Outside its own command line MkDocs has no log handler; show what `mkdocs serve` would.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return handler


def serve(
    project_root: Path,
    *,
    frameworks_dir: Path | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    use_cache: bool = True,
) -> None:
    """Generate the pages, then serve them with live reload until interrupted."""
    project = Project.at(project_root, frameworks_dir, use_cache=use_cache)
    # A stage and a site of its own, so that `hrdd build` can run while the preview is up.
    stage = project.cache / "serve" / "docs"
    site_dir = project.cache / "serve" / "site"
    downloads, blocks = project.cache / "serve" / "downloads", project.cache / "serve" / "blocks"
    stage.mkdir(parents=True, exist_ok=True)
    settings = read_settings(project, stage)
    # Invalid data at start: the error ends the command.
    reuse = Reuse()
    generated = generate(project, settings, downloads=downloads, blocks=blocks, reuse=reuse)
    sync_tree(stage, generated.tree)
    regenerator = Regenerator(
        project, settings, stage, generated=generated, downloads=downloads, blocks=blocks, reuse=reuse
    )
    server = LiveReloadServer(builder=lambda: None, host=host, port=port, root=str(site_dir))
    builder = SiteBuilder(regenerator, site_dir, server.url)
    server.builder = builder

    def error_page(code: int) -> bytes | None:
        page = site_dir / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    handler = _show_mkdocs_log()
    forked: ForkedBuilder | None = None
    try:
        builder()
        # The project's own theme folder, not the merged copy each build rewrites (hrdd.site.theme).
        custom_dir = user_theme(project.config)[1]
        theme = [custom_dir] if custom_dir is not None and custom_dir.is_dir() else []
        for watched in [*project.data_folders(), project.config, *theme]:
            server.watch(str(watched))
        forked = ForkedBuilder(builder)  # before server.serve() starts the server's threads
        server.builder = forked
        try:
            server.serve()  # type: ignore[no-untyped-call]  # MkDocs leaves it unannotated
        except KeyboardInterrupt:
            logging.getLogger("mkdocs").info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        if forked is not None:
            forked.close()
        logging.getLogger("mkdocs").removeHandler(handler)
