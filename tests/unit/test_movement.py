"""The change of a ranking since the previous edition, and group averages (hrdd.site.movement)."""

from __future__ import annotations

from decimal import Decimal

from hrdd.site.movement import Movement, Place, average, movements

D = Decimal


def test_rank_and_score_change_against_the_previous_edition() -> None:
    """Each company's rank then and now, places gained (positive: up), and its score change."""
    before = [Place("a", D("80"), "f-1"), Place("b", D("70"), "f-1"), Place("c", D("60"), "f-1")]
    now = [Place("c", D("75.5"), "f-1"), Place("a", D("75.5"), "f-1"), Place("b", D("40"), "f-1")]
    moved = movements(now, [before])
    assert moved["c"] == Movement(1, False, 3, 2, D("60"), D("15.5"), True)
    assert moved["a"] == Movement(1, False, 1, 0, D("80"), D("-4.5"), True)  # a tie shares rank 1
    assert moved["b"] == Movement(3, False, 2, -1, D("70"), D("-30"), True)


def test_a_company_not_ranked_before_is_new() -> None:
    """A company missing from the previous ranking is new, without a previous rank or change."""
    moved = movements([Place("n", D("50"), "f-1"), Place("a", D("40"), "f-1")], [[Place("a", D("30"), "f-1")]])
    assert moved["n"] == Movement(1, True, None, None, None, None, False)
    assert moved["a"].rank_change == -1 and moved["a"].value_change == D("10")


def test_without_a_previous_edition_nobody_is_new() -> None:
    """The first edition has nothing to be new against: no company is marked new."""
    moved = movements([Place("a", D("50"), "f-1")], None)
    assert moved["a"] == Movement(1, False, None, None, None, None, False)


def test_scores_on_different_framework_versions_are_not_subtracted() -> None:
    """Another framework version: the rank change is given, the score change is not."""
    moved = movements(
        [Place("a", D("50"), "f-2"), Place("b", D("20"), "f-2")],
        [[Place("b", D("10"), "f-1"), Place("a", D("5"), "f-1")]],
    )
    assert moved["a"] == Movement(1, False, 2, 1, D("5"), None, False)


def test_unranked_scores_have_no_rank_change() -> None:
    """A company without a score now (or then) has no rank and no change."""
    moved = movements(
        [Place("a", D("50"), "f"), Place("b", None, "f")], [[Place("b", D("60"), "f"), Place("a", None, "f")]]
    )
    assert moved["b"] == Movement(None, False, 1, None, D("60"), None, True)
    assert moved["a"] == Movement(1, False, None, None, None, None, True)


def test_framework_versions_ranked_apart_each_give_their_own_previous_rank() -> None:
    """A previous edition that ranked two framework versions apart: each company's previous rank
    is its rank in the ranking it was in."""
    v1 = [Place("a", D("90"), "f-1"), Place("b", D("50"), "f-1")]
    v2 = [Place("c", D("70"), "f-2")]
    moved = movements([Place("b", D("60"), "f-2"), Place("c", D("55"), "f-2"), Place("a", D("10"), "f-2")], [v1, v2])
    assert (moved["b"].previous_rank, moved["b"].rank_change, moved["b"].value_change) == (2, 1, None)
    assert (moved["c"].previous_rank, moved["c"].rank_change, moved["c"].value_change) == (1, -1, D("-15"))
    assert (moved["a"].previous_rank, moved["a"].rank_change) == (1, -2)


def test_average_rounds_half_up_and_skips_missing_scores() -> None:
    """The mean of the known scores, rounded half up to the framework's decimals; None if none."""
    assert average([D("1.0"), D("2.0"), None, D("2.5")], 1) == D("1.8")
    assert average([D("0.25"), D("0.5")], 1) == D("0.4")  # 0.375 -> 0.4
    assert average([None, None], 1) is None
    assert average([], 0) is None
