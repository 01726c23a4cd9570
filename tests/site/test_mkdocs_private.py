"""The private MkDocs and Material internals hrdd's fast build relies on are the ones it was
written against (hrdd.site.mkdocs_private); when they change, this says what changed."""

from __future__ import annotations

from typing import Any

import mkdocs.commands.build as mkdocs_build
import pytest

from hrdd.site import mkdocs_private

# The only private names the tests reach for: MkDocs' own ``_populate_page`` and ``_build_page``.
# That is this file's purpose (issue 15, item 4): hrdd's fast build replaces exactly these, pinned
# to the versions it was written against, and these tests fail by name when they change.


def test_the_installed_mkdocs_and_material_have_the_internals_hrdd_was_written_for() -> None:
    found = mkdocs_private.problems()
    assert found == [], (
        "hrdd.site.mkdocs_private relies on private MkDocs/Material internals that changed "
        "(hrdd falls back to the plain build meanwhile):\n" + "\n".join(found)
    )
    assert mkdocs_private.usable()


def test_another_version_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mkdocs_private, "_version", lambda name: "2.0.0" if name == "mkdocs" else "9.8.2")
    assert mkdocs_private.problems() == [
        "mkdocs 2.0.0 is installed, but hrdd.site.mkdocs_private was written against mkdocs 1.6.x; "
        "read the new version's code and update the module and PINNED"
    ]


def test_a_changed_or_missing_internal_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    def populate(page: Any, config: Any, files: Any, dirty: bool = False, *, more: bool = False) -> None:
        raise AssertionError("not called")

    monkeypatch.setattr(mkdocs_build, "_populate_page", populate)
    monkeypatch.delattr(mkdocs_build, "_build_page")
    assert mkdocs_private.problems() == [
        "mkdocs.commands.build._populate_page takes (page, config, files, dirty, more), "
        "not (page, config, files, dirty)",
        "mkdocs.commands.build._build_page is gone",
    ]


def test_the_originals_are_back_after_a_patched_build() -> None:
    populate, build_page = mkdocs_build._populate_page, mkdocs_build._build_page
    select = mkdocs_private.Selection(read=lambda page: True, build=lambda page: True)
    with mkdocs_private.patched(select, lambda page, entries, title: None):
        assert mkdocs_build._populate_page is not populate
    assert (mkdocs_build._populate_page, mkdocs_build._build_page) == (populate, build_page)
