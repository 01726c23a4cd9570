"""Ids unique within a list: the one rule frameworks apply to answers, categories, indicators,
elements, sectors and modules alike (``hrdd.check.framework``, ``hrdd.sectors``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hrdd.yamlio import JsonPath, dotted


def unique_ids(items: list[dict[str, Any]], where: JsonPath, what: str, add: Callable[..., None]) -> set[str]:
    """The ids of ``items`` (each a mapping with an ``id``); every repeated id is reported through
    ``add(path, message, code)`` at the repeat, naming the first."""
    seen: dict[str, int] = {}
    for n, item in enumerate(items):
        if item["id"] in seen:
            add(
                (*where, n, "id"),
                f"duplicate {what} id {item['id']!r} (also {dotted((*where, seen[item['id']]))}); ids must be unique",
                "duplicate-id",
            )
        else:
            seen[item["id"]] = n
    return set(seen)
