"""Time page generation alone: ``render_pages`` over every page of a project, in one process.

Prints CPU seconds (``time.process_time``) per page kind, best of ``--repeat`` runs, and the
pages' size; with ``--profile``, the functions the time goes to (cProfile, one more run). It
asserts nothing: it prints figures, to compare two revisions on the same project, e.g.

    git archive 4e5221a | tar -x -C /tmp/old-4e5221a
    PYTHONPATH=/tmp/old-4e5221a/src .venv/bin/python scripts/render_timing.py --project P
    .venv/bin/python scripts/render_timing.py --project P

The project is checked and scored first (through the check cache, as ``hrdd build`` does);
only the rendering is timed. Works with revisions before and after the page templates.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import pstats
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

KINDS = (
    ("company, latest cycle", re.compile(r"companies/[^/]+/index\.md")),
    ("company, earlier cycle", re.compile(r"companies/[^/]+/\d+\.md")),
    ("indicator", re.compile(r"indicators/.+\.md")),
)


def kind_of(path: str) -> str:
    for name, pattern in KINDS:
        if pattern.fullmatch(path) and path != "indicators/index.md":
            return name
    return "other"


def make_site(root: Path) -> Any:
    """The ``Site`` a build of the project renders, made the way ``hrdd.site.build.generate`` does."""
    from hrdd.project import Project
    from hrdd.site import build as site_build
    from hrdd.site import collect
    from hrdd.site.render import Site

    project = Project.at(root, use_cache=True)
    report, frameworks = site_build.validate_project(project)
    site_build._fail_on_problems(report)
    card = collect(site_build.stored_assessments(report), frameworks, source_date_epoch=None, edition=None)
    with tempfile.TemporaryDirectory() as docs:
        settings = site_build.read_settings(project, Path(docs))
    options: dict[str, Any] = {
        "card": card,
        "site_name": settings.site_name,
        "directory_urls": settings.directory_urls,
        "repo_url": settings.repo_url,
        "edit_uri": settings.edit_uri,
    }
    if "theme_dir" in {f.name for f in dataclasses.fields(Site)}:  # a revision with page templates
        from hrdd.site.templates import fingerprint
        from hrdd.site.theme import project_templates

        options["theme_dir"] = project_templates(project.config)
        options["theme_key"] = fingerprint(options["theme_dir"])
    return Site(**options)


def timed_run(site: Any) -> tuple[dict[str, float], dict[str, int], dict[str, int]]:
    """CPU seconds, pages and characters per page kind, for one pass over every page."""
    from hrdd.site.render import render_pages

    seconds: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    chars: dict[str, int] = defaultdict(int)
    pages = render_pages(site)
    while True:
        started = time.process_time()
        page = next(pages, None)
        spent = time.process_time() - started
        if page is None:
            break
        kind = kind_of(page.path)
        seconds[kind] += spent
        counts[kind] += 1
        chars[kind] += len(page.text)
    return seconds, counts, chars


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--project", type=Path, default=Path("."), help="the scorecard project (default: .)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best is shown (default: 3)")
    parser.add_argument("--profile", action="store_true", help="then profile one more run (cProfile)")
    parser.add_argument("--top", type=int, default=40, help="functions shown by --profile (default: 40)")
    args = parser.parse_args(argv)

    import hrdd

    site = make_site(args.project.resolve())
    runs = [timed_run(site) for _ in range(args.repeat)]
    kinds = sorted({k for seconds, _, _ in runs for k in seconds})
    best = {k: min(seconds.get(k, 0.0) for seconds, _, _ in runs) for k in kinds}
    _, counts, chars = runs[0]
    print(f"hrdd from {Path(hrdd.__file__).parent}")
    print(f"project {args.project}; CPU seconds (time.process_time), best of {args.repeat}")
    print(f"{'page kind':<24} {'pages':>6} {'MB':>8} {'best s':>8} {'ms/page':>8}  all runs (s)")
    for k in kinds:
        every = " ".join(f"{seconds.get(k, 0.0):.3f}" for seconds, _, _ in runs)
        per = 1000 * best[k] / counts[k] if counts[k] else 0.0
        print(f"{k:<24} {counts[k]:>6} {chars[k] / 2**20:>8.2f} {best[k]:>8.3f} {per:>8.2f}  {every}")
    totals = [sum(seconds.values()) for seconds, _, _ in runs]
    print(
        f"{'all pages':<24} {sum(counts.values()):>6} {sum(chars.values()) / 2**20:>8.2f} {min(totals):>8.3f}"
        f" {'':>8}  {' '.join(f'{t:.3f}' for t in totals)}"
    )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        timed_run(site)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
