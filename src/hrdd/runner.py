"""Running checks over many files: the check cache, worker processes and results whose model is
built when first used. The only module that knows about them."""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import json
import marshal
import multiprocessing
import multiprocessing.context
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from hrdd import layout, yamlio
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
from hrdd.check import schema as schema_check
from hrdd.check.files import cross_file_problems, same_company_problems
from hrdd.check.result import Checker, FileResult, Problem, Report
from hrdd.errors import HrddError, YamlError
from hrdd.feedback import check_feedback_file
from hrdd.load import (
    assessment_from_data,
    is_feedback_file,
)
from hrdd.models import Assessment, Facts, Framework
from hrdd.parallel import cpu_count, fork_context, run_forked
from hrdd.progress import Progress
from hrdd.project import display_path
from hrdd.score import AssessmentScore, score_assessment
from hrdd.yamlio import parse_yaml, read_bytes

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

_worker_validator: Checker | None = None
_worker_cache: CheckCache | None = None
_worker_score = False


def _worker_start(
    factory: Callable[[Path, Path | None], Checker],
    frameworks_dir: Path,
    assessments_dir: Path | None,
    cache_dir: Path | None,
    score: bool,
    libyaml: bool,
    jsonschema_rs: bool,
) -> None:
    # Workers read and check exactly as the process that started them.
    global _worker_validator, _worker_cache, _worker_score
    _worker_score = score
    yamlio.use_libyaml = libyaml
    schema_check.use_jsonschema_rs = jsonschema_rs
    _worker_validator = factory(frameworks_dir, assessments_dir)
    if cache_dir is not None:
        _worker_cache = CheckCache.for_project(cache_dir, frameworks_dir, assessments_dir)


def _worker_check(paths: list[Path]) -> list[_Outcome]:
    validator = _worker_validator
    assert validator is not None, "worker not started"
    return _check_chunk(validator, _worker_cache, _worker_score, paths)


def _check_chunk(validator: Checker, cache: CheckCache | None, score: bool, paths: list[Path]) -> list[_Outcome]:
    """Check ``paths`` in a worker process: what goes back to the main process for each file."""
    outcomes: list[_Outcome] = []
    with _gc_paused():
        for path in paths:
            result, entry, data, ref, state = check_and_keep(validator, path, cache, score)
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


def process_context() -> multiprocessing.context.BaseContext:
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

    @property
    def model_built(self) -> bool:
        return self._load is None

    def identity(self) -> tuple[str, int, str] | None:
        """(company slug, cycle, assessor type), without building the model."""
        return self._identity if self._load is not None else super().identity()

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


def forget_recent() -> None:
    """Forget the models, scores and file keys this process kept (``_Recent``): the next check
    builds each from its cache entry again. Only memory is lost, never a result."""
    _RECENT.models.clear()
    _RECENT.scores.clear()
    _RECENT.keys.clear()


def load_model(cache: CheckCache, ref: Ref, path: Path) -> Assessment:
    """The model of a checked assessment, built from its cache entry (``ref``); the file is read
    again only if the entry went away and the file is still what was checked."""
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


def check_paths(
    validator: Checker,
    paths: list[Path],
    *,
    jobs: int | None = None,
    cache_dir: Path | None = None,
    progress: bool = True,
    score: bool = False,
) -> Report:
    """``Validator.check_paths``: check every YAML file named or found under ``paths`` with
    ``validator``, through the cache and worker processes (see there for the options)."""
    files = list(layout.iter_files(paths, report_all=validator.in_project))
    run = CheckRun(validator, cache_dir, score)
    results: list[FileResult | None] = [None] * len(files)
    with _gc_paused(), Progress("checking", len(files), enabled=None if progress else False) as bar:
        todo, feedback = run.sort(files, results, bar)
        workers = min(jobs or cpu_count(), len(todo) // PARALLEL_MIN)
        if workers > 1:
            checked = run.check_in_workers([files[n] for n in todo], workers, cache_dir, run.cache, bar, score)
        else:
            checked = run.check_here([files[n] for n in todo], run.cache, bar, score)
        for n, result in zip(todo, checked, strict=True):
            results[n] = result
        if feedback:
            # Feedback is checked last, against the assessments checked here.
            known = {r.path: r for r in results if r is not None and r.kind == "assessment"}
            for n in feedback:
                results[n] = check_feedback_file(validator, files[n], known)
    done = [r for r in results if r is not None]
    _Batch([r for r in done if isinstance(r, _LazyResult)])
    cross_file_problems(done)
    same_company_problems(done)
    return Report(files=tuple(done))


class CheckRun:
    """One ``check_paths`` run: the validator, the cache and the frameworks replayed so far."""

    def __init__(self, validator: Checker, cache_dir: Path | None, score: bool) -> None:
        self.validator = validator
        self.score = score
        self.cache = (
            CheckCache.for_project(cache_dir, validator.frameworks_dir, validator.assessments_dir)
            if cache_dir is not None
            else None
        )
        self.replayed_frameworks: dict[tuple[str, str], Framework | None] = {}

    def sort(self, files: list[Path], results: list[FileResult | None], bar: Progress) -> tuple[list[int], list[int]]:
        """Fill in ``results`` for the files done here at once (unreadable names, frameworks,
        results replayed from the cache); the indexes of the assessments left to check, and of
        the feedback files."""
        todo: list[int] = []
        feedback: list[int] = []
        validator, cache = self.validator, self.cache
        for n, path in enumerate(files):
            kind = layout.kind_of(path, validator.frameworks_dir)
            unread = layout.name_problem(path)
            if unread is not None:
                results[n] = FileResult(
                    path=path, kind=kind, problems=[Problem(display_path(path), 1, 1, unread, "layout.name")]
                )
                bar.advance()
                continue
            if kind == "framework":
                results[n] = validator.check_framework_file(path)
                bar.advance()
                continue
            if kind == "feedback" or is_feedback_file(path):
                feedback.append(n)  # read by the feedback checks (hrdd.feedback), not as an assessment
                bar.advance()
                continue
            replayed = self.replay(path, cache, self.score) if cache is not None else None
            if replayed is not None:
                results[n] = replayed
                bar.advance()
            else:
                todo.append(n)
        return todo, feedback

    def replay(self, path: Path, cache: CheckCache, score: bool) -> FileResult | None:
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
        return self.result_from_entry(path, entry, ref, cache)

    def result_from_entry(
        self, path: Path, entry: Entry, ref: Ref | None, cache: CheckCache | None
    ) -> FileResult | None:
        framework: Framework | None = None
        if entry.framework is not None:
            # Looked up once per framework and run: finding the file resolves paths (slow).
            if entry.framework not in self.replayed_frameworks:
                found = self.validator.framework(*entry.framework)
                self.replayed_frameworks[entry.framework] = None if found is None else found.framework
            framework = self.replayed_frameworks[entry.framework]
            if framework is None:
                return None  # the framework changed under our feet: check the file again
        problems = [Problem(entry.shown, line, col, message, code) for line, col, message, code in entry.problems]
        if not entry.has_data or ref is None or cache is None:
            return FileResult(path=path, kind="assessment", problems=problems, framework=framework)
        load_score = functools.partial(_RECENT.score, ref.key, functools.partial(cache.score, ref))
        load = functools.partial(_RECENT.model, ref.key, functools.partial(load_model, cache, ref, path))
        result = _LazyResult(
            path, problems, framework, entry.identity, entry.facts, load, load_score if entry.has_score else None
        )
        result.key = ref.key
        return result

    def check_here(self, paths: list[Path], cache: CheckCache | None, bar: Progress, score: bool) -> list[FileResult]:
        results = []
        for path in paths:
            result, _, _, ref, state = check_and_keep(self.validator, path, cache, score)
            if cache is not None and ref is not None:
                _RECENT.keep_key(cache, path, state, ref.key)
            results.append(_recent(result, ref))
            bar.advance()
        return results

    def check_in_workers(
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
        v = self.validator
        settings = (
            type(v),
            v.frameworks_dir,
            v.assessments_dir,
            cache_dir,
            score,
            yamlio.use_libyaml,
            schema_check.use_jsonschema_rs,
        )
        results: list[FileResult] = []
        forked = fork_context()
        if forked is not None:
            # The usual case: forked workers inherit this validator (frameworks loaded) and cache.
            jobs = [functools.partial(_check_chunk, v, cache, score, part) for part in chunks]

            def collect(n: int, outcomes: list[_Outcome]) -> None:
                for path, outcome in zip(chunks[n], outcomes, strict=True):
                    results.append(self.result_from_worker(path, outcome, cache))
                bar.advance(len(chunks[n]))

            run_forked(jobs, workers, forked, on_result=collect)
            return results
        # Forking is unsafe here (other threads run: hrdd serve): workers from a fork server or
        # spawned, each setting itself up from ``settings``.
        with ProcessPoolExecutor(
            workers, mp_context=process_context(), initializer=_worker_start, initargs=settings
        ) as pool:
            # map() hands chunks out as workers free up and yields results in the order given.
            for part, outcomes in zip(chunks, pool.map(_worker_check, chunks), strict=True):
                for path, outcome in zip(part, outcomes, strict=True):
                    results.append(self.result_from_worker(path, outcome, cache))
                bar.advance(len(part))
        return results

    def result_from_worker(self, path: Path, outcome: _Outcome, cache: CheckCache | None) -> FileResult:
        entry, ref, blob, score_blob, state = outcome
        if cache is not None and ref is not None:
            _RECENT.keep_key(cache, path, state, ref.key)
        if entry is None:
            # Unreadable files are not worth the trip: check them here, where they fail fast.
            return self.validator.check_assessment_file(path)
        result = self.result_from_entry(path, entry, ref, cache)
        if result is None:
            return self.validator.check_assessment_file(path)
        if blob is not None:
            result.assessment = assessment_from_data(marshal.loads(blob), path)
        if score_blob is not None:
            result.score = score_from_data(json.loads(score_blob))
        # With a cache entry (ref), the model and scores are built on first use through
        # _RECENT (see _result_from_entry): nothing to build here.
        return result


def check_and_keep(validator: Checker, path: Path, cache: CheckCache | None, score: bool = False) -> _Checked:
    """Check one assessment and store what was found in the cache; also returns the entry
    (None for a file that cannot be read), the file's data (None when it did not pass the
    schema) and where the cache keeps them (None without a cache)."""
    state = _file_state(path)  # before reading (see _Recent.key)
    try:
        raw: bytes | None = read_bytes(path)
    except YamlError:
        raw = None  # the check reads the file again and reports why it cannot
    result, data = validator.check_assessment_keeping_data(path, raw)
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
