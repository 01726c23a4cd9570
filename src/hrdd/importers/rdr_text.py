"""RDR's indicator pages (``indicators/*.md``): YAML front matter with HTML in it, read as text.

RDR's HTML is untrusted input like any other: it is converted to plain text here, so nothing
of it reaches a page as markup. A link keeps its text; its address is kept, in brackets after
the text, only when it is an absolute http(s) URL (relative links point into RDR's own site
and would be broken on ours).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from hrdd.errors import ImportFormatError

_URL_RE = re.compile(r"^https?://[^\s<>\"']+$")
_BLOCKS = frozenset({"p", "div", "ul", "ol", "br", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr"})
_DROPPED = frozenset({"script", "style", "iframe", "object", "embed", "template", "svg", "math"})


class _TextParser(HTMLParser):
    """Collects text; list items become separate entries; drops every tag and attribute."""

    def __init__(self, *, keep_links: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.keep_links = keep_links
        self.parts: list[str] = []
        self.items: list[str] = []
        self._item: list[str] | None = None
        self._item_depth = 0
        self._href: str | None = None
        self._link_text: list[str] = []
        self._dropped = 0

    def _emit(self, text: str) -> None:
        if self._dropped:
            return
        if self._href is not None:
            self._link_text.append(text)
        if self._item is not None:
            self._item.append(text)
        self.parts.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self._dropped += 1
        elif tag == "li":
            self._emit("\n- ")
            self._item_depth += 1
            if self._item_depth == 1:
                self._item = []
        elif tag in _BLOCKS:
            self._emit("\n\n" if tag != "br" else "\n")
        elif tag == "a":
            href = next((v for k, v in attrs if k == "href" and v), None)
            self._href = (href or "").strip()
            self._link_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self._dropped = max(0, self._dropped - 1)
        elif tag == "li":
            self._item_depth -= 1
            if self._item_depth == 0 and self._item is not None:
                self.items.append(_squash("".join(self._item)))
                self._item = None
        elif tag == "a" and self._href is not None:
            href, text = self._href, _squash("".join(self._link_text))
            self._href = None
            if self.keep_links and _URL_RE.match(href) and href != text:
                self._emit(f" ({href})")
        elif tag in _BLOCKS:
            self._emit("\n\n")

    def handle_data(self, data: str) -> None:
        self._emit(data)


def _squash(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


_MD_LINK_RE = re.compile(r"\[([^\]\n]*)\]\(([^()\s]*)\)")


def _markdown_links(value: str) -> str:
    # The pages' bodies are Markdown: [text](address) becomes an HTML link, read like the others.
    return _MD_LINK_RE.sub(lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>', value)


def html_text(value: str, *, keep_links: bool = True) -> str:
    """Plain text of an HTML fragment: paragraphs separated by a blank line, list items as '- '.

    ``keep_links``: write an absolute http(s) link's address in brackets after its text.
    """
    parser = _TextParser(keep_links=keep_links)
    parser.feed(value or "")
    parser.close()
    paragraphs = []
    for block in re.split(r"\n\s*\n", "".join(parser.parts)):
        lines = [" ".join(line.replace("\xa0", " ").split()) for line in block.split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def html_items(value: str) -> list[str]:
    """The texts of the top-level list items of an HTML fragment, in order (link addresses left out)."""
    parser = _TextParser(keep_links=False)
    parser.feed(value or "")
    parser.close()
    return [item for item in parser.items if item]


@dataclass(frozen=True, slots=True)
class IndicatorPage:
    id: str
    """As RDR spells it in the data (``G1``, ``P10``)."""
    title: str
    category: str
    elements: tuple[str, ...]
    guidance: str
    standard: str
    path: Path


_NAME_RE = re.compile(r"^\s*([A-Za-z]+\d+[a-z]?)\.\s*(.+)$")


def read_pages(folder: Path) -> dict[str, IndicatorPage]:
    """Every ``*.md`` indicator page in ``folder`` by indicator id (upper case, as in the data)."""
    pages: dict[str, IndicatorPage] = {}
    for path in sorted(folder.glob("*.md")):
        page = read_page(path)
        if page.id in pages:
            raise ImportFormatError(f"{path}: indicator {page.id} is also described in {pages[page.id].path}")
        pages[page.id] = page
    return pages


def read_page(path: Path) -> IndicatorPage:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFormatError(f"{path}: cannot read the indicator page: {exc}") from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = re.split(r"^---[ \t]*$", text, maxsplit=2, flags=re.MULTILINE)
    if len(parts) < 3 or parts[0].strip():
        raise ImportFormatError(f"{path}, line 1: expected YAML front matter between two '---' lines")
    try:
        meta: Any = yaml.safe_load(parts[1])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 2}" if mark is not None else ""
        raise ImportFormatError(f"{path}{line}: the front matter is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise ImportFormatError(f"{path}, line 2: the front matter is not a mapping")
    name = str(meta.get("name") or "")
    match = _NAME_RE.match(html_text(name, keep_links=False))
    if match is None:
        raise ImportFormatError(f"{path}: 'name' should read like 'G1. Policy commitment', found {name!r}")
    elements = tuple(html_items(str(meta.get("element") or "")))
    if not elements:
        raise ImportFormatError(f"{path}: 'element' holds no list items (<li>), so the indicator has no elements")
    return IndicatorPage(
        id=match.group(1).upper(),
        title=match.group(2).strip(),
        category=html_text(str(meta.get("category") or ""), keep_links=False),
        elements=elements,
        guidance=html_text(str(meta.get("research") or "")),
        standard=html_text(_markdown_links(parts[2]), keep_links=False),
        path=path,
    )
