"""Comparing search indexes: the fast path's (stand-ins for detached blocks, hrdd.site.searchable)
with the plain build's (Material reading whole pages)."""

from __future__ import annotations

import json


def entries(index: bytes) -> list[tuple[str, str, str]]:
    """Each entry's location, title and text without white space."""
    return [(d["location"], d["title"], "".join(d["text"].split())) for d in json.loads(index)["docs"]]


def assert_same_search_index(fast: bytes, plain: bytes) -> None:
    """The same entries with the same words, but for white space (the stand-ins keep words apart
    that Material runs together) and for the empty entries Material makes of headings inside
    excluded elements (a stand-in has no such heading)."""
    ours, reference = entries(fast), entries(plain)
    kept = {location for location, _, _ in ours}
    assert [e for e in reference if e[0] not in kept and e[2]] == []
    assert ours == [e for e in reference if e[0] in kept]
