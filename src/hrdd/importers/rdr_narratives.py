"""RDR's own words on each company (``companies/<Name>.json`` of RDR's site data): key
takeaways, key findings, changes since the previous edition, key recommendations and a
paragraph per category, as RDR's HTML. Converted to the plain text of ``hrdd.narrative``
(``rdr_text.html_text``: no markup survives; a link keeps its text and, when it is an absolute
http(s) address, the address in brackets).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hrdd.errors import ImportFormatError
from hrdd.importers.rdr_text import html_text

# RDR's field -> hrdd's field; the takeaways come first among the key findings (RDR shows
# them first), then RDR's longer key-findings text, a paragraph per item.
_LISTS = (
    ("keyTakeaways", "key_findings"),
    ("keyFindings", "key_findings"),
    ("changes", "changes"),
    ("keyRecommendation", "recommendations"),
)
_NOT_CATEGORIES = frozenset(
    {"id", "printName", "basicInformation", *(k for k, _ in _LISTS), *(f"{k}Title" for k, _ in _LISTS)}
)


def read_folder(folder: Path) -> dict[str, dict[str, Any]]:
    """Every ``*.json`` company file in ``folder`` by the company's id and print name (case-folded)."""
    if not folder.is_dir():
        raise ImportFormatError(f"{folder}: no such folder (RDR's per-company texts, companies/*.json)")
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ImportFormatError(f"{path}: cannot read RDR's company text: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            raise ImportFormatError(f"{path}: expected a JSON object with a string 'id' (RDR's company file)")
        for name in (data["id"], data.get("printName"), path.stem):
            if isinstance(name, str) and name.strip():
                found.setdefault(name.strip().casefold(), data)
    return found


def items(html: str) -> list[str]:
    """The text of an HTML fragment as items: each list item, and each run of other lines
    (a paragraph), is one."""
    out: list[str] = []
    for paragraph in html_text(html).split("\n\n"):
        run: list[str] = []
        for line in paragraph.split("\n"):
            if line.startswith("- "):
                if run:
                    out.append("\n".join(run))
                    run = []
                if line[2:].strip():
                    out.append(line[2:].strip())
            else:
                run.append(line)
        if run:
            out.append("\n".join(run))
    return [i for i in out if i.strip()]


def narrative_data(raw: Mapping[str, Any], categories: Mapping[str, str]) -> dict[str, Any]:
    """The assessment's narrative fields from RDR's company file; ``categories`` maps each
    category id to its title. A category paragraph is matched to the category whose title
    starts with RDR's key (``freedom`` -> "Freedom of Expression and Information")."""
    data: dict[str, Any] = {}
    for rdr_key, field in _LISTS:
        value = raw.get(rdr_key)
        if isinstance(value, str):
            found = items(value)
            if found:
                data.setdefault(field, []).extend(found)
    notes: dict[str, str] = {}
    for key, value in raw.items():
        if key in _NOT_CATEGORIES or not isinstance(value, str):
            continue
        match = [c for c, title in categories.items() if title.casefold().startswith(key.casefold())]
        text = html_text(value)
        if len(match) == 1 and text:
            notes[match[0]] = text
    if notes:
        data["category_notes"] = {c: notes[c] for c in categories if c in notes}
    return data
