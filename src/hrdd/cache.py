"""Where check results are kept between runs: ``.hrdd-cache/checks/`` in the project.

Checking an assessment costs about ten milliseconds; a project of a few thousand files is
checked again on every ``hrdd validate``, ``score``, ``build`` and every edit under ``hrdd serve``.
The cache records what checking one file found (its problems, which framework it answers, its
data when it passed the schema, and its scores when it was scored) and replays that while
nothing it depends on has changed. Scores depend on nothing the key leaves out: the file and
its framework.

An entry is used only when its key matches, and the key is the SHA-256 of everything the
verdict depends on:

* the file's bytes, and its path as given, absolute and resolved (the layout checks and every
  message depend on them), and the working directory (messages name paths relative to it);
* the context: hrdd's version and the source of the modules that check and score (a changed
  check is a new hrdd),
  the JSON Schemas, the name, kind and bytes of everything under the frameworks folder (an
  assessment's problems depend on its framework and on which versions exist), the assessments
  folder, and the versions of Python, PyYAML and jsonschema (their messages appear in ours).

So the cache never changes a verdict: a file with problems has them replayed, word for word.
An entry that cannot be read, does not parse, has another format or key, or whose header or
data does not match its checksum is ignored and the file is checked again. Entries are written atomically
(a temporary file, then a rename), so concurrent runs never see half an entry.

One entry per checked path: its file name is a hash of the path (and working directory), so a
file edited a hundred times still has one entry. The folder is safe to delete at any time.

The cache trusts its folder: anyone who can write there can make a run report anything. It is
ignored by git; CI jobs should start without one (a fresh clone has none).
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
import os
import platform
import sys
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

import hrdd
from hrdd.models import Assessor, Company, Dates, Facts, Level, fast_new
from hrdd.project import schema_dir
from hrdd.score import AssessmentScore, Coverage, ElementScore, IndicatorScore

FORMAT = 4
"""Version of the entry layout; entries of another format are ignored."""

FOLDER = "checks"
"""Sub-folder of the project's ``.hrdd-cache`` holding the entries."""

CHECKING_MODULES = (
    "__init__.py",
    "errors.py",
    "yamlio.py",
    "layout.py",
    "limits.py",
    "load.py",
    "models.py",
    "validate.py",
    "runner.py",
    "check/__init__.py",
    "check/ids.py",
    "check/result.py",
    "check/schema.py",
    "check/framework.py",
    "check/assessment.py",
    "check/files.py",
    "feedback.py",
    "score.py",
    "cache.py",
    "project.py",
    "placeholders.py",
    "sectors.py",
    "narrative.py",
)
"""The modules whose code decides a verdict or a score: a change to any of them is a new hrdd for
the cache (editing the site's or the command line's code leaves the cache alone)."""

Row = tuple[int, int, str, str]
"""A problem as stored: line, column, message, code (the path is the checked file's)."""


class CacheMiss(Exception):
    """Raised by ``CheckCache.data`` and ``.score`` when an entry's data is gone or damaged."""


@dataclass(frozen=True, slots=True)
class Entry:
    """What checking one file found, as the cache keeps it."""

    shown: str
    """The file's path as messages show it."""
    problems: tuple[Row, ...]
    framework: tuple[str, str] | None
    """(id, version) of the framework the file was checked against, when it was found valid."""
    identity: tuple[str, int, str] | None
    """(company slug, cycle, assessor type) when the file passed the schema."""
    has_data: bool
    """Whether the entry holds the file's data (it passed the schema)."""
    has_score: bool = False
    """Whether the entry holds the assessment's scores (it was scored: no problems)."""
    facts: dict[str, Any] | None = None
    """The assessment's facts (``Assessment.facts``, as ``facts_to_data`` gives them) when the file
    passed the schema: kept in the header, so that a site reads them without reading the whole
    assessment (and made ``Facts`` only then: a run that checks does not need them)."""


@dataclass(frozen=True, slots=True)
class Ref:
    """Where an entry is: enough to read its data and scores later."""

    file: Path
    key: str


class CheckCache:
    """The entries for one project and one context (see the module docstring).

    An entry file is three lines: a JSON header (format, key, the verdict, the facts, the other
    lines' checksums) after its own checksum, the assessment's scores as JSON (see
    ``score_to_data``), and the file's data as JSON. A run that only needs verdicts reads the
    first line, one that needs scores the first two.
    """

    def __init__(self, folder: Path, context: str) -> None:
        self.folder = folder
        self.context = context
        self.cwd = os.getcwd()
        self._real_dirs: dict[str, str] = {}

    @classmethod
    def for_project(cls, cache_dir: Path, frameworks_dir: Path, assessments_dir: Path | None) -> CheckCache:
        """The cache in ``cache_dir`` (a project's ``.hrdd-cache``) for checks against these folders."""
        return cls(cache_dir / FOLDER, context_hash(frameworks_dir, assessments_dir))

    def key(self, path: Path, raw: bytes) -> str:
        """The key of ``path`` with content ``raw`` (read as ``read_yaml`` reads it: never
        through a symbolic link, so only its folder can resolve elsewhere)."""
        absolute = os.path.abspath(path)
        folder, name = os.path.split(absolute)
        real = self._real_dirs.get(folder)
        if real is None:  # one realpath per folder, not per file: it costs a system call per part
            real = self._real_dirs[folder] = os.path.realpath(folder)
        digest = hashlib.sha256()
        for part in (self.context, str(path), absolute, os.path.join(real, name), self.cwd):
            digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(raw)
        return digest.hexdigest()

    def has(self, path: Path) -> bool:
        """Whether ``path`` has an entry, current or not (one stat, no reading or hashing)."""
        return (self.folder / _slot(path)).is_file()

    def get(self, path: Path, key: str) -> tuple[Entry, Ref] | None:
        """The entry for ``path`` if its key is ``key``; None when there is none or it is unusable."""
        file = self.folder / _slot(path)
        try:
            with file.open("rb") as handle:
                header = _header(handle.readline())
            if header["format"] != FORMAT or header["key"] != key:
                return None
            entry = Entry(
                shown=str(header["shown"]),
                problems=tuple((int(r[0]), int(r[1]), str(r[2]), str(r[3])) for r in header["problems"]),
                framework=_pair(header["framework"]),
                identity=_identity(header["identity"]),
                has_data=bool(header["has_data"]),
                has_score=bool(header["has_score"]),
                facts=header["facts"],
            )
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None  # missing, unreadable or damaged: check the file again
        return entry, Ref(file, key)

    def data(self, ref: Ref) -> Any:
        """The data stored with an entry. Raises ``CacheMiss`` if it is gone or damaged."""
        return self._part(ref, 2)

    def score(self, ref: Ref) -> AssessmentScore:
        """The scores stored with an entry. Raises ``CacheMiss`` if they are gone or damaged."""
        try:
            return score_from_data(self._part(ref, 1))
        except (ValueError, KeyError, TypeError, IndexError, ArithmeticError) as exc:
            raise CacheMiss(f"cache entry {ref.file} holds no usable scores: {exc}") from exc

    def _part(self, ref: Ref, number: int) -> Any:
        try:
            with ref.file.open("rb") as handle:
                lines = [handle.readline() for _ in range(number + 1)]
            header = _header(lines[0])
            part = lines[number].removesuffix(b"\n")
            if header["key"] != ref.key or header["checksums"][number - 1] != hashlib.sha256(part).hexdigest():
                raise CacheMiss(f"cache entry {ref.file} changed or is damaged")
            return json.loads(part)
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            raise CacheMiss(f"cache entry {ref.file} cannot be read: {exc}") from exc

    def put(self, path: Path, key: str, entry: Entry, data: Any, score: AssessmentScore | None = None) -> Ref | None:
        """Store an entry (best effort: a cache that cannot be written is just not used)."""
        # JSON never contains a raw line break, so the three parts can be told apart by lines.
        # ensure_ascii=False keeps non-ASCII text readable and small; a lone surrogate (possible
        # through a YAML escape) cannot be written as UTF-8, so such a file is not cached.
        try:
            parts = [
                _json(score_to_data(score)) if score is not None else b"",
                _json(data) if entry.has_data else b"",
            ]
        except (UnicodeEncodeError, ValueError):
            return None
        header = {
            "format": FORMAT,
            "key": key,
            "shown": entry.shown,
            "problems": entry.problems,
            "framework": entry.framework,
            "identity": entry.identity,
            "has_data": entry.has_data,
            "has_score": score is not None,
            "facts": entry.facts,
            "checksums": [hashlib.sha256(part).hexdigest() for part in parts],
        }
        file = self.folder / _slot(path)
        try:
            line = json.dumps(header, ensure_ascii=True).encode("ascii")
            content = b"\n".join([hashlib.sha256(line).hexdigest().encode("ascii") + b" " + line, *parts])
            file.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=file.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(content)
                os.replace(temp, file)
            except BaseException:
                os.unlink(temp)
                raise
        except (OSError, UnicodeEncodeError, ValueError):
            return None
        return Ref(file, key)


def _header(line: bytes) -> Any:
    """The header on an entry's first line. Raises ValueError if it is not what was written:
    it holds the verdict that is replayed."""
    digest, _, header = line.removesuffix(b"\n").partition(b" ")
    if hashlib.sha256(header).hexdigest().encode("ascii") != digest:
        raise ValueError("damaged header")
    return json.loads(header)


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --- scores as plain data ------------------------------------------------------------------


def _dec(value: Decimal | None) -> str | None:
    # The string keeps the exponent: Decimal("50.00") comes back as 50.00, not 50.
    return None if value is None else str(value)


class _Shared(dict[Any, Any]):
    """One object per distinct value, made on first use and shared after that.

    Scores repeat a few values (0.00, 50.00, 100.00) and a few hundred ids in every assessment;
    sharing one immutable object per value keeps thousands of scores small, and a dictionary
    lookup is the cheapest way to get one (no Python call unless the value is new).
    """

    def __init__(self, make: Any) -> None:
        super().__init__({None: None})
        self.make = make

    def __missing__(self, key: Any) -> Any:
        value = self.make(key)
        if len(self) < 100_000:  # bounded whatever a damaged cache holds
            self[key] = value
        return value


_DECIMALS = _Shared(Decimal)
_IDS = _Shared(sys.intern)


_new_element = fast_new(ElementScore, ("element", "level", "answer", "points"))


def _element_score(stored: tuple[Any, ...]) -> ElementScore:
    element, level, answer, points = stored  # exactly four, or the entry is damaged
    made: ElementScore = _new_element(_IDS[element], _IDS[level], _IDS[answer], _DECIMALS[points])
    return made


_ELEMENT_SCORES = _Shared(_element_score)
"""Element scores by their stored form: the same answer to the same element at the same level
gives the same points in every assessment of a framework, so thousands of assessments share a
few thousand objects (frozen) instead of holding a hundred and fifty each."""
_new_indicator = fast_new(IndicatorScore, ("indicator", "score", "levels", "company_side", "unit_side"))


def _undec(value: str | None) -> Decimal | None:
    found: Decimal | None = _DECIMALS[value]
    return found


def score_to_data(score: AssessmentScore) -> dict[str, Any]:
    """An ``AssessmentScore`` as JSON-ready data; ``score_from_data`` gives back an equal one."""
    return {
        "framework": score.framework,
        "company": score.company,
        "cycle": score.cycle,
        "assessor_type": score.assessor_type,
        "total": _dec(score.total),
        "core_total": _dec(score.core_total),
        "categories": {k: _dec(v) for k, v in score.categories.items()},
        "indicators": [
            [
                key,
                s.indicator,
                _dec(s.score),
                {k: _dec(v) for k, v in s.levels.items()},
                _dec(s.company_side),
                _dec(s.unit_side),
            ]
            for key, s in score.indicators.items()
        ],
        "elements": [[e.element, e.level, e.answer, _dec(e.points)] for e in score.elements],
        "coverage": [
            score.coverage.applicable,
            score.coverage.answered,
            score.coverage.not_applicable,
            score.coverage.with_evidence,
        ],
    }


def score_from_data(data: dict[str, Any]) -> AssessmentScore:
    """The ``AssessmentScore`` that ``score_to_data`` was given.

    Ids (elements, levels, answers, indicators) and numbers are shared between scores (see
    ``_Shared``).
    """
    ids, dec, shared = _IDS, _DECIMALS, _ELEMENT_SCORES
    applicable, answered, not_applicable, with_evidence = data["coverage"]
    return AssessmentScore(
        framework=ids[data["framework"]],
        company=data["company"],
        cycle=data["cycle"],
        assessor_type=ids[data["assessor_type"]],
        total=dec[data["total"]],
        core_total=dec[data["core_total"]],
        categories={ids[k]: dec[v] for k, v in data["categories"].items()},
        indicators={
            ids[key]: _new_indicator(
                ids[indicator],
                dec[value],
                {ids[k]: dec[v] for k, v in levels.items()},
                dec[company_side],
                dec[unit_side],
            )
            for key, indicator, value, levels, company_side, unit_side in data["indicators"]
        },
        elements=tuple([shared[tuple(e)] for e in data["elements"]]),
        coverage=Coverage(
            applicable=applicable, answered=answered, not_applicable=not_applicable, with_evidence=with_evidence
        ),
    )


# --- facts as plain data -------------------------------------------------------------------


def facts_to_data(facts: Facts) -> dict[str, Any]:
    """``Facts`` as JSON-ready data; ``facts_from_data`` gives back equal ones."""
    return {
        "company": dataclasses.asdict(facts.company),
        "framework": [facts.framework_id, facts.framework_version],
        "cycle": facts.cycle,
        "assessor": dataclasses.asdict(facts.assessor),
        "status": facts.status,
        "levels": [[lv.id, lv.name, lv.kind] for lv in facts.levels],
        "dates": dataclasses.asdict(facts.dates),
        "newest": facts.newest,
    }


def facts_from_data(data: dict[str, Any]) -> Facts:
    framework_id, framework_version = data["framework"]
    return Facts(
        company=Company(**data["company"]),
        framework_id=str(framework_id),
        framework_version=str(framework_version),
        cycle=int(data["cycle"]),
        assessor=Assessor(**data["assessor"]),
        status=data["status"],
        levels=tuple(Level(id=i, name=n, kind=k) for i, n, k in data["levels"]),
        dates=Dates(**data["dates"]),
        newest=data["newest"],
    )


def _slot(path: Path) -> str:
    """The entry file of a path: one per path (and working directory), in 256 sub-folders."""
    name = hashlib.sha256(f"{os.path.abspath(path)}\0{path}".encode("utf-8", "surrogateescape")).hexdigest()[:40]
    return f"{name[:2]}/{name}"


def _pair(value: Any) -> tuple[str, str] | None:
    return None if value is None else (str(value[0]), str(value[1]))


def _identity(value: Any) -> tuple[str, int, str] | None:
    return None if value is None else (str(value[0]), int(value[1]), str(value[2]))


def context_hash(frameworks_dir: Path, assessments_dir: Path | None) -> str:
    """SHA-256 of everything besides the file itself that a check's outcome depends on."""
    digest = hashlib.sha256()

    def add(*parts: str | bytes) -> None:
        for part in parts:
            digest.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogateescape"))
            digest.update(b"\0")

    add(
        f"format {FORMAT}",
        f"hrdd {hrdd.__version__}",
        f"python {platform.python_version()} pyyaml {yaml.__version__} jsonschema {_version('jsonschema')}",
        str(frameworks_dir),
        os.path.abspath(frameworks_dir),
        str(assessments_dir),
        os.path.abspath(assessments_dir) if assessments_dir is not None else "",
        str(assessments_dir.resolve()) if assessments_dir is not None else "",
    )
    package = Path(hrdd.__file__).parent
    for name in CHECKING_MODULES:
        add(name, (package / name).read_bytes())
    for schema in sorted(schema_dir().glob("*.json")):
        add(schema.name, schema.read_bytes())
    add("frameworks", str(frameworks_dir.resolve()) if frameworks_dir.exists() else "(none)")
    if frameworks_dir.is_dir():
        for item in sorted(frameworks_dir.rglob("*")):
            rel = item.relative_to(frameworks_dir).as_posix()
            if item.is_symlink():
                add("link", rel, os.readlink(item))
            elif item.is_dir():
                add("dir", rel)
            elif item.is_file():
                add("file", rel, item.read_bytes())
            else:
                add("other", rel)
    return digest.hexdigest()


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"
