"""MkDocs split over forked worker processes (hrdd.site.shards) writes what one MkDocs build writes.

hrdd splits the build only for large scorecards (hundreds of pages per worker); here the
threshold is lowered, and fork forced, so that the small project is split over two workers.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

import hrdd.site.shards as shards
from hrdd.errors import BuildError
from hrdd.site import mkdocs_private
from hrdd.site.build import build_site
from tests.site.searchindex import assert_same_search_index


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _split_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Split every build over two forked workers, whatever the machine and the project's size
    (other tests may have left threads running, which makes hrdd itself avoid fork)."""
    monkeypatch.setattr(shards, "MIN_PAGES", 1)
    monkeypatch.setattr(shards, "cpu_count", lambda: 2)
    monkeypatch.setattr(shards, "fork_context", lambda: multiprocessing.get_context("fork"))


@pytest.fixture
def split(monkeypatch: pytest.MonkeyPatch) -> None:
    _split_builds(monkeypatch)


@pytest.mark.slow
def test_a_split_build_writes_what_one_build_writes(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = build_site(project, site_dir=tmp_path / "one")
    assert one.processes == 1
    _split_builds(monkeypatch)
    two = build_site(project, site_dir=tmp_path / "two")
    assert two.processes == 2
    # Every file, the search index (merged from both workers) and the spliced pages included.
    assert _tree(tmp_path / "two") == _tree(tmp_path / "one")
    assert b"Mini Telecom" in (tmp_path / "two" / "search" / "search_index.json").read_bytes()
    assert [p.name for p in tmp_path.iterdir() if "-shard-" in p.name] == []


@pytest.mark.slow
@pytest.mark.usefixtures("split")
def test_links_are_checked_across_workers_and_reported_once(project: Path) -> None:
    """A hand-written page is read by every worker, a company page by one: a link from the one
    to a missing anchor of the other is still found, and each warning is reported once."""
    (project / "docs" / "about.md").write_text(
        "# About\n\n[a missing page](nowhere.md)\n\n"
        "[a missing anchor](companies/mini-telecom/index.md#no-such-section)\n",
        encoding="utf-8",
    )
    with pytest.raises(BuildError, match="MkDocs could not build the site") as info:
        build_site(project)
    lines = info.value.details.splitlines()
    assert sum("nowhere.md" in line for line in lines) == 1
    assert sum("no-such-section" in line for line in lines) == 1
    assert not (project / "site").exists()


@pytest.mark.slow
@pytest.mark.usefixtures("split")
def test_a_plugin_not_known_to_be_safe_builds_in_one_process(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - search\n", "  - search\n  - tags\n"), "utf-8")
    assert "  - tags\n" in config.read_text(encoding="utf-8")
    assert build_site(project).processes == 1


def test_pages_listed_in_the_nav_are_never_split() -> None:
    nav = [{"Home": "index.md"}, {"Companies": ["companies/index.md", {"Acme": "companies/acme/index.md"}]}]
    assert shards.nav_pages(nav) == {"index.md", "companies/index.md", "companies/acme/index.md"}


@pytest.mark.usefixtures("split")
@pytest.mark.parametrize(("theme", "workers"), [("material", 2), ("mkdocs", 1)])
def test_only_materials_search_index_is_merged(tmp_path: Path, theme: str, workers: int) -> None:
    """MkDocs' own search plugin (other themes) builds its index differently: one process."""
    from mkdocs.config import load_config

    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(f"site_name: x\ntheme: {theme}\n", encoding="utf-8")
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    assert shards.workers_for(config, [f"companies/c{i}.md" for i in range(10)]) == workers


@pytest.mark.slow
def test_the_fast_path_builds_the_pages_of_the_plain_path(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``hrdd build --no-split`` (``plain``): one ordinary MkDocs build of a staged tree that is a
    whole site, touching no private internals. The fast path (split over workers, blocks spliced
    in after MkDocs) writes the same files, and the same search index (tests/site/searchindex.py)."""
    _split_builds(monkeypatch)
    fast = build_site(project, site_dir=tmp_path / "fast")
    assert fast.processes == 2

    def no_internals(*args: object, **kwargs: object) -> None:
        raise AssertionError("the plain build used MkDocs' private internals")

    monkeypatch.setattr(mkdocs_private, "patched", no_internals)
    plain = build_site(project, site_dir=tmp_path / "plain", plain=True)
    assert plain.processes == 1
    staged = _tree(project / ".hrdd-cache" / "docs")
    assert not any(b"hrdd:splice" in text or b"hrdd:detached" in text for text in staged.values())
    index = "search/search_index.json"
    one, two = _tree(tmp_path / "fast"), _tree(tmp_path / "plain")
    assert {k: v for k, v in one.items() if k != index} == {k: v for k, v in two.items() if k != index}
    assert_same_search_index(one[index], two[index])
    assert b'id="indicator-details"' in two["companies/mini-telecom/answers/index.html"]
