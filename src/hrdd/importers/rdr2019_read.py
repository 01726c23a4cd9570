"""Reading RDR's 2019 download (``rdr2019``): its CSV members, keeping every row that is not
imported with its file and line, into one dataset in memory (companies with their answer, level,
sublevel and indicator rows and their source lists)."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from hrdd.importers import rdr_common as common

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
YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def canon(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def norm(name: str) -> str:
    """A service or file name reduced to letters and digits, for matching spellings."""
    return re.sub(r"[^0-9a-z]+", "", common.slugify(name))


# --- reading CSV members, keeping every row that is not imported ------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    member: str
    line: int
    values: Mapping[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(canon(column), "")

    def starting(self, prefix: str) -> str:
        """The first column whose name begins with ``prefix`` (for misspelt column names)."""
        return next((v for k, v in self.values.items() if k.startswith(prefix)), "")


@dataclass(slots=True)
class Table:
    member: str
    header: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)

    def has(self, columns: Iterable[str]) -> bool:
        return all(canon(c) in self.header for c in columns)


@dataclass(slots=True)
class Skipped:
    """Rows that were not imported, with their file and line, for the notes."""

    rows: list[str] = field(default_factory=list)

    def add(self, member: str, line: int, why: str) -> None:
        self.rows.append(f"{member} line {line}: {why}")


def _read_table(zf: zipfile.ZipFile, zip_path: Path, member: str, skipped: Skipped) -> Table | None:
    try:
        raw = zf.read(member)
    except (OSError, zipfile.BadZipFile, RuntimeError) as exc:
        raise common.RdrImportError(f"{zip_path}: {member}: cannot read member: {exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise common.RdrImportError(f"{zip_path}: {member}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise common.RdrImportError(f"{zip_path}: {member}, line 1: {exc}") from exc
    if not header:
        return None
    table = Table(member, tuple(canon(h) for h in header))
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
                table.rows.append(Row(member, start, dict(zip(table.header, row, strict=True))))
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
    return tuple(canon(c) for c in row)


def recognises(zf: zipfile.ZipFile) -> bool:
    """Whether the zip is a 2019-layout download: a member with the outcome file's columns."""
    wanted = {canon(c) for c in COLUMNS_OUTCOME}
    return any(wanted <= set(_header_of(zf, m)) for m in _members(zf))


# --- the dataset in memory --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LevelKey:
    cls: str
    service: str
    level: str


@dataclass(slots=True)
class CompanyData:
    name: str
    member: str
    category: str
    answers: list[Row] = field(default_factory=list)
    level_rows: list[Row] = field(default_factory=list)
    sublevel_rows: list[Row] = field(default_factory=list)
    indicator_rows: list[Row] = field(default_factory=list)
    sources_member: str | None = None
    sources: Table | None = None


@dataclass(slots=True)
class Dataset:
    zip_path: Path
    cycle: int
    packed: str | None
    """The newest timestamp of the zip's data files: when RDR packed the download."""
    companies: dict[str, CompanyData]
    summary: Table | None
    skipped: Skipped
    notes: list[str]


def read_dataset(zip_path: Path) -> Dataset:
    skipped = Skipped()
    notes: list[str] = []
    companies: dict[str, CompanyData] = {}
    summary: Table | None = None
    source_tables: list[Table] = []
    years: set[int] = set()
    stamps: list[str] = []
    with common.open_zip(zip_path) as zf:
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
            years.update(int(y) for y in YEAR_RE.findall(PurePosixPath(member).name))
            if table.has(COLUMNS_OUTCOME):
                _add_outcome(table, companies, zip_path, skipped)
            elif table.has(COLUMNS_SUMMARY):
                summary = table
            elif table.has(COLUMNS_SOURCES):
                source_tables.append(table)
            elif not table.has(COLUMNS_OVERVIEW):
                notes.append(f"{member}: columns not recognised, not read")
    if not companies:
        raise common.RdrImportError(f"{zip_path}: no outcome file (columns {', '.join(COLUMNS_OUTCOME)})")
    if len(years) != 1:
        raise common.RdrImportError(
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
    return Dataset(zip_path, cycle, packed, companies, summary, skipped, notes)


def _add_outcome(table: Table, companies: dict[str, CompanyData], zip_path: Path, skipped: Skipped) -> None:
    names = {" ".join(r["Company"].split()) for r in table.rows if r["Company"].strip()}
    if len(names) != 1:
        raise common.RdrImportError(
            f"{zip_path}: {table.member}: expected one company per outcome file, found {sorted(names) or 'none'}"
        )
    name = names.pop()
    if name in companies:
        raise common.RdrImportError(f"{zip_path}: {table.member}: company '{name}' is also in {companies[name].member}")
    category = next((r["Company_Category"].strip() for r in table.rows if r["Company_Category"].strip()), "")
    company = CompanyData(name, table.member, category)
    for row in table.rows:
        kind = canon(row["Scoring_Level"])
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
    stem = YEAR_RE.sub("", stem)
    return norm(re.sub(r"(?i)(outcome|sources?)$", "", stem.strip("_- ")).replace("RDR", ""))


def _attach_sources(companies: Mapping[str, CompanyData], tables: Sequence[Table]) -> list[str]:
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
