"""Key findings, recommendations, changes and category notes in the downloads: the JSON files
and narratives.csv, line breaks kept, formulas defused."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

from hrdd.site.data import NARRATIVES, SCORECARD_JSON, assessment_dict, data_files, table_csv
from tests.site.conftest import mini_card


def _with_narrative():  # type: ignore[no-untyped-def]
    entry = mini_card().entries[0]
    assessment = dataclasses.replace(
        entry.assessment,
        key_findings=("First finding.", "=cmd|' /C calc'!A0\n\n- then a list item"),
        recommendations=("Publish figures (https://example.org/figures).",),
        category_notes={"B": "Note on B.", "A": "Note on A."},
    )
    return entry.with_assessment(assessment)


def test_json_holds_every_narrative_field_as_written() -> None:
    """assessment_dict carries the four fields, empty ones included, text unchanged."""
    data = assessment_dict(_with_narrative())
    assert data["key_findings"] == ["First finding.", "=cmd|' /C calc'!A0\n\n- then a list item"]
    assert data["recommendations"] == ["Publish figures (https://example.org/figures)."]
    assert data["changes"] == []
    assert data["category_notes"] == {"B": "Note on B.", "A": "Note on A."}


def test_narratives_csv_one_row_per_text() -> None:
    """One row per text, numbered within its field, notes with their category, in file order;
    a leading = is prefixed with ' and line breaks survive the CSV round trip."""
    rows = list(csv.DictReader(io.StringIO(table_csv(NARRATIVES, [_with_narrative()]))))
    assert [(r["field"], r["number"], r["category"]) for r in rows] == [
        ("key_findings", "1", ""),
        ("key_findings", "2", ""),
        ("recommendations", "1", ""),
        ("category_notes", "1", "B"),
        ("category_notes", "2", "A"),
    ]
    assert rows[1]["text"] == "'=cmd|' /C calc'!A0\n\n- then a list item"


def test_demo_free_fixture_has_an_empty_narratives_table_but_the_full_keys() -> None:
    """An assessment without narrative gives a header-only table and empty fields in the JSON."""
    files = data_files(mini_card())
    header = "company,cycle,assessor_type,framework,framework_version,field,number,category,text\n"
    assert files[NARRATIVES.path] == header
    first = json.loads(files[SCORECARD_JSON])["assessments"][0]
    assert (first["key_findings"], first["category_notes"]) == ([], {})
