"""``hrdd check-changes``: a pull request's check, of what it changed and what that depends on,
with a preview of the scores against the published scorecard.

A company's pull request changes one or two files, and the runner that checks it has no cache:
checking every file of a scorecard of a thousand companies costs the whole cold check before
the company learns anything about its file. What one assessment's verdict depends on is known:
its framework (found through the file), and the other assessment of the same company and cycle
(the independent one for a self-assessment, and back; see ``hrdd.check.files``). So
the check reads the changed assessments and those, and nothing else. A change to anything the
whole project depends on (a framework, a schema, hrdd's code, the site configuration) falls back
to the full check, and so does a change it cannot read from git. The full check still runs on
every push to main (the Publish workflow builds the whole site).

The preview scores each changed assessment that has no problem and places it among the
independent assessments of the published edition (``data/totals.csv`` of the published site,
given with ``published``): the rank it would have, with equal totals sharing a rank, as the
ranking page does. Self-assessments are never ranked: their preview shows the independent
assessment's total beside theirs.
"""

from __future__ import annotations

import csv
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from hrdd.errors import UsageError
from hrdd.models import Facts
from hrdd.project import display_path
from hrdd.score import AssessmentScore
from hrdd.validate import Report, Validator

_ASSESSMENT = re.compile(r"^assessments/(?P<slug>[^/]+)/(?P<cycle>[0-9]{4})(?P<self>-self)?\.yaml$")
# What every verdict depends on: a change here is checked with the whole project.
_WHOLE = ("frameworks/", "schema/", "src/", "pyproject.toml")


@dataclass(frozen=True, slots=True, kw_only=True)
class Preview:
    """One changed assessment's scores, and where they would stand."""

    facts: Facts
    score: AssessmentScore
    framework: str
    rank: int | None
    """Among the published edition's independent assessments of the same cycle and framework
    version (None: a self-assessment, no total, or nothing published to compare with)."""
    of: int
    """How many published independent assessments it was ranked among (itself included)."""
    independent_total: Decimal | None = None
    """For a self-assessment: the total of the independent assessment of the same cycle."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeCheck:
    report: Report
    changed: tuple[str, ...]
    """The changed assessment files, as the repository names them."""
    checked: tuple[Path, ...]
    full: str
    """Why the whole project was checked ("" when only the changes and what they depend on were)."""
    previews: tuple[Preview, ...]
    published: str
    """What the ranks were computed against, for the text ("" without published data)."""

    @property
    def ok(self) -> bool:
        return not self.report.problems

    def text(self) -> str:
        if self.full:
            lines = [f"full check ({self.full}): {len(self.checked)} files"]
        elif not self.changed:
            lines = ["no assessment changed"]
        else:
            shown = ", ".join(self.changed)
            extra = len(self.checked) - len(self.changed)
            lines = [f"checked {shown}" + (f" and {extra} file(s) it depends on" if extra > 0 else "")]
        if self.previews:
            against = f" against {self.published}" if self.published else " (no published scorecard to rank against)"
            lines.append(f"score preview{against}:")
            for p in self.previews:
                lines.append("  " + _preview_line(p))
        return "\n".join(lines) + "\n"


def _preview_line(p: Preview) -> str:
    f = p.facts
    kind = "self-assessment" if f.assessor.type == "self" else "independent assessment"
    total = "n/a" if p.score.total is None else str(p.score.total)
    cats = ", ".join(f"{k} {'n/a' if v is None else v}" for k, v in p.score.categories.items())
    line = f"{f.company.name} {f.cycle} {kind} ({p.framework}): total {total}"
    if cats:
        line += f" ({cats})"
    if f.assessor.type == "self":
        beside = "" if p.independent_total is None else f"; the independent assessment: {p.independent_total}"
        return line + beside + "; self-assessments are not ranked"
    if p.rank is not None:
        return line + f"; rank {p.rank} of {p.of} in the published {f.cycle} ranking"
    return line + "; no rank (nothing published to compare with, or no total)"


def _git_changed(root: Path, base: str, head: str) -> list[str] | None:
    """Files changed between the merge base of ``base`` and ``head``; None when git cannot say."""
    done = subprocess.run(
        [
            "git",
            "diff",
            "--relative",
            "--name-only",
            "-z",
            "--no-renames",
            "--diff-filter=AMT",
            f"{base}...{head}",
            "--",
        ],
        cwd=root,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise UsageError(f"git cannot compare {head} with {base}: {message}")
    return [p for p in done.stdout.decode("utf-8", "surrogateescape").split("\0") if p]


def published_totals(path: Path) -> list[dict[str, str]]:
    """The rows of a published ``data/totals.csv``."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise UsageError(f"cannot read the published totals {display_path(path)}: {exc.strerror}") from exc
    needed = {"company", "cycle", "assessor_type", "framework", "framework_version", "total"}
    if rows and not needed <= set(rows[0]):
        raise UsageError(f"{display_path(path)} is not a data/totals.csv of a published scorecard")
    return rows


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def _rank(facts: Facts, total: Decimal, rows: Sequence[dict[str, str]]) -> tuple[int, int]:
    """Competition rank among the published independent totals of the same cycle and version."""
    others = [
        value
        for row in rows
        if row["assessor_type"] == "independent"
        and row["cycle"] == str(facts.cycle)
        and row["framework"] == facts.framework_id
        and row["framework_version"] == facts.framework_version
        and row["company"] != facts.company.slug
        and (value := _decimal(row["total"])) is not None
    ]
    return 1 + sum(1 for v in others if v > total), len(others) + 1


def check_changes(
    root: Path,
    validator: Validator,
    *,
    base: str,
    head: str = "HEAD",
    published: Path | None = None,
    cache_dir: Path | None = None,
) -> ChangeCheck:
    """Check what ``head`` changed since it left ``base`` (and what that depends on), and
    preview the changed assessments' scores; see the module."""
    changed = _git_changed(root, base, head) or []
    whole = sorted({p for p in changed if p.startswith(_WHOLE)})
    assessments = sorted(p for p in changed if _ASSESSMENT.match(p))
    absent = [p for p in assessments if not (root / p).is_file()]
    if absent:
        # The files are read from the working tree: it must be the change being checked.
        raise UsageError(f"{absent[0]} changed in {head} but is not in the working tree; check out {head} first")
    full = ""
    if whole:
        full = f"{whole[0]} changed" + (f" and {len(whole) - 1} more" if len(whole) > 1 else "")
        paths = [p for p in (validator.frameworks_dir, root / "assessments") if p.exists()]
    else:
        wanted: list[Path] = []
        for rel in assessments:
            match = _ASSESSMENT.match(rel)
            assert match is not None
            wanted.append(root / rel)
            other = f"assessments/{match['slug']}/{match['cycle']}{'' if match['self'] else '-self'}.yaml"
            if (root / other).is_file() and other not in assessments:
                wanted.append(root / other)
        paths = wanted
    report = (
        validator.check_paths(paths, cache_dir=cache_dir, score=True, progress=False) if paths else Report(files=())
    )
    rows = published_totals(published) if published is not None else []
    by_path = {f.path.resolve(): f for f in report.files}
    previews: list[Preview] = []
    for rel in assessments:
        found = by_path.get((root / rel).resolve())
        if found is None or found.problems or found.framework is None:
            continue
        facts, score = found.facts(), found.score
        if facts is None or score is None:
            continue
        rank: int | None = None
        of = 0
        independent_total: Decimal | None = None
        if facts.assessor.type == "self":
            twin = by_path.get((root / f"assessments/{facts.company.slug}/{facts.cycle}.yaml").resolve())
            if twin is not None and twin.score is not None and not twin.problems:
                independent_total = twin.score.total
        elif rows and score.total is not None:
            rank, of = _rank(facts, score.total, rows)
        previews.append(
            Preview(
                facts=facts,
                score=score,
                framework=f"{found.framework.id} {found.framework.version}",
                rank=rank,
                of=of,
                independent_total=independent_total,
            )
        )
    return ChangeCheck(
        report=report,
        changed=tuple(assessments),
        checked=tuple(f.path for f in report.files),
        full=full,
        previews=tuple(previews),
        published=display_path(published) if published is not None and rows else "",
    )
