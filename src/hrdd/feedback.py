"""A company's feedback on its assessment before publication, and the assessor's response.

The feedback on ``assessments/<slug>/<cycle>.yaml`` is ``assessments/<slug>/<cycle>-feedback.yaml``
(``hrdd.load.is_feedback_file`` recognises the name). Per element and level the company agrees,
or disagrees with a reason and optional evidence; the assessor records a response to each item:
accepted (the answer changed: old and new answers recorded, the new one being the assessment's
answer now) or not accepted (with the reason). The file is read by the project's strict YAML
reader, checked against ``schema/feedback.schema.json``, then against the assessment it answers
and its framework; every problem has its file, line and column.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from hrdd.check.result import Checker, FileResult, Problem
from hrdd.check.schema import read_document, schema_problems
from hrdd.load import FEEDBACK_SUFFIX, feedback_path, feedback_target
from hrdd.models import Assessment, Evidence, Framework, Source
from hrdd.project import display_path
from hrdd.yamlio import Document, JsonPath, read_yaml

Position = Literal["agree", "disagree"]
Outcome = Literal["accepted", "not_accepted"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Response:
    """The assessor's response to one feedback item."""

    outcome: Outcome
    old_answer: str | None = None
    new_answer: str | None = None
    reason: str = ""
    date: str | None = None

    @property
    def changed(self) -> bool:
        return self.outcome == "accepted"


@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    """The company's position on the answer for one element at one level."""

    element: str
    level: str
    position: Position
    reason: str = ""
    evidence: tuple[Evidence, ...] = ()
    response: Response | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Feedback:
    company: str
    cycle: int
    items: tuple[Item, ...]
    sources: tuple[Source, ...] = ()
    received: str | None = None
    path: Path | None = None

    _by_key: Mapping[tuple[str, str], Item] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The first item for a key: a file with two is refused by the checks anyway.
        by_key: dict[tuple[str, str], Item] = {}
        for i in self.items:
            by_key.setdefault((i.element, i.level), i)
        object.__setattr__(self, "_by_key", by_key)

    def item(self, element: str, level: str) -> Item | None:
        return self._by_key.get((element, level))

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    @property
    def commented(self) -> int:
        """How many answers the company commented on (agreeing or not)."""
        return len(self.items)

    @property
    def changed(self) -> int:
        """How many answers were changed because of the feedback."""
        return sum(1 for i in self.items if i.response is not None and i.response.changed)


def feedback_from_data(data: Mapping[str, Any], path: Path | None = None) -> Feedback:
    """The model of schema-valid feedback data."""
    return Feedback(
        company=data["company"],
        cycle=data["cycle"],
        received=data.get("received"),
        sources=tuple(Source(id=s["id"], url=s["url"], title=s["title"]) for s in data.get("sources", ())),
        items=tuple(_item(i) for i in data["items"]),
        path=path,
    )


def _item(data: Mapping[str, Any]) -> Item:
    response = data.get("response")
    return Item(
        element=data["element"],
        level=data["level"],
        position=data["position"],
        reason=data.get("reason", ""),
        evidence=tuple(Evidence(source=e["source"], quote=e.get("quote", "")) for e in data.get("evidence", ())),
        response=None
        if response is None
        else Response(
            outcome=response["outcome"],
            old_answer=response.get("old_answer"),
            new_answer=response.get("new_answer"),
            reason=response.get("reason", ""),
            date=response.get("date"),
        ),
    )


def feedback_for(assessment: Assessment) -> Feedback | None:
    """The feedback kept beside a (validated) assessment, or None when it has none.

    The build has checked the file with everything else; a file that cannot be read now
    (changed since) raises ``YamlError`` rather than being passed over in silence. Read once
    per version of the file: a company page asks for it once per answer."""
    if assessment.path is None or assessment.is_self_assessment:
        return None
    path = feedback_path(assessment.path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return _read_feedback(str(path), (stat.st_mtime_ns, stat.st_size, stat.st_ino))


@functools.lru_cache(maxsize=16)
def _read_feedback(path: str, stamp: tuple[int, int, int]) -> Feedback:
    doc = read_yaml(Path(path))
    return feedback_from_data(doc.data, Path(path))


def overview(feedback: Feedback) -> str:
    """The line a published page shows: how many answers the company commented on, how many changed."""
    n, changed = feedback.commented, feedback.changed
    return (
        f"Before publication, the company commented on {n} answer{'s' if n != 1 else ''}; "
        f"{changed} {'was' if changed == 1 else 'were'} changed."
    )


# --- checking ------------------------------------------------------------------------------


def check_feedback_file(
    validator: Checker, path: Path, known: Mapping[Path, FileResult] | None = None, raw: bytes | None = None
) -> FileResult:
    """Check one feedback file (``raw``: its text, when it is not written yet): schema, then
    against the assessment it answers (taken from ``known``, the results of the same run, when
    it was checked there) and its framework."""
    result = FileResult(path=path, kind="feedback")
    shown = display_path(path)
    doc = read_document(path, shown, result, raw)
    if doc is None:
        return result
    result.problems.extend(schema_problems(doc, "feedback", shown))
    if result.problems:
        return result
    feedback = feedback_from_data(doc.data, path)
    problems = _Problems(doc, shown)
    _layout(problems, path, feedback, validator)
    target = feedback_target(path)
    if not target.is_file():
        problems.add(
            ("cycle",),
            f"there is no assessment {target.name} beside this file; feedback answers the independent "
            f"assessment of its cycle (name the file <cycle>{FEEDBACK_SUFFIX}.yaml)",
            "feedback.assessment",
        )
    else:
        found = None if known is None else known.get(target)
        answered = found if found is not None else validator.check_assessment_file(target)
        assessment = answered.assessment if not answered.problems else None
        if assessment is None or answered.framework is None:
            problems.add(
                (),
                f"the assessment it answers ({display_path(target)}) is invalid; fix it first",
                "feedback.assessment",
            )
        else:
            _semantics(problems, feedback, assessment, answered.framework)
    result.problems.extend(problems.found)
    return result


class _Problems:
    def __init__(self, doc: Document, shown: str) -> None:
        self.doc = doc
        self.shown = shown
        self.found: list[Problem] = []

    def add(self, where: JsonPath, message: str, code: str, *, key: bool = False) -> None:
        line, col = self.doc.locate(where, key=key)
        self.found.append(Problem(self.shown, line, col, message, code))


def _layout(problems: _Problems, path: Path, feedback: Feedback, validator: Checker) -> None:
    stem = path.stem.removesuffix(FEEDBACK_SUFFIX)
    if stem != str(feedback.cycle):
        problems.add(
            ("cycle",),
            f"cycle {feedback.cycle} does not match the file name {path.name!r}; "
            f"name the file {feedback.cycle}{FEEDBACK_SUFFIX}.yaml",
            "layout.cycle",
        )
    if validator.assessments_dir is not None and path.parent.name != feedback.company:
        problems.add(
            ("company",),
            f"company {feedback.company!r} does not match the folder {path.parent.name!r}; rename one so they agree",
            "layout.slug",
        )


def _did_you_mean(value: str, options: list[str]) -> str:
    close = difflib.get_close_matches(value, options, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _semantics(problems: _Problems, feedback: Feedback, a: Assessment, fw: Framework) -> None:
    add = problems.add
    if feedback.company != a.company.slug:
        add(
            ("company",),
            f"company {feedback.company!r} is not the company of the assessment it answers ({a.company.slug!r})",
            "feedback.company",
        )
    known_sources = {s.id for s in a.sources}
    own: set[str] = set()
    for n, source in enumerate(feedback.sources):
        if source.id in known_sources:
            add(
                ("sources", n, "id"),
                f"source id {source.id!r} is already a source of the assessment; cite that one or use another id",
                "duplicate-id",
            )
        elif source.id in own:
            add(("sources", n, "id"), f"duplicate source id {source.id!r}", "duplicate-id")
        own.add(source.id)
    cited = known_sources | own
    levels = [lv.id for lv in a.levels]
    element_ids = list(fw.element_ids())
    answer_ids = [o.id for o in fw.answers]
    seen: dict[tuple[str, str], int] = {}
    for n, item in enumerate(feedback.items):
        where: JsonPath = ("items", n)
        known_element = fw.element(item.element) is not None
        if not known_element:
            add(
                (*where, "element"),
                f"unknown element {item.element!r} in {fw.id} {fw.version}{_did_you_mean(item.element, element_ids)}",
                "unknown-ref",
            )
        if item.level not in levels:
            add(
                (*where, "level"),
                f"unknown level {item.level!r}; the assessment's levels are: {', '.join(levels)}"
                f"{_did_you_mean(item.level, levels)}",
                "unknown-ref",
            )
        answer = a.answers.get(item.element, {}).get(item.level)
        if known_element and item.level in levels and answer is None:
            add(
                where,
                f"the assessment has no answer for {item.element} at level {item.level}; "
                "give feedback only on its answers",
                "unknown-ref",
            )
        key = (item.element, item.level)
        if key in seen:
            add(
                (*where, "element"),
                f"{item.element} at level {item.level} already has feedback (items[{seen[key]}]); "
                "keep one item per element and level",
                "duplicate",
            )
        seen.setdefault(key, n)
        if item.position == "disagree" and not item.reason.strip():
            add(
                (*where, "position"),
                f"the company disagrees on {item.element} at level {item.level} but gives no reason; add reason",
                "feedback.reason",
                key=True,
            )
        for i, ev in enumerate(item.evidence):
            if ev.source not in cited:
                add(
                    (*where, "evidence", i, "source"),
                    f"unknown source {ev.source!r}; add it under sources or cite one of the assessment's"
                    f"{_did_you_mean(ev.source, sorted(cited))}",
                    "unknown-ref",
                )
        for message, at in _response_problems(item, answer.answer if answer else None, answer_ids, a.status):
            add((*where, *at), message, "feedback.response", key=at == ("response",))


def _response_problems(
    item: Item, current: str | None, answer_ids: list[str], status: str
) -> Iterator[tuple[str, JsonPath]]:
    r = item.response
    what = f"{item.element} at level {item.level}"
    if r is None:
        if status == "published" and item.position == "disagree":
            yield (
                f"the assessment is published but the company's disagreement on {what} has no response; "
                "add response (accepted or not_accepted)",
                ("position",),
            )
        return
    for name in ("old_answer", "new_answer"):
        value = getattr(r, name)
        if value is not None and value not in answer_ids:
            yield (
                f"response.{name}: unknown answer {value!r}; use one of: {', '.join(answer_ids)}",
                ("response", name),
            )
    if r.outcome == "accepted":
        missing = [name for name in ("old_answer", "new_answer") if getattr(r, name) is None]
        if missing:
            yield (
                f"an accepted response changes the answer: add {' and '.join(missing)} for {what}",
                ("response",),
            )
        if r.old_answer is not None and r.old_answer == r.new_answer:
            yield (
                f"an accepted response changes the answer, but old_answer and new_answer are both {r.old_answer!r}; "
                "record the change, or not_accepted if the answer stands",
                ("response", "new_answer"),
            )
        elif r.new_answer is not None and current is not None and r.new_answer != current:
            yield (
                f"response.new_answer {r.new_answer!r} is not the assessment's answer for {what} ({current!r}); "
                "change the answer in the assessment or correct new_answer",
                ("response", "new_answer"),
            )
    else:
        if not r.reason.strip():
            yield (f"a response that does not accept the feedback on {what} needs a reason; add it", ("response",))
        if r.old_answer is not None or r.new_answer is not None:
            yield (
                "a response that was not accepted changes no answer; remove old_answer and new_answer",
                ("response", "outcome"),
            )


__all__ = [
    "Feedback",
    "Item",
    "Response",
    "check_feedback_file",
    "feedback_for",
    "feedback_from_data",
]
