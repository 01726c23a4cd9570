"""A private preview for one company: its pages built from its preliminary assessment, with the
published scorecard around it, so that the NGO can send the company exactly what it will be
judged on (``hrdd preview --company SLUG --out DIR``).

The preview is the site as it would be if that one assessment were published (as of its cycle):
no other unpublished assessment gets in. Every page says "Preliminary: not for publication" and
asks search engines not to index it. It is staged in its own folders under ``.hrdd-cache/preview``
and written to ``DIR`` only: the public site and its build cache are never touched.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from hrdd.errors import UsageError
from hrdd.models import Framework
from hrdd.project import Project, display_path
from hrdd.site import Stored, atomic, collect
from hrdd.site.build import (
    _check_site_dir,
    _fail_on_problems,
    _generate,
    epoch_for,
    place_downloads,
    read_settings,
    run_mkdocs,
    source_date_epoch,
    stored_assessments,
    sync_tree,
    validate_project,
)
from hrdd.site.render import Site
from hrdd.site.templates import fingerprint
from hrdd.site.theme import project_templates

NOTICE = "Preliminary: not for publication"
BANNER = (
    '<div class="hrdd-preliminary" role="note" style="background:#b71c1c;color:#fff;padding:.6em 1em;'
    'text-align:center;font-weight:bold">'
    f"{NOTICE}. A preview of an assessment that is not published: do not share it further.</div>"
)
NOINDEX = '<meta name="robots" content="noindex, nofollow">'


@dataclass(frozen=True, slots=True)
class Preview:
    out: Path
    slug: str
    cycle: int
    pages: int

    def summary(self) -> str:
        return (
            f"wrote a preview of {self.slug}'s preliminary {self.cycle} assessment to {display_path(self.out)} "
            f"({self.pages} pages, each marked '{NOTICE}')"
        )


def build_preview(
    root: Path, slug: str, out: Path, *, frameworks_dir: Path | None = None, force: bool = False
) -> Preview:
    """Build the preview of ``slug``'s (latest) preliminary independent assessment into ``out``."""
    project = Project.at(root, frameworks_dir, use_cache=True)
    public = (project.root / "site").resolve()
    target = out.resolve()
    if target == public or target.is_relative_to(public) or public.is_relative_to(target):
        raise UsageError(f"refusing to write a preview into {display_path(out)}: it is the public site's folder")
    _check_site_dir(project, out)
    if out.exists() and any(out.iterdir()) and not force:
        raise UsageError(f"{display_path(out)} exists and is not empty; choose another --out or add --force")
    report, frameworks = validate_project(project)
    _fail_on_problems(report)
    stored = stored_assessments(report)
    chosen = _preliminary(stored, slug)
    promoted = [
        (dataclasses.replace(s, facts=dataclasses.replace(s.facts, status="published")) if s is chosen else s, fw)
        for s, fw in stored
    ]
    card = collect(
        promoted, frameworks, source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH"), edition=chosen.facts.cycle
    )
    staging = project.cache / "preview"
    stage = staging / "docs"
    stage.mkdir(parents=True, exist_ok=True)
    settings = read_settings(project, stage)
    theme_dir = project_templates(project.config)  # the project's page template overrides, as in a build
    site = Site(
        card=card,
        site_name=settings.site_name,
        directory_urls=settings.directory_urls,
        theme_dir=theme_dir,
        theme_key=fingerprint(theme_dir),
        data_licence=settings.data_licence,
    )
    generated = _generate(project, settings, site, True, staging / "downloads", staging / "blocks", None)
    sync_tree(stage, generated.tree)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic.remove_strays(out)
    new = atomic.new_site_folder(out)
    try:
        with source_date_epoch(epoch_for(generated.card)):
            run_mkdocs(project, stage, new, generated, settings)
        place_downloads(generated, new)
        pages = mark_pages(new)
        atomic.swap(new, out)
    finally:
        if new.exists():
            shutil.rmtree(new, ignore_errors=True)
    return Preview(out=out, slug=slug, cycle=chosen.facts.cycle, pages=pages)


def _preliminary(stored: list[tuple[Stored, Framework]], slug: str) -> Stored:
    mine = [s for s, _ in stored if s.facts.company.slug == slug]
    if not mine:
        raise UsageError(f"no valid assessment of a company {slug!r} in assessments/")
    preliminary = [s for s in mine if s.facts.status == "preliminary" and not s.facts.is_self_assessment]
    if not preliminary:
        statuses = ", ".join(sorted({f"{s.facts.cycle}: {s.facts.status}" for s in mine}))
        raise UsageError(
            f"{slug} has no preliminary independent assessment ({statuses}); set status: preliminary on the one "
            "to preview"
        )
    return max(preliminary, key=lambda s: s.facts.cycle)


def mark_pages(folder: Path) -> int:
    """Put the preliminary notice at the top of every page and ask robots not to index it."""
    count = 0
    for page in sorted(folder.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        head = html.find("<head>")
        body = html.find("<body")
        body_end = html.find(">", body) if body >= 0 else -1
        if head < 0 or body_end < 0:
            raise AssertionError(f"{page} has no <head> or <body>: cannot mark it as preliminary")
        html = html[: head + 6] + NOINDEX + html[head + 6 : body_end + 1] + BANNER + html[body_end + 1 :]
        page.write_text(html, encoding="utf-8")
        count += 1
    return count
