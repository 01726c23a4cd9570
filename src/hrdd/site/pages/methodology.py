"""The methodology page (``methodology.md``, template ``hrdd/methodology.html``): the framework
versions the site uses and how they compare, then each framework's rules, generated from its
file, as view models."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from hrdd.history import Comparison, compare_frameworks
from hrdd.load import version_key
from hrdd.models import AnswerOption, Category, Change, Framework, Indicator, LevelKind, Named
from hrdd.sectors import indicators_for, sector_name
from hrdd.site.pages.common import METHODOLOGY, _modules_text, fw_name, fw_token
from hrdd.site.pages.indicator import (
    SCOPE_LABEL,
    ElementView,
    applies_text,
    elements,
    exclusion_text,
    indicator_href,
    ungp_refs,
)

if TYPE_CHECKING:
    from hrdd.site.context import Site

TOTAL_LABEL = {
    "mean_of_indicators": "the weighted mean of the top-level indicator scores",
    "mean_of_categories": "the mean of the category scores",
    "weighted_categories": "the weighted mean of the category scores",
}

COMPARABLE_LABEL = {
    "renamed": "yes, under the new id",
    "changed": "no",
    "added": "no (new indicator)",
    "removed": "no (dropped)",
    "moved": "yes, for companies of the module's sectors",
}

ComparabilityText = Callable[[Comparison, Framework, Framework], str]


@dataclass(frozen=True, slots=True)
class MixedVersions:
    """Said where an edition's assessments answer several framework versions."""

    edition: int | None
    counts: str
    href: str


@dataclass(frozen=True, slots=True)
class VersionRow:
    key: str
    in_edition: bool
    name: str
    href: str
    released: str
    used: str
    compare: str
    """How it compares with the previous version; "" for the first one."""
    changelog_href: str
    """"" when the framework has no changelog."""


@dataclass(frozen=True, slots=True)
class SectorRow:
    id: str
    name: str
    description: str
    covers: str
    indicators: int


@dataclass(frozen=True, slots=True)
class ModuleRow:
    id: str
    title: str
    sectors: str
    indicators: list[tuple[str, str]]
    """(href, id) of the module's indicators."""
    description: str


@dataclass(frozen=True, slots=True)
class Sectors:
    core: list[tuple[str, str]]
    """(href, id) of the core indicators."""
    sectors: list[SectorRow]
    modules: list[ModuleRow]


@dataclass(frozen=True, slots=True)
class Stage:
    label: str
    all: bool
    requires: str


@dataclass(frozen=True, slots=True)
class IndicatorMethod:
    id: str
    title: str
    standard: str
    guidance: str
    notes: str
    href: str
    """Its page ("Scores and answers"); "" when it has none."""
    stages: list[Stage] | None
    """None unless staged."""
    subindicators: list[IndicatorMethod]
    elements: list[ElementView]
    is_family: bool


@dataclass(frozen=True, slots=True)
class CategoryMethod:
    category: Category
    indicators: list[IndicatorMethod]
    count: int
    """Its top-level indicators (the category weights table)."""


@dataclass(frozen=True, slots=True)
class Rounding:
    decimals: int
    mode: str
    at: str
    mode_text: str
    when: str


@dataclass(frozen=True, slots=True)
class FrameworkMethod:
    key: str
    token: str
    name: str
    summary: str
    publisher: str
    released: str
    licence: str
    credit: tuple[str, str] | None
    """(url, text) of the attribution; the url may be ""."""
    scale_min: Decimal
    scale_max: Decimal
    answers: Sequence[AnswerOption]
    level_kinds: Sequence[LevelKind]
    company_types: Sequence[Named]
    flat_levels: str
    """The indicators scored as the flat mean of their levels, comma-separated ("" for none)."""
    total: str
    rounding: Rounding
    categories: list[CategoryMethod]
    sectors: Sectors | None
    changelog: list[tuple[Change, str, str]]
    """(change, what changed, whether it compares)."""


@dataclass(frozen=True, slots=True)
class MethodologyPage:
    mixed: MixedVersions | None
    versions: list[VersionRow]
    frameworks: list[FrameworkMethod]


def methodology(site: Site, comparability: ComparabilityText) -> MethodologyPage:
    """The page; ``comparability`` says in one sentence what of a version compares with the next."""
    return MethodologyPage(
        mixed=mixed_versions(site, METHODOLOGY),
        versions=versions(site, comparability),
        frameworks=[framework(site, fw) for fw in site.card.shown_frameworks()],
    )


def mixed_versions(site: Site, here: str) -> MixedVersions | None:
    """Said wherever an edition's assessments answer several framework versions (the ranking
    and the methodology page)."""
    if not site.multi_framework:
        return None
    entries = site.card.edition_entries()
    counts = []
    for fw in site.card.edition_frameworks():
        n = sum(1 for e in entries if e.framework.key == fw.key)
        counts.append(f"{fw_name(fw)} ({n} assessment{'s' if n != 1 else ''})")
    href = site.link(here, METHODOLOGY, "framework-versions")
    return MixedVersions(edition=site.card.edition, counts=" and ".join(counts), href=href)


def _previous_version(frameworks: Sequence[Framework], fw: Framework) -> Framework | None:
    older = [o for o in frameworks if o.id == fw.id and version_key(o.version) < version_key(fw.version)]
    return max(older, key=lambda o: version_key(o.version)) if older else None


def versions(site: Site, comparability: ComparabilityText) -> list[VersionRow]:
    here = METHODOLOGY
    card = site.card
    shown = card.shown_frameworks()
    in_edition = {fw.key for fw in card.edition_frameworks()}
    rows = []
    for fw in shown:
        entries = [e for e in card.entries if e.framework.key == fw.key]
        cycles = ", ".join(str(c) for c in sorted({e.cycle for e in entries}))
        used = (
            f"{cycles} ({len(entries)} assessment{'s' if len(entries) != 1 else ''})"
            if entries
            else "no published assessment"
        )
        previous = _previous_version(shown, fw)
        rows.append(
            VersionRow(
                key=fw.key,
                in_edition=fw.key in in_edition,
                name=fw_name(fw),
                href=site.link(here, METHODOLOGY, fw_token(fw)),
                released=fw.released,
                used=used,
                compare=comparability(compare_frameworks(previous, fw), previous, fw) if previous is not None else "",
                changelog_href=site.link(here, METHODOLOGY, f"{fw_token(fw)}-changelog") if fw.changelog else "",
            )
        )
    return rows


def _rounding(fw: Framework) -> Rounding:
    r = fw.rounding
    when = (
        "every intermediate result (level, indicator, family, category) is rounded before it is used in the next step"
        if r.at == "every_stage"
        else "only the reported numbers are rounded; intermediate results keep full precision"
        if r.at == "final"
        else "no score is rounded (the published scores are unrounded); pages show them to that many places"
    )
    mode = "half up (0.5 rounds away from zero)" if r.mode == "half_up" else "half to even (banker's rounding)"
    return Rounding(decimals=r.decimals, mode=r.mode, at=r.at, mode_text=mode, when=when)


def _change_text(fw: Framework, change: Change) -> str:
    if change.change == "moved" and change.module:
        module = next((m for m in fw.modules if m.id == change.module), None)
        return f"moved into the module {module.title if module else change.module}"
    return change.change


def framework(site: Site, fw: Framework) -> FrameworkMethod:
    return FrameworkMethod(
        key=fw.key,
        token=fw_token(fw),
        name=fw_name(fw),
        summary=fw.summary,
        publisher=fw.publisher,
        released=fw.released,
        licence=fw.licence,
        credit=(fw.attribution_url, fw.attribution_text) if fw.attribution_text else None,
        scale_min=fw.scale_min,
        scale_max=fw.scale_max,
        answers=fw.answers,
        level_kinds=fw.level_kinds,
        company_types=fw.company_types,
        flat_levels=", ".join(i.id for i in fw.all_indicators() if i.id in fw.flat_levels) if fw.flat_levels else "",
        total=TOTAL_LABEL[fw.total],
        rounding=_rounding(fw),
        categories=[
            CategoryMethod(
                category=cat,
                indicators=[indicator(site, fw, ind) for ind in fw.indicators if ind.category == cat.id],
                count=sum(1 for i in fw.indicators if i.category == cat.id),
            )
            for cat in fw.categories
        ],
        sectors=sectors(site, fw) if fw.sectors else None,
        changelog=[(c, _change_text(fw, c), COMPARABLE_LABEL.get(c.change, "")) for c in fw.changelog],
    )


def indicator(site: Site, fw: Framework, ind: Indicator) -> IndicatorMethod:
    notes = [f"Scored for {SCOPE_LABEL[ind.scope]}.", f"Weight {ind.weight}."]
    if ind.ungp:
        notes.append(ungp_refs(ind.ungp) + ".")
    if ind.excluded:
        notes.append(exclusion_text(fw, ind.excluded))
    if fw.sectors and ind.parent is None:
        notes.append(f"Applies to {applies_text(fw, ind)}.")
    page = site.indicator_page(fw, ind.id)
    return IndicatorMethod(
        id=ind.id,
        title=ind.title,
        standard=ind.standard,
        guidance=ind.guidance,
        notes=" ".join(notes),
        href=site.link(METHODOLOGY, page) if page else "",
        stages=[Stage(s.label, s.join == "all", ", ".join(s.requires)) for s in ind.stages]
        if ind.method == "staged"
        else None,
        subindicators=[indicator(site, fw, sub) for sub in ind.subindicators] if ind.is_family else [],
        elements=[] if ind.is_family else elements(fw, ind),
        is_family=ind.is_family,
    )


def sectors(site: Site, fw: Framework) -> Sectors:
    """A framework with sectors: its core, its sectors and its modules."""
    here = METHODOLOGY
    return Sectors(
        core=[(indicator_href(site, here, fw, ind.id), ind.id) for ind in fw.indicators if fw.is_core(ind)],
        sectors=[
            SectorRow(
                id=s.id,
                name=s.name,
                description=s.description,
                covers=_modules_text(fw, s.id),
                indicators=len(indicators_for(fw, s.id)),
            )
            for s in fw.sectors
        ],
        modules=[
            ModuleRow(
                id=m.id,
                title=m.title,
                sectors=", ".join(sector_name(fw, s) for s in m.sectors),
                indicators=[
                    (indicator_href(site, here, fw, ind.id), ind.id)
                    for ind in fw.indicators
                    if fw.module_of(ind.id) is m
                ],
                description=m.description,
            )
            for m in fw.modules
        ],
    )
