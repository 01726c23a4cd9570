"""What checking produces: located problems, the result of one file, the report of a run."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from hrdd.models import Assessment, Facts, Framework
from hrdd.score import AssessmentScore, score_assessment


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong in one file, at one place."""

    path: str
    line: int
    col: int
    message: str
    code: str = "invalid"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "col": self.col, "code": self.code, "message": self.message}


@dataclass(slots=True)
class FileResult:
    """What checking one file produced: its problems and, if it is valid, its model."""

    path: Path
    kind: str
    problems: list[Problem] = field(default_factory=list)
    framework: Framework | None = None
    assessment: Assessment | None = None
    score: AssessmentScore | None = None
    """Set by ``Validator.check_paths(..., score=True)`` for assessments without problems."""
    key: str | None = field(default=None, compare=False)
    """A hash of what the file's model and scores are made from, when known: with the check
    cache, its entry's key (``hrdd.cache``: the file's bytes and everything its check depends
    on); without, of the file's path and bytes (the framework's content is the caller's to
    compare). Builds that reuse work from an earlier one (``hrdd.site.incremental``) key it on
    this content, never on the objects' identity."""

    def facts(self) -> Facts | None:
        """The assessment's facts (``Assessment.facts``), without building the model when it
        was replayed from the cache."""
        return None if self.assessment is None else self.assessment.facts()

    def loader(self) -> Callable[[], Assessment] | None:
        """A function giving the assessment each time it is called: for a result replayed from
        the cache, built (again) from the stored data and never kept by this result, so that a
        caller needing each model once (the site, for thousands of companies) does not hold
        them all. The models built last are remembered a little while (``_Recent``)."""
        model = self.assessment
        return None if model is None else functools.partial(_same, model)

    @property
    def model_built(self) -> bool:
        """Whether the model exists yet: always, but for a result replayed from the check cache
        until its model (or its loader's) is first used (``hrdd.runner``)."""
        return True

    def identity(self) -> tuple[str, int, str] | None:
        """(company slug, cycle, assessor type) of a valid assessment's model (a result replayed
        from the cache knows it without building the model)."""
        a = self.assessment
        return None if a is None else (a.company.slug, a.cycle, a.assessor.type)


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of checking a set of files."""

    files: tuple[FileResult, ...]

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]

    @property
    def ok(self) -> bool:
        return bool(self.files) and not any(f.problems for f in self.files)

    def assessments(self) -> list[tuple[Assessment, Framework]]:
        return [(a, fw) for a, fw, _ in self.scored()]

    def scores(self) -> list[tuple[AssessmentScore, Facts, Framework]]:
        """The valid assessments' scores and facts: what ``hrdd score`` prints. Replayed from
        the cache, no model is built (scored now, when ``check_paths`` did not score)."""
        found = []
        for f in self.files:
            facts = f.facts() if f.kind == "assessment" and f.framework is not None and not f.problems else None
            if facts is not None and f.framework is not None:
                score = f.score
                if score is None:
                    assessment = f.assessment
                    assert assessment is not None, "a valid assessment has a model"
                    score = score_assessment(f.framework, assessment)
                found.append((score, facts, f.framework))
        return found

    def scored(self) -> list[tuple[Assessment, Framework, AssessmentScore | None]]:
        """The valid assessments with their scores, when ``check_paths(score=True)`` made them."""
        return [
            (f.assessment, f.framework, f.score)
            for f in self.files
            if f.assessment is not None and f.framework is not None and not f.problems
        ]


def _same(model: Assessment) -> Assessment:
    return model


class Checker(Protocol):
    """What runs the checks of one file (``hrdd.validate.Validator``), as the runner
    (``hrdd.runner``) and the feedback checks (``hrdd.feedback``) use it."""

    frameworks_dir: Path
    assessments_dir: Path | None

    def check_framework_file(self, path: Path) -> FileResult: ...

    def framework(self, framework_id: str, version: str) -> FileResult | None: ...

    def check_assessment_file(self, path: Path) -> FileResult: ...

    def check_assessment_keeping_data(self, path: Path, raw: bytes | None = None) -> tuple[FileResult, Any]: ...

    def in_project(self, folder: Path) -> bool: ...
