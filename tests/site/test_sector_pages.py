"""Pages of a framework with sectors, on the fair fixture (tests/fixtures/sectors): the rankings
across sectors and within each, the company's standing in its sector, indicator pages limited to
the companies an indicator applies to, and the methodology of core and modules.

Scores (worked out by hand in tests/unit/test_sectors.py), edition 2026:
core: chat 100.00, digger 81.25, telco 43.75, shirt 37.50;
sector: telco 54.17 and chat 50.00 (ict), shirt 33.33 (apparel), digger 81.25 (mining).
"""

from __future__ import annotations

import csv
import functools
import io
import re

from hrdd.site import Scorecard, collect
from hrdd.site.changes import score_change
from hrdd.site.data import TOTALS, table_csv
from hrdd.site.render import Site, render_pages
from hrdd.validate import Validator
from tests.conftest import FIXTURES
from tests.site.sitecheck import Element, elements

PROJECT = FIXTURES / "sectors"


@functools.cache
def _card() -> Scorecard:
    validator = Validator(PROJECT / "frameworks", PROJECT / "assessments")
    report = validator.check_paths([PROJECT / "frameworks", PROJECT / "assessments"])
    assert report.ok, report.problems
    frameworks = [f.framework for f in report.files if f.framework is not None and f.kind == "framework"]
    return collect(report.assessments(), frameworks)


@functools.cache
def _pages() -> dict[str, str]:
    return {p.path: p.text for p in render_pages(Site(card=_card(), site_name="Test scorecard"))}


def _by_id(page: str, element_id: str) -> Element:
    return next(e for e in elements(_pages()[page]) if e.attrs.get("id") == element_id)


def _rows(page: str, table_id: str) -> list[Element]:
    """The body rows of one table (rows carry data-company)."""
    found: list[Element] = []
    inside = False
    for e in elements(_pages()[page]):
        if e.tag == "table":
            inside = e.attrs.get("id") == table_id
        elif inside and e.tag == "tr" and "data-company" in e.attrs:
            found.append(e)
    return found


def test_ranking_across_sectors_is_on_the_core_score() -> None:
    """The cross-sector table ranks every company on its core score and says so."""
    table = _by_id("ranking.md", "ranking-independent")
    assert table.attrs["data-ranking"] == "core"
    assert "all sectors, ranked by core score" in table.text
    rows = _rows("ranking.md", "ranking-independent")
    assert [(r.attrs["data-company"], r.attrs["data-rank"], r.attrs["data-core"]) for r in rows] == [
        ("chat", "1", "100.00"),
        ("digger", "2", "81.25"),
        ("telco", "3", "43.75"),
        ("shirt", "4", "37.50"),
    ]
    assert "Across sectors: core score" in _pages()["ranking.md"]


def test_each_sector_is_ranked_apart_on_its_sector_score() -> None:
    """One table per sector with companies, ranked on the sector score: within ict telco (54.17)
    comes before chat (50.00), the reverse of their core order; each table names its sector."""
    ict = _by_id("ranking.md", "ranking-sector-ict")
    assert (ict.attrs["data-ranking"], ict.attrs["data-sector"]) == ("sector", "ict")
    assert "ICT platforms and telecommunications only, ranked by sector score" in ict.text
    assert [(r.attrs["data-company"], r.attrs["data-rank"]) for r in _rows("ranking.md", "ranking-sector-ict")] == [
        ("telco", "1"),
        ("chat", "2"),
    ]
    assert [r.attrs["data-company"] for r in _rows("ranking.md", "ranking-sector-apparel")] == ["shirt"]
    assert [r.attrs["data-company"] for r in _rows("ranking.md", "ranking-sector-mining")] == ["digger"]
    filters = _by_id("ranking.md", "ranking-filters")
    assert filters.attrs["data-tables"].split() == [
        "ranking-independent",
        "ranking-sector-ict",
        "ranking-sector-apparel",
        "ranking-sector-mining",
    ]


def test_company_page_shows_both_scores_sector_average_and_place() -> None:
    """Telco: core 43.75, sector 54.17; ict average = (54.17 + 50.00) / 2 = 52.085 → 52.09;
    first of the two ict companies. The sector is shown by name."""
    page = "companies/telco/index.md"
    standing = _by_id(page, "sector-standing")
    assert {k: standing.attrs[k] for k in standing.attrs if k.startswith("data-")} == {
        "data-sector": "ict",
        "data-core": "43.75",
        "data-sector-score": "54.17",
        "data-sector-average": "52.09",
        "data-sector-place": "1",
        "data-sector-count": "2",
        "data-cycle": "2026",
        "data-search-exclude": "",  # numbers, kept out of the search index
    }
    assert "1 of 2" in standing.text
    assert "<dt>Sector</dt><dd>ICT platforms and telecommunications</dd>" in _pages()[page]


def test_company_page_leaves_out_indicators_of_other_sectors() -> None:
    """Shirt (apparel) sees AP1 and no G1 (ict module); telco sees G1 and no AP1; digger (mining)
    sees neither, nor D2 (excluded for mining)."""
    ids = {
        slug: {
            e.attrs["data-indicator"]
            for e in elements(_pages()[f"companies/{slug}/answers.md"])
            if e.tag == "section" and "data-indicator" in e.attrs
        }
        for slug in ("shirt", "telco", "digger")
    }
    # The overview's indicator table lists the same indicators as the answers page.
    rows = {
        slug: {
            e.attrs["data-indicator"]
            for e in elements(_pages()[f"companies/{slug}/index.md"])
            if e.tag == "tr" and "data-indicator" in e.attrs and "data-score" in e.attrs
        }
        for slug in ("shirt", "telco", "digger")
    }
    assert rows == ids
    assert ids == {
        "shirt": {"P1", "P2", "D1", "D2", "AP1"},
        "telco": {"P1", "P2", "D1", "D2", "G1"},
        "digger": {"P1", "P2", "D1"},
    }


def _listed(page: str, table_id: str) -> list[str]:
    """The companies whose overviews a table links to (an indicator page's rows carry no slug)."""
    found: list[str] = []
    inside = False
    for e in elements(_pages()[page]):
        if e.tag == "table":
            inside = e.attrs.get("id") == table_id
        elif inside and e.tag == "a" and (m := re.fullmatch(r"\.\./\.\./companies/([^/]+)/", e.attrs["href"])):
            found.append(m.group(1))
    return found


def test_indicator_pages_list_only_the_companies_it_applies_to() -> None:
    """G1 is answered by the ict companies only; D2 by all but the mining company."""
    assert sorted(_listed("indicators/G1.md", "indicator-scores-table")) == ["chat", "telco"]
    assert set(_listed("indicators/D2.md", "indicator-scores-table")) == {
        "telco",
        "chat",
        "shirt",
    }
    assert (
        "ICT platforms and telecommunications companies only (module: Government demands)"
        in _pages()["indicators/G1.md"]
    )


def test_methodology_explains_core_modules_and_comparisons() -> None:
    """The methodology names the core indicators, the modules and what compares with what."""
    page = _pages()["methodology.md"]
    method = _by_id("methodology.md", "fair-2-0-sectors-method")
    assert "3 indicators" in method.text
    assert "compares companies of every sector" in method.text
    assert "Sector scores of companies in different sectors are not compared" in method.text
    modules = [e.attrs["data-module"] for e in elements(page) if "data-module" in e.attrs]
    assert modules == ["ict", "apparel"]
    assert "moved into the module Government demands" in page


def test_totals_download_carries_sector_core_and_sector_total() -> None:
    """totals.csv: the sector id, the core total and the sector total of each assessment."""
    rows = list(csv.DictReader(io.StringIO(table_csv(TOTALS, _card().entries))))
    got = {(r["company"], r["cycle"]): (r["sector"], r["core_total"], r["sector_total"]) for r in rows}
    assert got[("telco", "2026")] == ("ict", "43.75", "54.17")
    assert got[("digger", "2026")] == ("mining", "81.25", "81.25")
    assert got[("telco", "2025")] == ("Telecommunications", "33.33", "33.33")


def test_history_lists_only_the_companys_indicators_as_not_compared() -> None:
    """Shirt (apparel), 2025 on 1.0 to 2026 on 2.0: P2 changed and AP1 added are not compared;
    G1, which it answered in 1.0, moved into the ict module and is said to be no longer asked of
    it. Telco (ict) has no word on AP1, an indicator of another sector's module."""
    records = {r.slug: r for r in _card().companies}
    shirt = score_change(records["shirt"].primary(2025), records["shirt"].primary(2026))
    assert shirt.compared == ("P1", "D1", "D2")
    assert shirt.not_compared == {
        "P2": "changed in fair 2.0",
        "AP1": "added in fair 2.0",
        "G1": "not asked of Apparel and footwear companies in fair 2.0",
    }
    telco = score_change(records["telco"].primary(2025), records["telco"].primary(2026))
    assert telco.not_compared == {"P2": "changed in fair 2.0"}


def test_companies_index_names_sectors_and_shows_the_core_score() -> None:
    """The companies list shows each sector by name and, beside the sector score, the core score."""
    rows = {r.attrs["data-company"]: r for r in _rows("companies/index.md", "companies-table")}
    page = _pages()["companies/index.md"]
    assert '<td data-col="sector">ICT platforms and telecommunications</td>' in page
    assert '<td data-col="sector">ict</td>' not in page
    assert rows["telco"].attrs["data-total"] == "54.17"
    cells = [e for e in elements(page) if e.tag == "td" and e.attrs.get("data-col") == "core"]
    assert sorted(c.attrs["data-value"] for c in cells) == ["100.00", "37.50", "43.75", "81.25"]


def test_indicators_index_says_which_companies_each_indicator_applies_to() -> None:
    """With sectors, the indicators list says for each indicator which sectors answer it."""
    page = _pages()["indicators/index.md"]
    assert "<td>every sector (a core indicator)</td>" in page
    assert "<td>Apparel and footwear companies only (module: Apparel supply chains)</td>" in page
    assert "<td>ICT platforms and telecommunications, Apparel and footwear companies" in page  # D2: not mining
