"""What the pages should show, worked out without ``hrdd.site``: from the YAML files themselves and
from ``hrdd score --format json``, the command whose numbers the site promises to repeat."""

from __future__ import annotations

import contextlib
import functools
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from hrdd.cli import main


@dataclass(frozen=True)
class Filed:
    """One assessment file, as its YAML says."""

    path: Path
    data: dict[str, Any]

    @property
    def slug(self) -> str:
        return str(self.data["company"]["slug"])

    @property
    def cycle(self) -> int:
        return int(self.data["cycle"])

    @property
    def assessor(self) -> str:
        return str(self.data["assessor"]["type"])

    @property
    def published(self) -> bool:
        return bool(self.data["status"] == "published")

    @property
    def company(self) -> dict[str, Any]:
        company: dict[str, Any] = self.data["company"]
        return company

    def answers(self) -> dict[tuple[str, str], str]:
        """(element, level) -> answer id."""
        return {(el, lv): a["answer"] for el, by_level in self.data["answers"].items() for lv, a in by_level.items()}


# libyaml's loader when PyYAML has it: the demo files are large and the pure-Python one is slow.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def filed(project: Path) -> tuple[Filed, ...]:
    """Every assessment file of a project (read once per session)."""
    return tuple(
        Filed(path=p, data=yaml.load(p.read_text(encoding="utf-8"), Loader=_Loader))
        for p in sorted((project / "assessments").glob("*/*.yaml"))
    )


def in_edition(project: Path, edition: int) -> list[Filed]:
    """The published assessments of one cycle: exactly what the edition's ranking lists."""
    return [f for f in filed(project) if f.published and f.cycle == edition]


Key = tuple[str, int, str]
"""(company slug, cycle, assessor type)"""


def cli_scores(project: Path) -> dict[Key, dict[str, Any]]:
    """``hrdd score --format json`` for the whole project, run in-process, by assessment."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["score", "--format", "json", "--project", str(project)])
    assert code == 0, out.getvalue()
    return {(s["company"]["slug"], s["cycle"], s["assessor"]["type"]): s for s in json.loads(out.getvalue())}


def number(text: str | None) -> float | None:
    """A number as a page shows it (in a data attribute or as text) and as the JSON has it."""
    if text is None or text.strip() in ("", "n/a"):
        return None
    return float(text)


@functools.cache
def _framework(framework_id: str, version: str) -> Any:
    from hrdd.validate import load_framework

    return load_framework(Path(__file__).resolve().parents[2] / "frameworks" / framework_id / f"{version}.yaml")


def applying(score: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(category ids, indicator ids) a company page shows for one entry of ``hrdd score --format
    json``: in a framework with sectors, what applies to the company's sector (a page leaves out
    other sectors' modules, which the JSON lists without a score); everything otherwise."""
    fw = _framework(score["framework"]["id"], score["framework"]["version"])
    indicators = {
        ind.id
        for top in fw.indicators
        if fw.indicator_applies_to_sector(top, score["sector"])
        for ind in (top, *top.subindicators)
    }
    categories = {fw.indicator(i).category for i in indicators}
    return categories, indicators
