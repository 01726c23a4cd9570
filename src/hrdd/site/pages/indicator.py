"""The indicator pages: the indicators index (``indicators/index.md``, template
``hrdd/indicators_index.html``) and one page per indicator of the edition's frameworks (template
``hrdd/indicator.html``), as view models. Also what the methodology page shows of an indicator
(its elements, which companies it applies to, what it is not asked of)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, NamedTuple

from hrdd.models import Exclusion, Framework, Indicator
from hrdd.sectors import sector_name
from hrdd.site import Entry
from hrdd.site.pages import overview
from hrdd.site.pages.common import (
    INDICATORS,
    METHODOLOGY,
    _answer_label,
    company_page,
    fw_name,
    fw_token,
)

if TYPE_CHECKING:
    from hrdd.site.context import Site

SCOPE_LABEL = {
    "company": "the whole company (company-side levels)",
    "units": "each service or business unit (unit levels)",
    "both": "both sides: the mean of the company-side mean and the unit mean",
}


# --- what the indicator pages and the methodology say of an indicator -------------------------


def ungp_refs(numbers: Iterable[int]) -> str:
    found = list(numbers)
    if not found:
        return ""
    word = "Principle" if len(found) == 1 else "Principles"
    return f"UNGP {word} {', '.join(str(n) for n in found)}"


def applies_text(fw: Framework, ind: Indicator) -> str:
    """Which companies answer an indicator of a framework with sectors."""
    module = fw.module_of(ind.id)
    excluded = set(ind.excluded.sectors)
    if ind.parent is not None and (family := fw.indicator(ind.parent)) is not None:
        excluded |= family.excluded.sectors
    if module is not None:
        names = [sector_name(fw, s) for s in module.sectors if s not in excluded]
        return f"{', '.join(names)} companies only (module: {module.title})"
    if not excluded:
        return "every sector (a core indicator)"
    others = [s.name for s in fw.sectors if s.id not in excluded]
    return f"{', '.join(others)} companies (not a core indicator: left out for some sectors)"


def exclusion_text(fw: Framework, excl: Exclusion) -> str:
    if not excl:
        return ""
    names = [next((t.label for t in fw.company_types if t.id == c), c) for c in sorted(excl.company_types)]
    names += [kind.label if (kind := fw.level_kind(k)) else k for k in sorted(excl.level_kinds)]
    names += [f"{sector_name(fw, sector)} companies" for sector in sorted(excl.sectors)]
    return f"Not asked of: {', '.join(names)}."


@dataclass(frozen=True, slots=True)
class ElementView:
    id: str
    text: str
    guidance: str
    notes: str
    """UNGP references, reversal and exclusions, one line of text ("" for none)."""


def elements(fw: Framework, ind: Indicator) -> list[ElementView]:
    """An indicator's elements as the indicator page and the methodology list them."""
    found = []
    for el in ind.elements:
        notes = [ungp_refs(el.ungp)] if el.ungp else []
        if el.reversed:
            notes.append("Reversed: this element asks about a harmful practice, so a yes scores low.")
        if el.excluded:
            notes.append(exclusion_text(fw, el.excluded))
        found.append(ElementView(id=el.id, text=el.text, guidance=el.guidance, notes=" ".join(notes)))
    return found


def indicator_href(site: Site, here: str, fw: Framework, indicator_id: str) -> str:
    """The indicator's page, or its entry in the methodology when it has none."""
    target = site.indicator_page(fw, indicator_id)
    if target is None:
        return site.link(here, METHODOLOGY, f"{fw_token(fw)}-{indicator_id}")
    return site.link(here, target)


# --- the indicators index -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndexRow:
    id: str
    label: str
    href: str
    sub: bool
    category: str
    applies: str
    average: Decimal | None


@dataclass(frozen=True, slots=True)
class IndexTable:
    token: str
    caption: str
    sectors: bool
    rows: list[IndexRow]


@dataclass(frozen=True, slots=True)
class IndicatorsIndex:
    methodology_href: str
    tables: list[IndexTable]


def indicators_index(site: Site) -> IndicatorsIndex:
    here = INDICATORS
    tables = []
    for fw in site.card.edition_frameworks():
        entries = [e for e in site.card.edition_entries() if e.framework.key == fw.key and not e.is_self]
        rows = []
        for ind in fw.all_indicators():
            known = [s for e in entries if (s := e.score.indicators[ind.id].score) is not None]
            average = (
                (sum(known, Decimal(0)) / len(known)).quantize(Decimal(1).scaleb(-fw.rounding.decimals))
                if known
                else None
            )
            top = fw.indicator(ind.parent) if ind.parent else ind
            rows.append(
                IndexRow(
                    id=ind.id,
                    label=f"{ind.id} · {ind.title}",
                    href=indicator_href(site, here, fw, ind.id),
                    sub=bool(ind.parent),
                    category=next((c.title for c in fw.categories if c.id == ind.category), ind.category),
                    applies=applies_text(fw, top or ind) if fw.sectors else "",
                    average=average,
                )
            )
        caption = f"Indicators of {fw_name(fw)}, edition {site.card.edition}"
        tables.append(IndexTable(token=fw_token(fw), caption=caption, sectors=bool(fw.sectors), rows=rows))
    return IndicatorsIndex(methodology_href=site.link(here, METHODOLOGY), tables=tables)


# --- an indicator's page ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Facts:
    framework: str
    framework_href: str
    category: str | None
    parent: str | None
    parent_href: str
    applies: str | None
    scope: str
    weight: Decimal
    ungp: str


class CompanyCell(NamedTuple):
    """A company's row heading: its name linked to its overview. The same on every indicator page
    of a framework, so rendered once (a tuple: hashed cheaply as the key of ``cached``)."""

    name: str
    href: str
    fictional: bool
    """Tagged "Fictional" in its row: only when the page lists real companies too (when every
    company is fictional, one note above the table says so instead of a tag in each row)."""


class ScoreRow(NamedTuple):
    """A company's row, kept compact: a large scorecard has thousands on each indicator page, so
    a row holds no answers (they are one click away, on the company's answers page)."""

    company: CompanyCell
    score: Decimal | None
    change: Decimal | None
    """Since the company's previous independent assessment, measured as its overview measures it
    (hrdd.site.pages.overview.indicator_rows); None when there is none to compare with."""
    answers_href: str
    """The company's answers page that holds this indicator, at the indicator (``#i-<id>``)."""


class TallyRow(NamedTuple):
    element: str
    counts: list[int]
    """How many answers of each of ``Tally.answers``, in that order."""
    total: int


@dataclass(frozen=True, slots=True)
class Tally:
    """How the companies answered each element: one answer per company and level (the whole
    company, and each service or unit assessed) at which the element is asked."""

    who: Literal["independent", "self"]
    """Whose answers: self-assessments are never counted with the independent ones."""
    companies: int
    answers: list[str]
    """The labels of the framework's answers given at least once, in the framework's order
    ("Not answered" last, for drafts)."""
    rows: list[TallyRow]


@dataclass(frozen=True, slots=True)
class IndicatorPage:
    id: str
    title: str
    framework_key: str
    edition: int | None
    facts: Facts
    standard: str
    guidance: str
    is_family: bool
    subindicators: list[tuple[str, str]]
    """(href, label) of a family's sub-indicators."""
    elements: list[ElementView]
    scores: list[ScoreRow]
    """Independent assessments, highest score first."""
    self_scores: list[ScoreRow]
    """Self-assessments, in a table of their own (never ranked with the independent ones)."""
    all_fictional: bool
    tallies: list[Tally]
    """Independent answers, then self-assessments' when there are any; none for a family."""


def facts(site: Site, here: str, fw: Framework, ind: Indicator) -> Facts:
    category = next((c for c in fw.categories if c.id == ind.category), None)
    return Facts(
        framework=fw_name(fw),
        framework_href=site.link(here, METHODOLOGY, f"{fw_token(fw)}-{ind.id}"),
        category=category.title if category is not None else None,
        parent=ind.parent,
        parent_href=indicator_href(site, here, fw, ind.parent) if ind.parent else "",
        applies=applies_text(fw, ind) if fw.sectors else None,
        scope=SCOPE_LABEL[ind.scope],
        weight=ind.weight,
        ungp=ungp_refs(ind.ungp) if ind.ungp else "",
    )


def indicator(
    site: Site, fw: Framework, ind: Indicator, here: str, entries: Sequence[Entry], measured_from: MeasuredFrom
) -> IndicatorPage:
    """The page of ``ind``; ``entries`` are the companies it applies to, in the order shown;
    ``measured_from`` gives the scores each independent assessment's change is measured from."""
    # Highest score on this indicator first (then in the order given: the ranking's); no score last.
    by_score = sorted(entries, key=lambda e: _descending(e.score.indicators[ind.id].score))
    independent = [e for e in by_score if not e.is_self]
    own = [e for e in by_score if e.is_self]
    fictional = [e.facts.company.fictional for e in entries]
    all_fictional = bool(fictional) and all(fictional)
    tallies = (
        []
        if ind.is_family
        else [t for t in (tally(fw, ind, "independent", independent), tally(fw, ind, "self", own)) if t.companies]
    )
    return IndicatorPage(
        id=ind.id,
        title=ind.title,
        framework_key=fw.key,
        edition=site.card.edition,
        facts=facts(site, here, fw, ind),
        standard=ind.standard,
        guidance=ind.guidance,
        is_family=ind.is_family,
        subindicators=[(indicator_href(site, here, fw, s.id), f"{s.id} · {s.title}") for s in ind.subindicators],
        elements=[] if ind.is_family else elements(fw, ind),
        scores=scores(site, here, ind, independent, all_fictional, measured_from),
        self_scores=scores(site, here, ind, own, all_fictional, measured_from),
        all_fictional=all_fictional,
        tallies=tallies,
    )


def _descending(score: Decimal | None) -> tuple[bool, Decimal]:
    return (score is None, -score if score is not None else Decimal(0))


MeasuredFrom = Callable[[Entry], Mapping[str, Decimal | None]]
"""An independent assessment -> the scores its changes are measured from
(``hrdd.site.pages.overview.previous_scores``, the overview's own), found once per company for
every indicator page of a build (``hrdd.site.render``)."""


def scores(
    site: Site, here: str, ind: Indicator, entries: Sequence[Entry], all_fictional: bool, measured_from: MeasuredFrom
) -> list[ScoreRow]:
    rows = []
    for e in entries:
        c = e.facts.company
        score = e.score.indicators[ind.id].score
        was = None if e.is_self else measured_from(e).get(ind.id)
        change = None if score is None or was is None else score - was
        head = CompanyCell(c.name, site.link(here, company_page(c.slug)), c.fictional and not all_fictional)
        rows.append(ScoreRow(head, score, change, site.link(here, overview.answers_page_of(e, ind.id), f"i-{ind.id}")))
    return rows


def tally(fw: Framework, ind: Indicator, who: Literal["independent", "self"], entries: Sequence[Entry]) -> Tally:
    """The answers of ``entries`` to each element of ``ind``, counted by answer."""
    counts: dict[str, dict[str | None, int]] = {el.id: {} for el in ind.elements}
    for e in entries:
        for lv in e.facts.levels:
            for el, by_answer in counts.items():
                es = e.points.get((el, lv.id))
                if es is not None:
                    by_answer[es.answer] = by_answer.get(es.answer, 0) + 1
    given = {a for by_answer in counts.values() for a in by_answer}
    order: list[str | None] = [a.id for a in fw.answers if a.id in given]
    order += sorted(a for a in given if a is not None and fw.answer(a) is None)
    if None in given:
        order.append(None)
    rows = [
        TallyRow(el, [by_answer.get(a, 0) for a in order], sum(by_answer.values())) for el, by_answer in counts.items()
    ]
    return Tally(who=who, companies=len(entries), answers=[_answer_label(fw, a) for a in order], rows=rows)
