"""Sectors and sector modules: which indicators a company answers, and which scores compare.

A framework may declare ``sectors`` and ``modules``. An indicator in a module applies only to
companies of the module's sectors; an indicator (or element) may also be ``excluded`` for
sectors. Indicators in no module and excluded for no sector are the **core**: every company
answers them, so the **core score** (the framework's declared total over the core only)
compares companies across sectors. The **sector score** is the total over everything that
applies to the company (core and its sector's modules) and compares companies of one sector.
A framework without sectors has no modules: core score and sector score are its total.

Nothing here knows a sector, a module or an indicator by name: everything comes from the
framework file. The checks take an ``add(where, message, code, key=False)`` callback so that
``hrdd.validate`` locates each problem by line and column in its own way.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from hrdd.check.ids import unique_ids
from hrdd.errors import UsageError
from hrdd.models import Assessment, Framework, Indicator
from hrdd.yamlio import JsonPath, dotted


class Totals(Protocol):
    """What ranking by sector reads of a score (``hrdd.score.AssessmentScore``): a protocol, so
    that this module, which ``hrdd.score`` imports, needs nothing from it."""

    @property
    def core_total(self) -> Decimal | None: ...

    @property
    def sector_total(self) -> Decimal | None: ...


Add = Callable[..., None]
"""``add(where: JsonPath, message: str, code: str, key: bool = False)``."""


# --- the core ------------------------------------------------------------------------------


_CORE_VIEWS: dict[int, tuple[Framework, Framework]] = {}
"""id(framework) -> (framework, its core view). The framework is kept so that its id is not
reused while the entry exists; frameworks are few and live for the whole run."""


def has_modules(framework: Framework) -> bool:
    """Whether some indicator is not core (in a module or excluded for a sector)."""
    return any(not framework.is_core(ind) for ind in framework.indicators)


def core_view(framework: Framework) -> Framework:
    """The framework restricted to its core indicators (and the categories that hold them),
    with the same answers, scale, aggregation and rounding; ``framework`` itself when every
    indicator is core. Scoring an assessment against it gives the core score by whatever
    aggregation the framework declares."""
    found = _CORE_VIEWS.get(id(framework))
    if found is not None and found[0] is framework:
        return found[1]
    if len(_CORE_VIEWS) >= 256:  # bounded: tests make many frameworks, a run only a few
        _CORE_VIEWS.clear()
    if not has_modules(framework):
        _CORE_VIEWS[id(framework)] = (framework, framework)
        return framework
    indicators = tuple(ind for ind in framework.indicators if framework.is_core(ind))
    used = {ind.category for ind in indicators}
    view = dataclasses.replace(
        framework,
        indicators=indicators,
        categories=tuple(c for c in framework.categories if c.id in used),
        modules=(),
        changelog=(),
    )
    _CORE_VIEWS[id(framework)] = (framework, view)
    return view


def core_indicators(framework: Framework) -> list[Indicator]:
    """Top-level indicators every company answers, in file order."""
    return [ind for ind in framework.indicators if framework.is_core(ind)]


def indicators_for(framework: Framework, sector: str | None) -> list[Indicator]:
    """Top-level indicators that apply to companies of ``sector`` (all of them when the
    framework has no sectors or the sector is unknown)."""
    return [ind for ind in framework.indicators if framework.indicator_applies_to_sector(ind, sector)]


def sector_name(framework: Framework, sector: str) -> str:
    """The name pages show for a company's sector: the declared name, or the free text of a
    framework without sectors."""
    found = framework.sector(sector)
    return found.name if found is not None else sector


def sector_known(framework: Framework, assessment: Assessment) -> bool:
    """Whether the assessment's sector is one the framework declares (always true for a
    framework without sectors, whose sector is free text)."""
    return not framework.sectors or framework.sector(assessment.company.sector) is not None


# --- checks: frameworks ----------------------------------------------------------------------


def _did_you_mean(value: str, choices: Iterable[str]) -> str:
    options = sorted(set(choices))
    lowered = {c.lower(): c for c in options}
    # Case-blind: 'Apparel' and 'ITC' are near misses of 'apparel' and 'ict'.
    close = difflib.get_close_matches(value.lower(), list(lowered), n=1)
    hint = lowered[close[0]] if close else None
    return f"did you mean {hint!r}? " if hint else ""


def _listed(what: str, choices: Iterable[str]) -> str:
    options = sorted(set(choices))
    return f"{what}: {', '.join(options)}" if options else f"no {what.lower()} are declared"


def check_framework(data: dict[str, Any], add: Add) -> None:
    """Sector and module problems of a schema-valid framework's data.

    Reported: duplicate sector or module ids; a module naming an unknown sector, category or
    indicator; an indicator in two modules; an exclusion naming an unknown sector; a changelog
    ``moved`` entry without a known module; a declared sector that no indicator applies to.
    """
    sectors = data.get("sectors", [])
    modules = data.get("modules", [])
    sector_ids = unique_ids(sectors, ("sectors",), "sector", add)
    unique_ids(modules, ("modules",), "module", add)
    module_ids = {m["id"] for m in modules}
    category_ids = {c["id"] for c in data["categories"]}
    tops: list[dict[str, Any]] = data["indicators"]
    indicator_ids = {ind["id"] for ind in tops} | {s["id"] for ind in tops for s in ind.get("subindicators", [])}

    member_of = _check_modules(modules, tops, sector_ids, category_ids, indicator_ids, add)

    for where, excluded in _exclusions(tops):
        for s, sector in enumerate(excluded.get("sectors", [])):
            if sector not in sector_ids:
                add(
                    (*where, "excluded", "sectors", s),
                    f"{sector!r}: unknown sector; {_did_you_mean(sector, sector_ids)}{_listed('Sectors', sector_ids)}",
                    "unknown-ref",
                )

    for n, change in enumerate(data.get("changelog", [])):
        if change["change"] == "moved":
            if "module" not in change:
                add(("changelog", n), "a moved indicator needs module: <the module it moved into>", "changelog")
            elif change["module"] not in module_ids:
                add(
                    ("changelog", n, "module"),
                    f"{change['module']!r}: unknown module; "
                    f"{_did_you_mean(change['module'], module_ids)}{_listed('Modules', module_ids)}",
                    "unknown-ref",
                )
        elif "module" in change:
            add(("changelog", n, "module"), "module is only read with change: moved; remove it", "changelog")

    if not sectors:
        return
    sectors_of = {m["id"]: set(m["sectors"]) for m in modules}
    for n, sector in enumerate(sectors):
        if not any(_applies_to(ind, sector["id"], member_of, sectors_of) for ind in tops):
            add(
                ("sectors", n, "id"),
                f"sector {sector['id']!r}: no indicator applies to it (every core indicator is excluded for it "
                "and no module naming it holds an indicator); add it to a module's sectors or remove it",
                "sector",
            )


def _check_modules(
    modules: list[dict[str, Any]],
    tops: list[dict[str, Any]],
    sector_ids: set[str],
    category_ids: set[str],
    indicator_ids: set[str],
    add: Add,
) -> dict[str, tuple[str, JsonPath]]:
    """Problems of the modules' sectors, categories and indicators; returns where each indicator
    joined its module (indicator id -> module id and where)."""
    # Where each indicator first joined a module, to name it when it joins a second one.
    member_of: dict[str, tuple[str, JsonPath]] = {}

    def join(indicator_id: str, module_id: str, where: JsonPath, how: str) -> None:
        first = member_of.get(indicator_id)
        if first is None:
            member_of[indicator_id] = (module_id, where)
            return
        add(
            where,
            f"indicator {indicator_id} is already in module {first[0]!r} ({dotted(first[1])}){how}; "
            "an indicator belongs to at most one module: remove one of the two",
            "module",
        )

    for n, module in enumerate(modules):
        for s, sector in enumerate(module["sectors"]):
            if sector not in sector_ids:
                add(
                    ("modules", n, "sectors", s),
                    f"module {module['id']}: {sector!r}: unknown sector; "
                    f"{_did_you_mean(sector, sector_ids)}{_listed('Sectors', sector_ids)}",
                    "unknown-ref",
                )
        for c, category in enumerate(module.get("categories", [])):
            if category not in category_ids:
                add(
                    ("modules", n, "categories", c),
                    f"module {module['id']}: {category!r}: unknown category; "
                    f"{_did_you_mean(category, category_ids)}{_listed('Categories', category_ids)}",
                    "unknown-ref",
                )
                continue
            for ind in tops:
                if ind.get("category") == category:
                    join(ind["id"], module["id"], ("modules", n, "categories", c), f" (through category {category})")
        for i, indicator_id in enumerate(module.get("indicators", [])):
            if indicator_id not in indicator_ids:
                hint = _did_you_mean(indicator_id, indicator_ids)
                add(
                    ("modules", n, "indicators", i),
                    f"module {module['id']}: {indicator_id!r}: unknown indicator; "
                    f"{hint or 'see the indicators of this framework'}".rstrip(),
                    "unknown-ref",
                )
                continue
            join(indicator_id, module["id"], ("modules", n, "indicators", i), "")
    # A sub-indicator listed on its own while its family is in a module is in two modules too.
    for ind in tops:
        for sub in ind.get("subindicators", []):
            if ind["id"] in member_of and sub["id"] in member_of:
                add(
                    member_of[sub["id"]][1],
                    f"indicator {sub['id']} is in module {member_of[sub['id']][0]!r} and, through its family "
                    f"{ind['id']}, in module {member_of[ind['id']][0]!r}; an indicator belongs to at most one "
                    "module: remove one of the two",
                    "module",
                )
    return member_of


def _applies_to(
    ind: dict[str, Any], sector: str, member_of: dict[str, tuple[str, JsonPath]], sectors_of: dict[str, set[str]]
) -> bool:
    if sector in ind.get("excluded", {}).get("sectors", []):
        return False
    membership = member_of.get(ind["id"])
    return membership is None or sector in sectors_of.get(membership[0], set())


def _exclusions(tops: Sequence[dict[str, Any]]) -> Iterable[tuple[JsonPath, dict[str, Any]]]:
    """(path, excluded) of every indicator, sub-indicator and element that has exclusions."""

    def walk(ind: dict[str, Any], where: JsonPath) -> Iterable[tuple[JsonPath, dict[str, Any]]]:
        if "excluded" in ind:
            yield where, ind["excluded"]
        for e, element in enumerate(ind.get("elements", [])):
            if "excluded" in element:
                yield (*where, "elements", e), element["excluded"]
        for s, sub in enumerate(ind.get("subindicators", [])):
            yield from walk(sub, (*where, "subindicators", s))

    for n, ind in enumerate(tops):
        yield from walk(ind, ("indicators", n))


# --- checks: assessments ---------------------------------------------------------------------


def sector_choice_problem(sector: str, framework: Framework) -> str:
    """``'Apparel': unknown sector; did you mean 'apparel'? Sectors: ...`` for ``framework``."""
    ids = [s.id for s in framework.sectors]
    return f"{sector!r}: unknown sector; {_did_you_mean(sector, ids)}{_listed('Sectors', ids)}"


def required_sector(framework: Framework, sector: str) -> str | None:
    """``sector`` when the framework declares it (None for a framework without sectors, where
    any text will do); raises ``UsageError`` naming the sector ids otherwise."""
    if not framework.sectors:
        return None
    if framework.sector(sector) is None:
        raise UsageError(
            f"--sector {sector_choice_problem(sector, framework)}; {framework.id} {framework.version} asks each "
            "sector different questions, so name the company's sector by its id"
        )
    return sector


def check_assessment(assessment: Assessment, framework: Framework, add: Add) -> None:
    """The assessment's sector is one the framework declares (when it declares any), and no
    element of an indicator that does not apply to that sector is answered."""
    if not framework.sectors:
        return
    sector = assessment.company.sector
    if framework.sector(sector) is None:
        add(("company", "sector"), sector_choice_problem(sector, framework), "company.sector")
        return
    levels = {level.id: level.kind for level in assessment.levels}
    for element_id, by_level in assessment.answers.items():
        element = framework.element(element_id)
        if element is None:
            continue  # reported as an unknown element
        for level_id in by_level:
            kind = levels.get(level_id)
            if kind is None or framework.level_kind(kind) is None:
                continue  # reported as an unknown level
            # Answers that do not apply for other reasons (scope, company type, level kind) are
            # reported by the general check; here only those the sector alone rules out.
            if framework.applies(element, assessment.company.type, kind) and not framework.applies(
                element, assessment.company.type, kind, sector
            ):
                add(
                    ("answers", element_id, level_id),
                    f"element {element_id} does not apply to the {sector} sector "
                    f"({_why_not(framework, element.indicator, element_id, sector)}); remove this answer",
                    "not-applicable",
                    True,
                )


def _why_not(framework: Framework, indicator_id: str, element_id: str, sector: str) -> str:
    indicator = framework.indicator(indicator_id)
    module = framework.module_of(indicator_id)
    if module is not None and sector not in module.sectors:
        return f"indicator {indicator_id} is in module {module.id!r}, for {', '.join(module.sectors)}"
    if indicator is not None and not framework.indicator_applies_to_sector(indicator, sector):
        return f"indicator {indicator_id} is excluded for {sector}"
    return f"element {element_id} is excluded for {sector}"


# --- rankings ---------------------------------------------------------------------------------


Ranked = list[tuple[str, int | None, Decimal | None]]
"""(key, rank, value), best first; rank None for no score; equal values share a rank."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SectorRanking:
    core: Ranked
    """Every company on the core total: the one ranking that compares across sectors."""
    sectors: Mapping[str, Ranked]
    """Sector id -> its companies on the sector total, in the framework's order of sectors."""


def competition_ranks(values: Sequence[Decimal | None]) -> list[int | None]:
    """Competition ranking (1, 2, 2, 4) of values already in ranked order; None unranked."""
    out: list[int | None] = []
    previous: Decimal | None = None
    for n, value in enumerate(values, start=1):
        if value is None:
            out.append(None)
        elif out and value == previous:
            out.append(out[-1])
        else:
            out.append(n)
        previous = value
    return out


def ranked(rows: Iterable[tuple[str, Decimal | None]]) -> Ranked:
    """``(key, value)`` pairs ranked: highest value first, no value last, then by key."""
    ordered = sorted(rows, key=lambda r: (r[1] is None, -(r[1] or 0), r[0]))
    ranks = competition_ranks([value for _, value in ordered])
    return [(key, rank, value) for (key, value), rank in zip(ordered, ranks, strict=True)]


def rank_by_sector(framework: Framework, rows: Iterable[tuple[str, str, Totals]]) -> SectorRanking:
    """``(key, sector, score)`` rows ranked across sectors on the core total and within each
    sector on the sector total. Sectors come in the framework's order (free-text sectors of a
    framework without sectors alphabetically)."""
    rows = list(rows)
    order = [s.id for s in framework.sectors] or sorted({sector for _, sector, _ in rows}, key=str.casefold)
    present = {sector for _, sector, _ in rows}
    return SectorRanking(
        core=ranked((key, score.core_total) for key, _, score in rows),
        sectors={
            sector: ranked((key, score.sector_total) for key, s, score in rows if s == sector)
            for sector in order
            if sector in present
        },
    )
