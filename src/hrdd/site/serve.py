"""``hrdd serve``: the site with live reload, regenerated whenever a data file changes.

MkDocs' development server watches the staged docs folder and rebuilds and reloads the browser
when anything in it changes. A watcher thread here polls the project's frameworks/, assessments/
and docs/ folders; when a file there changes, it validates and regenerates the staged tree,
writing only the files whose content changed, and MkDocs notices those. No MkDocs plugin or hook
is involved. An invalid file is reported and the last good pages stay up until it is fixed.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from mkdocs.commands.serve import serve as mkdocs_serve

from hrdd.errors import BuildError
from hrdd.site.build import (
    Project,
    Settings,
    epoch_for,
    generate,
    load_mkdocs_config,
    read_settings,
    site_extra,
    source_date_epoch,
    sync_tree,
)
from hrdd.site.theme import theme_overrides

POLL_SECONDS = 1.0

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
        self, project: Project, settings: Settings, stage: Path, report: Callable[[str], None] = _stderr
    ) -> None:
        self.project = project
        self.settings = settings
        self.stage = stage
        self.report = report
        self.last = snapshot(project.data_folders())
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hrdd-regenerate", daemon=True)

    def check(self) -> bool:
        """Regenerate if any file changed since the last check; True if the stage was updated."""
        now = snapshot(self.project.data_folders())
        if now == self.last:
            return False
        self.last = now
        try:
            generated = generate(self.project, self.settings, detach_blocks=False)
        except BuildError as exc:
            self.report(f"{exc.details}hrdd: {exc}\nhrdd: keeping the last good pages until this is fixed")
            return False
        changed = sync_tree(self.stage, generated.tree)
        self.report(f"hrdd: regenerated the pages ({changed} files changed)")
        return changed > 0

    def _run(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            self.check()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def _show_mkdocs_log() -> logging.Handler:
    # Outside its own command line MkDocs has no log handler; show what `mkdocs serve` would.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return handler


def serve(project_root: Path, *, frameworks_dir: Path | None = None, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Generate the pages, then serve them with live reload until interrupted."""
    project = Project.at(project_root, frameworks_dir)
    # A stage of its own, so that `hrdd build` can run while the preview is up.
    stage = project.cache / "serve" / "docs"
    stage.mkdir(parents=True, exist_ok=True)
    settings = read_settings(project, stage)
    # Whole pages: MkDocs' server builds them itself, with nothing to splice the blocks back.
    generated = generate(project, settings, detach_blocks=False)
    sync_tree(stage, generated.tree)
    extra = site_extra(load_mkdocs_config(project, docs_dir=stage), generated.card, versioned=False)
    regenerator = Regenerator(project, settings, stage)
    regenerator.start()
    handler = _show_mkdocs_log()
    try:
        with source_date_epoch(epoch_for(generated.card)):
            mkdocs_serve(
                config_file=str(project.config),
                **theme_overrides(project.config, project.cache),
                livereload=True,
                watch_theme=True,
                docs_dir=str(stage),
                copyright=generated.credit,
                extra=extra,
                dev_addr=f"{host}:{port}",
            )
    finally:
        regenerator.stop()
        logging.getLogger("mkdocs").removeHandler(handler)
