"""Detached blocks: cut out of a staged page and put back into the built one, exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from hrdd.errors import BuildError
from hrdd.site.splice import (
    BlockStore,
    StoredBlocks,
    attached,
    built_file,
    detached,
    digest,
    placeholder,
    splice,
)

ONE = '<div id="a" data-search-exclude>one</div>'
PAGE = "# Title\n\n" + detached(ONE) + "\n\n## Middle\n\n" + detached("<div>two</div>") + "\n"


def test_detach_leaves_placeholders_and_stores_the_blocks_in_order(tmp_path: Path) -> None:
    """A block search leaves out stands as one comment; a block with text to index, as a comment,
    that text and an end comment."""
    store = BlockStore(tmp_path)
    staged, digests = store.detach(PAGE)
    blocks = tuple(store.get(d) for d in digests)
    assert blocks == (ONE, "<div>two</div>")
    assert digests == (digest(blocks[0]), digest(blocks[1]))
    first, second = placeholder(0, digests[0]), placeholder(1, digests[1], "<div> two </div>")
    assert staged == f"# Title\n\n{first}\n\n## Middle\n\n{second}\n"
    assert first == f"<!-- hrdd:splice 0 {digests[0][:16]} -->"
    # sha256 of '<div>two</div>': a changed block changes the staged page.
    assert second == "<!-- hrdd:splice 1 2036e86796249af7 + -->\n\n<div> two </div>\n\n<!-- /hrdd:splice 1 -->"
    assert attached(PAGE) == f"# Title\n\n{ONE}\n\n## Middle\n\n<div>two</div>\n"


def test_splice_replaces_the_text_for_search_too(tmp_path: Path) -> None:
    """What MkDocs wrote of a placeholder with a stand-in (comment, text, end comment, as Markdown
    passes them through) is replaced whole by the block; what is around it stays."""
    blocks = ("<div>two</div>", "<div>three</div>")
    target = tmp_path / "index.html"
    first = placeholder(0, digest(blocks[0]), "<div> two </div>")
    second = placeholder(1, digest(blocks[1]))
    target.write_text(f"<h2>A</h2>\n{first}\n\n<h2>B</h2>\n{second}\n", encoding="utf-8")
    splice(tmp_path, {"index.md": blocks}, True)
    assert target.read_text(encoding="utf-8") == "<h2>A</h2>\n<div>two</div>\n\n<h2>B</h2>\n<div>three</div>\n"
    target.write_text(first.split("\n\n<!-- /hrdd")[0], encoding="utf-8")
    with pytest.raises(BuildError, match="lacks the placeholder"):
        splice(tmp_path, {"index.md": blocks[:1]}, True)


@pytest.mark.parametrize(
    ("page", "directory_urls", "expected"),
    [
        ("index.md", True, "index.html"),
        ("companies/acme/index.md", True, "companies/acme/index.html"),
        ("companies/acme/2024.md", True, "companies/acme/2024/index.html"),
        ("companies/acme/2024.md", False, "companies/acme/2024.html"),
        ("indicators/A1.md", False, "indicators/A1.html"),
    ],
)
def test_built_file_is_where_mkdocs_writes_the_page(page: str, directory_urls: bool, expected: str) -> None:
    assert built_file(page, directory_urls) == expected


def test_splice_puts_each_block_back_in_its_place(tmp_path: Path) -> None:
    blocks = ('<div id="a">one</div>', "<div>two</div>")
    target = tmp_path / "companies" / "acme" / "index.html"
    target.parent.mkdir(parents=True)
    target.write_text(
        f"<html>{placeholder(0, digest(blocks[0]))}<h2>Middle</h2>{placeholder(1, digest(blocks[1]))}</html>",
        encoding="utf-8",
    )
    assert splice(tmp_path, {"companies/acme/index.md": blocks}, True) == [target]
    assert target.read_text(encoding="utf-8") == '<html><div id="a">one</div><h2>Middle</h2><div>two</div></html>'


def test_a_lost_placeholder_fails_the_build(tmp_path: Path) -> None:
    target = tmp_path / "index.html"
    target.write_text(f"<html>{placeholder(0, digest('a'))}</html>", encoding="utf-8")
    with pytest.raises(BuildError, match="lacks the placeholder '<!-- hrdd:splice 1 "):
        splice(tmp_path, {"index.md": ("a", "b")}, True)
    with pytest.raises(BuildError, match="did not write"):
        splice(tmp_path, {"missing.md": ("a",)}, True)


def test_the_block_store_gives_back_each_block_exactly_and_keeps_one_sites_worth(tmp_path: Path) -> None:
    store = BlockStore(tmp_path / "blocks")
    blocks = ["<div>Zoë’s\r\nreply</div>", "<div>two</div>", "<div>two</div>"]
    digests = [store.put(b) for b in blocks]
    assert [store.get(d) for d in digests] == blocks
    assert digests[1] == digests[2] and len(list((tmp_path / "blocks").rglob("*"))) == 4  # 2 folders, 2 files
    stored = StoredBlocks(store, {"a.md": (digests[0], digests[1])})
    assert dict(stored) == {"a.md": (blocks[0], blocks[1])}
    store.keep_only({digests[1]})
    assert store.get(digests[1]) == "<div>two</div>"
    with pytest.raises(BuildError, match="detached block is missing"):
        store.get(digests[0])
    assert [p.name for p in (tmp_path / "blocks").rglob("*") if p.is_file()] == [digests[1]]
