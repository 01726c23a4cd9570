"""The downloads: the dataset as CSV and JSON, its Frictionless datapackage.json, one JSON file
and one SVG badge per company. Pure: each function returns file contents (``data_file_pieces``:
in pieces); ``hrdd.site.datawriter`` writes them.

Per-assessment numbers come from ``hrdd.report.score_to_dict``, so the JSON says exactly what
``hrdd score --format json`` prints (the full dataset writes each element's answer and points
once, under ``answers``; a company's file has the scores down to each indicator's).

Each format holds the dataset once. The JSON lists each assessment's levels and sources once
and cites them by id; the CSV tables name elements and indicators by id (``elements.csv`` has
their text), but answers.csv keeps each level's name and the cited URLs on its rows: gzip makes
them 1.5 KB of its 20 a company (synthetic 100 x 3), and they spare a spreadsheet a lookup.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import re
import shutil
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from hrdd import narrative
from hrdd.models import Answer, Assessment, Evidence
from hrdd.report import num, score_to_dict
from hrdd.score import AssessmentScore
from hrdd.sectors import competition_ranks
from hrdd.site import CompanyRecord, Entry, Scorecard
from hrdd.site.licence import DataLicence, metadata, sources

DATA_DIR = "data"
GZIP = ".gz"
BZIP2 = ".bz2"
SCORECARD_JSON = f"{DATA_DIR}/scorecard.json{BZIP2}"
"""The full dataset, bzip2-compressed: every cycle's every answer, once. bzip2 rather than the
tables' gzip: the file is not a Frictionless resource (Frictionless reads only gzip and zip, so
the CSV tables are gzip), its readers are programs (Python's bz2 module, pandas, R's bzfile,
bzcat; the Downloads page says how), and it is the largest download: bzip2 makes it half
gzip's size on the synthetic benchmark's text (19 KB a company at 100 x 3, gzip 39) and 15 %
smaller on the RDR example's (311 KB, gzip 367). xz, smaller on the RDR example (261 KB), takes
two to four times as long (the build writes this file at every run). The per-company files
hold each assessment's scores only."""
DATAPACKAGE_JSON = f"{DATA_DIR}/datapackage.json"


def company_json_path(slug: str) -> str:
    return f"{DATA_DIR}/companies/{slug}.json"


def badge_path(slug: str) -> str:
    return f"badges/{slug}.svg"


# --- tables --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Field:
    name: str
    type: str
    """A Frictionless field type: string, integer, number, boolean, date."""
    description: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    compressed: bool = False
    """Published gzip-compressed (``.csv.gz``): the tables that grow with every assessment. Left
    plain: totals.csv (one row an assessment, opened as it is in a spreadsheet; the publish
    workflow reads it from the published site) and elements.csv (one row an element)."""

    @property
    def path(self) -> str:
        return f"{DATA_DIR}/{self.name}.csv" + (GZIP if self.compressed else "")


_KEY = (
    Field(name="company", type="string", description="Company slug (the folder name under assessments/)."),
    Field(name="cycle", type="integer", description="Assessment cycle (year)."),
    Field(
        name="assessor_type",
        type="string",
        description="independent, or self for the company's own self-assessment (never ranked).",
    ),
    Field(name="framework", type="string", description="Framework id."),
    Field(name="framework_version", type="string", description="Framework version."),
)

TOTALS = Table(
    name="totals",
    title="Total scores",
    description="One row per published assessment: the company, who assessed it, the total score and coverage.",
    fields=(
        *_KEY,
        Field(name="company_name", type="string", description="Company name."),
        Field(
            name="sector",
            type="string",
            description="Sector: the id of one of the framework's sectors, or free text for a framework without.",
        ),
        Field(name="country", type="string", description="Country of headquarters (ISO 3166-1 alpha-2)."),
        Field(name="fictional", type="boolean", description="true for invented demonstration companies."),
        Field(name="assessor", type="string", description="Name of the assessing organisation."),
        Field(name="published", type="date", description="Date the assessment was published."),
        Field(name="total", type="number", description="Total score; empty when nothing could be scored."),
        Field(
            name="core_total",
            type="number",
            description="Score on the framework's core indicators only, which every sector answers: "
            "compare it across sectors. Equals total for a framework without sector modules.",
        ),
        Field(
            name="sector_total",
            type="number",
            description="Score on everything that applies to the company's sector (core and sector "
            "modules), the same as total: compare it within one sector.",
        ),
        Field(name="applicable", type="integer", description="Element and level pairs the framework expects."),
        Field(name="answered", type="integer", description="Pairs answered."),
        Field(name="not_applicable", type="integer", description="Pairs answered N/A (left out of every mean)."),
        Field(name="with_evidence", type="integer", description="Answers citing at least one source."),
        Field(
            name="rank",
            type="integer",
            description="Rank by total among the published independent assessments of the same cycle and "
            "framework (1, 2, 2, 4 on ties); empty for a self-assessment or without a total.",
        ),
    ),
    primary_key=("company", "cycle", "assessor_type"),
)

CATEGORY_SCORES = Table(
    name="category-scores",
    title="Category scores",
    description="One row per published assessment and framework category.",
    fields=(
        *_KEY,
        Field(name="category", type="string", description="Category id."),
        Field(name="category_title", type="string", description="Category title."),
        Field(name="score", type="number", description="Category score; empty when nothing could be scored."),
    ),
    primary_key=("company", "cycle", "assessor_type", "category"),
    compressed=True,
)

INDICATOR_SCORES = Table(
    name="indicator-scores",
    title="Indicator scores",
    description="One row per published assessment and indicator (families and their sub-indicators).",
    fields=(
        *_KEY,
        Field(name="category", type="string", description="Category id."),
        Field(name="indicator", type="string", description="Indicator id."),
        Field(name="family", type="string", description="Id of the family a sub-indicator belongs to."),
        Field(name="score", type="number", description="Indicator score; empty when nothing could be scored."),
        Field(name="company_side", type="number", description="Mean of the company-side levels."),
        Field(name="unit_side", type="number", description="Mean of the unit levels (services, business units)."),
        Field(name="indicator_title", type="string", description="Indicator title."),
    ),
    primary_key=("company", "cycle", "assessor_type", "indicator"),
    compressed=True,
)

ANSWERS = Table(
    name="answers",
    title="Element answers",
    description=(
        "One row per published assessment, element and level the element applies to. Free text "
        "starting with =, +, - or @ is prefixed with ' so that spreadsheets do not run it as a formula, "
        "and so is such a character after a semicolon, tab or bar (where a spreadsheet reading the file "
        "with that separator would start a cell); a cell holding a separator is quoted."
    ),
    fields=(
        *_KEY,
        Field(name="indicator", type="string", description="Indicator id."),
        Field(name="element", type="string", description="Element id."),
        Field(name="level", type="string", description="Level id (the whole company, a service, a business unit)."),
        Field(name="level_name", type="string", description="Level name."),
        Field(name="level_kind", type="string", description="Level kind as the framework declares it."),
        Field(name="answer", type="string", description="Answer id; empty when not answered."),
        Field(name="points", type="number", description="Points earned; empty for N/A or no answer."),
        Field(name="evidence_urls", type="string", description="URLs of the cited sources, separated by spaces."),
        Field(name="comment", type="string", description="The assessor's comment."),
        Field(name="reply", type="string", description="The company's reply to the finding."),
    ),
    primary_key=("company", "cycle", "assessor_type", "element", "level"),
    compressed=True,
)

NARRATIVES = Table(
    name="narratives",
    title="Key findings, recommendations and notes",
    description=(
        "One row per published assessment and narrative text (hrdd.narrative): its key findings, "
        "recommendations, changes since the previous cycle, and a note per category. Plain text; "
        "a blank line separates paragraphs, a line starting '- ' is a list item."
    ),
    fields=(
        *_KEY,
        Field(
            name="field",
            type="string",
            description="key_findings, recommendations, changes or category_notes.",
        ),
        Field(name="number", type="integer", description="Position of the text in its field, from 1."),
        Field(name="category", type="string", description="The category a category note is about."),
        Field(name="text", type="string", description="The text."),
    ),
    primary_key=("company", "cycle", "assessor_type", "field", "number"),
    compressed=True,
)

ELEMENTS = Table(
    name="elements",
    title="Indicators and elements",
    description=(
        "One row per element of each framework version the downloads use: its indicator's title and the "
        "element's text, once (answers.csv names the element and indicator by id, so that the largest "
        "table does not repeat them on every row)."
    ),
    fields=(
        Field(name="framework", type="string", description="Framework id."),
        Field(name="framework_version", type="string", description="Framework version."),
        Field(name="category", type="string", description="Category id."),
        Field(name="indicator", type="string", description="Indicator id."),
        Field(name="indicator_title", type="string", description="Indicator title."),
        Field(name="element", type="string", description="Element id."),
        Field(name="text", type="string", description="The element: what the assessor looks for."),
    ),
    primary_key=("framework", "framework_version", "element"),
)

TABLES = (TOTALS, CATEGORY_SCORES, INDICATOR_SCORES, ANSWERS, NARRATIVES, ELEMENTS)

WHOLE_TABLES = (TOTALS, ELEMENTS)
"""Tables written whole rather than in per-assessment pieces: the rank depends on every
assessment, the elements on none."""


def _cell(value: Decimal | int | str | bool | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _text(value: str) -> str:
    # Untrusted text: a leading =, +, - or @ makes spreadsheets evaluate the cell as a formula.
    flat = " ".join(value.split())
    return "'" + flat if flat[:1] in ("=", "+", "-", "@") else flat


def _key(entry: Entry) -> list[str]:
    a = entry.facts
    return [a.company.slug, str(a.cycle), a.assessor.type, entry.framework.id, entry.framework.version]


def totals_ranks(entries: Sequence[Entry]) -> dict[int, int | None]:
    """Rank of each entry (by index) among the independent assessments of its cycle and framework."""
    groups: dict[tuple[int, str], list[int]] = {}
    for n, e in enumerate(entries):
        if not e.is_self:
            groups.setdefault((e.cycle, e.framework.id), []).append(n)
    out: dict[int, int | None] = {}
    for members in groups.values():
        ordered = sorted(members, key=lambda n: (entries[n].score.total is None, -(entries[n].score.total or 0)))
        for n, rank in zip(ordered, competition_ranks([entries[n].score.total for n in ordered]), strict=True):
            out[n] = rank
    return out


def _totals_rows(entries: Sequence[Entry]) -> Iterator[list[str]]:
    # The rank depends on every entry: the table is written whole, never in per-entry pieces.
    ranks = totals_ranks(entries)
    for number, e in enumerate(entries):
        a, c = e.facts, e.score.coverage
        yield [
            *_key(e),
            _text(a.company.name),
            _text(a.company.sector),
            a.company.country,
            _cell(a.company.fictional),
            _text(a.assessor.name),
            _cell(a.dates.published),
            _cell(e.score.total),
            _cell(e.score.core_total),
            _cell(e.score.sector_total),
            *(str(n) for n in (c.applicable, c.answered, c.not_applicable, c.with_evidence)),
            _cell(ranks.get(number)),
        ]


def _category_rows(entries: Sequence[Entry]) -> Iterator[list[str]]:
    for e in entries:
        for cat in e.framework.categories:
            yield [*_key(e), cat.id, _text(cat.title), _cell(e.score.categories.get(cat.id))]


def _indicator_rows(entries: Sequence[Entry]) -> Iterator[list[str]]:
    for e in entries:
        for ind in e.framework.all_indicators():
            s = e.score.indicators[ind.id]
            sides = ("", "") if ind.is_family else (_cell(s.company_side), _cell(s.unit_side))
            yield [*_key(e), ind.category, ind.id, ind.parent or "", _cell(s.score), *sides, _text(ind.title)]


def _evidence_urls(assessment: Assessment, evidence: Sequence[Evidence]) -> str:
    urls = []
    for ev in evidence:
        source = assessment.source(ev.source)
        if source is not None and source.url not in urls:
            urls.append(source.url)
    return " ".join(urls)


def _answer_rows(entries: Sequence[Entry]) -> Iterator[list[str]]:
    for e in entries:
        a = e.assessment
        levels = {lv.id: lv for lv in a.levels}
        for es in e.score.elements:
            element = e.framework.element(es.element)
            answer: Answer | None = a.answers.get(es.element, {}).get(es.level)
            level = levels[es.level]
            yield [
                *_key(e),
                element.indicator if element else "",
                es.element,
                es.level,
                _text(level.name),
                level.kind,
                _cell(es.answer),
                _cell(es.points),
                _evidence_urls(a, answer.evidence) if answer else "",
                _text(answer.comment) if answer else "",
                _text(answer.reply.text) if answer and answer.reply else "",
            ]


def _narrative_text(value: str) -> str:
    # Keeps the text's line breaks (paragraphs, list items): only the cell's first character
    # can start a formula (_text guards it), and _csv_cell quotes a cell holding a line break.
    lines = [" ".join(line.split()) for line in value.strip().split("\n")]
    first = _text(lines[0]) if lines else ""
    return "\n".join([first, *lines[1:]])


def _narrative_rows(entries: Sequence[Entry]) -> Iterator[list[str]]:
    for e in entries:
        a = e.assessment
        for name in narrative.LIST_FIELDS:
            for n, text in enumerate(getattr(a, name), start=1):
                yield [*_key(e), name, str(n), "", _narrative_text(text)]
        for n, (category, text) in enumerate(a.category_notes.items(), start=1):
            yield [*_key(e), narrative.NOTES_FIELD, str(n), category, _narrative_text(text)]


def elements_csv(card: Scorecard) -> str:
    rows = (
        [fw.id, fw.version, ind.category, ind.id, _text(ind.title), el.id, _text(el.text)]
        for fw in card.shown_frameworks()
        for ind in fw.all_indicators()
        for el in ind.elements
    )
    return _header_csv(ELEMENTS) + _CSV_TEXT(rows)


_ROWS = {
    TOTALS.name: _totals_rows,
    CATEGORY_SCORES.name: _category_rows,
    INDICATOR_SCORES.name: _indicator_rows,
    ANSWERS.name: _answer_rows,
    NARRATIVES.name: _narrative_rows,
}


def table_csv(table: Table, entries: Sequence[Entry]) -> str:
    return _header_csv(table) + _CSV_TEXT(_ROWS[table.name](entries))


def _header_csv(table: Table) -> str:
    return _CSV_TEXT([[f.name for f in table.fields]])


# --- JSON ----------------------------------------------------------------------------------


def _evidence_list(evidence: Sequence[Evidence]) -> list[dict[str, str]]:
    return [{"source": ev.source, "quote": ev.quote, "locator": ev.locator} for ev in evidence]


def _answer_item(answer: Answer) -> dict[str, Any]:
    item: dict[str, Any] = {"comment": answer.comment, "evidence": _evidence_list(answer.evidence)}
    if answer.reply is not None:
        item["reply"] = {
            "text": answer.reply.text,
            "date": answer.reply.date,
            "evidence": _evidence_list(answer.reply.evidence),
        }
    return item


def _answers_dict(assessment: Assessment, score: AssessmentScore) -> dict[str, dict[str, dict[str, Any]]]:
    """Every element and level the framework expects, with its answer and points (those of
    ``hrdd score --format json``, which lists them under each indicator: written here once,
    beside the comment and evidence), in the framework's order; an answer the scores leave out
    follows, without points, so that the dataset drops nothing."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for es in score.elements:
        answer = assessment.answers.get(es.element, {}).get(es.level)
        item: dict[str, Any] = {"answer": es.answer, "points": num(es.points)}
        if answer is not None:
            item.update(_answer_item(answer))
        out.setdefault(es.element, {})[es.level] = item
    for element_id, by_level in assessment.answers.items():
        for level_id, answer in by_level.items():
            if level_id not in out.get(element_id, {}):
                out.setdefault(element_id, {})[level_id] = {"answer": answer.answer, "points": None} | _answer_item(
                    answer
                )
    return out


def assessment_dict(entry: Entry) -> dict[str, Any]:
    """``score_to_dict`` (the numbers of ``hrdd score --format json``), plus what the assessment
    says; each element's answer and points are under ``answers`` (not repeated under its indicator)."""
    a = entry.assessment
    data = score_to_dict(entry.score, a, entry.framework)
    for indicator in data["indicators"].values():
        # Each element's answer and points: under "answers", with the assessor's comment.
        indicator.pop("elements", None)
    c = a.company
    data["company"].update(sector=c.sector, country=c.country, type=c.type, fictional=c.fictional, website=c.website)
    data["assessor"]["url"] = a.assessor.url
    data["assessor"]["contact"] = a.assessor.contact
    data["dates"] = {
        "research_start": a.dates.research_start,
        "research_end": a.dates.research_end,
        "published": a.dates.published,
    }
    data["summary"] = a.summary
    data.update(narrative.data_of(a))
    data["levels"] = [{"id": lv.id, "name": lv.name, "kind": lv.kind} for lv in a.levels]
    data["sources"] = [
        {
            "id": s.id,
            "url": s.url,
            "title": s.title,
            "publisher": s.publisher,
            "document_date": s.document_date,
            "accessed": s.accessed,
            "archive_url": s.archive_url,
        }
        for s in a.sources
    ]
    data["answers"] = _answers_dict(a, entry.score)
    data["incidents"] = [
        {
            "id": i.id,
            "title": i.title,
            "date": i.date,
            "allegation": i.allegation,
            "sources": list(i.sources),
            "indicators": list(i.indicators),
            "response": None
            if i.response is None
            else {"text": i.response.text, "date": i.response.date, "sources": list(i.response.sources)},
            "assessment": None
            if i.assessment is None
            else {"rating": i.assessment.rating, "comment": i.assessment.comment},
        }
        for i in a.incidents
    ]
    return data


def company_assessment_dict(entry: Entry) -> dict[str, Any]:
    """An assessment in its company's file: the facts, the scores down to each indicator's (the
    numbers of ``hrdd score --format json``, which the ranking's compare view shows) and the key
    findings; the company is in the file's head, each element's answer in the full dataset."""
    a, score = entry.assessment, entry.score
    c = score.coverage
    return {
        "cycle": a.cycle,
        "assessor": {"type": a.assessor.type, "name": a.assessor.name},
        "status": a.status,
        "framework": {"id": entry.framework.id, "version": entry.framework.version},
        "sector": a.company.sector,
        "dates": {
            "research_start": a.dates.research_start,
            "research_end": a.dates.research_end,
            "published": a.dates.published,
        },
        "total": num(score.total),
        "core_total": num(score.core_total),
        "sector_total": num(score.sector_total),
        "categories": {k: num(v) for k, v in score.categories.items()},
        "indicator_scores": {ind.id: num(score.indicators[ind.id].score) for ind in entry.framework.all_indicators()},
        "coverage": {
            "applicable": c.applicable,
            "answered": c.answered,
            "not_applicable": c.not_applicable,
            "with_evidence": c.with_evidence,
        },
        "summary": a.summary,
        **narrative.data_of(a),
    }


def _company_meta(record: CompanyRecord) -> dict[str, Any]:
    c = record.company
    return {
        "slug": c.slug,
        "name": c.name,
        "sector": c.sector,
        "country": c.country,
        "type": c.type,
        "fictional": c.fictional,
        "website": c.website,
        "description": c.description,
    }


def company_head(record: CompanyRecord, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """A company's JSON file without its assessments (``data_files`` adds them)."""
    return {"company": _company_meta(record), **(meta or {})}


def scorecard_head(card: Scorecard, licence: DataLicence | None = None) -> dict[str, Any]:
    """The full dataset's JSON without its assessments (``data_files`` adds them)."""
    return {
        "edition": card.edition,
        "updated": card.updated,
        "frameworks": [{"id": fw.id, "version": fw.version, "title": fw.title} for fw in card.shown_frameworks()],
        **metadata(card, licence),
    }


def dump_json(data: Any) -> str:
    """Small JSON files people read (the data package, the record of corrections): indented."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def compact_json(data: Any) -> str:
    """The datasets: compact. Python's C encoder only runs without indentation, and it is ten
    times faster than the pure-Python one on the hundreds of megabytes a large scorecard has."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


PACKAGE_NOTE = (
    "The published assessments as CSV tables: every cycle's every answer with the assessor's comment, "
    "reply and cited URLs (answers), the scores, the narratives. The same assessments as one JSON file, "
    "with each answer's evidence quotes, the sources and the incidents too, are in "
    f"{SCORECARD_JSON.removeprefix(DATA_DIR + '/')} (bzip2-compressed: Python's bz2 module, pandas, "
    "R's bzfile() and bzcat read it), and each company's scores in companies/<slug>.json."
)


def datapackage(card: Scorecard, *, name: str, title: str, licence: DataLicence | None = None) -> dict[str, Any]:
    """A Frictionless (v1) data package describing the CSV tables (the full dataset's JSON is
    bzip2-compressed, which Frictionless does not read: ``PACKAGE_NOTE`` points to it)."""
    resources: list[dict[str, Any]] = [
        {
            "profile": "tabular-data-resource",
            "name": t.name,
            "path": t.path.removeprefix(f"{DATA_DIR}/"),
            "title": t.title,
            "description": t.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            **({"compression": "gz"} if t.compressed else {}),
            "schema": {
                "fields": [{"name": f.name, "type": f.type, "description": f.description} for f in t.fields],
                "missingValues": [""],
                "primaryKey": list(t.primary_key),
            },
        }
        for t in TABLES
    ]
    package: dict[str, Any] = {"profile": "data-package", "name": name, "title": title, "description": PACKAGE_NOTE}
    if licence is not None:
        package["licenses"] = [licence.as_dict()]
    if credits := sources(card):
        package["sources"] = credits
    # Each file's entry carries them too (Frictionless resources have licenses and sources), so
    # that a table read or passed on alone still says its licence and whom to credit.
    for resource in resources:
        resource.update({k: package[k] for k in ("licenses", "sources") if k in package})
    if card.updated:
        package["created"] = f"{card.updated}T00:00:00Z"
    package["resources"] = resources
    return package


# --- badges --------------------------------------------------------------------------------


def _text_width(text: str) -> int:
    # Rough width of 11px Verdana; badges need no exact metrics, only room for the text.
    return 10 + sum(7 if ch.isupper() or ch.isdigit() else 6 for ch in text)


def badge_entry(record: CompanyRecord) -> Entry:
    """The assessment a badge shows: the latest independent one, else the latest self-assessment."""
    independent = [e for e in record.entries if not e.is_self]
    return (independent or list(record.entries))[-1]


def badge(record: CompanyRecord) -> str:
    entry = badge_entry(record)
    left = f"{entry.framework.title} {entry.cycle}"
    value = "n/a" if entry.score.total is None else f"{entry.score.total}/{entry.framework.scale_max}"
    right = f"{value} self-assessed" if entry.is_self else value
    # White text needs a dark background: both colours pass 4.5:1.
    colour = "#7A4A00" if entry.is_self else "#005A8C"
    lw, rw = _text_width(left), _text_width(right)
    label = f"{record.company.name}: {left}: {right}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{lw + rw}" height="20" role="img" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>'
        f'<rect width="{lw}" height="20" fill="#444"/>'
        f'<rect x="{lw}" width="{rw}" height="20" fill="{colour}"/>'
        f'<g fill="#fff" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">'
        f'<text x="{lw / 2:.1f}" y="14">{escape(left)}</text>'
        f'<text x="{lw + rw / 2:.1f}" y="14">{escape(right)}</text></g></svg>\n'
    )


# --- all files ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Piece:
    """The part of a data file made from one assessment alone: its rows of a CSV table, or its
    JSON. The same assessment with the same scores gives the same text, in whichever file, so a
    writer may copy it from a file it wrote before (``hrdd.site.datawriter``) instead of
    encoding it again."""

    kind: str
    entry: Entry

    def text(self) -> str:
        if self.kind == JSON_PIECE:
            return compact_json(assessment_dict(self.entry))
        if self.kind == COMPANY_PIECE:
            return compact_json(company_assessment_dict(self.entry))
        return _CSV_TEXT(_ROWS[self.kind]([self.entry]))

    def companions(self) -> tuple[Piece, ...]:
        """The pieces of other kinds made from the whole assessment too, when this one is: a
        writer encoding them together builds each assessment once (see ``Entry.assessment``)."""
        if self.kind not in WHOLE_ASSESSMENT_KINDS:
            return ()
        return tuple(Piece(kind, self.entry) for kind in WHOLE_ASSESSMENT_KINDS if kind != self.kind)


JSON_PIECE = "json"
COMPANY_PIECE = "company-json"

WHOLE_ASSESSMENT_KINDS = (JSON_PIECE, ANSWERS.name, NARRATIVES.name, COMPANY_PIECE)
"""The kinds of piece made from a whole assessment (the others need only its facts and scores)."""


class _CsvText:
    """Rows as CSV text (every cell as ``_csv_cell`` writes it)."""

    def __call__(self, rows: Iterable[Sequence[str]]) -> str:
        return "".join(",".join(map(_csv_cell, row)) + "\n" for row in rows)


def _csv_cell(cell: str) -> str:
    # A spreadsheet opening the file with another locale's separator (";", a tab, "|") splits
    # every line at it, quotes or not, and a cell then starts right after it: "a;=HYPERLINK(...)"
    # would give a formula cell. So after any of them, a formula's first character gets a "'"
    # (as _text does at the start of a text), and a cell holding any separator is quoted.
    if _QUOTE.search(cell) is None:  # most cells (ids, numbers): one search, nothing to change
        return cell
    return '"' + _FORMULA_AFTER_SEPARATOR.sub("\\1'", cell).replace('"', '""') + '"'


_QUOTE = re.compile('[,;\t|"\r\n]')
_FORMULA_AFTER_SEPARATOR = re.compile("([;\t|][ ]*)(?=[=+\\-@])")

_CSV_TEXT = _CsvText()

DataFile = tuple[str, Sequence["str | Piece"]]
"""A data file's path and its content: fixed text and pieces, in order."""


def _json_with_assessments(head: dict[str, Any], entries: Iterable[Entry], kind: str = JSON_PIECE) -> list[str | Piece]:
    """``head`` as JSON with an ``assessments`` list appended, one piece per assessment."""
    parts: list[str | Piece] = [compact_json(head)[:-1] + ',"assessments":[']
    for number, entry in enumerate(entries):
        if number:
            parts.append(",")
        parts.append(Piece(kind, entry))
    parts.append("]}\n")
    return parts


def data_file_pieces(
    card: Scorecard, *, name: str = "hrdd-scorecard", title: str = "Scorecard", licence: DataLicence | None = None
) -> Iterator[DataFile]:
    """Every download with its path, as fixed text and per-assessment pieces. The full dataset
    comes first (the largest pieces), then the tables, then the companies' files (each assessment's
    scores). A compressed download (``compression``: ``.gz``, ``.bz2``) is written here as text
    and compressed on its way into the site (``compress_file``, ``compress_text``), so that
    unchanged pieces can still be copied from the last run's files."""
    yield SCORECARD_JSON, _json_with_assessments(scorecard_head(card, licence), card.entries)
    for t in TABLES:
        if t is TOTALS:
            yield t.path, [table_csv(t, card.entries)]
        elif t is ELEMENTS:
            yield t.path, [elements_csv(card)]
        else:
            yield t.path, [_header_csv(t), *(Piece(t.name, e) for e in card.entries)]
    yield DATAPACKAGE_JSON, [dump_json(datapackage(card, name=name, title=title, licence=licence))]
    for record in card.companies:
        meta = metadata(card, licence)
        parts = _json_with_assessments(company_head(record, meta), record.entries, COMPANY_PIECE)
        yield company_json_path(record.slug), parts
        yield badge_path(record.slug), [badge(record)]


def data_files(
    card: Scorecard, *, name: str = "hrdd-scorecard", title: str = "Scorecard", licence: DataLicence | None = None
) -> dict[str, str]:
    """Every download, by its path under the docs folder."""
    texts: dict[tuple[str, str, int, bool], str] = {}

    def text(part: str | Piece) -> str:
        if isinstance(part, str):
            return part
        key = (part.kind, part.entry.slug, part.entry.cycle, part.entry.is_self)  # one entry of a scorecard
        if key not in texts:
            texts[key] = part.text()
        return texts[key]

    pieces = data_file_pieces(card, name=name, title=title, licence=licence)
    return {path: "".join(text(p) for p in parts) for path, parts in pieces}


COMPRESSIONS = {GZIP: "gzip", BZIP2: "bzip2"}
"""The compressions of the downloads, by the suffix of their paths."""


def compression(path: str) -> str | None:
    """How the download at ``path`` is compressed (``COMPRESSIONS``), None when it is not."""
    return next((name for suffix, name in COMPRESSIONS.items() if path.endswith(suffix)), None)


def compress_text(path: str, text: str) -> bytes:
    """``text`` compressed as ``path`` says, the same bytes on every run."""
    buffer = io.BytesIO()
    with _compressor(path, buffer) as out:
        out.write(text.encode("utf-8"))
    return buffer.getvalue()


def compress_file(path: str, source: Path, target: Path) -> None:
    """``source`` compressed into ``target`` as ``path`` says, streamed, the same bytes on every run."""
    with source.open("rb") as src, target.open("wb") as raw, _compressor(path, raw) as out:
        shutil.copyfileobj(src, out, 1 << 20)


def _compressor(path: str, raw: io.BufferedIOBase | io.BytesIO | Any) -> gzip.GzipFile | bz2.BZ2File:
    if path.endswith(BZIP2):
        return bz2.BZ2File(raw, mode="wb", compresslevel=9)  # bzip2 writes no name and no time
    # No file name, no time; through GzipFile, as gzip.compress writes another OS byte in the header.
    return gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0)
