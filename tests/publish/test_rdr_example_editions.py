"""``make example``'s two RDR editions in a real browser: the script is run into a temporary
folder (a git repository of its own), its gh-pages branch extracted and served, and a company
present in both editions (Meta, which RDR ranked as Facebook in 2019) is opened in Chromium.

Its history rows are checked against the two datasets, read here straight from the zips: the
2019 total and indicator scores are RDR's unrounded ``Overall`` cells of Facebook shown to two
decimals; the 2022 ones are Meta's published scores. Only indicators with the same elements and
texts in both editions are compared; every other one is named with its reason."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import REPO
from tests.publish.conftest import extract, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHARED = REPO.parent / "shared" / "data"
ZIP_2019 = Path(os.environ.get("RDR_2019_ZIP", str(SHARED / "rdr-2019" / "rdr-2019-dev.zip")))
ZIP_2022 = Path(os.environ.get("RDR_ZIP", str(SHARED / "rdr-2022" / "rdr-2022-dev.zip")))
CREDIT_2019 = "Data: Ranking Digital Rights, 2019 Corporate Accountability Index, CC BY 4.0"
CREDIT_2022 = "Data: Ranking Digital Rights, 2022 Big Tech Scorecard, CC BY 4.0"


def _rows(zip_path: Path, suffix: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(zip_path) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith(suffix)]
        return list(csv.DictReader(io.StringIO(zf.read(name).decode("utf-8-sig"), newline="")))


def _cents(text: str) -> str:
    return str(Decimal(text).quantize(Decimal("0.01"), ROUND_HALF_UP))


@dataclass(frozen=True)
class Example:
    tree: Path
    url: str


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Example]:
    for path in (ZIP_2019, ZIP_2022):
        if not path.is_file():
            if os.environ.get("CI"):
                pytest.fail(f"RDR dataset not found at {path}")
            pytest.skip(f"RDR dataset not found at {path}")
    base = tmp_path_factory.mktemp("rdr-example")
    dest = base / "build"
    env = {**os.environ, "RDR_2019_ZIP": str(ZIP_2019), "RDR_ZIP": str(ZIP_2022)}
    env.pop("SOURCE_DATE_EPOCH", None)
    done = subprocess.run(
        [sys.executable, str(REPO / "examples" / "rdr" / "build_example.py"), "--dest", str(dest)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "mike" in done.stdout and "serve" in done.stdout  # it says how to serve the editions
    tree = extract(dest, "gh-pages", base / "gh-pages")
    with serve(tree) as url:
        yield Example(tree=tree, url=url)


@pytest.fixture(scope="module")
def page(playwright: Any) -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="hrdd-chromium-") as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield context.new_page()
        finally:
            context.close()


def test_both_editions_are_published_2022_latest(example: Example) -> None:
    """mike's versions.json lists 2022 (latest) and 2019; each edition credits its dataset; the
    2019 methodology page names the indicators scored as a flat mean of their levels."""
    versions = json.loads((example.tree / "versions.json").read_text(encoding="utf-8"))
    assert [(v["version"], v["aliases"]) for v in versions] == [("2022", ["latest"]), ("2019", [])]
    page_2019 = (example.tree / "2019" / "companies" / "meta" / "index.html").read_text(encoding="utf-8")
    page_2022 = (example.tree / "2022" / "companies" / "meta" / "index.html").read_text(encoding="utf-8")
    assert CREDIT_2019 in page_2019 and CREDIT_2022 not in page_2019
    assert CREDIT_2019 in page_2022 and CREDIT_2022 in page_2022
    # The 2019 methodology page states which indicators are averaged flat over their levels.
    method = (example.tree / "2019" / "methodology" / "index.html").read_text(encoding="utf-8")
    flat = re.search(r'<li id="[^"]*-flat-levels">The scores of ([^<]*) are instead the plain mean', method)
    # Those are the indicators RDR answers once per aspect ("Group - Privacy") in its outcome files.
    aspects: dict[str, None] = {}
    with zipfile.ZipFile(ZIP_2019) as zf:
        for name in (n for n in zf.namelist() if n.endswith("_Outcome.csv")):
            text = zf.read(name).decode("utf-8-sig")
            for r in csv.DictReader(io.StringIO(text, newline="")):
                if r["Level"].endswith((" - Freedom of Expression", " - Privacy")):
                    aspects[r["Indicator"]] = None
    ordered = sorted(aspects, key=lambda i: (i[0], int(i[1:])))
    assert flat is not None and flat.group(1) == ", ".join(ordered)


def test_history_of_a_renamed_company_matches_both_datasets(example: Example, page: Any) -> None:
    """Meta's page in the 2022 edition: its 2019 row is Facebook's published 2019 total, its 2022
    row Meta's 2022 total; each compared indicator's two scores are the datasets'; every
    indicator not compared is listed with a reason."""
    from playwright.sync_api import expect

    facebook = next(
        r for r in _rows(ZIP_2019, "_02_Summary_Scores.csv") if r["Company"] == "Facebook" and r["Class"] == "Overall"
    )
    meta_total = next(r["Score"] for r in _rows(ZIP_2022, "-03-total-scores.csv") if r["CompanyLabel"] == "Meta")
    meta_indicators = {
        r["Indicator"]: r["Score"] for r in _rows(ZIP_2022, "-04-indicator-scores.csv") if r["CompanyLabel"] == "Meta"
    }

    page.goto(f"{example.url}2022/companies/meta/")
    history = page.locator("#history-table")
    expect(history.locator('tr[data-cycle="2022"] td[data-col="total"]')).to_have_text(_cents(meta_total))
    expect(history.locator('tr[data-cycle="2019"] td[data-col="total"]')).to_have_text(_cents(facebook["Total"]))

    comparison = page.locator("#history-comparison")
    compared = (comparison.get_attribute("data-compared") or "").split()
    assert compared, "no indicator compared"
    # Each compared indicator's change is in the overview's indicator table: its score (the
    # cell) and the score it is compared with (data-before).
    rows = page.locator("#indicator-summary tbody tr[data-before]")
    checked = 0
    for n in range(rows.count()):
        row = rows.nth(n)
        ind = row.get_attribute("data-indicator") or ""
        assert ind in compared
        old_id = re.sub(r"(?<![0-9])0+(?=[0-9])", "", ind)  # RDR's 2019 spelling: P13 for P13, F1 for F01
        assert row.get_attribute("data-before") == _cents(facebook[old_id])
        expect(row.locator("td").nth(0)).to_have_text(_cents(meta_indicators[ind]))
        checked += 1
    assert checked >= 1
    not_compared = page.locator("#history-comparison .hrdd-not-compared li")
    listed = {not_compared.nth(n).get_attribute("data-indicator") for n in range(not_compared.count())}
    top_2022 = {r["IndicatorFam"] for r in _rows(ZIP_2022, "-04-indicator-scores.csv") if r["CompanyLabel"] == "Meta"}
    assert listed == top_2022 - set(compared)
    for n in range(not_compared.count()):
        expect(not_compared.nth(n)).to_contain_text(re.compile(r": (changed|added) in rdr 2022"))
