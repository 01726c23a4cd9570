"""Comparing scores across cycles, only where the methodology stayed the same.

A framework version's ``changelog`` says, per indicator, what changed since earlier versions
(renamed, changed, added, removed); an indicator it does not mention is unchanged. Changes
between two cycles are computed only on indicators comparable between their framework
versions, and a total over exactly those indicators, so that a new or changed indicator never
shows up as progress or decline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from hrdd.load import version_key
from hrdd.models import Framework
from hrdd.score import AssessmentScore, mean


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    """How the indicators of framework ``new`` correspond to those of ``old``."""

    old: str
    new: str
    comparable: Mapping[str, str]
    """Indicator id in ``new`` -> its id in ``old``, for every comparable indicator."""
    not_comparable: Mapping[str, str]
    """Indicator id in ``new`` -> why it cannot be compared (added, changed, ...)."""
    removed: tuple[str, ...]
    """Indicator ids of ``old`` that ``new`` no longer has."""
    element_map: Mapping[str, str]
    """Element id in ``new`` -> its id in ``old``, for elements of comparable indicators."""


def compare_frameworks(old: Framework, new: Framework) -> Comparison:
    """Which indicators of ``new`` can be compared with ``old``, from ``new``'s changelog."""
    if old.id != new.id:
        return Comparison(
            old=old.key,
            new=new.key,
            comparable={},
            not_comparable={i.id: f"different framework ({old.id} and {new.id})" for i in new.all_indicators()},
            removed=tuple(i.id for i in old.all_indicators()),
            element_map={},
        )
    low, high = version_key(old.version), version_key(new.version)
    # Entries of versions after ``old`` up to and including ``new`` apply.
    changes = [c for c in new.changelog if c.since is None or low < version_key(c.since) <= high]
    renamed = {c.indicator: c for c in changes if c.change == "renamed"}
    broken = {c.indicator: c.change for c in changes if c.change in ("changed", "added")}
    old_ids = {i.id for i in old.all_indicators()}
    comparable: dict[str, str] = {}
    not_comparable: dict[str, str] = {}
    element_map: dict[str, str] = {}
    for indicator in new.all_indicators():
        if indicator.id in broken:
            not_comparable[indicator.id] = f"{broken[indicator.id]} in {new.id} {new.version}"
            continue
        change = renamed.get(indicator.id)
        old_id = change.from_id if change is not None and change.from_id else indicator.id
        if old_id not in old_ids:
            not_comparable[indicator.id] = f"not in {old.id} {old.version}"
            continue
        comparable[indicator.id] = old_id
        for element in indicator.elements:
            element_map[element.id] = change.elements.get(element.id, element.id) if change else element.id
    # A family is comparable only if every sub-indicator is.
    for indicator in new.indicators:
        if indicator.is_family and indicator.id in comparable:
            bad = [s.id for s in indicator.subindicators if s.id not in comparable]
            if bad:
                del comparable[indicator.id]
                not_comparable[indicator.id] = f"sub-indicator(s) {', '.join(bad)} not comparable"
    # Still present (compared or not), or renamed into an indicator of ``new``: not removed.
    kept = {i.id for i in new.all_indicators()} | set(comparable.values())
    kept |= {c.from_id for c in renamed.values() if c.from_id}
    # A changed indicator that names what it replaces: that one is changed, not dropped.
    kept |= {c.from_id for c in changes if c.change == "changed" and c.from_id}
    removed = tuple(i.id for i in old.all_indicators() if i.id not in kept)
    return Comparison(
        old=old.key,
        new=new.key,
        comparable=comparable,
        not_comparable=not_comparable,
        removed=removed,
        element_map=element_map,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class IndicatorChange:
    indicator: str
    before: Decimal | None
    after: Decimal | None

    @property
    def delta(self) -> Decimal | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleChange:
    """What changed between two cycles of one company, on comparable indicators only."""

    comparison: Comparison
    indicators: Mapping[str, IndicatorChange]
    """Top-level indicators of the newer framework that were compared, by id."""
    total_before: Decimal | None
    total_after: Decimal | None
    """Totals recomputed over the compared indicators only (weights of the newer framework)."""

    @property
    def compared(self) -> tuple[str, ...]:
        return tuple(self.indicators)

    @property
    def total_delta(self) -> Decimal | None:
        if self.total_before is None or self.total_after is None:
            return None
        return self.total_after - self.total_before


def cycle_change(
    old_framework: Framework, old_score: AssessmentScore, new_framework: Framework, new_score: AssessmentScore
) -> CycleChange:
    """Changes from an older cycle to a newer one, over comparable top-level indicators."""
    comparison = compare_frameworks(old_framework, new_framework)
    changes: dict[str, IndicatorChange] = {}
    weights: list[Decimal] = []
    for indicator in new_framework.indicators:
        old_id = comparison.comparable.get(indicator.id)
        if old_id is None:
            continue
        before = old_score.indicators[old_id].score
        after = new_score.indicators[indicator.id].score
        if before is None or after is None:
            continue  # all N/A in one of the cycles: nothing to compare
        changes[indicator.id] = IndicatorChange(indicator=indicator.id, before=before, after=after)
        weights.append(indicator.weight)
    quantum = Decimal(1).scaleb(-new_framework.rounding.decimals)

    def total(values: list[Decimal | None]) -> Decimal | None:
        value = mean(values, weights)
        return None if value is None else value.quantize(quantum)

    return CycleChange(
        comparison=comparison,
        indicators=changes,
        total_before=total([c.before for c in changes.values()]),
        total_after=total([c.after for c in changes.values()]),
    )
