"""What a company's answers page shows for each answer, read from its visible text: the page
writes each answer as ``<p id="a-<element>-<level>"><b>[Level: ]Label, N points.</b> comment</p>``
and carries no data attributes with the answer or the points (issue #21 item 9: the text says
them already), so the tests compare what a reader sees."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hrdd.validate import load_framework
from tests.site.sitecheck import elements

_ANSWER = re.compile(r"(?P<lead>.+), (?:(?P<points>-?\d+(?:\.\d+)?) points|not scored)\.")


def shown_answers(html: str) -> dict[str, tuple[str, float | None]]:
    """Anchor (``a-<element>-<level>``) -> (the bold lead before the points: the answer's label,
    after the level's name and ": " where the page names the level; the points, None when the
    answer is not scored), for every answer on the page."""
    els = elements(html)
    shown: dict[str, tuple[str, float | None]] = {}
    for n, e in enumerate(els):
        if not e.attrs.get("id", "").startswith("a-"):
            continue
        lead = els[n + 1]
        assert (e.tag, lead.tag) == ("p", "b"), (e, lead)
        match = _ANSWER.fullmatch(" ".join(lead.text.split()))
        assert match is not None, lead.text
        assert e.attrs["id"] not in shown, e.attrs["id"]
        shown[e.attrs["id"]] = (match["lead"], None if match["points"] is None else float(match["points"]))
    return shown


def says(lead: str, label: str) -> bool:
    """``lead`` is the answer's ``label``, alone or after a level's name."""
    return lead == label or lead.endswith(": " + label)


def answer_labels(framework_file: Path) -> dict[str | None, str]:
    """Answer id -> label, from the framework's own file (None: not answered)."""
    fw = load_framework(framework_file)
    return {None: "Not answered", **{a.id: a.label for a in fw.answers}}


def expected_answers(
    score: Mapping[str, Any], indicators: set[str] | None = None
) -> dict[str, tuple[str | None, float | None]]:
    """Anchor -> (answer id, points) of one entry of `hrdd score --format json` (only the
    ``indicators`` given, when given)."""
    return {
        f"a-{el}-{lv}": (v["answer"], v["points"])
        for i, s in score["indicators"].items()
        if indicators is None or i in indicators
        for el, by_level in s.get("elements", {}).items()
        for lv, v in by_level.items()
    }
