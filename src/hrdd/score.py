"""Where a score is computed: pure functions from (framework, assessment) to scores.

The method, in the order it is applied (every rule comes from the framework file):

1. An element's points at a level come from its answer (``reversed_points`` for reversed
   elements). Answers with ``points: null`` (N/A) and elements without an answer are left out.
2. A level's score on an indicator is the mean of its element points (``method: mean``) or
   the share of stages completed (``method: staged``).
3. Levels whose kinds share ``combine_as`` are averaged into one level first. Then the
   indicator's scope decides: ``company`` is the mean of the company-side levels, ``units`` the
   mean of the unit levels, ``both`` the mean of those two means. Indicators listed in
   ``aggregation.flat_levels`` are instead the plain mean of every applicable level's score.
4. A family's score is the weighted mean of its sub-indicators' scores.
5. A category's score is the weighted mean of its top-level indicators; the total is what
   ``aggregation.total`` says. Anything with no score (all N/A) is left out of every mean.

With ``rounding.at: every_stage`` each result is rounded before it is used in the next step,
as published scorecards that print rounded intermediates do; with ``final`` only reported
numbers are rounded; with ``never`` nothing is (``shown_score`` rounds for display).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from hrdd.models import Answer, Assessment, Framework, Indicator, Level
from hrdd.sectors import core_view

_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}


@dataclass(frozen=True, slots=True, kw_only=True)
class ElementScore:
    element: str
    level: str
    answer: str | None
    """None when the element applies here but has no answer (drafts only)."""
    points: Decimal | None


@dataclass(frozen=True, slots=True, kw_only=True)
class IndicatorScore:
    indicator: str
    score: Decimal | None
    levels: Mapping[str, Decimal | None]
    """Level id -> the level's score on this indicator (leaf indicators; applicable levels)."""
    company_side: Decimal | None = None
    unit_side: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Coverage:
    applicable: int
    """Element × level pairs that the framework expects to be answered."""
    answered: int
    not_applicable: int
    """Answers worth no points (N/A): left out of the scores."""
    with_evidence: int
    """Answers that cite at least one source."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessmentScore:
    framework: str
    company: str
    cycle: int
    assessor_type: str
    total: Decimal | None
    categories: Mapping[str, Decimal | None]
    indicators: Mapping[str, IndicatorScore]
    elements: tuple[ElementScore, ...]
    coverage: Coverage
    core_total: Decimal | None = None
    """The total over the framework's core indicators only (``hrdd.sectors``): comparable
    across sectors. Equals ``total`` for a framework without sector modules."""

    @property
    def sector_total(self) -> Decimal | None:
        """The total over every indicator that applies to the company: ``total``."""
        return self.total


class _Rounder:
    def __init__(self, framework: Framework) -> None:
        self.quantum = Decimal(1).scaleb(-framework.rounding.decimals)
        self.mode = _MODES[framework.rounding.mode]
        self.every_stage = framework.rounding.at == "every_stage"
        # "never": published scores that are unrounded are reproduced at Decimal's precision.
        self.never = framework.rounding.at == "never"

    def final(self, value: Decimal | None) -> Decimal | None:
        if value is None or self.never:
            return value
        return value.quantize(self.quantum, rounding=self.mode)

    def stage(self, value: Decimal | None) -> Decimal | None:
        return self.final(value) if self.every_stage else value


def mean(values: Iterable[Decimal | None], weights: Iterable[Decimal] | None = None) -> Decimal | None:
    """Weighted mean of the values that are not None; None when there are none."""
    value_list = list(values)
    weight_list = list(weights) if weights is not None else [Decimal(1)] * len(value_list)
    pairs = [(v, w) for v, w in zip(value_list, weight_list, strict=True) if v is not None]
    if not pairs:
        return None
    total_weight = sum((w for _, w in pairs), Decimal(0))
    return sum((v * w for v, w in pairs), Decimal(0)) / total_weight


def element_points(framework: Framework, element_id: str, answer: Answer | None) -> Decimal | None:
    if answer is None:
        return None
    option = framework.answer(answer.answer)
    element = framework.element(element_id)
    if option is None or element is None:
        return None
    return option.reversed_points if element.reversed else option.points


def _level_score(
    framework: Framework, indicator: Indicator, points: Mapping[str, Decimal | None], answers: Mapping[str, Answer]
) -> Decimal | None:
    if indicator.method == "mean":
        return mean(points.values())
    return _staged_score(framework, indicator, answers)


def _staged_score(framework: Framework, indicator: Indicator, answers: Mapping[str, Answer]) -> Decimal | None:
    """Share of stages completed, on the framework's scale.

    A stage joined by ``all`` that is only partly met earns half its share and ends the climb;
    a stage joined by ``any`` needs one met requirement. Requirements answered N/A are ignored;
    a stage whose requirements are all N/A or unanswered is skipped.
    """
    earned = Decimal(0)
    counted = 0
    for stage in indicator.stages:
        verdicts = []
        for element_id in stage.requires:
            answer = answers.get(element_id)
            option = framework.answer(answer.answer) if answer else None
            if option is None or option.points is None:
                continue
            element = framework.element(element_id)
            met = option.meets_requirement
            verdicts.append(not met if element is not None and element.reversed else met)
        if not verdicts:
            continue
        counted += 1
        if all(verdicts) or (stage.join == "any" and any(verdicts)):
            earned += 1
            continue
        if stage.join == "all" and any(verdicts):
            earned += Decimal("0.5")
        break
    if counted == 0:
        return None
    span = framework.scale_max - framework.scale_min
    return framework.scale_min + span * earned / len(indicator.stages)


def score_assessment(framework: Framework, assessment: Assessment) -> AssessmentScore:
    """Score every element, level, indicator, family, category and the total."""
    rnd = _Rounder(framework)
    tally = _Tally()
    indicator_scores: dict[str, IndicatorScore] = {}
    for indicator in framework.leaf_indicators():
        indicator_scores[indicator.id] = _leaf_score(framework, assessment, indicator, rnd, tally)

    for family in framework.indicators:
        if family.is_family:
            subs = family.subindicators
            indicator_scores[family.id] = IndicatorScore(
                indicator=family.id,
                score=rnd.stage(mean((indicator_scores[s.id].score for s in subs), (s.weight for s in subs))),
                levels={},
            )

    categories: dict[str, Decimal | None] = {}
    for category in framework.categories:
        members = [ind for ind in framework.indicators if ind.category == category.id]
        categories[category.id] = rnd.stage(
            mean((indicator_scores[i.id].score for i in members), (i.weight for i in members))
        )

    if framework.total == "mean_of_indicators":
        tops = framework.indicators
        total = mean((indicator_scores[i.id].score for i in tops), (i.weight for i in tops))
    elif framework.total == "mean_of_categories":
        total = mean(categories.values())
    else:
        total = mean(categories.values(), (c.weight for c in framework.categories))

    # Report rounded numbers only; with every_stage these are already rounded.
    result = AssessmentScore(
        core_total=rnd.final(_core_total(framework, assessment, total)),
        framework=framework.key,
        company=assessment.company.slug,
        cycle=assessment.cycle,
        assessor_type=assessment.assessor.type,
        total=rnd.final(total),
        categories={k: rnd.final(v) for k, v in categories.items()},
        indicators={
            k: IndicatorScore(
                indicator=v.indicator,
                score=rnd.final(v.score),
                levels={lk: rnd.final(lv) for lk, lv in v.levels.items()},
                company_side=rnd.final(v.company_side),
                unit_side=rnd.final(v.unit_side),
            )
            for k, v in indicator_scores.items()
        },
        elements=tuple(tally.elements),
        coverage=Coverage(
            applicable=tally.applicable,
            answered=tally.answered,
            not_applicable=tally.not_applicable,
            with_evidence=tally.with_evidence,
        ),
    )
    return result


@dataclass(slots=True)
class _Tally:
    """What scoring one assessment counts on the way: every element score, and the coverage."""

    elements: list[ElementScore] = field(default_factory=list)
    applicable: int = 0
    answered: int = 0
    not_applicable: int = 0
    with_evidence: int = 0


def _leaf_score(
    framework: Framework, assessment: Assessment, indicator: Indicator, rnd: _Rounder, tally: _Tally
) -> IndicatorScore:
    """One indicator with elements: its score at each level, each side and overall (staged rounding)."""
    levels = assessment.levels
    level_scores: dict[str, Decimal | None] = {}
    for level in levels:
        points: dict[str, Decimal | None] = {}
        level_answers: dict[str, Answer] = {}
        for element in indicator.elements:
            if not framework.applies(element, assessment.company.type, level.kind, assessment.company.sector):
                continue
            answer = assessment.answers.get(element.id, {}).get(level.id)
            pts = element_points(framework, element.id, answer)
            tally.applicable += 1
            if answer is not None:
                tally.answered += 1
                level_answers[element.id] = answer
                tally.not_applicable += pts is None
                tally.with_evidence += bool(answer.evidence)
            points[element.id] = pts
            tally.elements.append(
                ElementScore(element=element.id, level=level.id, answer=answer.answer if answer else None, points=pts)
            )
        if points:
            level_scores[level.id] = rnd.stage(_level_score(framework, indicator, points, level_answers))
    company_side, unit_side = _sides(framework, levels, level_scores)
    if indicator.id in framework.flat_levels:
        score = flat_level_mean(level_scores)
    elif indicator.scope == "company":
        score = company_side
    elif indicator.scope == "units":
        score = unit_side
    else:
        score = mean([company_side, unit_side])
    return IndicatorScore(
        indicator=indicator.id,
        score=rnd.stage(score),
        levels=level_scores,
        company_side=company_side,
        unit_side=unit_side,
    )


def _core_total(framework: Framework, assessment: Assessment, total: Decimal | None) -> Decimal | None:
    """The total over the framework's core indicators: the same method applied to its core
    view (``hrdd.sectors.core_view``), so that every aggregation option holds for the core too;
    ``total`` itself for a framework whose indicators are all core."""
    core = core_view(framework)
    return total if core is framework else score_assessment(core, assessment).total


def _sides(
    framework: Framework, levels: tuple[Level, ...], level_scores: Mapping[str, Decimal | None]
) -> tuple[Decimal | None, Decimal | None]:
    """Mean of the company-side levels and of the unit levels, after combining levels."""
    rnd = _Rounder(framework)
    groups: dict[tuple[str, str], list[Decimal | None]] = {}
    for level in levels:
        if level.id not in level_scores:
            continue
        kind = framework.level_kind(level.kind)
        if kind is None:
            continue
        # Levels with a shared combine_as form one group; every other level stands alone.
        group = kind.combine_as or f"\0{level.id}"
        groups.setdefault((kind.side, group), []).append(level_scores[level.id])
    company = [rnd.stage(mean(v)) if len(v) > 1 else v[0] for (side, _), v in groups.items() if side == "company"]
    units = [rnd.stage(mean(v)) if len(v) > 1 else v[0] for (side, _), v in groups.items() if side == "unit"]
    return mean(company), mean(units)


def flat_level_mean(level_scores: Mapping[str, Decimal | None]) -> Decimal | None:
    """``aggregation.flat_levels``: the plain mean of every applicable level's score.

    Each level counts once, whatever its side, and levels that ``combine_as`` are not combined
    first: for methodologies that answer an indicator several times per level (once per
    aspect, say) and average every answered level alike.
    """
    return mean(level_scores.values())


def combined_levels(
    framework: Framework, levels: Iterable[Level], level_scores: Mapping[str, Decimal | None]
) -> dict[str, Decimal | None]:
    """The score of each group of levels whose kinds share ``combine_as`` (group id -> mean).

    What ``_sides`` averages before the sides; reported so that a combined level (prepaid and
    postpaid mobile as one service, say) can be read and checked like any other level.
    """
    rnd = _Rounder(framework)
    groups: dict[str, list[Decimal | None]] = {}
    for level in levels:
        kind = framework.level_kind(level.kind)
        if level.id in level_scores and kind is not None and kind.combine_as:
            groups.setdefault(kind.combine_as, []).append(level_scores[level.id])
    return {group: rnd.final(rnd.stage(mean(values))) for group, values in groups.items()}


def shown_score(framework: Framework, score: AssessmentScore) -> AssessmentScore:
    """``score`` as pages show it: with ``rounding.at: never`` every number is rounded to the
    framework's decimals for display (the unrounded numbers stay what ``score_assessment`` and
    ``hrdd score`` report); with any other policy the score is already rounded and returned as is."""
    if framework.rounding.at != "never":
        return score
    rnd = _Rounder(framework)

    def q(value: Decimal | None) -> Decimal | None:
        return None if value is None else value.quantize(rnd.quantum, rounding=rnd.mode)

    return dataclasses.replace(
        score,
        total=q(score.total),
        core_total=q(score.core_total),
        categories={k: q(v) for k, v in score.categories.items()},
        indicators={
            k: dataclasses.replace(
                v,
                score=q(v.score),
                levels={lk: q(lv) for lk, lv in v.levels.items()},
                company_side=q(v.company_side),
                unit_side=q(v.unit_side),
            )
            for k, v in score.indicators.items()
        },
    )
