"""Whitespace compaction of the HTML pages a build writes.

Material's templates indent every line of the page chrome (header, tabs, the navigation drawer,
the footer): about a fifth of its bytes are indentation and blank lines, written again on every
page, two or three pages per company. A browser reads a run of whitespace between words and
tags as one space, and a run that holds a line break the same as a line break; so each such run
becomes one line break, and the page shows what it showed.

Left as they are, where whitespace means something or is not text:

- the content of ``pre``, ``textarea``, ``script``, ``style`` (code: a line break may end a
  statement), ``code``, ``kbd`` and ``samp`` (Material prints code with ``white-space: pre-wrap``),
  from the start tag to the end tag;
- comments (hrdd's splice placeholders are comments, and so are licence notices);
- everything inside a tag: attribute values (a ``title`` may hold line breaks) and the space
  between attributes;
- runs of spaces without a line break (a space between two words or links is meaningful, and
  two spaces are rare).

``compact`` is the fast path (it looks at each run of whitespace that holds a line break, and
only for those at the tag around it), ``compact_plain`` the plain one (one tokenizer over the
whole page); tests/unit/test_compact.py checks that they agree on real pages and on awkward
markup. They may differ only on HTML that neither Jinja nor MkDocs writes: a raw ``<`` inside an
attribute value.

A built page is compacted once, by the process that built it (``hrdd.site.shards``), after its
detached blocks are spliced in; the plain path compacts its pages after MkDocs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

_KEPT_ELEMENTS = "pre|textarea|script|style|code|kbd|samp"
_ELEMENT = rf"<(?P<kept>{_KEPT_ELEMENTS})\b.*?</(?P=kept)\s*>"
_COMMENT = r"<!--.*?-->"
# A start or end tag (or <!doctype>), quoted attribute values included whole, whatever they hold.
_TAG = r"""</?[a-zA-Z!?][^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>"""

_KEPT = re.compile(f"{_ELEMENT}|{_COMMENT}", re.DOTALL | re.IGNORECASE)
_TAG_AT = re.compile(_TAG)
_RUN = re.compile(r"\n[ \t\n\r\f]*")
_SPACE = " \t\r\f"

_TOKENS = re.compile(f"({_ELEMENT}|{_COMMENT}|{_TAG})", re.DOTALL | re.IGNORECASE)
_TEXT_RUN = re.compile(r"[ \t\r\f]*\n[ \t\n\r\f]*")


def compact(html: str) -> str:
    """The page with every run of whitespace that holds a line break, in text, as one line break."""
    pieces: list[str] = []
    at = 0
    for kept in _KEPT.finditer(html):
        pieces += [_compact_between(html, at, kept.start()), kept.group()]
        at = kept.end()
    pieces.append(_compact_between(html, at, len(html)))
    return "".join(pieces)


def _compact_between(html: str, start: int, end: int) -> str:
    """``html[start:end]`` (no kept element or comment in it) compacted."""
    pieces: list[str] = []
    at = start
    for run in _RUN.finditer(html, start, end):
        first, last = run.start(), run.end()
        while first > at and html[first - 1] in _SPACE:
            first -= 1
        if last - first == 1:
            continue  # a lone line break already
        # Between one tag's > and the next one's <, as most runs are, it is text (an attribute
        # value holding "> ... <" would need a raw <); otherwise, look for the tag around it.
        if (html[first - 1 : first] != ">" or html[last : last + 1] != "<") and _inside_tag(html, start, first):
            continue
        pieces += [html[at:first], "\n"]
        at = last
    pieces.append(html[at:end])
    return "".join(pieces)


def _inside_tag(html: str, start: int, position: int) -> bool:
    opening = html.rfind("<", start, position)
    if opening < 0:
        return False
    tag = _TAG_AT.match(html, opening)
    return tag is not None and tag.end() > position


def compact_plain(html: str) -> str:
    """``compact``, the plain way: split the page into kept elements, comments, tags and text,
    and compact the text."""
    parts = _TOKENS.split(html)
    # re.split with one capturing group around the whole pattern and one inside (_ELEMENT's tag
    # name): [text, token, name, text, token, name, ..., text].
    out: list[str] = []
    for number, part in enumerate(parts):
        kind = number % 3
        if kind == 0:
            out.append(_TEXT_RUN.sub("\n", part))
        elif kind == 1:
            out.append(part)
    return "".join(out)


def compact_file(path: Path) -> None:
    """Compact one written page in place (not written again when nothing changes)."""
    html = path.read_text(encoding="utf-8")
    compacted = compact(html)
    if compacted != html:
        path.write_text(compacted, encoding="utf-8")


def compact_files(paths: Iterable[Path]) -> None:
    for path in paths:
        compact_file(path)


def html_files(folder: Path) -> list[Path]:
    """Every HTML file under ``folder``: the pages a build wrote there (and the theme's 404 page)."""
    return sorted(folder.rglob("*.html"))
