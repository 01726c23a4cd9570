"""What a file must keep to for the site to render it, beyond what the JSON Schemas say.

The promise: whatever the checks accept, the build renders. JSON Schema cannot say some of it, so
it is checked here, on the data that passed the schema, before anything else reads it:

* text is text: no lone surrogate (``"\\ud800"`` in a double-quoted YAML string decodes to one, and
  no file, page or data file can encode it) and no control character but tab, line feed and
  carriage return (the YAML reader refuses them written out; escapes such as ``"\\x1b"`` bring them
  back);
* one-line fields are one line: names, titles, ids, labels, links and the like hold no line break
  (a blank line in a name would end the HTML block that shows it). Only the fields in
  ``MULTILINE`` may hold several lines;
* dates lie between ``FIRST_DATE`` and ``LAST_DATE``: the schema's ``format: date`` accepts any year
  up to 9999, but the site's build date (SOURCE_DATE_EPOCH, which MkDocs writes into a gzip header
  of 32 bits) cannot pass 2106-02-07, and no cycle is later than 2100.

Numbers are bounded in the schemas (``maximum``) and by the YAML reader (no infinity, no integer of
hundreds of digits). tests/unit/test_invariant.py generates documents from the schemas and checks
that every one these checks accept is built.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from hrdd.yamlio import JsonPath, dotted

FIRST_DATE = "1900-01-01"
LAST_DATE = "2100-12-31"
"""The last day of the last cycle the assessment schema allows."""

# Every field that may hold several lines, by kind of file, as JSON paths with "*" for any list
# index or any key the file chooses (element and level ids). Everything else is one line.
MULTILINE: dict[str, frozenset[JsonPath]] = {
    "assessment": frozenset(
        {
            ("company", "description"),
            ("summary",),
            ("answers", "*", "*", "comment"),
            ("answers", "*", "*", "evidence", "*", "quote"),
            ("answers", "*", "*", "reply", "text"),
            ("answers", "*", "*", "reply", "evidence", "*", "quote"),
            ("incidents", "*", "allegation"),
            ("incidents", "*", "response", "text"),
            ("incidents", "*", "assessment", "comment"),
            ("key_findings", "*"),
            ("recommendations", "*"),
            ("changes", "*"),
            ("category_notes", "*"),
        }
    ),
    "framework": frozenset(
        {
            ("summary",),
            ("licence",),
            ("attribution", "text"),
            ("indicators", "*", "standard"),
            ("indicators", "*", "guidance"),
            ("indicators", "*", "elements", "*", "text"),
            ("indicators", "*", "elements", "*", "guidance"),
            ("changelog", "*", "note"),
        }
    ),
}

# Keys whose values are dates (the schema's "format: date"), in either kind of file.
DATE_KEYS = frozenset({"research_start", "research_end", "published", "document_date", "accessed", "date", "released"})

# Keys whose values the schemas declare "integer" (with the lists under "ungp").
INTEGER_KEYS = frozenset({"cycle", "decimals"})

# Any character that is not text: C0 controls but tab, line feed and carriage return; DEL and the
# C1 controls; lone surrogates; the two non-characters U+FFFE and U+FFFF.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAK = re.compile("[\n\r\u2028\u2029]")
_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]")
"""Either of the above, or a tab: what a string must hold to need a closer look."""
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def problems(data: Any, kind: str) -> Iterator[tuple[JsonPath, str, str, bool]]:
    """(where, message, code, at the key) for each thing in ``data`` (a document of ``kind``,
    "assessment" or "framework", that passed its schema) that the site could not render."""
    found: list[tuple[JsonPath, str, str, bool]] = []
    _walk(data, (), MULTILINE[kind], found)
    return iter(found)


def _walk(
    value: Any, where: JsonPath, multiline: frozenset[JsonPath], found: list[tuple[JsonPath, str, str, bool]]
) -> None:
    # Runs over every value of every file: a path is made only for containers and for values with
    # something to report, and a string is searched once (``_SUSPECT``) unless it has a problem.
    if isinstance(value, dict):
        for key, item in value.items():
            if _SUSPECT.search(key):
                found.append(
                    ((*where, key), f"{dotted((*where, key))}: {_what(key)} in a key; remove it", "text", True)
                )
            if isinstance(item, str):
                if _SUSPECT.search(item) or key in DATE_KEYS:
                    found.extend(_text_problems((*where, key), item, multiline))
            elif isinstance(item, (dict, list)):
                _walk(item, (*where, key), multiline, found)
            elif isinstance(item, float) and key in INTEGER_KEYS:
                found.append(_not_whole((*where, key), item))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            if isinstance(item, str):
                if _SUSPECT.search(item):
                    found.extend(_text_problems((*where, n), item, multiline))
            elif isinstance(item, (dict, list)):
                _walk(item, (*where, n), multiline, found)
            elif isinstance(item, float) and where[-1:] == ("ungp",):
                found.append(_not_whole((*where, n), item))


def _not_whole(where: JsonPath, value: float) -> tuple[JsonPath, str, str, bool]:
    # JSON Schema's "integer" takes 2025.0 (a number with no fraction); the pages, file names and
    # the rounding take it as written.
    return where, f"{dotted(where)}: write a whole number without a decimal point, not {value!r}", "number", False


def _text_problems(
    where: JsonPath, value: str, multiline: frozenset[JsonPath]
) -> Iterator[tuple[JsonPath, str, str, bool]]:
    bad = _NOT_TEXT.search(value)
    if bad is not None:
        yield where, f"{dotted(where)}: {_what(bad.group())} is not allowed; remove it", "text", False
    if _LINE_BREAK.search(value) and _pattern(where) not in multiline:
        yield (
            where,
            f"{dotted(where)}: must be one line; remove the line break (only descriptions, summaries, "
            "guidance, comments, quotes, replies and allegations may have several lines)",
            "text.line",
            False,
        )
    if where and where[-1] in DATE_KEYS and _DATE.fullmatch(value) and not FIRST_DATE <= value <= LAST_DATE:
        yield (
            where,
            f"{dotted(where)}: {value} is outside {FIRST_DATE} to {LAST_DATE}; check the year",
            "dates.range",
            False,
        )


def _what(char_or_text: str) -> str:
    found = _NOT_TEXT.search(char_or_text) or _LINE_BREAK.search(char_or_text)
    char = found.group() if found is not None else char_or_text[:1]
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate (\\u{code:04x}, half of a character written as an escape)"
    if char in "\n\r\u2028\u2029":
        return f"a line break (U+{code:04X})"
    return f"the control character U+{code:04X}"


def _pattern(where: JsonPath) -> JsonPath:
    """``where`` with list indices, answer keys and sub-indicator nesting made generic."""
    parts: list[str | int] = ["*" if isinstance(p, int) else p for p in where]
    if parts[:1] == ["answers"]:
        parts[1:3] = ["*", "*"][: len(parts[1:3])]
    if parts[:1] == ["category_notes"]:
        parts[1:2] = ["*"][: len(parts[1:2])]  # keyed by category id
    # A family's sub-indicators have the fields of an indicator.
    while len(parts) >= 4 and parts[2] == "subindicators":
        del parts[2:4]
    return tuple(parts)


# --- mkdocs.yml ---------------------------------------------------------------------------

UNESCAPED_SETTINGS = ("site_name", "site_description", "site_author")
"""Settings of mkdocs.yml that Material prints into pages without escaping them (in the title,
the header, the description and author meta tags)."""

_MARKUP = re.compile(r"[<>\"]|&[#A-Za-z]")


def markup_in_settings(config: Any, text: str) -> Iterator[tuple[int, str]]:
    """(line, message) for each setting of ``UNESCAPED_SETTINGS`` in ``config`` (a loaded MkDocs
    configuration) that holds markup: ``<``, ``>``, ``"`` or a character reference (``&amp;``,
    ``&#60;``). Refused rather than escaped: Material escapes some of its uses and not others, so
    escaping first would show ``&amp;`` where it does. ``text`` is mkdocs.yml, to find the line."""
    lines = text.splitlines()
    for name in UNESCAPED_SETTINGS:
        value = config.get(name)
        if not isinstance(value, str):
            continue
        found = _MARKUP.search(value)
        if found is None:
            continue
        line = next((n for n, ln in enumerate(lines, start=1) if ln.startswith(f"{name}:")), 1)
        yield (
            line,
            f"{name} holds markup ({found.group()!r}), which the theme would print as HTML on every page; "
            "write it as plain text (a lone & followed by a space is fine)",
        )


# --- warnings -------------------------------------------------------------------------------


def future_publication(facts: Any, today: str) -> str | None:
    """A warning when a published assessment's ``dates.published`` (``facts``: ``hrdd.models.Facts``)
    is after ``today`` (YYYY-MM-DD), else None. A warning, not a problem: a scorecard may be
    prepared ahead of its publication day, but a typo in the year would otherwise go unseen.
    Never cached: it depends on the day it is asked."""
    published = facts.dates.published
    if facts.status != "published" or not published or published <= today:
        return None
    return f"dates.published {published} is after today ({today}); the site shows the assessment as published now"
