"""The downloads as a Frictionless data package: ``frictionless validate`` passes on a built
site, the licence set in ``mkdocs.yml`` is in the package and the JSON downloads, and the
frameworks' attributions are its sources."""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hrdd.errors import BuildError
from hrdd.site.data import DATAPACKAGE_JSON, ELEMENTS, INDICATOR_SCORES, SCORECARD_JSON, TABLES, TOTALS, data_files
from hrdd.site.licence import DataLicence, from_extra
from tests.site.conftest import mini_card

FRICTIONLESS = Path(sys.executable).with_name("frictionless")
LICENCE = DataLicence(name="CC-BY-4.0", title="Creative Commons Attribution 4.0", path="https://example.org/by")


def test_frictionless_validates_the_built_demo_and_reports_its_licence(
    hrdd,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    """A real build of the demo project, then the real frictionless CLI (valid) and its Python
    API reading the package's licence as mkdocs.yml sets it."""
    if not FRICTIONLESS.is_file():
        pytest.fail("frictionless is not installed: it is in the test extra (make .venv/.hrdd-test-installed)")
    from tests.conftest import REPO

    project = tmp_path / "demo"
    for name in ("assessments", "frameworks", "docs"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    assert hrdd("build", "--project", str(project)).code == 0
    package = project / "site" / "data" / "datapackage.json"
    done = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", str(package)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["valid"] is True
    assert {t["name"] for t in report["tasks"]} == {t.name for t in TABLES}
    # Frictionless reads each compressed table row by row, not just the file.
    for table in (t for t in TABLES if t.compressed):
        task = next(t for t in report["tasks"] if t["name"] == table.name)
        text = gzip.decompress((project / "site" / table.path).read_bytes()).decode("utf-8")
        assert task["place"] == table.path.removeprefix("data/") and task["place"].endswith(".csv.gz")
        assert task["stats"]["rows"] == len(list(csv.reader(io.StringIO(text)))) - 1
        assert task["stats"]["rows"] > 0
    # The full dataset (bzip2, not a Frictionless resource) reads as the package's note says.
    with bz2.open(project / "site" / SCORECARD_JSON) as handle:
        full = json.load(handle)
    assert full["license"]["name"] == "CC-BY-4.0" and full["assessments"]
    from frictionless import Package  # type: ignore[import-untyped]

    read = Package(str(package))
    assert [(lic["name"], lic["path"]) for lic in read.licenses] == [
        ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/")
    ]
    assert any("hrdd project" in s.get("title", "") for s in read.sources)


def test_licence_and_sources_in_the_package_and_json_heads() -> None:
    """The licence goes into datapackage.json (licenses) and the JSON heads (license); without
    one, no licenses key at all."""
    files = data_files(mini_card(), licence=LICENCE)
    package = json.loads(files[DATAPACKAGE_JSON])
    assert package["licenses"] == [LICENCE.as_dict()]
    assert "sources" not in package  # the mini framework asks for no attribution (the demo's do: above)
    head = json.loads(files[SCORECARD_JSON])
    assert head["license"] == LICENCE.as_dict()
    company = json.loads(next(text for path, text in files.items() if path.startswith("data/companies/")))
    assert company["license"] == LICENCE.as_dict()
    assert "licenses" not in json.loads(data_files(mini_card())[DATAPACKAGE_JSON])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("CC-BY-4.0", "must be a mapping"),
        ({"name": "CC BY", "title": "x", "path": "https://example.org"}, "SPDX identifier"),
        ({"name": "CC0-1.0", "title": "x", "path": "javascript:alert(1)"}, "http(s) URL"),
        ({"name": "CC0-1.0", "title": "x", "path": "https://example.org", "url": "y"}, "unknown key(s) url"),
    ],
)
def test_a_malformed_licence_setting_is_refused(value: object, message: str) -> None:
    """extra.data_licence written wrongly stops the build with what to write."""
    with pytest.raises(BuildError, match=message.replace("(", r"\(").replace(")", r"\)")):
        from_extra({"data_licence": value})


def test_tables_carry_titles_and_the_rank() -> None:
    """indicator-scores.csv has each indicator's title, elements.csv every element's text once,
    totals.csv the rank."""
    files = data_files(mini_card())
    indicators = list(csv.DictReader(io.StringIO(files[INDICATOR_SCORES.path])))
    assert all(r["indicator_title"] for r in indicators)
    elements = list(csv.DictReader(io.StringIO(files[ELEMENTS.path])))
    assert elements and all(r["text"] and r["indicator_title"] for r in elements)
    assert len({r["element"] for r in elements}) == len(elements)
    totals = list(csv.DictReader(io.StringIO(files[TOTALS.path])))
    assert [r["rank"] for r in totals] == ["1"]
