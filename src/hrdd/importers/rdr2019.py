"""Import RDR's 2019 Corporate Accountability Index (its CSV download) as framework ``rdr@2019``.

The 2019 download is a different layout from the 2022 one: per company an ``_Outcome.csv``
(every element answer per level, with level and indicator scores) and a ``_Sources.csv``, and
two summary files. The element texts are not in it: they come from RDR's indicator pages
(``indicators/*.md``, see ``rdr_text``).

What the 2019 method is, as this importer writes it into the framework (each rule checked
against the level, indicator and summary scores RDR published):

* an answer earns 100, 50 or 0 (reversed where RDR's Score column shows yes as 0); N/A is
  left out; a level's score on an indicator is the mean of its element points;
* indicators answered once per aspect at each level (the governance indicators, answered for
  "Freedom of Expression" and for "Privacy") are the plain mean of every answered level
  (``aggregation.flat_levels``);
* the others are the mean over services, where the sub-services of a class that RDR scores as
  sublevels (prepaid and postpaid mobile) are first averaged into one (``combine_as``);
* categories and the total are means of indicators; nothing is rounded (``rounding.at: never``).

Everything is derived from the files: level kinds from the classes and services that carry
answers, an indicator's scope, exclusions and aspects from where it is answered, reversed
elements from the Score column. Nothing names a company, a service or an indicator.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any

from hrdd.importers import rdr as base
from hrdd.importers.rdr_editions import read_identities
from hrdd.importers.rdr_text import IndicatorPage, read_pages

FRAMEWORK_VERSION = "2019"
ATTRIBUTION_TEXT = "Data: Ranking Digital Rights, {cycle} Corporate Accountability Index, CC BY 4.0"
TITLE = "Ranking Digital Rights {cycle} methodology (as used in the {cycle} Corporate Accountability Index)"
SUMMARY = (
    "Ranking Digital Rights' {cycle} Corporate Accountability Index scores internet, mobile ecosystem and "
    "telecommunications companies on their public commitments, policies and practices affecting users' "
    "freedom of expression and privacy. Imported from RDR's public CSV download and indicator pages by "
    "hrdd import rdr; scores reproduce RDR's published, unrounded results."
)

COLUMNS_OUTCOME = (
    "Company_Category",
    "Company",
    "Class",
    "Service_Name",
    "Level",
    "Category",
    "Indicator",
    "Scoring_Level",
    "Element",
    "Score",
    "Answer",
    "Comments",
    "Sources",
)
COLUMNS_SUMMARY = ("Company", "Category", "Class", "Service_Name", "Total")
COLUMNS_OVERVIEW = ("Company", "Type", "Total")
COLUMNS_SOURCES = ("Source reference number", "Document title", "URL")
# Read by how their names begin: one of RDR's files spells the first "Date of documen".
COLUMN_DOCUMENT_DATE = "date of doc"
COLUMN_ACCESSED = "date accessed"

# RDR's answer words in 2019 (compared case-insensitively) -> hrdd answer ids.
ANSWER_WORDS = {
    "yes": "yes",
    "partial": "partial",
    "no": "no",
    "no disclosure found": "no_disclosure",
    "n/a": "not_applicable",
    "na": "not_applicable",
}
SCORING_ELEMENT = "element"
SCORING_LEVEL = "level"
SCORING_SUBLEVEL = "sublevel"
SCORING_INDICATOR = "indicator"
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def _canon(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def _norm(name: str) -> str:
    """A service or file name reduced to letters and digits, for matching spellings."""
    return re.sub(r"[^0-9a-z]+", "", base._slug(name))


# --- reading CSV members, keeping every row that is not imported ------------------------------


@dataclass(frozen=True, slots=True)
class _Row:
    member: str
    line: int
    values: Mapping[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(_canon(column), "")

    def starting(self, prefix: str) -> str:
        """The first column whose name begins with ``prefix`` (for misspelt column names)."""
        return next((v for k, v in self.values.items() if k.startswith(prefix)), "")


@dataclass(slots=True)
class _Table:
    member: str
    header: tuple[str, ...]
    rows: list[_Row] = field(default_factory=list)

    def has(self, columns: Iterable[str]) -> bool:
        return all(_canon(c) in self.header for c in columns)


@dataclass(slots=True)
class _Skipped:
    """Rows that were not imported, with their file and line, for the notes."""

    rows: list[str] = field(default_factory=list)

    def add(self, member: str, line: int, why: str) -> None:
        self.rows.append(f"{member} line {line}: {why}")


def _read_table(zf: zipfile.ZipFile, zip_path: Path, member: str, skipped: _Skipped) -> _Table | None:
    try:
        raw = zf.read(member)
    except (OSError, zipfile.BadZipFile, RuntimeError) as exc:
        raise base.RdrImportError(f"{zip_path}: {member}: cannot read member: {exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise base.RdrImportError(f"{zip_path}: {member}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise base.RdrImportError(f"{zip_path}: {member}, line 1: {exc}") from exc
    if not header:
        return None
    table = _Table(member, tuple(_canon(h) for h in header))
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            skipped.add(member, start, f"unreadable CSV ({exc}); the rest of the file is not read")
            break
        if any(cell.strip() for cell in row):
            if len(row) > len(header):
                skipped.add(member, start, f"{len(row)} fields where the header has {len(header)}")
            else:
                # A short row (trailing fields left off, as in some of RDR's source lists) reads
                # its missing fields as empty.
                row = row + [""] * (len(header) - len(row))
                table.rows.append(_Row(member, start, dict(zip(table.header, row, strict=True))))
        start = reader.line_num + 1
    return table


def _members(zf: zipfile.ZipFile) -> list[str]:
    return [
        n
        for n in zf.namelist()
        if not n.endswith("/")
        and "__MACOSX/" not in n
        and not PurePosixPath(n).name.startswith("._")
        and PurePosixPath(n).suffix.casefold() == ".csv"
    ]


def _header_of(zf: zipfile.ZipFile, member: str) -> tuple[str, ...]:
    try:
        with zf.open(member) as fh:
            first = fh.readline(64 * 1024).decode("utf-8-sig", errors="replace")
    except (OSError, zipfile.BadZipFile, RuntimeError):
        return ()
    try:
        row = next(csv.reader([first.rstrip("\r\n")]), [])
    except csv.Error:
        return ()
    return tuple(_canon(c) for c in row)


def recognises(zf: zipfile.ZipFile) -> bool:
    """Whether the zip is a 2019-layout download: a member with the outcome file's columns."""
    wanted = {_canon(c) for c in COLUMNS_OUTCOME}
    return any(wanted <= set(_header_of(zf, m)) for m in _members(zf))


# --- the dataset in memory --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _LevelKey:
    cls: str
    service: str
    level: str


@dataclass(slots=True)
class _CompanyData:
    name: str
    member: str
    category: str
    answers: list[_Row] = field(default_factory=list)
    level_rows: list[_Row] = field(default_factory=list)
    sublevel_rows: list[_Row] = field(default_factory=list)
    indicator_rows: list[_Row] = field(default_factory=list)
    sources_member: str | None = None
    sources: _Table | None = None


@dataclass(frozen=True, slots=True)
class _Kind:
    id: str
    label: str
    side: str
    combine_as: str | None = None


@dataclass(slots=True)
class _Dataset:
    zip_path: Path
    cycle: int
    packed: str | None
    """The newest timestamp of the zip's data files: when RDR packed the download."""
    companies: dict[str, _CompanyData]
    summary: _Table | None
    skipped: _Skipped
    notes: list[str]


def _read_dataset(zip_path: Path) -> _Dataset:
    skipped = _Skipped()
    notes: list[str] = []
    companies: dict[str, _CompanyData] = {}
    summary: _Table | None = None
    source_tables: list[_Table] = []
    years: set[int] = set()
    stamps: list[str] = []
    with base._open_zip(zip_path) as zf:
        for info in zf.infolist():
            try:
                stamps.append(dt.date(*info.date_time[:3]).isoformat())
            except ValueError:
                continue
        for member in sorted(_members(zf)):
            table = _read_table(zf, zip_path, member, skipped)
            if table is None:
                notes.append(f"{member}: empty, not read")
                continue
            years.update(int(y) for y in _YEAR_RE.findall(PurePosixPath(member).name))
            if table.has(COLUMNS_OUTCOME):
                _add_outcome(table, companies, zip_path, skipped)
            elif table.has(COLUMNS_SUMMARY):
                summary = table
            elif table.has(COLUMNS_SOURCES):
                source_tables.append(table)
            elif not table.has(COLUMNS_OVERVIEW):
                notes.append(f"{member}: columns not recognised, not read")
    if not companies:
        raise base.RdrImportError(f"{zip_path}: no outcome file (columns {', '.join(COLUMNS_OUTCOME)})")
    if len(years) != 1:
        raise base.RdrImportError(
            f"{zip_path}: cannot tell the index year from the file names (found {sorted(years) or 'none'})"
        )
    notes.extend(_attach_sources(companies, source_tables))
    cycle = years.pop()
    # The download carries no publication date; the zip's own timestamps say when RDR packed
    # it, the latest point by which the results were public. A timestamp before the index year
    # (a zip written without times says 1980) is no such date.
    packed = max((s for s in stamps if s >= f"{cycle}-01-01"), default=None)
    if packed is None:
        notes.append(f"{zip_path.name}: no usable file dates in the zip, so the assessments have no dates.published")
    else:
        notes.append(
            f"the download carries no publication date; dates.published is {packed}, when RDR packed its files "
            "(the zip's timestamps)"
        )
    return _Dataset(zip_path, cycle, packed, companies, summary, skipped, notes)


def _add_outcome(table: _Table, companies: dict[str, _CompanyData], zip_path: Path, skipped: _Skipped) -> None:
    names = {" ".join(r["Company"].split()) for r in table.rows if r["Company"].strip()}
    if len(names) != 1:
        raise base.RdrImportError(
            f"{zip_path}: {table.member}: expected one company per outcome file, found {sorted(names) or 'none'}"
        )
    name = names.pop()
    if name in companies:
        raise base.RdrImportError(f"{zip_path}: {table.member}: company '{name}' is also in {companies[name].member}")
    category = next((r["Company_Category"].strip() for r in table.rows if r["Company_Category"].strip()), "")
    company = _CompanyData(name, table.member, category)
    for row in table.rows:
        kind = _canon(row["Scoring_Level"])
        if not row["Indicator"].strip():
            skipped.add(row.member, row.line, "no indicator")
        elif kind == SCORING_ELEMENT:
            company.answers.append(row)
        elif kind == SCORING_LEVEL:
            company.level_rows.append(row)
        elif kind == SCORING_SUBLEVEL:
            company.sublevel_rows.append(row)
        elif kind == SCORING_INDICATOR:
            company.indicator_rows.append(row)
        else:
            skipped.add(
                row.member,
                row.line,
                f"Scoring_Level '{row['Scoring_Level']}' is none of Element, Level, Sublevel, Indicator",
            )
    companies[name] = company


def _file_token(member: str) -> str:
    # RDR2019_<Company>_Outcome.csv / _Sources.csv: the part that names the company.
    stem = PurePosixPath(member).stem
    stem = _YEAR_RE.sub("", stem)
    return _norm(re.sub(r"(?i)(outcome|sources?)$", "", stem.strip("_- ")).replace("RDR", ""))


def _attach_sources(companies: Mapping[str, _CompanyData], tables: Sequence[_Table]) -> list[str]:
    """Give each company its sources file: same name token as its outcome file, else the
    closest spelling (RDR's own file names have typos), else none (noted)."""
    notes = []
    free = {_file_token(t.member): t for t in tables}
    pending = []
    for company in companies.values():
        table = free.pop(_file_token(company.member), None)
        if table is None:
            pending.append(company)
        else:
            company.sources, company.sources_member = table, table.member
    for company in pending:
        token = _file_token(company.member)
        close = difflib.get_close_matches(token, list(free), n=1, cutoff=0.75)
        if close:
            table = free.pop(close[0])
            company.sources, company.sources_member = table, table.member
            notes.append(
                f"{company.name}: sources read from {table.member}, whose name is the closest to {company.member}"
            )
        else:
            notes.append(f"{company.name}: no sources file matches {company.member}; imported without sources")
    notes.extend(f"{t.member}: a sources file that matches no outcome file, not read" for t in free.values())
    return notes


# --- the methodology, derived from the data and the indicator pages --------------------------


@dataclass(slots=True)
class _Method:
    aspects: tuple[str, ...]
    """Category names that levels are split by ("Group - Privacy")."""
    kinds: dict[str, _Kind]
    categories: dict[str, str]
    """Category id -> title."""
    indicators: dict[str, str]
    """Indicator id -> category id, in order."""
    elements: dict[str, list[str]]
    """Indicator id -> element ids, in order."""
    reversed: set[str]
    answered_kinds: dict[str, set[str]]
    """Indicator id -> level kinds it has answers at (in any company)."""
    answered_types: dict[str, set[str]]
    flat: set[str]
    types: dict[str, tuple[str, str, str]]
    """Company name -> (type id, type label, sector)."""


def _aspect_split(level: str, aspects: Sequence[str]) -> tuple[str, str | None]:
    for aspect in aspects:
        suffix = f" - {aspect}"
        if level.endswith(suffix):
            return level[: -len(suffix)].strip(), aspect
    return level.strip(), None


def _company_type(company: _CompanyData, summary_types: Mapping[str, str]) -> tuple[str, str, str]:
    words = [company.category, summary_types.get(company.name, "")]
    for word in words:
        key = _canon(word)
        for prefix, (type_id, sector) in base.COMPANY_TYPES.items():
            if key and (key.startswith(prefix) or prefix.startswith(key)):
                return type_id, base.COMPANY_TYPE_LABELS[type_id], sector
    label = summary_types.get(company.name) or company.category or "unknown"
    return base._slug(label) or "unknown", label, label


def _level_kind(row: _Row, sublevel_services: set[tuple[str, str]], aspects: Sequence[str]) -> tuple[_Kind, str | None]:
    """The level kind of an answer row, and its aspect."""
    cls, service = row["Class"].strip(), row["Service_Name"].strip()
    _, aspect = _aspect_split(row["Level"], aspects)
    company_wide = base._is_na(service)
    if company_wide:
        kind = _Kind(base._slug(cls) or "company", cls, "company")
    elif (cls, service) in sublevel_services:
        # RDR scores these services as sublevels of one level of their class (prepaid and
        # postpaid mobile): they are combined into one service before services are averaged.
        kind = _Kind(base._slug(service), service, "unit", base._slug(cls))
    else:
        kind = _Kind(base._slug(cls) or "service", cls, "unit")
    if aspect is None:
        return kind, None
    # A company-wide aspect level (Group - Privacy) combines with its sibling aspects into the
    # level RDR's company-wide summary row scores (Group). Services' aspects do not: two services
    # of one class (two messengers) would share a kind and be mixed into one number.
    combine = kind.id if kind.side == "company" else None
    return _Kind(f"{kind.id}-{base._slug(aspect)}", f"{kind.label} ({aspect})", kind.side, combine), aspect


def _derive_method(data: _Dataset, pages: Mapping[str, IndicatorPage]) -> _Method:
    category_names: dict[str, None] = {}
    indicator_category: dict[str, str] = {}
    for company in data.companies.values():
        for row in company.answers:
            category_names.setdefault(row["Category"].strip(), None)
    category_names.pop("", None)
    level_names = {r["Level"].strip() for co in data.companies.values() for r in co.answers}
    aspects = tuple(c for c in category_names if any(name.endswith(f" - {c}") for name in level_names))
    summary_types = {}
    if data.summary is not None:
        summary_types = {" ".join(r["Company"].split()): r["Category"] for r in data.summary.rows}
    kinds: dict[str, _Kind] = {}
    elements: dict[str, dict[str, None]] = {}
    answered_kinds: dict[str, set[str]] = {}
    answered_types: dict[str, set[str]] = {}
    aspect_indicators: set[str] = set()
    plain_indicators: set[str] = set()
    reversed_elements: set[str] = set()
    types = {}
    for company in data.companies.values():
        types[company.name] = _company_type(company, summary_types)
        subs = {(r["Class"].strip(), r["Service_Name"].strip()) for r in company.sublevel_rows}
        for row in company.answers:
            ind = row["Indicator"].strip()
            kind, aspect = _level_kind(row, subs, aspects)
            kinds.setdefault(kind.id, kind)
            indicator_category.setdefault(ind, row["Category"].strip())
            elements.setdefault(ind, {})[row["Element"].strip()] = None
            answered_kinds.setdefault(ind, set()).add(kind.id)
            answered_types.setdefault(ind, set()).add(types[company.name][0])
            (aspect_indicators if aspect else plain_indicators).add(ind)
            word = _canon(row["Answer"])
            if (word == "yes" and row["Score"].strip() == "0") or (word == "no" and row["Score"].strip() == "100"):
                reversed_elements.add(row["Element"].strip())
    categories: dict[str, str] = {}
    cat_ids: dict[str, str] = {}
    for title in category_names:
        members = [i for i, c in indicator_category.items() if c == title]
        prefix = _common_prefix(members) or base._slug(title)
        cat_ids[title] = prefix
        categories[prefix] = title
    order = sorted(
        indicator_category,
        key=lambda i: (list(category_names).index(indicator_category[i]), base._natural(re.sub(r"^\D+", "", i))),
    )
    # Elements in the pages' order; any the data has beyond the pages are added after them.
    element_ids: dict[str, list[str]] = {}
    for ind in order:
        page = pages.get(ind)
        from_pages = [f"{ind}.{n}" for n in range(1, len(page.elements) + 1)] if page else []
        extra = sorted((e for e in elements[ind] if e not in from_pages), key=lambda e: base._natural(e.split(".")[-1]))
        element_ids[ind] = from_pages + extra
    return _Method(
        aspects=aspects,
        kinds=kinds,
        categories=categories,
        indicators={i: cat_ids[indicator_category[i]] for i in order},
        elements=element_ids,
        reversed=reversed_elements,
        answered_kinds=answered_kinds,
        answered_types=answered_types,
        flat=aspect_indicators - plain_indicators,
        types=types,
    )


def _common_prefix(ids: Sequence[str]) -> str:
    letters = {re.match(r"^[A-Za-z]+", i).group() for i in ids if re.match(r"^[A-Za-z]+", i)}  # type: ignore[union-attr]
    return letters.pop() if len(letters) == 1 else ""


# --- writing the framework ---------------------------------------------------------------------


def _framework_data(meth: _Method, pages: Mapping[str, IndicatorPage], cycle: int, notes: list[str]) -> dict[str, Any]:
    indicators = []
    for ind, cat in meth.indicators.items():
        page = pages.get(ind)
        if page is None:
            notes.append(f"{ind}: no indicator page; its title and element texts are its id")
        kinds_here = meth.answered_kinds[ind]
        sides = {meth.kinds[k].side for k in kinds_here}
        scope = "both" if sides == {"company", "unit"} else "company" if sides == {"company"} else "units"
        in_scope = [k for k in meth.kinds.values() if scope == "both" or (k.side == "company") == (scope == "company")]
        excluded_kinds = sorted(k.id for k in in_scope if k.id not in kinds_here)
        excluded_types = sorted(t for t in {v[0] for v in meth.types.values()} if t not in meth.answered_types[ind])
        entry: dict[str, Any] = {
            "id": ind,
            "category": cat,
            "title": (page.title if page else ind)[: base.MAX_TITLE],
        }
        if page and page.standard:
            entry["standard"] = page.standard[: base.MAX_TEXT]
        if page and page.guidance:
            entry["guidance"] = page.guidance[: base.MAX_TEXT]
        entry["scope"] = scope
        excluded: dict[str, list[str]] = {}
        if excluded_types:
            excluded["company_types"] = excluded_types
        if excluded_kinds:
            excluded["level_kinds"] = excluded_kinds
        if excluded:
            entry["excluded"] = excluded
        els = []
        for n, el in enumerate(meth.elements[ind]):
            text = page.elements[n] if page and n < len(page.elements) else ""
            if not text:
                text = f"Element {el} (RDR's indicator pages give no text for it)"
                if page:
                    notes.append(f"{el}: answered in the data but not listed on {page.path.name}")
            item: dict[str, Any] = {"id": el, "text": text[: base.MAX_TEXT]}
            if el in meth.reversed:
                item["reversed"] = True
            els.append(item)
        entry["elements"] = els
        indicators.append(entry)
    return {
        "id": base.FRAMEWORK_ID,
        "version": FRAMEWORK_VERSION,
        "title": TITLE.format(cycle=cycle),
        "summary": SUMMARY.format(cycle=cycle),
        "publisher": base.PUBLISHER,
        "licence": base.LICENCE,
        "attribution": {"text": ATTRIBUTION_TEXT.format(cycle=cycle), "url": base.ATTRIBUTION_URL.format(cycle=cycle)},
        "answers": [dict(a) for a in base.ANSWERS],
        "scale": {"min": 0, "max": 100},
        "company_types": sorted(
            ({"id": t, "label": label} for t, label, _ in set(meth.types.values())), key=lambda d: d["id"]
        ),
        "level_kinds": [_kind_data(k) for k in meth.kinds.values()],
        "categories": [{"id": cid, "title": title} for cid, title in meth.categories.items()],
        "indicators": indicators,
        "aggregation": {
            "total": "mean_of_indicators",
            "flat_levels": [i for i in meth.indicators if i in meth.flat],
        },
        "rounding": {"decimals": 2, "mode": "half_up", "at": "never"},
    }


def _kind_data(kind: _Kind) -> dict[str, str]:
    data = {"id": kind.id, "label": kind.label, "side": kind.side}
    if kind.combine_as:
        data["combine_as"] = kind.combine_as
    return data


# --- writing the assessments -------------------------------------------------------------------


@dataclass(slots=True)
class _Counts:
    answers: int = 0
    evidence: int = 0
    levels: int = 0
    sources: int = 0
    score_mismatches: list[str] = field(default_factory=list)


def _sources_data(
    company: _CompanyData, notes: list[str], skipped: _Skipped
) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The company's sources, and source number -> source id."""
    by_number: dict[str, str] = {}
    entries: list[dict[str, str]] = []
    if company.sources is None:
        return by_number, entries
    undated = 0
    for row in company.sources.rows:
        number = _source_number(row["Source reference number"])
        url = base._url(row["URL"])
        if not url:
            skipped.add(row.member, row.line, "source without an http(s) URL")
            continue
        source_id = "s" + re.sub(r"[^0-9A-Za-z]+", "-", number.replace("'", "p")).strip("-")
        if source_id == "s" or number in by_number or source_id in by_number.values():
            skipped.add(row.member, row.line, f"source number '{number}' missing or repeated")
            continue
        title = " ".join(row["Document title"].split()) or url
        entry = {"id": source_id, "url": url, "title": title[: base.MAX_TITLE]}
        document_date = _date(row.starting(COLUMN_DOCUMENT_DATE))
        accessed = _date(row.starting(COLUMN_ACCESSED))
        if document_date and accessed and document_date > accessed:
            document_date = accessed = None
        if document_date:
            entry["document_date"] = document_date
        else:
            undated += 1
        if accessed:
            entry["accessed"] = accessed
        by_number[number] = entry["id"]
        entries.append(entry)
    if undated:
        notes.append(f"{company.sources_member}: {undated} source(s) without a readable document date: left out")
    return by_number, entries


def _source_number(value: str) -> str:
    # RDR numbers a second document on the same subject 3' (and writes the prime both ways).
    return " ".join(value.replace("\u2019", "'").replace("\u2032", "'").split())


_DATE_FORMATS = ("%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%m/%d/%Y")


def _date(value: str) -> str | None:
    text = " ".join(value.replace(".", " ").replace(",", ", ").split()).replace(" ,", ",")
    text = re.sub(r"(?i)^sept\b", "Sep", text)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _levels(company: _CompanyData, meth: _Method) -> list[tuple[_LevelKey, str, str, str]]:
    """(key, level id, name, kind) for each level the company is answered at, company levels first."""
    subs = {(r["Class"].strip(), r["Service_Name"].strip()) for r in company.sublevel_rows}
    seen: dict[_LevelKey, tuple[str, str]] = {}
    for row in company.answers:
        key = _LevelKey(row["Class"].strip(), row["Service_Name"].strip(), row["Level"].strip())
        if key not in seen:
            level_kind, _ = _level_kind(row, subs, meth.aspects)
            seen[key] = (key.level, level_kind.id)
    out = []
    used: set[str] = set()
    ordered = sorted(seen.items(), key=lambda kv: meth.kinds[kv[1][1]].side != "company")
    for key, (name, kind) in ordered:
        level_id = base._slug(name) or "level"
        n = 2
        while level_id in used:
            level_id, n = f"{base._slug(name)}-{n}", n + 1
        used.add(level_id)
        out.append((key, level_id, name, kind))
    return out


def _assessment(
    company: _CompanyData,
    meth: _Method,
    data: _Dataset,
    countries: Mapping[str, str],
    counts: _Counts,
    slugs: Mapping[str, str],
) -> tuple[str, dict[str, Any], list[str]]:
    cycle, packed, skipped = data.cycle, data.packed, data.skipped
    notes: list[str] = []
    slug = slugs.get(company.name.casefold(), "")
    if slug:
        notes.append(f"written under the slug '{slug}' that the company identity map gives it")
    slug = slug or base._slug(company.name) or "company"
    country = countries.get(company.name.casefold())
    if country is None:
        country = "ZZ"
        notes.append("country unknown (not in hrdd/importers/rdr_companies.yaml); written as ZZ")
    type_id, _, sector = meth.types[company.name]
    by_number, entries = _sources_data(company, notes, skipped)
    levels = _levels(company, meth)
    level_of = {key: (lid, kind) for key, lid, _, kind in levels}
    refs: dict[tuple[str, str], list[str]] = {}
    dangling: set[str] = set()
    for row in [*company.level_rows, *company.sublevel_rows]:
        tokens = [_source_number(t) for t in re.split(r"[;,]", row["Sources"]) if t.strip() and not base._is_na(t)]
        ids = []
        for token in tokens:
            if token in by_number:
                ids.append(by_number[token])
            else:
                dangling.add(token)
        refs[(row["Indicator"].strip(), row["Level"].strip())] = list(dict.fromkeys(ids))
    answers: dict[str, dict[str, dict[str, Any]]] = {}
    for row in company.answers:
        ind, el = row["Indicator"].strip(), row["Element"].strip()
        key = _LevelKey(row["Class"].strip(), row["Service_Name"].strip(), row["Level"].strip())
        word = _canon(row["Answer"])
        answer = ANSWER_WORDS.get(word)
        if answer is None:
            skipped.add(
                row.member, row.line, f"answer '{row['Answer']}' is none of yes, partial, no, no disclosure found, N/A"
            )
            continue
        level_id, _ = level_of[key]
        per_level = answers.setdefault(el, {})
        if level_id in per_level:
            skipped.add(row.member, row.line, f"a second answer for {el} at '{key.level}'")
            continue
        points = base.POINTS[answer][1 if el in meth.reversed else 0]
        try:
            published = None if _canon(row["Score"]) in ("exclude", "na", "n/a", "") else Decimal(row["Score"])
        except InvalidOperation:
            published = None
        if (points is None) != (published is None) or (points is not None and Decimal(points) != published):
            counts.score_mismatches.append(
                f"{row.member} line {row.line}: {el} '{row['Answer']}' scored {row['Score']}"
            )
        item: dict[str, Any] = {"answer": answer}
        # Line breaks inside RDR's quoted comments are CRLF in some files and LF in others.
        comment = row["Comments"].replace("\r\n", "\n").replace("\r", "\n").strip()
        if comment and not base._is_na(comment):
            item["comment"] = comment[: base.MAX_TEXT]
        evidence = refs.get((ind, key.level), [])
        if evidence:
            item["evidence"] = [{"source": s} for s in evidence]
            counts.evidence += len(evidence)
        per_level[level_id] = item
        counts.answers += 1
    # Applicable but not answered (the export leaves some out): N/A, as RDR's scores do.
    unanswered = []
    for ind, element_ids in meth.elements.items():
        kinds_here = meth.answered_kinds[ind]
        for el in element_ids:
            for _, level_id, name, kind in levels:
                if kind in kinds_here and level_id not in answers.get(el, {}):
                    answers.setdefault(el, {})[level_id] = {
                        "answer": "not_applicable",
                        "comment": base.UNANSWERED_COMMENT,
                    }
                    unanswered.append(f"{el} at {name}")
    if unanswered:
        shown = ", ".join(unanswered[:5]) + (", ..." if len(unanswered) > 5 else "")
        notes.append(f"{len(unanswered)} applicable element(s) without a row in RDR's data, written as N/A: {shown}")
    if dangling:
        notes.append(
            f"source numbers cited in {company.member} but missing from its sources file, left out of the evidence: "
            + ", ".join(sorted(dangling, key=base._natural))
        )
    ordered_answers = {el: answers[el] for ids in meth.elements.values() for el in ids if el in answers}
    counts.levels += len(levels)
    counts.sources += len(entries)
    assessment = {
        "company": {"name": company.name, "slug": slug, "sector": sector, "country": country, "type": type_id},
        "framework": {"id": base.FRAMEWORK_ID, "version": FRAMEWORK_VERSION},
        "cycle": cycle,
        "assessor": dict(base.ASSESSOR),
        "status": "published",
        **({"dates": {"published": packed}} if packed else {}),
        "levels": [{"id": lid, "name": name, "kind": kind} for _, lid, name, kind in levels],
        "sources": entries,
        "answers": ordered_answers,
    }
    return slug, assessment, notes


# --- what cannot be reproduced, and service names that differ -----------------------------------


def _summary_notes(data: _Dataset, meth: _Method) -> list[str]:
    """Name the published summary cells this export cannot give, and the service spellings mapped."""
    if data.summary is None:
        return [f"{data.zip_path.name}: no summary file; nothing to compare the scores with"]
    notes = []
    category_columns = {_canon(c): c for c in data.summary.header}
    for row in data.summary.rows:
        name = " ".join(row["Company"].split())
        company = data.companies.get(name)
        if company is None:
            notes.append(f"{row.member} line {row.line}: company '{name}' has no outcome file; row not compared")
            continue
        cls = row["Class"].strip()
        company_rows = [r for r in company.answers if r["Class"].strip() == cls and base._is_na(r["Service_Name"])]
        if not company_rows:
            continue
        # A company-wide row (Group): an indicator cell needs answers at that level.
        answered = {r["Indicator"].strip() for r in company_rows}
        missing = [
            ind
            for ind in meth.indicators
            if _canon(ind) in category_columns and not base._is_na(row[ind]) and ind not in answered
        ]
        if missing:
            cats = sorted({meth.indicators[i] for i in missing})
            notes.append(
                f"{name}: the published '{cls}' row's {', '.join(missing)} (and so its "
                f"{', '.join(cats)} and Total) cannot be derived: the export has no {cls}-level answers for "
                f"{', '.join(missing)} ({row.member} line {row.line})"
            )
    return notes


def match_service(name: str, candidates: Sequence[str]) -> str | None:
    """The outcome level that a summary service name means: the same letters and digits, else
    one that begins with the other, else the closest spelling."""
    target = _norm(name)
    if not target:
        return None
    exact = [c for c in candidates if _norm(c) == target]
    if len(exact) == 1:
        return exact[0]
    prefix = [c for c in candidates if _norm(c).startswith(target) or target.startswith(_norm(c))]
    if len(prefix) == 1:
        return prefix[0]
    close = difflib.get_close_matches(target, [_norm(c) for c in candidates], n=1, cutoff=0.6)
    return next((c for c in candidates if close and _norm(c) == close[0]), None)


def _service_notes(data: _Dataset) -> list[str]:
    if data.summary is None:
        return []
    notes = []
    for row in data.summary.rows:
        company = data.companies.get(" ".join(row["Company"].split()))
        service = row["Service_Name"].strip()
        if company is None or base._is_na(service):
            continue
        cls = row["Class"].strip()
        names = sorted({r["Service_Name"].strip() for r in company.answers if r["Class"].strip() == cls})
        if not names:
            notes.append(f"{row.member} line {row.line}: class '{cls}' has no answers in {company.member}")
            continue
        if service in names:
            continue
        match = match_service(service, names)
        combined = any(r["Class"].strip() == cls for r in company.sublevel_rows)
        if match is None and len(names) == 1:
            continue  # the class's only service, which the summary names after the operator
        if match is None and not combined:
            notes.append(f"{row.member} line {row.line}: service '{service}' matches no service of {company.member}")
        elif match is not None and _norm(match) != _norm(service):
            notes.append(f"{company.name}: service '{service}' of {row.member} is '{match}' in {company.member}")
    return notes


def _reproduction_notes(data: _Dataset, framework: dict[str, Any], imported: Mapping[str, dict[str, Any]]) -> list[str]:
    """Score what is about to be written and compare it with the summary's company-wide rows
    (total, categories, indicators), so that the import says whether it reproduces RDR."""
    from hrdd.load import assessment_from_data, framework_from_data
    from hrdd.score import score_assessment

    if data.summary is None:
        return []
    fw = framework_from_data(framework)
    columns = list(data.summary.header)  # canonical (case-folded) column names
    by_column = {i.id.casefold(): i.id for i in fw.all_indicators()}
    indicators = [c for c in columns if c in by_column]
    first = columns.index(indicators[0]) if indicators else len(columns)
    after_total = columns.index(_canon("Total")) + 1
    categories = dict(zip(columns[after_total:first], (c.id for c in fw.categories), strict=False))
    compared = 0
    wrong: list[str] = []
    for row in data.summary.rows:
        name = " ".join(row["Company"].split())
        company = data.companies.get(name)
        cls = row["Class"].strip()
        # A company-wide row names no service and no class the company is answered at.
        if (
            company is None
            or not base._is_na(row["Service_Name"])
            or any(r["Class"].strip() == cls for r in company.answers)
        ):
            continue
        score = score_assessment(fw, assessment_from_data(imported[name]))
        cells = [("Total", score.total)] + [(col, score.categories.get(cat)) for col, cat in categories.items()]
        cells += [(col, score.indicators[by_column[col]].score) for col in indicators]
        for col, ours in cells:
            published = _number(row[col])
            compared += 1
            same = (published is None) == (ours is None) and (
                published is None
                or ours is None
                or abs(ours - published) <= Decimal("1e-9") * max(abs(published), Decimal(1))
            )
            if not same:
                wrong.append(f"{name} {col}: published {row[col].strip()}, hrdd {ours} ({row.member} line {row.line})")
    if wrong:
        return [f"{len(wrong)} of {compared} published company-wide cells are not reproduced: " + "; ".join(wrong[:10])]
    return [
        f"reproduction check: all {compared} published company-wide cells (totals, categories, indicators) "
        "are reproduced to a relative error below 1e-9"
    ]


def _number(text: str) -> Decimal | None:
    try:
        return None if base._is_na(text) else Decimal(text.strip())
    except InvalidOperation:
        return None


# --- entry point ---------------------------------------------------------------------------------


def find_pages(zip_path: Path, pages_dir: Path | None) -> Path:
    folder = pages_dir if pages_dir is not None else zip_path.parent / "indicators"
    if not folder.is_dir() or not any(folder.glob("*.md")):
        raise base.RdrImportError(
            f"{zip_path}: this is RDR's 2019-layout download, whose element texts are on RDR's indicator "
            f"pages; no indicators/*.md found in {folder}: put them there or pass --indicators DIR"
        )
    return folder


def import_rdr2019(
    zip_path: Path,
    out_dir: Path,
    *,
    force: bool = False,
    pages_dir: Path | None = None,
    identities: Path | None = None,
) -> base.ImportResult:
    """Read RDR's 2019-layout CSV zip and its indicator pages; write ``rdr@2019`` and assessments."""
    pages = read_pages(find_pages(zip_path, pages_dir))
    slugs = read_identities(identities) if identities is not None else {}
    data = _read_dataset(zip_path)
    meth = _derive_method(data, pages)
    framework_notes = list(data.notes)
    framework = _framework_data(meth, pages, data.cycle, framework_notes)
    framework_notes += _summary_notes(data, meth) + _service_notes(data)
    countries = base._countries()
    counts = _Counts()
    written: list[tuple[Path, str]] = []
    company_notes: list[str] = []
    taken: dict[str, str] = {}
    imported: dict[str, dict[str, Any]] = {}
    for company in data.companies.values():
        slug, assessment, notes = _assessment(company, meth, data, countries, counts, slugs)
        if slug in taken:
            raise base.RdrImportError(
                f"{zip_path}: companies '{taken[slug]}' and '{company.name}' would both be written as '{slug}'"
            )
        taken[slug] = company.name
        imported[company.name] = assessment
        path = out_dir / "assessments" / slug / f"{data.cycle}.yaml"
        written.append((path, base._dump(assessment, _header(zip_path, data.cycle, notes))))
        company_notes += [f"{company.name}: {n}" for n in notes]
    tail = _reproduction_notes(data, framework, imported)
    if data.skipped.rows:
        tail.append(f"{len(data.skipped.rows)} row(s) not imported: " + "; ".join(data.skipped.rows))
    if counts.score_mismatches:
        tail.append(
            f"{len(counts.score_mismatches)} answer(s) whose Score column disagrees with the answer scale, e.g. "
            + "; ".join(counts.score_mismatches[:3])
        )
    framework_path = out_dir / "frameworks" / base.FRAMEWORK_ID / f"{FRAMEWORK_VERSION}.yaml"
    text = base._dump(framework, _header(zip_path, data.cycle, [*framework_notes, *tail]))
    base._write_all([(framework_path, text), *written], force=force)
    return base.ImportResult(
        framework_path=framework_path,
        assessment_paths=tuple(p for p, _ in written),
        companies=len(written),
        indicators=len(meth.indicators),
        elements=sum(len(v) for v in meth.elements.values()),
        levels=counts.levels,
        answers=counts.answers,
        sources=counts.sources,
        evidence_links=counts.evidence,
        notes=(*framework_notes, *company_notes, *tail),
    )


def _header(zip_path: Path, cycle: int, notes: Sequence[str]) -> list[str]:
    lines = [
        f"Imported from RDR's public dataset {zip_path.name} by hrdd import rdr; regenerate rather than edit.",
        f"{ATTRIBUTION_TEXT.format(cycle=cycle)} ({base.ATTRIBUTION_URL.format(cycle=cycle)})",
    ]
    if notes:
        lines += ["", "Where the import departs from RDR's files:", *(f"- {n}" for n in notes)]
    return lines
