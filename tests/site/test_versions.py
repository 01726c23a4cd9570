"""Framework versions on the pages, on the demo data as it was on ungp-core 1.x: a company's history across versions
compares only comparable indicators; mixed-version editions rank each version apart; the
methodology page explains what stays comparable; the edition's "What changed" page."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from hrdd.models import Assessment, Framework
from hrdd.score import mean
from hrdd.site import Scorecard, collect
from hrdd.site.render import Site, render_pages
from hrdd.validate import Validator
from tests.conftest import FIXTURES, REPO
from tests.site.sitecheck import Element, elements

Bundled = tuple[list[tuple[Assessment, Framework]], list[Framework]]

# Tessaline's 2025 assessment answers ungp-core 1.0 and its 2026 one 1.1. Version 1.1 renames
# TR3 to GD12 (comparable), changes RA2 and adds DD7 (not comparable) and drops TR2; RA1, RA3
# and RA4 are all N/A in one of the two cycles. These are the indicators the change is over:
# fmt: off
COMPARED = [
    "PC1", "PC2", "PC3", "GE1", "GE2", "GE3", "DD1", "DD2", "DD3", "DD4", "DD5", "DD6", "RM1", "RM2",
    "RM3", "GD1", "GD2", "GD3", "GD4", "GD5", "GD6", "GD7", "GD8", "GD9", "GD10", "GD11", "GD12", "TR1",
]
# fmt: on


ONE_X = FIXTURES / "ungp-core-1x"
"""The demo as it was on ungp-core 1.0 and 1.1 (the bundled demo answers 2.0 since issue 19)."""


@pytest.fixture(scope="module")
def bundled() -> Bundled:
    validator = Validator(REPO / "frameworks", ONE_X / "assessments")
    report = validator.check_paths([REPO / "frameworks", ONE_X / "assessments"])
    assert report.ok, report.problems
    frameworks = [f.framework for f in report.files if f.framework is not None and f.kind == "framework"]
    return list(report.assessments()), frameworks


def _pages(card: Scorecard) -> dict[str, str]:
    return {p.path: p.text for p in render_pages(Site(card=card, site_name="Test scorecard"))}


def _one(page: str, tag: str = "", **attrs: str) -> Element:
    """The one element (of ``tag``) with these attributes (``data_x`` stands for ``data-x``)."""
    found = [
        e
        for e in elements(page)
        if (not tag or e.tag == tag) and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
    ]
    assert len(found) == 1, attrs
    return found[0]


@pytest.fixture(scope="module")
def edition_2026(bundled: Bundled) -> dict[str, str]:
    return _pages(collect(*bundled, edition=2026))


def test_history_across_versions_compares_only_comparable_indicators(
    bundled: Bundled, edition_2026: dict[str, str]
) -> None:
    """The rendered page names exactly the indicators compared and those left out, and the delta it
    shows is the weighted mean over exactly the compared indicators, not a difference of totals."""
    page = edition_2026["companies/tessaline/index.md"]
    comparison = _one(page, id="history-comparison")
    assert comparison.attrs["data-before-framework"] == "ungp-core@1.0"
    assert comparison.attrs["data-after-framework"] == "ungp-core@1.1"
    assert comparison.attrs["data-compared"].split() == COMPARED
    assert comparison.attrs["data-not-compared"].split() == ["DD7", "RA2", "RA1", "RA3", "RA4"]
    assert comparison.attrs["data-removed"] == "TR2"
    text = " ".join(comparison.text.split())
    assert "The 2025 assessment answers UNGP Core 1.0 and the 2026 one UNGP Core 1.1." in text
    assert "Compared (28):" in text and "GD12 (was TR3)" in text
    assert "DD7: added in ungp-core 1.1" in text and "RA2: changed in ungp-core 1.1" in text
    assert "Dropped from UNGP Core 1.1, so left out of the comparison: TR2." in text

    # Recompute the change from the raw scores of the compared indicators only.
    card = collect(*bundled, edition=2026)
    record = next(r for r in card.companies if r.slug == "tessaline")
    before, after = record.independent(2025), record.independent(2026)
    assert before is not None and after is not None
    weights = [after.framework.indicator(i).weight for i in COMPARED]  # type: ignore[union-attr]
    old_ids = ["TR3" if i == "GD12" else i for i in COMPARED]
    q = Decimal("0.01")
    total_before = mean([before.score.indicators[i].score for i in old_ids], weights).quantize(q)  # type: ignore[union-attr]
    total_after = mean([after.score.indicators[i].score for i in COMPARED], weights).quantize(q)  # type: ignore[union-attr]
    delta = total_after - total_before
    assert comparison.attrs["data-delta"] == str(delta) == "5.57"
    # The published totals differ by something else: subtracting them would be wrong.
    assert after.score.total is not None and before.score.total is not None
    assert after.score.total - before.score.total != delta
    row = _one(page, "tr", data_cycle="2026", data_assessor="independent")
    assert row.attrs["data-measured"] == "comparable-indicators"
    assert row.attrs["data-change"] == str(delta)
    assert "+5.57 (over 28 comparable indicators)" in row.text


def test_history_on_one_version_subtracts_totals(edition_2026: dict[str, str]) -> None:
    page = edition_2026["companies/tessaline/index.md"]
    row = _one(page, "tr", data_cycle="2025", data_assessor="independent")
    assert row.attrs["data-measured"] == "totals"
    assert row.attrs["data-change"] == "4.72"


def test_changelog_page_of_the_2026_edition(edition_2026: dict[str, str]) -> None:
    page = edition_2026["changelog.md"]
    assert _one(page, id="changelog").attrs["data-previous-cycle"] == "2025"
    row = _one(page, data_company="tessaline")
    assert row.attrs["data-measured"] == "comparable-indicators"
    assert row.attrs["data-delta"] == "5.57"
    assert row.attrs["data-compared"].split() == COMPARED
    frameworks = " ".join(_one(page, id="changelog-frameworks").text.split())
    assert (
        "31 of 33 indicators of UNGP Core 1.1 compare with UNGP Core 1.0; renamed: GD12 (was TR3); not comparable: "
        "DD7 (added in ungp-core 1.1), RA2 (changed in ungp-core 1.1); removed: TR2." in frameworks
    )
    not_again = [e.attrs["data-company"] for e in elements(page) if e.tag == "li" and "data-company" in e.attrs]
    assert "bluefinch" in not_again and "tessaline" not in not_again
    # A plain build is not a published edition: no record, and it says so.
    assert _one(page, id="changelog-corrections").attrs["data-count"] == "0"
    assert "preview build" in page


def test_methodology_lists_each_version_with_what_stays_comparable(edition_2026: dict[str, str]) -> None:
    page = edition_2026["methodology.md"]
    rows = [e for e in elements(page) if e.tag == "tr" and "data-in-edition" in e.attrs]
    assert [(r.attrs["data-framework"], r.attrs["data-in-edition"]) for r in rows] == [
        ("ungp-core@1.1", "true"),
        ("ungp-core@1.0", "false"),
    ]
    assert "31 of 33 indicators of UNGP Core 1.1 compare with UNGP Core 1.0" in rows[0].text
    assert "The first version used on this site." in rows[1].text
    changes = {e.attrs["data-indicator"]: e.text for e in elements(page) if e.tag == "tr" and "data-change" in e.attrs}
    assert set(changes) == {"GD12", "RA2", "DD7", "TR2"}
    assert "yes, under the new id" in changes["GD12"]
    assert "no (new indicator)" in changes["DD7"]
    assert "mixed-versions" not in page  # one version in this edition


@pytest.fixture(scope="module")
def mixed(bundled: Bundled) -> dict[str, str]:
    """Edition 2025 in which Tessaline's assessment answers 1.1 while the others answer 1.0."""
    pairs = []
    for assessment, framework in bundled[0]:
        if assessment.company.slug == "tessaline" and assessment.cycle == 2025 and not assessment.is_self_assessment:
            continue
        if assessment.company.slug == "tessaline" and assessment.cycle == 2026:
            assessment = dataclasses.replace(assessment, cycle=2025)
        pairs.append((assessment, framework))
    return _pages(collect(pairs, bundled[1], edition=2025))


def test_mixed_versions_are_ranked_apart_and_explained(mixed: dict[str, str]) -> None:
    ranking = mixed["ranking.md"]
    tables = [e for e in elements(ranking) if e.tag == "table" and e.attrs.get("id", "").startswith("ranking-indep")]
    assert [t.attrs["data-framework"] for t in tables] == ["ungp-core@1.1", "ungp-core@1.0"]
    notice = " ".join(_one(ranking, id="mixed-versions").text.split())
    assert "UNGP Core 1.1 (1 assessment) and UNGP Core 1.0 (8 assessments)" in notice
    assert "Totals on different versions are not comparable" in notice
    assert "mixed-versions" in mixed["methodology.md"]


def test_mixed_versions_headline_ranks_one_version(mixed: dict[str, str]) -> None:
    home = mixed["index.md"]
    rows = [e for e in elements(home) if e.tag == "tr" and "data-rank" in e.attrs]
    assert "tessaline" not in [r.attrs["data-company"] for r in rows]
    assert "Ranked among the 7 companies assessed on UNGP Core 1.0; 1 other answers another framework version" in (
        " ".join(_one(home, id="headline-ranking").text.split())
    )
