"""The licence of the published data, set once in ``mkdocs.yml``, and the credits it carries.

    extra:
      data_licence:
        name: CC-BY-4.0                       # an SPDX identifier
        title: Creative Commons Attribution 4.0 International
        path: https://creativecommons.org/licenses/by/4.0/

Set in ``mkdocs.yml`` rather than in the framework, because the data is the publisher's (the
assessments), not the framework author's: a framework's ``licence`` is the licence of its
criteria, and its ``attribution`` becomes one of the data's ``sources`` (so the RDR example
credits RDR there). ``datapackage.json`` (``licenses``, ``sources``) and the JSON files
(``license``, ``sources``) carry both; ``config.extra.data_licence`` is there for the theme
(footer, Downloads page).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hrdd.errors import BuildError
from hrdd.site import Scorecard

KEY = "data_licence"
_URL = re.compile(r"^https?://[^\s<>\"'`]+$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")


@dataclass(frozen=True, slots=True, kw_only=True)
class DataLicence:
    name: str
    """An SPDX identifier (CC-BY-4.0, ODbL-1.0, CC0-1.0)."""
    title: str
    path: str
    """The licence's text, an http(s) URL."""

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "title": self.title, "path": self.path}


def from_extra(extra: Mapping[str, Any] | None, shown: str = "mkdocs.yml") -> DataLicence | None:
    """``extra.data_licence`` of ``mkdocs.yml``; None when it is not set. ``BuildError`` naming
    what to write when it is set but not as above."""
    value = (extra or {}).get(KEY)
    if value is None:
        return None
    how = f"write extra: {{{KEY}: {{name: CC-BY-4.0, title: ..., path: https://...}}}}"
    if not isinstance(value, Mapping):
        raise BuildError(f"{shown}: extra.{KEY} must be a mapping; {how}")
    name, title, path = (value.get(k) for k in ("name", "title", "path"))
    problems = []
    if not isinstance(name, str) or not _NAME.match(name):
        problems.append("name must be an SPDX identifier such as CC-BY-4.0")
    if not isinstance(title, str) or not title.strip() or "\n" in title:
        problems.append("title must be one line of text")
    if not isinstance(path, str) or not _URL.match(path):
        problems.append("path must be an http(s) URL of the licence")
    unknown = sorted(set(value) - {"name", "title", "path"})
    if unknown:
        problems.append(f"unknown key(s) {', '.join(map(str, unknown))}")
    if problems:
        raise BuildError(f"{shown}: extra.{KEY}: {'; '.join(problems)}; {how}")
    assert isinstance(name, str) and isinstance(title, str) and isinstance(path, str)
    return DataLicence(name=name, title=title.strip(), path=path)


def sources(card: Scorecard) -> list[dict[str, str]]:
    """The credits the frameworks in use require (their ``attribution``), once each: Frictionless
    ``sources``."""
    out: list[dict[str, str]] = []
    for fw in card.shown_frameworks():
        if not fw.attribution_text or any(s["title"] == fw.attribution_text for s in out):
            continue
        source = {"title": fw.attribution_text}
        if fw.attribution_url:
            source["path"] = fw.attribution_url
        out.append(source)
    return out


def metadata(card: Scorecard, licence: DataLicence | None) -> dict[str, Any]:
    """``license`` and ``sources`` for the head of a JSON download (empty ones left out)."""
    data: dict[str, Any] = {}
    if licence is not None:
        data["license"] = licence.as_dict()
    found = sources(card)
    if found:
        data["sources"] = found
    return data
