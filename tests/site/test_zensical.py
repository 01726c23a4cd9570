"""The plain path's staged tree is a site on its own (``hrdd build --no-split``; hrdd.site.staged):
built without hrdd, by the MkDocs command line or by Zensical 0.0.73 (Material's successor), it
gives the pages hrdd builds, with nothing put in after the engine but the compaction of their
whitespace (hrdd.site.compact)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hrdd.site.build import build_site
from hrdd.site.compact import compact, compact_plain
from tests.conftest import REPO

_ARTICLE = re.compile(r"<article\b[^>]*>(.*)</article>", re.DOTALL)
_HIDDEN = re.compile(r"<script\b.*?</script>|<style\b.*?</style>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
ZENSICAL = Path(sys.executable).parent / "zensical"

# What differs between hrdd's build and Zensical's, page by page (article text, whitespace
# normalised): nothing, for the bundled demo. A difference found later goes here, one line
# each, with its reason, and into the issue note.
ZENSICAL_DIFFERS: dict[str, str] = {}


def _pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def _article(page: str) -> str | None:
    found = _ARTICLE.search(page)
    return found.group(1) if found else None


def _text(markup: str | None) -> str | None:
    """The text a reader sees in the markup, whitespace-normalised."""
    if markup is None:
        return None
    return " ".join(html.unescape(_TAG.sub(" ", _HIDDEN.sub("", markup))).split())


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled demo, built the plain way."""
    project = tmp_path_factory.mktemp("zensical") / "demo"
    project.mkdir()
    for name in ("assessments", "frameworks", "docs"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    build_site(project, plain=True)
    return project


@pytest.mark.slow
def test_the_staged_tree_has_its_configuration_and_no_placeholders(demo: Path) -> None:
    stage = demo / ".hrdd-cache" / "docs"
    config = (demo / ".hrdd-cache" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "docs_dir: docs\n" in config and "custom_dir: theme\n" in config
    staged = [p for p in stage.rglob("*") if p.is_file()]
    assert any(p.name == "answers.csv.gz" and p.stat().st_size > 0 for p in staged)  # the data, not empty files
    assert not any(b"hrdd:" in p.read_bytes() for p in staged if p.suffix == ".md")


@pytest.mark.slow
def test_mkdocs_builds_the_staged_tree_into_the_pages_hrdd_builds(demo: Path, tmp_path: Path) -> None:
    """``mkdocs build -f .hrdd-cache/mkdocs.yml`` (MkDocs' own command line, no hrdd): every
    page's article is hrdd's byte for byte once its whitespace is compacted (hrdd compacts the
    pages it builds: hrdd.site.compact), and every other file but the sitemaps (dated by the
    build) is the same. On these real pages, the fast and the plain compaction agree, and
    compaction changes whitespace only."""
    out = tmp_path / "mkdocs-site"
    config = demo / ".hrdd-cache" / "mkdocs.yml"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)], check=True)
    ours, theirs = _pages(demo / "site"), _pages(out)
    assert ours.keys() == theirs.keys()
    assert len(ours) > 20
    compacted = {p: compact(page) for p, page in theirs.items()}
    assert [p for p in theirs if compact_plain(theirs[p]) != compacted[p]] == []
    assert [p for p in theirs if "".join(theirs[p].split()) != "".join(compacted[p].split())] == []
    assert sum(map(len, compacted.values())) < 0.97 * sum(map(len, theirs.values()))
    differ = [p for p in ours if _article(ours[p]) != _article(compacted[p])]
    assert differ == []
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.suffix != ".html"}
    for path in sorted(files - {"sitemap.xml", "sitemap.xml.gz"}):
        assert (out / path).read_bytes() == (demo / "site" / path).read_bytes(), path


@pytest.mark.slow
@pytest.mark.skipif(
    not ZENSICAL.is_file(), reason="zensical 0.0.73 is not installed (pip install zensical==0.0.73: the test extra)"
)
def test_zensical_builds_the_staged_tree_into_the_same_visible_pages(demo: Path) -> None:
    folder = demo / ".hrdd-cache"
    shutil.rmtree(folder / "site", ignore_errors=True)
    subprocess.run([str(ZENSICAL), "build", "-f", str(folder / "mkdocs.yml")], check=True, capture_output=True)
    ours, theirs = _pages(demo / "site"), _pages(folder / "site")
    assert ours.keys() == theirs.keys()
    differ = {p for p in ours if _text(_article(ours[p])) != _text(_article(theirs[p]))}
    assert differ == set(ZENSICAL_DIFFERS)
    company = next(p for p in ours if p.startswith("companies/") and p.count("/") == 2)
    # The whole page, not a placeholder: at least as long as hrdd's (whose whitespace is compacted).
    assert len(theirs[company]) >= len(ours[company]) > 30_000


@pytest.mark.slow
def test_hrdd_build_no_split_is_the_plain_path(project: Path) -> None:
    """``hrdd build --no-split`` stages the whole tree with its configuration; a build the fast
    way afterwards takes that configuration away (its stage is not a site on its own)."""
    from hrdd.cli import main

    config = project / ".hrdd-cache" / "mkdocs.yml"
    assert main(["build", "--project", str(project), "--no-split"]) == 0
    assert config.is_file()
    page = (project / ".hrdd-cache" / "docs" / "companies" / "mini-telecom" / "answers.md").read_text("utf-8")
    assert "hrdd:" not in page and 'id="indicator-details"' in page
    assert main(["build", "--project", str(project)]) == 0
    assert not config.exists()
    page = (project / ".hrdd-cache" / "docs" / "companies" / "mini-telecom" / "answers.md").read_text("utf-8")
    assert "hrdd:splice" in page
