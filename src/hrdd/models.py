"""Frozen, typed models of frameworks and assessments.

``hrdd.load`` builds them from schema-valid data; nothing after that handles raw dicts.
Scores use ``Decimal`` so that half-up rounding to a published number of decimals is exact.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

Side = Literal["company", "unit"]
Scope = Literal["company", "units", "both"]
Method = Literal["mean", "staged"]
Join = Literal["all", "any"]
TotalMethod = Literal["mean_of_indicators", "mean_of_categories", "weighted_categories"]
RoundingMode = Literal["half_up", "half_even"]
RoundingAt = Literal["every_stage", "final", "never"]
AssessorType = Literal["independent", "self"]
Status = Literal["draft", "submitted", "under_review", "preliminary", "published"]
IncidentRating = Literal["adequate", "partial", "inadequate", "no_response"]
ChangeKind = Literal["unchanged", "renamed", "changed", "added", "removed", "moved"]


def fast_new(cls: type[Any], names: tuple[str, ...]) -> Callable[..., Any]:
    """A constructor of ``cls`` that sets its slots directly, skipping the frozen dataclass's
    ``__init__`` (which sets each field through ``object.__setattr__``): nearly three times
    faster, which matters for the thousands of element scores, answers and evidence a run
    reads back. Only for a dataclass with slots, whose fields are exactly ``names`` (three to
    five) and that has no ``__post_init__``; otherwise, and if its shape ever changes, the
    ordinary constructor."""
    fields = tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else ()
    slots = [cls.__dict__.get(name) for name in names]
    setters: list[Any] = [getattr(slot, "__set__", None) for slot in slots]
    if fields != names or hasattr(cls, "__post_init__") or None in setters or len(names) not in (3, 4, 5):
        return lambda *values: cls(**dict(zip(names, values, strict=True)))
    new = object.__new__
    # Unrolled: a loop over the setters would cost more than the constructor it replaces.
    if len(setters) == 3:
        t0, t1, t2 = setters

        def make3(a: Any, b: Any, c: Any) -> Any:
            made = new(cls)
            t0(made, a)
            t1(made, b)
            t2(made, c)
            return made

        return make3
    s0, s1, s2, s3, *rest = setters
    if not rest:

        def make4(a: Any, b: Any, c: Any, d: Any) -> Any:
            made = new(cls)
            s0(made, a)
            s1(made, b)
            s2(made, c)
            s3(made, d)
            return made

        return make4
    s4 = rest[0]

    def make5(a: Any, b: Any, c: Any, d: Any, e: Any) -> Any:
        made = new(cls)
        s0(made, a)
        s1(made, b)
        s2(made, c)
        s3(made, d)
        s4(made, e)
        return made

    return make5


# --- framework ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AnswerOption:
    id: str
    label: str
    points: Decimal | None
    reversed_points: Decimal | None
    meets_requirement: bool
    needs_evidence: bool = False
    needs_reason: bool = False
    initial: bool = False
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Named:
    id: str
    label: str
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class LevelKind:
    id: str
    label: str
    side: Side
    combine_as: str | None = None
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Category:
    id: str
    title: str
    description: str = ""
    weight: Decimal = Decimal(1)


@dataclass(frozen=True, slots=True, kw_only=True)
class Exclusion:
    company_types: frozenset[str] = frozenset()
    level_kinds: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()

    def excludes(self, company_type: str | None, level_kind: str, sector: str | None = None) -> bool:
        return (
            (company_type is not None and company_type in self.company_types)
            or level_kind in self.level_kinds
            or (sector is not None and sector in self.sectors)
        )

    def __bool__(self) -> bool:
        return bool(self.company_types or self.level_kinds or self.sectors)


@dataclass(frozen=True, slots=True, kw_only=True)
class Sector:
    """A sector the framework distinguishes; assessments name it by id in company.sector."""

    id: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Module:
    """Indicators that apply only to companies of some sectors (a sector module)."""

    id: str
    title: str
    sectors: tuple[str, ...]
    categories: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Element:
    id: str
    indicator: str
    text: str
    guidance: str = ""
    ungp: tuple[int, ...] = ()
    reversed: bool = False
    excluded: Exclusion = Exclusion()


@dataclass(frozen=True, slots=True, kw_only=True)
class Stage:
    label: str
    requires: tuple[str, ...]
    join: Join


@dataclass(frozen=True, slots=True, kw_only=True)
class Indicator:
    id: str
    category: str
    title: str
    scope: Scope
    parent: str | None = None
    standard: str = ""
    guidance: str = ""
    ungp: tuple[int, ...] = ()
    weight: Decimal = Decimal(1)
    method: Method = "mean"
    stages: tuple[Stage, ...] = ()
    excluded: Exclusion = Exclusion()
    elements: tuple[Element, ...] = ()
    subindicators: tuple[Indicator, ...] = ()

    @property
    def is_family(self) -> bool:
        return bool(self.subindicators)

    def leaves(self) -> Iterator[Indicator]:
        """The indicators with elements under this one, in order: itself unless it is a family."""
        if self.is_family:
            for sub in self.subindicators:
                yield from sub.leaves()
        else:
            yield self


@dataclass(frozen=True, slots=True, kw_only=True)
class Rounding:
    decimals: int
    mode: RoundingMode = "half_up"
    at: RoundingAt = "every_stage"


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    indicator: str
    change: ChangeKind
    from_id: str | None = None
    since: str | None = None
    note: str = ""
    elements: Mapping[str, str] = field(default_factory=dict)
    """For renamed indicators: element id in this version -> id in the previous version."""
    module: str | None = None
    """For moved indicators: the module they moved into."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Framework:
    id: str
    version: str
    title: str
    answers: tuple[AnswerOption, ...]
    scale_min: Decimal
    scale_max: Decimal
    level_kinds: tuple[LevelKind, ...]
    categories: tuple[Category, ...]
    indicators: tuple[Indicator, ...]
    total: TotalMethod
    rounding: Rounding
    company_types: tuple[Named, ...] = ()
    summary: str = ""
    publisher: str = ""
    licence: str = ""
    attribution_text: str = ""
    attribution_url: str = ""
    released: str = ""
    require_archive: bool = False
    changelog: tuple[Change, ...] = ()
    path: Path | None = None
    flat_levels: frozenset[str] = frozenset()
    """Indicators scored as the plain mean of every applicable level (``aggregation.flat_levels``)."""
    sectors: tuple[Sector, ...] = ()
    modules: tuple[Module, ...] = ()
    # Lookups derived from the fields above, filled in by __post_init__.
    _answers_by_id: Mapping[str, AnswerOption] = field(init=False, repr=False, compare=False)
    _indicators_by_id: Mapping[str, Indicator] = field(init=False, repr=False, compare=False)
    _elements_by_id: Mapping[str, Element] = field(init=False, repr=False, compare=False)
    _level_kinds_by_id: Mapping[str, LevelKind] = field(init=False, repr=False, compare=False)
    _module_of: Mapping[str, Module] = field(init=False, repr=False, compare=False)
    """Indicator id -> the module it belongs to (sub-indicators: their family's)."""

    def __post_init__(self) -> None:
        indicators = {ind.id: ind for ind in self.all_indicators()}
        elements = {el.id: el for ind in indicators.values() for el in ind.elements}
        object.__setattr__(self, "_answers_by_id", {a.id: a for a in self.answers})
        object.__setattr__(self, "_indicators_by_id", indicators)
        object.__setattr__(self, "_elements_by_id", elements)
        object.__setattr__(self, "_level_kinds_by_id", {k.id: k for k in self.level_kinds})
        object.__setattr__(self, "_module_of", _modules_by_indicator(self.modules, self.indicators))

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    def all_indicators(self) -> Iterator[Indicator]:
        """Every indicator, families before their sub-indicators, in file order."""
        for ind in self.indicators:
            yield ind
            yield from ind.subindicators

    def leaf_indicators(self) -> Iterator[Indicator]:
        """Indicators that have elements (sub-indicators and plain indicators)."""
        return (ind for ind in self.all_indicators() if not ind.is_family)

    def elements(self) -> Iterator[Element]:
        for ind in self.leaf_indicators():
            yield from ind.elements

    def answer(self, answer_id: str) -> AnswerOption | None:
        return self._answers_by_id.get(answer_id)

    def indicator(self, indicator_id: str) -> Indicator | None:
        return self._indicators_by_id.get(indicator_id)

    def element(self, element_id: str) -> Element | None:
        return self._elements_by_id.get(element_id)

    def level_kind(self, kind_id: str) -> LevelKind | None:
        return self._level_kinds_by_id.get(kind_id)

    def element_ids(self) -> Iterator[str]:
        return iter(self._elements_by_id)

    def sector(self, sector_id: str) -> Sector | None:
        return next((s for s in self.sectors if s.id == sector_id), None)

    def module_of(self, indicator_id: str) -> Module | None:
        """The module an indicator belongs to (a sub-indicator: its family's), or None for the core."""
        return self._module_of.get(indicator_id)

    def indicator_applies_to_sector(self, indicator: Indicator, sector: str | None) -> bool:
        """Whether an indicator applies to companies of ``sector`` at all: its module names the
        sector and neither it nor its family is excluded for it. Always true for a framework
        without sectors, or when the sector is not known (``None``)."""
        if not self.sectors or sector is None:
            return True
        module = self._module_of.get(indicator.id)
        if module is not None and sector not in module.sectors:
            return False
        if sector in indicator.excluded.sectors:
            return False
        parent = self._indicators_by_id.get(indicator.parent) if indicator.parent is not None else None
        return parent is None or sector not in parent.excluded.sectors

    def is_core(self, indicator: Indicator) -> bool:
        """A core indicator: in no module and excluded for no sector (nor is its family), so
        every company answers it and its scores compare across sectors."""
        if indicator.id in self._module_of or indicator.excluded.sectors:
            return False
        parent = self._indicators_by_id.get(indicator.parent) if indicator.parent is not None else None
        return parent is None or not parent.excluded.sectors

    def applies(
        self, element: Element, company_type: str | None, level_kind_id: str, sector: str | None = None
    ) -> bool:
        """Whether ``element`` is to be answered at a level of this kind for this company type
        (and, in a framework with sectors, this sector).

        The indicator's scope decides the side; exclusions on the element, its indicator and
        its family remove it for named company types, level kinds and sectors; an indicator in
        a module applies only to the module's sectors.
        """
        kind = self.level_kind(level_kind_id)
        if kind is None:
            return False
        indicator = self._indicators_by_id[element.indicator]
        if not _scope_covers(indicator.scope, kind.side):
            return False
        chain = [indicator]
        if indicator.parent is not None:
            chain.append(self._indicators_by_id[indicator.parent])
        if self.sectors and sector is not None:
            module = self._module_of.get(indicator.id)
            if module is not None and sector not in module.sectors:
                return False
        else:
            sector = None  # a free-text sector of a framework without sectors excludes nothing
        if any(ind.excluded.excludes(company_type, level_kind_id, sector) for ind in chain):
            return False
        return not element.excluded.excludes(company_type, level_kind_id, sector)


def _modules_by_indicator(modules: tuple[Module, ...], indicators: tuple[Indicator, ...]) -> dict[str, Module]:
    """Indicator id -> module, through the module's categories and its indicator list; a
    family's sub-indicators belong to its module. Where validation reports an indicator in two
    modules, the first wins here."""
    found: dict[str, Module] = {}
    for module in modules:
        for ind in indicators:
            if ind.category in module.categories or ind.id in module.indicators:
                found.setdefault(ind.id, module)
            for sub in ind.subindicators:
                if sub.id in module.indicators:
                    found.setdefault(sub.id, module)
    for ind in indicators:
        if ind.id in found:
            for sub in ind.subindicators:
                found.setdefault(sub.id, found[ind.id])
    return found


def _scope_covers(scope: Scope, side: Side) -> bool:
    return scope == "both" or (scope == "company") == (side == "company")


# --- assessment --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Company:
    name: str
    slug: str
    sector: str
    country: str
    type: str | None = None
    website: str = ""
    fictional: bool = False
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Assessor:
    type: AssessorType
    name: str
    url: str = ""
    contact: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Dates:
    research_start: str | None = None
    research_end: str | None = None
    published: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Level:
    id: str
    name: str
    kind: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    id: str
    url: str
    title: str
    publisher: str = ""
    document_date: str | None = None
    accessed: str | None = None
    archive_url: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    source: str
    quote: str = ""
    locator: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Reply:
    text: str
    date: str | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Answer:
    answer: str
    evidence: tuple[Evidence, ...] = ()
    comment: str = ""
    reply: Reply | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentResponse:
    text: str
    date: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentAssessment:
    rating: IncidentRating
    comment: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Incident:
    id: str
    title: str
    date: str
    allegation: str
    sources: tuple[str, ...]
    indicators: tuple[str, ...] = ()
    response: IncidentResponse | None = None
    assessment: IncidentAssessment | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Assessment:
    company: Company
    framework_id: str
    framework_version: str
    cycle: int
    assessor: Assessor
    status: Status
    levels: tuple[Level, ...]
    answers: Mapping[str, Mapping[str, Answer]]
    """Element id -> level id -> answer, in file order."""
    dates: Dates = Dates()
    summary: str = ""
    sources: tuple[Source, ...] = ()
    incidents: tuple[Incident, ...] = ()
    path: Path | None = None
    # Narrative (hrdd.narrative): plain text, a few sentences per item.
    key_findings: tuple[str, ...] = ()
    recommendations: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()
    """Changes since the company's previous cycle."""
    category_notes: Mapping[str, str] = field(default_factory=dict)
    """Category id -> a paragraph on the company's results in that category, in file order."""

    @property
    def framework_key(self) -> str:
        return f"{self.framework_id}@{self.framework_version}"

    @property
    def is_self_assessment(self) -> bool:
        return self.assessor.type == "self"

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def facts(self) -> Facts:
        return Facts(
            company=self.company,
            framework_id=self.framework_id,
            framework_version=self.framework_version,
            cycle=self.cycle,
            assessor=self.assessor,
            status=self.status,
            levels=self.levels,
            dates=self.dates,
            newest=max(self.recorded_dates(), default=None),
        )

    def recorded_dates(self) -> Iterator[str]:
        """Every date the assessment records: its own, its replies' and its incidents' and their responses'."""
        d = self.dates
        yield from (x for x in (d.research_start, d.research_end, d.published) if x)
        for by_level in self.answers.values():
            for answer in by_level.values():
                if answer.reply is not None and answer.reply.date:
                    yield answer.reply.date
        for incident in self.incidents:
            yield incident.date
            if incident.response is not None and incident.response.date:
                yield incident.response.date


@dataclass(frozen=True, slots=True, kw_only=True)
class Facts:
    """An assessment without its answers, sources and incidents: what a page about many
    companies needs of each (a ranking, an indicator page). A few hundred bytes where the whole
    assessment is hundreds of kilobytes, so a site of thousands of companies keeps these in
    memory and reads each whole assessment only for its own pages and data."""

    company: Company
    framework_id: str
    framework_version: str
    cycle: int
    assessor: Assessor
    status: Status
    levels: tuple[Level, ...]
    dates: Dates
    newest: str | None
    """The newest date the assessment records (``Assessment.recorded_dates``)."""

    @property
    def is_self_assessment(self) -> bool:
        return self.assessor.type == "self"
