"""An indicator's page in a real build of the mini project (two companies in 2025, one of them also
assessed in 2024 on the same framework and self-assessed in 2025): a compact row per company
whose numbers are the scoring engine's and whose change is the overview's, answers counted per
element from the same scores, and links to each company's answers and each element's question."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from hrdd.cli import main
from hrdd.site.build import build_site
from tests.conftest import REPO
from tests.site.conftest import make_project
from tests.site.sitecheck import Element, elements

pytestmark = pytest.mark.slow

LEAVES = ["A1", "A2", "A3a", "A3b", "B1", "B2"]
LABELS = {
    "yes": "Yes",
    "partial": "Partial",
    "no": "No",
    "no_disclosure": "No disclosure found",
    "not_applicable": "N/A",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    project = make_project(tmp_path_factory.mktemp("indicators") / "project")
    build_site(project)
    yield project / "site"


@pytest.fixture(scope="module")
def scores(site: Path) -> list[dict[str, Any]]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["score", "--project", str(site.parent), "--format", "json"]) == 0
    found: list[dict[str, Any]] = json.loads(out.getvalue())
    return [s for s in found if s["cycle"] == 2025 and s["status"] == "published"]


def _page(site: Path, path: str) -> list[Element]:
    return elements((site / path).read_text(encoding="utf-8"))


def _table(els: list[Element], table_id: str) -> list[list[Element]]:
    """The body rows of a table, each as the elements inside it (cells, links, tags)."""
    rows: list[list[Element]] = []
    inside = in_body = False
    for e in els:
        if e.tag == "table":
            inside, in_body = e.attrs.get("id") == table_id, False
        elif inside and e.tag == "tbody":
            in_body = True
        elif inside and in_body and e.tag == "tr":
            rows.append([])
        elif inside and in_body and rows:
            if e.tag not in ("th", "td", "a", "span"):  # past the table (the collector has no end tags)
                inside = False
                continue
            rows[-1].append(e)
    return rows


def _row(row: list[Element]) -> dict[str, Any]:
    cells = [e for e in row if e.tag in ("th", "td")]
    links = [e.attrs["href"] for e in row if e.tag == "a"]
    return {"cells": [c.text for c in cells], "links": links}


def _slug(href: str) -> str:
    return href.split("companies/")[1].split("/")[0]


@pytest.mark.parametrize("ind", [*LEAVES, "A3"])
def test_each_company_has_one_row_with_its_score_and_links(site: Path, scores: list[dict[str, Any]], ind: str) -> None:
    """Each independently assessed company has one row: its name linked to its overview, its score
    as `hrdd score` prints it, and a link to its answers page at this indicator (which exists);
    the self-assessment has its row in a table of its own. Highest score first."""
    els = _page(site, f"indicators/{ind}/index.html")
    for table, self_assessed in (("indicator-scores-table", False), ("indicator-self-scores-table", True)):
        rows = [_row(r) for r in _table(els, table)]
        want = {
            s["company"]["slug"]: s["indicators"][ind]["score"]
            for s in scores
            if (s["assessor"]["type"] == "self") == self_assessed
        }
        assert {_slug(r["links"][0]) for r in rows} == set(want) and len(rows) == len(want)
        for r in rows:
            overview, answers = r["links"]
            slug = _slug(overview)
            assert overview == f"../../companies/{slug}/"
            assert answers == f"../../companies/{slug}/answers/#i-{ind}"
            target = (site / "indicators" / ind / answers.split("#")[0]).resolve() / "index.html"
            assert f'id="i-{ind}"' in target.read_text(encoding="utf-8")
            score = r["cells"][1]
            assert (None if score == "n/a" else float(score)) == want[slug], (slug, r)
        shown = [float(r["cells"][1]) for r in rows if r["cells"][1] != "n/a"]
        assert shown == sorted(shown, reverse=True)


def _changes(site: Path, ind: str) -> list[tuple[str, str, str]]:
    """(company, change shown on the indicator page, the overview's data-change for the same
    indicator: "" when the overview shows none) of each independent row, after checking that
    the two say the same."""
    out = []
    for r in (_row(r) for r in _table(_page(site, f"indicators/{ind}/index.html"), "indicator-scores-table")):
        slug = _slug(r["links"][0])
        overview = _page(site, f"companies/{slug}/index.html")
        # An overview whose indicators have no change at all leaves the change out of its table.
        want = next(
            (
                e.attrs["data-change"]
                for e in overview
                if e.tag == "tr" and e.attrs.get("data-indicator") == ind and "data-change" in e.attrs
            ),
            "",
        )
        shown = r["cells"][2]
        assert (shown == "–") == (want == ""), (slug, shown, want)
        if want:
            assert Decimal(shown) == Decimal(want) and (shown.startswith("+") or Decimal(want) <= 0), (slug, shown)
        out.append((slug, shown, want))
    return out


@pytest.mark.parametrize("ind", [*LEAVES, "A3"])
def test_the_change_is_the_one_the_company_overview_shows(site: Path, ind: str) -> None:
    """A row's change is the overview's change for the same indicator, and at least one is not
    empty (mini-telecom's 2024 assessment answered A1.1 differently)."""
    rows = _changes(site, ind)
    if ind == "A1":
        assert [shown for slug, shown, _ in rows if slug == "mini-telecom"] != ["–"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("demo") / "project"
    for name in ("assessments", "frameworks", "docs"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    build_site(project)
    return project / "site"


def test_the_change_across_framework_versions_is_the_overviews_too(demo: Path) -> None:
    """On the demo, whose 2024 assessments answer an earlier version of the framework, every
    indicator page's changes are its companies' overviews' (measured over the indicators the
    framework's changelog keeps comparable), and some are shown."""
    pages = sorted(p.parent.name for p in (demo / "indicators").glob("*/index.html"))
    assert len(pages) > 20
    shown = [change for ind in pages for _, change, _ in _changes(demo, ind)]
    assert any(change != "–" for change in shown)


@pytest.mark.parametrize("ind", LEAVES)
def test_answers_are_counted_per_element_from_the_scores(site: Path, scores: list[dict[str, Any]], ind: str) -> None:
    """For every element, the independent answers counted by kind (one per company and level)
    are those of `hrdd score`; the self-assessments' are counted apart. Each element's row links
    to its question on the page (#el-<id>), which answers pages link to as well."""
    els = _page(site, f"indicators/{ind}/index.html")
    anchors = {e.attrs["id"] for e in els if "id" in e.attrs}
    for table, self_assessed in (("indicator-tally", False), ("indicator-self-tally", True)):
        heads = []
        inside = False
        for e in els:
            if e.tag == "table":
                inside = e.attrs.get("id") == table
            elif inside and e.tag == "th" and e.attrs.get("scope") == "col":
                heads.append(e.text)
        assert heads[0] == "Element" and heads[-1] == "All"
        kinds = heads[1:-1]
        theirs = [s for s in scores if (s["assessor"]["type"] == "self") == self_assessed]
        elements_of = theirs[0]["indicators"][ind]["elements"]
        rows = [_row(r) for r in _table(els, table)]
        assert [r["cells"][0] for r in rows] == list(elements_of)
        for r in rows:
            element = r["cells"][0]
            assert r["links"] == [f"#el-{element}"] and f"el-{element}" in anchors
            want = Counter(
                LABELS[a["answer"]] for s in theirs for a in s["indicators"][ind]["elements"][element].values()
            )
            counted = dict(zip(kinds, map(int, r["cells"][1:-1]), strict=True))
            assert {k: n for k, n in counted.items() if n} == dict(want), (table, element)
            assert int(r["cells"][-1]) == sum(want.values())
