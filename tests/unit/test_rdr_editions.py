"""Deriving a framework's changelog to an earlier edition from the two framework files, and the
company identity map (hrdd.importers.rdr_editions). Small hand-made frameworks: nothing here
is RDR's data."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from hrdd.errors import ImportFormatError
from hrdd.history import compare_frameworks
from hrdd.importers.rdr_editions import canonical_id, derive_changelog, read_identities
from hrdd.load import framework_from_data

BASE: dict[str, Any] = {
    "id": "demo",
    "title": "Demo",
    "answers": [{"id": "yes", "label": "Yes", "points": 100}, {"id": "no", "label": "No", "points": 0}],
    "level_kinds": [{"id": "group", "label": "Group", "side": "company"}],
    "categories": [{"id": "G", "title": "G"}],
    "aggregation": {"total": "mean_of_indicators"},
    "rounding": {"decimals": 2},
}


def _framework(version: str, indicators: list[dict[str, Any]]) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["version"] = version
    data["indicators"] = indicators
    return data


def _indicator(ind_id: str, *texts: str) -> dict[str, Any]:
    # Zero-padded indicator ids (G01) have zero-padded element ids (G01.01), as RDR's 2022 data.
    width = 2 if "0" in ind_id else 1
    elements = [{"id": f"{ind_id}.{n:0{width}d}", "text": t} for n, t in enumerate(texts, 1)]
    return {"id": ind_id, "category": "G", "title": ind_id, "scope": "company", "elements": elements}


OLD = _framework(
    "2019",
    [
        _indicator("G1", "Does it commit?"),
        _indicator("G2", "Is there oversight?", "By the board?"),
        _indicator("G3", "Training?"),
        _indicator("G4", "Dropped altogether?"),
    ],
)
NEW = _framework(
    "2022",
    [
        _indicator("G01", "Does  it commit?"),  # same text but for spacing: comparable
        _indicator("G02", "Is there oversight?", "By the board of directors?"),  # text changed
        {
            "id": "G03",
            "category": "G",
            "title": "G03",
            "scope": "company",
            "subindicators": [_indicator("G03a", "Training?")],
        },  # a family where there was one indicator
        _indicator("G05", "Brand new?"),
    ],
)


def test_same_elements_same_texts_after_id_mapping_are_comparable() -> None:
    """G01 has G1's element with the same text (G01.01 is G1.1): renamed, with the element map;
    G02's second element's text differs: changed, naming it; G03 became a family: changed; G03a
    and G05 are added. The note lists the comparable ones."""
    entries, notes = derive_changelog(OLD, NEW)
    by_id = {e["indicator"]: e for e in entries}
    assert by_id["G01"] == {
        "indicator": "G01",
        "change": "renamed",
        "since": "2022",
        "note": "the same elements with the same texts as G1 of 2019 (derived from the data)",
        "from": "G1",
        "elements": {"G01.01": "G1.1"},
    }
    assert by_id["G02"]["change"] == "changed" and by_id["G02"]["from"] == "G2"
    assert "G02.02's text differs from G2.2's" in by_id["G02"]["note"]
    assert by_id["G03"]["change"] == "changed" and "family" in by_id["G03"]["note"]
    assert (by_id["G03a"]["change"], by_id["G05"]["change"]) == ("added", "added")
    assert "1 comparable (G01)" in notes[0]


def test_history_compares_only_the_derived_comparable_indicators() -> None:
    """Scored through hrdd.history: G01 compares with G1; G4 is the only one dropped (G2 and G3
    are named as what G02 and G03 replace, so they are changed, not dropped)."""
    new = copy.deepcopy(NEW)
    new["changelog"], _ = derive_changelog(OLD, NEW)
    comparison = compare_frameworks(framework_from_data(OLD), framework_from_data(new))
    assert dict(comparison.comparable) == {"G01": "G1"}
    assert dict(comparison.element_map) == {"G01.01": "G1.1"}
    assert set(comparison.not_comparable) == {"G02", "G03", "G03a", "G05"}
    assert comparison.removed == ("G4",)


def test_ids_are_matched_without_leading_zeros() -> None:
    assert canonical_id("G01.01") == canonical_id("G1.1") == "g1.1"
    assert canonical_id("P10b") == "p10b" and canonical_id("F3") == "f3"


def test_identity_map_reads_slugs_and_refuses_what_is_not_one(tmp_path: Path) -> None:
    """Names are matched without regard to case; a value that is not a slug is refused with the
    file and the company named."""
    good = tmp_path / "companies.yaml"
    good.write_text("companies:\n  Facebook: meta\n  Mail.Ru: vk\n", encoding="utf-8")
    assert read_identities(good) == {"facebook": "meta", "mail.ru": "vk"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("companies:\n  Facebook: Meta Platforms\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match=r"bad\.yaml: companies: Facebook: 'Meta Platforms' is not a slug"):
        read_identities(bad)
