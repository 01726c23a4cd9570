"""Downloads: CSV tables, JSON, the datapackage and badges, on the mini fixture."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest

from hrdd.report import score_to_dict
from hrdd.site import Entry
from hrdd.site.data import (
    ANSWERS,
    DATAPACKAGE_JSON,
    SCORECARD_JSON,
    TABLES,
    TOTALS,
    WHOLE_TABLES,
    Piece,
    assessment_dict,
    badge,
    company_assessment_dict,
    data_file_pieces,
    data_files,
    table_csv,
)
from tests.site.conftest import mini_card
from tests.site.sitecheck import elements

TOTALS_CSV = (
    "company,cycle,assessor_type,framework,framework_version,company_name,sector,country,fictional,assessor,"
    "published,total,core_total,sector_total,applicable,answered,not_applicable,with_evidence,rank\n"
    "mini-telecom,2025,independent,mini,1.0,Mini Telecom (fictional),Telecommunications,DE,true,Test NGO,"
    "2025-06-01,56.25,56.25,56.25,32,32,2,20,1\n"
)

BADGE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="230" height="20" role="img" '
    'aria-label="Mini Telecom (fictional): Mini test framework 2025: 56.25/100">'
    "<title>Mini Telecom (fictional): Mini test framework 2025: 56.25/100</title>"
    '<rect width="159" height="20" fill="#444"/><rect x="159" width="71" height="20" fill="#005A8C"/>'
    '<g fill="#fff" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">'
    '<text x="79.5" y="14">Mini test framework 2025</text><text x="194.5" y="14">56.25/100</text></g></svg>\n'
)


def test_totals_csv_exact() -> None:
    assert table_csv(TOTALS, mini_card().entries) == TOTALS_CSV


def test_answers_csv_has_one_row_per_applicable_element_and_level() -> None:
    card = mini_card()
    rows = list(csv.DictReader(io.StringIO(table_csv(ANSWERS, card.entries))))
    assert len(rows) == card.entries[0].score.coverage.applicable == 32
    a11 = next(r for r in rows if (r["element"], r["level"]) == ("A1.1", "group"))
    assert (a11["answer"], a11["points"], a11["evidence_urls"]) == (
        "yes",
        "100",
        "https://example.org/policy",
    )
    na = next(r for r in rows if (r["element"], r["level"]) == ("A2.2", "search"))
    assert (na["answer"], na["points"], na["comment"]) == ("not_applicable", "", "Search has no accounts.")


def test_free_text_cannot_become_a_spreadsheet_formula() -> None:
    """A comment starting with = is prefixed with ' in the CSV (and left as is in JSON)."""
    entry = mini_card().entries[0]
    answers = {k: dict(v) for k, v in entry.assessment.answers.items()}
    answers["A1.1"]["group"] = dataclasses.replace(answers["A1.1"]["group"], comment='=HYPERLINK("http://x")')
    hostile = entry.with_assessment(dataclasses.replace(entry.assessment, answers=answers))
    rows = list(csv.DictReader(io.StringIO(table_csv(ANSWERS, [hostile]))))
    assert next(r["comment"] for r in rows if r["element"] == "A1.1" and r["level"] == "group") == (
        '\'=HYPERLINK("http://x")'
    )


@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
def test_no_separator_opens_a_formula_cell(separator: str) -> None:
    """Read with the separator of any common locale (comma, semicolon, tab, bar), every cell of the
    answers table is either a whole text cell (no text split into cells) or does not start like a
    formula: a comment holding another locale's separator before a formula is quoted."""
    entry = mini_card().entries[0]
    answers = {k: dict(v) for k, v in entry.assessment.answers.items()}
    payloads = {
        "group": 'ok;=HYPERLINK("http://x")',
        "opco": "ok\t=1+1",
    }
    for level, text in payloads.items():
        answers["A1.1"][level] = dataclasses.replace(answers["A1.1"][level], comment=text)
    answers["A1.2"]["group"] = dataclasses.replace(answers["A1.2"]["group"], comment="a|@SUM(A1)")
    answers["A1.2"]["opco"] = dataclasses.replace(answers["A1.2"]["opco"], comment="b,+cmd")
    hostile = entry.with_assessment(dataclasses.replace(entry.assessment, answers=answers))
    text = table_csv(ANSWERS, [hostile])
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=separator) for cell in row]
    formulas = [c for c in cells if c[:1] in ("=", "+", "@") or (c[:1] == "-" and not c[1:].replace(".", "").isdigit())]
    assert formulas == []
    if separator == ",":
        rows = list(csv.DictReader(io.StringIO(text)))
        comments = {r["comment"] for r in rows}
        assert {'ok;\'=HYPERLINK("http://x")', "ok =1+1", "a|'@SUM(A1)", "b,+cmd"} <= comments


def test_datapackage_describes_every_table_exactly() -> None:
    """Each tabular resource's fields are the CSV's header, and every resource path exists; the
    full dataset's JSON (bzip2, which Frictionless does not read) is named in the description."""
    files = data_files(mini_card())
    package = json.loads(files[DATAPACKAGE_JSON])
    resources = {r["name"]: r for r in package["resources"]}
    assert sorted(resources) == sorted(t.name for t in TABLES)
    assert SCORECARD_JSON.removeprefix("data/") in package["description"] and SCORECARD_JSON in files
    for table in TABLES:
        header = next(csv.reader(io.StringIO(files[table.path])))
        assert [f["name"] for f in resources[table.name]["schema"]["fields"]] == header
        assert f"data/{resources[table.name]['path']}" in files
    assert package["created"] == "2025-06-01T00:00:00Z"


def test_company_json_numbers_are_score_to_dict() -> None:
    """The per-company JSON carries the numbers of `hrdd score --format json` down to each
    indicator's score (what the compare view shows); each element's answer is in the full dataset."""
    card = mini_card()
    entry: Entry = card.entries[0]
    data = json.loads(data_files(card)["data/companies/mini-telecom.json"])
    expected = json.loads(json.dumps(score_to_dict(entry.score, entry.assessment, entry.framework)))
    got = data["assessments"][0]
    for key in ("total", "core_total", "sector_total", "categories", "coverage", "cycle", "status", "framework"):
        assert got[key] == expected[key], key
    assert got["indicator_scores"] == {k: v["score"] for k, v in expected["indicators"].items()}
    assert len(got["indicator_scores"]) == len(list(entry.framework.all_indicators())) > 0
    assert not {"answers", "sources", "incidents", "indicators"} & set(got)
    assert data["company"]["slug"] == "mini-telecom"


def test_full_dataset_answers_carry_the_points_once() -> None:
    """In the full dataset each element and level the scores cover has its answer and points as
    `hrdd score --format json` gives them, under "answers" beside the comment and evidence, and
    no indicator repeats them; every other number of score_to_dict is there unchanged."""
    card = mini_card()
    entry: Entry = card.entries[0]
    full = json.loads(data_files(card)[SCORECARD_JSON])["assessments"][0]
    expected = json.loads(json.dumps(score_to_dict(entry.score, entry.assessment, entry.framework)))
    pairs = 0
    for indicator_id, indicator in expected["indicators"].items():
        for element_id, by_level in indicator.pop("elements", {}).items():
            for level_id, scored in by_level.items():
                answer = full["answers"][element_id][level_id]
                assert (answer["answer"], answer["points"]) == (scored["answer"], scored["points"])
                pairs += 1
        assert full["indicators"][indicator_id] == indicator
    assert pairs == entry.score.coverage.applicable == 32
    a11 = full["answers"]["A1.1"]["group"]
    assert a11 == {
        "answer": "yes",
        "points": 100.0,
        "comment": a11["comment"],
        "evidence": [{"source": "s1", "quote": "We commit.", "locator": ""}],
    }
    for key in ("total", "core_total", "sector_total", "categories", "coverage", "levels"):
        assert full[key] == expected[key], key


def test_full_dataset_and_company_files_hold_every_assessment_once_encoded() -> None:
    """scorecard.json.bz2 holds every assessment whole, in order; each company's file the same
    assessments' scores and findings (their answers, sources and incidents are in the full
    dataset, once)."""
    card = mini_card()
    files = data_files(card)
    full = json.loads(files[SCORECARD_JSON])
    assert list(full) == ["edition", "updated", "frameworks", "assessments"]
    assert full["edition"] == card.edition
    expected = [json.loads(json.dumps(assessment_dict(e))) for e in card.entries]
    assert full["assessments"] == expected
    company = json.loads(files["data/companies/mini-telecom.json"])
    assert list(company) == ["company", "assessments"]
    assert company["assessments"] == [
        json.loads(json.dumps(company_assessment_dict(e))) for e in card.entries if e.slug == "mini-telecom"
    ]
    assert [(a["cycle"], a["total"]) for a in company["assessments"]] == [
        (a["cycle"], a["total"]) for a in expected if a["company"]["slug"] == "mini-telecom"
    ]


def test_badge_exact() -> None:
    assert badge(mini_card().companies[0]) == BADGE


def test_badge_says_self_assessed_when_only_a_self_assessment_exists() -> None:
    card = mini_card()
    entry = card.entries[0]
    assessor = dataclasses.replace(entry.assessment.assessor, type="self")
    own = entry.with_assessment(dataclasses.replace(entry.assessment, assessor=assessor))
    record = dataclasses.replace(card.companies[0], entries=(own,))
    texts = [e.text for e in elements(badge(record)) if e.tag == "text"]
    assert texts == ["Mini test framework 2025", "56.25/100 self-assessed"]


def test_a_data_file_is_its_pieces_joined() -> None:
    """Writers join fixed text and per-assessment pieces; the same assessment gives the same piece
    text in the full dataset and in its company's file."""
    card = mini_card()
    files = dict(data_file_pieces(card))
    for table in TABLES:
        parts = files[table.path]
        if table in WHOLE_TABLES:
            assert len(parts) == 1 and isinstance(parts[0], str)
            continue
        assert [p.entry for p in parts if isinstance(p, Piece)] == list(card.entries)
        assert "".join(p if isinstance(p, str) else p.text() for p in parts) == table_csv(table, card.entries)
    full = json.loads("".join(p if isinstance(p, str) else p.text() for p in files[SCORECARD_JSON]))
    record = card.companies[0]
    own = json.loads(
        "".join(p if isinstance(p, str) else p.text() for p in files[f"data/companies/{record.slug}.json"])
    )
    assert [(a["cycle"], a["total"]) for a in own["assessments"]] == [
        (a["cycle"], a["total"]) for a in full["assessments"] if a["company"]["slug"] == record.slug
    ]
    assert own["assessments"]
