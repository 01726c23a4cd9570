"""Framework options for methods that publish unrounded, flat-averaged scores (RDR's 2019 Index
needs them; nothing here is about RDR): ``aggregation.flat_levels``, ``rounding.at: never`` and
the scores of combined levels that ``hrdd score --format json`` reports.

Worked by hand on the test framework (tests/fixtures/project/frameworks/mini/1.0.yaml) and
tests/fixtures/project/assessments/mini-telecom/2025.yaml, whose level scores
tests/unit/test_score.py already checks: A2 (units) has search 100, prepaid 50, postpaid 50;
A3b (both) has group 50, opco 50, search 0, prepaid 0, postpaid 0.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from hrdd.load import assessment_from_data, framework_from_data
from hrdd.report import score_to_dict
from hrdd.score import AssessmentScore, combined_levels, score_assessment, shown_score
from hrdd.yamlio import read_yaml
from tests.conftest import MINI_FRAMEWORKS, MINI_PROJECT

ASSESSMENT = MINI_PROJECT / "assessments" / "mini-telecom" / "2025.yaml"
D = Decimal


def _data() -> tuple[dict[str, Any], dict[str, Any]]:
    framework: dict[str, Any] = read_yaml(MINI_FRAMEWORKS / "mini" / "1.0.yaml").data
    assessment: dict[str, Any] = read_yaml(ASSESSMENT).data
    return framework, assessment


def _score(framework: dict[str, Any], assessment: dict[str, Any]) -> AssessmentScore:
    return score_assessment(framework_from_data(framework, Path("mini.yaml")), assessment_from_data(assessment))


def test_flat_levels_is_the_plain_mean_of_every_level_without_combining() -> None:
    """A2 flat: mean(100, 50, 50) = 66.67, where its scope gives mean(100, mobile 50) = 75;
    A3b flat: mean(50, 50, 0, 0, 0) = 20, where both gives mean(50, 0) = 25. Indicators not
    listed keep their scope."""
    framework, assessment = _data()
    before = _score(framework, assessment)
    framework["aggregation"]["flat_levels"] = ["A2", "A3b"]
    after = _score(framework, assessment)
    assert (before.indicators["A2"].score, after.indicators["A2"].score) == (D("75.00"), D("66.67"))
    assert (before.indicators["A3b"].score, after.indicators["A3b"].score) == (D("25.00"), D("20.00"))
    assert after.indicators["A1"].score == before.indicators["A1"].score
    # The level scores themselves do not change, only how they are averaged.
    assert after.indicators["A2"].levels == before.indicators["A2"].levels


def test_rounding_never_reports_unrounded_scores() -> None:
    """A2 flat is 200/3: with ``at: never`` the score is 200/3 at Decimal's precision, not
    66.67; the level scores (100, 50, 50) are exact either way."""
    framework, assessment = _data()
    framework["aggregation"]["flat_levels"] = ["A2"]
    framework["rounding"]["at"] = "never"
    score = _score(framework, assessment).indicators["A2"]
    assert score.score == D(200) / D(3)
    assert score.score != D("66.67")
    assert abs(score.score - D("66.666666666666")) < D("1e-12")


def test_rounding_never_carries_unrounded_values_into_categories_and_total() -> None:
    """Category A holds A1 62.5, A2 200/3 and A3 37.5 (unweighted): with ``never`` it is
    (62.5 + 200/3 + 37.5) / 3 = 500/9 = 55.555..., with every_stage 55.56 from rounded A2 66.67."""
    framework, assessment = _data()
    framework["aggregation"]["flat_levels"] = ["A2"]
    rounded = _score(framework, assessment)
    framework["rounding"]["at"] = "never"
    exact = _score(framework, assessment)
    assert rounded.categories["A"] == D("55.56")
    assert abs(exact.categories["A"] - D(500) / D(9)) < D("1e-20")  # type: ignore[operator]
    assert exact.total is not None and exact.total != exact.total.quantize(D("0.01"))


def test_combined_levels_report_the_mean_of_levels_that_combine() -> None:
    """prepaid and postpaid combine as 'mobile': A2 mobile = mean(50, 50) = 50; A3b mobile =
    mean(0, 0) = 0; levels without combine_as form no group."""
    framework, assessment = _data()
    fw = framework_from_data(framework, Path("mini.yaml"))
    a = assessment_from_data(assessment)
    score = score_assessment(fw, a)
    assert combined_levels(fw, a.levels, score.indicators["A2"].levels) == {"mobile": D("50.00")}
    assert combined_levels(fw, a.levels, score.indicators["A3b"].levels) == {"mobile": D("0.00")}
    assert combined_levels(fw, a.levels, score.indicators["A1"].levels) == {}


def test_score_json_names_levels_and_reports_combined_levels() -> None:
    """``hrdd score --format json`` lists the assessment's levels (id, name, kind) and, per
    indicator, each level's score under its id and each combined level under its group."""
    framework, assessment = _data()
    fw = framework_from_data(framework, Path("mini.yaml"))
    a = assessment_from_data(assessment)
    out = score_to_dict(score_assessment(fw, a), a, fw)
    assert [lv["id"] for lv in out["levels"]] == [lv.id for lv in a.levels]
    assert all(lv["name"] for lv in out["levels"])
    a2 = out["indicators"]["A2"]
    assert a2["levels"] == {"search": 100.0, "pre": 50.0, "post": 50.0}
    assert a2["combined"] == {"mobile": 50.0}
    assert "combined" not in out["indicators"]["A1"]


def test_pages_show_unrounded_scores_to_the_framework_decimals() -> None:
    """``shown_score``: with ``never``, A2's 200/3 is shown as 66.67 and category A's 500/9 as
    55.56; with a rounding policy the score is returned unchanged."""
    framework, assessment = _data()
    framework["aggregation"]["flat_levels"] = ["A2"]
    framework["rounding"]["at"] = "never"
    fw = framework_from_data(framework, Path("mini.yaml"))
    exact = score_assessment(fw, assessment_from_data(assessment))
    shown = shown_score(fw, exact)
    assert (shown.indicators["A2"].score, shown.categories["A"]) == (D("66.67"), D("55.56"))
    assert shown.indicators["A2"].levels == {"search": D("100.00"), "pre": D("50.00"), "post": D("50.00")}
    # The core total (sectors) is shown like the total: to the framework's decimals.
    assert exact.core_total is not None and shown.core_total == exact.core_total.quantize(D("0.01"))
    assert shown.core_total == shown.total
    framework["rounding"]["at"] = "final"
    fw_final = framework_from_data(framework, Path("mini.yaml"))
    final = score_assessment(fw_final, assessment_from_data(assessment))
    assert shown_score(fw_final, final) is final
