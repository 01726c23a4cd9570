"""A company's overview (``companies/<slug>/index.md``), its answers page
(``companies/<slug>/answers.md``): view models for ``hrdd/company.html`` and
``hrdd/company_answers.html``.

Why this split (issue #21): a company page that held every answer with its evidence ran to
tens of screen heights and megabytes. The overview is what a reader reads in minutes (headline
numbers, the assessor's key findings and recommendations, scores, incidents, replies, the
self-assessment comparison, history, and one row per indicator); every answer with its evidence
is one click away on the answers page, under the same element ids as before (``i-<indicator>``,
``e-<element>``, ``a-<element>-<level>``, ``c-<category>``), so a cited answer keeps its
fragment. An earlier cycle no longer gets a full duplicate page in every edition
(hrdd.site.pages.earlier)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from hrdd import narrative
from hrdd.models import Assessment, Framework, Indicator, Source
from hrdd.sectors import competition_ranks, indicators_for
from hrdd.site import CompanyRecord, Entry
from hrdd.site.changes import change_since_previous, score_change
from hrdd.site.pages import company as company_view
from hrdd.site.pages.common import RANKING, _ranked_on
from hrdd.site.pages.company import history_change_cell

if TYPE_CHECKING:
    from hrdd.site.context import Site

ANSWERS = "answers"
"""The answers pages' name beside the company's overview: ``companies/<slug>/answers.md``, then
``answers-2.md``, ``answers-3.md``... when the answers do not fit on one."""
ANSWER_ROWS = 200
"""At most this many answers (element x level) on one answers page, unless one indicator has
more: whole indicators, in the framework's order, fill a page up to it. A page of the RDR
example's answers, whose comments run to a paragraph each, stays near 250 KB."""


def answers_page(slug: str, n: int = 1) -> str:
    """The ``n``-th page with the answers and evidence of the company's latest cycle."""
    return f"companies/{slug}/{ANSWERS}.md" if n == 1 else f"companies/{slug}/{ANSWERS}-{n}.md"


def _rows(entry: Entry, ind: Indicator) -> int:
    if ind.is_family:
        return sum(_rows(entry, sub) for sub in ind.subindicators)
    levels = [lv.id for lv in entry.facts.levels]
    return sum((el.id, lv) in entry.points for el in ind.elements for lv in levels)


def answer_chunks(entry: Entry) -> list[list[Indicator]]:
    """The top-level indicators that apply to the company, in the framework's order (category by
    category), in pages of at most ``ANSWER_ROWS`` answers. Made from the framework and the
    scores only (no assessment is built): indicator pages link into them for every company."""
    fw = entry.framework
    applying = indicators_for(fw, entry.facts.company.sector)
    chunks: list[list[Indicator]] = [[]]
    count = 0
    for cat in fw.categories:
        for ind in applying:
            if ind.category != cat.id:
                continue
            rows = _rows(entry, ind)
            if chunks[-1] and count + rows > ANSWER_ROWS:
                chunks.append([])
                count = 0
            chunks[-1].append(ind)
            count += rows
    return chunks


# Which page holds each indicator, per entry: indicator pages ask for every company (keyed by the
# entry's id with the entry held, so that the id is not reused while the entry lives).
_PAGE_OF: dict[int, tuple[Entry, dict[str, int]]] = {}


def answers_page_of(entry: Entry, indicator_id: str) -> str:
    """The answers page that holds ``indicator_id`` (a member of a family: the family's page)."""
    found = _PAGE_OF.get(id(entry))
    if found is None or found[0] is not entry:
        pages: dict[str, int] = {}
        for n, chunk in enumerate(answer_chunks(entry), start=1):
            for ind in chunk:
                pages[ind.id] = n
                for sub in ind.subindicators if ind.is_family else ():
                    pages[sub.id] = n
        if len(_PAGE_OF) > 50_000:
            _PAGE_OF.clear()
        found = _PAGE_OF[id(entry)] = (entry, pages)
    return answers_page(entry.slug, found[1].get(indicator_id, 1))


def record_answers_pages(record: CompanyRecord) -> list[str]:
    """Every answers page of the company (its latest cycle)."""
    entry = record.primary(record.latest_cycle)
    return [answers_page(record.slug, n) for n in range(1, len(answer_chunks(entry)) + 1)]


# --- narrative text (hrdd.narrative: plain text, blank-line paragraphs, "- " list items) -------

_URL_RE = re.compile(r"https?://[^\s<>\"')\]]+[^\s<>\"')\].,;:!?]")


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph (``items`` has one entry) or a list (one entry per item); each entry is a
    sequence of (text, url) pieces, url empty for plain text. The template escapes both."""

    kind: str
    items: list[list[tuple[str, str]]]


def _pieces(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    at = 0
    for m in _URL_RE.finditer(text):
        if m.start() > at:
            out.append((text[at : m.start()], ""))
        out.append((m.group(0), m.group(0)))
        at = m.end()
    if at < len(text):
        out.append((text[at:], ""))
    return out


def blocks(text: str) -> list[Block]:
    """``text`` (hrdd.narrative's format) as paragraphs and lists of inert pieces; a written-out
    http(s) address becomes a link, nothing else does."""
    out: list[Block] = []
    for para in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in para.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            out.append(Block("ul", [_pieces(line[2:]) for line in lines]))
        else:
            out.append(Block("p", [_pieces(" ".join(lines))]))
    return out


@dataclass(frozen=True, slots=True)
class NarrativeSection:
    id: str
    title: str
    blocks: list[Block]


def narrative_sections(assessment: Assessment, fw: Framework) -> list[NarrativeSection]:
    """The assessment's key findings, recommendations, changes and category notes, in that order;
    empty fields left out."""
    out = []
    for name in narrative.LIST_FIELDS:
        items: Sequence[str] = getattr(assessment, name)
        if items:
            found = [b for text in items for b in blocks(text)]
            out.append(NarrativeSection(name.replace("_", "-"), narrative.TITLES[name], found))
    titles = {c.id: c.title for c in fw.categories}
    notes = assessment.category_notes
    if notes:
        found = []
        for cat, text in notes.items():
            found.append(Block("p", [[(f"{titles.get(cat, cat)}: ", "")]]))
            found.extend(blocks(text))
        out.append(NarrativeSection("category-notes", narrative.TITLES[narrative.NOTES_FIELD], found))
    return out


# --- headline: total, rank, change ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Headline:
    cycle: int
    is_self: bool
    total: Decimal | None
    scale_max: Decimal | int
    rank: int | None
    ranked: int
    rank_basis: str
    """"total" or "core score" (a framework with sectors ranks across sectors on its core)."""
    previous_cycle: int | None
    change: Decimal | None
    change_text: str
    ranking_href: str


Rank = tuple[int | None, int, str]
"""(place, how many are ranked, "total" or "core score")."""

# The places of every ranked entry of a scorecard, worked out once per scorecard (a site of a
# thousand companies asks a thousand times). Keyed by the scorecard's id, with the scorecard
# held so that the id is not reused while the entry lives; two kept (``hrdd serve`` makes a new
# scorecard per generation).
_PLACES: dict[int, tuple[object, dict[tuple[str, int], Rank]]] = {}


def _places(site: Site) -> dict[tuple[str, int], Rank]:
    card = site.card
    found = _PLACES.get(id(card))
    if found is not None and found[0] is card:
        return found[1]
    by_fw: dict[str, list[Entry]] = {}
    for e in card.edition_entries():
        if not e.is_self:
            by_fw.setdefault(e.framework.key, []).append(e)
    places: dict[tuple[str, int], Rank] = {}
    for peers in by_fw.values():
        on_core = bool(peers[0].framework.sectors)

        def value(e: Entry, on_core: bool = on_core) -> Decimal | None:
            return e.score.core_total if on_core else e.score.total

        ranked = _ranked_on(peers, value)
        for e, place in zip(ranked, competition_ranks([value(e) for e in ranked]), strict=True):
            places[(e.slug, e.cycle)] = (place, len(ranked), "core score" if on_core else "total")
    while len(_PLACES) >= 2:
        del _PLACES[next(iter(_PLACES))]
    _PLACES[id(card)] = (card, places)
    return places


def rank_of(site: Site, record: CompanyRecord) -> Rank:
    """The place of the company's latest independent assessment among the edition's independent
    assessments on its framework version (a framework with sectors ranks on the core score).
    It depends on every other company: ``hrdd.site.incremental`` keys the overview on it."""
    entry = record.primary(record.latest_cycle)
    if entry.is_self:
        return None, 0, "total"
    return _places(site).get((entry.slug, entry.cycle), (None, 0, "total"))


def headline(site: Site, here: str, record: CompanyRecord) -> Headline:
    """The latest cycle's total, place in the ranking and change since the previous cycle."""
    entry = record.primary(record.latest_cycle)
    rank, ranked, basis = rank_of(site, record)
    since = change_since_previous(record, entry)
    text, delta = history_change_cell(since)
    previous = since.before.cycle if since is not None else None
    return Headline(
        cycle=entry.cycle,
        is_self=entry.is_self,
        total=entry.score.total,
        scale_max=entry.framework.scale_max,
        rank=rank,
        ranked=ranked,
        rank_basis=basis,
        previous_cycle=previous,
        change=delta,
        change_text=text,
        ranking_href=site.link(here, RANKING),
    )


# --- the indicators as a compact table --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    id: str
    title: str
    category: str
    depth: int
    score: Decimal | None
    previous: Decimal | None
    change: Decimal | None
    self_score: Decimal | None
    self_differs: bool
    """The self-assessment answers some element of the indicator differently."""
    replied: bool
    """The company replied to some answer of the indicator."""
    no_disclosure: bool
    """Scored and at zero: nothing disclosed that the indicator credits."""
    href: str
    """Where the indicator's answers are (the answers page, at ``#i-<id>``)."""


@dataclass(frozen=True, slots=True)
class CategoryRow:
    id: str
    title: str
    score: Decimal | None
    href: str
    rows: list[IndicatorRow]


def _element_ids(ind: Indicator) -> Iterator[str]:
    if ind.is_family:
        for sub in ind.subindicators:
            yield from _element_ids(sub)
    else:
        yield from (el.id for el in ind.elements)


def indicator_rows(
    site: Site, here: str, entry: Entry, other: Entry | None, previous: Entry | None
) -> list[CategoryRow]:
    """One row per indicator (families followed by their members) of the entry's framework that
    applies to the company, grouped by category; ``previous``: the earlier assessment that the
    change is measured from (on another framework version, over the comparable indicators)."""
    fw = entry.framework
    a = entry.assessment
    replied = {el for el, by_level in a.answers.items() if any(x.reply is not None for x in by_level.values())}
    differs: set[str] = set()
    self_ok = other is not None and other.framework.key == fw.key
    if other is not None and self_ok:
        theirs = {(es.element, es.level): es.answer for es in other.score.elements if es.answer is not None}
        for es in entry.score.elements:
            their = theirs.get((es.element, es.level))
            if their is not None and their != es.answer:
                differs.add(es.element)
    before = previous_scores(previous, entry)
    applying = indicators_for(fw, entry.facts.company.sector)
    out = []
    for cat in fw.categories:
        rows: list[IndicatorRow] = []

        def add(ind: Indicator, depth: int, cat_id: str = cat.id, rows: list[IndicatorRow] = rows) -> None:
            s = entry.score.indicators.get(ind.id)
            score = s.score if s is not None else None
            was_score = before.get(ind.id)
            mine = set(_element_ids(ind))
            their = other.score.indicators.get(ind.id) if other is not None and self_ok else None
            rows.append(
                IndicatorRow(
                    id=ind.id,
                    title=ind.title,
                    category=cat_id,
                    depth=depth,
                    score=score,
                    previous=was_score,
                    change=None if score is None or was_score is None else score - was_score,
                    self_score=their.score if their is not None else None,
                    self_differs=bool(mine & differs),
                    replied=bool(mine & replied),
                    no_disclosure=score is not None and score == 0,
                    href=site.link(here, answers_page_of(entry, ind.id), f"i-{ind.id}"),
                )
            )
            if ind.is_family:
                for sub in ind.subindicators:
                    add(sub, depth + 1)

        for ind in applying:
            if ind.category == cat.id:
                add(ind, 0)
        if rows:
            out.append(
                CategoryRow(
                    id=cat.id,
                    title=cat.title,
                    score=entry.score.categories.get(cat.id),
                    href=site.link(here, answers_page_of(entry, rows[0].id), f"c-{cat.id}"),
                    rows=rows,
                )
            )
    return out


def previous_scores(previous: Entry | None, entry: Entry) -> dict[str, Decimal | None]:
    """Each indicator's score in ``previous`` that its change in ``entry`` is measured from, by
    its id in ``entry``'s framework: every indicator on the same framework version; on another,
    the indicators its changelog keeps comparable (top-level ones, scored in both cycles), as the
    History section measures the total's change. Empty without a previous assessment. The
    overview's indicator table and the indicator pages both show changes from these."""
    if previous is None:
        return {}
    if previous.framework.key == entry.framework.key:
        return {k: v.score for k, v in previous.score.indicators.items()}
    return {k: c.before for k, c in score_change(previous, entry).change.indicators.items()}


def any_change(categories: Sequence[CategoryRow]) -> bool:
    """Some indicator has a change to show (the table's change column is left out otherwise)."""
    return any(r.change is not None for cat in categories for r in cat.rows)


# --- the company's replies ----------------------------------------------------------------------

REPLY_LENGTH = 120
"""A reply longer than this is cut (at a word) on the overview; the answers page has it whole."""


@dataclass(frozen=True, slots=True)
class ReplyLink:
    indicator: str
    element: str
    level: str
    """The level's name; "" for an element answered at one level only."""
    date: str
    text: str
    """The reply, cut to ``REPLY_LENGTH``."""
    href: str
    """The answer it concerns, on the answers page (``#a-<element>-<level>``)."""


def _cut(text: str, length: int = REPLY_LENGTH) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1].rsplit(" ", 1)[0] + "…"


def replies(site: Site, here: str, entry: Entry) -> list[ReplyLink]:
    """The company's replies to the entry's answers, in the framework's order, each linking to
    the answer it concerns."""
    a = entry.assessment
    levels = entry.facts.levels
    out: list[ReplyLink] = []
    for top in indicators_for(entry.framework, entry.facts.company.sector):
        for leaf in top.leaves():
            for el in leaf.elements:
                by_level = a.answers.get(el.id, {})
                several = sum((el.id, lv.id) in entry.points for lv in levels) > 1
                for lv in levels:
                    answer = by_level.get(lv.id)
                    if answer is None or answer.reply is None:
                        continue
                    out.append(
                        ReplyLink(
                            indicator=leaf.id,
                            element=el.id,
                            level=lv.name if several else "",
                            date=answer.reply.date or "",
                            text=_cut(answer.reply.text),
                            href=site.link(here, answers_page_of(entry, top.id), f"a-{el.id}-{lv.id}"),
                        )
                    )
    return out


def previous_independent(record: CompanyRecord, cycle: int) -> Entry | None:
    """The latest independent assessment before ``cycle``."""
    earlier = [e for e in record.entries if e.cycle < cycle and not e.is_self]
    return max(earlier, key=lambda e: e.cycle, default=None)


# --- an answers page --------------------------------------------------------------------------


def chunk_indicators(
    site: Site, here: str, entry: Entry, other: Entry | None, chunk: Sequence[Indicator]
) -> company_view.Indicators:
    """The answers view of ``chunk`` (one answers page), by category as on the whole page."""
    return company_view.indicators(site, here, entry, other, only={ind.id for ind in chunk})


@dataclass(frozen=True, slots=True)
class PagerItem:
    n: int
    href: str
    first: str
    last: str
    """The first and the last indicator on the page."""
    current: bool


def answers_pager(
    site: Site, here: str, entry: Entry, chunks: Sequence[Sequence[Indicator]], n: int
) -> list[PagerItem]:
    """Every answers page of the company with the indicators it holds (empty with one page)."""
    if len(chunks) < 2:
        return []
    return [
        PagerItem(k, site.link(here, answers_page(entry.slug, k)), chunk[0].id, chunk[-1].id, k == n)
        for k, chunk in enumerate(chunks, start=1)
    ]


def cited_sources(entry: Entry, chunk: Sequence[Indicator]) -> list[Source]:
    """The sources that the answers of ``chunk`` cite (with their replies), in order of first
    citation: an answers page lists each once with its facts (publisher, dates, archived copy),
    and each citation links to it instead of repeating them (issue #21 item 9)."""
    a = entry.assessment
    seen: dict[str, Source] = {}
    for ind in chunk:
        for leaf in ind.leaves():
            for el in leaf.elements:
                for answer in a.answers.get(el.id, {}).values():
                    evidence = list(answer.evidence)
                    if answer.reply is not None:
                        evidence += list(answer.reply.evidence)
                    for ev in evidence:
                        if ev.source not in seen:
                            source = a.source(ev.source)
                            if source is not None:
                                seen[ev.source] = source
    return list(seen.values())
