"""What a published edition shows, assessment by assessment, and what a later publication of it
changes: additions by companies (a self-assessment, replies to findings) or corrections of the
findings.

A published edition's findings stay frozen: a change to them is a correction, published only by
an editor with a reason (``hrdd publish --republish --reason``). A company's contributions merged
afterwards are additions: ``hrdd publish --merged`` (what the workflow runs on a push to main)
publishes them and records them, dated and with their commit, in the edition's record
(``Publication.additions``), its "What changed" page and its Atom feed. When nothing in the data
changed, nothing is published and nothing is recorded.

The record keeps two digests per assessment (``contents``): its findings (everything but the
replies and the sources only replies cite) and its replies. Comparing them with the record tells
the two kinds of change apart without keeping the published files.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from hrdd.models import Assessment
from hrdd.site import Scorecard

Contents = Mapping[str, Mapping[str, str]]
"""``<slug>/<cycle>/<independent|self>`` -> {"findings": sha256, "replies": sha256}."""


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def key_of(assessment: Assessment) -> str:
    kind = "self" if assessment.is_self_assessment else "independent"
    return f"{assessment.company.slug}/{assessment.cycle}/{kind}"


def digests(assessment: Assessment) -> dict[str, str]:
    """The findings' and the replies' digests of one assessment."""
    data = dataclasses.asdict(assessment)
    data.pop("path", None)
    replies: dict[str, Any] = {}
    for element_id, by_level in data["answers"].items():
        for level_id, answer in by_level.items():
            reply = answer.pop("reply", None)
            if reply is not None:
                replies[f"{element_id}/{level_id}"] = reply
    # Sources that only replies cite are the company's, added with its replies.
    cited = {e["source"] for by_level in data["answers"].values() for a in by_level.values() for e in a["evidence"]}
    for incident in data["incidents"]:
        cited.update(incident.get("sources", ()))
        response = incident.get("response") or {}
        cited.update(response.get("sources", ()))
    replied = {e["source"] for r in replies.values() for e in r.get("evidence", ())}
    data["sources"] = [s for s in data["sources"] if s["id"] in cited or s["id"] not in replied]
    return {"findings": _digest(data), "replies": _digest(replies)}


def contents(card: Scorecard) -> dict[str, dict[str, str]]:
    """What the scorecard's pages show, assessment by assessment (one assessment at a time in
    memory)."""
    return {key_of(a): digests(a) for a in (entry.assessment for entry in card.entries)}


@dataclasses.dataclass(frozen=True, slots=True)
class Changes:
    """Between a published edition's contents and the data now."""

    added: tuple[str, ...]
    """Contributions by companies, one sentence each."""
    corrected: tuple[str, ...]
    """Changes to findings, one sentence each: only a republication with a reason publishes them."""

    @property
    def none(self) -> bool:
        return not self.added and not self.corrected


def changes(before: Contents, card: Scorecard, now: Contents) -> Changes:
    names = {f"{e.slug}/{e.cycle}/{'self' if e.is_self else 'independent'}": e.facts.company.name for e in card.entries}
    added: list[str] = []
    corrected: list[str] = []
    for key in sorted(now):
        slug, cycle, kind = key.split("/")
        name = names.get(key, slug)
        old = before.get(key)
        if old is None:
            if kind == "self":
                added.append(f"{name}: self-assessment {cycle}")
            else:
                corrected.append(f"{name}: an independent assessment for {cycle} was added")
            continue
        if old.get("findings") != now[key]["findings"]:
            if kind == "self":
                added.append(f"{name}: self-assessment {cycle} updated")
            else:
                corrected.append(f"{name}: the findings of the {cycle} assessment changed")
        if old.get("replies") != now[key]["replies"]:
            added.append(f"{name}: replies to the {cycle} {'self-' if kind == 'self' else ''}assessment")
    for key in sorted(set(before) - set(now)):
        slug, cycle, kind = key.split("/")
        corrected.append(f"{slug}: the {cycle} {'self-' if kind == 'self' else ''}assessment was taken off")
    return Changes(added=tuple(added), corrected=tuple(corrected))
