"""Importing RDR's 2019 Corporate Accountability Index and scoring it reproduces every
published number the export can give, unrounded.

The published numbers are read straight from the zip's CSVs here, independently of the
importer: from ``RDR2019_02_Summary_Scores.csv`` each company's ``Overall`` row (total,
categories, all indicators), the freedom-of-expression and privacy indicator cells of its
service rows (prepaid, postpaid, combined mobile, broadband, each internet service) and its
``Group`` row; from each ``_Outcome.csv`` every level, sublevel and indicator score. hrdd's
numbers are read from ``hrdd score --format json``, the public interface, under the names the
imported assessments give their levels. Each pair must agree to a relative error below 1e-9
and at two decimals. Cells the export cannot give (its NOTICE: the Group row's G6, G and
Total) are not compared, and must be named in the import notes instead. Run with ``-s`` to
see the counts per level of aggregation.

The dataset is ``../shared/data/rdr-2019/`` next to the repository, or the zip named by
``HRDD_RDR2019_ZIP`` (with its ``indicators/`` folder beside it).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from hrdd.cli import main
from hrdd.importers.rdr_common import ImportResult
from hrdd.importers.rdr_import import import_rdr

pytestmark = pytest.mark.slow

DEFAULT_ZIP = Path(__file__).resolve().parents[3] / "shared" / "data" / "rdr-2019" / "rdr-2019-dev.zip"
RDR_ZIP = Path(os.environ.get("HRDD_RDR2019_ZIP", str(DEFAULT_ZIP)))
RELATIVE = Decimal("1e-9")
CENT = Decimal("0.01")
SUMMARY_CATEGORIES = {"G": "G", "FoE": "F", "P": "P"}
ASPECTS = (" - Freedom of Expression", " - Privacy")
SHOWN = 15

Row = dict[str, str]


def number(text: str) -> Decimal | None:
    return None if text.strip() in ("NA", "N/A", "", "exclude") else Decimal(text.strip())


def norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", name.casefold())


@dataclass
class Tally:
    """Published numbers compared with hrdd's, per level of aggregation."""

    compared: Counter[str] = field(default_factory=Counter)
    mismatches: list[str] = field(default_factory=list)

    def check(self, what: str, where: str, published: Decimal | None, ours: float | None) -> None:
        self.compared[what] += 1
        mine = None if ours is None else Decimal(repr(ours))
        if published is None or mine is None:
            if published is not mine:
                self.mismatches.append(f"{what} {where}: published {published}, hrdd {mine}")
            return
        exact = abs(mine - published) <= RELATIVE * max(abs(published), Decimal(1))
        cents = mine.quantize(CENT, ROUND_HALF_UP) == published.quantize(CENT, ROUND_HALF_UP)
        if not (exact and cents):
            self.mismatches.append(f"{what} {where}: published {published}, hrdd {mine}")


@dataclass(frozen=True)
class Published:
    summary: list[Row]
    outcomes: dict[str, list[Row]]
    """Company -> its outcome rows."""


def read_published() -> Published:
    summary: list[Row] = []
    outcomes: dict[str, list[Row]] = {}
    with zipfile.ZipFile(RDR_ZIP) as zf:
        for name in zf.namelist():
            text = zf.read(name).decode("utf-8-sig")
            rows = list(csv.DictReader(io.StringIO(text, newline="")))
            if not rows:
                continue
            if "Scoring_Level" in rows[0]:
                outcomes[rows[0]["Company"]] = rows
            elif "Class" in rows[0] and "Total" in rows[0]:
                summary = rows
    return Published(summary, outcomes)


@dataclass(frozen=True)
class Imported:
    result: ImportResult
    published: Published
    scores: dict[str, dict[str, Any]]
    """Company name -> its entry in ``hrdd score --format json``."""


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Imported:
    if not RDR_ZIP.is_file():
        message = f"RDR 2019 dataset not found at {RDR_ZIP} (set HRDD_RDR2019_ZIP)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    root = tmp_path_factory.mktemp("rdr2019")
    result = import_rdr(RDR_ZIP, root)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["score", "--project", str(root), "--format", "json", "--no-cache"])
    assert code == 0, out.getvalue()
    scores = {entry["company"]["name"]: entry for entry in json.loads(out.getvalue())}
    return Imported(result, read_published(), scores)


def combined(entry: dict[str, Any], indicator: str, group: str) -> float | None:
    value: float | None = entry["indicators"][indicator].get("combined", {}).get(group)
    return value


def group_of(entry: dict[str, Any], level_names: set[str], kinds: dict[str, str | None]) -> str | None:
    """The combine_as group that the levels named ``level_names`` share."""
    groups = {kinds.get(lv["kind"]) for lv in entry["levels"] if lv["name"] in level_names}
    return groups.pop() if len(groups) == 1 else None


def framework_kinds(imported: Imported) -> dict[str, str | None]:
    import yaml

    data = yaml.safe_load(imported.result.framework_path.read_text(encoding="utf-8"))
    return {k["id"]: k.get("combine_as") for k in data["level_kinds"]}


def test_every_company_is_imported_as_rdr_2019(imported: Imported) -> None:
    """One assessment per outcome file, against framework rdr version 2019, 35 indicators; the
    import notes report its own check against the published company-wide rows."""
    assert set(imported.scores) == set(imported.published.outcomes)
    assert imported.result.framework_path.name == "2019.yaml"
    assert imported.result.indicators == 35
    assert {e["framework"]["version"] for e in imported.scores.values()} == {"2019"}
    # The import checks itself against the summary's company-wide rows and says so.
    overall_rows = sum(1 for r in imported.published.summary if r["Class"] == "Overall")
    cells = overall_rows * (1 + len(SUMMARY_CATEGORIES) + imported.result.indicators)
    assert f"reproduction check: all {cells} published company-wide cells" in "\n".join(imported.result.notes)
    print(imported.result.summary())


def test_every_reproducible_published_number_matches(imported: Imported) -> None:
    """Overall rows, service rows' F and P cells, Group rows and every outcome level score match
    at full precision and at two decimals; the cells that cannot be derived are in the notes."""
    tally = Tally()
    kinds = framework_kinds(imported)
    notes = "\n".join(imported.result.notes)
    underivable: list[str] = []
    for company, rows in imported.published.outcomes.items():
        entry = imported.scores[company]
        indicators = entry["indicators"]
        by_name = {lv["name"]: lv["id"] for lv in entry["levels"]}
        # --- the outcome file: every level, sublevel and indicator row
        sublevel_classes = {r["Class"] for r in rows if r["Scoring_Level"] == "Sublevel"}
        for r in rows:
            ind, where = r["Indicator"], f"{company} {r['Indicator']} {r['Level']}"
            if r["Scoring_Level"] == "Indicator":
                tally.check("indicator (outcome)", where, number(r["Score"]), indicators[ind]["score"])
            elif r["Scoring_Level"] in ("Level", "Sublevel") and r["Level"] in by_name:
                ours = indicators[ind]["levels"].get(by_name[r["Level"]])
                tally.check("level", where, number(r["Score"]), ours)
            elif r["Scoring_Level"] == "Level" and r["Class"] in sublevel_classes:
                names = {x["Level"] for x in rows if x["Class"] == r["Class"] and x["Scoring_Level"] == "Sublevel"}
                group = group_of(entry, names, kinds)
                assert group is not None, where
                tally.check("combined level", where, number(r["Score"]), combined(entry, ind, group))
            elif r["Scoring_Level"] in ("Level", "Sublevel"):
                pytest.fail(f"{where}: no imported level has this name")
        # --- the summary file
        for row in (r for r in imported.published.summary if r["Company"] == company):
            cls, service = row["Class"], row["Service_Name"].strip()
            indicator_columns = [c for c in row if re.fullmatch(r"[GFP]\d+", c)]
            if cls == "Overall":
                tally.check("total", company, number(row["Total"]), entry["total"])
                for col, cat in SUMMARY_CATEGORIES.items():
                    tally.check("category", f"{company} {col}", number(row[col]), entry["categories"][cat])
                for ind in indicator_columns:
                    tally.check("indicator (summary)", f"{company} {ind}", number(row[ind]), indicators[ind]["score"])
            elif service in ("NA", ""):
                # A company-wide row: the mean of that level's aspects, where the export answers them.
                levels = {r["Level"] for r in rows if r["Class"] == cls and r["Scoring_Level"] == "Element"}
                group = group_of(entry, levels, kinds)
                answered = {r["Indicator"] for r in rows if r["Class"] == cls and r["Scoring_Level"] == "Element"}
                missing = [i for i in indicator_columns if number(row[i]) is not None and i not in answered]
                for ind in indicator_columns:
                    if ind in missing:
                        underivable.append(f"{company} {cls} {ind}")
                        assert re.search(rf"{re.escape(company)}: .*'{cls}' row's .*\b{ind}\b", notes), ind
                    elif ind in answered:
                        tally.check(
                            "company-wide row cell",
                            f"{company} {cls} {ind}",
                            number(row[ind]),
                            combined(entry, ind, group or ""),
                        )
            else:
                names = {r["Level"] for r in rows if r["Class"] == cls and r["Scoring_Level"] in ("Level", "Sublevel")}
                plain = sorted(n for n in names if not n.endswith(ASPECTS) and n in by_name)
                hits = [n for n in plain if norm(n) == norm(service)] or [
                    n for n in plain if norm(n).startswith(norm(service)) or norm(service).startswith(norm(n))
                ]
                if not hits and len(plain) == 1:
                    hits = plain  # the class's only service, named after the operator
                for ind in (c for c in indicator_columns if c[0] in "FP"):
                    where = f"{company} {cls}/{service} {ind}"
                    if len(hits) == 1:
                        ours = indicators[ind]["levels"].get(by_name[hits[0]])
                    elif not hits and cls in sublevel_classes:
                        group = group_of(entry, set(plain), kinds)
                        ours = combined(entry, ind, group or "")
                    else:
                        pytest.fail(f"{where}: service matches {hits or 'no level'}")
                    tally.check("service indicator cell", where, number(row[ind]), ours)
    for what, count in sorted(tally.compared.items()):
        print(f"{what}: {count} compared at full precision and at two decimals")
    print(f"not derivable from the export (named in the import notes): {', '.join(underivable) or 'none'}")
    assert not tally.mismatches, f"{len(tally.mismatches)} differ:\n" + "\n".join(tally.mismatches[:SHOWN])
    assert sum(tally.compared.values()) > 3000
