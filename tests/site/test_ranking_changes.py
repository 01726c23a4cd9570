"""The ranking's change since the previous edition and its sector averages, on the demo data:
the rank change of each company equals its rank in the table the previous edition published
minus its rank now; a company in none of them is new; each sector's average is the mean of the
scores the table lists."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from hrdd.models import Assessment, Framework
from hrdd.site import collect
from hrdd.site.render import Site, ranking
from hrdd.validate import Validator
from tests.conftest import REPO

Demo = tuple[list[tuple[Assessment, Framework]], list[Framework]]

_TABLE = re.compile(r'<table id="(?P<id>[^"]+)"(?P<attrs>[^>]*)>(?P<body>.*?)</table>')
_ROW = re.compile(r"<tr (?P<attrs>[^>]*)>(?P<cells>.*?)</tr>")
_CELL = re.compile(
    r'<td[^>]* data-col="(?P<col>[^"]+)" data-value="(?P<value>[^"]*)"(?P<rest>[^>]*)>(?P<text>.*?)</td>'
)


def _attr(attrs: str, name: str) -> str | None:
    found = re.search(rf'{name}="([^"]*)"', attrs)
    return found.group(1) if found else None


def _tables(page: str) -> dict[str, list[dict[str, object]]]:
    """Every table of the page by id: its rows, each with its data attributes and cells."""
    out: dict[str, list[dict[str, object]]] = {}
    for table in _TABLE.finditer(page):
        rows: list[dict[str, object]] = []
        for row in _ROW.finditer(table["body"]):
            cells = {c["col"]: (c["value"], c["text"], "data-new" in c["rest"]) for c in _CELL.finditer(row["cells"])}
            rows.append(
                {
                    "company": _attr(row["attrs"], "data-company"),
                    "sector": _attr(row["attrs"], "data-sector"),
                    "rank": _attr(row["attrs"], "data-rank"),
                    "cells": cells,
                }
            )
        out[table["id"]] = rows
    return out


@pytest.fixture(scope="module")
def demo() -> Demo:
    validator = Validator(REPO / "frameworks", REPO / "assessments")
    report = validator.check_paths([REPO / "frameworks", REPO / "assessments"])
    assert report.ok, report.problems
    frameworks = [f.framework for f in report.files if f.framework is not None and f.kind == "framework"]
    return list(report.assessments()), frameworks


def _ranking(demo: Demo, edition: int) -> str:
    return ranking(Site(card=collect(*demo, edition=edition), site_name="Test"))


def test_rank_change_is_the_previous_editions_rank_minus_todays(demo: Demo) -> None:
    """Across sectors (2025 on ungp-core 2.0), each company's rank change is its rank in the 2024
    ranking it appeared in (2024 ranked versions 1.0 and 1.1 apart) minus its rank now; a
    company ranked in 2024 in neither is marked new; versions differ, so no score is subtracted."""
    before = _tables(_ranking(demo, 2024))
    then = {
        str(r["company"]): int(str(r["rank"]))
        for table_id, rows in before.items()
        if table_id.startswith("ranking-independent")
        for r in rows
    }
    now = _tables(_ranking(demo, 2025))["ranking-independent"]
    assert then and now
    seen_change = seen_new = 0
    for row in now:
        cells = row["cells"]
        assert isinstance(cells, dict)
        value, text, new = cells["rank_change"]
        if str(row["company"]) in then:
            expected = then[str(row["company"])] - int(str(row["rank"]))
            assert (value, new) == (str(expected), False), row["company"]
            assert text == (f"+{expected}" if expected > 0 else str(expected))
            seen_change += 1
        else:
            assert (value, new) == ("", True), row["company"]
            seen_new += 1
        assert cells["score_change"][:2] == ("", "–")
    assert seen_change >= 5


def test_first_edition_has_no_change_columns(demo: Demo) -> None:
    """The demo's first edition (2024) has nothing to compare with: no change columns, no "new"."""
    page = _ranking(demo, 2024)
    assert 'data-col="rank_change"' not in page and "data-new" not in page


def test_sector_averages_are_the_means_of_the_listed_scores(demo: Demo) -> None:
    """Under each ranking, each sector's average of the ranked score (and of each category) is
    the mean of that sector's rows, rounded half up to the framework's 2 decimals."""
    tables = _tables(_ranking(demo, 2025))
    checked = 0
    for table_id, rows in tables.items():
        if not table_id.startswith("averages-"):
            continue
        ranked = tables[table_id.removeprefix("averages-")]
        for avg in rows:
            cells = avg["cells"]
            assert isinstance(cells, dict)
            members = [r["cells"] for r in ranked if r["sector"] == avg["sector"]]
            assert int(cells["count"][0]) == len(members)
            score = "core" if table_id == "averages-ranking-independent" else "sector_total"
            for col, (value, _text, _new) in cells.items():
                if col == "count":
                    continue
                source = score if col == "average" else col
                known = [Decimal(m[source][0]) for m in members if isinstance(m, dict) and m[source][0]]
                if not known:
                    assert value == "", (table_id, col)
                    continue
                mean = sum(known, Decimal(0)) / len(known)
                assert Decimal(value) == mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), (table_id, col)
                checked += 1
    assert checked >= 10
