"""The scorecard website, built from validated and scored assessments.

- this module: what the site may show (``Scorecard``), collected from valid assessments; only
  published ones get in, so drafts and assessments under review appear nowhere;
- ``render``: the pages, as Markdown files whose data-driven content is escaped raw HTML;
- ``charts``: inline SVG charts; ``data``: the downloadable CSV, JSON, datapackage and badges;
- ``changes``: what changed between cycles and in an edition (comparable indicators only), and a
  published edition's record of corrections; ``feed``: the edition's Atom feed;
- ``build``: writes the stage and runs MkDocs (``shards``: split over processes, through the
  private MkDocs internals in ``mkdocs_private``; ``splice``: detached blocks; ``datawriter``:
  the data files; ``staged``: the plain path's stage as a site on its own); ``serve``: the
  live preview, which reuses what an edit did not change (``incremental``).
  ``hrdd.publish`` deploys a build as an edition on the gh-pages branch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from hrdd.errors import BuildError
from hrdd.models import Assessment, Company, Facts, Framework
from hrdd.score import AssessmentScore, ElementScore, score_assessment, shown_score


@dataclass(frozen=True, slots=True, kw_only=True)
class Stored:
    """An assessment not held in memory: its facts, and how to build the whole of it when a
    page needs it (``hrdd.validate``'s ``FileResult.loader``: from the check cache)."""

    facts: Facts
    load: Callable[[], Assessment]
    score: AssessmentScore | None = None
    """Its scores, when known (computed while checking)."""
    key: str | None = None
    """A hash of everything it is made from (``FileResult.key``), when known."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """One published assessment with its framework and its scores.

    Its ``facts`` are what pages about many companies use; the whole ``assessment`` (answers,
    evidence, sources, incidents: hundreds of kilobytes) is asked for only by the company's
    own pages and the data files, and may be built again each time (see ``Stored``): a
    scorecard of thousands of companies never holds every one."""

    facts: Facts
    framework: Framework
    score: AssessmentScore
    load: Callable[[], Assessment] = field(repr=False, compare=False)
    key: str | None = field(default=None, repr=False, compare=False)
    """A hash of everything the assessment and its scores are made from (the check cache's key
    of its file), when known: what a later build compares to reuse work made from it
    (``hrdd.site.incremental``). None: never reused."""
    points: Mapping[tuple[str, str], ElementScore] = field(init=False, repr=False, compare=False)
    """The element scores by (element, level): every indicator page looks up every entry's."""

    def __post_init__(self) -> None:
        key = _point_key
        object.__setattr__(self, "points", {key(es.element, es.level): es for es in self.score.elements})

    @property
    def assessment(self) -> Assessment:
        return self.load()

    def with_assessment(self, assessment: Assessment) -> Entry:
        """This entry with another assessment held in memory and the same scores; no longer
        made from its file, it has no content key (``key``)."""
        return dataclasses.replace(self, facts=assessment.facts(), load=functools.partial(_held, assessment), key=None)

    @property
    def slug(self) -> str:
        return self.facts.company.slug

    @property
    def cycle(self) -> int:
        return self.facts.cycle

    @property
    def is_self(self) -> bool:
        return self.facts.is_self_assessment


_POINT_KEYS: dict[tuple[str, str], tuple[str, str]] = {}


def _point_key(element: str, level: str) -> tuple[str, str]:
    """One (element, level) tuple shared by every entry: a scorecard of thousands has a
    hundred and fifty of them per entry, which would otherwise take more memory than the
    lookup tables that hold them."""
    key = (element, level)
    if len(_POINT_KEYS) >= 100_000:  # bounded, whatever the level ids
        return _POINT_KEYS.get(key, key)
    return _POINT_KEYS.setdefault(key, key)


@dataclass(frozen=True, slots=True, kw_only=True)
class CompanyRecord:
    """Every published assessment of one company, oldest cycle first, independent before self."""

    slug: str
    entries: tuple[Entry, ...]

    @property
    def company(self) -> Company:
        """The company as its most recent assessment describes it."""
        # The independent assessment's company facts, never the company's own claims, when both exist.
        return self.primary(self.latest_cycle).facts.company

    @property
    def cycles(self) -> list[int]:
        """Cycles with a published assessment, newest first."""
        return sorted({e.cycle for e in self.entries}, reverse=True)

    @property
    def latest_cycle(self) -> int:
        return self.cycles[0]

    def independent(self, cycle: int) -> Entry | None:
        return next((e for e in self.entries if e.cycle == cycle and not e.is_self), None)

    def self_assessment(self, cycle: int) -> Entry | None:
        return next((e for e in self.entries if e.cycle == cycle and e.is_self), None)

    def primary(self, cycle: int) -> Entry:
        """The assessment a cycle is shown by: the independent one when there is one."""
        found = self.independent(cycle) or self.self_assessment(cycle)
        if found is None:
            raise KeyError(f"{self.slug} has no published assessment for {cycle}")
        return found


@dataclass(frozen=True, slots=True, kw_only=True)
class Scorecard:
    """Everything the site shows. ``withheld`` counts valid files that are not published."""

    entries: tuple[Entry, ...]
    frameworks: tuple[Framework, ...]
    withheld: int
    updated: str | None
    """Date of the newest published information (YYYY-MM-DD), or SOURCE_DATE_EPOCH's date."""
    # Derived from the fields above once, by __post_init__: pages ask for them thousands of times.
    edition: int | None = field(init=False)
    """The latest cycle with a published assessment."""
    companies: tuple[CompanyRecord, ...] = field(init=False)
    _edition_entries: tuple[Entry, ...] = field(init=False, repr=False)
    _edition_frameworks: tuple[Framework, ...] = field(init=False, repr=False)
    _shown_frameworks: tuple[Framework, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        edition = max((e.cycle for e in self.entries), default=None)
        by_slug: dict[str, list[Entry]] = {}
        for entry in self.entries:
            by_slug.setdefault(entry.slug, []).append(entry)
        in_edition = tuple(e for e in self.entries if e.cycle == edition)
        edition_keys = {e.framework.key for e in in_edition}
        used_keys = {e.framework.key for e in self.entries}
        shown = tuple(fw for fw in self.frameworks if fw.key in used_keys) or self.frameworks
        object.__setattr__(self, "edition", edition)
        object.__setattr__(
            self, "companies", tuple(CompanyRecord(slug=s, entries=tuple(by_slug[s])) for s in sorted(by_slug))
        )
        object.__setattr__(self, "_edition_entries", in_edition)
        object.__setattr__(self, "_edition_frameworks", tuple(fw for fw in self.frameworks if fw.key in edition_keys))
        object.__setattr__(self, "_shown_frameworks", shown)

    def edition_entries(self) -> tuple[Entry, ...]:
        return self._edition_entries

    def edition_frameworks(self) -> tuple[Framework, ...]:
        """Frameworks the edition's assessments answer, in the order of ``frameworks``."""
        return self._edition_frameworks

    def shown_frameworks(self) -> tuple[Framework, ...]:
        """Frameworks any published assessment answers (all frameworks when none is published)."""
        return self._shown_frameworks


def _entry_key(entry: Entry) -> tuple[str, int, bool]:
    return (entry.slug, entry.cycle, entry.is_self)


def _framework_order(fw: Framework) -> tuple[str, tuple[int, ...]]:
    # Versions are "<major>.<minor>" (the schema says so); negated to sort newest first.
    return (fw.id, tuple(-int(p) for p in fw.version.split(".")))


def _held(assessment: Assessment) -> Assessment:
    return assessment


def collect(
    assessments: Iterable[tuple[Assessment | Stored, Framework]],
    frameworks: Iterable[Framework],
    *,
    source_date_epoch: str | None = None,
    edition: int | None = None,
    score: Callable[[Framework, Assessment], AssessmentScore] = score_assessment,
) -> Scorecard:
    """Score the published assessments and leave every other status out of the site.

    An edition is the scorecard as of one cycle: its assessments are ranked and earlier cycles
    make the history; later cycles are left out (they belong to a later edition). Without
    ``edition``, the cycle with the most published independent assessments is the edition
    (the latest of those on a tie), so a cycle that has only begun does not become the headline.

    ``source_date_epoch`` (the reproducible-builds variable) fixes the "last updated" date;
    otherwise it is the newest date found in the published data, never the clock.

    ``score`` scores one assessment that has no scores yet. An assessment may be ``Stored``:
    only its facts and scores are then kept (the build's way for thousands of companies).
    """
    entries: list[Entry] = []
    withheld = 0
    for given, framework in assessments:
        if isinstance(given, Stored):
            facts, load, known, key = given.facts, given.load, given.score, given.key
        else:
            facts, load, known, key = given.facts(), functools.partial(_held, given), None, None
        if facts.status != "published":
            withheld += 1
            continue
        scores = known if known is not None else score(framework, load())
        scores = shown_score(framework, scores)  # unrounded methods: pages show the framework's decimals
        entries.append(Entry(facts=facts, framework=framework, score=scores, load=load, key=key))
    chosen = edition if edition is not None else default_edition(entries)
    if chosen is not None:
        if edition is not None and not any(e.cycle == edition for e in entries):
            cycles = ", ".join(str(c) for c in sorted({e.cycle for e in entries})) or "none"
            raise BuildError(
                f"no published assessment for edition {edition} (cycles with published assessments: {cycles})"
            )
        withheld += sum(1 for e in entries if e.cycle > chosen)
        entries = [e for e in entries if e.cycle <= chosen]
    entries.sort(key=_entry_key)
    # Newest version of each framework first: the methodology page leads with the one in use.
    ordered = sorted({fw.key: fw for fw in frameworks}.values(), key=_framework_order)
    if source_date_epoch is not None:
        updated: str | None = dt.datetime.fromtimestamp(int(source_date_epoch), dt.UTC).date().isoformat()
    else:
        updated = max((e.facts.newest for e in entries if e.facts.newest), default=None)
    return Scorecard(entries=tuple(entries), frameworks=tuple(ordered), withheld=withheld, updated=updated)


def default_edition(entries: Iterable[Entry]) -> int | None:
    """The cycle with the most published independent assessments; the latest on a tie."""
    entries = list(entries)
    counts = Counter(e.cycle for e in entries if not e.is_self) or Counter(e.cycle for e in entries)
    return max(counts, key=lambda cycle: (counts[cycle], cycle)) if counts else None
