"""Where files are checked: JSON Schema first, then semantic checks against the framework.

Every problem in every file is collected; nothing stops at the first one. Each problem knows
its file, line and column and says what to do. Files under a ``frameworks`` folder are
frameworks; every other file is an assessment.

The public entry (``Validator``, ``Report``, ``FileResult``, ``Problem``, ``validate_paths``,
``load_framework``, ``load_assessment``): it puts the steps together for one file. Each step
is its own module under ``hrdd.check`` (schema, framework rules, assessment rules, rules across
files); running them over many files (cache, worker processes, lazy results) is ``hrdd.runner``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from hrdd import layout, runner
from hrdd.check.assessment import assessment_problems, layout_problems
from hrdd.check.framework import framework_problems
from hrdd.check.result import FileResult, Problem, Report
from hrdd.check.schema import (
    limit_problems,
    pass_the_schema,
    read_document,
    schema_errors,
    schema_problems,
    translated,
)
from hrdd.load import (
    InvalidFileError,
    assessment_from_data,
    available_frameworks,
    available_versions,
    framework_from_data,
    framework_path,
)
from hrdd.models import Assessment, Framework
from hrdd.project import display_path, schema_dir
from hrdd.yamlio import Document, JsonPath

# --- the validator -----------------------------------------------------------------------


class Validator:
    """Checks files against the schemas and the frameworks found in ``frameworks_dir``.

    Frameworks are read once and reused for every assessment that names them.
    """

    def __init__(self, frameworks_dir: Path, assessments_dir: Path | None = None) -> None:
        self.frameworks_dir = frameworks_dir
        self.assessments_dir = assessments_dir
        self._frameworks: dict[tuple[str, str], FileResult] = {}

    # frameworks

    def check_framework_file(self, path: Path) -> FileResult:
        key = self._framework_key_for(path)
        if key is not None and key in self._frameworks:
            return self._frameworks[key]
        result = FileResult(path=path, kind="framework")
        shown = display_path(path)
        doc = read_document(path, shown, result)
        if doc is not None:
            result.problems.extend(schema_problems(doc, "framework", shown))
            if not result.problems:
                result.problems.extend(limit_problems(doc, "framework", shown))
            if not result.problems:
                result.problems.extend(framework_problems(doc, shown))
            if not result.problems:
                result.framework = framework_from_data(doc.data, path)
        if key is not None:
            self._frameworks[key] = result
        return result

    def _framework_key_for(self, path: Path) -> tuple[str, str] | None:
        try:
            rel = path.resolve().relative_to(self.frameworks_dir.resolve())
        except ValueError:
            return None
        return (rel.parts[0], path.stem) if len(rel.parts) == 2 else None

    def framework(self, framework_id: str, version: str) -> FileResult | None:
        if not (layout.is_framework_id(framework_id) and layout.is_framework_version(version)):
            return None  # an id is never a path (the schemas refuse such ids; this is the last line)
        path = framework_path(self.frameworks_dir, framework_id, version)
        if not path.is_file():
            return None
        return self.check_framework_file(path)

    # assessments

    def check_assessment_file(self, path: Path) -> FileResult:
        return self.check_assessment_keeping_data(path)[0]

    def check_assessment_keeping_data(self, path: Path, raw: bytes | None = None) -> tuple[FileResult, Any]:
        """``check_assessment_file`` (of ``raw`` when the bytes were read already), and the
        file's data when it passed the schema, for the cache to keep."""
        result = FileResult(path=path, kind="assessment")
        shown = display_path(path)
        doc = read_document(path, shown, result, raw)
        if doc is None:
            return result, None
        errors = schema_errors(doc, "assessment")
        result.problems.extend(translated(errors, doc, shown))
        if not result.problems:
            # Limits are checked on what passed the schema; a file over them is not read further.
            result.problems.extend(limit_problems(doc, "assessment", shown))
            if result.problems:
                return result, None
        if result.problems:
            # Every problem in one run: the semantic checks still run on the parts that
            # passed the schema, so a company does not fix one round to discover the next.
            result.problems.extend(self._semantics_of_the_rest(doc, path, shown, errors))
            return result, None
        assessment = assessment_from_data(doc.data, path)
        result.problems.extend(layout_problems(doc, assessment, shown, self.assessments_dir))
        framework = self._framework_for(doc, assessment, shown, result)
        if framework is not None:
            result.problems.extend(assessment_problems(doc, assessment, framework, shown))
            result.framework = framework
        result.assessment = assessment
        return result, doc.data

    def _semantics_of_the_rest(
        self, doc: Document, path: Path, shown: str, errors: list[ValidationError]
    ) -> list[Problem]:
        """The layout and semantic problems of the parts of a schema-invalid file that passed
        the schema (``pass_the_schema``); none when what failed is something every check
        depends on (company, framework, levels, status...). The file keeps no model."""
        kept = pass_the_schema(doc.data, errors)
        if kept is None:
            return []
        data, skipped = kept
        assessment = assessment_from_data(data, path)
        found = FileResult(path=path, kind="assessment")
        found.problems.extend(layout_problems(doc, assessment, shown, self.assessments_dir))
        framework = self._framework_for(doc, assessment, shown, found)
        if framework is not None:
            found.problems.extend(assessment_problems(doc, assessment, framework, shown, skipped))
        return found.problems

    def _framework_for(self, doc: Document, assessment: Assessment, shown: str, result: FileResult) -> Framework | None:
        fw_id, version = assessment.framework_id, assessment.framework_version
        found = self.framework(fw_id, version)
        if found is None:
            versions = available_versions(self.frameworks_dir, fw_id) if layout.is_framework_id(fw_id) else []
            if versions:
                tip = f"versions available: {', '.join(versions)}"
                where: JsonPath = ("framework", "version")
            else:
                known = available_frameworks(self.frameworks_dir)
                tip = f"frameworks available: {', '.join(known) or 'none'}"
                where = ("framework", "id")
            line, col = doc.locate(where)
            result.problems.append(
                Problem(
                    shown,
                    line,
                    col,
                    f"framework {fw_id} {version} not found in {display_path(self.frameworks_dir)}; {tip}",
                    "framework.missing",
                )
            )
            return None
        if found.framework is None:
            line, col = doc.locate(("framework",))
            result.problems.append(
                Problem(
                    shown,
                    line,
                    col,
                    f"framework {fw_id} {version} ({display_path(found.path)}) is invalid; fix it first",
                    "framework.invalid",
                )
            )
            return None
        return found.framework

    def check_paths(
        self,
        paths: list[Path],
        *,
        jobs: int | None = None,
        cache_dir: Path | None = None,
        progress: bool = True,
        score: bool = False,
    ) -> Report:
        """Check every YAML file named or found under the given paths.

        The report is the same whatever the options; they only make it faster:

        * ``jobs``: processes to check assessments in (default: one per CPU). Files are handed
          out in order and the results put back in order; fewer than ``PARALLEL_MIN`` files to
          check are checked in this process, where starting workers would cost more than it saves.
        * ``cache_dir``: a project's ``.hrdd-cache`` folder. Files unchanged since they were last
          checked (see ``hrdd.cache`` for what "unchanged" covers) are not checked again: their
          problems are replayed and their model is built from the stored data when first used.
        * ``progress``: a progress bar on stderr while checking, when stderr is a terminal.
        * ``score``: also score every assessment that has no problems (``FileResult.score``),
          in the workers and into the cache, so that scoring is parallel and done once.
        """
        return runner.check_paths(self, paths, jobs=jobs, cache_dir=cache_dir, progress=progress, score=score)

    def in_project(self, folder: Path) -> bool:
        """Whether ``folder`` is (in) the project's assessments or frameworks folder, where every
        file is read or reported (``hrdd.layout``)."""
        return any(d is not None and layout.inside(folder, d) for d in (self.assessments_dir, self.frameworks_dir))


def validate_paths(paths: list[Path], root: Path | None = None) -> Report:
    """Check files of the project at ``root`` (default: the working directory)."""
    root = root or Path.cwd()
    return Validator(frameworks_dir=root / "frameworks", assessments_dir=root / "assessments").check_paths(paths)


def load_framework(path: Path) -> Framework:
    """Read, validate and convert one framework file, or raise ``InvalidFileError``."""
    validator = Validator(frameworks_dir=path.parent.parent)
    result = validator.check_framework_file(path)
    if result.framework is None:
        raise InvalidFileError(result.problems)
    return result.framework


def load_assessment(path: Path, frameworks_dir: Path) -> tuple[Assessment, Framework]:
    """Read, validate and convert one assessment and its framework, or raise ``InvalidFileError``."""
    validator = Validator(frameworks_dir=frameworks_dir)
    result = validator.check_assessment_file(path)
    if result.assessment is None or result.framework is None:
        raise InvalidFileError(result.problems)
    return result.assessment, result.framework


__all__ = [
    "FileResult",
    "Problem",
    "Report",
    "Validator",
    "display_path",
    "jsonschema",
    "load_assessment",
    "load_framework",
    "schema_dir",
    "validate_paths",
]
