"""Where files are checked: JSON Schema first, then semantic checks against the framework.

Every problem in every file is collected; nothing stops at the first one. Each problem knows
its file, line and column and says what to do. Files under a ``frameworks`` folder are
frameworks; every other file is an assessment.
"""

from __future__ import annotations

import contextlib
import copy
import difflib
import functools
import gc
import hashlib
import importlib
import itertools
import json
import marshal
import multiprocessing
import multiprocessing.context
import os
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import jsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from hrdd import layout, limits, narrative, sectors, yamlio
from hrdd.cache import (
    CacheMiss,
    CheckCache,
    Entry,
    Ref,
    facts_from_data,
    facts_to_data,
    score_from_data,
    score_to_data,
)
from hrdd.errors import HrddError, YamlError
from hrdd.load import (
    assessment_from_data,
    available_frameworks,
    available_versions,
    framework_from_data,
    framework_path,
    is_feedback_file,
    version_key,
)
from hrdd.models import Assessment, Facts, Framework
from hrdd.parallel import cpu_count, fork_context
from hrdd.placeholders import placeholder_problems
from hrdd.progress import Progress
from hrdd.score import AssessmentScore, score_assessment
from hrdd.yamlio import Document, JsonPath, parse_yaml, read_bytes, read_yaml

_CYCLE_FILE = re.compile(r"^(?P<cycle>[0-9]{4})(?P<self>-self)?$")


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


def display_path(path: Path) -> str:
    """Path as the user would type it: relative to the working directory when inside it."""
    # abspath, not resolve: a symbolic link must be named as itself, not as its target.
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# --- schemas -----------------------------------------------------------------------------


def schema_dir() -> Path:
    """The JSON Schemas: inside the installed package, or ``schema/`` of a source checkout."""
    packaged = Path(__file__).parent / "schemas"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "schema"


@cache
def _schema_validator(name: str) -> Draft202012Validator:
    # Built once per process: building a validator costs more than validating a file.
    schema = json.loads((schema_dir() / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


use_jsonschema_rs: bool = True
"""Whether the schema check may use jsonschema-rs, when installed, to pass valid files quickly."""


@cache
def _fast_schema_check(name: str) -> Callable[[Any], bool] | None:
    """jsonschema-rs's ``is_valid`` for a schema, or None when jsonschema-rs is not installed.

    ``jsonschema`` stays the reference: it is 30 times slower, so jsonschema-rs only answers
    "valid" quickly, and every file it does not pass is checked again by ``jsonschema``, which
    finds and words the problems. For the two to agree, the schema given to jsonschema-rs has
    its ``pattern`` and ``format`` keywords replaced by custom formats that call back into the
    same Python code ``jsonschema`` uses (``re.search`` and its format checker): Python's and
    Rust's regular expressions disagree at the edges (``$`` before a final newline, ``\\s``).
    A schema using any other keyword that depends on a regex dialect is not handed over.
    tests/unit/test_perf_equivalence.py checks that both agree on every test document.
    """
    try:
        rs = importlib.import_module("jsonschema_rs")
    except ImportError:
        return None
    schema = json.loads((schema_dir() / f"{name}.schema.json").read_text(encoding="utf-8"))
    formats: dict[str, Callable[[str], bool]] = {}
    try:
        converted = _python_semantics(schema, formats)
        validator = rs.Draft202012Validator(converted, formats=formats, validate_formats=True)
    except Exception:  # noqa: BLE001 - a schema it cannot take, or another jsonschema-rs API: go without
        return None

    def is_valid(instance: Any) -> bool:
        try:
            return bool(validator.is_valid(instance))
        except Exception:  # noqa: BLE001 - e.g. a lone surrogate cannot cross into Rust: let jsonschema decide
            return False

    return is_valid


class _NotConvertible(Exception):
    """The schema uses a keyword whose meaning jsonschema-rs might not share with jsonschema."""


def _python_semantics(schema: Any, formats: dict[str, Callable[[str], bool]]) -> Any:
    """A copy of ``schema`` whose ``pattern`` and ``format`` checks run Python's code."""
    if isinstance(schema, list):
        return [_python_semantics(item, formats) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "patternProperties" in schema or "$dynamicRef" in schema:
        raise _NotConvertible
    converted = {key: _python_semantics(value, formats) for key, value in schema.items() if key != "pattern"}
    extra: list[dict[str, str]] = []
    if isinstance(schema.get("format"), str):
        name = f"hrdd-format:{schema['format']}"
        checker = Draft202012Validator.FORMAT_CHECKER
        formats[name] = functools.partial(checker.conforms, format=schema["format"])
        converted["format"] = name
    if isinstance(schema.get("pattern"), str):
        name = f"hrdd-pattern:{schema['pattern']}"
        # jsonschema's "pattern" keyword is re.search on strings; formats only see strings too.
        formats[name] = functools.partial(_search, re.compile(schema["pattern"]))
        extra.append({"format": name})
    if extra:
        converted["allOf"] = [*converted.get("allOf", []), *extra]
    return converted


def _search(pattern: re.Pattern[str], text: str) -> bool:
    return pattern.search(text) is not None


def _dotted(path: Iterable[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping (key: value lines)",
    "array": "a list (lines starting with -)",
    "null": "nothing",
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _schema_problems(doc: Document, kind: str, shown: str) -> list[Problem]:
    return _translated(_schema_errors(doc, kind), doc, shown)


def _schema_errors(doc: Document, kind: str) -> list[ValidationError]:
    if use_jsonschema_rs:
        fast = _fast_schema_check(kind)
        if fast is not None and fast(doc.data):
            return []
    return list(_schema_validator(kind).iter_errors(doc.data))


def _translated(errors: list[ValidationError], doc: Document, shown: str) -> list[Problem]:
    problems: list[Problem] = []
    for error in errors:
        problems.extend(_translate(error, doc, shown))
    return problems


def _translate(error: ValidationError, doc: Document, shown: str) -> Iterator[Problem]:
    where: JsonPath = tuple(error.absolute_path)
    line, col = doc.locate(where)
    name = _dotted(where)
    value: Any = error.instance
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    keyword = str(error.validator)
    # validator_value is typed loosely by jsonschema; it is the keyword's value in the schema.
    expected_value: Any = error.validator_value

    def at(message: str, path: JsonPath = where, key: bool = False) -> Problem:
        ln, cl = doc.locate(path, key=key)
        return Problem(shown, ln, cl, message, code=f"schema.{keyword}")

    if keyword == "additionalProperties" and isinstance(value, dict):
        allowed = sorted(schema.get("properties", {}))
        for extra in sorted(set(value) - set(allowed)):
            hint = difflib.get_close_matches(extra, allowed, n=1)
            tip = f"did you mean {hint[0]!r}?" if hint else f"allowed: {', '.join(allowed)}"
            yield at(f"{name}: unknown property {extra!r}; {tip}", (*where, extra), key=True)
        return
    if keyword == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        prop = missing[0] if missing else str(expected_value)
        yield Problem(shown, line, col, f"{name}: missing required property {prop!r}; add it", "schema.required")
        return
    if keyword == "type":
        expected = expected_value
        expected_list = expected if isinstance(expected, list) else [expected]
        words = " or ".join(_TYPE_WORDS.get(str(t), str(t)) for t in expected_list)
        tip = ""
        if "string" in expected_list and isinstance(value, (bool, int, float)):
            tip = f'; put it in quotes ("{_yaml_text(value)}")'
        yield Problem(shown, line, col, f"{name}: expected {words}, found {_describe(value)}{tip}", "schema.type")
        return
    if keyword == "enum":
        options = ", ".join(str(v) for v in expected_value)
        yield Problem(shown, line, col, f"{name}: {value!r} is not allowed; use one of: {options}", "schema.enum")
        return
    if keyword == "pattern":
        description = schema.get("description", "")
        if str(expected_value).startswith("^https?"):
            text = f"{name}: {_short(value)} is not an http(s) link; only http:// and https:// links are accepted"
        else:
            text = f"{name}: {_short(value)} does not have the required form. {description}".rstrip()
        yield Problem(shown, line, col, text, "schema.pattern")
        return
    if keyword == "format":
        yield Problem(
            shown,
            line,
            col,
            f"{name}: {_short(value)} is not a valid {expected_value} (write YYYY-MM-DD)",
            "schema.format",
        )
        return
    if keyword == "minLength" and isinstance(value, str) and not value:
        yield Problem(shown, line, col, f"{name}: must not be empty", "schema.minLength")
        return
    if keyword == "maxLength":
        yield Problem(
            shown,
            line,
            col,
            f"{name}: is {len(value)} characters long, over the limit of {expected_value}",
            "schema.maxLength",
        )
        return
    if keyword == "minItems":
        count = expected_value
        yield Problem(
            shown, line, col, f"{name}: needs at least {count} entr{'y' if count == 1 else 'ies'}", "schema.minItems"
        )
        return
    if keyword == "oneOf" and "elements" in str(expected_value):
        yield Problem(
            shown,
            line,
            col,
            f"{name}: an indicator needs either elements or subindicators (not both, not neither)",
            "schema.oneOf",
        )
        return
    yield Problem(shown, line, col, f"{name}: {error.message}", f"schema.{keyword}")


def _yaml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "...'"


# --- the validator -----------------------------------------------------------------------


class Validator:
    """Checks files against the schemas and the frameworks found in ``frameworks_dir``.

    Frameworks are read once and reused for every assessment that names them.
    """

    def __init__(self, frameworks_dir: Path, assessments_dir: Path | None = None) -> None:
        self.frameworks_dir = frameworks_dir
        self.assessments_dir = assessments_dir
        self._frameworks: dict[tuple[str, str], FileResult] = {}
        self._replayed_frameworks: dict[tuple[str, str], Framework | None] = {}

    # frameworks

    def check_framework_file(self, path: Path) -> FileResult:
        key = self._framework_key_for(path)
        if key is not None and key in self._frameworks:
            return self._frameworks[key]
        result = FileResult(path=path, kind="framework")
        shown = display_path(path)
        doc = _read(path, shown, result)
        if doc is not None:
            result.problems.extend(_schema_problems(doc, "framework", shown))
            if not result.problems:
                result.problems.extend(_limit_problems(doc, "framework", shown))
            if not result.problems:
                result.problems.extend(_framework_semantics(doc, shown))
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
        return self._check_assessment(path)[0]

    def _check_assessment(self, path: Path, raw: bytes | None = None) -> tuple[FileResult, Any]:
        """``check_assessment_file`` (of ``raw`` when the bytes were read already), and the
        file's data when it passed the schema, for the cache to keep."""
        result = FileResult(path=path, kind="assessment")
        shown = display_path(path)
        doc = _read(path, shown, result, raw)
        if doc is None:
            return result, None
        errors = _schema_errors(doc, "assessment")
        result.problems.extend(_translated(errors, doc, shown))
        if not result.problems:
            # Limits are checked on what passed the schema; a file over them is not read further.
            result.problems.extend(_limit_problems(doc, "assessment", shown))
            if result.problems:
                return result, None
        if result.problems:
            # Every problem in one run: the semantic checks still run on the parts that
            # passed the schema, so a company does not fix one round to discover the next.
            result.problems.extend(self._semantics_of_the_rest(doc, path, shown, errors))
            return result, None
        assessment = assessment_from_data(doc.data, path)
        result.problems.extend(self._layout_problems(doc, assessment, shown))
        framework = self._framework_for(doc, assessment, shown, result)
        if framework is not None:
            result.problems.extend(_assessment_semantics(doc, assessment, framework, shown))
            result.framework = framework
        result.assessment = assessment
        return result, doc.data

    def _semantics_of_the_rest(
        self, doc: Document, path: Path, shown: str, errors: list[ValidationError]
    ) -> list[Problem]:
        """The layout and semantic problems of the parts of a schema-invalid file that passed
        the schema (``_pass_the_schema``); none when what failed is something every check
        depends on (company, framework, levels, status...). The file keeps no model."""
        kept = _pass_the_schema(doc.data, errors)
        if kept is None:
            return []
        data, skipped = kept
        assessment = assessment_from_data(data, path)
        found = FileResult(path=path, kind="assessment")
        found.problems.extend(self._layout_problems(doc, assessment, shown))
        framework = self._framework_for(doc, assessment, shown, found)
        if framework is not None:
            found.problems.extend(_assessment_semantics(doc, assessment, framework, shown, skipped))
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

    def _layout_problems(self, doc: Document, assessment: Assessment, shown: str) -> Iterator[Problem]:
        """Files under the project's assessments folder sit at <slug>/<cycle>[-self].yaml."""
        if self.assessments_dir is None:
            return
        try:
            rel = doc.path.resolve().relative_to(self.assessments_dir.resolve())
        except ValueError:
            return
        expected = (
            f"{assessment.company.slug}/{assessment.cycle}{'-self' if assessment.is_self_assessment else ''}.yaml"
        )
        if len(rel.parts) != 2:
            yield _at(doc, shown, (), f"assessment files belong at assessments/{expected}; move it there", "layout")
            return
        folder, stem = rel.parts[0], Path(rel.parts[1]).stem
        if folder != assessment.company.slug:
            yield _at(
                doc,
                shown,
                ("company", "slug"),
                f"company.slug {assessment.company.slug!r} does not match the folder {folder!r}; "
                f"rename one so they agree",
                "layout.slug",
            )
        match = _CYCLE_FILE.match(stem)
        if match is None or int(match["cycle"]) != assessment.cycle:
            yield _at(
                doc,
                shown,
                ("cycle",),
                f"cycle {assessment.cycle} does not match the file name {rel.parts[1]!r}; "
                f"name the file {Path(expected).name}",
                "layout.cycle",
            )
        elif bool(match["self"]) != assessment.is_self_assessment:
            yield _at(
                doc,
                shown,
                ("assessor", "type"),
                f"assessor.type is {assessment.assessor.type!r} but the file is named {rel.parts[1]!r}; "
                f"self-assessments are named <cycle>-self.yaml, independent ones <cycle>.yaml",
                "layout.assessor",
            )

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
        files = list(layout.iter_files(paths, report_all=self._in_project))
        self._replayed_frameworks = {}
        cache = (
            CheckCache.for_project(cache_dir, self.frameworks_dir, self.assessments_dir)
            if cache_dir is not None
            else None
        )
        results: list[FileResult | None] = [None] * len(files)
        with _gc_paused(), Progress("checking", len(files), enabled=None if progress else False) as bar:
            todo: list[int] = []
            feedback: list[int] = []  # checked last, against the assessments checked here
            for n, path in enumerate(files):
                kind = layout.kind_of(path, self.frameworks_dir)
                unread = layout.name_problem(path)
                if unread is not None:
                    results[n] = FileResult(
                        path=path, kind=kind, problems=[Problem(display_path(path), 1, 1, unread, "layout.name")]
                    )
                    bar.advance()
                    continue
                if kind == "framework":
                    results[n] = self.check_framework_file(path)
                    bar.advance()
                    continue
                if kind == "feedback" or is_feedback_file(path):
                    feedback.append(n)  # read by the feedback checks (hrdd.feedback), not as an assessment
                    bar.advance()
                    continue
                replayed = self._replay(path, cache, score) if cache is not None else None
                if replayed is not None:
                    results[n] = replayed
                    bar.advance()
                else:
                    todo.append(n)
            workers = min(jobs or cpu_count(), len(todo) // PARALLEL_MIN)
            if workers > 1:
                checked = self._check_in_workers([files[n] for n in todo], workers, cache_dir, cache, bar, score)
            else:
                checked = self._check_here([files[n] for n in todo], cache, bar, score)
            for n, result in zip(todo, checked, strict=True):
                results[n] = result
            if feedback:
                from hrdd.feedback import check_feedback_file

                known = {r.path: r for r in results if r is not None and r.kind == "assessment"}
                for n in feedback:
                    results[n] = check_feedback_file(self, files[n], known)
        done = [r for r in results if r is not None]
        _Batch([r for r in done if isinstance(r, _LazyResult)])
        _cross_file_problems(done)
        _same_company_problems(done)
        return Report(files=tuple(done))

    def _in_project(self, folder: Path) -> bool:
        """Whether ``folder`` is (in) the project's assessments or frameworks folder, where every
        file is read or reported (``hrdd.layout``)."""
        return any(d is not None and layout.inside(folder, d) for d in (self.assessments_dir, self.frameworks_dir))

    # checking many files: cache and worker processes

    def _replay(self, path: Path, cache: CheckCache, score: bool) -> FileResult | None:
        """The cached result for ``path`` if its entry is current (and has the scores, when
        they are wanted and the file has no problems), else None."""
        if not cache.has(path):
            return None  # never checked: leave reading and hashing it to the check itself
        state = _file_state(path)  # before reading: a write after it gives a new state
        key = _RECENT.key(cache, path, state)
        if key is None:
            try:
                raw = read_bytes(path)
            except YamlError:
                return None  # a link, too big, unreadable: the check itself reports it
            key = cache.key(path, raw)
            _RECENT.keep_key(cache, path, state, key)
        found = cache.get(path, key)
        if found is None:
            return None
        entry, ref = found
        if score and not entry.problems and entry.has_data and not entry.has_score:
            return None  # checked before without scoring: check and score it now
        return self._result_from_entry(path, entry, ref, cache)

    def _result_from_entry(
        self, path: Path, entry: Entry, ref: Ref | None, cache: CheckCache | None
    ) -> FileResult | None:
        framework: Framework | None = None
        if entry.framework is not None:
            # Looked up once per framework and run: finding the file resolves paths (slow).
            if entry.framework not in self._replayed_frameworks:
                found = self.framework(*entry.framework)
                self._replayed_frameworks[entry.framework] = None if found is None else found.framework
            framework = self._replayed_frameworks[entry.framework]
            if framework is None:
                return None  # the framework changed under our feet: check the file again
        problems = [Problem(entry.shown, line, col, message, code) for line, col, message, code in entry.problems]
        if not entry.has_data or ref is None or cache is None:
            return FileResult(path=path, kind="assessment", problems=problems, framework=framework)
        load_score = functools.partial(_RECENT.score, ref.key, functools.partial(cache.score, ref))
        load = functools.partial(_RECENT.model, ref.key, functools.partial(_load_cached, cache, ref, path))
        result = _LazyResult(
            path, problems, framework, entry.identity, entry.facts, load, load_score if entry.has_score else None
        )
        result.key = ref.key
        return result

    def _check_here(self, paths: list[Path], cache: CheckCache | None, bar: Progress, score: bool) -> list[FileResult]:
        results = []
        for path in paths:
            result, _, _, ref, state = self._check_and_keep(path, cache, score)
            if cache is not None and ref is not None:
                _RECENT.keep_key(cache, path, state, ref.key)
            results.append(_recent(result, ref))
            bar.advance()
        return results

    def _check_and_keep(self, path: Path, cache: CheckCache | None, score: bool = False) -> _Checked:
        """Check one assessment and store what was found in the cache; also returns the entry
        (None for a file that cannot be read), the file's data (None when it did not pass the
        schema) and where the cache keeps them (None without a cache)."""
        state = _file_state(path)  # before reading (see _Recent.key)
        try:
            raw: bytes | None = read_bytes(path)
        except YamlError:
            raw = None  # the check reads the file again and reports why it cannot
        result, data = self._check_assessment(path, raw)
        a = result.assessment
        if score and a is not None and result.framework is not None and not result.problems:
            result.score = score_assessment(result.framework, a)
        if raw is None:
            return result, None, None, None, state
        entry = Entry(
            shown=display_path(path),
            problems=tuple((p.line, p.col, p.message, p.code) for p in result.problems),
            framework=None if result.framework is None else (result.framework.id, result.framework.version),
            identity=None if a is None else (a.company.slug, a.cycle, a.assessor.type),
            has_data=data is not None,
            has_score=result.score is not None,
            facts=None if a is None else facts_to_data(a.facts()),
        )
        result.key = cache.key(path, raw) if cache is not None else _content_key(path, raw)
        ref = cache.put(path, result.key, entry, data, result.score) if cache is not None else None
        return result, entry, data, ref, state

    def _check_in_workers(
        self,
        paths: list[Path],
        workers: int,
        cache_dir: Path | None,
        cache: CheckCache | None,
        bar: Progress,
        score: bool,
    ) -> list[FileResult]:
        chunk = max(1, min(CHUNK, len(paths) // (workers * 4)))
        chunks = [paths[i : i + chunk] for i in range(0, len(paths), chunk)]
        settings = (self.frameworks_dir, self.assessments_dir, cache_dir, score, yamlio.use_libyaml, use_jsonschema_rs)
        results: list[FileResult] = []
        with ProcessPoolExecutor(
            workers, mp_context=_process_context(), initializer=_worker_start, initargs=settings
        ) as pool:
            # map() hands chunks out as workers free up and yields results in the order given.
            for part, outcomes in zip(chunks, pool.map(_worker_check, chunks), strict=True):
                for path, outcome in zip(part, outcomes, strict=True):
                    results.append(self._result_from_worker(path, outcome, cache))
                bar.advance(len(part))
        return results

    def _result_from_worker(self, path: Path, outcome: _Outcome, cache: CheckCache | None) -> FileResult:
        entry, ref, blob, score_blob, state = outcome
        if cache is not None and ref is not None:
            _RECENT.keep_key(cache, path, state, ref.key)
        if entry is None:
            # Unreadable files are not worth the trip: check them here, where they fail fast.
            return self.check_assessment_file(path)
        result = self._result_from_entry(path, entry, ref, cache)
        if result is None:
            return self.check_assessment_file(path)
        if blob is not None:
            result.assessment = assessment_from_data(marshal.loads(blob), path)
        if score_blob is not None:
            result.score = score_from_data(json.loads(score_blob))
        # With a cache entry (ref), the model and scores are built on first use through
        # _RECENT (see _result_from_entry): nothing to build here.
        return result


def validate_paths(paths: list[Path], root: Path | None = None) -> Report:
    """Check files of the project at ``root`` (default: the working directory)."""
    root = root or Path.cwd()
    return Validator(frameworks_dir=root / "frameworks", assessments_dir=root / "assessments").check_paths(paths)


PARALLEL_MIN = 48
"""Files to check per worker process below which workers are not worth starting (a worker
takes about half a second to start; a file about ten milliseconds to check)."""

CHUNK = 16
"""Files handed to a worker at a time (larger chunks cost less to send, smaller ones balance
the load better at the end)."""

# What a worker sends back for one file: the entry (None: the file could not be read; check it
# in the main process), where the cache keeps it, and else the data (marshal bytes) and the
# scores (JSON bytes); and the state of the file before it was read (see _Recent.key).
_Outcome = tuple[Entry | None, Ref | None, bytes | None, bytes | None, tuple[int, ...]]

_Checked = tuple[FileResult, Entry | None, Any, Ref | None, tuple[int, ...]]
"""The result, the entry, the data, the cache entry, and the file's state before it was read."""

_worker_validator: Validator | None = None
_worker_cache: CheckCache | None = None
_worker_score = False


def _worker_start(
    frameworks_dir: Path,
    assessments_dir: Path | None,
    cache_dir: Path | None,
    score: bool,
    libyaml: bool,
    jsonschema_rs: bool,
) -> None:
    # Workers read and check exactly as the process that started them.
    global _worker_validator, _worker_cache, _worker_score, use_jsonschema_rs
    _worker_score = score
    yamlio.use_libyaml = libyaml
    use_jsonschema_rs = jsonschema_rs
    _worker_validator = Validator(frameworks_dir, assessments_dir)
    if cache_dir is not None:
        _worker_cache = CheckCache.for_project(cache_dir, frameworks_dir, assessments_dir)


def _worker_check(paths: list[Path]) -> list[_Outcome]:
    validator = _worker_validator
    assert validator is not None, "worker not started"
    outcomes: list[_Outcome] = []
    with _gc_paused():
        for path in paths:
            result, entry, data, ref, state = validator._check_and_keep(path, _worker_cache, _worker_score)
            if entry is None:
                outcomes.append((None, None, None, None, state))
                continue
            if ref is not None:
                outcomes.append((entry, ref, None, None, state))  # the main process reads it when needed
                continue
            # Without a cache entry to read them from, the data and scores travel (marshal is the
            # cheapest format for plain data; the models are rebuilt from it on the other side).
            blob = marshal.dumps(data) if data is not None else None
            score_blob = json.dumps(score_to_data(result.score)).encode() if result.score is not None else None
            outcomes.append((entry, None, blob, score_blob, state))
    return outcomes


def _process_context() -> multiprocessing.context.BaseContext:
    """How to start workers: fork when it is safe, else a fork server, else spawn.

    Fork starts a worker in milliseconds, with hrdd and the frameworks already loaded, and does
    not import the caller's main module again (spawn does, which breaks scripts without an
    ``if __name__ == "__main__"`` guard). But a forked child of a process with other threads
    can inherit a lock one of them held (``hrdd serve`` checks from a thread while its web
    server's threads run), so then a fork server, started clean once with hrdd imported.
    """
    forked = fork_context()
    if forked is not None:
        return forked
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["hrdd.validate"])
        return context
    return multiprocessing.get_context("spawn")


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while checking.

    Checking creates millions of objects that live on (the models) and no reference cycles;
    the collector would walk all of them again and again as they pile up (a third of the time
    of a large run). Paused for the run only; what it would have found is collected afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# The slots that hold FileResult.assessment and .score (dataclasses with slots=True keep fields
# in slots): _LazyResult fills them on first use.
_ASSESSMENT_SLOT: Any = FileResult.__dict__["assessment"]
_SCORE_SLOT: Any = FileResult.__dict__["score"]


class _LazyResult(FileResult):
    """A result replayed from the cache: its model and scores are built from the stored data
    when first used, so a run that only needs the problems (``hrdd validate``) never builds the
    thousands of models. See ``_Batch`` for when they are built."""

    __slots__ = ("_batch", "_facts", "_identity", "_load", "_load_score")

    def __init__(
        self,
        path: Path,
        problems: list[Problem],
        framework: Framework | None,
        identity: tuple[str, int, str] | None,
        facts: dict[str, Any] | None,
        load: Callable[[], Assessment],
        load_score: Callable[[], AssessmentScore] | None,
    ) -> None:
        super().__init__(path=path, kind="assessment", problems=problems, framework=framework)
        self._identity = identity
        self._facts = facts
        self._load: Callable[[], Assessment] | None = load
        self._load_score: Callable[[], AssessmentScore] | None = load_score
        self._batch: _Batch | None = None

    @property
    def assessment(self) -> Assessment | None:
        if self._load is not None:
            if self._batch is not None:
                self._batch.load_models()
            else:
                self._build_model()
        value: Assessment | None = _ASSESSMENT_SLOT.__get__(self, FileResult)
        return value

    @assessment.setter
    def assessment(self, value: Assessment | None) -> None:
        _ASSESSMENT_SLOT.__set__(self, value)
        self._load = None

    @property
    def score(self) -> AssessmentScore | None:
        if self._load_score is not None:
            if self._batch is not None:
                self._batch.load_scores()
            else:
                self._build_score()
        value: AssessmentScore | None = _SCORE_SLOT.__get__(self, FileResult)
        return value

    @score.setter
    def score(self, value: AssessmentScore | None) -> None:
        _SCORE_SLOT.__set__(self, value)
        self._load_score = None

    def _build_model(self) -> None:
        if self._load is not None:
            self.assessment = self._load()

    def _build_score(self) -> None:
        if self._load_score is None:
            return
        try:
            self.score = self._load_score()
        except CacheMiss:
            # The entry went away since it was found current; the assessment is still right
            # (read from the file again if need be), so score it again.
            assessment, framework = self.assessment, self.framework
            assert assessment is not None and framework is not None
            self.score = score_assessment(framework, assessment)

    def identity(self) -> tuple[str, int, str] | None:
        """(company slug, cycle, assessor type), without building the model."""
        return self._identity if self._load is not None else _identity_of(self.assessment)

    def facts(self) -> Facts | None:
        if self._load is not None and self._facts is not None:
            return facts_from_data(self._facts)
        return super().facts()

    def loader(self) -> Callable[[], Assessment] | None:
        if self._load is not None:
            return self._load  # builds through _RECENT, and never sets this result's model
        return super().loader()


class _Batch:
    """The replayed results of one report, built together.

    Whoever asks for one model (or one set of scores) of a report asks for all of them in
    practice (``Report.assessments()``, scoring, the site), and building them together with
    the garbage collector paused takes half the time of building them one by one while the
    collector walks the growing heap again and again.
    """

    def __init__(self, results: list[_LazyResult]) -> None:
        self.results = results
        for result in results:
            result._batch = self

    def load_models(self) -> None:
        with _gc_paused():
            for result in self.results:
                result._build_model()

    def load_scores(self) -> None:
        with _gc_paused():
            for result in self.results:
                result._build_score()


def _identity(result: FileResult) -> tuple[str, int, str] | None:
    return result.identity() if isinstance(result, _LazyResult) else _identity_of(result.assessment)


def _identity_of(a: Assessment | None) -> tuple[str, int, str] | None:
    return None if a is None else (a.company.slug, a.cycle, a.assessor.type)


_T = TypeVar("_T")


class _Recent:
    """The models and scores this process built from cache entries, by entry key.

    A key covers everything a model and its scores are made from (hrdd.cache), so an entry
    seen again gives the same scores object without reading them again (``hrdd serve``
    rebuilds after an edit). Only a saving: what a rebuild reuses is decided by the key
    (``FileResult.key``, ``hrdd.site.incremental``), never by these objects. Of the models
    (hundreds of kilobytes each, where scores are a few) only the last ``RECENT_MODELS`` are
    kept: a page asks for the same one several times, and a run that reads every model once
    (the site's data files) must not keep them all."""

    LIMIT = 100_000
    RECENT_MODELS = 32

    def __init__(self) -> None:
        self.models: dict[str, Assessment] = {}
        self.scores: dict[str, AssessmentScore] = {}
        self.keys: dict[tuple[str, str, str], tuple[tuple[int, ...], str]] = {}

    def key(self, cache: CheckCache, path: Path, state: tuple[int, ...]) -> str | None:
        """The cache key this process computed for ``path`` if the file is in the same
        ``state`` (``_file_state``: the same file, not written since; a write always sets the
        change time), else None. Saves reading and hashing every file again on each
        ``hrdd serve`` rebuild."""
        found = self.keys.get((cache.context, cache.cwd, str(path)))
        return found[1] if found is not None and state and found[0] == state else None

    def keep_key(self, cache: CheckCache, path: Path, state: tuple[int, ...], key: str) -> None:
        """Remember ``key``, computed from what was read after the file was in ``state``."""
        if state:
            self._bound(self.keys)
            self.keys[(cache.context, cache.cwd, str(path))] = (state, key)

    def model(self, key: str, build: Callable[[], Assessment]) -> Assessment:
        found = self._get(self.models, key, build)
        self.models[key] = self.models.pop(key)  # the newest last: dicts keep insertion order
        while len(self.models) > self.RECENT_MODELS:
            del self.models[next(iter(self.models))]
        return found

    def score(self, key: str, build: Callable[[], AssessmentScore]) -> AssessmentScore:
        return self._get(self.scores, key, build)

    def _get(self, found: dict[str, _T], key: str, build: Callable[[], _T]) -> _T:
        if key not in found:
            value = build()
            self._bound(found)
            found[key] = value
        return found[key]

    def _bound(self, found: dict[Any, Any]) -> None:
        if len(found) >= self.LIMIT:  # a long session: start again rather than grow
            found.clear()


def _recent(result: FileResult, ref: Ref | None) -> FileResult:
    """A checked file's model and scores, kept (or, checked before, given back) as those of its
    cache entry: the next run that replays the entry gets these same objects."""
    model, score = result.assessment, result.score
    if ref is not None and model is not None:
        result.assessment = _RECENT.model(ref.key, lambda: model)
    if ref is not None and score is not None:
        result.score = _RECENT.score(ref.key, lambda: score)
    return result


def _content_key(path: Path, raw: bytes) -> str:
    """``FileResult.key`` of a file checked without the cache."""
    return hashlib.sha256(os.path.abspath(path).encode("utf-8", "surrogateescape") + b"\0" + raw).hexdigest()


def _file_state(path: Path) -> tuple[int, ...]:
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return ()
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


_RECENT = _Recent()


def _load_cached(cache: CheckCache, ref: Ref, path: Path) -> Assessment:
    try:
        data = cache.data(ref)
    except CacheMiss:
        # The entry went away since it was found current (another run replaced it, or the
        # folder was deleted): read the file again, if it is still what was checked.
        raw = read_bytes(path)
        if cache.key(path, raw) != ref.key:
            raise HrddError(f"{display_path(path)} changed while it was being checked; run again") from None
        data = parse_yaml(raw, path).data
    return assessment_from_data(data, path)


def _read(path: Path, shown: str, result: FileResult, raw: bytes | None = None) -> Document | None:
    try:
        doc = read_yaml(path) if raw is None else parse_yaml(raw, path)
    except YamlError as exc:
        result.problems.append(Problem(shown, exc.line, exc.col, exc.message, "yaml"))
        return None
    if not isinstance(doc.data, dict):
        result.problems.append(
            Problem(
                shown, 1, 1, f"expected a mapping (key: value lines) at the top, found {_describe(doc.data)}", "yaml"
            )
        )
        return None
    return doc


def _limit_problems(doc: Document, kind: str, shown: str) -> list[Problem]:
    """What the site could not render (``hrdd.limits``), in the order of the file."""
    found = [
        _at(doc, shown, where, message, code, key) for where, message, code, key in limits.problems(doc.data, kind)
    ]
    return sorted(found)


def _at(doc: Document, shown: str, where: JsonPath, message: str, code: str, key: bool = False) -> Problem:
    line, col = doc.locate(where, key=key)
    return Problem(shown, line, col, message, code)


def _cross_file_problems(results: list[FileResult]) -> None:
    """One independent and at most one self-assessment per company and cycle."""
    seen: dict[tuple[str, int, str], FileResult] = {}
    for result in results:
        # The identity, not the model: cached results build their model only when asked to.
        key = _identity(result)
        if key is None:
            continue
        slug, cycle, assessor_type = key
        if key in seen:
            first = display_path(seen[key].path)
            result.problems.append(
                Problem(
                    display_path(result.path),
                    1,
                    1,
                    f"{slug} already has a {assessor_type} assessment for {cycle} in {first}; "
                    f"keep one file per company, cycle and assessor type",
                    "duplicate",
                )
            )
        else:
            seen[key] = result
    _version_problems(seen)


def _version_problems(seen: dict[tuple[str, int, str], FileResult]) -> None:
    """A self-assessment answers the framework version of the independent assessment of the
    same company and cycle: otherwise the two cannot be set side by side, and the company page
    would show the self-assessment without its scores. Refused, on the self-assessment."""
    for (slug, cycle, assessor_type), own in seen.items():
        independent = seen.get((slug, cycle, "independent"))
        if assessor_type != "self" or independent is None or own.problems:
            continue
        mine, theirs = own.framework, independent.framework
        if mine is None or theirs is None or mine.key == theirs.key:
            continue
        shown = display_path(own.path)
        try:
            line, col = read_yaml(own.path).locate(("framework", "version"))
        except YamlError:
            line, col = 1, 1
        if mine.id == theirs.id and version_key(mine.version) < version_key(theirs.version):
            tip = f"hrdd migrate {shown} --to {theirs.version} --out NEW_FILE moves it"
        else:
            tip = f"hrdd new --self --slug {slug} --year {cycle} --prefill --out NEW_FILE starts one from it"
        own.problems.append(
            Problem(
                shown,
                line,
                col,
                f"the independent assessment of {slug} for {cycle} ({display_path(independent.path)}) answers "
                f"{theirs.id} {theirs.version}, this self-assessment {mine.id} {mine.version}; answer the same "
                f"version so that the two can be compared ({tip})",
                "framework.version-mismatch",
            )
        )


@dataclass(frozen=True, slots=True)
class Skipped:
    """What ``_pass_the_schema`` removed from a file so that its other parts can be checked:
    the semantic checks must not report the consequences (a "missing" answer, an "unknown"
    source) of a part already reported by the schema."""

    answers: frozenset[tuple[str, ...]] = frozenset()
    """(element,) or (element, level) of answers removed."""
    sources: frozenset[str] = frozenset()
    """Ids of sources removed: references to them are not unknown."""


_SCHEMA_ROUNDS = 8

# Descriptive fields that no other check reads: when one fails the schema, a stand-in (or,
# for None, nothing) takes its place so that the rest of the file is still checked. None of them
# is one of hrdd.placeholders (that check would report the stand-in).
_STAND_INS: dict[tuple[str, ...], dict[str, str | None]] = {
    ("company",): {
        "name": "-",
        "sector": "-",
        "country": "XX",
        "website": None,
        "fictional": None,
        "description": None,
    },
    ("assessor",): {"name": "-", "url": None, "contact": None},
}


def _pass_the_schema(data: Any, errors: list[ValidationError]) -> tuple[dict[str, Any], Skipped] | None:
    """A copy of an assessment's data with what failed the schema taken out, or None when
    what failed cannot be taken out without changing what the other checks mean.

    Unknown properties are dropped; an answer, a source or an incident with a problem is
    dropped whole (they are independent units: nothing else is judged through them, except
    source ids, which ``Skipped`` keeps). A problem anywhere else (company, framework, cycle,
    assessor, status, dates, levels) stops here: every answer is judged through those.
    """
    if not isinstance(data, dict):
        return None
    # Copied only once the first errors are known to be of a kind that can be taken out.
    copied = False
    answers: set[tuple[str, ...]] = set()
    sources: set[str] = set()
    validator = _schema_validator("assessment")
    for n in range(_SCHEMA_ROUNDS):
        if n > 0:
            errors = list(validator.iter_errors(data))
        if not errors:
            return data, Skipped(frozenset(answers), frozenset(sources))
        drop_keys: set[tuple[Any, ...]] = set()
        units: set[tuple[Any, ...]] = set()
        stand_ins: set[tuple[Any, ...]] = set()
        for error in errors:
            where: tuple[Any, ...] = tuple(error.absolute_path)
            schema = error.schema if isinstance(error.schema, dict) else {}
            if (
                error.validator == "additionalProperties"
                and isinstance(error.instance, dict)
                and "patternProperties" not in schema
            ):
                allowed = set(schema.get("properties", {}))
                drop_keys.update((*where, extra) for extra in error.instance if extra not in allowed)
                continue
            if error.validator == "required" and where in _STAND_INS:
                missing = re.findall(r"'([^']+)' is a required property", error.message)
                if missing and missing[0] in _STAND_INS[where]:
                    stand_ins.add((*where, missing[0]))
                    continue
                return None
            if len(where) >= 2 and where[:1] in _STAND_INS and where[1] in _STAND_INS[where[:1]]:
                stand_ins.add(where[:2])
                continue
            unit = _unit_of(where)
            if unit is None:
                return None
            units.add(unit)
        if not copied:
            data, copied = copy.deepcopy(data), True
        for at in stand_ins:
            parent = _walk(data, at[:-1])
            if not isinstance(parent, dict):
                return None
            stand_in = _STAND_INS[at[:-1]][at[-1]]
            if stand_in is None:
                parent.pop(at[-1], None)
            else:
                parent[at[-1]] = stand_in
        for key_path in drop_keys:
            parent = _walk(data, key_path[:-1])
            if isinstance(parent, dict):
                parent.pop(key_path[-1], None)
        for unit in (u for u in units if u[0] == "answers"):
            answers.add(tuple(str(x) for x in unit[1:]))
            parent = _walk(data, unit[:-1])
            if isinstance(parent, dict):
                parent.pop(unit[-1], None)
        # Sources and incidents are dropped from the end so that the indexes of the others hold.
        for unit in sorted((u for u in units if u[0] != "answers"), reverse=True):
            parent = _walk(data, unit[:-1])
            if not isinstance(parent, list) or unit[-1] >= len(parent):
                return None
            item = parent.pop(unit[-1])
            if unit[0] == "sources" and isinstance(item, dict) and isinstance(item.get("id"), str):
                sources.add(item["id"])
    return None


def _unit_of(where: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The answer, source or incident that a schema problem at ``where`` is in, if any."""
    if len(where) >= 2 and where[0] == "answers":
        return where[:3]
    if len(where) >= 2 and where[0] in ("sources", "incidents") and isinstance(where[1], int):
        return where[:2]
    return None


def _walk(data: Any, where: tuple[Any, ...]) -> Any:
    for step in where:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _same_company_problems(results: list[FileResult]) -> None:
    """One company, one folder: two slugs with the same company name or website would rank the
    company twice. The later file is refused, naming the first."""
    first: dict[tuple[str, str], tuple[str, FileResult]] = {}
    for result in results:
        if result.kind != "assessment" or result.problems:
            continue
        facts = result.facts()
        if facts is None:
            continue
        company = facts.company
        for what, value in (("name", " ".join(company.name.casefold().split())), ("website", _site_of(company))):
            if not value:
                continue
            seen = first.setdefault((what, value), (company.slug, result))
            if seen[0] != company.slug:
                result.problems.append(
                    Problem(
                        display_path(result.path),
                        1,
                        1,
                        f"company {what} {getattr(company, what)!r} is also the {what} of {seen[0]} in "
                        f"{display_path(seen[1].path)}; one company has one folder (use the slug {seen[0]}), "
                        "or tell the two companies apart",
                        "duplicate.company",
                    )
                )
                break


def _site_of(company: Any) -> str:
    """A company website reduced to its host and path: http/https, "www." and a final "/" aside."""
    website = str(company.website).casefold()
    host_path = website.split("://", 1)[-1].removeprefix("www.").rstrip("/")
    return host_path


# --- semantic checks: frameworks --------------------------------------------------------


def _framework_semantics(doc: Document, shown: str) -> list[Problem]:
    data = doc.data
    problems: list[Problem] = []

    def add(where: JsonPath, message: str, code: str, key: bool = False) -> None:
        problems.append(_at(doc, shown, where, message, code, key))

    path = doc.path
    if path.parent.parent.name == "frameworks":
        if data["id"] != path.parent.name:
            add(("id",), f"id {data['id']!r} does not match the folder {path.parent.name!r}; make them equal", "layout")
        if data["version"] != path.stem:
            add(
                ("version",),
                f"version {data['version']!r} does not match the file name {path.name!r}; "
                f"name the file {data['version']}.yaml",
                "layout",
            )

    def unique(items: list[dict[str, Any]], where: JsonPath, what: str) -> set[str]:
        seen: dict[str, int] = {}
        for n, item in enumerate(items):
            if item["id"] in seen:
                add(
                    (*where, n, "id"),
                    f"duplicate {what} id {item['id']!r} (also {_dotted((*where, seen[item['id']]))}); "
                    "ids must be unique",
                    "duplicate-id",
                )
            else:
                seen[item["id"]] = n
        return set(seen)

    answers = data["answers"]
    unique(answers, ("answers",), "answer")
    scale = data.get("scale", {})
    low, high = scale.get("min", 0), scale.get("max", 100)
    if low >= high:
        add(("scale",), f"scale.min ({low}) must be below scale.max ({high})", "scale")
    for n, a in enumerate(answers):
        for prop in ("points", "reversed_points"):
            pts = a.get(prop)
            if pts is not None and not low <= pts <= high:
                add(
                    ("answers", n, prop),
                    f"{prop} {pts} of answer {a['id']!r} is outside the scale {low}..{high}",
                    "scale",
                )
    if all(a["points"] is None for a in answers):
        add(("answers",), "every answer has points: null; at least one answer must score", "answers")
    if sum(1 for a in answers if a.get("initial")) > 1:
        add(("answers",), "more than one answer is marked initial; keep one", "answers")

    company_types = unique(data.get("company_types", []), ("company_types",), "company type")
    level_kinds = unique(data["level_kinds"], ("level_kinds",), "level kind")
    categories = unique(data["categories"], ("categories",), "category")
    sides = {k["side"] for k in data["level_kinds"]}

    ids: dict[str, JsonPath] = {}
    folded: dict[str, tuple[str, JsonPath]] = {}
    pages: dict[str, tuple[str, JsonPath]] = {}

    def claim(item_id: str, where: JsonPath, what: str) -> None:
        # Ids become file names (an indicator's page), and macOS and Windows do not tell file
        # names apart by case: ids must differ by more than case.
        other = folded.get(item_id.casefold())
        if item_id not in ids and other is not None:
            add(
                (*where, "id"),
                f"id {item_id!r} differs only by case from {other[0]!r} (at {_dotted(other[1])}); ids become "
                "file names, which many computers do not tell apart by case: rename one",
                "duplicate-id",
            )
        folded.setdefault(item_id.casefold(), (item_id, where))
        if what == "indicator":
            # The page name: "index" is the folder's own page, so the indicator "index" is
            # written as "index-indicator" (hrdd.site.render.Site.indicator_page).
            page = ("index-indicator" if item_id == "index" else item_id).casefold()
            taken = pages.get(page)
            if page == "index" or (taken is not None and taken[0] != item_id and taken[0].casefold() != page):
                add(
                    (*where, "id"),
                    f"indicator id {item_id!r} would have the same page as "
                    f"{'the indicators index' if page == 'index' else repr(taken[0] if taken else '')}; rename it",
                    "duplicate-id",
                )
            pages.setdefault(page, (item_id, where))
        if item_id in ids:
            add(
                (*where, "id"),
                f"duplicate id {item_id!r} for this {what} (already used at {_dotted(ids[item_id])}); "
                "indicator and element ids must be unique in the framework",
                "duplicate-id",
            )
        else:
            ids[item_id] = where

    def check_exclusion(excl: dict[str, Any] | None, where: JsonPath) -> None:
        for n, ct in enumerate((excl or {}).get("company_types", [])):
            if ct not in company_types:
                add(
                    (*where, "excluded", "company_types", n),
                    f"unknown company type {ct!r}; declare it under company_types or remove it",
                    "unknown-ref",
                )
        for n, lk in enumerate((excl or {}).get("level_kinds", [])):
            if lk not in level_kinds:
                add(
                    (*where, "excluded", "level_kinds", n),
                    f"unknown level kind {lk!r}; declare it under level_kinds or remove it",
                    "unknown-ref",
                )

    def check_indicator(ind: dict[str, Any], where: JsonPath, family: dict[str, Any] | None) -> None:
        claim(ind["id"], where, "indicator")
        if family is None:
            if "category" not in ind:
                add(
                    where,
                    f"indicator {ind['id']}: missing category; add category: <one of {', '.join(sorted(categories))}>",
                    "category",
                )
            elif ind["category"] not in categories:
                add(
                    (*where, "category"),
                    f"indicator {ind['id']}: unknown category {ind['category']!r}; "
                    f"use one of: {', '.join(sorted(categories))}",
                    "unknown-ref",
                )
            if "scope" not in ind:
                add(where, f"indicator {ind['id']}: missing scope; add scope: company, units or both", "scope")
        elif "category" in ind and ind["category"] != family.get("category"):
            add(
                (*where, "category"),
                f"sub-indicator {ind['id']} has category {ind['category']!r} but its family "
                f"{family['id']} is in {family.get('category')!r}; remove it (sub-indicators inherit it)",
                "category",
            )
        scope = ind.get("scope", (family or {}).get("scope"))
        needed = {"company": {"company"}, "units": {"unit"}, "both": {"company", "unit"}}.get(scope or "", set())
        if needed and not needed & sides:
            add(
                (*where, "scope") if "scope" in ind else where,
                f"indicator {ind['id']}: scope {scope} needs a level kind on the {' or '.join(sorted(needed))} side",
                "scope",
            )
        check_exclusion(ind.get("excluded"), where)
        elements = ind.get("elements", [])
        element_ids = set()
        for n, el in enumerate(elements):
            claim(el["id"], (*where, "elements", n), "element")
            element_ids.add(el["id"])
            check_exclusion(el.get("excluded"), (*where, "elements", n))
        method = ind.get("method", "mean")
        if method == "staged":
            if "stages" not in ind:
                add(where, f"indicator {ind['id']}: method staged needs stages; add them or use method: mean", "stages")
            for s, stage in enumerate(ind.get("stages", [])):
                for r, req in enumerate(stage["requires"]):
                    if req not in element_ids:
                        add(
                            (*where, "stages", s, "requires", r),
                            f"stage requires {req!r}, which is not an element of {ind['id']}",
                            "unknown-ref",
                        )
        elif "stages" in ind:
            add((*where, "stages"), f"indicator {ind['id']}: stages are only read with method: staged", "stages")
        for n, sub in enumerate(ind.get("subindicators", [])):
            if "subindicators" in sub:
                add(
                    (*where, "subindicators", n, "subindicators"),
                    "families nest one level only; move these sub-indicators up",
                    "nesting",
                )
            check_indicator(sub, (*where, "subindicators", n), ind)

    for n, ind in enumerate(data["indicators"]):
        check_indicator(ind, ("indicators", n), None)

    if data["aggregation"]["total"] == "weighted_categories" and not any("weight" in c for c in data["categories"]):
        add(
            ("aggregation", "total"),
            "weighted_categories needs a weight on the categories; add weight: to each",
            "weights",
        )
    for n, flat in enumerate(data["aggregation"].get("flat_levels", [])):
        if flat not in ids:
            add(
                ("aggregation", "flat_levels", n),
                f"flat_levels names {flat!r}, which is not an indicator of this framework",
                "unknown-ref",
            )
    used = {ind.get("category") for ind in data["indicators"]}
    for n, cat in enumerate(data["categories"]):
        if cat["id"] not in used:
            add(
                ("categories", n, "id"),
                f"category {cat['id']!r} has no indicators; remove it or add indicators",
                "category",
            )

    for n, change in enumerate(data.get("changelog", [])):
        if change["change"] != "removed" and change["indicator"] not in ids:
            add(
                ("changelog", n, "indicator"),
                f"changelog names {change['indicator']!r}, which is not an indicator of this version",
                "unknown-ref",
            )
        if change["change"] == "renamed" and "from" not in change:
            add(("changelog", n), "a renamed indicator needs from: <its previous id>", "changelog")
    sectors.check_framework(data, add)
    return problems


# --- semantic checks: assessments -------------------------------------------------------


def _assessment_semantics(
    doc: Document, a: Assessment, fw: Framework, shown: str, skipped: Skipped | None = None
) -> list[Problem]:
    problems: list[Problem] = []
    skipped = skipped or Skipped()

    def add(where: JsonPath, message: str, code: str, key: bool = False) -> None:
        problems.append(_at(doc, shown, where, message, code, key))

    declared_types = [t.id for t in fw.company_types]
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
            f"unknown company type {a.company.type!r}; use one of: {', '.join(declared_types) or '(none declared)'}",
            "company.type",
        )

    levels: dict[str, str] = {}
    for n, level in enumerate(a.levels):
        if level.id in levels:
            add(("levels", n, "id"), f"duplicate level id {level.id!r}; level ids must be unique", "duplicate-id")
        levels[level.id] = level.kind
        if fw.level_kind(level.kind) is None:
            kinds = ", ".join(k.id for k in fw.level_kinds)
            add(("levels", n, "kind"), f"unknown level kind {level.kind!r}; use one of: {kinds}", "unknown-ref")

    sources: set[str] = set()
    for n, src in enumerate(a.sources):
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

    def check_refs(items: Iterable[str], where: JsonPath) -> None:
        for n, ref in enumerate(items):
            if ref not in sources and ref not in skipped.sources:
                add((*where, n), f"unknown source {ref!r}; add it under sources or fix the id", "unknown-ref")

    answer_ids = [o.id for o in fw.answers]
    element_ids = list(fw.element_ids())
    for element_id, by_level in a.answers.items():
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
            where: JsonPath = ("answers", element_id, level_id)
            if level_id not in levels:
                add(
                    where,
                    f"element {element_id}: unknown level {level_id!r}; use one of the levels: "
                    f"{', '.join(levels) or '(none)'}",
                    "unknown-ref",
                    key=True,
                )
                continue
            if fw.level_kind(levels[level_id]) is not None and not fw.applies(
                element, a.company.type, levels[level_id]
            ):
                indicator = fw.indicator(element.indicator)
                scope = indicator.scope if indicator else "?"
                add(
                    where,
                    f"element {element_id} does not apply at level {level_id!r} (indicator scope: {scope}, "
                    f"level kind: {levels[level_id]}); remove this answer",
                    "not-applicable",
                    key=True,
                )
                continue
            option = fw.answer(answer.answer)
            if option is None:
                add(
                    (*where, "answer"),
                    f"element {element_id}: unknown answer {answer.answer!r}; use one of: {', '.join(answer_ids)}",
                    "unknown-answer",
                )
                # Its sources are still checked: one run shows every problem.
                check_refs((e.source for e in answer.evidence), (*where, "evidence"))
                if answer.reply is not None:
                    check_refs((e.source for e in answer.reply.evidence), (*where, "reply", "evidence"))
                continue
            if option.needs_evidence and not answer.evidence:
                add(
                    (*where, "answer"),
                    f"element {element_id}: {option.id!r} needs at least one evidence entry "
                    f"(add evidence: [{{source: <id>, quote: ...}}])",
                    "evidence",
                )
            if option.needs_reason and not answer.comment.strip():
                add(
                    (*where, "answer"),
                    f"element {element_id}: {option.id!r} needs a reason; add a comment saying why",
                    "reason",
                )
            check_refs((e.source for e in answer.evidence), (*where, "evidence"))
            if answer.reply is not None:
                check_refs((e.source for e in answer.reply.evidence), (*where, "reply", "evidence"))

    # Which elements apply depends on the company type and level kinds; when one of those is
    # unknown (reported above), "missing answer" errors would only be noise.
    known_kinds = all(fw.level_kind(kind) is not None for kind in levels.values())
    known_type = a.company.type is None or a.company.type in declared_types
    sectors.check_assessment(a, fw, add)
    narrative.check_assessment(a, fw, add)
    known_type = known_type and sectors.sector_known(fw, a)
    if a.status != "draft" and known_kinds and known_type:
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

    for placeholder_at, message in placeholder_problems(a):
        add(placeholder_at, message, "placeholder")

    incident_ids: set[str] = set()
    indicator_ids = {ind.id for ind in fw.all_indicators()}
    for n, incident in enumerate(a.incidents):
        if incident.id in incident_ids:
            add(("incidents", n, "id"), f"duplicate incident id {incident.id!r}", "duplicate-id")
        incident_ids.add(incident.id)
        check_refs(incident.sources, ("incidents", n, "sources"))
        if incident.response is not None:
            check_refs(incident.response.sources, ("incidents", n, "response", "sources"))
        for i, ind_id in enumerate(incident.indicators):
            if ind_id not in indicator_ids:
                add(
                    ("incidents", n, "indicators", i),
                    f"unknown indicator {ind_id!r} in {fw.id} {fw.version}",
                    "unknown-ref",
                )
    return problems


__all__ = ["FileResult", "Problem", "Report", "Validator", "display_path", "jsonschema", "schema_dir", "validate_paths"]
