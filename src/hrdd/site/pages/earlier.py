"""A company's earlier cycles: the compact table of their answers on the overview
(``hrdd/company/earlier.html``, a closed ``<details id="earlier">`` in the History section) and
the small redirect page each earlier cycle keeps at its old address (``hrdd/company_cycle.html``).

Why (issue #21 item 9): every edition used to publish a full page per earlier cycle, the same
answers again in every edition (64 KB each at the synthetic 100 x 3, a third of a company's
pages). An earlier cycle's full page, with its evidence, is in that cycle's own edition (mike)
and every cycle's answers and evidence are in the downloads; the current edition keeps each
earlier answer and its points in one table of the overview, and the old address keeps a stub
that sends the reader (and a cited ``#a-<element>-<level>``) to that table's row. The stubs are
static files, not MkDocs pages: they are in neither the sitemap nor the search index.

Made from the scores alone (no earlier assessment is loaded): an overview renders in the same
time with two earlier cycles as with none.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from hrdd.sectors import indicators_for
from hrdd.site import CompanyRecord, Entry
from hrdd.site.context import page_url
from hrdd.site.data import SCORECARD_JSON
from hrdd.site.pages.common import _answer_label, company_page, fw_name

if TYPE_CHECKING:
    from hrdd.site.context import Site

ROW_PREFIX = "p-"
"""An earlier answer's row on the overview is ``p-<element>-<level>``: the answers page of the
latest cycle has ``a-<element>-<level>``, and the stub of an earlier cycle maps one to the other."""


def stub_path(slug: str, cycle: int, directory_urls: bool) -> str:
    """The static file that answers at an earlier cycle's old address (MkDocs made
    ``companies/<slug>/<cycle>.md`` into ``<cycle>/index.html``, or ``<cycle>.html``)."""
    url = page_url(company_page(slug, cycle), directory_urls)
    return url + "index.html" if url.endswith("/") else url


def cycle_anchor(cycle: int) -> str:
    """The earlier table's column of ``cycle`` (the history table links there)."""
    return f"earlier-{cycle}"


@dataclass(frozen=True, slots=True)
class EarlierColumn:
    cycle: int
    anchor: str
    framework: str
    is_self: bool


@dataclass(frozen=True, slots=True)
class EarlierRow:
    id: str
    """``p-<element>-<level>``."""
    element: str
    level: str
    """The level's id; "" for an element answered at one level only (most are: the level's name
    would repeat on every row)."""
    cells: list[tuple[str, Decimal | None] | None]
    """(answer label, points) per column; None where that cycle has no answer."""


@dataclass(frozen=True, slots=True)
class Earlier:
    columns: list[EarlierColumn]
    rows: list[EarlierRow]
    legend: list[tuple[str, str]]
    """(short label, label) of each answer shown shortened."""
    dataset_href: str
    """The full dataset, which has every cycle's answers with their evidence."""


def short_labels(labels: Iterable[str]) -> dict[str, str]:
    """A label of several words as its initials ("No disclosure found": "NDF"), where that is
    shorter and no other label has the same: hundreds of cells repeat a handful of labels, and
    the table's legend spells them out. Others stay as they are ("Yes", "Partial", "N/A")."""
    labels = list(dict.fromkeys(labels))
    initials = {label: "".join(w[0] for w in label.split()).upper() for label in labels}
    taken = list(initials.values()) + labels
    return {
        label: short if len(label.split()) > 1 and taken.count(short) == 1 else label
        for label, short in initials.items()
    }


def _answers(entry: Entry) -> Iterator[tuple[tuple[str, str], tuple[str, Decimal | None]]]:
    fw = entry.framework
    for ind in indicators_for(fw, entry.facts.company.sector):
        for leaf in ind.leaves():
            for el in leaf.elements:
                for lv in entry.facts.levels:
                    es = entry.points.get((el.id, lv.id))
                    if es is not None:
                        yield (el.id, lv.id), (_answer_label(fw, es.answer), es.points)


def earlier(site: Site, here: str, record: CompanyRecord) -> Earlier | None:
    """Every earlier cycle's answers (its primary assessment: the independent one when there is
    one), newest cycle first, one row per element and level; None with one cycle."""
    cycles = record.cycles[1:]
    if not cycles:
        return None
    entries = [record.primary(c) for c in cycles]
    found = [dict(_answers(e)) for e in entries]
    keys: dict[tuple[str, str], None] = {}
    for answers in found:
        keys.update(dict.fromkeys(answers))
    short = short_labels(label for answers in found for label, _ in answers.values())
    found = [{k: (short[label], points) for k, (label, points) in answers.items()} for answers in found]
    levels: dict[str, int] = {}
    for el, _ in keys:
        levels[el] = levels.get(el, 0) + 1
    return Earlier(
        columns=[EarlierColumn(e.cycle, cycle_anchor(e.cycle), fw_name(e.framework), e.is_self) for e in entries],
        rows=[
            EarlierRow(f"{ROW_PREFIX}{el}-{lv}", el, lv if levels[el] > 1 else "", [a.get((el, lv)) for a in found])
            for el, lv in keys
        ],
        legend=[(v, k) for k, v in short.items() if v != k],
        dataset_href=site.link(here, SCORECARD_JSON),
    )


@dataclass(frozen=True, slots=True)
class Stub:
    name: str
    cycle: int
    target: str
    """The overview's column of the cycle, relative to the stub."""
    rows: str
    """The overview's rows of earlier answers relative to the stub, but for the element and
    level: a cited ``#a-<element>-<level>`` is sent to ``<overview>#p-<element>-<level>``."""
    canonical: str
    """The overview's full address, or the relative one without ``site_url``."""


def stub(site: Site, record: CompanyRecord, cycle: int) -> Stub:
    here = company_page(record.slug, cycle)
    overview = site.link(here, company_page(record.slug))
    return Stub(
        name=record.company.name,
        cycle=cycle,
        target=f"{overview}#{cycle_anchor(cycle)}",
        rows=f"{overview}#{ROW_PREFIX}",
        canonical=site.address(company_page(record.slug)) or overview,
    )
