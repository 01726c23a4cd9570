"""Scoring on the test framework (tests/fixtures/project/frameworks/mini/1.0.yaml).

Each expectation was worked out by hand from the answers in
tests/fixtures/project/assessments/mini-telecom/2025.yaml; the working is in the docstrings.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from hrdd.load import assessment_from_data, framework_from_data
from hrdd.models import Assessment, Framework
from hrdd.score import mean, score_assessment
from hrdd.validate import load_assessment
from hrdd.yamlio import read_yaml
from tests.conftest import MINI_FRAMEWORKS, MINI_PROJECT

ASSESSMENT = MINI_PROJECT / "assessments" / "mini-telecom" / "2025.yaml"
D = Decimal


@pytest.fixture(scope="module")
def loaded() -> tuple[Assessment, Framework]:
    return load_assessment(ASSESSMENT, MINI_FRAMEWORKS)


def _framework_data() -> dict[str, Any]:
    data: dict[str, Any] = read_yaml(MINI_FRAMEWORKS / "mini" / "1.0.yaml").data
    return data


def _assessment_data() -> dict[str, Any]:
    data: dict[str, Any] = read_yaml(ASSESSMENT).data
    return data


def _score(fw_data: dict[str, Any], a_data: dict[str, Any]):  # type: ignore[no-untyped-def]
    return score_assessment(framework_from_data(fw_data, Path("mini.yaml")), assessment_from_data(a_data))


def test_reversed_element_scores_no_as_full_points(loaded: tuple[Assessment, Framework]) -> None:
    """A1 (company scope): group yes + reversed no = 100; opcom partial + reversed yes = 25."""
    a, fw = loaded
    s = score_assessment(fw, a).indicators["A1"]
    assert dict(s.levels) == {"group": D("100.00"), "opco": D("25.00")}
    assert s.score == D("62.50")
    assert s.unit_side is None


def test_units_scope_combines_levels_and_skips_na_and_exclusions(loaded: tuple[Assessment, Framework]) -> None:
    """A2 (units scope): search = 100 (N/A left out, A2.3 excluded at search);
    prepaid 50 and postpaid 50 combine into one mobile level 50; mean(100, 50) = 75."""
    a, fw = loaded
    s = score_assessment(fw, a).indicators["A2"]
    assert dict(s.levels) == {"search": D("100.00"), "pre": D("50.00"), "post": D("50.00")}
    assert s.unit_side == D("75.00")
    assert s.score == D("75.00")


def test_both_scope_is_mean_of_side_means_not_of_all_levels(loaded: tuple[Assessment, Framework]) -> None:
    """A3b: company side mean(50, 50) = 50, unit side mean(0, mobile 0) = 0, score 25.
    The mean of all five levels would be 20."""
    a, fw = loaded
    s = score_assessment(fw, a).indicators["A3b"]
    assert (s.company_side, s.unit_side, s.score) == (D("50.00"), D("0.00"), D("25.00"))


def test_family_is_mean_of_subindicators(loaded: tuple[Assessment, Framework]) -> None:
    """A3 = mean(A3a 50, A3b 25) = 37.5."""
    a, fw = loaded
    assert score_assessment(fw, a).indicators["A3"].score == D("37.50")


def test_staged_indicator_half_point_for_partly_met_all_stage(loaded: tuple[Assessment, Framework]) -> None:
    """B1 group: stage 1 (all) met, stage 2 (any) met -> 100. opcom: stage 1 half met -> 0.5/2 = 25."""
    a, fw = loaded
    s = score_assessment(fw, a).indicators["B1"]
    assert dict(s.levels) == {"group": D("100.00"), "opco": D("25.00")}
    assert s.score == D("62.50")


def test_na_only_level_is_left_out(loaded: tuple[Assessment, Framework]) -> None:
    """B2: opcom answered N/A has no score; the company side is group's 50 alone."""
    a, fw = loaded
    s = score_assessment(fw, a).indicators["B2"]
    assert dict(s.levels) == {"group": D("50.00"), "opco": None}
    assert s.score == D("50.00")


def test_categories_and_weighted_total(loaded: tuple[Assessment, Framework]) -> None:
    """A = mean(62.5, 75, 37.5) = 58.33; B = (62.5 + 2 * 50) / 3 = 54.17;
    total = (62.5 + 75 + 37.5 + 62.5 + 2 * 50) / 6 = 56.25 (indicator weights count)."""
    a, fw = loaded
    s = score_assessment(fw, a)
    assert dict(s.categories) == {"A": D("58.33"), "B": D("54.17")}
    assert s.total == D("56.25")


def test_coverage_counts(loaded: tuple[Assessment, Framework]) -> None:
    """32 element × level pairs apply and are answered; 2 are N/A; 20 cite evidence."""
    a, fw = loaded
    c = score_assessment(fw, a).coverage
    assert (c.applicable, c.answered, c.not_applicable, c.with_evidence) == (32, 32, 2, 20)


def test_weighted_categories_total() -> None:
    """Category weights A 3, B 1: (3 * 58.33 + 54.17) / 4 = 57.29 (58.3325 + ... rounded)."""
    fw = _framework_data()
    fw["aggregation"]["total"] = "weighted_categories"
    assert _score(fw, _assessment_data()).total == D("57.29")


def test_mean_of_categories_total() -> None:
    """mean(58.33, 54.17) = 56.25."""
    fw = _framework_data()
    fw["aggregation"]["total"] = "mean_of_categories"
    assert _score(fw, _assessment_data()).total == D("56.25")


def test_rounding_every_stage_differs_from_final() -> None:
    """With zero decimals, final rounding keeps exact intermediates:
    A = (62.5 + 75 + 37.5) / 3 = 58.33 -> 58. every_stage rounds A1 62.5 -> 63 and the
    family A3 37.5 -> 38 before the category: (63 + 75 + 38) / 3 = 58.67 -> 59."""
    fw = _framework_data()
    fw["rounding"] = {"decimals": 0, "mode": "half_up", "at": "every_stage"}
    every = _score(copy.deepcopy(fw), _assessment_data())
    fw["rounding"]["at"] = "final"
    final = _score(fw, _assessment_data())
    assert final.categories["A"] == D("58")
    assert every.categories["A"] == D("59")


def test_half_even_rounding_mode() -> None:
    """62.5 rounds to 62 with half_even and 63 with half_up (zero decimals)."""
    fw = _framework_data()
    fw["rounding"] = {"decimals": 0, "mode": "half_even", "at": "final"}
    assert _score(fw, _assessment_data()).indicators["A1"].score == D("62")
    fw["rounding"]["mode"] = "half_up"
    assert _score(fw, _assessment_data()).indicators["A1"].score == D("63")


def test_exclusion_by_company_type_removes_subindicator() -> None:
    """For a platform, A3b is excluded: no levels, no score, A3 = A3a alone = 50."""
    data = _assessment_data()
    data["company"]["type"] = "platform"
    del data["answers"]["A3b.1"]
    s = _score(_framework_data(), data)
    assert s.indicators["A3b"].score is None
    assert dict(s.indicators["A3b"].levels) == {}
    assert s.indicators["A3"].score == D("50.00")


def test_indicator_with_only_na_is_left_out_of_category() -> None:
    """If every A2 answer is N/A, A2 has no score and category A = mean(62.5, 37.5) = 50."""
    data = _assessment_data()
    for element in ("A2.1", "A2.2", "A2.3"):
        for level in data["answers"][element]:
            data["answers"][element][level] = {"answer": "not_applicable", "comment": "n/a"}
    s = _score(_framework_data(), data)
    assert s.indicators["A2"].score is None
    assert s.categories["A"] == D("50.00")


def test_staged_any_stage_not_met_stops_climb() -> None:
    """group: stage 1 met, stage 2 (any) with both options "no" -> 1 of 2 stages = 50."""
    data = _assessment_data()
    data["answers"]["B1.4"]["group"] = {"answer": "no"}
    assert _score(_framework_data(), data).indicators["B1"].levels["group"] == D("50.00")


def test_mean_ignores_none_and_uses_weights() -> None:
    """mean([10, None, 40], weights [1, 5, 2]) = (10 + 80) / 3 = 30."""
    assert mean([D(10), None, D(40)], [D(1), D(5), D(2)]) == D(30)
    assert mean([None, None]) is None
