"""Import Ranking Digital Rights' public CSV dataset as an hrdd framework and assessments.

RDR publishes each index as a zip of CSV files (methodology metadata, every element answer,
level and indicator scores, and one source list per company). This module reads that zip with
the standard library only and writes:

* ``frameworks/rdr/2022.yaml``: the 2020 methodology (categories, indicators, families,
  elements, reversed elements, exclusions, scoring scopes, rounding);
* ``assessments/<company>/<cycle>.yaml``: one per company, with every answer RDR published,
  the researcher's comment, and the sources RDR lists for each indicator and level.

Nothing here knows about a particular company, service or indicator: everything is read from
the CSVs, and the only fixed knowledge is RDR's vocabulary (answer words, company types,
service classes, category letters) and a small data file of company countries.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from hrdd.errors import ImportFormatError, UsageError
from hrdd.importers import rdr_narratives
from hrdd.importers.rdr_editions import derive_changelog, older_framework, read_identities

FRAMEWORK_ID = "rdr"
FRAMEWORK_VERSION = "2022"
ASSESSOR = {"type": "independent", "name": "Ranking Digital Rights", "url": "https://rankingdigitalrights.org"}
PUBLISHER = "Ranking Digital Rights"
LICENCE = "CC BY 4.0"
ATTRIBUTION_URL = "https://rankingdigitalrights.org/index{cycle}"
ATTRIBUTION_TEXT = "Data: Ranking Digital Rights, {cycle} Big Tech Scorecard, CC BY 4.0"
TITLE = "Ranking Digital Rights 2020 methodology (as used in the {cycle} Big Tech Scorecard)"
SUMMARY = (
    "Ranking Digital Rights' 2020 methodology scores digital platforms and telecommunications "
    "companies on their public commitments, policies and practices affecting users' freedom of "
    "expression and information and privacy. Imported from RDR's public CSV dataset by "
    "hrdd import rdr; scores reproduce RDR's published results."
)

# Where the RDR files sit in the zip; the year prefix (2022-rdr-index-...) is not fixed.
MEMBER_META_ELEMENTS = "rdr-index-11-meta-elements.csv"
MEMBER_META_INDICATORS = "rdr-index-12-meta-indicators.csv"
MEMBER_LEVEL_SCORES = "rdr-index-05-level-scores.csv"
MEMBER_ELEMENT_SCORES = "rdr-index-06-element-scores.csv"
SOURCES_SUFFIX = "-sources.csv"
MEMBER_README = "README.md"
# RDR's README carries the release date ("> Last updated: 2022-04-21"); it is the only date
# in the dataset that says when the results were published.
_RELEASED_RE = re.compile(r"last updated:\s*(\d{4}-\d{2}-\d{2})", re.IGNORECASE)

# Columns read from each file (matched case-insensitively; other columns are ignored).
COLUMNS_META_INDICATORS = (
    "Category",
    "Indicator",
    "indicatorNr",
    "indicatorSuffix",
    "isParent",
    "labelLong",
    "description",
    "guidance",
    "scoringScope",
    "excludedCompanies",
    "excludedServices",
)
COLUMNS_META_ELEMENTS = (
    "Indicator",
    "Element",
    "description",
    "excludedCompanies",
    "excludedServices",
    "isReversedScoring",
)
COLUMNS_ELEMENT_SCORES = (
    "Index",
    "CompanyType",
    "Company",
    "CompanyLabel",
    "Indicator",
    "Element",
    "Branch",
    "Class",
    "Service",
    "Result",
    "Comment",
    "Score",
)
COLUMNS_LEVEL_SCORES = ("Company", "Indicator", "Class", "Service", "SourceRefs")
COLUMNS_SOURCES = ("SourceNr", "DocumentTitle", "URL", "DocumentDate", "DateAccessed", "Saved Source link")

# RDR's answer words (compared case-insensitively) -> hrdd answer ids.
RESULT_TO_ANSWER = {
    "yes": "yes",
    "partial": "partial",
    "no": "no",
    "no disclosure found": "no_disclosure",
    "na": "not_applicable",
    "n/a": "not_applicable",
}
RESULT_SPELLINGS = "yes, partial, no, no disclosure found, NA"
NOT_APPLICABLE = "not_applicable"
UNANSWERED_COMMENT = "RDR's dataset has no answer here; imported as N/A, so it is left out of the scores as in RDR's."

# The answer scale. "No disclosure found" never earns credit, also on reversed elements,
# which is why its reversed_points is spelled out (the schema default would give it 100).
# Partial stays 50 when reversed: RDR's Score column shows 50 for partial on reversed elements.
ANSWERS: tuple[dict[str, Any], ...] = (
    {
        "id": "yes",
        "label": "Yes",
        "points": 100,
        "reversed_points": 0,
        "description": "The disclosure fully meets the element.",
    },
    {
        "id": "partial",
        "label": "Partial",
        "points": 50,
        "reversed_points": 50,
        "description": "The disclosure meets the element in part.",
    },
    {
        "id": "no",
        "label": "No",
        "points": 0,
        "reversed_points": 100,
        "description": "The company discloses that it does not meet the element.",
    },
    {
        "id": "no_disclosure",
        "label": "No disclosure found",
        "points": 0,
        "reversed_points": 0,
        "description": "Researchers found no public disclosure about the element.",
    },
    {
        "id": "not_applicable",
        "label": "N/A",
        "points": None,
        "reversed_points": None,
        "description": "The element does not apply to this company or service; left out of every average.",
    },
)
POINTS = {a["id"]: (a["points"], a["reversed_points"]) for a in ANSWERS}

SCOPES = {"company": "company", "services": "units", "full": "both"}

CATEGORY_TITLES = {"G": "Governance", "F": "Freedom of Expression and Information", "P": "Privacy"}

# RDR's CompanyType -> (hrdd company type, sector). RDR's exclusion columns call platforms
# "internet" (F9 and F10 are excluded for them), hence that id rather than "platform".
COMPANY_TYPES = {
    "digital platform": ("internet", "Digital platforms"),
    "internet": ("internet", "Digital platforms"),
    "telecommunications company": ("telecom", "Telecommunications"),
    "telecommunications": ("telecom", "Telecommunications"),
    "telecom": ("telecom", "Telecommunications"),
}
COMPANY_TYPE_LABELS = {
    "internet": "Digital platform (internet and mobile ecosystem company)",
    "telecom": "Telecommunications company",
}


@dataclass(frozen=True, slots=True)
class _KindSpec:
    id: str
    label: str
    side: str
    combine_as: str | None = None


# RDR's level classes. Prepaid and postpaid mobile are averaged into one mobile level before
# the service side is averaged; RDR's exclusion columns call both of them "mobile".
LEVEL_KINDS = (
    _KindSpec("group", "Group", "company"),
    _KindSpec("opcom", "Operating company", "company"),
    _KindSpec("search", "Search engine", "unit"),
    _KindSpec("email", "Email", "unit"),
    _KindSpec("messagingVoip", "Messaging and VoIP", "unit"),
    _KindSpec("cloud", "Cloud storage", "unit"),
    _KindSpec("eCommerce", "E-commerce platform", "unit"),
    _KindSpec("pda", "Personal digital assistant ecosystem", "unit"),
    _KindSpec("socialNetworkBlogs", "Social network and blogs", "unit"),
    _KindSpec("photoVideo", "Video and photo sharing", "unit"),
    _KindSpec("mobileEcosystem", "Mobile ecosystem", "unit"),
    _KindSpec("prepaid", "Prepaid mobile", "unit", "mobile"),
    _KindSpec("postpaid", "Postpaid mobile", "unit", "mobile"),
    _KindSpec("broadband", "Fixed-line broadband", "unit"),
)
KIND_ALIASES = {"group": ("group",), "opcom": ("opcom",), "mobile": ("prepaid", "postpaid")}

MAX_TITLE = 500
MAX_TEXT = 20000
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL_RE = re.compile(r"^https?://\S+$")
_NA = frozenset({"", "na", "n/a"})


class RdrImportError(ImportFormatError):
    """The zip is not RDR's public CSV dataset in the format this importer reads."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What ``import_rdr`` (``hrdd.importers.rdr_import``) wrote, with counts and notes about the
    data it had to adjust."""

    framework_path: Path
    assessment_paths: tuple[Path, ...]
    companies: int
    indicators: int
    elements: int
    levels: int
    answers: int
    sources: int
    evidence_links: int
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        """What the CLI prints: the files written, the counts, and every note."""
        root = self.framework_path.parents[2]
        lines = [
            f"wrote {self.framework_path.relative_to(root)} and {len(self.assessment_paths)} assessments under {root}",
            f"{self.companies} companies, {self.indicators} indicators, {self.elements} elements, "
            f"{self.levels} levels, {self.answers} answers, {self.sources} sources, "
            f"{self.evidence_links} evidence links",
        ]
        if self.notes:
            lines.append("notes:")
            lines += [f"  - {n}" for n in self.notes]
        return "\n".join(lines)


# --- reading the zip -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Record:
    """One CSV record: the line it starts on and its values by canonical column name."""

    member: str
    line: int
    values: Mapping[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values[column]


def _canon(name: str) -> str:
    # Column names differ in case between RDR's files ("Saved Source link" / "Saved source link").
    return " ".join(name.split()).casefold()


def _is_na(value: str) -> bool:
    return value.strip().casefold() in _NA


class _Archive:
    """RDR's zip: finds members by their stable suffix and reads them as CSV records."""

    def __init__(self, zip_path: Path, zf: zipfile.ZipFile) -> None:
        self.path = zip_path
        self._zf = zf
        # Zips made on macOS carry __MACOSX/._<name> shadows of every file; they are not data.
        self._names = [
            n
            for n in zf.namelist()
            if not n.endswith("/") and "__MACOSX/" not in n and not PurePosixPath(n).name.startswith("._")
        ]
        years = {m.group(1) for n in self._names if (m := re.search(r"(\d{4})-rdr-index-", n))}
        self._prefix = f"{min(years)}-" if len(years) == 1 else "*-"

    def error(self, message: str, member: str | None = None, line: int | None = None) -> RdrImportError:
        where = f"{self.path}"
        if member is not None:
            where += f": {member}"
            if line is not None:
                where += f", line {line}"
        return RdrImportError(f"{where}: {message}")

    def find(self, suffix: str) -> str | None:
        hits = sorted(n for n in self._names if PurePosixPath(n).name.casefold().endswith(suffix.casefold()))
        return hits[0] if hits else None

    def require(self, suffix: str) -> str:
        name = self.find(suffix)
        if name is None:
            raise self.error(f"missing member {self._prefix}{suffix}")
        return name

    def sources_member(self, company: str) -> str | None:
        # company-sources/2022-rdr-index-<Company>-sources.csv
        return self.find(f"-{company}{SOURCES_SUFFIX}")

    def text(self, member: str) -> str:
        try:
            return self._zf.read(member).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise self.error(f"not UTF-8 text ({exc.reason} at byte {exc.start})", member) from exc
        except (OSError, zipfile.BadZipFile, RuntimeError) as exc:
            raise self.error(f"cannot read member: {exc}", member) from exc

    def records(self, member: str, columns: Sequence[str]) -> Iterator[_Record]:
        text = self.text(member)
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if header is None:
            raise self.error("empty file, expected a header line", member)
        index = {_canon(h): i for i, h in enumerate(header)}
        for column in columns:
            if _canon(column) not in index:
                raise self.error(f"missing column '{column}'", member, 1)
        picks = [(c, index[_canon(c)]) for c in columns]
        start = reader.line_num + 1
        for row in reader:
            if row:  # a blank line is not a record
                if len(row) != len(header):
                    raise self.error(f"expected {len(header)} fields, found {len(row)}", member, start)
                yield _Record(member, start, {c: row[i] for c, i in picks})
            start = reader.line_num + 1


def _published_date(archive: _Archive) -> str:
    member = archive.find(MEMBER_README)
    text = archive.text(member) if member else ""
    match = _RELEASED_RE.search(text)
    date = _date(match.group(1)) if match else None
    if date is None:
        where = member or MEMBER_README
        raise archive.error(
            f"cannot tell when the results were published: {where} is missing or has no 'Last updated: YYYY-MM-DD' line"
        )
    return date


def _open_zip(zip_path: Path) -> zipfile.ZipFile:
    if not zip_path.exists():
        raise RdrImportError(f"{zip_path}: no such file")
    try:
        return zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile as exc:
        raise RdrImportError(f"{zip_path}: not a zip archive") from exc
    except OSError as exc:
        raise RdrImportError(f"{zip_path}: cannot read: {exc.strerror or exc}") from exc


# --- methodology ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Exclusion:
    company_types: list[str] = field(default_factory=list)
    level_kinds: list[str] = field(default_factory=list)

    def to_data(self) -> dict[str, list[str]]:
        data: dict[str, list[str]] = {}
        if self.company_types:
            data["company_types"] = list(self.company_types)
        if self.level_kinds:
            data["level_kinds"] = list(self.level_kinds)
        return data


@dataclass(slots=True)
class _Element:
    id: str
    indicator: str
    text: str
    reversed: bool
    excluded: _Exclusion


@dataclass(slots=True)
class _Indicator:
    id: str
    category: str
    title: str
    standard: str
    guidance: str
    scope: str | None
    excluded: _Exclusion
    is_family: bool = False
    parent: str | None = None
    elements: list[_Element] = field(default_factory=list)
    subindicators: list[_Indicator] = field(default_factory=list)


@dataclass(slots=True)
class _Methodology:
    categories: list[str]
    indicators: list[_Indicator]
    by_id: dict[str, _Indicator]
    elements: dict[str, _Element]
    kinds: dict[str, _KindSpec]
    company_types: dict[str, str]
    """Company type id -> label, for every type the metadata or the data names."""

    def chain(self, element: _Element) -> list[_Exclusion]:
        """The exclusions that can remove ``element``: its own, its indicator's, its family's."""
        indicator = self.by_id[element.indicator]
        chain = [element.excluded, indicator.excluded]
        if indicator.parent is not None:
            chain.append(self.by_id[indicator.parent].excluded)
        return chain

    def scope(self, element: _Element) -> str:
        indicator = self.by_id[element.indicator]
        scope = indicator.scope
        if scope is None and indicator.parent is not None:
            scope = self.by_id[indicator.parent].scope
        return scope or "both"

    def applies(self, element: _Element, company_type: str, kind: str) -> bool:
        side = self.kinds[kind].side
        scope = self.scope(element)
        if scope != "both" and (scope == "company") != (side == "company"):
            return False
        return not any(company_type in ex.company_types or kind in ex.level_kinds for ex in self.chain(element))


def _text(value: str) -> str:
    return value.replace("\r\n", "\n").strip()


def _split(value: str) -> list[str]:
    return [] if _is_na(value) else [p.strip() for p in value.split("|") if p.strip()]


def _kind_id(rdr_class: str) -> str:
    """hrdd level-kind id for an RDR class as written in the data ("Group", "OpCom", "search")."""
    lowered = rdr_class.strip().casefold()
    if lowered in KIND_ALIASES and len(KIND_ALIASES[lowered]) == 1:
        return KIND_ALIASES[lowered][0]
    name = rdr_class.strip()
    return name if _ID_RE.match(name) else _slug(name) or "unknown"


def _kinds_for_term(term: str) -> tuple[str, ...]:
    """Level kinds named by a term of RDR's excludedServices column ("opCom", "mobile", "email")."""
    return KIND_ALIASES.get(term.casefold(), (_kind_id(term),))


def _exclusion(record: _Record, kinds: dict[str, _KindSpec], types: dict[str, str]) -> _Exclusion:
    ex = _Exclusion()
    for term in _split(record["excludedCompanies"]):
        type_id = _slug(term)
        _add(ex.company_types, type_id)
        types.setdefault(type_id, term)
    for term in _split(record["excludedServices"]):
        for kind in _kinds_for_term(term):
            _add(ex.level_kinds, kind)
            if kind not in kinds:  # a class RDR names that our vocabulary lacks: declare it
                kinds[kind] = _KindSpec(kind, term, "unit")
    return ex


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def _flag(archive: _Archive, record: _Record, column: str) -> bool:
    value = record[column].strip().upper()
    if value not in ("TRUE", "FALSE"):
        raise archive.error(
            f"expected TRUE or FALSE in column '{column}', found '{record[column]}'", record.member, record.line
        )
    return value == "TRUE"


def _read_methodology(archive: _Archive) -> _Methodology:
    kinds = {k.id: k for k in LEVEL_KINDS}
    types = dict(COMPANY_TYPE_LABELS)
    indicators = _read_indicators(archive, kinds, types)
    elements = _read_elements(archive, indicators, kinds, types)
    top = [ind for ind in indicators.values() if ind.parent is None]
    for family in (ind for ind in top if ind.is_family):
        _family_scope(family)
    for ind in indicators.values():
        if ind.is_family and not ind.subindicators:
            raise archive.error(f"indicator family {ind.id} has no sub-indicators")
        if not ind.is_family and not ind.elements:
            raise archive.error(f"indicator {ind.id} has no elements in {MEMBER_META_ELEMENTS}")
    categories = list(dict.fromkeys(ind.category for ind in top))
    return _Methodology(categories, top, indicators, elements, kinds, types)


def _family_scope(family: _Indicator) -> None:
    """Give a family the scope most of its members use; members then only state a different one.

    RDR sets scoring scopes on sub-indicators only, but hrdd wants one on every top-level
    indicator (sub-indicators inherit it), so the family takes its members' common scope.
    """
    scopes = [sub.scope for sub in family.subindicators if sub.scope]
    if family.scope is None and scopes:
        family.scope = max(dict.fromkeys(scopes), key=scopes.count)
    for sub in family.subindicators:
        if sub.scope == family.scope:
            sub.scope = None


def _read_indicators(archive: _Archive, kinds: dict[str, _KindSpec], types: dict[str, str]) -> dict[str, _Indicator]:
    member = archive.require(MEMBER_META_INDICATORS)
    indicators: dict[str, _Indicator] = {}
    families: dict[tuple[str, str], _Indicator] = {}
    for rec in archive.records(member, COLUMNS_META_INDICATORS):
        ind_id = rec["Indicator"].strip()
        if not _ID_RE.match(ind_id) or ind_id in indicators:
            raise archive.error(f"bad or repeated indicator id '{ind_id}'", member, rec.line)
        is_family = _flag(archive, rec, "isParent")
        scope_word = rec["scoringScope"].strip()
        if not is_family and scope_word not in SCOPES:
            raise archive.error(f"unknown scoringScope '{scope_word}' (allowed: {', '.join(SCOPES)})", member, rec.line)
        indicator = _Indicator(
            id=ind_id,
            category=rec["Category"].strip(),
            title=_text(rec["labelLong"]) or ind_id,
            standard=_text(rec["description"]),
            guidance=_text(rec["guidance"]),
            scope=SCOPES.get(scope_word),
            excluded=_exclusion(rec, kinds, types),
            is_family=is_family,
        )
        # A family and its members share category and number; the members carry a suffix.
        number = (indicator.category, rec["indicatorNr"].strip())
        if is_family:
            families[number] = indicator
        elif not _is_na(rec["indicatorSuffix"]):
            family = families.get(number)
            if family is None:
                raise archive.error(
                    f"sub-indicator {ind_id} follows no family (isParent TRUE) with its number", member, rec.line
                )
            indicator.parent = family.id
            family.subindicators.append(indicator)
        indicators[ind_id] = indicator
    return indicators


def _read_elements(
    archive: _Archive, indicators: dict[str, _Indicator], kinds: dict[str, _KindSpec], types: dict[str, str]
) -> dict[str, _Element]:
    member = archive.require(MEMBER_META_ELEMENTS)
    elements: dict[str, _Element] = {}
    for rec in archive.records(member, COLUMNS_META_ELEMENTS):
        el_id, ind_id = rec["Element"].strip(), rec["Indicator"].strip()
        if not _ID_RE.match(el_id) or el_id in elements:
            raise archive.error(f"bad or repeated element id '{el_id}'", member, rec.line)
        indicator = indicators.get(ind_id)
        if indicator is None or indicator.is_family:
            raise archive.error(f"element {el_id} names unknown or family indicator '{ind_id}'", member, rec.line)
        element = _Element(
            el_id,
            ind_id,
            _text(rec["description"]) or el_id,
            _flag(archive, rec, "isReversedScoring"),
            _exclusion(rec, kinds, types),
        )
        indicator.elements.append(element)
        elements[el_id] = element
    return elements


# --- answers, levels and sources -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Answer:
    """One record of the element-scores file."""

    line: int
    company: str
    element: str
    indicator: str
    kind: str
    service: str
    answer: str
    comment: str
    score: str

    @property
    def level(self) -> tuple[str, str]:
        # A level is a class and a name: the name alone could repeat across classes.
        return (self.kind, self.service)


@dataclass(slots=True)
class _Company:
    key: str
    label: str
    rdr_type: str
    type_id: str
    sector: str
    cycle: int
    answers: list[_Answer] = field(default_factory=list)


def _read_answers(archive: _Archive, meth: _Methodology) -> dict[str, _Company]:
    member = archive.require(MEMBER_ELEMENT_SCORES)
    companies: dict[str, _Company] = {}
    seen: dict[tuple[str, str, tuple[str, str]], _Answer] = {}
    for rec in archive.records(member, COLUMNS_ELEMENT_SCORES):
        company = _company_for(archive, rec, companies)
        answer = _answer_for(archive, rec, meth)
        key = (answer.company, answer.element, answer.level)
        first = seen.setdefault(key, answer)
        if first is answer:
            company.answers.append(answer)
        elif (first.answer, first.comment) != (answer.answer, answer.comment):
            raise archive.error(
                f"a second, different answer for {answer.element} at '{answer.service}' of {answer.company} "
                f"(first on line {first.line})",
                member,
                rec.line,
            )
    if not companies:
        raise archive.error("no element answers", member)
    return companies


def _company_for(archive: _Archive, rec: _Record, companies: dict[str, _Company]) -> _Company:
    key = rec["Company"].strip()
    company = companies.get(key)
    if company is None:
        try:
            cycle = int(rec["Index"].strip())
        except ValueError:
            raise archive.error(
                f"expected a year in column 'Index', found '{rec['Index']}'", rec.member, rec.line
            ) from None
        rdr_type = " ".join(rec["CompanyType"].split())
        # An unknown type still scores right (every NA row is written as not_applicable);
        # it only cannot match the methodology's company-type exclusions.
        type_id, sector = COMPANY_TYPES.get(rdr_type.casefold(), (_slug(rdr_type) or "unknown", rdr_type))
        label = rec["CompanyLabel"].strip() or key
        company = companies[key] = _Company(key, label, rdr_type, type_id, sector, cycle)
    return company


def _answer_for(archive: _Archive, rec: _Record, meth: _Methodology) -> _Answer:
    result = " ".join(rec["Result"].split()).casefold()
    if result not in RESULT_TO_ANSWER:
        raise archive.error(
            f"unknown answer '{rec['Result']}' in column 'Result' (allowed: {RESULT_SPELLINGS})", rec.member, rec.line
        )
    element = rec["Element"].strip()
    if element not in meth.elements:
        raise archive.error(f"unknown element '{element}' (not in {MEMBER_META_ELEMENTS})", rec.member, rec.line)
    kind = _kind_id(rec["Class"])
    if kind not in meth.kinds:
        # A service class our vocabulary lacks: declare it on the side RDR's Branch column says.
        side = "company" if rec["Branch"].strip().casefold() == "company" else "unit"
        meth.kinds[kind] = _KindSpec(kind, rec["Class"].strip(), side)
    comment = _text(rec["Comment"])
    return _Answer(
        line=rec.line,
        company=rec["Company"].strip(),
        element=element,
        indicator=meth.elements[element].indicator,
        kind=kind,
        service=rec["Service"].strip(),
        answer=RESULT_TO_ANSWER[result],
        comment="" if comment == "NA" else comment,  # RDR's empty marker; "N/A" is a researcher's word
        score=rec["Score"].strip(),
    )


_RefKey = tuple[str, str, tuple[str, str]]
"""Company, indicator, level (class and name): where RDR lists the sources it used."""


def _read_source_refs(archive: _Archive) -> dict[_RefKey, list[str]]:
    """Source numbers RDR lists per company, indicator and level (``"2; 18"``)."""
    member = archive.require(MEMBER_LEVEL_SCORES)
    refs: dict[_RefKey, list[str]] = {}
    for rec in archive.records(member, COLUMNS_LEVEL_SCORES):
        tokens = [] if _is_na(rec["SourceRefs"]) else [t.strip() for t in rec["SourceRefs"].split(";")]
        key = (rec["Company"].strip(), rec["Indicator"].strip(), (_kind_id(rec["Class"]), rec["Service"].strip()))
        refs[key] = [t for t in dict.fromkeys(tokens) if t]
    return refs


@dataclass(slots=True)
class _Sources:
    entries: list[dict[str, str]] = field(default_factory=list)
    by_number: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _SourceStats:
    """What had to be adjusted in one company's source list, for the notes."""

    no_url: list[str] = field(default_factory=list)
    unnumbered: int = 0
    undated: dict[str, int] = field(default_factory=dict)
    contradictory: list[str] = field(default_factory=list)

    def notes(self, member: str) -> list[str]:
        notes = []
        if self.no_url:
            notes.append(
                f"{member}: {len(self.no_url)} source row(s) without an http(s) URL left out "
                f"(lines {', '.join(self.no_url)})"
            )
        if self.unnumbered:
            notes.append(
                f"{member}: {self.unnumbered} source(s) without a SourceNr, so no answer can cite them; "
                "their ids are their CSV line numbers"
            )
        if self.undated:
            examples = ", ".join(f"'{v}'" for v in list(self.undated)[:4])
            notes.append(
                f"{member}: {sum(self.undated.values())} source(s) without a YYYY-MM-DD document date "
                f"(e.g. {examples}): document_date left out"
            )
        if self.contradictory:
            notes.append(
                f"{member}: document date after the date accessed on line(s) "
                f"{', '.join(self.contradictory)}; both dates left out"
            )
        return notes


def _read_sources(archive: _Archive, company: _Company) -> _Sources:
    sources = _Sources()
    member = archive.sources_member(company.key) or archive.sources_member(company.label)
    if member is None:
        sources.notes.append(f"no company-sources/*-{company.key}{SOURCES_SUFFIX} in the zip; no sources")
        return sources
    seen: set[tuple[str, ...]] = set()
    stats = _SourceStats()
    for rec in archive.records(member, COLUMNS_SOURCES):
        entry = _source_entry(rec, stats)
        number = rec["SourceNr"].strip()
        fingerprint = (number, *entry.values()) if entry else ()
        if entry is None or fingerprint in seen:  # the same row twice is listed once
            continue
        seen.add(fingerprint)
        source_id = _source_id(number, rec.line, sources.by_number)
        if _is_na(number):
            stats.unnumbered += 1
        else:
            sources.by_number.setdefault(number, []).append(source_id)
        sources.entries.append({"id": source_id, **entry})
    sources.notes.extend(stats.notes(member))
    return sources


def _source_entry(rec: _Record, stats: _SourceStats) -> dict[str, str] | None:
    url, archive_url = _url(rec["URL"]), _url(rec["Saved Source link"])
    # A document without a public URL but with an archived copy is still checkable there.
    url, archive_url = (url, archive_url) if url else (archive_url, None)
    if not url:
        stats.no_url.append(str(rec.line))
        return None
    title = " ".join(rec["DocumentTitle"].split())
    title = url if _is_na(title) else title
    entry = {"url": url, "title": title[: MAX_TITLE - 1] + "…" if len(title) > MAX_TITLE else title}
    document_date, accessed = _date(rec["DocumentDate"]), _date(rec["DateAccessed"])
    # A document cannot be consulted before it was written; when RDR's two dates say so, one
    # of them is a typo and we cannot tell which, so neither is kept.
    if document_date and accessed and document_date > accessed:
        stats.contradictory.append(str(rec.line))
    else:
        entry |= {"document_date": document_date} if document_date else {}
        entry |= {"accessed": accessed} if accessed else {}
    if not document_date:
        raw = rec["DocumentDate"].strip()
        stats.undated[raw] = stats.undated.get(raw, 0) + 1
    if archive_url and archive_url != url:
        entry["archive_url"] = archive_url
    return entry


def _source_id(number: str, line: int, by_number: Mapping[str, list[str]]) -> str:
    # RDR numbers sources; evidence refers to the number. Rows without a usable number keep
    # their CSV line, and a number used for two different documents gets a suffix.
    if number and not _is_na(number) and _ID_RE.match(number):
        taken = by_number.get(number, [])
        return f"s{number}" if not taken else f"s{number}-{len(taken) + 1}"
    return f"line{line}"


def _url(value: str) -> str | None:
    value = value.strip()
    return value if _URL_RE.match(value) and len(value) <= 2000 else None


def _date(value: str) -> str | None:
    value = value.strip()
    if not _DATE_RE.match(value):
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return None
    return value


# --- reconciling the metadata with the data ---------------------------------------------------


def _lift_contradicted_exclusions(meth: _Methodology, companies: Mapping[str, _Company], member: str) -> list[str]:
    """Drop exclusions that RDR's own published answers contradict.

    RDR's published scores count every answer it published. Where the metadata excludes an
    element for a company type or level kind but the data answers it there (yes, partial, no,
    no disclosure found), the scores were computed with that answer, so the exclusion must go
    for hrdd to accept the answer and reproduce the score.
    """
    lifted: dict[tuple[str, str], str] = {}
    for company in companies.values():
        for ans in company.answers:
            if ans.answer == NOT_APPLICABLE:
                continue
            element = meth.elements[ans.element]
            side = meth.kinds[ans.kind].side
            scope = meth.scope(element)
            if scope != "both" and (scope == "company") != (side == "company"):
                continue  # off-scope answers are not scored; reported when writing
            for ex, owner in zip(meth.chain(element), _chain_ids(meth, element), strict=True):
                for values, what in ((ex.company_types, company.type_id), (ex.level_kinds, ans.kind)):
                    if what in values:
                        values.remove(what)
                        lifted[(owner, what)] = f"{company.label} at {ans.service}, {member} line {ans.line}"
    return [
        f"{owner}: RDR's metadata excludes '{what}', but the published data answers it "
        f"({example}); exclusion dropped so the published scores are reproduced"
        for (owner, what), example in lifted.items()
    ]


def _chain_ids(meth: _Methodology, element: _Element) -> list[str]:
    indicator = meth.by_id[element.indicator]
    ids = [element.id, indicator.id]
    if indicator.parent is not None:
        ids.append(indicator.parent)
    return ids


# --- building the documents --------------------------------------------------------------------


def _framework_data(meth: _Methodology, cycle: int) -> dict[str, Any]:
    return {
        "id": FRAMEWORK_ID,
        "version": FRAMEWORK_VERSION,
        "title": TITLE.format(cycle=cycle),
        "summary": SUMMARY,
        "publisher": PUBLISHER,
        "licence": LICENCE,
        "attribution": {"text": ATTRIBUTION_TEXT.format(cycle=cycle), "url": ATTRIBUTION_URL.format(cycle=cycle)},
        "answers": [
            {k: v for k, v in a.items() if k != "description"}
            | {"needs_evidence": False, "needs_reason": False, "description": a["description"]}
            for a in ANSWERS
        ],
        "scale": {"min": 0, "max": 100},
        "company_types": [{"id": t, "label": label} for t, label in meth.company_types.items()],
        "level_kinds": [_kind_data(k) for k in meth.kinds.values()],
        "categories": [{"id": c, "title": CATEGORY_TITLES.get(c, c)} for c in meth.categories],
        "indicators": [_indicator_data(ind, top=True) for ind in meth.indicators],
        "aggregation": {"total": "mean_of_indicators"},
        "rounding": {"decimals": 2, "mode": "half_up", "at": "every_stage"},
    }


def _kind_data(kind: _KindSpec) -> dict[str, str]:
    data = {"id": kind.id, "label": kind.label, "side": kind.side}
    if kind.combine_as:
        data["combine_as"] = kind.combine_as
    return data


def _indicator_data(ind: _Indicator, *, top: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"id": ind.id}
    if top:
        data["category"] = ind.category
    data["title"] = ind.title
    if ind.standard:
        data["standard"] = ind.standard
    if ind.guidance:
        data["guidance"] = ind.guidance
    if ind.scope:
        data["scope"] = ind.scope
    if excluded := ind.excluded.to_data():
        data["excluded"] = excluded
    if ind.subindicators:
        data["subindicators"] = [_indicator_data(sub, top=False) for sub in ind.subindicators]
    else:
        data["elements"] = [_element_data(el) for el in ind.elements]
    return data


def _element_data(el: _Element) -> dict[str, Any]:
    data: dict[str, Any] = {"id": el.id, "text": el.text}
    if el.reversed:
        data["reversed"] = True
    if excluded := el.excluded.to_data():
        data["excluded"] = excluded
    return data


@dataclass(frozen=True, slots=True)
class _Level:
    id: str
    name: str
    kind: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.name)


def _levels(company: _Company, meth: _Methodology) -> tuple[list[_Level], list[str]]:
    """The company's levels in RDR's order, without levels where every answer is N/A.

    RDR lists an operating-company level for every platform but answers nothing there; such a
    placeholder carries no information and would only show a column of N/A.
    """
    found: list[tuple[str, str]] = []
    answered: set[tuple[str, str]] = set()
    for ans in company.answers:
        if ans.level not in found:
            found.append(ans.level)
        if ans.answer != NOT_APPLICABLE:
            answered.add(ans.level)
    levels: list[_Level] = []
    taken: set[str] = set()
    for kind, service in found:
        if (kind, service) not in answered:
            continue
        base = kind if meth.kinds[kind].side == "company" else (_slug(service) or kind)
        level_id, n = base[:60], 1
        while level_id in taken:
            n += 1
            level_id = f"{base[:60]}-{n}"
        taken.add(level_id)
        levels.append(_Level(level_id, service, kind))
    notes = [
        f"level '{name}' left out: every answer there is N/A" for kind, name in found if (kind, name) not in answered
    ]
    return levels, notes


@dataclass(slots=True)
class _Counts:
    answers: int = 0
    evidence: int = 0
    dangling: dict[str, int] = field(default_factory=dict)
    unanswered: list[str] = field(default_factory=list)
    off_scope: int = 0
    score_mismatches: list[str] = field(default_factory=list)


def _assessment_data(
    company: _Company,
    slug: str,
    country: str,
    published: str,
    meth: _Methodology,
    levels: list[_Level],
    sources: _Sources,
    refs: Mapping[_RefKey, list[str]],
    archive: _Archive,
    counts: _Counts,
) -> dict[str, Any]:
    company_data = {
        "name": company.label,
        "slug": slug,
        "sector": company.sector,
        "country": country,
        "type": company.type_id,
    }
    return {
        "company": company_data,
        "framework": {"id": FRAMEWORK_ID, "version": FRAMEWORK_VERSION},
        "cycle": company.cycle,
        "assessor": dict(ASSESSOR),
        "status": "published",
        "dates": {"published": published},
        "levels": [{"id": lv.id, "name": lv.name, "kind": lv.kind} for lv in levels],
        "sources": sources.entries,
        "answers": _answers_data(company, meth, levels, sources, refs, archive, counts),
    }


def _answers_data(
    company: _Company,
    meth: _Methodology,
    levels: list[_Level],
    sources: _Sources,
    refs: Mapping[_RefKey, list[str]],
    archive: _Archive,
    counts: _Counts,
) -> dict[str, dict[str, dict[str, Any]]]:
    rows = {(a.element, a.level): a for a in company.answers}
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for element in meth.elements.values():
        per_level: dict[str, dict[str, Any]] = {}
        for level in levels:
            ans = rows.pop((element.id, level.key), None)
            if not meth.applies(element, company.type_id, level.kind):
                counts.off_scope += ans is not None and ans.answer != NOT_APPLICABLE
                continue
            if ans is None:
                # RDR has no row where it did not assess (for instance where its metadata excludes
                # the element but another company's answers made us keep it): N/A, like RDR.
                counts.unanswered.append(f"{element.id} at {level.name}")
                per_level[level.id] = {"answer": NOT_APPLICABLE, "comment": UNANSWERED_COMMENT}
                continue
            _check_score(ans, element, counts)
            per_level[level.id] = _answer_data(ans, company, sources, refs, counts)
        if per_level:
            out[element.id] = per_level
    counts.off_scope += sum(1 for a in rows.values() if a.answer != NOT_APPLICABLE)
    return out


def _answer_data(
    ans: _Answer, company: _Company, sources: _Sources, refs: Mapping[_RefKey, list[str]], counts: _Counts
) -> dict[str, Any]:
    data: dict[str, Any] = {"answer": ans.answer}
    if ans.comment:
        data["comment"] = ans.comment[:MAX_TEXT]
    evidence: list[dict[str, str]] = []
    for token in refs.get((company.key, ans.indicator, ans.level), []):
        ids = sources.by_number.get(token)
        if ids is None:
            counts.dangling[token] = counts.dangling.get(token, 0) + 1
            continue
        evidence.extend({"source": sid} for sid in ids)
    if evidence:
        data["evidence"] = evidence
        counts.evidence += len(evidence)
    counts.answers += 1
    return data


def _check_score(ans: _Answer, element: _Element, counts: _Counts) -> None:
    """Compare RDR's Score column with the points our answer scale gives (a consistency check)."""
    points = POINTS[ans.answer][1 if element.reversed else 0]
    try:
        published = None if _is_na(ans.score) else Decimal(ans.score)
    except InvalidOperation:
        published = None
    if (points is None) != (published is None) or (points is not None and Decimal(points) != published):
        counts.score_mismatches.append(f"line {ans.line}: {ans.element} '{ans.answer}' scored {ans.score}")


# --- company data, slugs, YAML -----------------------------------------------------------------


def _countries() -> dict[str, str]:
    text = resources.files("hrdd.importers").joinpath("rdr_companies.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    out: dict[str, str] = {}
    for label, entry in (data.get("companies") or {}).items():
        country = entry.get("country") if isinstance(entry, dict) else None
        if isinstance(country, str) and re.fullmatch(r"[A-Z]{2}", country):
            out[str(label).casefold()] = country
    return out


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:64].strip("-")


class _Dumper(yaml.SafeDumper):
    """SafeDumper without anchors (hrdd's reader refuses them) and with readable long texts."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # Multi-line comments read far better as literal blocks than as escaped one-liners.
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def _dump(data: Mapping[str, Any], header: Sequence[str]) -> str:
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    # Notes quote the data; a line break there would end the comment and corrupt the YAML.
    lines = (" ".join(line.split()) for line in header)
    return "".join(f"# {line}\n" if line else "#\n" for line in lines) + body


def _header(zip_path: Path, cycle: int, notes: Sequence[str]) -> list[str]:
    lines = [
        f"Imported from RDR's public dataset {zip_path.name} by hrdd import rdr; regenerate rather than edit.",
        f"{ATTRIBUTION_TEXT.format(cycle=cycle)} ({ATTRIBUTION_URL.format(cycle=cycle)})",
    ]
    if notes:
        lines += ["", "Where the import departs from RDR's files:", *(f"- {n}" for n in notes)]
    return lines


# --- entry point -------------------------------------------------------------------------------


def import_rdr2020(
    zip_path: Path,
    out_dir: Path,
    *,
    force: bool = False,
    identities: Path | None = None,
    narratives: Path | None = None,
) -> ImportResult:
    """Read RDR's public CSV zip of the 2020-methodology dataset (2022) and write the framework
    and one assessment per company (``hrdd.importers.rdr_import.import_rdr`` chooses between this
    and ``rdr2019`` by the files' columns).
    ``identities`` is a company identity map (``rdr_editions.read_identities``): the slug each
    named company is written under.

    ``narratives``: RDR's per-company texts (``companies/*.json``; by default ``companies/``
    beside the zip when it is there), written as each assessment's key findings,
    recommendations, changes and category notes (``rdr_narratives``).

    Raises ``RdrImportError`` when the zip is not in RDR's format and ``UsageError`` when a
    file would be overwritten without ``force``. Nothing is written unless everything is read.
    """
    slugs = read_identities(identities) if identities is not None else {}
    if narratives is None and (zip_path.parent / "companies").is_dir():
        narratives = zip_path.parent / "companies"
    texts = rdr_narratives.read_folder(narratives) if narratives is not None else None
    with _open_zip(zip_path) as zf:
        archive = _Archive(zip_path, zf)
        meth = _read_methodology(archive)
        companies = _read_answers(archive, meth)
        for company in companies.values():
            meth.company_types.setdefault(company.type_id, company.rdr_type)  # declare unknown types too
        refs = _read_source_refs(archive)
        framework_notes = _lift_contradicted_exclusions(meth, companies, archive.require(MEMBER_ELEMENT_SCORES))
        counts = _Counts()
        countries = _countries()
        published = _published_date(archive)
        built = [
            _build_assessment(archive, meth, c, refs, countries, published, counts, out_dir, slugs, texts)
            for c in companies.values()
        ]
    _check_unique_slugs(archive, built)
    cycle = max(c.cycle for c in companies.values())
    framework_path = out_dir / "frameworks" / FRAMEWORK_ID / f"{FRAMEWORK_VERSION}.yaml"
    framework = _framework_data(meth, cycle)
    previous = older_framework(out_dir, FRAMEWORK_ID, FRAMEWORK_VERSION)
    if previous is not None:
        framework["changelog"], derivation = derive_changelog(previous, framework)
        framework_notes = [*framework_notes, *derivation]
    framework_text = _dump(framework, _header(zip_path, cycle, framework_notes))
    _write_all([(framework_path, framework_text), *((b.path, b.text) for b in built)], force=force)
    return ImportResult(
        framework_path=framework_path,
        assessment_paths=tuple(b.path for b in built),
        companies=len(built),
        indicators=len(meth.by_id),
        elements=len(meth.elements),
        levels=sum(b.levels for b in built),
        answers=counts.answers,
        sources=sum(b.sources for b in built),
        evidence_links=counts.evidence,
        notes=(*framework_notes, *(f"{b.label}: {n}" for b in built for n in b.notes), *_count_notes(counts)),
    )


@dataclass(frozen=True, slots=True)
class _Built:
    label: str
    slug: str
    path: Path
    text: str
    levels: int
    sources: int
    notes: tuple[str, ...]


def _build_assessment(
    archive: _Archive,
    meth: _Methodology,
    company: _Company,
    refs: Mapping[_RefKey, list[str]],
    countries: Mapping[str, str],
    published: str,
    counts: _Counts,
    out_dir: Path,
    slugs: Mapping[str, str],
    texts: Mapping[str, Mapping[str, Any]] | None = None,
) -> _Built:
    notes: list[str] = []
    slug = slugs.get(company.label.casefold()) or slugs.get(company.key.casefold()) or ""
    if slug:
        notes.append(f"written under the slug '{slug}' that the company identity map gives it")
    slug = slug or _slug(company.label) or _slug(company.key) or "company"
    country = countries.get(company.label.casefold()) or countries.get(company.key.casefold())
    if country is None:
        country = "ZZ"  # ISO 3166 reserves ZZ for "unknown"; the schema needs two letters
        notes.append("country unknown (not in hrdd/importers/rdr_companies.yaml); written as ZZ")
    levels, level_notes = _levels(company, meth)
    sources = _read_sources(archive, company)
    notes.extend(level_notes + sources.notes)
    counts.dangling, counts.unanswered = {}, []
    data = _assessment_data(company, slug, country, published, meth, levels, sources, refs, archive, counts)
    if texts is not None:
        raw = texts.get(company.label.casefold()) or texts.get(company.key.casefold())
        if raw is None:
            notes.append("no text of RDR's on the company in the narratives folder: no key findings")
        else:
            categories = {c: CATEGORY_TITLES.get(c, c) for c in meth.categories}
            found = rdr_narratives.narrative_data(raw, categories)
            # After the dates, where a reader of the file looks for the overall findings.
            data = (
                {k: v for k, v in data.items() if k not in ("levels", "sources", "answers")}
                | found
                | {k: data[k] for k in ("levels", "sources", "answers")}
            )
    if counts.dangling:
        listed = ", ".join(sorted(counts.dangling, key=_natural))
        notes.append(
            f"source numbers cited in {archive.require(MEMBER_LEVEL_SCORES)} but missing from the "
            f"company's source list, left out of the evidence: {listed}"
        )
    if counts.unanswered:
        shown = ", ".join(counts.unanswered[:5]) + (", ..." if len(counts.unanswered) > 5 else "")
        notes.append(
            f"{len(counts.unanswered)} applicable element(s) without a row in RDR's data, written as N/A: {shown}"
        )
    path = out_dir / "assessments" / slug / f"{company.cycle}.yaml"
    text = _dump(data, _header(archive.path, company.cycle, notes))
    return _Built(company.label, slug, path, text, len(levels), len(sources.entries), tuple(notes))


def _check_unique_slugs(archive: _Archive, built: Sequence[_Built]) -> None:
    seen: dict[str, str] = {}
    for b in built:
        if b.slug in seen:
            raise archive.error(f"companies '{seen[b.slug]}' and '{b.label}' would both be written as '{b.slug}'")
        seen[b.slug] = b.label


def _natural(token: str) -> tuple[int, str]:
    digits = re.match(r"\d+", token)
    return (int(digits.group()) if digits else 1 << 30, token)


def _count_notes(counts: _Counts) -> list[str]:
    notes = []
    if counts.off_scope:
        notes.append(f"{counts.off_scope} answer(s) outside their indicator's scoring scope left out")
    if counts.score_mismatches:
        notes.append(
            f"{len(counts.score_mismatches)} answer(s) whose Score column disagrees with the answer "
            f"scale, e.g. {'; '.join(counts.score_mismatches[:3])}"
        )
    return notes


def _write_all(files: list[tuple[Path, str]], *, force: bool) -> None:
    # Check every target first so that a refused import leaves nothing half written.
    if not force:
        for path, _ in files:
            if path.exists():
                raise UsageError(f"{path} already exists; use --force (force=True) to overwrite it")
    for path, text in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
