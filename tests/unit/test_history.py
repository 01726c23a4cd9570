"""Comparisons across framework versions use only indicators that stayed comparable."""

from __future__ import annotations

from pathlib import Path

from hrdd.history import compare_frameworks, cycle_change
from hrdd.score import score_assessment
from hrdd.validate import load_assessment, load_framework
from tests.conftest import FIXTURES, MINI_FRAMEWORKS, REPO

FRAMEWORKS = REPO / "frameworks"
V10 = load_framework(FRAMEWORKS / "ungp-core" / "1.0.yaml")
V11 = load_framework(FRAMEWORKS / "ungp-core" / "1.1.yaml")


def test_changelog_decides_what_is_comparable() -> None:
    """1.1 renames TR3 to GD12, changes RA2, adds DD7 and removes TR2; the rest is unchanged."""
    c = compare_frameworks(V10, V11)
    assert dict(c.not_comparable) == {"DD7": "added in ungp-core 1.1", "RA2": "changed in ungp-core 1.1"}
    assert c.removed == ("TR2",)
    assert c.comparable["GD12"] == "TR3"
    assert {k: v for k, v in c.comparable.items() if k != v} == {"GD12": "TR3"}
    assert set(c.comparable) == {i.id for i in V11.all_indicators()} - {"DD7", "RA2"}
    assert {k: v for k, v in c.element_map.items() if k != v} == {
        "GD12.1": "TR3.1",
        "GD12.2": "TR3.2",
        "GD12.3": "TR3.3",
    }


def test_same_version_is_fully_comparable() -> None:
    c = compare_frameworks(V11, V11)
    assert (dict(c.not_comparable), c.removed) == ({}, ())
    assert set(c.comparable) == {i.id for i in V11.all_indicators()}


def test_different_frameworks_are_not_comparable() -> None:
    mini = load_framework(MINI_FRAMEWORKS / "mini" / "1.0.yaml")
    c = compare_frameworks(mini, V10)
    assert dict(c.comparable) == {}
    assert len(c.not_comparable) == len(list(V10.all_indicators()))


def _scored(path: Path):  # type: ignore[no-untyped-def]
    assessment, framework = load_assessment(path, FRAMEWORKS)
    return framework, score_assessment(framework, assessment)


def test_cycle_change_across_versions_compares_only_comparable_indicators() -> None:
    """Tessaline 2025 (1.0) to 2026 (1.1): DD7 (added) and RA2 (changed) are left out, and so
    are RA1, RA3 and RA4, which are all N/A in both cycles (no incident). GD12 is compared with
    the 2025 score of TR3. The totals are recomputed over the compared indicators only."""
    old_fw, old = _scored(FIXTURES / "ungp-core-1x" / "assessments" / "tessaline" / "2025.yaml")
    new_fw, new = _scored(FIXTURES / "ungp-core-1x" / "assessments" / "tessaline" / "2026.yaml")
    change = cycle_change(old_fw, old, new_fw, new)
    expected = [i.id for i in V11.indicators if i.id not in {"DD7", "RA1", "RA2", "RA3", "RA4"}]
    assert list(change.compared) == expected
    gd12 = change.indicators["GD12"]
    assert (gd12.before, gd12.after) == (old.indicators["TR3"].score, new.indicators["GD12"].score)
    before = sum(old.indicators[change.comparison.comparable[i]].score for i in expected) / len(expected)  # type: ignore[misc]
    after = sum(new.indicators[i].score for i in expected) / len(expected)  # type: ignore[misc]
    assert change.total_before == before.quantize(change.total_before)  # type: ignore[union-attr,arg-type]
    assert change.total_after == after.quantize(change.total_after)  # type: ignore[union-attr,arg-type]
    assert change.total_delta == change.total_after - change.total_before  # type: ignore[operator]
