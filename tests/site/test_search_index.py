"""The search index of the demo (issue #21 item 6): what a reader looks for is in it, on the
company's pages; the evidence, the tables of numbers and the repeated wording are not."""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hrdd.site.build import BuildResult, build_site
from tests.conftest import REPO
from tests.searchcases import Case, Data, pages_showing

pytestmark = pytest.mark.slow

INDEX = "search/search_index.json"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, BuildResult]]:
    """The bundled demo, built (the fast path: split, blocks spliced in after MkDocs)."""
    base = tmp_path_factory.mktemp("search-demo")
    project = base / "project"  # a copy: a build writes its cache into the project
    for name in ("frameworks", "assessments", "docs"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    result = build_site(project, site_dir=base / "site")
    yield base / "site", result


def _docs(site: Path) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = json.loads((site / INDEX).read_text(encoding="utf-8"))["docs"]
    return docs


def _indexed_pages(site: Path, word: str) -> set[str]:
    """The URL paths of the pages with an entry whose title or text holds ``word``."""
    return {
        "/" + d["location"].split("#")[0]
        for d in _docs(site)
        if word.lower() in d["title"].lower() or word.lower() in d["text"].lower()
    }


def _cases(site: Path, result: BuildResult) -> list[Case]:
    return Data(REPO, result.card).cases()


def test_what_readers_look_for_is_indexed_on_the_companys_pages(demo: tuple[Path, BuildResult]) -> None:
    """An incident's text, a reply, an assessor, a country and a sector, each taken from the data:
    every one is in the index entry of a page of the company that shows it."""
    site, result = demo
    for case in _cases(site, result):
        shown = pages_showing(site, case.company, case.query)
        assert shown, f"{case.what} {case.query!r} is on no page of {case.company}"
        assert _indexed_pages(site, case.query) & set(shown), (case, shown)


def test_kestrania_dorvala_and_open_rights_monitor_are_found(demo: tuple[Path, BuildResult]) -> None:
    """The searches that found nothing (or only indicator pages) at 804b6b4: now the pages of the
    companies whose data names them. (Which companies is read from the data.)"""
    site, result = demo
    for word in ("Kestrania", "Dorvala", "Open Rights Monitor"):
        owners = {
            e.slug
            for e in result.card.entries
            if word in e.facts.assessor.name
            or any(word in i.allegation or word in i.title for i in e.assessment.incidents)
            or word in e.facts.company.description
        }
        assert owners, word
        assert {f"/companies/{slug}/" for slug in owners} <= _indexed_pages(site, word), word


def test_evidence_and_tables_stay_out_of_the_index(demo: tuple[Path, BuildResult]) -> None:
    """Evidence quotes, the indicator and ranking tables and the reply instructions are on the pages
    but not in the index; the index has no entry of a company page without text but its title's."""
    site, result = demo
    index = (site / INDEX).read_text(encoding="utf-8")
    entry = next(e for e in result.card.entries if e.slug == "meridian-meet" and e.cycle == result.card.edition)
    quotes = [
        ev.quote
        for levels in entry.assessment.answers.values()
        for answer in levels.values()
        for ev in answer.evidence
        if len(ev.quote) > 40
    ]
    assert quotes
    company = site / "companies" / "meridian-meet"
    page = (company / "index.html").read_text(encoding="utf-8")
    # The answers and their evidence are on the company's answers pages, the badge on its overview.
    answers = " ".join(p.read_text(encoding="utf-8") for p in sorted(company.glob("answers*/index.html")))
    for quote in quotes:
        assert json.dumps(quote)[1:-1][:40] not in index
        assert html.escape(" ".join(quote.split())[:40]) in answers
    assert "To embed the badge" in page
    generated = " ".join(d["text"] for d in _docs(site) if d["location"].startswith(("companies/", "indicators/")))
    # The badge's embed code (company overviews), the links of the indicator pages' score tables
    # and the answers pages' titles (their entries' titles, not their text).
    assert "To embed the badge" not in generated and "answers and evidence" not in generated
    empty = [d["location"] for d in _docs(site) if d["location"].startswith("companies/") and not d["text"]]
    headings = {loc.split("#")[-1] for loc in empty if "#" in loc}
    assert headings <= {"indicators"}, headings  # a cycle without replies has nothing under "Indicators"


def test_key_findings_are_indexed_once_on_a_page(demo: tuple[Path, BuildResult]) -> None:
    """Key findings are found by search once the company page shows them (issue #21 item 2)."""
    site, result = demo
    case = Data(REPO, result.card).key_finding_case()
    if not pages_showing(site, case.company, case.text):
        pytest.skip(
            "key findings are on no page yet (#21 item 2, the company overview): "
            "remove this skip once the overview shows them"
        )
    shown = pages_showing(site, case.company, case.query)
    assert _indexed_pages(site, case.query) & set(shown), (case, shown)
