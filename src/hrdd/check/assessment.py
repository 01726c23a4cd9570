"""The semantic rules of an assessment file, against its framework."""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from hrdd import narrative, sectors
from hrdd.check.result import Problem
from hrdd.check.schema import (
    Skipped,
    located,
)
from hrdd.models import Answer, Assessment, Element, Framework
from hrdd.placeholders import placeholder_problems
from hrdd.yamlio import Document, JsonPath

_CYCLE_FILE = re.compile(r"^(?P<cycle>[0-9]{4})(?P<self>-self)?$")


# --- semantic checks: assessments -------------------------------------------------------


def assessment_problems(
    doc: Document, a: Assessment, fw: Framework, shown: str, skipped: Skipped | None = None
) -> list[Problem]:
    problems: list[Problem] = []

    def add(where: JsonPath, message: str, code: str, key: bool = False) -> None:
        problems.append(located(doc, shown, where, message, code, key))

    check = _AssessmentCheck(a, fw, skipped or Skipped(), add)
    check.company_type()
    check.levels()
    check.sources()
    check.answers()
    check.missing_answers()
    check.dates()
    for placeholder_at, message in placeholder_problems(a):
        add(placeholder_at, message, "placeholder")
    check.incidents()
    return problems


class _AssessmentCheck:
    """The rules of one assessment, in the order its problems are reported; each step adds what
    it finds through ``add`` (where, message, code, key)."""

    def __init__(self, a: Assessment, fw: Framework, skipped: Skipped, add: Callable[..., None]) -> None:
        self.a, self.fw, self.skipped, self.add = a, fw, skipped, add
        self.declared_types = [t.id for t in fw.company_types]
        self.level_kinds: dict[str, str] = {}
        self.source_ids: set[str] = set()

    def company_type(self) -> None:
        a, fw, add, declared_types = self.a, self.fw, self.add, self.declared_types
        if a.company.type is None:
            if declared_types:
                add(
                    ("company",),
                    f"company.type is required by {fw.id} {fw.version}; add type: <one of {', '.join(declared_types)}>",
                    "company.type",
                )
        elif a.company.type not in declared_types:
            add(
                ("company", "type"),
                f"unknown company type {a.company.type!r}; "
                f"use one of: {', '.join(declared_types) or '(none declared)'}",
                "company.type",
            )

    def levels(self) -> None:
        levels, fw, add = self.level_kinds, self.fw, self.add
        for n, level in enumerate(self.a.levels):
            if level.id in levels:
                add(("levels", n, "id"), f"duplicate level id {level.id!r}; level ids must be unique", "duplicate-id")
            levels[level.id] = level.kind
            if fw.level_kind(level.kind) is None:
                kinds = ", ".join(k.id for k in fw.level_kinds)
                add(("levels", n, "kind"), f"unknown level kind {level.kind!r}; use one of: {kinds}", "unknown-ref")

    def sources(self) -> None:
        sources, fw, add = self.source_ids, self.fw, self.add
        for n, src in enumerate(self.a.sources):
            if src.id in sources:
                add(("sources", n, "id"), f"duplicate source id {src.id!r}; source ids must be unique", "duplicate-id")
            sources.add(src.id)
            if fw.require_archive and not src.archive_url:
                add(("sources", n), f"source {src.id}: {fw.id} requires an archived copy; add archive_url", "archive")
            if src.document_date and src.accessed and src.document_date > src.accessed:
                add(
                    ("sources", n, "accessed"),
                    f"source {src.id}: accessed {src.accessed} is before the document date "
                    f"{src.document_date}; check both dates",
                    "dates",
                )

    def refs(self, items: Iterable[str], where: JsonPath) -> None:
        for n, ref in enumerate(items):
            if ref not in self.source_ids and ref not in self.skipped.sources:
                self.add((*where, n), f"unknown source {ref!r}; add it under sources or fix the id", "unknown-ref")

    def answers(self) -> None:
        fw, add = self.fw, self.add
        element_ids = list(fw.element_ids())
        for element_id, by_level in self.a.answers.items():
            element = fw.element(element_id)
            if element is None:
                hint = difflib.get_close_matches(element_id, element_ids, n=1)
                tip = f"did you mean {hint[0]!r}?" if hint else f"see the elements of {fw.id} {fw.version}"
                add(
                    ("answers", element_id),
                    f"unknown element {element_id!r} in {fw.id} {fw.version}; {tip}",
                    "unknown-element",
                    key=True,
                )
                continue
            for level_id, answer in by_level.items():
                self.answer(element, level_id, answer)

    def answer(self, element: Element, level_id: str, answer: Answer) -> None:
        fw, add, levels, element_id = self.fw, self.add, self.level_kinds, element.id
        where: JsonPath = ("answers", element_id, level_id)
        if level_id not in levels:
            add(
                where,
                f"element {element_id}: unknown level {level_id!r}; use one of the levels: "
                f"{', '.join(levels) or '(none)'}",
                "unknown-ref",
                key=True,
            )
            return
        kind = levels[level_id]
        if fw.level_kind(kind) is not None and not fw.applies(element, self.a.company.type, kind):
            indicator = fw.indicator(element.indicator)
            scope = indicator.scope if indicator else "?"
            add(
                where,
                f"element {element_id} does not apply at level {level_id!r} (indicator scope: {scope}, "
                f"level kind: {levels[level_id]}); remove this answer",
                "not-applicable",
                key=True,
            )
            return
        option = fw.answer(answer.answer)
        if option is None:
            answer_ids = [o.id for o in fw.answers]
            add(
                (*where, "answer"),
                f"element {element_id}: unknown answer {answer.answer!r}; use one of: {', '.join(answer_ids)}",
                "unknown-answer",
            )
            # Its sources are still checked (below): one run shows every problem.
        elif option.needs_evidence and not answer.evidence:
            add(
                (*where, "answer"),
                f"element {element_id}: {option.id!r} needs at least one evidence entry "
                f"(add evidence: [{{source: <id>, quote: ...}}])",
                "evidence",
            )
        if option is not None and option.needs_reason and not answer.comment.strip():
            add(
                (*where, "answer"),
                f"element {element_id}: {option.id!r} needs a reason; add a comment saying why",
                "reason",
            )
        self.refs((e.source for e in answer.evidence), (*where, "evidence"))
        if answer.reply is not None:
            self.refs((e.source for e in answer.reply.evidence), (*where, "reply", "evidence"))

    def missing_answers(self) -> None:
        a, fw, add, levels, skipped = self.a, self.fw, self.add, self.level_kinds, self.skipped
        # Which elements apply depends on the company type and level kinds; when one of those is
        # unknown (reported above), "missing answer" errors would only be noise.
        known_kinds = all(fw.level_kind(kind) is not None for kind in levels.values())
        known_type = a.company.type is None or a.company.type in self.declared_types
        sectors.check_assessment(a, fw, add)
        narrative.check_assessment(a, fw, add)
        known_type = known_type and sectors.sector_known(fw, a)
        if not (a.status != "draft" and known_kinds and known_type):
            return
        for element in fw.elements():
            expected = [
                lid for lid, kind in levels.items() if fw.applies(element, a.company.type, kind, a.company.sector)
            ]
            missing = [
                lid
                for lid in expected
                if lid not in a.answers.get(element.id, {})
                and (element.id,) not in skipped.answers
                and (element.id, lid) not in skipped.answers
            ]
            if missing:
                where = ("answers", element.id) if element.id in a.answers else ("answers",)
                add(
                    where,
                    f"element {element.id} has no answer at level(s) {', '.join(missing)}; answer it "
                    f"(a {a.status} assessment must answer every element that applies)",
                    "missing-answer",
                    key=element.id in a.answers,
                )

    def dates(self) -> None:
        a, add = self.a, self.add
        d = a.dates
        ordered = [
            (name, value)
            for name, value in (
                ("research_start", d.research_start),
                ("research_end", d.research_end),
                ("published", d.published),
            )
            if value
        ]
        for (first, first_value), (second, second_value) in itertools.pairwise(ordered):
            if second_value < first_value:
                add(
                    ("dates", second),
                    f"dates.{second} ({second_value}) is before dates.{first} ({first_value}); fix the order",
                    "dates",
                )
        if a.status == "published" and not d.published:
            add(("status",), "a published assessment needs dates.published; add it", "dates")

    def incidents(self) -> None:
        fw, add = self.fw, self.add
        incident_ids: set[str] = set()
        indicator_ids = {ind.id for ind in fw.all_indicators()}
        for n, incident in enumerate(self.a.incidents):
            if incident.id in incident_ids:
                add(("incidents", n, "id"), f"duplicate incident id {incident.id!r}", "duplicate-id")
            incident_ids.add(incident.id)
            self.refs(incident.sources, ("incidents", n, "sources"))
            if incident.response is not None:
                self.refs(incident.response.sources, ("incidents", n, "response", "sources"))
            for i, ind_id in enumerate(incident.indicators):
                if ind_id not in indicator_ids:
                    add(
                        ("incidents", n, "indicators", i),
                        f"unknown indicator {ind_id!r} in {fw.id} {fw.version}",
                        "unknown-ref",
                    )


def layout_problems(
    doc: Document, assessment: Assessment, shown: str, assessments_dir: Path | None
) -> Iterator[Problem]:
    """Files under the project's assessments folder sit at <slug>/<cycle>[-self].yaml."""
    if assessments_dir is None:
        return
    try:
        rel = doc.path.resolve().relative_to(assessments_dir.resolve())
    except ValueError:
        return
    expected = f"{assessment.company.slug}/{assessment.cycle}{'-self' if assessment.is_self_assessment else ''}.yaml"
    if len(rel.parts) != 2:
        yield located(doc, shown, (), f"assessment files belong at assessments/{expected}; move it there", "layout")
        return
    folder, stem = rel.parts[0], Path(rel.parts[1]).stem
    if folder != assessment.company.slug:
        yield located(
            doc,
            shown,
            ("company", "slug"),
            f"company.slug {assessment.company.slug!r} does not match the folder {folder!r}; rename one so they agree",
            "layout.slug",
        )
    match = _CYCLE_FILE.match(stem)
    if match is None or int(match["cycle"]) != assessment.cycle:
        yield located(
            doc,
            shown,
            ("cycle",),
            f"cycle {assessment.cycle} does not match the file name {rel.parts[1]!r}; "
            f"name the file {Path(expected).name}",
            "layout.cycle",
        )
    elif bool(match["self"]) != assessment.is_self_assessment:
        yield located(
            doc,
            shown,
            ("assessor", "type"),
            f"assessor.type is {assessment.assessor.type!r} but the file is named {rel.parts[1]!r}; "
            f"self-assessments are named <cycle>-self.yaml, independent ones <cycle>.yaml",
            "layout.assessor",
        )
