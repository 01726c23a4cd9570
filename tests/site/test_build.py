"""A real build of a small project: pages, numbers, drafts, failures, reproducibility, hosts."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from hrdd.errors import BuildError
from hrdd.project import Project
from hrdd.site.build import BuildResult, build_site, generate, read_settings
from hrdd.siteurl import PLACEHOLDER
from tests.site.answers_shown import answer_labels, expected_answers, says, shown_answers
from tests.site.conftest import ATTRIBUTION, make_project
from tests.site.searchindex import assert_same_search_index
from tests.site.sitecheck import broken_links, elements, scan_site

EXPECTED_PAGES = [
    "index.html",
    "ranking/index.html",
    "companies/index.html",
    "companies/mini-telecom/index.html",
    "companies/mini-telecom/2024/index.html",
    "companies/mini-telecom/answers/index.html",
    "companies/hostile-co/index.html",
    "indicators/index.html",
    "indicators/A1/index.html",
    "indicators/A3a/index.html",
    "indicators/B2/index.html",
    "methodology/index.html",
    "downloads/index.html",
    "submit/index.html",
    "about/index.html",
    "404.html",
    "data/datapackage.json",
    "data/scorecard.json.bz2",
    "data/answers.csv.gz",
    "data/narratives.csv.gz",
    "data/elements.csv",
    "data/indicator-scores.csv.gz",
    "data/category-scores.csv.gz",
    "data/totals.csv",
    "data/companies/mini-telecom.json",
    "badges/mini-telecom.svg",
    "assets/hrdd/scorecard.js",
    "assets/hrdd/scorecard.css",
    "search/search_index.json",
    "sitemap.xml",
    "sitemap.xml.gz",
]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, BuildResult]]:
    project = make_project(tmp_path_factory.mktemp("build") / "project")
    yield project, build_site(project)


def _html(project: Path, page: str) -> str:
    return (project / "site" / page).read_text(encoding="utf-8")


@pytest.mark.slow
def test_every_expected_page_exists(built: tuple[Path, BuildResult]) -> None:
    project, result = built
    missing = [p for p in EXPECTED_PAGES if not (project / "site" / p).is_file()]
    assert missing == []
    assert result.summary().startswith("built ")
    assert "3 independent, 1 self; 2 not published, left out" in result.summary()
    # Counted from what MkDocs wrote: docs/benchmarks.md is staged but excluded by mkdocs.yml, and
    # an earlier cycle's old address holds a static file that sends readers on, not a page.
    stubs = {project / "site" / "companies" / "mini-telecom" / "2024" / "index.html"}
    assert result.pages == sum(1 for p in (project / "site").rglob("*.html") if p.name != "404.html" and p not in stubs)
    assert not (project / "site" / "benchmarks").exists()
    assert (project / "site").stat().st_mode & 0o777 == 0o755


@pytest.mark.slow
def test_company_page_numbers_equal_hrdd_score_json(built: tuple[Path, BuildResult], hrdd) -> None:  # type: ignore[no-untyped-def]
    """Every number on the company page is what `hrdd score --format json` prints."""
    project, _ = built
    run = hrdd("score", "--project", str(project), "--format", "json")
    assert run.code == 0, run
    scores = next(
        s
        for s in json.loads(run.out)
        if s["company"]["slug"] == "mini-telecom" and s["cycle"] == 2025 and s["assessor"]["type"] == "independent"
    )
    els = elements(_html(project, "companies/mini-telecom/index.html"))
    summary = next(e for e in els if e.attrs.get("id") == "score-summary")
    assert float(summary.attrs["data-total"]) == scores["total"]
    table = {e.attrs["data-category"]: e.attrs for e in els if e.tag == "tr" and "data-category" in e.attrs}
    assert {k: float(v["data-score"]) for k, v in table.items() if k != "total"} == scores["categories"]
    answers = elements(_html(project, "companies/mini-telecom/answers/index.html"))
    sections = {
        e.attrs["data-indicator"]: e.attrs for e in answers if e.tag == "section" and "data-indicator" in e.attrs
    }
    assert {k: float(v["data-score"]) for k, v in sections.items()} == {
        k: v["score"] for k, v in scores["indicators"].items()
    }
    # Each answer's label and points as the page writes them (tests.site.answers_shown).
    labels = answer_labels(project / "frameworks" / "mini" / "1.0.yaml")
    shown = shown_answers(_html(project, "companies/mini-telecom/answers/index.html"))
    want = expected_answers(scores)
    assert shown.keys() == want.keys()
    for anchor, (answer, points) in want.items():
        assert says(shown[anchor][0], labels[answer]) and shown[anchor][1] == points, (anchor, shown[anchor])
    assert len(shown) == scores["coverage"]["applicable"]


@pytest.mark.slow
def test_unpublished_assessments_appear_nowhere(built: tuple[Path, BuildResult]) -> None:
    project, _ = built
    leaks = [
        path
        for path, content in _tree(project / "site").items()
        if any(word in content for word in (b"Draftco", b"draftco", b"Reviewco", b"reviewco"))
    ]
    assert leaks == []


@pytest.mark.slow
def test_self_assessment_labelled_and_compared(built: tuple[Path, BuildResult]) -> None:
    """The self-assessment is listed apart, labelled, and its disagreements are marked."""
    project, _ = built
    ranking = elements(_html(project, "ranking/index.html"))
    self_rows = [e for e in ranking if e.tag == "tr" and e.attrs.get("data-assessor") == "self"]
    assert [r.attrs.get("data-rank") for r in self_rows] == [None]
    assert "Self-assessment" in self_rows[0].text
    company = elements(_html(project, "companies/mini-telecom/index.html"))
    answers = elements(_html(project, "companies/mini-telecom/answers/index.html"))
    differs = [e.attrs["id"] for e in answers if "data-disagree" in e.attrs]
    assert differs == ["a-A1.1-opco"]
    assert next(e for e in company if e.attrs.get("id") == "disagreement-list").attrs["data-count"] == "1"


@pytest.mark.slow
def test_hostile_text_is_inert_in_the_built_site(built: tuple[Path, BuildResult]) -> None:
    project, _ = built
    page = _html(project, "companies/hostile-co/index.html")
    els = elements(page)
    scripts = [e.text for e in els if e.tag == "script"]
    assert not any("alert" in s for s in scripts)
    assert [n for e in els for n in e.attrs if n.startswith("on")] == []
    assert [e.attrs for e in els if e.tag == "img" and "badges/" not in e.attrs.get("src", "")] == []
    title = next(e for e in els if e.tag == "title").text
    assert title.startswith("<script>alert(1)</script>")  # shown as text: the parser decoded the entities


@pytest.mark.slow
def test_framework_attribution_on_every_page(built: tuple[Path, BuildResult]) -> None:
    project, _ = built
    # Every page MkDocs built; an earlier cycle's redirect stub shows no framework text.
    pages = [p for p in sorted((project / "site").rglob("*.html")) if 'http-equiv="refresh"' not in p.read_text()]
    assert [p.name for p in pages if ATTRIBUTION not in p.read_text(encoding="utf-8")] == []


@pytest.mark.slow
def test_search_index_finds_companies_and_indicators(built: tuple[Path, BuildResult]) -> None:
    project, _ = built
    index = json.loads(_html(project, "search/search_index.json"))
    titles = {d["location"]: d["title"] for d in index["docs"]}
    assert titles["companies/mini-telecom/"] == "Mini Telecom (fictional)"
    assert titles["indicators/B1/"] == "B1 · Staged indicator"


@pytest.mark.slow
def test_nothing_is_loaded_from_other_hosts(built: tuple[Path, BuildResult]) -> None:
    """See tests/site/sitecheck.py for what counts as a third-party load."""
    project, _ = built
    # The canonical links are on the site's own address (site_url), not another host.
    assert scan_site(project / "site", PLACEHOLDER) == []
    # Evidence links are links (in the answers page's list of sources): there, and not loads.
    assert 'href="https://example.org/policy" rel="nofollow"' in _html(
        project, "companies/mini-telecom/answers/index.html"
    )


@pytest.mark.slow
def test_internal_links_and_anchors_resolve(built: tuple[Path, BuildResult]) -> None:
    project, _ = built
    assert broken_links(project / "site") == []


@pytest.mark.slow
def test_two_builds_are_byte_identical(built: tuple[Path, BuildResult], tmp_path: Path) -> None:
    project, _ = built
    again = tmp_path / "again"
    build_site(project, site_dir=again)
    assert _tree(again) == _tree(project / "site")
    with gzip.open(project / "site" / "sitemap.xml.gz") as handle:
        handle.read()
    raw = (project / "site" / "sitemap.xml.gz").read_bytes()
    # The gzip header's mtime is the data's last update (2025-06-01), not the clock.
    assert int.from_bytes(raw[4:8], "little") == 1748736000


@pytest.mark.slow
def test_compiled_templates_are_kept_and_compiled_again_when_their_source_changes(
    built: tuple[Path, BuildResult], tmp_path: Path
) -> None:
    """The theme's templates compiled by one build are kept for the next (Jinja2's bytecode
    cache under .hrdd-cache/compiled): a build that reuses them writes the site a build without
    them writes, and a template whose source changes (here a project's override) is compiled
    again."""
    project = tmp_path / "project"
    shutil.copytree(built[0], project, ignore=shutil.ignore_patterns("site"))  # .hrdd-cache with it
    kept = project / ".hrdd-cache" / "compiled"
    assert len(list(kept.rglob("*.cache"))) > 20
    build_site(project, site_dir=tmp_path / "reused")
    shutil.rmtree(kept)
    build_site(project, site_dir=tmp_path / "fresh")
    assert _tree(tmp_path / "reused") == _tree(tmp_path / "fresh")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("  name: material\n", "  name: material\n  custom_dir: custom\n")
    )
    top = project / "custom" / "partials" / "top.html"
    top.parent.mkdir(parents=True)
    for word in ("first", "second"):
        top.write_text(f'<button type="button" class="md-top" hidden>{word} override</button>', "utf-8")
        build_site(project, site_dir=tmp_path / word)
        assert f"{word} override" in (tmp_path / word / "index.html").read_text("utf-8")


@pytest.mark.slow
def test_detached_blocks_give_the_pages_mkdocs_builds_whole(built: tuple[Path, BuildResult], tmp_path: Path) -> None:
    """Splicing the bulk of the pages in after MkDocs gives the same HTML as MkDocs building the
    whole pages, and the same search index (the blocks' text indexed through their stand-ins),
    which leaves out the evidence."""
    project, _ = built
    whole = tmp_path / "whole"
    build_site(project, site_dir=whole, detach_blocks=False)
    spliced, reference = _tree(project / "site"), _tree(whole)
    index = "search/search_index.json"
    assert {k: v for k, v in spliced.items() if k != index} == {k: v for k, v in reference.items() if k != index}
    assert not any(b"hrdd:splice" in v or b"hrdd:detached" in v for v in spliced.values())
    assert b'id="indicator-details"' in spliced["companies/mini-telecom/answers/index.html"]
    quote = b"We commit."  # an evidence quote of mini-telecom: on the page, not in the search index
    assert quote in spliced["companies/mini-telecom/answers/index.html"]
    assert quote not in reference[index] and quote not in spliced[index]
    assert_same_search_index(spliced[index], reference[index])
    assert b"Mini Telecom" in spliced[index]


@pytest.mark.slow
def test_failed_build_names_the_file_and_keeps_the_previous_site(built: tuple[Path, BuildResult]) -> None:
    project, _ = built
    before = _tree(project / "site")
    bad = project / "assessments" / "broken-co" / "2025.yaml"
    bad.parent.mkdir()
    bad.write_text("company: {name: Broken}\n", encoding="utf-8")
    try:
        with pytest.raises(BuildError) as info:
            build_site(project)
    finally:
        shutil.rmtree(bad.parent)
    assert "broken-co/2025.yaml" in str(info.value)
    assert "broken-co/2025.yaml:" in info.value.details
    assert _tree(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site-")] == []


def test_hand_written_page_may_not_hide_a_generated_one(project: Path) -> None:
    (project / "docs" / "ranking.md").write_text("# Mine\n", encoding="utf-8")
    p = Project.at(project)
    with pytest.raises(BuildError, match=r"docs/ranking\.md"):
        generate(p, read_settings(p, p.cache / "docs"))


def test_project_without_mkdocs_yml_is_an_error(project: Path) -> None:
    (project / "mkdocs.yml").unlink()
    with pytest.raises(BuildError, match=r"no mkdocs\.yml"):
        build_site(project)


def test_site_dir_may_not_replace_the_project(project: Path) -> None:
    with pytest.raises(BuildError, match="refusing to build"):
        build_site(project, site_dir=project)


def test_source_date_epoch_sets_the_last_updated_date(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    p = Project.at(project)
    generated = generate(p, read_settings(p, p.cache / "docs"))
    assert generated.card.updated == "2026-01-01"
    assert b'<time datetime="2026-01-01">' in generated.tree["index.md"]


def test_site_dir_may_not_be_inside_the_data(project: Path) -> None:
    with pytest.raises(BuildError, match="inside"):
        build_site(project, site_dir=project / "docs" / "site")


def test_pages_rendered_by_worker_processes_are_the_same(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large scorecard is rendered by forked workers; which process renders a page must not
    change it. Forced here on the small project, fork included (other tests may have left
    threads running, which makes hrdd itself avoid fork)."""
    import multiprocessing

    import hrdd.site.build as build

    p = Project.at(project)
    settings = read_settings(p, p.cache / "docs")
    here = generate(p, settings)
    monkeypatch.setattr(build, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(build, "cpu_count", lambda: 2)
    monkeypatch.setattr(build, "fork_context", lambda: multiprocessing.get_context("fork"))
    forked = generate(p, settings)
    assert forked.tree == here.tree
    assert forked.detached == here.detached
    assert any(path.startswith("companies/") for path in forked.detached)


@pytest.mark.slow
def test_answers_page_points_to_the_questions_it_leaves_out(built: tuple[Path, BuildResult]) -> None:
    """The answers page leaves the elements' questions to scorecard.js, which reads them from the
    published elements table the page names (data-elements, relative to the page) for the page's
    framework version: that file is there and has the question of every element on the page."""
    project, _ = built
    page = project / "site" / "companies" / "mini-telecom" / "answers" / "index.html"
    details = next(e for e in elements(page.read_text(encoding="utf-8")) if e.attrs.get("id") == "indicator-details")
    table = (page.parent / details.attrs["data-elements"]).resolve()
    assert table == (project / "site" / "data" / "elements.csv").resolve()
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    version = (details.attrs["data-framework"], details.attrs["data-version"])
    questions = {r["element"]: r["text"] for r in rows if (r["framework"], r["framework_version"]) == version}
    shown = [
        e.attrs["id"][2:] for e in elements(page.read_text(encoding="utf-8")) if e.attrs.get("id", "").startswith("e-")
    ]
    assert shown and all(questions.get(el) for el in shown), [el for el in shown if not questions.get(el)]
