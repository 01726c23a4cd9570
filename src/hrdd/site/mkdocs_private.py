"""The private internals of MkDocs and Material that hrdd's fast build relies on: the one module
that touches them.

MkDocs builds every page in one process, one after the other, and offers no public way to build
only some pages of a site (its plugins see each page, but cannot stop one being read or
written). ``hrdd.site.shards`` splits a large build over processes, and ``hrdd serve`` rebuilds
only the pages an edit changed, by replacing, for the length of one build:

- ``mkdocs.commands.build._populate_page`` (reads a page's source and renders its Markdown) and
  ``_build_page`` (renders the theme's template and writes the page), to pass only the pages
  a ``Selection`` asks for;
- Material's ``SearchIndex.add_entry_from_context``, to keep each page's search entries and
  title (``Indexed`` in shards), so that the search index can be merged from several builds.

These are written against the versions in ``PINNED`` and checked before use (``problems``):
with any other version, or when a function is gone or takes other arguments, hrdd falls back
to the plain build (one ordinary ``mkdocs build``), and tests/site/test_mkdocs_private.py fails
and says what changed. ``hrdd build --no-split`` always builds the plain way.
"""

from __future__ import annotations

import functools
import importlib.metadata
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import mkdocs.commands.build as mkdocs_build

PINNED = {"mkdocs": "1.6", "mkdocs-material": "9"}
"""The versions (a release prefix) these internals were read in: MkDocs 1.6.x, Material 9.x."""

_PARAMETERS = {
    "_populate_page": ["page", "config", "files", "dirty"],
    "_build_page": ["page", "config", "doc_files", "nav", "env", "dirty", "excluded"],
    "add_entry_from_context": ["self", "page"],
}
"""The arguments each replaced function takes, in order, in the pinned versions."""


def _search_index_class() -> Any:
    try:
        from material.plugins.search.plugin import SearchIndex  # type: ignore[import-untyped]
    except ImportError:
        return None
    return SearchIndex


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def problems() -> list[str]:
    """Why the internals cannot be used here, in words (nothing: they can)."""
    found = []
    for distribution, prefix in PINNED.items():
        version = _version(distribution)
        if version is None or not (version == prefix or version.startswith(prefix + ".")):
            found.append(
                f"{distribution} {version or '(not installed)'} is installed, but hrdd.site.mkdocs_private "
                f"was written against {distribution} {prefix}.x; read the new version's code and update "
                "the module and PINNED"
            )
    owners: list[tuple[str, Any, str]] = [
        ("mkdocs.commands.build", mkdocs_build, "_populate_page"),
        ("mkdocs.commands.build", mkdocs_build, "_build_page"),
    ]
    index = _search_index_class()
    if index is None:
        found.append("Material's search plugin (material.plugins.search.plugin.SearchIndex) cannot be imported")
    else:
        owners.append(("material.plugins.search.plugin.SearchIndex", index, "add_entry_from_context"))
    for where, owner, name in owners:
        function = getattr(owner, name, None)
        if function is None:
            found.append(f"{where}.{name} is gone")
            continue
        parameters = list(inspect.signature(function).parameters)
        if parameters != _PARAMETERS[name]:
            found.append(f"{where}.{name} takes ({', '.join(parameters)}), not ({', '.join(_PARAMETERS[name])})")
    return found


@functools.cache
def usable() -> bool:
    """Whether the installed MkDocs and Material are the ones these internals were written for
    (checked once per process: installed packages do not change under a running build)."""
    return not problems()


@dataclass(frozen=True, slots=True, kw_only=True)
class Selection:
    """Which pages of one MkDocs build are read and written, by docs path (``src_uri``)."""

    read: Callable[[str], bool]
    """Read and render the page's Markdown (every page MkDocs builds must be read)."""
    build: Callable[[str], bool]
    """Render the page's template and write it."""
    read_title: Callable[[str], bool] = lambda page: False
    """For a page not read: read its source anyway, for its title (the navigation shows it)."""
    was_read: Callable[[str, str | None], None] | None = None
    """Called after each page was (or was not) read, with its title; may raise to stop the build."""
    seen: Callable[[str, bool], None] = lambda page, built: None
    """Called for each page in MkDocs' build order, with whether it was written."""


@contextmanager
def patched(
    select: Selection | None = None, keep_entries: Callable[[str, list[Any], str | None], None] | None = None
) -> Iterator[None]:
    """For the builds run inside: only the pages ``select`` asks for, and ``keep_entries(page,
    entries, title)`` called with each page's search index entries as Material indexes it.
    Pages are always read and written whole (never skipped as a dirty build would), and the
    original functions are back afterwards. Only when ``usable()``."""
    if not usable():
        raise RuntimeError("MkDocs' internals are not the ones hrdd was written for: " + "; ".join(problems()))
    populate, build_page = mkdocs_build._populate_page, mkdocs_build._build_page
    targets: list[tuple[Any, str, Any]] = []
    if select is not None:

        def populate_some(page: Any, config: Any, files: Any, dirty: bool = False) -> None:
            uri = page.file.src_uri
            if select.read(uri):
                populate(page, config, files, False)
            elif select.read_title(uri):
                page.read_source(config)
            if select.was_read is not None:
                select.was_read(uri, page.title)

        def build_some(
            page: Any, config: Any, doc_files: Any, nav: Any, env: Any, dirty: bool = False, *rest: Any, **kw: Any
        ) -> None:
            uri = page.file.src_uri
            built = select.build(uri)
            if built:
                build_page(page, config, doc_files, nav, env, False, *rest, **kw)
            select.seen(uri, built)

        targets += [(mkdocs_build, "_populate_page", populate_some), (mkdocs_build, "_build_page", build_some)]
    if keep_entries is not None:
        index = _search_index_class()
        index_page = index.add_entry_from_context

        def index_and_keep(self: Any, page: Any) -> None:
            before = len(self.entries)
            index_page(self, page)
            keep_entries(page.file.src_uri, self.entries[before:], page.title)

        targets.append((index, "add_entry_from_context", index_and_keep))
    before = [(owner, name, getattr(owner, name)) for owner, name, _ in targets]
    for owner, name, new in targets:
        setattr(owner, name, new)
    try:
        yield
    finally:
        for owner, name, old in before:
            setattr(owner, name, old)
