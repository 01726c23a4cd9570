"""The indicator pages: the indicators index (``indicators/index.md``, template
``hrdd/indicators_index.html``) and one page per indicator of the edition's frameworks (template
``hrdd/indicator.html``), as view models. Also what the methodology page shows of an indicator
(its elements, which companies it applies to, what it is not asked of)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from hrdd.models import Exclusion, Framework, Indicator
from hrdd.sectors import sector_name
from hrdd.site import Entry
from hrdd.site.pages import overview
from hrdd.site.pages.common import (
    ASSESSOR_LABEL,
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


class Company(NamedTuple):
    """A company's row head on every indicator page of a framework, the same on each (rendered
    once: a tuple, to be hashed cheaply as the key of ``cached_call``); ``href`` is its page."""

    slug: str
    cycle: int
    sector: str
    country: str
    assessor: str
    assessor_label: str
    total: str
    fictional: bool
    is_self: bool
    name: str
    href: str


class Numbers(NamedTuple):
    """A row's numbers: few distinct ones on a page, each rendered once. ``family``: no sides."""

    score: str | None
    company_side: str | None
    unit_side: str | None
    family: bool


class ScoreRow(NamedTuple):
    company: Company
    score: str
    """The score for the row's data attribute ("" for none)."""
    numbers: Numbers
    answers_href: str
    """The company's answers page that holds this indicator (hrdd.site.pages.overview)."""


class AnswerCell(NamedTuple):
    """An answer given at a level, the same for every company giving it (but for its link)."""

    element: str
    level: str
    answer: str
    points: str
    label: str


class Piece(NamedTuple):
    """What a row of the answers table holds between two links to the company's page: the end
    of one answered cell (``after``), the cells not asked, the start of the next (``before``)."""

    after: int
    """Index of the cell in ``Answers.cells``; -1 at the start of the row."""
    not_asked: int
    before: int
    """-1 at the end of the row."""


class Level(NamedTuple):
    """A company at one level: the head of its row in every answers table."""

    slug: str
    assessor: str
    level: str
    level_name: str
    name: str
    is_self: bool


class AnswerRow(NamedTuple):
    """A row: the pieces (indexes into ``Answers.pieces``) joined by the link to the company's page."""

    head: Level
    href: str
    pieces: list[int]


@dataclass(frozen=True, slots=True)
class Answers:
    elements: list[str]
    cells: list[AnswerCell]
    pieces: list[Piece]
    rows: list[AnswerRow]


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
    answers: Answers | None
    """None for a family, or when no assessment was published."""


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


def indicator(site: Site, fw: Framework, ind: Indicator, here: str, entries: Sequence[Entry]) -> IndicatorPage:
    """The page of ``ind``; ``entries`` are the companies it applies to, in the order shown."""
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
        scores=scores(site, here, ind, entries),
        answers=None if ind.is_family or not entries else answers(site, here, fw, ind, entries),
    )


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def scores(site: Site, here: str, ind: Indicator, entries: Sequence[Entry]) -> list[ScoreRow]:
    rows = []
    family = ind.is_family
    for e in entries:
        s = e.score.indicators[ind.id]
        c = e.facts.company
        kind = e.facts.assessor.type
        total = e.score.total
        who = Company(
            c.slug,
            e.cycle,
            c.sector,
            c.country,
            kind,
            ASSESSOR_LABEL[kind],
            "" if total is None else str(total),
            c.fictional,
            e.is_self,
            c.name,
            site.link(here, company_page(c.slug)),
        )
        score = _text(s.score)
        numbers = (
            Numbers(score, None, None, True)
            if family
            else Numbers(score, _text(s.company_side), _text(s.unit_side), False)
        )
        rows.append(ScoreRow(who, score or "", numbers, site.link(here, overview.answers_page_of(e, ind.id))))
    return rows


def answers(site: Site, here: str, fw: Framework, ind: Indicator, entries: Sequence[Entry]) -> Answers:
    # A cell is the same for every company giving the same answer, but for its link: a row is
    # pieces joined by the link, and a page has few distinct pieces (the template renders each once).
    # Plain tuples as keys (cheap to make and hash); the named ones only for what is new.
    cells: dict[tuple[str, str, str | None, str], int] = {}
    cell_list: list[AnswerCell] = []
    pieces: dict[tuple[int, int, int], int] = {}
    rows = []
    element_ids = [el.id for el in ind.elements]
    for e in entries:
        by_key = e.points
        # The company's answers page that holds this indicator; each answer links to its own row there.
        href = site.link(here, overview.answers_page_of(e, ind.id))
        for lv in e.facts.levels:
            found = [by_key.get((el, lv.id)) for el in element_ids]
            if not any(found):
                continue
            row = []
            after = -1
            gap = 0
            for el, es in zip(element_ids, found, strict=True):
                if es is None:
                    gap += 1
                    continue
                # The points as printed: Decimal("1.0") == Decimal("1.00"), yet they print apart.
                key = (el, lv.id, es.answer, "" if es.points is None else str(es.points))
                n = cells.get(key)
                if n is None:
                    n = cells[key] = len(cell_list)
                    cell_list.append(AnswerCell(el, lv.id, es.answer or "", key[3], _answer_label(fw, es.answer)))
                row.append(pieces.setdefault((after, gap, n), len(pieces)))
                after, gap = n, 0
            row.append(pieces.setdefault((after, gap, -1), len(pieces)))
            head = Level(e.slug, e.facts.assessor.type, lv.id, lv.name, e.facts.company.name, e.is_self)
            rows.append(AnswerRow(head, href, row))
    return Answers(elements=element_ids, cells=cell_list, pieces=[Piece(*p) for p in pieces], rows=rows)
