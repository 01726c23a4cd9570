"""What a reader types into the search box, taken from the data: a word of an incident's text, of
a company's reply or key finding, an assessor's name, a country, a sector; and the company whose
pages show it. Shared by tests/site/test_search_index.py (the index) and
tests/browser/test_search.py (Material's search in Chromium)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from hrdd.sectors import sector_name
from hrdd.site import Entry, Scorecard

SEPARATOR = re.compile(r"[\s\-]+")
"""Material's default search separator: what splits the index's text into words."""

TEXT = {".yaml", ".yml", ".md"}
"""The files whose text a reader may see on the site."""


@dataclass(frozen=True, slots=True)
class Case:
    what: str
    query: str
    company: str
    """The slug of the company whose pages show ``query``."""
    text: str
    """The data's text the query comes from."""


@dataclass(frozen=True)
class Data:
    """A project's data, for picking search cases (``card``: the scorecard built from it)."""

    root: Path
    card: Scorecard

    @cached_property
    def _files(self) -> dict[Path, str]:
        folders = [self.root / "assessments", self.root / "frameworks", self.root / "docs"]
        return {
            p: p.read_text(encoding="utf-8").lower() for f in folders for p in sorted(f.rglob("*")) if p.suffix in TEXT
        }

    def elsewhere(self, slug: str) -> str:
        """Every text of the project (lower case) but the company's own assessments."""
        own = self.root / "assessments" / slug
        return "\n".join(text for path, text in self._files.items() if own not in path.parents)

    def latest(self) -> list[Entry]:
        """Each company's latest independent assessment (or latest assessment when it has none)."""
        return [r.primary(r.latest_cycle) for r in sorted(self.card.companies, key=lambda r: r.slug)]

    def distinctive(self, slug: str, text: str) -> str | None:
        """The longest word of ``text`` (letters only, at least six) found nowhere else in the
        project: typed, it can find only this company's pages."""
        elsewhere = self.elsewhere(slug)
        words = {w for w in SEPARATOR.split(text) if w.isalpha() and len(w) >= 6 and w.lower() not in elsewhere}
        return min(words, key=lambda w: (-len(w), w)) if words else None

    def first_case(self, what: str, texts: Iterable[tuple[str, str]]) -> Case:
        """The first (company, text) with a distinctive word."""
        for slug, text in texts:
            word = self.distinctive(slug, text)
            if word is not None:
                return Case(what=what, query=word, company=slug, text=text)
        raise AssertionError(f"the data has no {what} with a word of its own to search for")

    def incident_case(self) -> Case:
        return self.first_case(
            "incident text", ((e.slug, i.allegation) for e in self.latest() for i in e.assessment.incidents)
        )

    def reply_case(self) -> Case:
        return self.first_case(
            "company reply",
            (
                (e.slug, answer.reply.text)
                for e in self.latest()
                for levels in e.assessment.answers.values()
                for answer in levels.values()
                if answer.reply is not None
            ),
        )

    def key_finding_case(self) -> Case:
        return self.first_case("key finding", ((e.slug, k) for e in self.latest() for k in e.assessment.key_findings))

    def assessor_case(self) -> Case:
        """An assessor's name, as far as it runs in words (a reader does not type "(fictional)")."""
        entry = next(e for e in self.latest() if not e.is_self)
        name = entry.facts.assessor.name
        match = re.match(r"[^\W\d_]+(?: [^\W\d_]+)*", name)
        assert match is not None, name
        return Case(what="assessor name", query=match.group(0), company=entry.slug, text=name)

    def country_case(self) -> Case:
        """The country whose name begins the fewest words of the project's text (a search for a
        two-letter code finds every word it begins), held by one company."""
        latest = self.latest()
        countries = {e.facts.company.country: e.slug for e in latest}
        every = "\n".join(self._files.values())

        def words_begun(country: str) -> int:
            return len(re.findall(rf"(?<![\w]){re.escape(country.lower())}", every))

        country = min(sorted(countries), key=words_begun)
        return Case(what="country", query=country, company=countries[country], text=country)

    def sector_case(self) -> Case:
        """The name of the sector of the fewest companies (the first such, in name order)."""
        names: dict[str, list[str]] = {}
        for e in self.latest():
            names.setdefault(sector_name(e.framework, e.facts.company.sector), []).append(e.slug)
        name = min(sorted(names), key=lambda n: len(names[n]))
        return Case(what="sector", query=name, company=names[name][0], text=name)

    def cases(self) -> list[Case]:
        return [self.incident_case(), self.reply_case(), self.assessor_case(), self.country_case(), self.sector_case()]


def pages_showing(site: Path, slug: str, text: str) -> list[str]:
    """The URL paths (``/companies/<slug>/...``) of the company's built pages whose HTML holds ``text``
    (as it is written there: letters only, or escaped like the templates escape)."""
    from markupsafe import escape

    shown = str(escape(text))
    folder = site / "companies" / slug
    return sorted(
        "/" + p.parent.relative_to(site).as_posix() + "/"
        for p in folder.rglob("index.html")
        if shown in p.read_text(encoding="utf-8")
    )
