"""Property-based tests of scoring and loading (hypothesis).

Scoring runs on the test framework, whose indicators use every rule (scopes, a family,
reversed and excluded elements, combined levels, a staged indicator, weights).
"""

from __future__ import annotations

import contextlib
import dataclasses
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrdd.errors import YamlError
from hrdd.models import Answer, Assessment, Framework
from hrdd.score import AssessmentScore, score_assessment
from hrdd.validate import Validator, load_assessment
from hrdd.yamlio import parse_yaml
from tests.conftest import MINI_FRAMEWORKS, MINI_PROJECT

ASSESSMENT, FRAMEWORK = load_assessment(MINI_PROJECT / "assessments" / "mini-telecom" / "2025.yaml", MINI_FRAMEWORKS)
PAIRS = [
    (element.id, level.id)
    for element in FRAMEWORK.elements()
    for level in ASSESSMENT.levels
    if FRAMEWORK.applies(element, ASSESSMENT.company.type, level.kind)
]
ANSWER_IDS = [a.id for a in FRAMEWORK.answers]
SCORED_IDS = [a.id for a in FRAMEWORK.answers if a.points is not None]


def _with_answers(choice: dict[tuple[str, str], str | None]) -> Assessment:
    answers: dict[str, dict[str, Answer]] = {}
    for (element, level), answer in choice.items():
        if answer is not None:
            answers.setdefault(element, {})[level] = Answer(answer=answer, comment="generated")
    return dataclasses.replace(ASSESSMENT, answers=answers)


def _all_scores(score: AssessmentScore) -> list[tuple[str, Decimal | None]]:
    values: list[tuple[str, Decimal | None]] = [("total", score.total)]
    values += [(f"category {k}", v) for k, v in score.categories.items()]
    for ind_id, ind in score.indicators.items():
        values.append((f"indicator {ind_id}", ind.score))
        values += [(f"{ind_id} at {lv}", v) for lv, v in ind.levels.items()]
    return values


answer_sets = st.fixed_dictionaries({pair: st.sampled_from(ANSWER_IDS) for pair in PAIRS})


@given(answer_sets)
def test_every_score_stays_within_the_scale(choice: dict[tuple[str, str], str]) -> None:
    score = score_assessment(FRAMEWORK, _with_answers(dict(choice)))
    for name, value in _all_scores(score):
        assert value is None or FRAMEWORK.scale_min <= value <= FRAMEWORK.scale_max, name


def _effective(framework: Framework, element_id: str, answer_id: str) -> Decimal:
    option = framework.answer(answer_id)
    element = framework.element(element_id)
    assert option is not None and element is not None
    points = option.reversed_points if element.reversed else option.points
    assert points is not None
    return points


@given(
    st.fixed_dictionaries({pair: st.sampled_from(SCORED_IDS) for pair in PAIRS}),
    st.sampled_from(PAIRS),
    st.sampled_from(SCORED_IDS),
)
def test_raising_one_answer_never_lowers_an_aggregate(
    choice: dict[tuple[str, str], str], pair: tuple[str, str], new_answer: str
) -> None:
    """A change that gives an element more points (for a reversed element: from yes towards no)
    never lowers the level, indicator, family, category or total above it."""
    before = dict(choice)
    old_answer = before[pair]
    if _effective(FRAMEWORK, pair[0], new_answer) < _effective(FRAMEWORK, pair[0], old_answer):
        old_answer, new_answer = new_answer, old_answer
        before[pair] = old_answer
    after = {**before, pair: new_answer}
    low = dict(_all_scores(score_assessment(FRAMEWORK, _with_answers(before))))
    high = dict(_all_scores(score_assessment(FRAMEWORK, _with_answers(after))))
    for name, value in low.items():
        if value is not None and high[name] is not None:
            assert high[name] >= value, (name, pair, old_answer, new_answer)


@given(answer_sets, st.sampled_from(PAIRS))
def test_na_answer_is_the_same_as_no_answer(choice: dict[tuple[str, str], str], pair: tuple[str, str]) -> None:
    """N/A is left out of every average: answering N/A equals leaving the element out."""
    as_na = score_assessment(FRAMEWORK, _with_answers({**choice, pair: "not_applicable"}))
    left_out = score_assessment(FRAMEWORK, _with_answers({**choice, pair: None}))
    assert _all_scores(as_na) == _all_scores(left_out)


@given(answer_sets, st.randoms(use_true_random=False))
def test_order_of_answers_and_levels_does_not_matter(choice: dict[tuple[str, str], str], rnd: Any) -> None:
    items = list(choice.items())
    rnd.shuffle(items)
    levels = list(ASSESSMENT.levels)
    rnd.shuffle(levels)
    shuffled = dataclasses.replace(_with_answers(dict(items)), levels=tuple(levels))
    original = score_assessment(FRAMEWORK, _with_answers(dict(choice)))
    again = score_assessment(FRAMEWORK, shuffled)
    assert dict(_all_scores(original)) == dict(_all_scores(again))


@settings(max_examples=300)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_raise_only_yaml_error(raw: bytes) -> None:
    with contextlib.suppress(YamlError):
        parse_yaml(raw, Path("fuzz.yaml"))


yaml_text = st.text(
    alphabet=st.sampled_from([*list("abc:-[]{}&*!|>'\"#%@` \n\t,?0123456789.yesno~"), "\ufeff", "é", "\u202e"]),
    max_size=300,
)


@settings(max_examples=300)
@given(yaml_text)
def test_arbitrary_yaml_like_text_raises_only_yaml_error(text: str) -> None:
    with contextlib.suppress(YamlError):
        parse_yaml(text.encode("utf-8"), Path("fuzz.yaml"))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=30,
)


TOP_KEYS = ["company", "framework", "cycle", "assessor", "status", "levels", "answers", "sources", "incidents", "dates"]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from([*TOP_KEYS, "other"]), json_values, max_size=9))
def test_validating_any_document_reports_problems_and_never_crashes(document: dict[str, Any]) -> None:
    """Whatever the structure, validation returns problems; it never raises."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.yaml"
        path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        result = Validator(frameworks_dir=MINI_FRAMEWORKS).check_assessment_file(path)
    assert result.problems or result.assessment is not None
