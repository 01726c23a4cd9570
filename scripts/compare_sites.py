"""Compare two builds of a scorecard site page by page: is it the same site?

A change to how hrdd makes its site (templates, the build pipeline) must not change what the
site shows. This compares two built site folders:

- every HTML page's main content: the markup and text of its ``<article>`` element (Material's
  page content; a page without one is compared whole), so that a changed asset hash or a
  changed ``<head>`` does not hide behind a thousand identical pages, nor the reverse;
- every other file (data files, badges, feeds, the search index, the sitemap) byte for byte;
- pages and files that exist on one side only.

    python scripts/compare_sites.py SITE_A SITE_B
    python scripts/compare_sites.py --project PROJECT --base REV [--keep DIR]

The second form builds PROJECT twice, each from a fresh copy of it (no shared cache): once with
the hrdd of git revision REV (exported with ``git archive``, run from its ``src/`` with this
interpreter) and once with the hrdd installed here, then compares the two sites.

Exit status: 0 identical, 1 different (each difference listed), 2 usage or build error.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

_ARTICLE = re.compile(rb"<article\b[^>]*>(.*)</article>", re.DOTALL)


@dataclass
class Comparison:
    """What differs between site ``a`` and site ``b`` (paths relative to each site folder)."""

    pages: int = 0
    files: int = 0
    pages_differ: list[str] = field(default_factory=list)
    files_differ: list[str] = field(default_factory=list)
    only_a: list[str] = field(default_factory=list)
    only_b: list[str] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not (self.pages_differ or self.files_differ or self.only_a or self.only_b)

    def lines(self, a: str = "A", b: str = "B") -> list[str]:
        out = [f"page differs: {p}" for p in self.pages_differ]
        out += [f"file differs: {p}" for p in self.files_differ]
        out += [f"only in {a}: {p}" for p in self.only_a]
        out += [f"only in {b}: {p}" for p in self.only_b]
        verdict = "identical" if self.same else "different"
        out.append(
            f"{verdict}: {self.pages} pages compared by article content, {self.files} other files byte for byte; "
            f"{len(self.pages_differ)} pages and {len(self.files_differ)} files differ, "
            f"{len(self.only_a)} only in {a}, {len(self.only_b)} only in {b}"
        )
        return out


def main_content(html: bytes) -> bytes:
    """The ``<article>`` element's content (markup and text), or the whole page without one."""
    found = _ARTICLE.search(html)
    return found.group(1) if found else html


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def compare(a: Path, b: Path) -> Comparison:
    """Compare two built site folders (see the module docstring)."""
    result = Comparison()
    left, right = _files(a), _files(b)
    result.only_a = sorted(left - right)
    result.only_b = sorted(right - left)
    for path in sorted(left & right):
        one, two = (a / path).read_bytes(), (b / path).read_bytes()
        if path.endswith(".html"):
            result.pages += 1
            if main_content(one) != main_content(two):
                result.pages_differ.append(path)
        else:
            result.files += 1
            if one != two:
                result.files_differ.append(path)
    return result


def _export(revision: str, into: Path) -> Path:
    """The source tree of ``revision`` of the repository this script is in."""
    repo = Path(__file__).resolve().parent.parent
    archive = into / "source.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "-C", str(repo), "archive", revision], stdout=out, check=True)
    source = into / "source"
    with tarfile.open(archive) as tar:
        tar.extractall(source, filter="data")
    archive.unlink()
    return source


def _build(project: Path, site: Path, pythonpath: Path | None) -> None:
    """``hrdd build`` of a fresh copy of ``project`` into ``site``, with the hrdd under
    ``pythonpath`` (else the installed one)."""
    copy = site.parent / f"{site.name}-project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".hrdd-cache", "site"))
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    code = "import sys; from hrdd.cli import main; sys.exit(main(sys.argv[1:]))"
    command = [sys.executable, "-c", code, "build", "--project", str(copy), "--site-dir", str(site)]
    subprocess.run(command, env=env, check=True)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("sites", nargs="*", type=Path, help="two built site folders (A, then B)")
    parser.add_argument("--project", type=Path, help="a scorecard project to build twice")
    parser.add_argument("--base", help="the git revision whose hrdd builds site A (with --project)")
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)
    if bool(args.sites) == bool(args.project) or (args.sites and len(args.sites) != 2):
        parser.error("give either two site folders or --project with --base")
    if args.project and not args.base:
        parser.error("--project needs --base (the revision to compare with)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if args.sites:
        a, b = args.sites
        for folder in (a, b):
            if not folder.is_dir():
                print(f"{folder} is not a folder", file=sys.stderr)
                return 2
        comparison = compare(a, b)
        names = (str(a), str(b))
    else:
        work = args.keep or Path(tempfile.mkdtemp(prefix="hrdd-compare-"))
        work.mkdir(parents=True, exist_ok=True)
        try:
            source = _export(args.base, work)
            a, b = work / "site-base", work / "site-head"
            _build(args.project, a, source / "src")
            _build(args.project, b, None)
            comparison = compare(a, b)
        except subprocess.CalledProcessError as exc:
            print(f"a build failed: {exc}", file=sys.stderr)
            return 2
        finally:
            if args.keep is None:
                shutil.rmtree(work, ignore_errors=True)
        names = (args.base, "this checkout")
    for line in comparison.lines(*names):
        print(line)
    return 0 if comparison.same else 1


if __name__ == "__main__":
    sys.exit(main())
