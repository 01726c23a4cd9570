"""What changed: between two assessments of a company, and in an edition as a whole.

Pure: a ``Scorecard`` (and, for a published edition, its ``Publication`` record) in, values out.
The company pages, the edition's "What changed" page and its Atom feed all read these values, so
they always tell the same story.

A change between two framework versions is measured only on the indicators the newer version's
changelog keeps comparable (``hrdd.history``); totals of different versions are never subtracted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from hrdd.history import Comparison, CycleChange, compare_frameworks, cycle_change
from hrdd.load import version_key
from hrdd.models import Framework
from hrdd.sectors import sector_name
from hrdd.site import CompanyRecord, Entry, Scorecard

# --- the publication record of an edition --------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Correction:
    """A republication of an edition that was already public, and why."""

    date: str
    """YYYY-MM-DD: from SOURCE_DATE_EPOCH or the source commit, never the clock."""
    reason: str
    commit: str
    """The project commit the corrected edition was built from."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Addition:
    """Contributions by companies merged into an edition after it was published (their
    self-assessments and their replies to findings): the findings themselves did not change."""

    date: str
    """YYYY-MM-DD: from SOURCE_DATE_EPOCH or the source commit, never the clock."""
    items: tuple[str, ...]
    """What was added, one sentence each (e.g. "Example Corp: self-assessment 2026")."""
    commit: str
    """The project commit the edition was built from with the addition."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Publication:
    """What a published edition records about itself: when it first went out and every correction.

    ``hrdd publish`` reads it from the edition's folder on the gh-pages branch, adds a correction
    when it republishes, and builds it back into the edition (``data/corrections.json`` and the
    "What changed" page), so the record and the pages it explains are deployed in one commit.
    """

    edition: int
    published: str
    """YYYY-MM-DD of the first publication."""
    commit: str
    """The project commit the first publication was built from."""
    corrections: tuple[Correction, ...] = ()
    additions: tuple[Addition, ...] = ()
    contents: Mapping[str, Mapping[str, str]] | None = None
    """What the edition shows, assessment by assessment (``hrdd.additions.contents``): how a
    later publication tells additions by companies from corrections. None in records written
    before hrdd kept it."""

    def corrected(self, correction: Correction) -> Publication:
        return dataclasses.replace(self, corrections=(*self.corrections, correction))

    def added(self, addition: Addition) -> Publication:
        return dataclasses.replace(self, additions=(*self.additions, addition))

    def with_contents(self, contents: Mapping[str, Mapping[str, str]]) -> Publication:
        return dataclasses.replace(self, contents=contents)

    def to_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "edition": self.edition,
            "published": self.published,
            "commit": self.commit,
            "corrections": [{"date": c.date, "reason": c.reason, "commit": c.commit} for c in self.corrections],
        }
        # Only when there is something to say: records stay as they were for editions without.
        if self.additions:
            found["additions"] = [{"date": a.date, "items": list(a.items), "commit": a.commit} for a in self.additions]
        if self.contents is not None:
            found["contents"] = {key: dict(value) for key, value in sorted(self.contents.items())}
        return found

    @classmethod
    def from_dict(cls, data: object) -> Publication:
        """Read a record back; ``ValueError`` says what is wrong with one that is not ours."""

        def text(item: Mapping[str, object], key: str) -> str:
            value = item.get(key)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{key!r} must be a non-empty string")
            return value

        if not isinstance(data, dict):
            raise ValueError("expected an object")
        edition = data.get("edition")
        if not isinstance(edition, int) or isinstance(edition, bool):
            raise ValueError("'edition' must be a year")
        items = data.get("corrections", [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ValueError("'corrections' must be a list of objects")
        added = data.get("additions", [])
        if not isinstance(added, list) or not all(isinstance(i, dict) for i in added):
            raise ValueError("'additions' must be a list of objects")
        for item in added:
            if not isinstance(item.get("items"), list) or not all(isinstance(x, str) for x in item["items"]):
                raise ValueError("'items' of an addition must be a list of strings")
        contents = data.get("contents")
        if contents is not None and not (
            isinstance(contents, dict)
            and all(isinstance(v, dict) and all(isinstance(x, str) for x in v.values()) for v in contents.values())
        ):
            raise ValueError("'contents' must map assessments to their digests")
        return cls(
            edition=edition,
            published=text(data, "published"),
            commit=text(data, "commit"),
            corrections=tuple(
                Correction(date=text(i, "date"), reason=text(i, "reason"), commit=text(i, "commit")) for i in items
            ),
            additions=tuple(
                Addition(date=text(i, "date"), items=tuple(i["items"]), commit=text(i, "commit")) for i in added
            ),
            contents=contents,
        )


# --- one company, from one assessment to the next ------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoreChange:
    """From one assessment of a company to a later one of the same kind (independent or self)."""

    before: Entry
    after: Entry
    change: CycleChange
    """Indicator by indicator, over the indicators comparable between the two framework versions."""

    @property
    def same_version(self) -> bool:
        return self.before.framework.key == self.after.framework.key

    @property
    def delta(self) -> Decimal | None:
        """Same framework version: the difference of the totals. Another version: the difference
        of the totals recomputed over the compared indicators only (None if none compares)."""
        if self.same_version:
            before, after = self.before.score.total, self.after.score.total
            return None if before is None or after is None else after - before
        return self.change.total_delta if self.change.indicators else None

    @property
    def compared(self) -> tuple[str, ...]:
        """Top-level indicators of the newer framework whose scores were compared."""
        return self.change.compared

    @property
    def not_compared(self) -> dict[str, str]:
        """Top-level indicators of the newer framework left out, and why."""
        fw, sector = self.after.framework, self.after.facts.company.sector
        # Indicators of other sectors' modules are not this company's: not listed, unless the
        # company answered them before (they moved into a module of other sectors).
        top = [i.id for i in fw.indicators if fw.indicator_applies_to_sector(i, sector)]
        out = {i: why for i, why in self.change.comparison.not_comparable.items() if i in top}
        for ind in top:
            if ind in self.change.comparison.comparable and ind not in self.change.indicators:
                out[ind] = "not scored in one of the cycles (every answer N/A)"
        for indicator in fw.indicators:
            if indicator.id in self.change.comparison.comparable and indicator.id not in top:
                out[indicator.id] = f"not asked of {sector_name(fw, sector)} companies in {fw.id} {fw.version}"
        return out

    @property
    def removed(self) -> tuple[str, ...]:
        """Top-level indicators of the older framework that the newer one dropped."""
        top = {i.id for i in self.before.framework.indicators}
        return tuple(i for i in self.change.comparison.removed if i in top)

    def describe(self) -> str:
        """How the change was measured, for a table cell: empty when the totals compare directly."""
        if self.same_version:
            return ""
        if not self.change.indicators:
            return "not comparable"
        n = len(self.change.indicators)
        return f"over {n} comparable indicator{'s' if n != 1 else ''}"


def previous_entry(record: CompanyRecord, entry: Entry) -> Entry | None:
    """The same kind of assessment (independent or self) of the nearest earlier cycle."""
    earlier = [e for e in record.entries if e.cycle < entry.cycle and e.is_self == entry.is_self]
    return earlier[-1] if earlier else None


def score_change(before: Entry, after: Entry) -> ScoreChange:
    return ScoreChange(
        before=before, after=after, change=cycle_change(before.framework, before.score, after.framework, after.score)
    )


def change_since_previous(record: CompanyRecord, entry: Entry) -> ScoreChange | None:
    previous = previous_entry(record, entry)
    return None if previous is None else score_change(previous, entry)


# --- an edition ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CompanyChange:
    """A company assessed in the edition's cycle."""

    record: CompanyRecord
    entry: Entry
    """The assessment the edition shows (the independent one when there is one)."""
    since: ScoreChange | None
    """Against the company's previous assessment of the same kind; None when there is none."""

    @property
    def is_new(self) -> bool:
        """First published assessment of this company ever."""
        return self.record.cycles == [self.entry.cycle]


@dataclass(frozen=True, slots=True, kw_only=True)
class FrameworkChange:
    """A framework version the edition answers, against the version the previous cycle answered."""

    framework: Framework
    previous: Framework
    comparison: Comparison = field(repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class EditionChanges:
    edition: int | None
    previous_cycle: int | None
    """The latest earlier cycle with a published assessment."""
    companies: tuple[CompanyChange, ...]
    """Every company assessed in the edition's cycle, by name."""
    not_reassessed: tuple[CompanyRecord, ...]
    """Companies assessed in the previous cycle but not in this one."""
    frameworks: tuple[FrameworkChange, ...]
    publication: Publication | None
    updated: str | None
    """The newest date in the data or the publication record (never the clock)."""

    @property
    def new(self) -> tuple[CompanyChange, ...]:
        return tuple(c for c in self.companies if c.is_new)

    @property
    def changed(self) -> tuple[CompanyChange, ...]:
        return tuple(c for c in self.companies if c.since is not None)

    @property
    def corrections(self) -> tuple[Correction, ...]:
        return self.publication.corrections if self.publication is not None else ()

    @property
    def additions(self) -> tuple[Addition, ...]:
        return self.publication.additions if self.publication is not None else ()


def _newest(frameworks: list[Framework]) -> Framework:
    return max(frameworks, key=lambda fw: version_key(fw.version))


def edition_changes(card: Scorecard, publication: Publication | None = None) -> EditionChanges:
    edition = card.edition
    earlier_cycles = sorted({e.cycle for e in card.entries if edition is not None and e.cycle < edition})
    previous_cycle = earlier_cycles[-1] if earlier_cycles else None
    companies = []
    for record in card.companies:
        if edition is None or edition not in record.cycles:
            continue
        entry = record.primary(edition)
        companies.append(CompanyChange(record=record, entry=entry, since=change_since_previous(record, entry)))
    companies.sort(key=lambda c: (c.record.company.name.casefold(), c.record.slug))
    not_reassessed = tuple(
        r
        for r in sorted(card.companies, key=lambda r: (r.company.name.casefold(), r.slug))
        if previous_cycle is not None and previous_cycle in r.cycles and edition not in r.cycles
    )
    before = [e.framework for e in card.entries if e.cycle == previous_cycle]
    frameworks = []
    for fw in card.edition_frameworks():
        same_id = [old for old in before if old.id == fw.id]
        if not same_id:
            continue
        previous = _newest(same_id)
        if previous.key != fw.key:
            frameworks.append(
                FrameworkChange(framework=fw, previous=previous, comparison=compare_frameworks(previous, fw))
            )
    dates = [d for c in companies if (d := c.entry.facts.dates.published)]
    if publication is not None:
        dates += [c.date for c in publication.corrections]
        dates += [a.date for a in publication.additions]
    if card.updated is not None:
        dates.append(card.updated)
    return EditionChanges(
        edition=edition,
        previous_cycle=previous_cycle,
        companies=tuple(companies),
        not_reassessed=not_reassessed,
        frameworks=tuple(frameworks),
        publication=publication,
        updated=max(dates, default=None),
    )
