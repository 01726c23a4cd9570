"""RDR's own words on each company (``companies/*.json`` beside the zip) become each imported
assessment's key findings, recommendations, changes and category notes, as inert plain text."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from hrdd.importers.rdr_import import import_rdr
from hrdd.importers.rdr_narratives import items, narrative_data
from hrdd.importers.rdr_text import html_text
from hrdd.validate import load_assessment, validate_paths
from tests.acceptance.test_rdr_reproduction import RDR_ZIP

pytestmark = pytest.mark.slow

COMPANIES = RDR_ZIP.parent / "companies"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (RDR_ZIP.is_file() and COMPANIES.is_dir()):
        pytest.skip(f"RDR dataset or {COMPANIES} not found")
    root = tmp_path_factory.mktemp("rdr-narratives")
    import_rdr(RDR_ZIP, root, narratives=COMPANIES)
    return root


def test_every_company_opens_with_rdrs_own_words(imported: Path) -> None:
    """Each company file's first takeaway (as text) is the assessment's first key finding; its
    recommendations, changes and one note per RDR category are there too."""
    files = sorted(COMPANIES.glob("*.json"))
    assert files
    for path in files:
        raw = json.loads(path.read_text(encoding="utf-8"))
        found = list((imported / "assessments").glob(f"*/{2022}.yaml"))
        assessment = next(
            a
            for a, _ in (load_assessment(p, imported / "frameworks") for p in found)
            if a.company.name.casefold() == raw["id"].casefold()
        )
        assert assessment.key_findings[0] == items(raw["keyTakeaways"])[0]
        assert assessment.recommendations == tuple(items(raw["keyRecommendation"]))
        assert assessment.changes == tuple(items(raw["changes"]))
        assert assessment.category_notes == {
            "G": html_text(raw["governance"]),
            "F": html_text(raw["freedom"]),
            "P": html_text(raw["privacy"]),
        }


def test_no_markup_survives_and_links_are_http(imported: Path) -> None:
    """No tag of RDR's HTML reaches the files; every address written out is http(s)."""
    report = validate_paths([imported / "frameworks", imported / "assessments"], imported)
    assert report.ok, report.problems
    for assessment, _ in report.assessments():
        texts = [*assessment.key_findings, *assessment.recommendations, *assessment.changes]
        texts += list(assessment.category_notes.values())
        assert texts
        for text in texts:
            assert not re.search(r"<[a-zA-Z/]", text), text
            for address in re.findall(r"\(([a-z]+:[^\s)]*)", text):
                assert address.startswith(("http://", "https://")), address


def test_hostile_html_is_converted_to_inert_text() -> None:
    """Scripts are dropped, a javascript: link keeps only its text, an http link its address."""
    data = narrative_data(
        {
            "keyTakeaways": '<ul><li>One <a href="javascript:alert(1)">click</a><script>alert(2)</script></li></ul>'
            '<ul><li>Two <a href="https://example.org/x">here</a></li></ul>',
            "privacy": "<p onclick=x>Note <b>bold</b></p>",
        },
        {"P": "Privacy"},
    )
    assert data == {
        "key_findings": ["One click", "Two here (https://example.org/x)"],
        "category_notes": {"P": "Note bold"},
    }


def test_the_folder_beside_the_zip_is_used_by_default(tmp_path: Path) -> None:
    """Without ``narratives``, ``companies/`` beside the zip is read; without that folder, none."""
    if not (RDR_ZIP.is_file() and COMPANIES.is_dir()):
        pytest.skip("RDR dataset not found")
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(RDR_ZIP, alone / RDR_ZIP.name)
    result = import_rdr(alone / RDR_ZIP.name, tmp_path / "out-alone")
    a, _ = load_assessment(result.assessment_paths[0], tmp_path / "out-alone" / "frameworks")
    assert a.key_findings == ()
    shutil.copytree(COMPANIES, alone / "companies")
    result = import_rdr(alone / RDR_ZIP.name, tmp_path / "out-beside")
    a, _ = load_assessment(result.assessment_paths[0], tmp_path / "out-beside" / "frameworks")
    assert a.key_findings
