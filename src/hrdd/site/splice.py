"""Detached blocks: the bulk of a page kept out of MkDocs and put back into the page it built.

A company page is mostly one raw HTML block: every element's answer with its evidence (about
200 KB per assessment). MkDocs passes raw HTML through unchanged, but only after reading it
three times with Python's HTML parser (Markdown's raw-HTML stash, MkDocs' anchor collection
and the search plugin's indexer), which costs about a quarter of a second per page: minutes for
a scorecard of a thousand companies. And the search plugin would put every quotation of every
page into ``search_index.json``, which every reader's browser downloads to search.

So the renderer marks such blocks (``render.detached``); the build stages each page with a
short placeholder comment instead of the block (``BlockStore.detach``), MkDocs builds the page around the
placeholder, and the block goes back in its place in the built HTML (``splice``). The result is
byte for byte what MkDocs would have written for the whole page (it copies raw HTML verbatim),
without the parsing. Search indexes the page's headings and text around the block, and the
block's text through a stand-in (``hrdd.site.searchable``): the placeholder is followed by the
block's searchable text (without the parts marked ``data-search-exclude``, such as the evidence,
and without markup search does not keep), which MkDocs indexes and ``splice`` replaces with the
block, up to an end comment. Placeholders are HTML comments, which every Markdown engine passes
through.
Untrusted text cannot forge a marker: every text from an assessment is escaped, so it never
contains ``<!--``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from hrdd.errors import BuildError
from hrdd.site.searchable import stand_in

START = "<!-- hrdd:detached -->"
END = "<!-- /hrdd:detached -->"

_OPEN = START + "\n\n"
_CLOSE = "\n\n" + END


def digest(block: str) -> str:
    """The block's SHA-256, in hex: its name in a ``BlockStore`` and in its placeholder."""
    return hashlib.sha256(block.encode("utf-8")).hexdigest()


def placeholder(number: int, block_digest: str, searched: str = "") -> str:
    """The comment standing for a block. It names the block's digest, so that a staged page
    changes whenever its blocks do (a server rebuilding changed pages only sees the change).
    With ``searched`` (the block's ``searchable.stand_in``): the comment, that text for
    search to index, and an end comment; ``splice`` replaces all three with the block."""
    if not searched:
        return f"{_mark(number)}{block_digest[:16]} -->"
    # Blank lines around: three raw HTML blocks, whose surroundings in the built page are those
    # of the one block they stand for.
    return f"{_mark(number)}{block_digest[:16]}{_WITH_TEXT} -->\n\n{searched}\n\n{_end(number)}"


_WITH_TEXT = " +"
"""Ends a placeholder that is followed by a stand-in and an end comment."""


def _mark(number: int) -> str:
    # What splice looks for: the blocks come from the same generation as the staged page.
    return f"<!-- hrdd:splice {number} "


def _end(number: int) -> str:
    return f"<!-- /hrdd:splice {number} -->"


def detached(html: str) -> str:
    """Mark a raw HTML block (one ``render.block``) to be kept out of MkDocs.

    Never the page's ``<h1>``: Material adds a title of its own to a page whose content has none.
    Nothing (no block) stays nothing.
    """
    if not html:
        return ""
    return f"{START}\n\n{html}\n\n{END}"


def attached(text: str) -> str:
    """The page with its detached blocks left in place (for engines that get the whole page)."""
    return _split(text, lambda number, block: block)[0]


def _split(text: str, replace: Callable[[int, str], str]) -> tuple[str, tuple[str, ...]]:
    # str.find, not a regular expression: pages run to hundreds of kilobytes and a scorecard
    # to thousands of pages, and a lazy ".*?" match over them is several times slower.
    blocks: list[str] = []
    pieces: list[str] = []
    at = 0
    while (start := text.find(_OPEN, at)) >= 0:
        end = text.find(_CLOSE, start + len(_OPEN))
        if end < 0:
            break
        block = text[start + len(_OPEN) : end]
        pieces += [text[at:start], replace(len(blocks), block)]
        blocks.append(block)
        at = end + len(_CLOSE)
    if not blocks:
        return text, ()
    pieces.append(text[at:])
    return "".join(pieces), tuple(blocks)


def built_file(page: str, directory_urls: bool) -> str:
    """The HTML file MkDocs writes for a Markdown page (``page`` relative to docs_dir)."""
    stem = page.removesuffix(".md")
    if not directory_urls or stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


def splice(
    site_dir: Path,
    blocks: Mapping[str, tuple[str, ...]],
    directory_urls: bool,
    finish: Callable[[str], str] | None = None,
) -> list[Path]:
    """Put every detached block back into the page MkDocs built. Returns the files changed.
    ``finish`` (``hrdd.site.compact.compact``) is applied to each page before it is written
    again, so that a page is read and written once.

    Raises ``BuildError`` if a page or a placeholder is missing (MkDocs or a theme dropped it):
    the site would silently lack its evidence otherwise. Placeholders are found by number: the
    blocks were staged with them, and hashing hundreds of megabytes again would prove nothing.
    """
    changed: list[Path] = []
    for page, parts in blocks.items():
        if not parts:
            continue
        target = site_dir / built_file(page, directory_urls)
        try:
            html = target.read_text(encoding="utf-8")
        except OSError as exc:
            raise BuildError(f"MkDocs did not write {target} for {page}: {exc}") from exc
        pieces: list[str] = []
        at = 0
        for number, block in enumerate(parts):
            mark = _mark(number)
            found = html.find(mark, at)
            end = html.find(" -->", found + len(mark)) if found >= 0 else -1
            if end >= 0 and html.endswith(_WITH_TEXT, found, end):
                # The stand-in for search, up to the end comment, goes too.
                end = html.find(_end(number), end)
                end = end + len(_end(number)) - len(" -->") if end >= 0 else -1
            if end < 0:
                raise BuildError(
                    f"{target} lacks the placeholder {mark!r} staged in {page}; "
                    "a Markdown extension or theme template dropped HTML comments"
                )
            pieces += [html[at:found], block]
            at = end + len(" -->")
        pieces.append(html[at:])
        spliced = "".join(pieces)
        target.write_text(finish(spliced) if finish is not None else spliced, encoding="utf-8")
        changed.append(target)
    return changed


class BlockStore:
    """Detached blocks on disk, one file per block, named by its SHA-256.

    The processes that render pages put their blocks here and hand back only the digests, and
    the processes that build pages read them back to splice: the blocks of a large scorecard
    (hundreds of megabytes) are never all in one process's memory, nor sent between processes.
    A block already stored (an unchanged page, built before) is not written again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, name: str) -> Path:
        return self.folder / name[:2] / name

    def detach(self, text: str) -> tuple[str, tuple[str, ...]]:
        """The page with a placeholder for each detached block, and the blocks' digests in
        order; the blocks are stored here, each hashed once."""
        digests: list[str] = []

        def store(number: int, block: str) -> str:
            digests.append(self.put(block))
            return placeholder(number, digests[-1], stand_in(block))

        return _split(text, store)[0], tuple(digests)

    def put(self, block: str) -> str:
        """Store a block (once); its digest (``digest(block)``)."""
        data = block.encode("utf-8")
        name = hashlib.sha256(data).hexdigest()
        target = self._path(name)
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            # Whole or not at all: another process may be storing the same block.
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, target)
        return name

    def get(self, name: str) -> str:
        try:
            return self._path(name).read_bytes().decode("utf-8")
        except OSError as exc:
            raise BuildError(f"a detached block is missing from {self.folder}: {exc}; build again") from exc

    def keep_only(self, digests: set[str]) -> None:
        """Remove every stored block but these (the store holds one site's blocks, not every build's)."""
        if not self.folder.is_dir():
            return
        for sub in self.folder.iterdir():
            if not sub.is_dir():
                sub.unlink()
                continue
            for path in sub.iterdir():
                if path.name not in digests:
                    path.unlink()
            if not any(sub.iterdir()):
                sub.rmdir()

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def only(blocks: Mapping[str, tuple[str, ...]], pages: Iterable[str]) -> Mapping[str, tuple[str, ...]]:
    """The blocks of these pages, still read from their store only when asked for (a worker
    splicing thousands of pages must not hold every block at once)."""
    if isinstance(blocks, StoredBlocks):
        return StoredBlocks(blocks.store, {page: blocks.digests[page] for page in pages if page in blocks.digests})
    return {page: blocks[page] for page in pages if page in blocks}


class StoredBlocks(Mapping[str, tuple[str, ...]]):
    """Each page's detached blocks, read from a ``BlockStore`` when asked for."""

    def __init__(self, store: BlockStore, digests: Mapping[str, tuple[str, ...]]) -> None:
        self.store = store
        self.digests = digests

    def __getitem__(self, page: str) -> tuple[str, ...]:
        return tuple(self.store.get(d) for d in self.digests[page])

    def __iter__(self) -> Iterator[str]:
        return iter(self.digests)

    def __len__(self) -> int:
        return len(self.digests)
