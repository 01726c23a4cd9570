"""An assessment's narrative fields: key findings, recommendations, changes since the previous
cycle and a note per category (all optional).

The format is plain text, with two conventions and nothing else: a blank line separates
paragraphs, and a line that starts with ``- `` is a list item. Nothing in it is markup: a page
escapes it like any other text of an assessment, and may turn a written-out ``http://`` or
``https://`` address into a link (no other scheme ever becomes one). Plain text rather than a
Markdown subset because it is what people paste, it reads the same in the YAML, the CSV and
on the page, and there is no parser to harden; RDR's HTML is converted into it on import
(``hrdd.importers.rdr_text.html_text``: a link's http(s) address is kept in brackets after its
text).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from hrdd.models import Assessment, Framework

LIST_FIELDS = ("key_findings", "recommendations", "changes")
"""The list-of-texts fields, in the order a page shows them."""
NOTES_FIELD = "category_notes"

TITLES = {
    "key_findings": "Key findings",
    "recommendations": "Recommendations",
    "changes": "Changes since the previous cycle",
    "category_notes": "Notes per category",
}

# A URL-like token with a scheme other than http(s) (javascript:, data:, file:, vbscript:...).
# Inert anyway (the text is escaped), but a reader could copy it: refused with its place.
_OTHER_SCHEME_RE = re.compile(r"(?<![\w.+-])(?!https?:)([a-z][a-z0-9+.-]{1,20}):(?://|[^\s\d])", re.IGNORECASE)
_SCHEMES_REFUSED = frozenset({"javascript", "data", "vbscript", "file"})

Add = Callable[..., None]


def data_of(assessment: Assessment) -> dict[str, Any]:
    """The narrative fields of ``assessment`` as the downloads write them (empty ones included,
    so that every assessment's JSON has the same keys)."""
    return {
        "key_findings": list(assessment.key_findings),
        "recommendations": list(assessment.recommendations),
        "changes": list(assessment.changes),
        "category_notes": dict(assessment.category_notes),
    }


def flat(items: tuple[str, ...] | list[str]) -> str:
    """The items of a list field in one CSV cell: one per paragraph, separated by a blank line."""
    return "\n\n".join(items)


def texts(assessment: Assessment) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every narrative text of ``assessment`` with its place in the file."""
    for name in LIST_FIELDS:
        for n, text in enumerate(getattr(assessment, name)):
            yield (name, n), text
    for category, text in assessment.category_notes.items():
        yield (NOTES_FIELD, category), text


def problem_of(text: str) -> str | None:
    """Why ``text`` is refused, or None."""
    for match in _OTHER_SCHEME_RE.finditer(text):
        if match.group(1).lower() in _SCHEMES_REFUSED:
            scheme = match.group(1).lower()
            return f"contains a {scheme}: address; only http:// and https:// addresses may be written out"
    return None


def check_assessment(assessment: Assessment, framework: Framework, add: Add) -> None:
    """Each note names one of the framework's categories; no text carries a javascript:, data:,
    vbscript: or file: address. (Control characters and line breaks: ``hrdd.limits``.)"""
    categories = [c.id for c in framework.categories]
    notes: Mapping[str, str] = assessment.category_notes
    for category in notes:
        if category not in categories:
            add(
                (NOTES_FIELD, category),
                f"category_notes: unknown category {category!r}; use one of: {', '.join(categories)}",
                "unknown-ref",
                True,
            )
    for where, text in texts(assessment):
        problem = problem_of(text)
        if problem is not None:
            name, key = where
            shown = f"{name}[{key}]" if isinstance(key, int) else f"{name}.{key}"
            add(where, f"{shown}: {problem}", "narrative")
