"""hrdd serve's rebuilds reuse what an edit did not change (hrdd.site.incremental, the data
writer, shards.rebuild) and give exactly what a build from nothing gives."""

from __future__ import annotations

import dataclasses
import errno
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

import hrdd.site.render as render
import hrdd.site.serve as serve
from hrdd.site import CompanyRecord, Entry, Scorecard, Stored, collect
from hrdd.site.build import Generated, Project, Settings, generate, read_settings, sync_tree
from hrdd.site.data import Piece, data_file_pieces, data_files
from hrdd.site.datawriter import write_data_files
from hrdd.site.incremental import Reuse
from hrdd.site.serve import Regenerator, SiteBuilder
from hrdd.validate import Validator
from tests.conftest import MINI_PROJECT
from tests.site.conftest import _variant, mini_card, write_assessment

MINI = Path("assessments") / "mini-telecom" / "2025.yaml"
EDITS = {
    # Text only: the company's pages and the data files change, no score.
    "text": ("comment: Search has no accounts.", "comment: Search has no user accounts."),
    # A score: the ranking and indicator pages (in the navigation, or not) change too.
    "score": ("opco: {answer: partial, evidence: [{source: s1}]}", 'opco: {answer: "yes", evidence: [{source: s1}]}'),
}


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _edit(project: Path, edit: str) -> None:
    old, new = EDITS[edit]
    path = project / MINI
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _generate(project: Path, folder: Path, reuse: Reuse | None = None) -> tuple[Generated, Settings]:
    p = Project.at(project)
    settings = read_settings(p, folder / "stage")
    generated = generate(p, settings, downloads=folder / "downloads", blocks=folder / "blocks", reuse=reuse)
    return generated, settings


def keyed_card(root: Path = MINI_PROJECT) -> Scorecard:
    """A project collected as a build collects it: each assessment with its content key
    (``FileResult.key``), which is what reuse compares."""
    validator = Validator(root / "frameworks", root / "assessments")
    report = validator.check_paths([root / "frameworks", root / "assessments"], score=True)
    assert report.ok, report.problems
    frameworks = [f.framework for f in report.files if f.framework is not None and f.kind == "framework"]
    stored = []
    for f in report.files:
        facts, load = f.facts(), f.loader()
        if f.kind == "assessment" and f.framework is not None and facts is not None and load is not None:
            stored.append((Stored(facts=facts, load=load, score=f.score, key=f.key), f.framework))
    card = collect(stored, frameworks)
    assert card.entries and all(e.key for e in card.entries)
    return card


# --- the data writer ----------------------------------------------------------------------


def test_data_files_written_in_pieces_are_the_data_files(tmp_path: Path) -> None:
    card = mini_card()
    write_data_files(tmp_path, data_file_pieces(card))
    assert _tree(tmp_path) == {path: text.encode("utf-8") for path, text in data_files(card).items()}


def test_a_second_write_links_unchanged_files_and_encodes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = keyed_card()
    last = write_data_files(tmp_path / "one", data_file_pieces(card))
    encoded: list[str] = []
    text = Piece.text
    monkeypatch.setattr(Piece, "text", lambda self: encoded.append(self.kind) or text(self))
    write_data_files(tmp_path / "two", data_file_pieces(card), last)
    assert encoded == []
    assert _tree(tmp_path / "two") == _tree(tmp_path / "one")
    same = [(tmp_path / "two" / p).stat().st_ino == (tmp_path / "one" / p).stat().st_ino for p in last.files]
    assert all(same)


def test_pieces_are_read_and_written_where_the_kernel_cannot_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another file system or an old kernel: os.copy_file_range fails, the bytes are the same."""

    def no_copy(*args: object) -> int:
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    monkeypatch.setattr(os, "copy_file_range", no_copy)
    card = mini_card()
    write_data_files(tmp_path, data_file_pieces(card))
    assert _tree(tmp_path) == {path: text.encode("utf-8") for path, text in data_files(card).items()}


def test_data_pieces_are_copied_by_content_not_by_object(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same assessments in new objects are copied from the last write; an assessment whose
    content key changed (its file changed) is encoded again, even in the same objects."""
    card = keyed_card(project)
    last = write_data_files(tmp_path / "one", data_file_pieces(card))
    copies = dataclasses.replace(card, entries=tuple(_copy(e) for e in card.entries))
    edited = dataclasses.replace(
        card, entries=tuple(dataclasses.replace(e, key="0" * 64) if e.slug == "hostile-co" else e for e in card.entries)
    )
    encoded: list[str] = []
    text = Piece.text
    monkeypatch.setattr(Piece, "text", lambda self: encoded.append(self.entry.slug) or text(self))
    write_data_files(tmp_path / "two", data_file_pieces(copies), last)
    assert encoded == []
    write_data_files(tmp_path / "three", data_file_pieces(edited), last)
    assert set(encoded) == {"hostile-co"}
    assert _tree(tmp_path / "two") == _tree(tmp_path / "three") == _tree(tmp_path / "one")


def _copy(entry: Entry) -> Entry:
    """The same assessment and scores, in new objects."""
    return dataclasses.replace(entry, score=dataclasses.replace(entry.score), facts=dataclasses.replace(entry.facts))


# --- a generation that reuses the last one ------------------------------------------------


def test_company_pages_are_reused_by_content_key_not_by_object(project: Path) -> None:
    """``Reuse`` gives back a company's staged pages when its assessments' content keys are the
    last generation's, whatever objects hold them, and not when a key changed or is unknown."""
    card = keyed_card(project)
    slugs = {record.slug for record in card.companies}
    assert len(slugs) >= 2

    def site(entries: Iterable[Entry]) -> render.Site:
        return render.Site(card=dataclasses.replace(card, entries=tuple(entries)), site_name="Test")

    reuse = Reuse()
    first = site(card.entries)
    assert reuse.start(first, True) == ({}, None)
    staged = {p: (p.encode(), ()) for record in card.companies for p in render.record_pages(record)}
    reuse.finish(first, staged)
    assert reuse.start(site(_copy(e) for e in card.entries), True)[0] == staged
    changed = site(dataclasses.replace(e, key="0" * 64) if e.slug == "hostile-co" else e for e in card.entries)
    kept = reuse.start(changed, True)[0]
    assert kept and set(kept) == {p for p in staged if not p.startswith("companies/hostile-co/")}
    unknown = site(dataclasses.replace(e, key=None) if e.slug == "hostile-co" else e for e in card.entries)
    reuse.finish(unknown, staged)
    assert set(reuse.start(unknown, True)[0]) == set(kept)


def _spy_on_renders(monkeypatch: pytest.MonkeyPatch) -> tuple[Counter[str], Counter[str]]:
    """Which companies' pages are rendered, and whose data pieces encoded."""
    rendered: Counter[str] = Counter()
    for name in ("company", "company_cycle", "company_answers"):
        make = getattr(render, name)

        def spy(site: render.Site, record: CompanyRecord, *args: int, make: Any = make, name: str = name) -> str:
            # An overview ("company") shows the company's place in the ranking, which another
            # company's edit may move: it is counted apart ("slug:overview").
            rendered.update([record.slug if name != "company" else f"{record.slug}:overview"])
            return str(make(site, record, *args))

        monkeypatch.setattr(render, name, spy)
    encoded: Counter[str] = Counter()
    text = Piece.text

    def encode(self: Piece) -> str:
        encoded.update([self.entry.slug])
        return text(self)

    monkeypatch.setattr(Piece, "text", encode)
    return rendered, encoded


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_generation_after_an_edit_renders_only_the_edited_company(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    reuse = Reuse()
    _generate(project, tmp_path / "serve", reuse)
    _edit(project, edit)
    rendered, encoded = _spy_on_renders(monkeypatch)
    again, _ = _generate(project, tmp_path / "serve", reuse)
    # hostile-co's pages are the last generation's, unless the edit moved its place in the
    # ranking (the "score" edit does), which its overview shows: then they are rendered again.
    slugs = {s.split(":")[0] for s in rendered}
    assert slugs == {"mini-telecom"} or (edit == "score" and slugs == {"mini-telecom", "hostile-co"}), rendered
    assert set(encoded) == {"mini-telecom"}
    monkeypatch.undo()
    fresh, _ = _generate(project, tmp_path / "fresh")
    assert again.tree == fresh.tree
    assert dict(again.detached) == dict(fresh.detached)  # blocks are named by their content
    assert _tree(tmp_path / "serve" / "downloads") == _tree(tmp_path / "fresh" / "downloads")


def test_a_changed_framework_renders_everything_again(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reuse = Reuse()
    _generate(project, tmp_path / "serve", reuse)
    framework = project / "frameworks" / "mini" / "1.0.yaml"
    text = framework.read_text(encoding="utf-8")
    framework.write_text(text.replace("title: Mini test framework", "title: Mini framework"), "utf-8")
    rendered, encoded = _spy_on_renders(monkeypatch)
    again, _ = _generate(project, tmp_path / "serve", reuse)
    assert {s.split(":")[0] for s in rendered} == set(encoded) == {"mini-telecom", "hostile-co"}
    monkeypatch.undo()
    fresh, _ = _generate(project, tmp_path / "fresh")
    assert again.tree == fresh.tree
    assert dict(again.detached) == dict(fresh.detached)


# --- hrdd serve: a rebuild of the site builds only what changed ---------------------------


def _site_builder(project: Path, folder: Path) -> SiteBuilder:
    """hrdd serve's builder, set up as ``serve.serve`` sets it up."""
    p = Project.at(project)
    stage = folder / "stage"
    settings = read_settings(p, stage)
    reuse = Reuse()
    generated = generate(p, settings, downloads=folder / "downloads", blocks=folder / "blocks", reuse=reuse)
    sync_tree(stage, generated.tree)
    regenerator = Regenerator(
        p,
        settings,
        stage,
        report=lambda message: None,
        generated=generated,
        downloads=folder / "downloads",
        blocks=folder / "blocks",
        reuse=reuse,
    )
    return SiteBuilder(regenerator, folder / "site", "http://127.0.0.1:8000/")


@pytest.mark.slow
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_rebuild_after_an_edit_writes_what_a_whole_build_writes(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    builder = _site_builder(project, tmp_path / "serve")
    builder()
    _edit(project, edit)
    whole_builds = []
    run_mkdocs = serve.run_mkdocs
    monkeypatch.setattr(serve, "run_mkdocs", lambda *a, **k: whole_builds.append(1) or run_mkdocs(*a, **k))
    builder()
    assert whole_builds == []  # only the changed pages were built again
    monkeypatch.undo()
    fresh = _site_builder(project, tmp_path / "fresh")
    fresh()
    # Every page, the search index, the sitemap and the data files.
    assert _tree(tmp_path / "serve" / "site") == _tree(tmp_path / "fresh" / "site")


@pytest.mark.slow
def test_a_new_page_builds_the_whole_site(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builder = _site_builder(project, tmp_path / "serve")
    builder()
    earlier = _variant(slug="mini-telecom", name="Mini Telecom (fictional)", cycle=2023)
    write_assessment(project, "mini-telecom", "2023.yaml", earlier)
    whole_builds = []
    run_mkdocs = serve.run_mkdocs
    monkeypatch.setattr(serve, "run_mkdocs", lambda *a, **k: whole_builds.append(1) or run_mkdocs(*a, **k))
    builder()
    assert whole_builds == [1]
    assert (tmp_path / "serve" / "site" / "companies" / "mini-telecom" / "2023" / "index.html").is_file()
    monkeypatch.undo()
    fresh = _site_builder(project, tmp_path / "fresh")
    fresh()
    assert _tree(tmp_path / "serve" / "site") == _tree(tmp_path / "fresh" / "site")


@pytest.mark.slow
@pytest.mark.parametrize("titled_nav", [True, False])
def test_a_page_in_the_navigation_rebuilds_what_shows_it(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, titled_nav: bool
) -> None:
    """A hand-written page in the navigation: a new text rebuilds the pages that show the
    navigation; a new title (when the navigation takes titles from the pages) the whole site."""
    if not titled_nav:
        config = project / "mkdocs.yml"
        config.write_text(
            config.read_text(encoding="utf-8").replace("  - About: about.md\n", "  - about.md\n"), "utf-8"
        )
    builder = _site_builder(project, tmp_path / "serve")
    builder()
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8").replace("# About\n", "# About this site\n", 1), "utf-8")
    whole_builds = []
    run_mkdocs = serve.run_mkdocs
    monkeypatch.setattr(serve, "run_mkdocs", lambda *a, **k: whole_builds.append(1) or run_mkdocs(*a, **k))
    builder()
    assert whole_builds == ([] if titled_nav else [1])
    assert b"About this site" in (tmp_path / "serve" / "site" / "about" / "index.html").read_bytes()
    monkeypatch.undo()
    fresh = _site_builder(project, tmp_path / "fresh")
    fresh()
    assert _tree(tmp_path / "serve" / "site") == _tree(tmp_path / "fresh" / "site")


@pytest.mark.slow
def test_after_a_failed_regeneration_the_next_rebuild_is_whole(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Staging that fails half-way leaves changed files no later check will report as changed:
    the next rebuild builds everything."""
    builder = _site_builder(project, tmp_path / "serve")
    builder()
    _edit(project, "text")

    def half_way(folder: Path, tree: dict[str, bytes], previous: dict[str, bytes] | None = None) -> list[str]:
        page = "companies/mini-telecom/index.md"
        (folder / page).write_bytes(tree[page])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(serve, "sync_tree", half_way)
    with pytest.raises(OSError):
        builder()
    monkeypatch.undo()
    other = project / "assessments" / "hostile-co" / "2025.yaml"
    other.write_text(other.read_text(encoding="utf-8") + "# touched\n", encoding="utf-8")  # the server sees a change
    builder()
    fresh = _site_builder(project, tmp_path / "fresh")
    fresh()
    assert (
        b"no user accounts"
        in (tmp_path / "serve" / "site" / "companies" / "mini-telecom" / "answers" / "index.html").read_bytes()
    )
    assert _tree(tmp_path / "serve" / "site") == _tree(tmp_path / "fresh" / "site")
