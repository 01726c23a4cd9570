"""What Material's search indexes of a detached block, without the block (``hrdd.site.splice``).

A detached block is kept out of MkDocs and spliced into the built page afterwards, so Material's
search plugin never reads it. To have it indexed anyway, the staged page carries a short stand-in
for the block, which MkDocs builds (and search indexes) and ``splice`` replaces with the block:
the block with everything search would leave out taken out, namely

- every element marked ``data-search-exclude`` (Material's documented way of keeping a part of a
  page out of the index; the templates mark the evidence, tables of numbers and repeated
  wording), with all it contains;
- every tag the search index does not keep. Material's indexer keeps the text of every element,
  but of the tags only ``p``, ``li``, ``ol``, ``ul``, ``code``, ``pre``, ``sub`` and ``sup``
  (``material.plugins.search.plugin.Parser``); a heading with an ``id`` starts a new entry.
  The others go, inline ones without a trace and the rest as a space (see ``INLINE``).

So the index of a page built from its stand-ins is the index of the whole page (the plain build,
``hrdd build --no-split``, indexes whole pages) but for white space between words that Material
would run together and for the empty entries it makes of headings inside excluded elements
(tests/site/test_shards.py compares them), and MkDocs reads a few kilobytes of text per page
instead of a few hundred of markup.

The block is hrdd's own HTML, rendered with every text escaped: a ``<`` always opens a tag and
a ``>`` inside a tag always closes it (attribute values are escaped too). When that does not
hold, or the block has a heading with an ``id``, a script or a style (whose treatment depends
on the elements around them), the stand-in keeps the block's markup as it is, excluded
elements removed: still what search indexes, only larger.
"""

from __future__ import annotations

import re

SEARCH_EXCLUDE = "data-search-exclude"
"""The attribute that keeps an element and all it contains out of the search index. Written bare
in hrdd's blocks: Material's search plugin removes it from a page only when it has a value, so
a block comes out of the plain build (which Material reads) and the fast path (spliced) alike."""

KEPT_TAGS = frozenset({"p", "li", "ol", "ul", "code", "pre", "sub", "sup"})
"""The tags Material's search index keeps in an entry's text (the others give their text only)."""

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
"""Elements without content or end tag (as Material's indexer counts them)."""

INLINE = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp", "small"}
    | {"span", "strong", "time", "u", "var", "wbr"}
)
"""Elements inside a line of text: their tags go without a trace. Any other tag that search does
not keep becomes a space, so that the texts of a term and its description (``<dt>Country</dt>
<dd>NL</dd>``), of a heading and the next paragraph, stay two words and not one
("CountryNL"). Material's indexer joins them, so the plain build's index has such words run
together; the stand-in's differs from it in this white space only."""

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
_SPACES = re.compile(r"\s{2,}")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_EXCLUDED_ATTR = re.compile(r"(?:^|\s)" + SEARCH_EXCLUDE + r"(?=[\s=/]|$)")
_UNSAFE = re.compile(r"<(?:script|style|object|h[1-6][^>]*\sid\s*=)|<!|<\?", re.IGNORECASE)


def stand_in(block: str) -> str:
    """The part of ``block`` that Material's search would index, as HTML it indexes the same
    way (wrapped in a ``div``, so that Markdown passes it through as raw HTML); empty when
    search would index nothing of it."""
    kept = without_excluded(block)
    if _UNSAFE.search(kept):
        text = kept
    else:
        text = _TAG.sub(_kept_tag, kept)
        if "<pre>" not in text:  # white space counts only there
            text = _SPACES.sub(" ", text)
    if not _TAG.sub("", text).strip():
        return ""
    return f"<div>{text}</div>"


def _kept_tag(match: re.Match[str]) -> str:
    name = match.group(2).lower()
    if name in KEPT_TAGS:
        return f"<{match.group(1)}{name}>"
    return "" if name in INLINE else " "


def _is_excluded(attributes: str) -> bool:
    return SEARCH_EXCLUDE in attributes and _EXCLUDED_ATTR.search(_QUOTED.sub('""', attributes)) is not None


def without_excluded(block: str) -> str:
    """``block`` without the elements marked ``data-search-exclude`` (and what they contain)."""
    if SEARCH_EXCLUDE not in block:
        return block
    pieces: list[str] = []
    at = 0
    while (found := block.find(SEARCH_EXCLUDE, at)) >= 0:
        start = block.rfind("<", at, found)
        tag = _TAG.match(block, start) if start >= 0 else None
        if tag is None or tag.end() <= found or tag.group(1) or not _is_excluded(tag.group(3)):
            # In text or an attribute's value, not an attribute of a tag.
            pieces.append(block[at : found + len(SEARCH_EXCLUDE)])
            at = found + len(SEARCH_EXCLUDE)
            continue
        pieces += [block[at:start], "" if tag.group(2).lower() in INLINE else " "]
        at = _element_end(block, tag)
    pieces.append(block[at:])
    return "".join(pieces)


def _element_end(block: str, start: re.Match[str]) -> int:
    """Where the element opened by ``start`` ends (after its end tag)."""
    name = start.group(2).lower()
    if name in VOID or start.group(3).rstrip().endswith("/"):
        return start.end()
    depth = 1
    same = re.compile(rf"<(/?){re.escape(name)}(?=[\s/>])[^<>]*>", re.IGNORECASE)
    for tag in same.finditer(block, start.end()):
        if tag.group(1):
            depth -= 1
            if depth == 0:
                return tag.end()
        elif not tag.group(0).endswith("/>"):
            depth += 1
    return len(block)  # never closed: the rest is inside it, as the HTML parser reads it
